import { InvalidInputError } from '../../errors.ts';
import { commitBatch, readBatchObject, readManifest } from '../../store/batch.ts';
import type { Manifest } from '../../store/batch.ts';
import { formatIssue, toJsonl } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import type { TrajectoryGroup } from './group.ts';
import { TrajectorySchema } from './trajectory.ts';
import type { Trajectory } from './trajectory.ts';

export const TRAJECTORIES_FILE = 'trajectories.jsonl';
const FAILURES_FILE = 'failures.json';

export interface StoredGroup {
  readonly prefix: string;
  readonly taskId: string;
  readonly source: string;
  readonly rewards: number[];
  /** Steps over all its trajectories: real interactions or experience-model steps, by source. */
  readonly steps: number;
  /** Real accesses the group made, as the counting boundary measured them; 0 for a synthetic group. */
  readonly realInteractions: number;
  readonly failures: number;
}

/**
 * Commits a group under `prefix` (a deterministic key such as `…/iterations/000003/groups/000007`): the
 * trajectories as chat-message JSONL with reward and advantage, and the failed rollouts, then the manifest. The
 * group is visible only once complete, and committing it again (a retried or re-run step) changes nothing: the
 * first complete commit stands, so a training batch never holds a group twice or half of one.
 *
 * @example
 * const stored = await writeGroup(store, 'dreamgym/runs/r1/iterations/000001/groups/000000', group);
 */
export async function writeGroup(store: Store, prefix: string, group: TrajectoryGroup, realInteractions = 0): Promise<StoredGroup> {
  const rewards = group.trajectories.map((t) => t.reward);
  const steps = group.trajectories.reduce((sum, t) => sum + t.metrics.steps, 0);
  const source = group.trajectories[0]?.metadata.source ?? 'unknown';
  const manifest = await commitBatch(store, prefix, [
    { name: TRAJECTORIES_FILE, body: toJsonl(group.trajectories) },
    { name: FAILURES_FILE, body: JSON.stringify(group.failures) },
  ], { taskId: group.task.id, source, rewards, steps, realInteractions, failures: group.failures.length });
  return storedGroup(prefix, manifest);
}

/** The committed group's summary, or undefined when the group was never committed (failed or not run). */
export async function readGroupSummary(store: Store, prefix: string): Promise<StoredGroup | undefined> {
  const manifest = await readManifest(store, prefix);
  return manifest && storedGroup(prefix, manifest);
}

/** The trajectories of a committed group or batch; a line that does not parse is an error naming its key and line. */
export async function readCommittedTrajectories(store: Store, prefix: string): Promise<Trajectory[]> {
  const manifest = await readManifest(store, prefix);
  if (!manifest) throw new InvalidInputError(`trajectory group "${prefix}" is not committed`);
  const text = new TextDecoder().decode(await readBatchObject(store, manifest, TRAJECTORIES_FILE));
  return parseTrajectoryLines(text, `${prefix}/${TRAJECTORIES_FILE}`);
}

/** Trajectory JSONL as written by `writeGroup`; `source` names the object in errors. */
export function parseTrajectoryLines(text: string, source: string): Trajectory[] {
  const out: Trajectory[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidInputError(`${source} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
    const parsed = TrajectorySchema.safeParse(value);
    if (!parsed.success) {
      throw new InvalidInputError(`${source} line ${index + 1}: ${parsed.error.issues.slice(0, 3).map(formatIssue).join('; ')}`);
    }
    out.push(parsed.data);
  });
  return out;
}

function storedGroup(prefix: string, manifest: Manifest): StoredGroup {
  const meta = manifest.meta as Partial<Omit<StoredGroup, 'prefix'>>;
  return {
    prefix, taskId: meta.taskId ?? '', source: meta.source ?? 'unknown', rewards: meta.rewards ?? [],
    steps: meta.steps ?? 0, realInteractions: meta.realInteractions ?? 0, failures: meta.failures ?? 0,
  };
}
