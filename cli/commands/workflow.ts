import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../../core/errors.ts';
import type { ExecutionRecord } from '../../core/workflow/execution.ts';
import { createProgress } from '../progress.ts';
import { UsageError, type CliContext, type Command } from '../context.ts';

const USAGE = `reverie workflow run <name> [--input file.json] [--id ID] [--json]
reverie workflow status <id> [--json]
reverie workflow list [--json]`;

export const workflowCommand: Command = {
  name: 'workflow',
  summary: 'run a workflow, read an execution, list workflows and executions',
  usage: USAGE,
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'run') return run(rest, context);
    if (sub === 'status') return status(rest, context);
    if (sub === 'list') return list(rest, context);
    throw new UsageError(`unknown workflow subcommand "${sub ?? ''}"; usage:\n${USAGE}`);
  },
};

async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { input: { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [name] = positionals;
  if (!name || positionals.length > 1) throw new UsageError(`usage: reverie workflow run <name> [--input file.json] [--json]`);
  const input = values.input ? await readInputFile(values.input) : {};
  const engine = await context.runtime().engine();
  const progress = createProgress(name, { quiet: values.json });
  const started = await engine.start(name, input, {
    executionId: values.id,
    onProgress: (p) => progress.update(p.mapIterationsSucceeded + p.mapIterationsFailed, p.mapIterationsStarted || undefined, p.currentState),
  });
  if (!values.json) process.stderr.write(`started ${started.id}\n`);
  const final = await engine.wait(started.id);
  progress.done();
  print(final, values.json, context);
  return final.status === 'SUCCEEDED' ? 0 : 1;
}

async function status(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new UsageError('usage: reverie workflow status <id> [--json]');
  const record = await (await context.runtime().engine()).describe(positionals[0]);
  print(record, values.json, context);
  return 0;
}

async function list(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const engine = await context.runtime().engine();
  const workflows = await engine.workflows();
  const executions = await engine.list();
  if (values.json) {
    context.out(JSON.stringify({ workflows, executions }, null, 2));
    return 0;
  }
  context.out('workflows:');
  for (const w of workflows) context.out(`  ${w.name.padEnd(22)} ${w.description}`);
  context.out(executions.length > 0 ? 'recent executions:' : 'no executions yet');
  for (const id of executions.slice(0, 20)) context.out(`  ${id}`);
  return 0;
}

function print(record: ExecutionRecord, json: boolean, context: CliContext): void {
  if (json) return context.out(JSON.stringify(record, null, 2));
  context.out(`${record.id}  ${record.status}  (${record.workflow}, started ${record.startedAt}${record.stoppedAt ? `, stopped ${record.stoppedAt}` : ''})`);
  if (record.progress) {
    const p = record.progress;
    context.out(`  states entered ${p.statesEntered}, tasks ${p.tasksSucceeded} ok / ${p.tasksFailed} failed, retries ${p.retries}, map items ${p.mapIterationsSucceeded}/${p.mapIterationsStarted}`);
  }
  if (record.error) context.out(`  error: ${record.error.error}: ${record.error.cause}`);
  if (record.output !== undefined) context.out(`  output: ${JSON.stringify(record.output)}`);
}

async function readInputFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`--input: cannot read "${file}": ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`--input: "${file}" is not valid JSON: ${(error as Error).message}`);
  }
}
