import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getJson, putJson } from '../store/json.ts';
import { joinKey } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { addLlmUsage, hasLlmWork, LlmMeter, LlmUsageSchema, withLlmMeter, type LlmUsage } from './accounting.ts';

const UsageRecordSchema = z.object({
  llm: LlmUsageSchema,
  /** True until the attempt succeeds: an attempt that threw, or was killed before it ended, stays failed. */
  failed: z.boolean(),
  /** False while the attempt runs; an attempt killed by its timeout (a Lambda's, say) is left unfinished. */
  finished: z.boolean().default(true),
});

/**
 * Runs one unit of work (a workflow step, a chunk, a Lambda attempt) with its own LLM meter and stores what it
 * measured under `prefix`, one object per attempt, failed attempts included: a group whose endpoint stayed down
 * still spent its calls and retries, and the retry that later succeeds is another attempt. The object is rewritten
 * after every call as the counts grow (one write in flight at a time), so an attempt killed by its timeout, which
 * runs no `finally`, leaves its calls in the store but for those whose write it did not live to make. Summing the
 * prefix (`readLlmUsage`) gives what a run or an iteration spent, from any process, and never a share of another
 * run's. Attempts that made no call store nothing.
 *
 * @example
 * const group = await recordLlmUsage(store, 'dreamgym/runs/r1/llm/000003/rollout-000007', () => runRolloutGroup(…));
 */
export async function recordLlmUsage<T>(store: Store, prefix: string, task: () => Promise<T>): Promise<T> {
  const key = joinKey(prefix, `${randomUUID()}.json`);
  const status = { failed: true, finished: false };
  let inFlight: Promise<void> | undefined;
  let stale = false;
  // One write at a time, always of the latest counts: a call that lands during a write is stored by the next one.
  const writeLatest = (): Promise<void> => {
    stale = false;
    const write = putJson(store, key, { llm: meter.usage(), ...status });
    inFlight = write.then(() => undefined, () => undefined).then(() => {
      inFlight = undefined;
      if (stale) void writeLatest();
    });
    return write;
  };
  // Progress writes are best-effort: a store hiccup must not fail the work; the final write reports its own errors.
  const meter = new LlmMeter(() => {
    if (inFlight) stale = true;
    else writeLatest().catch(() => undefined);
  });
  try {
    const value = await withLlmMeter(meter, task);
    status.failed = false;
    return value;
  } finally {
    // Calls that land after this (work the task left running) are still stored, with this attempt's final status
    status.finished = true;
    while (inFlight) await inFlight;
    if (hasLlmWork(meter.usage())) {
      // A store error here must not hide the task's own error; the task's success still reports it.
      const last = writeLatest();
      if (status.failed) await last.catch(() => undefined);
      else await last;
    }
  }
}

/** The summed usage of every attempt stored under `prefix`, unfinished ones included (empty when none made a call). */
export async function readLlmUsage(store: Store, prefix: string): Promise<LlmUsage> {
  const usages: LlmUsage[] = [];
  for await (const object of store.list(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
    if (!object.key.endsWith('.json')) continue;
    usages.push((await getJson(store, object.key, UsageRecordSchema)).llm);
  }
  return addLlmUsage(...usages);
}
