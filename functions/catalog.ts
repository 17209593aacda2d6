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
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'store-list-batches', file: 'functions/store/list-batches.ts' },
  { name: 'store-verify-batch', file: 'functions/store/verify-batch.ts', timeoutSeconds: 300 },
  { name: 'store-tally', file: 'functions/store/tally.ts' },
  { name: 'dreamgym-annotate-plan', file: 'functions/dreamgym/annotate-plan.ts', timeoutSeconds: 300 },
  { name: 'dreamgym-annotate-chunk', file: 'functions/dreamgym/annotate-chunk.ts', timeoutSeconds: 900 },
  { name: 'dreamgym-annotate-finalise', file: 'functions/dreamgym/annotate-finalise.ts', timeoutSeconds: 300 },
  { name: 'early-plan', file: 'functions/early/plan.ts', timeoutSeconds: 300 },
  { name: 'early-branch-chunk', file: 'functions/early/branch-chunk.ts', timeoutSeconds: 900 },
  { name: 'early-chunk-datasets', file: 'functions/early/chunk-datasets.ts', timeoutSeconds: 900 },
  { name: 'early-commit-datasets', file: 'functions/early/commit-datasets.ts', memoryMb: 1024, timeoutSeconds: 300 },
  { name: 'early-enrich-replay', file: 'functions/early/enrich-replay.ts', memoryMb: 1024, timeoutSeconds: 900 },
];

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}
