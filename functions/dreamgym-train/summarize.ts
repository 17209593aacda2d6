import { z } from 'zod';
import { summarizeRun } from '../../core/dreamgym/train/steps/summarize.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';

export const fn = defineFunction('dreamgym-train-summarize', z.object({ runId: z.string().min(1) }), (input, runtime) =>
  summarizeRun(input, trainDeps(runtime)));
export const handler = fn.handler;
