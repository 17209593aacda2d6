import type { InterleavedRange, SessionRanges } from '../../session-range.ts';

/**
 * The ScienceWorld task types AgentGym's SciWorld server indexes, in its `data_idx` order, with their variation
 * counts. `agentenv_sciworld/environment.py` (github.com/WooooDyy/AgentGym, `SciWorldEnv.create`) walks
 * `ScienceWorldEnv.tasks` — ScienceWorld's `tasks.json` order, 1-1 … 10-2 — skipping 5-1, 5-2, 9-1, 9-2, 9-3, 10-1
 * and 10-2, and appends every variation of each task (`getMaxVariations`), so `data_idx` runs through all 30
 * variations of `boil`, then `melt`, …, task type by task type. The counts are ScienceWorld's README table
 * (github.com/allenai/ScienceWorld, "Tasks"). 4,639 ids in all.
 */
export const SCIWORLD_TASK_TYPES: readonly { readonly id: string; readonly name: string; readonly variations: number }[] = [
  { id: '1-1', name: 'boil', variations: 30 },
  { id: '1-2', name: 'melt', variations: 30 },
  { id: '1-3', name: 'freeze', variations: 30 },
  { id: '1-4', name: 'change-the-state-of-matter-of', variations: 30 },
  { id: '2-1', name: 'use-thermometer', variations: 540 },
  { id: '2-2', name: 'measure-melting-point-known-substance', variations: 436 },
  { id: '2-3', name: 'measure-melting-point-unknown-substance', variations: 300 },
  { id: '3-1', name: 'power-component', variations: 20 },
  { id: '3-2', name: 'power-component-renewable-vs-nonrenewable-energy', variations: 20 },
  { id: '3-3', name: 'test-conductivity', variations: 900 },
  { id: '3-4', name: 'test-conductivity-of-unknown-substances', variations: 600 },
  { id: '4-1', name: 'find-living-thing', variations: 300 },
  { id: '4-2', name: 'find-non-living-thing', variations: 300 },
  { id: '4-3', name: 'find-plant', variations: 300 },
  { id: '4-4', name: 'find-animal', variations: 300 },
  { id: '6-1', name: 'chemistry-mix', variations: 32 },
  { id: '6-2', name: 'chemistry-mix-paint-secondary-color', variations: 36 },
  { id: '6-3', name: 'chemistry-mix-paint-tertiary-color', variations: 36 },
  { id: '7-1', name: 'lifespan-longest-lived', variations: 125 },
  { id: '7-2', name: 'lifespan-shortest-lived', variations: 125 },
  { id: '7-3', name: 'lifespan-longest-lived-then-shortest-lived', variations: 125 },
  { id: '8-1', name: 'identify-life-stages-1', variations: 14 },
  { id: '8-2', name: 'identify-life-stages-2', variations: 10 },
];

/** Each task type's block of `data_idx` values: `[start, end)`. */
export const SCIWORLD_TASK_BLOCKS: readonly { readonly name: string; readonly start: number; readonly end: number }[] = (() => {
  let start = 0;
  return SCIWORLD_TASK_TYPES.map((type) => ({ name: type.name, start, end: (start += type.variations) }));
})();

/** The task type of a `data_idx`, undefined beyond the last one. */
export function sciworldTaskType(dataIdx: number): string | undefined {
  return SCIWORLD_TASK_BLOCKS.find((block) => dataIdx >= block.start && dataIdx < block.end)?.name;
}

/**
 * SciWorld's default ranges: in every task type's block, the last tenth (rounded up, at least one variation) for
 * evaluation, the tenth before it for held-out checks, the rest for offline data; each range interleaves the task
 * types, so its first tasks (the 100 a run evaluates on, the 2,000 offline episodes) draw every task type, and the
 * three never share an id. AgentGym's own 2,120-train / 200-test item lists live in its dataset, not its code.
 */
export const SCIWORLD_RANGES: SessionRanges = (() => {
  const split = SCIWORLD_TASK_BLOCKS.map(({ start, end }) => {
    const tenth = Math.max(1, Math.ceil((end - start) / 10));
    return { offline: { start, end: end - 2 * tenth }, heldOut: { start: end - 2 * tenth, end: end - tenth }, evaluation: { start: end - tenth, end } };
  });
  const interleave = (use: keyof SessionRanges): InterleavedRange => ({ interleave: split.map((s) => s[use]) });
  return { offline: interleave('offline'), heldOut: interleave('heldOut'), evaluation: interleave('evaluation') };
})();
