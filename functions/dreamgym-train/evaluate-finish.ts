import { finishEvaluationStep } from '../../core/dreamgym/train/steps/evaluate.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction('dreamgym-train-evaluate-finish', IterationRefSchema, (ref, runtime) =>
  finishEvaluationStep(ref, trainDeps(runtime)));
export const handler = fn.handler;
