import { DreamGymTrainInputSchema } from '../../core/dreamgym/train/input.ts';
import { initialiseRun } from '../../core/dreamgym/train/steps/initialise.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';

export const fn = defineFunction('dreamgym-train-initialise', DreamGymTrainInputSchema, (input, runtime) =>
  initialiseRun(input, trainDeps(runtime)));
export const handler = fn.handler;
