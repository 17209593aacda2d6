import { aggregateIteration } from '../../core/dreamgym/train/steps/aggregate.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction(
  'dreamgym-train-aggregate',
  IterationRefSchema,
  (input, runtime) => aggregateIteration(input, trainDeps(runtime)),
);
export const handler = fn.handler;
