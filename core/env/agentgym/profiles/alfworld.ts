import { alfworldFeatures } from './alfworld-features.ts';
import type { AgentGymProfile } from './profile.ts';

/**
 * AgentGym's ALFWorld server: `id`, `/reset` with `{ game, world_type: "Text" }`, admissible commands in every
 * `/reset` and `/step` answer (`available_actions`), errors answered as `{ error }` with status 200, and the goal in
 * the first observation's `Your task is to: …` line. Games 0–2,419 are AgentGym's training mappings, 2,420–2,619
 * its test mappings. The built-in policy reads commands with the ALFWorld features (goal object and receptacle
 * matched in each command).
 */
export const alfworldProfile: AgentGymProfile = {
  name: 'alfworld',
  idField: 'id',
  resetBody: { game: '{session}', world_type: 'Text' },
  actions: 'answers',
  templates: [],
  rewardField: 'reward',
  instructionFrom: (observation) => /your task is to:\s*(.+)/i.exec(observation)?.[1]?.trim(),
  features: alfworldFeatures,
  ranges: {
    offline: { start: 0, end: 2000 },
    heldOut: { start: 2000, end: 2420 },
    evaluation: { start: 2420, end: 2620 },
  },
};
