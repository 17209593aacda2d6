import { z } from 'zod';
import { runRolloutGroupStep } from '../../core/dreamgym/train/steps/rollout-group.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction(
  'dreamgym-train-rollout-group',
  IterationRefSchema.extend({ groupIndex: z.number().int().nonnegative() }),
  (ref, runtime) => runRolloutGroupStep(ref, trainDeps(runtime)),
);
export const handler = fn.handler;
