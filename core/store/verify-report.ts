import { putJson } from './json.ts';
import { joinKey } from './keys.ts';
import type { Store } from './store.ts';
import type { VerificationTotals } from './tally.ts';

export interface VerificationReport extends VerificationTotals {
  prefix: string;
  /** Where the report is kept in the store. */
  report: string;
  /** One line for people: the counts, and the first problems when something is corrupt. */
  message: string;
}

/** Where `store-verify` keeps the report of one execution. */
export const verificationReportKey = (executionName: string) => joinKey('reports/store-verify', `${executionName}.json`);

/**
 * The end of a store verification: the totals with a readable message, kept in the store under the execution's name
 * so a failed run (corruption found) still leaves its full summary, good batches counted, next to the failure.
 */
export async function reportVerification(
  store: Store,
  input: { prefix: string; totals: VerificationTotals; executionName: string },
): Promise<VerificationReport> {
  const { prefix, totals, executionName } = input;
  const where = prefix ? ` under "${prefix}"` : '';
  const counts = `${totals.batches} batches${where}: ${totals.ok} ok, ${totals.corrupt} corrupt, ${totals.bytes} bytes read`;
  const message = totals.corrupt === 0 ? counts : `${counts}; problems: ${totals.problems.slice(0, 5).join(' | ')}`;
  const report: VerificationReport = { prefix, ...totals, report: verificationReportKey(executionName), message };
  await putJson(store, report.report, report);
  return report;
}
