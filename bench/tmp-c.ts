import { searchGallery } from '../core/backfill/gallery/search/search-gallery.ts';
import { exactIndexFactory } from '../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../core/backfill/search/index/usearch-index.ts';
import { testRuntime } from '../test/helpers/runtime.ts';
import { ingestSmall, runBackfill } from '../test/backfill-pipeline/helpers.ts';
const runtime = await testRuntime();
await ingestSmall(runtime.store);
const f = usearchIndexFactory();
const Q = ['q-00001', 'q-00004', 'q-00009', 'q-00017', 'q-00023'];
for (const shards of [0, 2, 4]) {
  if (shards) await runBackfill(runtime, { gallery: 'mn', maxShards: shards });
  for (const mode of ['old', 'naive', 'rank-merge', 'rt-merge'] as const) {
    for (const vi of [exactIndexFactory, f]) {
      const r = await Promise.all(Q.map((itemId) => searchGallery(runtime.store, 'mn', { itemId, mode, k: 15 }, { vectorIndex: vi, refreshMs: 0 })));
      console.log(shards, mode, vi.kind, r[0].hits.length);
    }
  }
}
