import type { ExecutionRecord } from '../../core/workflow/execution.ts';
import type { CliContext } from '../context.ts';
import { createProgress } from '../progress.ts';

/**
 * Runs one workflow on the configured engine and waits for it, drawing Map progress on stderr. Feature commands
 * (`early run`, `backfill run`, `dreamgym run`) are this plus their own input and output.
 */
export async function runWorkflowWithProgress(
  context: CliContext,
  workflow: string,
  input: unknown,
  options: { title: string; quiet: boolean },
): Promise<ExecutionRecord> {
  const engine = await context.runtime().engine();
  const progress = createProgress(options.title, { quiet: options.quiet });
  const started = await engine.start(workflow, input, {
    callerReportsFailure: true,
    onProgress: (p) => progress.update(p.mapIterationsSucceeded + p.mapIterationsFailed, p.mapIterationsStarted || undefined, p.currentState),
  });
  if (!options.quiet) process.stderr.write(`execution ${started.id}\n`);
  const final = await engine.wait(started.id);
  progress.done();
  if (final.status !== 'SUCCEEDED' && final.error) {
    process.stderr.write(`reverie: ${workflow} ${final.status.toLowerCase()}: ${final.error.error}: ${final.error.cause}\n`);
  }
  return final;
}
