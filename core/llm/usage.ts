export interface CallUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencyMs: number;
  /** HTTP attempts, retries included. */
  attempts: number;
}

export interface LedgerTotals {
  calls: number;
  failedCalls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  retries: number;
  repairs: number;
  schemaFailures: number;
  latencyMs: number;
}

/**
 * Token accounting for one model client: every call adds its usage, so a run can report what it spent per role.
 */
export class TokenLedger {
  private readonly totals: LedgerTotals = {
    calls: 0, failedCalls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, retries: 0, repairs: 0, schemaFailures: 0, latencyMs: 0,
  };

  record(usage: CallUsage): void {
    this.totals.calls++;
    this.totals.promptTokens += usage.promptTokens;
    this.totals.completionTokens += usage.completionTokens;
    this.totals.totalTokens += usage.totalTokens;
    this.totals.latencyMs += usage.latencyMs;
  }

  /** One more HTTP attempt after a transient failure, whether the call then succeeded or not. */
  recordRetry(): void {
    this.totals.retries++;
  }

  recordFailure(): void {
    this.totals.failedCalls++;
  }

  recordRepair(): void {
    this.totals.repairs++;
  }

  recordSchemaFailure(): void {
    this.totals.schemaFailures++;
  }

  snapshot(): LedgerTotals {
    return { ...this.totals };
  }
}
