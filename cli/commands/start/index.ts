import { addLlmUsage } from '../../../core/llm/accounting.ts';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { saveReport } from '../../../core/report/report-store.ts';
import { RunReportSchema, type RunReport } from '../../../core/report/report-model.ts';
import { UsageError, type CliContext, type Command } from '../../context.ts';
import { createProgress } from '../../progress.ts';
import { backfillPart } from './backfill-part.ts';
import { dreamgymPart } from './dreamgym-part.ts';
import { earlyPart } from './early-part.ts';
import { runMetadata } from './metadata.ts';
import type { Part, PartResult } from './part.ts';

const PARTS: Part[] = [dreamgymPart, earlyPart, backfillPart];
const USAGE = `reverie start [--only ${PARTS.map((p) => p.name).join('|')}] [--quick] [--json]`;

/**
 * The main job (`npm start`): every pipeline at a small scale on the embedded default — no network, no AWS — then a
 * summary table and a self-contained HTML report in the store.
 */
export const startCommand: Command = {
  name: 'start',
  summary: 'the main job: run every pipeline at a small scale and write a report',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseArgs({ args, options: { only: { type: 'string', multiple: true }, quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
    const selected = values.only ? values.only.flatMap((o) => o.split(',')) : PARTS.map((p) => p.name);
    for (const name of selected) if (!PARTS.some((p) => p.name === name)) throw new UsageError(`--only: unknown part "${name}"; parts: ${PARTS.map((p) => p.name).join(', ')}`);
    const runtime = context.runtime();
    const started = performance.now();
    const results: PartResult[] = [];
    const timings: Record<string, number> = {};
    for (const part of PARTS.filter((p) => selected.includes(p.name))) {
      if (!values.json) process.stderr.write(`\n== ${part.title}\n`);
      const partStarted = performance.now();
      results.push(await part.run({ runtime, cli: context, quiet: values.json, scale: values.quick ? 'quick' : 'full', progress: (title) => createProgress(title, { quiet: values.json }) }));
      timings[part.name] = (performance.now() - partStarted) / 1000;
    }
    const report = assemble(results, timings, (performance.now() - started) / 1000, runtime.config as unknown as Record<string, unknown>);
    const saved = await saveReport(runtime.store, report);
    printSummary(context, report, results, `${runtime.store.uri}/${saved.html}`, values.json);
    return 0;
  },
};

function assemble(results: PartResult[], timings: Record<string, number>, seconds: number, config: Record<string, unknown>): RunReport {
  const id = `run-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase()}`;
  return RunReportSchema.parse({
    id,
    createdAt: new Date().toISOString(),
    durationSeconds: seconds,
    metadata: runMetadata(config, Object.assign({}, ...results.map((r) => r.seeds)), timings),
    ...Object.assign({}, ...results.map((r) => r.report)),
    datasets: results.flatMap((r) => r.datasets),
    notes: results.flatMap((r) => r.notes ?? []),
    llm: addLlmUsage(...results.map((r) => r.llm ?? {})),
  });
}

function printSummary(context: CliContext, report: RunReport, results: PartResult[], reportUri: string, json: boolean): void {
  if (json) {
    context.out(JSON.stringify({ report: reportUri, durationSeconds: report.durationSeconds, summary: Object.fromEntries(results.flatMap((r) => r.summary)) }, null, 2));
    return;
  }
  const rows = results.flatMap((r) => r.summary);
  const width = Math.max(...rows.map(([k]) => k.length));
  context.out(`\nReverie main job finished in ${report.durationSeconds.toFixed(0)} s (${os.cpus().length} cores)\n`);
  for (const [key, value] of rows) context.out(`  ${key.padEnd(width)}  ${value}`);
  context.out(`\nreport: ${reportUri}`);
  context.out('dashboard: npx reverie serve --open, then http://127.0.0.1:8787/dashboard');
}
