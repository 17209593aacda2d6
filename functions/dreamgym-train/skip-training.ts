import { skipTraining } from '../../core/dreamgym/train/steps/train-policy.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction('dreamgym-train-skip', IterationRefSchema, (ref, runtime) =>
  skipTraining(ref, trainDeps(runtime)));
export const handler = fn.handler;
