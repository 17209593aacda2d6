import type { Runtime } from '../../../adapters/runtime.ts';
import type { LlmUsage } from '../../../core/llm/accounting.ts';
import type { RunReport } from '../../../core/report/report-model.ts';
import type { CliContext } from '../../context.ts';
import type { Progress } from '../../progress.ts';

/** What one part of the main job adds to the report, and the lines of the summary table it prints. */
export interface PartResult {
  report: Partial<Pick<RunReport, 'dreamgym' | 'early' | 'backfill'>>;
  datasets: RunReport['datasets'];
  summary: Array<[string, string]>;
  seeds: Record<string, number>;
  notes?: string[];
  /** The LLM usage the part's workflows measured (absent: the part calls no LLM). */
  llm?: LlmUsage;
}

export interface PartContext {
  runtime: Runtime;
  cli: CliContext;
  quiet: boolean;
  /** `quick`: the smallest run that still exercises every step (smoke tests, the browser test). */
  scale: 'full' | 'quick';
  /** A progress display for one phase of the part. */
  progress(title: string): Progress;
}

/** One pipeline of the main job; each can also run alone (`reverie start --only <name>`). */
export interface Part {
  name: string;
  title: string;
  run(context: PartContext): Promise<PartResult>;
}
