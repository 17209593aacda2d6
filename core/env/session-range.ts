import { InvalidInputError } from '../errors.ts';
import { hashSeed } from '../random.ts';
import type { EnvironmentFactory, Task } from './environment.ts';

/**
 * Task indexes (a server's session ids) `start`, `start + stride`, … below `end`; every index from `start` when
 * `stride` is absent. Half-open: `end` is not in the range.
 */
export interface StridedRange {
  readonly start: number;
  readonly end: number;
  readonly stride?: number;
}

/**
 * Task indexes drawn from several strided ranges in turn: the first of each part, then the second of each, …, a
 * part left out once it is used up. A server whose ids are grouped by task type (SciWorld) gives every task type
 * in any prefix of such a range.
 */
export interface InterleavedRange {
  readonly interleave: readonly StridedRange[];
}

/** A set of task indexes, in the order tasks are taken from it: strided (contiguous when stride 1) or interleaved. */
export type SessionRange = StridedRange | InterleavedRange;

/** Which task indexes offline data, held-out checks and evaluation use by default: disjoint, and present on the server. */
export interface SessionRanges {
  readonly offline: SessionRange;
  readonly heldOut: SessionRange;
  readonly evaluation: SessionRange;
}

const parts = (range: SessionRange): readonly StridedRange[] => ('interleave' in range ? range.interleave : [range]);
const strideOf = (part: StridedRange) => part.stride ?? 1;
const partSize = (part: StridedRange) => Math.max(0, Math.ceil((part.end - part.start) / strideOf(part)));

/**
 * Checks a range a profile, a plug-in or a user gave: integer bounds with 0 ≤ start < end, an integer stride ≥ 1,
 * an interleave of at least one such part. Throws InvalidInputError naming `what` and the problem.
 *
 * @example
 * validateSessionRange({ start: 10, end: 5 }, 'evaluation'); // throws "evaluation range … end 5 is not above start 10"
 */
export function validateSessionRange(range: SessionRange, what: string): SessionRange {
  if (typeof range !== 'object' || range === null) throw new InvalidInputError(`${what} range ${JSON.stringify(range)} is not { start, end, stride? } or { interleave: [...] }`);
  if ('interleave' in range && (!Array.isArray(range.interleave) || range.interleave.length === 0)) throw new InvalidInputError(`${what} range interleaves no part`);
  for (const part of parts(range)) {
    const shown = JSON.stringify(part);
    if (typeof part !== 'object' || part === null) throw new InvalidInputError(`${what} range part ${shown} is not { start, end, stride? }`);
    if (!Number.isSafeInteger(part.start) || part.start < 0) throw new InvalidInputError(`${what} range ${shown}: start must be an integer ≥ 0`);
    if (!Number.isSafeInteger(part.end) || part.end <= part.start) throw new InvalidInputError(`${what} range ${shown}: end ${part.end} is not above start ${part.start}`);
    if (part.stride !== undefined && (!Number.isSafeInteger(part.stride) || part.stride < 1)) {
      throw new InvalidInputError(`${what} range ${shown}: stride must be an integer ≥ 1`);
    }
  }
  return range;
}

/** How many task indexes a range holds. */
export function sessionRangeSize(range: SessionRange): number {
  return parts(range).reduce((sum, part) => sum + partSize(part), 0);
}

/** How many indexes each part gives to the first `count` of an interleaved range (round-robin, used-up parts left out). */
function takenPerPart(range: SessionRange, count: number): number[] {
  const sizes = parts(range).map(partSize);
  const taken = sizes.map(() => 0);
  let left = Math.min(count, sizes.reduce((a, b) => a + b, 0));
  while (left > 0) {
    for (let i = 0; i < sizes.length && left > 0; i++) {
      if (taken[i] < sizes[i]) { taken[i]++; left--; }
    }
  }
  return taken;
}

/**
 * The first `count` task indexes of a range, in its order (all of them without `count`).
 *
 * @example
 * sessionRangeIds({ interleave: [{ start: 0, end: 3 }, { start: 10, end: 12 }] }); // [0, 10, 1, 11, 2]
 */
export function sessionRangeIds(range: SessionRange, count = sessionRangeSize(range)): number[] {
  const all = parts(range);
  const taken = takenPerPart(range, count);
  const out: number[] = [];
  for (let k = 0; out.length < Math.min(count, sessionRangeSize(range)); k++) {
    all.forEach((part, i) => { if (k < taken[i]) out.push(part.start + k * strideOf(part)); });
  }
  return out;
}

/**
 * How many tasks a run takes from a range: the count the user asked for, else `fallback` or the whole range where it
 * holds fewer (a default never asks for more tasks than the environment's range has; a user's count is checked by
 * `listRangeTasks`).
 *
 * @example
 * rangeTaskCount({ start: 880, end: 960 }, undefined, 100); // 80: BabyAI's evaluation range
 */
export function rangeTaskCount(range: SessionRange, asked: number | undefined, fallback: number): number {
  return asked ?? Math.min(fallback, sessionRangeSize(range));
}

/**
 * Checks that a range holds `count` tasks before anything is spent on them; `flag` names the option that sets the
 * count (`--eval-tasks, tasks.evalCount`) in the InvalidInputError.
 */
export function checkRangeHolds(range: SessionRange, count: number, what: string, flag?: string): void {
  validateSessionRange(range, what);
  const size = sessionRangeSize(range);
  if (count > size) {
    throw new InvalidInputError(`the ${what} range (${describeSessionRange(range)}) holds ${size} tasks, fewer than the ${count} asked for; `
      + `ask for at most ${size}${flag ? ` (${flag})` : ''} or choose a larger range`);
  }
}

/**
 * Lists the first `count` tasks of a range from an environment: one `tasks` call per part (offset, count, stride),
 * then interleaved in the range's order. A range holding fewer than `count` tasks, or an environment listing fewer
 * than a part asked for, is an InvalidInputError naming `what` and `flag` (so data never silently spills into the next
 * range, and never holds a missing task).
 *
 * @example
 * const evaluation = await listRangeTasks(env, sciworldProfile.ranges.evaluation, 100, 'evaluation', '--eval-tasks'); // every task type
 */
export async function listRangeTasks(
  env: Pick<EnvironmentFactory, 'tasks'>, range: SessionRange, count: number, what: string, flag?: string,
): Promise<Task[]> {
  checkRangeHolds(range, count, what, flag);
  const taken = takenPerPart(range, count);
  const all = parts(range);
  const lists = await Promise.all(all.map((part, i) => (taken[i] === 0 ? [] : env.tasks({ offset: part.start, count: taken[i], stride: strideOf(part) }))));
  lists.forEach((list, i) => {
    if (list.length < taken[i]) {
      throw new InvalidInputError(`the environment listed ${list.length} tasks from task ${all[i].start} where the ${what} range asks for ${taken[i]}; `
        + `it ends sooner than the range says: ask for fewer${flag ? ` (${flag})` : ''} or choose a range the environment has`);
    }
  });
  const out: Task[] = [];
  for (let k = 0; out.length < count; k++) lists.forEach((list, i) => { if (k < taken[i]) out.push(list[k]); });
  return out;
}

/**
 * The range a user's offset (and stride) names, or the default one: `--eval-offset 7 --eval-stride 3` →
 * 7, 10, 13, …; a stride without an offset strides the default range when it is a plain one. An offset inside a
 * plain default range ends where that range ends (so a default count never spills into the next use's tasks);
 * elsewhere the range is open-ended.
 */
export function userRange(fallback: SessionRange, options: { offset?: number; stride?: number }, what: string): SessionRange {
  if (options.offset === undefined && options.stride === undefined) return fallback;
  if (options.offset === undefined && 'interleave' in fallback) {
    throw new InvalidInputError(`the default ${what} range interleaves task types; a stride for it needs an offset too`);
  }
  const range = options.offset === undefined
    ? { ...(fallback as StridedRange), stride: options.stride }
    : { start: options.offset, end: endFrom(fallback, options.offset), stride: options.stride ?? 1 };
  return validateSessionRange(range, what);
}

/** Where a user's range from `offset` ends: the default range's end when it is plain and holds the offset. */
function endFrom(fallback: SessionRange, offset: number): number {
  if ('interleave' in fallback || offset < fallback.start || offset >= fallback.end) return Number.MAX_SAFE_INTEGER;
  return fallback.end;
}

/**
 * A short name of a range for record ids: `1500` for tasks from 1,500 on, `7x3` for 7, 10, 13, …, `i` and a hash
 * of the parts for an interleaved range, so data drawn from different ranges never shares an id.
 */
export function sessionRangeKey(range: SessionRange): string {
  if ('interleave' in range) return `i${(hashSeed(JSON.stringify(range.interleave.map((p) => [p.start, p.end, strideOf(p)]))) >>> 0).toString(36)}`;
  return strideOf(range) === 1 ? String(range.start) : `${range.start}x${strideOf(range)}`;
}

/** A range's text for messages: `from task 7 (stride 3)`, `interleaving 23 parts from task 0`. */
export function describeSessionRange(range: SessionRange): string {
  if ('interleave' in range) return `interleaving ${range.interleave.length} parts from task ${range.interleave[0]?.start}`;
  return `from task ${range.start}${strideOf(range) === 1 ? '' : ` (stride ${strideOf(range)})`}`;
}
