import { updateCurriculumStep } from '../../core/dreamgym/train/steps/curriculum.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction('dreamgym-train-curriculum', IterationRefSchema, async (ref, runtime) => {
  const state = await updateCurriculumStep(ref, trainDeps(runtime));
  // The pool itself stays in the store: the state payload carries counts only.
  return { iteration: state.iteration, generator: state.generator, seeds: state.seeds.length, added: state.added.length, pool: state.pool.length, skipped: state.skipped ?? null };
});
export const handler = fn.handler;
