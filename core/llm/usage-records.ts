import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getJson, putJson } from '../store/json.ts';
import { joinKey } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { addLlmUsage, hasLlmWork, LlmMeter, LlmUsageSchema, withLlmMeter, type LlmUsage } from './accounting.ts';

const UsageRecordSchema = z.object({ llm: LlmUsageSchema, failed: z.boolean() });

/**
 * Runs one unit of work (a workflow step, a chunk, a Lambda attempt) with its own LLM meter and stores what it
 * measured under `prefix`, one object per attempt, failed attempts included: a group whose endpoint stayed down
 * still spent its calls and retries, and the retry that later succeeds is another attempt. Summing the prefix
 * (`readLlmUsage`) gives what a run or an iteration spent, from any process, and never a share of another run's.
 * Attempts that made no call store nothing.
 *
 * @example
 * const group = await recordLlmUsage(store, 'dreamgym/runs/r1/llm/000003/rollout-000007', () => runRolloutGroup(…));
 */
export async function recordLlmUsage<T>(store: Store, prefix: string, task: () => Promise<T>): Promise<T> {
  const meter = new LlmMeter();
  let failed = true;
  try {
    const value = await withLlmMeter(meter, task);
    failed = false;
    return value;
  } finally {
    const llm = meter.usage();
    if (hasLlmWork(llm)) {
      // A store error here must not hide the task's own error; the task's success still reports it.
      const write = putJson(store, joinKey(prefix, `${randomUUID()}.json`), { llm, failed });
      if (failed) await write.catch(() => undefined);
      else await write;
    }
  }
}

/** The summed usage of every attempt stored under `prefix` (empty when none made a call). */
export async function readLlmUsage(store: Store, prefix: string): Promise<LlmUsage> {
  const usages: LlmUsage[] = [];
  for await (const object of store.list(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
    if (!object.key.endsWith('.json')) continue;
    usages.push((await getJson(store, object.key, UsageRecordSchema)).llm);
  }
  return addLlmUsage(...usages);
}
