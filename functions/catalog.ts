/**
 * Every function behind a Task state. The local engine loads them by name; infra/functions.ts creates one Lambda
 * per entry from the same list, so the two cannot drift. Kept free of imports so infra can read it cheaply.
 */
export interface FunctionSpec {
  /** Name used in workflow definitions as `${fn:<name>}`. */
  name: string;
  /** Module (relative to the repository root) that exports `handler` and `fn`. */
  file: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Needs onnxruntime-node (gets the linux-x64-only layer). */
  onnx?: boolean;
  /** Queues it sends to or receives from. */
  queues?: string[];
  /** State machines it starts. */
  startsWorkflows?: string[];
  /**
   * Opens environments or reads their kind: gets the deploy's environment plug-ins (REVERIE_ENV_PLUGINS, bundled
   * beside the handler by infra/env-plugins.ts) and loads them once per cold start.
   */
  environments?: boolean;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'store-list-batches', file: 'functions/store/list-batches.ts' },
  { name: 'store-verify-batch', file: 'functions/store/verify-batch.ts', timeoutSeconds: 300 },
  { name: 'store-tally', file: 'functions/store/tally.ts' },
  { name: 'store-verify-report', file: 'functions/store/report.ts' },
  { name: 'dreamgym-annotate-plan', file: 'functions/dreamgym/annotate-plan.ts', timeoutSeconds: 300, environments: true },
  { name: 'dreamgym-annotate-chunk', file: 'functions/dreamgym/annotate-chunk.ts', timeoutSeconds: 900, environments: true },
  { name: 'dreamgym-annotate-record-failure', file: 'functions/dreamgym/annotate-record-failure.ts', environments: true },
  { name: 'dreamgym-annotate-finalise', file: 'functions/dreamgym/annotate-finalise.ts', timeoutSeconds: 300, environments: true },
  { name: 'early-plan', file: 'functions/early/plan.ts', timeoutSeconds: 300, environments: true },
  { name: 'early-branch-chunk', file: 'functions/early/branch-chunk.ts', timeoutSeconds: 900, environments: true },
  { name: 'early-chunk-datasets', file: 'functions/early/chunk-datasets.ts', timeoutSeconds: 900, environments: true },
  { name: 'early-commit-datasets', file: 'functions/early/commit-datasets.ts', memoryMb: 1024, timeoutSeconds: 300, environments: true },
  { name: 'early-enrich-replay', file: 'functions/early/enrich-replay.ts', memoryMb: 1024, timeoutSeconds: 900, environments: true },
  { name: 'dreamgym-train-initialise', file: 'functions/dreamgym-train/initialise.ts', queues: ['trainer'], environments: true },
  { name: 'dreamgym-train-evaluate-plan', file: 'functions/dreamgym-train/evaluate-plan.ts', environments: true },
  { name: 'dreamgym-train-evaluate-chunk', file: 'functions/dreamgym-train/evaluate-chunk.ts', memoryMb: 1024, timeoutSeconds: 900, environments: true },
  { name: 'dreamgym-train-evaluate-finish', file: 'functions/dreamgym-train/evaluate-finish.ts', memoryMb: 1024, timeoutSeconds: 300, environments: true },
  { name: 'dreamgym-train-sample', file: 'functions/dreamgym-train/sample.ts', timeoutSeconds: 120, environments: true },
  { name: 'dreamgym-train-rollout-group', file: 'functions/dreamgym-train/rollout-group.ts', memoryMb: 2048, timeoutSeconds: 900, environments: true },
  { name: 'dreamgym-train-record-group-failure', file: 'functions/dreamgym-train/record-group-failure.ts', environments: true },
  { name: 'dreamgym-train-aggregate', file: 'functions/dreamgym-train/aggregate.ts', memoryMb: 1024, timeoutSeconds: 300, environments: true },
  { name: 'dreamgym-train-replay', file: 'functions/dreamgym-train/replay.ts', memoryMb: 2048, timeoutSeconds: 900, environments: true },
  { name: 'dreamgym-train-builtin', file: 'functions/dreamgym-train/train-builtin.ts', memoryMb: 1024, timeoutSeconds: 300, environments: true },
  { name: 'dreamgym-train-handoff', file: 'functions/dreamgym-train/handoff.ts', timeoutSeconds: 900, queues: ['trainer'], environments: true },
  { name: 'dreamgym-train-record-reply', file: 'functions/dreamgym-train/record-reply.ts', environments: true },
  { name: 'dreamgym-train-skip', file: 'functions/dreamgym-train/skip-training.ts', environments: true },
  { name: 'dreamgym-train-curriculum', file: 'functions/dreamgym-train/curriculum.ts', memoryMb: 1024, timeoutSeconds: 300, environments: true },
  { name: 'dreamgym-train-summarize', file: 'functions/dreamgym-train/summarize.ts', environments: true },
  { name: 'backfill-plan', file: 'functions/backfill/plan.ts' },
  { name: 'backfill-next-wave', file: 'functions/backfill/next-wave.ts' },
  { name: 'backfill-embed-shard', file: 'functions/backfill/embed-shard.ts', memoryMb: 2048, timeoutSeconds: 900, onnx: true },
  { name: 'backfill-refit-psi', file: 'functions/backfill/refit-psi.ts', memoryMb: 2048, timeoutSeconds: 900 },
  { name: 'backfill-finalise', file: 'functions/backfill/finalise.ts', timeoutSeconds: 300 },
];

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}
