import { appendToReplay } from '../../core/dreamgym/train/steps/replay.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction('dreamgym-train-replay', IterationRefSchema, (ref, runtime) =>
  appendToReplay(ref, trainDeps(runtime)));
export const handler = fn.handler;
