import type { LedgerTotals } from '../../../llm/usage.ts';

/** What an LLM experience model has done since it was made. */
export interface ExperienceModelStats {
  /** step() calls that returned a step (invalid actions included, schema failures not). */
  steps: number;
  /** Steps whose answer the model judged an invalid action (valid=false). */
  invalidActions: number;
  /** Calls (steps or initial states) whose answer still failed the schema after the repair retry; thrown. */
  invalidBySchema: number;
  /** Calls that threw because the endpoint stayed down or refused the request (steps and initial states). */
  llmFailures: number;
  /** Initial states the model was asked for (the rest were known). */
  initialStatesAsked: number;
  /** The chat model's ledger since this experience model was made (shared with other users of that chat model). */
  usage: LedgerTotals;
}

/** `after - before` for every ledger field. */
export function ledgerDelta(after: LedgerTotals, before: LedgerTotals): LedgerTotals {
  const delta = { ...after };
  for (const key of Object.keys(delta) as (keyof LedgerTotals)[]) delta[key] = after[key] - before[key];
  return delta;
}
