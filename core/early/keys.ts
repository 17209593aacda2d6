import { joinKey } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

const ROOT = 'early';

export const BRANCHES_FILE = 'branches.jsonl';
export const IWM_FILE = 'iwm.jsonl';
export const SR_FILE = 'sr.jsonl';

/** Everything of one run: `early/<runId>/`. */
export function runPrefix(runId: string): string {
  return joinKey(ROOT, runId);
}

export function planKey(runId: string): string {
  return joinKey(ROOT, runId, 'plan.json');
}

/** The LLM usage records of a run's steps, one per attempt: `early/<runId>/llm/branch-00003/<attempt>.json`. */
export function llmPrefix(runId: string, step = ''): string {
  return joinKey(ROOT, runId, 'llm', step);
}

export function summaryKey(runId: string): string {
  return joinKey(ROOT, runId, 'summary.json');
}

/** The committed branch rollouts of one chunk: `early/<runId>/branches/chunk-00003/branches.jsonl`. */
export function branchBatch(runId: string, chunk: number): string {
  return joinKey(ROOT, runId, 'branches', chunkName(chunk));
}

/** One chunk's IWM and SR records, before they are gathered: `early/<runId>/parts/chunk-00003/`. */
export function datasetPartBatch(runId: string, chunk: number): string {
  return joinKey(ROOT, runId, 'parts', chunkName(chunk));
}

/** The final datasets, one committed batch holding iwm.jsonl and sr.jsonl. */
export function datasetsBatch(runId: string): string {
  return joinKey(ROOT, runId, 'datasets');
}

/** The committed replay-buffer transitions of one chunk (source 'branch'). */
export function replayBatch(runId: string, chunk: number): string {
  return joinKey(ROOT, runId, 'replay', chunkName(chunk));
}

/** The URI of an object: the store's URI and the key, what users hand to their trainers. */
export function objectUri(store: Store, key: string): string {
  return `${store.uri.replace(/\/+$/, '')}/${key}`;
}

function chunkName(chunk: number): string {
  return `chunk-${String(chunk).padStart(5, '0')}`;
}
