import { joinKey } from '../../store/keys.ts';

const ROOT = 'dreamgym/sft';

/** Where an SFT dataset lives: `dreamgym/sft/<id>/`. */
export function sftDatasetPrefix(id: string): string {
  return joinKey(ROOT, id);
}

/** The committed batch of one chunk: `dreamgym/sft/<id>/chunk-00003/` holding records.jsonl and skipped.json. */
export function sftChunkPrefix(id: string, chunk: number): string {
  return joinKey(ROOT, id, `chunk-${String(chunk).padStart(5, '0')}`);
}

/** Why a chunk failed after its retries (the workflow's Catch writes it; finalising reads it). */
export function sftChunkFailureKey(id: string, chunk: number): string {
  return joinKey(ROOT, id, 'failures', `chunk-${String(chunk).padStart(5, '0')}.json`);
}

/** The LLM usage records of each chunk attempt (failed ones too): `dreamgym/sft/<id>/llm/chunk-00003/<attempt>.json`. */
export function sftLlmPrefix(id: string, chunk?: number): string {
  return joinKey(ROOT, id, 'llm', chunk === undefined ? '' : `chunk-${String(chunk).padStart(5, '0')}`);
}

export const SFT_RECORDS_FILE = 'records.jsonl';
export const SFT_SKIPPED_FILE = 'skipped.json';

export function sftPlanKey(id: string): string {
  return joinKey(ROOT, id, 'plan.json');
}

export function sftDescriptorKey(id: string): string {
  return joinKey(ROOT, id, 'dataset.json');
}
