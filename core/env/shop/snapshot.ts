import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { ShopTaskSchema } from './goal.ts';
import { ShopPage } from './view.ts';

/** The whole state of a `shop` episode; everything else (results, views) is recomputed from it. */
export const ShopEpisodeStateSchema = z.object({
  page: z.enum(ShopPage),
  query: z.string(),
  /** 1-based results page. */
  pageIndex: z.number().int().min(1),
  /** The product on the item page, or the one bought; '' otherwise. */
  itemId: z.string(),
  selected: z.record(z.string(), z.string()),
  steps: z.number().int().min(0),
  done: z.boolean(),
  reward: z.number(),
});
export type ShopEpisodeState = z.infer<typeof ShopEpisodeStateSchema>;

/** A `shop` snapshot: the catalog it belongs to, the task and the episode state, all plain JSON. */
export const ShopSnapshotSchema = z.object({
  env: z.literal('shop'),
  catalog: z.object({ seed: z.number(), size: z.number().int() }),
  task: ShopTaskSchema,
  state: ShopEpisodeStateSchema,
});
export type ShopSnapshot = z.infer<typeof ShopSnapshotSchema>;

export function parseShopSnapshot(input: unknown): ShopSnapshot {
  const parsed = ShopSnapshotSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(`shop snapshot is malformed at "${issue.path.join('.')}": ${issue.message}`);
}
