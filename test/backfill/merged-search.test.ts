import { describe, expect, it } from 'vitest';
import { selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { createBackfillGallery } from '../../core/backfill/search/backfill-gallery.ts';
import { searchBackfillGallery } from '../../core/backfill/search/merged-search.ts';
import { SearchMode, type SearchMode as Mode } from '../../core/backfill/search/search-mode.ts';
import { createRng } from '../../core/random.ts';
import { dotRows, randomFeatures } from './synthetic.ts';

const N = 400, K = 15;
const oldAll = randomFeatures(N, 16, 1);
const newAll = randomFeatures(N, 16, 2);
const queries = { old: randomFeatures(3, 16, 3), new: randomFeatures(3, 16, 4), psi: randomFeatures(3, 16, 5) };

function galleryAt(backfilled: number[]) {
  const newPart = { features: selectRows(newAll, backfilled), indices: Int32Array.from(backfilled) };
  return createBackfillGallery({ features: oldAll }, newPart);
}

/** The mode formulas of SearchMode's TSDoc, item by item, sorted in full. */
function reference(mode: Mode, q: number, backfilled: Set<number>, scale = 1, shift = 0) {
  const scored = Array.from({ length: N }, (_, i) => {
    const done = backfilled.has(i);
    const s = (qm: FeatureMatrix, g: FeatureMatrix) => dotRows(qm, q, g, i);
    switch (mode) {
      case 'old': return { index: i, score: s(queries.old, oldAll) };
      case 'naive': return { index: i, score: done ? s(queries.new, newAll) : s(queries.new, oldAll) };
      case 'rank-merge': return { index: i, score: done ? s(queries.new, newAll) : s(queries.old, oldAll) };
      case 'rt-merge': return { index: i, score: done ? s(queries.new, newAll) : scale * s(queries.psi, oldAll) + shift };
    }
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, K);
}

describe('searchBackfillGallery', () => {
  const order = createRng(9).shuffle(Array.from({ length: N }, (_, i) => i));
  const backfilled = order.slice(0, 170);

  for (const mode of Object.values(SearchMode)) {
    it(`scores every item as the "${mode}" formula says, mid-backfill`, () => {
      // Prepare
      const gallery = galleryAt(backfilled);
      // Act
      const hits = searchBackfillGallery(mode, queries, gallery, K);
      // Assess
      for (let q = 0; q < 3; q++) {
        const expected = reference(mode, q, new Set(backfilled));
        expect(hits[q].map((h) => h.index)).toEqual(expected.map((h) => h.index));
        hits[q].forEach((h, i) => expect(h.score).toBeCloseTo(expected[i].score, 5));
      }
    });
  }

  it('labels each hit with the part whose features scored it', () => {
    const done = new Set(backfilled);
    const hits = searchBackfillGallery('rank-merge', queries, galleryAt(backfilled), K);
    for (const h of hits.flat()) expect(h.part).toBe(done.has(h.index) ? 'new' : 'old');
  });

  it('applies the rt-merge calibration to old-part scores only', () => {
    const hits = searchBackfillGallery('rt-merge', queries, galleryAt(backfilled), K, { calibration: { scale: 0.5, shift: 0.3 } });
    const expected = reference('rt-merge', 0, new Set(backfilled), 0.5, 0.3);
    expect(hits[0].map((h) => h.index)).toEqual(expected.map((h) => h.index));
  });

  it('gives every merge mode the new model\'s exact results once the whole gallery is backfilled', () => {
    // Prepare
    const gallery = galleryAt(order);
    // Act
    const results = (['naive', 'rank-merge', 'rt-merge'] as const).map((m) => searchBackfillGallery(m, queries, gallery, K));
    // Assess
    const newOnly = reference('naive', 0, new Set(order));
    for (const hits of results) expect(hits[0].map((h) => [h.index, h.part])).toEqual(newOnly.map((h) => [h.index, 'new']));
  });

  it('names the missing query features when a mode cannot run', () => {
    expect(() => searchBackfillGallery('rt-merge', { new: queries.new }, galleryAt([]), K)).toThrow(/ψ-transformed new-model query features/);
    expect(() => searchBackfillGallery('old', { new: queries.new }, galleryAt([]), K)).toThrow(/needs the old-model query features/);
  });

  it('refuses naive search when the two spaces have different dimensions', () => {
    const gallery = createBackfillGallery({ features: oldAll }, { features: randomFeatures(2, 8, 6), indices: Int32Array.of(0, 1) });
    expect(() => searchBackfillGallery('naive', { new: randomFeatures(1, 8, 7) }, gallery, K)).toThrow(/needs equal dims/);
  });

  it('rejects a backfilled item that is not in the gallery or appears twice', () => {
    const two = randomFeatures(2, 16, 8);
    expect(() => createBackfillGallery({ features: oldAll }, { features: two, indices: Int32Array.of(3, 3) })).toThrow(/appears twice/);
    expect(() => createBackfillGallery({ features: oldAll }, { features: two, indices: Int32Array.of(3, N) })).toThrow(/not an item/);
  });
});
