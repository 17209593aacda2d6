import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * What one role's client did within a scope (a run, an iteration's step, a command), as the client layer saw it:
 * `calls` requests (a schema repair is another call), `retries` extra HTTP attempts after a 429, 5xx, timeout or
 * dropped connection (those of a call that failed in the end included), `schemaFailures` structured answers that
 * still did not fit after the repair retries, `failures` calls that failed (the endpoint stayed down, refused the
 * request or sent no content), and the tokens the server reported.
 */
export const LlmRoleUsageSchema = z.object({
  calls: count,
  retries: count,
  schemaFailures: count,
  failures: count,
  promptTokens: count,
  completionTokens: count,
});
export type LlmRoleUsage = z.infer<typeof LlmRoleUsageSchema>;

/** Usage per role (`policy`, `experience`, `teacher`, `embeddings`); a role that made no call is absent. */
export const LlmUsageSchema = z.record(z.string(), LlmRoleUsageSchema);
export type LlmUsage = z.infer<typeof LlmUsageSchema>;

const FIELDS = ['calls', 'retries', 'schemaFailures', 'failures', 'promptTokens', 'completionTokens'] as const;

export function emptyRoleUsage(): LlmRoleUsage {
  return { calls: 0, retries: 0, schemaFailures: 0, failures: 0, promptTokens: 0, completionTokens: 0 };
}

/**
 * The sum of usages, role by role, with roles in name order.
 *
 * @example
 * addLlmUsage({ policy: { calls: 2, … } }, { policy: { calls: 1, … }, experience: { calls: 4, … } }); // policy 3, experience 4
 */
export function addLlmUsage(...usages: readonly LlmUsage[]): LlmUsage {
  const total: LlmUsage = {};
  for (const usage of usages) {
    for (const [role, counts] of Object.entries(usage)) {
      const sum = (total[role] ??= emptyRoleUsage());
      for (const field of FIELDS) sum[field] += counts[field];
    }
  }
  return Object.fromEntries(Object.entries(total).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Counters of one scope, filled by the client layer (`recordLlm`) for every call made inside it; `onAdd` hears of
 * each change (to store the counts as they grow).
 */
export class LlmMeter {
  private readonly roles = new Map<string, LlmRoleUsage>();
  private readonly onAdd?: () => void;

  constructor(onAdd?: () => void) {
    this.onAdd = onAdd;
  }

  add(role: string, delta: Partial<LlmRoleUsage>): void {
    let counts = this.roles.get(role);
    if (!counts) this.roles.set(role, (counts = emptyRoleUsage()));
    for (const field of FIELDS) counts[field] += delta[field] ?? 0;
    this.onAdd?.();
  }

  usage(): LlmUsage {
    return addLlmUsage(Object.fromEntries([...this.roles].map(([role, counts]) => [role, { ...counts }])));
  }
}

// The meters of the scopes the current async call chain runs in, innermost last. Async context, not a global
// counter: two runs (or two steps) in one process each see only their own calls.
const scopes = new AsyncLocalStorage<readonly LlmMeter[]>();

/**
 * Runs `task` with `meter` counting every LLM call made inside it (and inside anything it awaits), in addition to
 * the meters of enclosing scopes. Concurrent scopes do not see each other's calls.
 *
 * @example
 * const meter = new LlmMeter();
 * await withLlmMeter(meter, () => runConsistency(store, request, deps));
 * meter.usage(); // { experience: { calls: 512, retries: 3, schemaFailures: 0, failures: 0, promptTokens: …, … } }
 */
export function withLlmMeter<T>(meter: LlmMeter, task: () => Promise<T>): Promise<T> {
  return scopes.run([...(scopes.getStore() ?? []), meter], task);
}

/** Counts LLM work of `role` in every meter of the current scope; the client layer calls it. */
export function recordLlm(role: string, delta: Partial<LlmRoleUsage>): void {
  for (const meter of scopes.getStore() ?? []) meter.add(role, delta);
}

/** Whether any role made a call or a retry (an empty usage need not be stored). */
export function hasLlmWork(usage: LlmUsage): boolean {
  return Object.values(usage).some((u) => u.calls > 0 || u.retries > 0);
}
