import { readLlmUsage } from '../llm/usage-records.ts';
import { ConflictError } from '../errors.ts';
import { commitBatch, readBatchObject, readManifest } from '../store/batch.ts';
import { putJson } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { BranchChunkMetaSchema } from './branch-chunk.ts';
import type { Divergence } from './branch-chunk.ts';
import { DatasetPartMetaSchema } from './chunk-datasets.ts';
import { IWM_FILE, SR_FILE, branchBatch, datasetPartBatch, datasetsBatch, objectUri, summaryKey, llmPrefix } from './keys.ts';
import { readEarlyPlan } from './plan.ts';
import { TEMPLATE_REFLECTION } from './reflection-template.ts';
import { REPORTED_PROBLEMS } from './summary.ts';
import type { EarlySummary } from './summary.ts';

/**
 * Gathers every chunk's IWM and SR records, in chunk order, into the run's two datasets (one committed batch holding
 * iwm.jsonl and sr.jsonl) and writes the run's summary. The counts come from what the store holds, not from what
 * the workflow passed along. Committing again changes nothing; a chunk that is not committed yet is refused.
 *
 * @example
 * const summary = await commitEarlyDatasets(store, job.runId);
 * summary.datasets.iwm; // 'file:///data/.reverie/early/<runId>/datasets/iwm.jsonl'
 */
export async function commitEarlyDatasets(store: Store, runId: string): Promise<EarlySummary> {
  const plan = await readEarlyPlan(store, runId);
  const { job } = plan;
  const iwm: Uint8Array[] = [];
  const sr: Uint8Array[] = [];
  const diverged: Divergence[] = [];
  const totals = { trajectories: 0, states: 0, alternatives: 0, short: 0, missing: 0, iwm: 0, sr: 0, summarised: 0 };
  const notReady: number[] = [];
  for (const chunk of plan.chunks) {
    const branches = await readManifest(store, branchBatch(runId, chunk.index));
    const part = await readManifest(store, datasetPartBatch(runId, chunk.index));
    if (!branches || !part) {
      notReady.push(chunk.index);
      continue;
    }
    const b = BranchChunkMetaSchema.parse(branches.meta);
    const d = DatasetPartMetaSchema.parse(part.meta);
    Object.assign(totals, {
      trajectories: totals.trajectories + b.trajectories, states: totals.states + b.expertStates,
      alternatives: totals.alternatives + b.alternatives, short: totals.short + b.statesShortOfK,
      missing: totals.missing + b.missingAlternatives, iwm: totals.iwm + d.iwmRecords, sr: totals.sr + d.srRecords,
      summarised: totals.summarised + d.summarised,
    });
    diverged.push(...b.diverged);
    iwm.push(await readBatchObject(store, part, IWM_FILE));
    sr.push(await readBatchObject(store, part, SR_FILE));
  }
  if (notReady.length > 0) {
    throw new ConflictError(`early-experience run "${runId}" has ${notReady.length} chunks not committed yet `
      + `(first: ${notReady.slice(0, 5).join(', ')}); re-run the workflow with the same input to finish them`);
  }
  const batch = datasetsBatch(runId);
  const manifest = await commitBatch(store, batch, [{ name: IWM_FILE, body: concat(iwm) }, { name: SR_FILE, body: concat(sr) }],
    { iwmRecords: totals.iwm, srRecords: totals.sr });
  const keyOf = (name: string) => manifest.objects.find((o) => o.name === name)!.key;
  const summary: EarlySummary = {
    runId, env: job.env, dataset: job.dataset, k: job.k,
    expertTrajectories: totals.trajectories, expertStates: totals.states, alternatives: totals.alternatives,
    statesShortOfK: totals.short, missingAlternatives: totals.missing, iwmRecords: totals.iwm, srRecords: totals.sr,
    datasets: { iwm: objectUri(store, keyOf(IWM_FILE)), sr: objectUri(store, keyOf(SR_FILE)) },
    alternativesFrom: job.policyModel ? `policy:${job.policyModel} + uniform` : 'uniform',
    reflectionsBy: job.reflectionModel ? `teacher:${job.reflectionModel}` : TEMPLATE_REFLECTION,
    summarisedTargets: totals.summarised,
    divergedCount: diverged.length, diverged: diverged.slice(0, REPORTED_PROBLEMS),
    malformedCount: plan.malformed.length, malformed: plan.malformed.slice(0, REPORTED_PROBLEMS),
    llm: await readLlmUsage(store, llmPrefix(runId)),
  };
  await putJson(store, summaryKey(runId), summary);
  return summary;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
