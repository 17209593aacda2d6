import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { formatIssue } from '../../store/json.ts';
import { HashedTextEmbedder } from '../embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../experience/builtin/builtin-experience-model.ts';
import { LlmExperienceModel } from '../experience/llm/llm-experience-model.ts';
import { readReplayBufferInfo } from '../replay/buffer-info.ts';
import { ReplayBuffer } from '../replay/replay-buffer.ts';
import { seedReplayBuffer } from '../replay/seed.ts';
import { offlineDatasetExists } from '../offline/dataset-store.ts';
import { defaultOfflineDatasetId } from '../setup/default-offline.ts';
import type { TrainDeps } from './deps.ts';
import { BuiltinOptionsSchema, LlmOptionsSchema } from './experience-options.ts';
import { registerExperienceModel } from './experience-models.ts';
import type { ExperienceBinding } from './experience-models.ts';
import { environmentDataKey, environmentKind } from '../../env/environment-kinds.ts';

/**
 * Registers the two experience models Reverie ships under the kinds `builtin` (learned from a replay buffer, no
 * network) and `llm` (the paper's, on the `experience` chat endpoint, retrieval from an optional buffer). Safe to
 * call more than once.
 *
 * @example
 * registerDefaultExperienceModels();
 * await runDreamGym({ experienceModel: { kind: 'builtin', options: { offlineDataset: 'shop-e1000-r1000-s1' } } }, deps);
 */
export function registerDefaultExperienceModels(): void {
  registerExperienceModel('builtin', async ({ deps, options, envSpec, shopSeed }) => {
    const parsed = parseOptions('builtin', BuiltinOptionsSchema, options);
    const bufferId = parsed.buffer ?? defaultBufferId(envSpec, shopSeed);
    const buffer = await openBuffer(deps, bufferId);
    if (parsed.offlineDataset) await seedReplayBuffer(buffer, parsed.offlineDataset);
    if (buffer.size === 0 && !parsed.offlineDataset) {
      // Nothing to learn from yet: the environment's default offline data, which the run's set-up generated (a real
      // access); the model itself never generates data, so it can open during a synthetic iteration.
      const id = defaultOfflineDatasetId(envSpec, shopSeed ?? 1);
      if (await offlineDatasetExists(deps.store, id)) await seedReplayBuffer(buffer, id);
    }
    if (buffer.size === 0) {
      throw new NotFoundError(`replay buffer "${bufferId}" is empty: seed it with offline data ` +
        '(experienceModel.options.offlineDataset, or `reverie dreamgym offline`)');
    }
    const model = new BuiltinExperienceModel({ buffer, kind: environmentKind(envSpec), k: parsed.k, learnFrom: parsed.learnFrom });
    return withBuffer(model, buffer);
  });
  registerExperienceModel('llm', async ({ deps, envSpec, options, shopSeed }) => {
    const parsed = parseOptions('llm', LlmOptionsSchema, options);
    const chat = deps.chat('experience');
    if (!chat) throw new InvalidInputError('experience model "llm" needs REVERIE_EXPERIENCE_BASE_URL and REVERIE_EXPERIENCE_MODEL');
    const bufferId = parsed.buffer ?? (parsed.offlineDataset ? defaultBufferId(envSpec, shopSeed) : undefined);
    const buffer = bufferId ? await openBuffer(deps, bufferId) : undefined;
    if (buffer && parsed.offlineDataset) await seedReplayBuffer(buffer, parsed.offlineDataset);
    const model = new LlmExperienceModel({ chat, env: envSpec, retriever: buffer, k: parsed.k });
    return buffer ? withBuffer(model, buffer) : { model };
  });
}

/** The buffer a run's experience model uses when its options name none: one per environment (server) and shop catalog. */
function defaultBufferId(envSpec: string, shopSeed: number | undefined): string {
  return `${environmentDataKey(envSpec)}-s${shopSeed ?? 1}`;
}

function withBuffer(model: ExperienceBinding['model'], buffer: ReplayBuffer): ExperienceBinding {
  return {
    model,
    offlineInteractions: () => buffer.transitions().filter((t) => t.source === 'offline').length,
    knowledge: () => buffer.transitions(),
    appendTransitions: async (shardId, transitions) => ({ appended: (await buffer.append(shardId, transitions)).appended }),
  };
}

/** The buffer with the embedder that built it: the hashed one at its dimension, else the configured one. */
async function openBuffer(deps: TrainDeps, id: string): Promise<ReplayBuffer> {
  const info = await readReplayBufferInfo(deps.store, id);
  const hashed = new HashedTextEmbedder(info ? { dimension: info.embedder.dimension } : {});
  const configured = deps.embedder?.();
  const embedder = info && info.embedder.name === hashed.name ? hashed : configured ?? hashed;
  return ReplayBuffer.open({ store: deps.store, id, embedder });
}

function parseOptions<T>(kind: string, schema: z.ZodType<T>, options: unknown): T {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(`experienceModel.options for "${kind}": ${parsed.error.issues.slice(0, 3).map(formatIssue).join('; ')}`);
}
