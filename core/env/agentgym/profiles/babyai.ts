import type { AgentGymProfile } from './profile.ts';

/**
 * AgentGym's BabyAI server: `id`, `/reset` with `data_idx`, the reward in `score`, the goal in the first
 * observation's `Your goal: …` line, no list of admissible actions. The id ranges are conservative guesses.
 */
export const babyaiProfile: AgentGymProfile = {
  name: 'babyai',
  idField: 'id',
  resetBody: { data_idx: '{session}' },
  actions: 'none',
  templates: [],
  rewardField: 'score',
  instructionFrom: (observation) => /your goal:\s*([^\n]+)/i.exec(observation)?.[1]?.trim(),
  ranges: {
    offline: { start: 0, end: 400 },
    heldOut: { start: 400, end: 450 },
    evaluation: { start: 450, end: 500 },
  },
};
