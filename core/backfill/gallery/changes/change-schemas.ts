import { z } from 'zod';

/** The most ids one delete takes (an ids file, an HTTP body); larger deletes go in several calls. */
export const MAX_DELETE_IDS = 100_000;

/** The most images one HTTP add uploads; larger adds name an `s3://` prefix instead. */
export const MAX_UPLOADED_ITEMS = 256;

/**
 * `POST /v1/galleries/{id}/items`: images uploaded in the body (each with its source id and optional class), or an
 * `s3://bucket/prefix` the server reads (keys relative to it are the source ids, a key's first folder its class).
 * Exactly one of the two. Folders on the server's disk are not taken over HTTP.
 */
export const AddItemsRequestSchema = z
  .object({
    dataset: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an s3://bucket/prefix URI').optional()
      .describe('an S3 prefix of PNG/JPEG images to add'),
    items: z.array(z.object({
      sourceId: z.string().min(1).max(1024).describe('the id the image has in its source, e.g. shoes/0042.jpg'),
      image: z.string().min(1).max(16_000_000).describe('PNG or JPEG bytes, base64-encoded'),
      className: z.string().min(1).max(200).nullable().optional().describe('its class; omitted or null: unlabelled'),
    })).min(1).max(MAX_UPLOADED_ITEMS).optional(),
  })
  .refine((r) => (r.dataset === undefined) !== (r.items === undefined), { message: 'give exactly one of dataset or items', path: ['dataset'] });
export type AddItemsRequest = z.infer<typeof AddItemsRequestSchema>;

export const AddItemsResponseSchema = z.object({
  gallery: z.string(),
  added: z.number().int(),
  alreadyPresent: z.number().int().describe('source ids already in the gallery: skipped'),
  alreadyPresentIds: z.array(z.string()).describe('the first 100 of them'),
  spaces: z.array(z.enum(['old', 'new'])).describe('the models the new items were embedded with'),
  changes: z.array(z.object({ seq: z.number().int(), firstItemId: z.string(), lastItemId: z.string(), count: z.number().int() }))
    .describe('one change log entry per committed chunk (at most a shard\'s size each)'),
});
export type AddItemsSummary = z.infer<typeof AddItemsResponseSchema>;

/** `POST /v1/galleries/{id}/items/delete`: source ids (or item ids `g-…`) to delete. */
export const DeleteItemsRequestSchema = z.object({
  ids: z.array(z.string().min(1).max(1024)).min(1).max(MAX_DELETE_IDS).describe('source ids (paths relative to the folder) or item ids'),
});

export const DeleteItemsResponseSchema = z.object({
  gallery: z.string(),
  deleted: z.number().int(),
  alreadyDeleted: z.number().int(),
  alreadyDeletedIds: z.array(z.string()),
  seq: z.number().int().nullable().describe('the change log entry; null when nothing was left to delete'),
});
export type DeleteItemsSummary = z.infer<typeof DeleteItemsResponseSchema>;
