import { z } from 'zod';
import type { BatchVerification } from './verify.ts';

export const VerificationTotalsSchema = z.object({
  batches: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  corrupt: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** The first problems found, bounded so the state payload stays far under Step Functions' 256 KB. */
  problems: z.array(z.string()),
});
export type VerificationTotals = z.infer<typeof VerificationTotalsSchema>;

const MAX_PROBLEMS = 50;

/** Folds one page of batch verifications into the running totals of a store verification. */
export function tallyVerifications(totals: VerificationTotals, results: readonly BatchVerification[]): VerificationTotals {
  const next = { ...totals, problems: [...totals.problems] };
  for (const result of results) {
    next.batches++;
    next.bytes += result.bytes;
    if (result.ok) next.ok++;
    else next.corrupt++;
    for (const problem of result.problems) if (next.problems.length < MAX_PROBLEMS) next.problems.push(problem);
  }
  return next;
}
