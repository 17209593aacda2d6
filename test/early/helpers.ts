import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { writeOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { OpenAIChatModel } from '../../core/llm/openai-chat-model.ts';
import { commitBatch } from '../../core/store/batch.ts';
import { putJson } from '../../core/store/json.ts';
import type { Store } from '../../core/store/store.ts';
import type { OpenAIServer } from '../fixtures/openai-server.ts';

/** Scripted-expert trajectories on the first `count` tasks of a shop catalog (and, with `plan`, other policies). */
export async function shopDemonstrations(
  count: number,
  options: { shopSeed?: number; seed?: number; plan?: { expert?: number; noisy?: number; random?: number } } = {},
): Promise<TrajectoryRecord[]> {
  const shop = createShopEnvironment({ seed: options.shopSeed ?? 0 });
  const records: TrajectoryRecord[] = [];
  const generated = generateOfflineTrajectories({
    env: shop, tasks: await shop.tasks({ count }), policies: shopOfflinePolicies(shop),
    plan: options.plan ?? { expert: count }, seed: options.seed ?? 1,
  });
  for await (const record of generated) records.push(record);
  return records;
}

/** Writes records as an offline dataset, the way `reverie dreamgym offline` does. */
export async function writeDemonstrations(store: Store, id: string, records: readonly TrajectoryRecord[], partSize = 500): Promise<void> {
  await writeOfflineDataset(store, id, (async function* () {
    yield* records;
  })(), { env: records[0]?.env ?? 'shop', plan: { expert: records.length }, seed: 1, partSize });
}

/** An offline dataset of one part whose JSONL holds `lines` as given (malformed ones included). */
export async function writeRawDataset(store: Store, id: string, lines: readonly string[]): Promise<void> {
  const part = 'part-00000';
  await commitBatch(store, `dreamgym/offline/${id}/${part}`, [{ name: 'trajectories.jsonl', body: `${lines.join('\n')}\n` }]);
  await putJson(store, `dreamgym/offline/${id}/dataset.json`, {
    id, env: 'shop', parts: [part], trajectories: lines.length, transitions: 0, successRate: 1, plan: {}, seed: 1,
    createdAt: new Date().toISOString(),
  });
}

/** A chat model of `role` on the OpenAI-compatible fixture. */
export function fixtureModel(server: OpenAIServer, role: string, model = `${role}-model`): OpenAIChatModel {
  return new OpenAIChatModel({
    role, baseUrl: server.url, apiKey: 'test', model, concurrency: 8, timeoutMs: 5_000, maxRetries: 1, repairRetries: 0,
    retryBaseDelayMs: 1,
  });
}
