import { babyaiFeatures } from './babyai-features.ts';
import { babyaiStateAgreement, createBabyAIStepComposer } from './babyai-knowledge.ts';
import { parseBabyAIState } from './babyai-state.ts';
import type { AgentGymProfile } from './profile.ts';

/** The list every BabyAI observation ends with: `Available actions: ["turn left", "turn right", …]`. */
export function babyaiActionsIn(observation: string): string[] | undefined {
  const match = /Available actions: (\[[^\n]*\])\s*$/.exec(observation);
  if (!match) return undefined;
  try {
    const list: unknown = JSON.parse(match[1]);
    return Array.isArray(list) && list.every((a) => typeof a === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * AgentGym's BabyAI server (`agentenv-babyai`): `id`, `/reset` with `data_idx` (level `data_idx % 40 + 1` of its 40
 * BabyAI levels, seed `data_idx // 40`, so every id ≥ 0 exists), observations that begin `Your goal: …` on reset
 * and end with `Available actions: [...]` (the admissible actions), and `score` in every answer: the sum of
 * MiniGrid's step rewards, which discount success by the steps taken (the server reports `done` only once that
 * reward is above 0.5). Reverie's reward is 1 when the server says done, else the score; the score itself stays in
 * the step's info. Failures are `{ error }` with status 200. Each range is a whole number of 40-level cycles, so
 * every level appears in each; AgentGym publishes 810 training and 90 evaluation items, whose id lists are in its
 * dataset, not its code. The built-in experience model learns its refusals, listings and completions
 * (`babyai-knowledge.ts`); consistency compares the parts of an answer its text determines (`babyai-answer`); the
 * built-in policy has BabyAI features (`babyai-features.ts`).
 */
export const babyaiProfile: AgentGymProfile = {
  name: 'babyai',
  idField: 'id',
  resetBody: { data_idx: '{session}' },
  actions: 'observation',
  actionsIn: babyaiActionsIn,
  templates: [],
  rewardField: 'score',
  toReward: (score, done) => (done ? 1 : Math.min(1, Math.max(0, score))),
  instructionFrom: (observation) => /your goal:\s*([^\n]+)/i.exec(observation)?.[1]?.trim(),
  ranges: {
    offline: { start: 0, end: 800 },
    heldOut: { start: 800, end: 880 },
    evaluation: { start: 880, end: 960 },
  },
  readOffer(state) {
    const parsed = parseBabyAIState(state);
    return parsed && { actions: parsed.actions, templates: [], terminal: parsed.completed };
  },
  features: babyaiFeatures,
  experienceKnowledge: createBabyAIStepComposer,
  stateAgreement: babyaiStateAgreement,
};
