import { commandGroup } from '../../context.ts';
import { consistency, CONSISTENCY_USAGE } from './consistency.ts';
import { offline, OFFLINE_USAGE } from './offline.ts';
import { run, RUN_USAGE } from './run.ts';
import { trainer, TRAINER_USAGE } from './trainer.ts';

export const dreamgymCommand = commandGroup('dreamgym', 'DreamGym: offline data, experience models, consistency, training runs', {
  offline: { usage: OFFLINE_USAGE, run: offline },
  consistency: { usage: CONSISTENCY_USAGE, run: consistency },
  run: { usage: RUN_USAGE, run },
  trainer: { usage: TRAINER_USAGE, run: trainer },
});
