import { commandGroup } from '../../context.ts';
import { add, ADD_USAGE, remove, DELETE_USAGE } from './changes.ts';
import { evaluate, EVAL_USAGE } from './eval.ts';
import { ingest, INGEST_USAGE } from './ingest.ts';
import { models, MODELS_USAGE } from './models.ts';
import { psi, PSI_USAGE } from './psi.ts';
import { run, RUN_USAGE } from './run.ts';
import { search, SEARCH_USAGE } from './search.ts';
import { status, STATUS_USAGE } from './status.ts';

export const backfillCommand = commandGroup('backfill', 'online backfilling: ingest a gallery, backfill it, search it and add or delete items meanwhile, evaluate', {
  ingest: { usage: INGEST_USAGE, run: ingest },
  run: { usage: RUN_USAGE, run },
  status: { usage: STATUS_USAGE, run: status },
  search: { usage: SEARCH_USAGE, run: search },
  add: { usage: ADD_USAGE, run: add },
  delete: { usage: DELETE_USAGE, run: remove },
  eval: { usage: EVAL_USAGE, run: evaluate },
  models: { usage: MODELS_USAGE, run: models },
  psi: { usage: PSI_USAGE, run: psi },
});
