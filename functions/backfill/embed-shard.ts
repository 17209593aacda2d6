import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { EmbedShardInputSchema } from '../../core/backfill/pipeline/input.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('backfill-embed-shard', EmbedShardInputSchema, async (input, runtime) => {
  const result = await embedShard(runtime.store, input, {
    openStore: runtime.sourceStore, maxPixels: runtime.config.limits.maxImagePixels, maxBytes: runtime.config.limits.maxImageBytes,
    decodeWorkers: runtime.config.limits.decodeWorkers,
  });
  runtime.log.debug(result.reused ? 'shard already backfilled' : 'shard backfilled', { gallery: input.gallery, ...result });
  return result;
});
export const handler = fn.handler;
