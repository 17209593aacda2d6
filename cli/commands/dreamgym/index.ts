import { commandGroup } from '../../context.ts';
import { consistency, CONSISTENCY_USAGE } from './consistency.ts';
import { importCommand, IMPORT_USAGE } from './import.ts';
import { offline, OFFLINE_USAGE } from './offline.ts';
import { run, RUN_USAGE } from './run.ts';
import { trainer, TRAINER_USAGE } from './trainer.ts';

export const dreamgymCommand = commandGroup('dreamgym', 'DreamGym: offline data, expert imports, experience models, consistency, training runs', {
  offline: { usage: OFFLINE_USAGE, run: offline },
  import: { usage: IMPORT_USAGE, run: importCommand },
  consistency: { usage: CONSISTENCY_USAGE, run: consistency },
  run: { usage: RUN_USAGE, run },
  trainer: { usage: TRAINER_USAGE, run: trainer },
});
