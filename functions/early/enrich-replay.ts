import { z } from 'zod';
import { enrichReplayBuffer, openReplayBufferFor } from '../../core/early/replay-enrichment.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'early-enrich-replay',
  z.object({ runId: z.string().min(1), replayBuffer: z.string().min(1) }),
  async ({ runId, replayBuffer }, runtime) =>
    enrichReplayBuffer(runtime.store, runId, await openReplayBufferFor(runtime.store, replayBuffer, runtime.embedder())),
);
export const handler = fn.handler;
