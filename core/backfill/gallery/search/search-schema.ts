import { z } from 'zod';
import { SEARCH_MODES, SearchMode } from '../../search/search-mode.ts';

/**
 * A search during the backfill. The query is a stored item (`itemId`: a gallery item `g-…`, a held-out query `q-…`,
 * or the id the image had in its source, such as `fashion-mnist/7/1234`) or an uploaded image (`image`: PNG or JPEG
 * bytes, base64-encoded; a `data:image/…;base64,` prefix is accepted). Exactly one of the two.
 */
export const SearchRequestSchema = z
  .object({
    itemId: z.string().min(1).max(512).optional().describe('a stored item: g-… (gallery), q-… (held-out query) or a source id'),
    image: z.string().min(1).max(16_000_000).optional().describe('a PNG or JPEG image, base64-encoded'),
    mode: z.enum(SEARCH_MODES as [SearchMode, ...SearchMode[]]).default(SearchMode.rtMerge).describe('old, naive, rank-merge or rt-merge'),
    k: z.number().int().min(1).max(1000).default(10).describe('hits to return (exact top-k)'),
  })
  .refine((r) => (r.itemId === undefined) !== (r.image === undefined), { message: 'give exactly one of itemId or image', path: ['itemId'] });
export type SearchRequest = z.input<typeof SearchRequestSchema>;

export const SearchHitSchema = z.object({
  id: z.string().describe('item id, for GET /v1/galleries/{id}/items/{itemId}.png'),
  sourceId: z.string(),
  label: z.number().int().nullable(),
  className: z.string().nullable(),
  /** Which embedding space scored the item: `old` (not yet backfilled, or mode old) or `new`. */
  space: z.enum(['old', 'new']),
  /** Inner product of unit vectors (cosine similarity), after calibration; higher is closer. */
  score: z.number(),
  /** 1 − score: cosine distance, lower is closer. */
  distance: z.number(),
});
export type SearchHitRecord = z.infer<typeof SearchHitSchema>;

export const SearchResponseSchema = z.object({
  gallery: z.string(),
  mode: z.enum(SEARCH_MODES as [SearchMode, ...SearchMode[]]),
  k: z.number().int(),
  query: z.object({ id: z.string().nullable(), sourceId: z.string().nullable(), label: z.number().int().nullable() }),
  hits: z.array(SearchHitSchema),
  backfilledFraction: z.number(),
  /** What answered for the old part in rt-merge: the trained ψ, an online fit, or the old model while no ψ exists. */
  psi: z.string(),
  latencyMs: z.number(),
  /** Where `latencyMs` went: getting the gallery (a cold load reads every shard), the query's embedding, the search. */
  timings: z.object({ galleryMs: z.number(), embedMs: z.number(), searchMs: z.number() }),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
