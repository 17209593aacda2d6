import { sampleIteration } from '../../core/dreamgym/train/steps/sample.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction('dreamgym-train-sample', IterationRefSchema, (ref, runtime) =>
  sampleIteration(ref, trainDeps(runtime)));
export const handler = fn.handler;
