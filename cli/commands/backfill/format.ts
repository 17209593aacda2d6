import type { GalleryStatusReport } from '../../../core/backfill/gallery/gallery-status.ts';

/** A gallery's progress as a few readable lines. */
export function formatStatus(s: GalleryStatusReport): string[] {
  const psi = s.psi.source === 'online' ? `online ${s.psi.method} (${s.psi.pairs} pairs from ${s.psi.shards} shards)` : s.psi.source;
  return [
    `gallery ${s.id}: ${s.status}, answering with the ${s.model} model`,
    `  backfilled ${s.items.backfilled}/${s.items.total} items (${(100 * s.backfilledFraction).toFixed(1)}%), ${s.shards.backfilled}/${s.shards.total} shards of ${s.shards.size}`,
    ...(s.changes.entries > 0 ? [`  changes since ingest: ${s.changes.added} added, ${s.changes.deleted} deleted (${s.changes.entries} log entries)`] : []),
    `  dims old ${s.dims.old}, new ${s.dims.new}; ψ ${psi}; ${s.queries} held-out queries`,
    ...(s.lastExecution ? [`  last execution ${s.lastExecution}${s.updatedAt ? ` (updated ${s.updatedAt})` : ''}`] : []),
  ];
}
