import { DreamGymTrainInputSchema } from '../../core/dreamgym/train/input.ts';
import { MAX_WAVES } from '../../core/backfill/pipeline/plan.ts';
import { SEGMENT_MAX_BATCHES, SEGMENT_MAX_PAGES } from '../../core/store/verify-input.ts';
import type { RunProfile } from './profile.ts';

/** Continue a loop whose Choice is visited once per turn for `turns` turns, then leave it. */
const loop = (turns: number, again: string, out: string) => (visit: number) => (visit < turns ? again : out);

/** The schema's largest value of a numeric input (what a user may ask for). */
function schemaMax(schema: { maxValue?: number | null } | undefined): number {
  const max = schema?.maxValue;
  if (typeof max !== 'number' || !Number.isFinite(max)) throw new Error('the input has no maximum');
  return max;
}

/**
 * store-verify over `batches` committed batches at `pageSize`: segments of at most SEGMENT_MAX_PAGES pages or
 * SEGMENT_MAX_BATCHES batches, each a child execution. The old definition's single loop (`MorePages` in the
 * parent) is covered by the same numbers.
 */
export function storeVerifyProfile(batches: number, pageSize: number): RunProfile {
  const pages = Math.ceil(batches / pageSize);
  const segmentPages = Math.min(SEGMENT_MAX_PAGES, Math.ceil(SEGMENT_MAX_BATCHES / pageSize));
  const segments = Math.ceil(pages / segmentPages);
  return {
    size: `${batches.toLocaleString('en')} batches at pageSize ${pageSize}`,
    mapItems: { VerifySegment: 1, VerifyPage: pageSize },
    resultBytes: { VerifyPage: 1100, VerifySegment: 8 * 1024 },
    choose: {
      MorePages: loop(Math.min(segmentPages, pages), 'ListPage', 'SegmentDone'),
      MoreSegments: loop(segments, 'BeginSegment', 'Report'),
      AnyCorrupt: () => 'Corrupt',
    },
    boundedLoops: { MorePages: `a segment ends after ${SEGMENT_MAX_PAGES} pages or ${SEGMENT_MAX_BATCHES} batches` },
  };
}

/** The old store-verify (one Choice loop over every page in the parent): its loop turns once per page. */
export function oldStoreVerifyProfile(batches: number, pageSize: number): RunProfile {
  const pages = Math.ceil(batches / pageSize);
  return {
    size: `${batches.toLocaleString('en')} batches at pageSize ${pageSize}`,
    mapItems: { VerifyPage: pageSize },
    resultBytes: { VerifyPage: 1100 },
    choose: { MorePages: loop(pages, 'Advance', 'Done') },
  };
}

const train = DreamGymTrainInputSchema.shape;
const ITERATIONS = schemaMax(train.iterations.unwrap());
const GROUPS = schemaMax(train.groupsPerIteration.unwrap());

/** Each workflow at its documented maximum size (README "Deploying", limits). */
export const PROFILES: Record<string, RunProfile[]> = {
  'store-verify': [storeVerifyProfile(1_000_000, 100), storeVerifyProfile(1_000_000, 200), storeVerifyProfile(300_000, 1)],
  'dreamgym-train': [{
    size: `${ITERATIONS} iterations of ${GROUPS} groups (the input's maxima), external trainer with task tokens`,
    mapItems: { RolloutGroups: GROUPS, EvaluateChunks: 1000 },
    choose: {
      // Visited after the evaluation before training and after each iteration.
      MoreIterations: loop(ITERATIONS + 1, 'Advance', 'Summarize'),
      ChooseTrainer: () => 'HandOffWithTaskToken',
    },
    boundedLoops: { MoreIterations: `at most ${ITERATIONS} iterations (input schema)` },
  }],
  'dreamgym-annotate': [{ size: '100,000 chunks', mapItems: { AnnotateChunks: 100_000 } }],
  'early-experience': [{ size: '100,000 chunks', mapItems: { BranchChunks: 100_000, BuildChunkDatasets: 100_000 } }],
  backfill: [{
    size: `${MAX_WAVES} waves (the plan's cap) of 1,000 shards`,
    mapItems: { EmbedWave: 1000 },
    choose: { MoreShards: loop(MAX_WAVES + 1, 'EmbedWave', 'Finalise') },
    boundedLoops: { MoreShards: `the plan makes at most ${MAX_WAVES} waves` },
  }],
};
