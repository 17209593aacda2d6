import { TrainerReplySchema } from '../../core/dreamgym/train/steps/trainer-messages.ts';
import { recordTrainerReply } from '../../core/dreamgym/train/steps/trainer-handoff.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction(
  'dreamgym-train-record-reply',
  IterationRefSchema.extend({ reply: TrainerReplySchema }),
  (input, runtime) => recordTrainerReply(input, trainDeps(runtime)),
);
export const handler = fn.handler;
