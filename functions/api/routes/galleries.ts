import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { openStore, type Runtime } from '../../../adapters/runtime.ts';
import { addItemsFromSource, addUploadedItems } from '../../../core/backfill/gallery/changes/add-from-source.ts';
import {
  AddItemsRequestSchema, AddItemsResponseSchema, DeleteItemsRequestSchema, DeleteItemsResponseSchema,
} from '../../../core/backfill/gallery/changes/change-schemas.ts';
import { deleteGalleryItems } from '../../../core/backfill/gallery/changes/delete-items.ts';
import { GalleryStatusSchema, listGalleryStatuses, readGalleryStatus } from '../../../core/backfill/gallery/gallery-status.ts';
import { GalleryIdSchema } from '../../../core/backfill/gallery/keys.ts';
import { renderItemPng } from '../../../core/backfill/gallery/search/item-png.ts';
import { searchGallery } from '../../../core/backfill/gallery/search/search-gallery.ts';
import { SearchRequestSchema, SearchResponseSchema } from '../../../core/backfill/gallery/search/search-schema.ts';
import { errorResponses } from '../schemas.ts';

const GalleryParam = z.object({ id: GalleryIdSchema });
const ItemFileParam = GalleryParam.extend({ file: z.string().regex(/^[A-Za-z0-9-]{1,40}\.png$/, 'an item id followed by .png, e.g. g-000042.png') });

const listGalleries = createRoute({
  method: 'get', path: '/v1/galleries', summary: 'Every gallery with its backfill progress',
  responses: { 200: { description: 'galleries', content: { 'application/json': { schema: z.object({ galleries: z.array(GalleryStatusSchema) }) } } } },
});

const getGallery = createRoute({
  method: 'get', path: '/v1/galleries/{id}', summary: "A gallery's backfill progress: shards and items done, status, model, ψ",
  request: { params: GalleryParam },
  responses: { 200: { description: 'the gallery', content: { 'application/json': { schema: GalleryStatusSchema } } }, ...errorResponses },
});

const search = createRoute({
  method: 'post', path: '/v1/galleries/{id}/search',
  summary: 'Exact top-k search during the backfill (old, naive, rank-merge or rt-merge); a read, open without the token',
  request: { params: GalleryParam, body: { required: true, content: { 'application/json': { schema: SearchRequestSchema } } } },
  responses: { 200: { description: 'hits, best first', content: { 'application/json': { schema: SearchResponseSchema } } }, ...errorResponses },
});

const itemImage = createRoute({
  method: 'get', path: '/v1/galleries/{id}/items/{file}', summary: 'A stored gallery or query image as PNG (file: <itemId>.png)',
  request: { params: ItemFileParam },
  responses: { 200: { description: 'the image', content: { 'image/png': { schema: z.string().describe('PNG bytes') } } }, ...errorResponses },
});

const addItems = createRoute({
  method: 'post', path: '/v1/galleries/{id}/items',
  summary: 'Add images to a gallery, also during its backfill (uploaded, or an s3:// prefix); embedded with the new model, and the old one while it serves',
  security: [{ bearer: [] }],
  request: { params: GalleryParam, body: { required: true, content: { 'application/json': { schema: AddItemsRequestSchema } } } },
  responses: { 200: { description: 'what was added', content: { 'application/json': { schema: AddItemsResponseSchema } } }, ...errorResponses },
});

const deleteItems = createRoute({
  method: 'post', path: '/v1/galleries/{id}/items/delete',
  summary: 'Delete items from a gallery, also during its backfill; unknown ids refuse the whole delete (404)',
  security: [{ bearer: [] }],
  request: { params: GalleryParam, body: { required: true, content: { 'application/json': { schema: DeleteItemsRequestSchema } } } },
  responses: { 200: { description: 'what was deleted', content: { 'application/json': { schema: DeleteItemsResponseSchema } } }, ...errorResponses },
});

/** Galleries: progress, search during the backfill, stored images. Starting a backfill is `POST /v1/workflows/backfill/executions`. */
export function registerGalleryRoutes(app: OpenAPIHono, runtime: Runtime): void {
  app.openapi(listGalleries, async (c) => c.json({ galleries: await listGalleryStatuses(runtime.store) }, 200));
  app.openapi(getGallery, async (c) => c.json(await readGalleryStatus(runtime.store, c.req.valid('param').id), 200));
  app.openapi(search, async (c) => {
    const options = { maxImagePixels: runtime.config.limits.maxImagePixels, maxImageBytes: runtime.config.limits.maxImageBytes, vectorIndex: runtime.vectorIndex(), openStore: runtime.sourceStore };
    return c.json(await searchGallery(runtime.store, c.req.valid('param').id, c.req.valid('json'), options), 200);
  });
  app.openapi(addItems, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const maxPixels = runtime.config.limits.maxImagePixels;
    if (body.dataset) return c.json(await addItemsFromSource(runtime.store, id, openStore({ ...runtime.config, store: body.dataset }), { maxPixels }), 200);
    return c.json(await addUploadedItems(runtime.store, id, body.items!, { maxPixels }), 200);
  });
  app.openapi(deleteItems, async (c) => c.json(await deleteGalleryItems(runtime.store, c.req.valid('param').id, c.req.valid('json').ids), 200));
  app.openapi(itemImage, async (c) => {
    const { id, file } = c.req.valid('param');
    const png = await renderItemPng(runtime.store, id, file.slice(0, -'.png'.length), { openStore: runtime.sourceStore });
    return c.body(png.slice().buffer, 200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=3600' });
  });
}
