import type { AgentGymProfile } from './profile.ts';

/**
 * AgentGym's SciWorld server: `id`, `/reset` with `data_idx` (its answer carries `task_description`), the reward in
 * the step answer's `score`, no list of admissible actions. The id ranges are conservative guesses, not read from
 * the server's data: set `ranges` through the env spec when they differ.
 */
export const sciworldProfile: AgentGymProfile = {
  name: 'sciworld',
  idField: 'id',
  resetBody: { data_idx: '{session}' },
  actions: 'none',
  templates: [],
  rewardField: 'score',
  instructionFrom: (observation) => /(?:^|\n)\s*(?:task description:)?\s*(your task is to[^\n]+)/i.exec(observation)?.[1]?.trim(),
  ranges: {
    offline: { start: 0, end: 1000 },
    heldOut: { start: 1000, end: 1200 },
    evaluation: { start: 1200, end: 1400 },
  },
};
