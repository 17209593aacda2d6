import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ImportRequestSchema, importExperts } from '../../../core/dreamgym/offline/import-experts.ts';
import { UsageError, type CliContext } from '../../context.ts';
import { ENV_OPTIONS, ENV_USAGE, envSpecFrom } from '../../env-options.ts';

export const IMPORT_USAGE =
  `reverie dreamgym import --env shop|<url> ${ENV_USAGE} --file PATH --format agentgym|reverie [--dataset ID] [--json]`;

export async function importCommand(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string' }, ...ENV_OPTIONS, file: { type: 'string' }, format: { type: 'string' }, dataset: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.env || !values.file || !values.format) throw new UsageError(`--env, --file and --format are required; usage:\n${IMPORT_USAGE}`);
  let text: string;
  try {
    text = await fs.readFile(values.file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --file ${values.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const request = ImportRequestSchema.parse({ env: envSpecFrom(values), format: values.format, text, dataset: values.dataset });
  const result = await importExperts(context.runtime().store, request);
  if (values.json) {
    context.out(JSON.stringify({ dataset: result.dataset.id, read: result.read, imported: result.imported, diverged: result.diverged }, null, 2));
    return 0;
  }
  context.out(`dataset ${result.dataset.id}: ${result.imported} of ${result.read} expert trajectories replayed and imported`);
  for (const d of result.diverged) context.out(`  diverged: ${d.id} at step ${d.step}: ${d.reason}`);
  return 0;
}
