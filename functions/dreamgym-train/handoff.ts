import { TrainerRequestSchema } from '../../core/dreamgym/train/steps/trainer-messages.ts';
import { handOffToTrainer } from '../../core/dreamgym/train/steps/trainer-handoff.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

/** The local hand-off: queue message out, reply object in the store (the AWS path uses a task token instead). */
export const fn = defineFunction(
  'dreamgym-train-handoff',
  IterationRefSchema.extend({ request: TrainerRequestSchema }),
  (input, runtime) => handOffToTrainer(input, trainDeps(runtime)),
);
export const handler = fn.handler;
