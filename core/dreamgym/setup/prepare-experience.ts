import { z } from 'zod';
import { EnvSpecSchema, IdSchema } from '../../ids.ts';
import { ConfigError } from '../../config/config.ts';
import type { Config } from '../../config/config.ts';
import type { ChatModel } from '../../llm/chat-model.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/store.ts';
import { openTextEmbedder } from '../embed/open-embedder.ts';
import { BuiltinExperienceModel } from '../experience/builtin/index.ts';
import type { ExperienceModel } from '../experience/experience-model.ts';
import { LlmExperienceModel } from '../experience/llm/index.ts';
import { readOfflineDatasetInfo, type OfflineDataset } from '../offline/dataset-store.ts';
import { ReplayBuffer, seedReplayBuffer } from '../replay/index.ts';
import { ensureDefaultOfflineDataset } from './default-offline.ts';
import { embedderLabel, embedderSpec } from './embedder-choice.ts';
import { environmentKind } from '../../env/environment-kinds.ts';

export const ExperienceSetupSchema = z.object({
  env: EnvSpecSchema.default('shop'),
  /** Offline dataset to learn from; the environment's default 2,000-trajectory dataset is generated when absent. */
  dataset: IdSchema.optional(),
  embedder: z.string().default('hashed'),
  model: z.enum(['builtin', 'llm']).default('builtin'),
  k: z.number().int().min(1).max(32).default(5),
  seed: z.number().int().min(0).default(1),
});
export type ExperienceSetup = z.infer<typeof ExperienceSetupSchema>;

export interface PreparedExperience {
  dataset: OfflineDataset;
  buffer: ReplayBuffer;
  model: ExperienceModel;
  malformedRecords: number;
}

/**
 * Everything an experience model needs, made idempotently in the store: the offline dataset (generated when the
 * default one is missing), the replay buffer seeded from it, and the model — the built-in one (learned from the
 * buffer) or the LLM one (the `experience` role, with the buffer as its retriever).
 *
 * @example
 * const { model, buffer } = await prepareExperience(store, ExperienceSetupSchema.parse({ env: 'shop' }), { config, log });
 */
export async function prepareExperience(
  store: Store,
  setup: ExperienceSetup,
  deps: { config: Config; log: Logger; chat?: ChatModel },
): Promise<PreparedExperience> {
  const dataset = await ensureDataset(store, setup, deps.log);
  const spec = embedderSpec(setup.embedder, deps.config);
  const buffer = await ReplayBuffer.open({ store, id: `${dataset.id}-${embedderLabel(spec)}`, embedder: await openTextEmbedder(spec) });
  const seeded = await seedReplayBuffer(buffer, dataset.id, {
    onMalformed: (bad) => deps.log.warn('skipping malformed offline record', { source: bad.source, line: bad.line, id: bad.id, problem: bad.message }),
  });
  if (setup.model === 'builtin') {
    return { dataset, buffer, model: new BuiltinExperienceModel({ buffer, kind: environmentKind(setup.env), k: setup.k }), malformedRecords: seeded.malformed.length };
  }
  if (!deps.chat) throw new ConfigError('--model llm needs REVERIE_EXPERIENCE_BASE_URL and REVERIE_EXPERIENCE_MODEL');
  const model = new LlmExperienceModel({ chat: deps.chat, env: setup.env, retriever: buffer, k: Math.min(setup.k, 8) });
  return { dataset, buffer, model, malformedRecords: seeded.malformed.length };
}

async function ensureDataset(store: Store, setup: ExperienceSetup, log: Logger): Promise<OfflineDataset> {
  if (setup.dataset) return readOfflineDatasetInfo(store, setup.dataset);
  return ensureDefaultOfflineDataset(store, setup.env, setup.seed, log);
}
