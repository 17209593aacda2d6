import { joinKey } from '../../store/keys.ts';

/**
 * Where a training run keeps everything, under deterministic keys: a re-run of any step addresses the same objects,
 * and the create-only writes below them make the first complete write stand.
 *
 * dreamgym/runs/<run>/run.json                                  the resolved input
 * dreamgym/runs/<run>/setup/{train-tasks,eval-tasks,setup}.json the task lists and what listing them cost
 * dreamgym/runs/<run>/policy/v000003.json                       the policy after iteration 3 (v000000: before)
 * dreamgym/runs/<run>/iterations/000003/tasks.json              the sampled tasks and where rollouts ran
 * dreamgym/runs/<run>/iterations/000003/groups/000007/…         one committed trajectory group
 * dreamgym/runs/<run>/iterations/000003/failures/000007.json    why a group failed after its retries
 * dreamgym/runs/<run>/iterations/000003/attempts/000007-<id>.json the real accesses of a group attempt that failed before committing
 * dreamgym/runs/<run>/iterations/000003/batch/…                 the committed training batch
 * dreamgym/runs/<run>/iterations/000003/trainer/batch.parquet    the batch as an external trainer reads it (verl RL schema)
 * dreamgym/runs/<run>/iterations/000003/{replay,train,curriculum}.json
 * dreamgym/runs/<run>/iterations/000003/llm/<step>/<attempt>.json  LLM calls each step attempt made (000000: set-up, first evaluation)
 * dreamgym/runs/<run>/evaluations/000003.json                   real success on held-out tasks after iteration 3
 * dreamgym/runs/<run>/evaluations/000003/chunk-000007.json      one chunk of that evaluation (its tasks' rewards)
 * dreamgym/runs/<run>/evaluations/000003/attempts/chunk-000007-<id>.json  the real accesses of a chunk attempt that failed before writing
 * dreamgym/runs/<run>/summary.json
 */
export const runKeys = (runId: string) => {
  const root = joinKey('dreamgym/runs', runId);
  const pad = (n: number) => String(n).padStart(6, '0');
  const iteration = (i: number) => joinKey(root, 'iterations', pad(i));
  return {
    root,
    run: joinKey(root, 'run.json'),
    trainTasks: joinKey(root, 'setup', 'train-tasks.json'),
    evaluationTasks: joinKey(root, 'setup', 'eval-tasks.json'),
    setup: joinKey(root, 'setup', 'setup.json'),
    policy: (version: number) => joinKey(root, 'policy', `v${pad(version)}.json`),
    tasks: (i: number) => joinKey(iteration(i), 'tasks.json'),
    group: (i: number, group: number) => joinKey(iteration(i), 'groups', pad(group)),
    groupFailure: (i: number, group: number) => joinKey(iteration(i), 'failures', `${pad(group)}.json`),
    failedAttempts: (i: number) => joinKey(iteration(i), 'attempts'),
    failedAttempt: (i: number, group: number, attempt: string) => joinKey(iteration(i), 'attempts', `${pad(group)}-${attempt}.json`),
    batch: (i: number) => joinKey(iteration(i), 'batch'),
    trainerBatch: (i: number) => joinKey(iteration(i), 'trainer'),
    replay: (i: number) => joinKey(iteration(i), 'replay.json'),
    train: (i: number) => joinKey(iteration(i), 'train.json'),
    trainerReply: (i: number) => joinKey(iteration(i), 'trainer-reply.json'),
    curriculum: (i: number) => joinKey(iteration(i), 'curriculum.json'),
    /** The LLM usage records of iteration i, or of one of its steps (`rollout-000007`, `evaluate`). */
    llm: (i: number, step = '') => joinKey(iteration(i), 'llm', step),
    evaluation: (i: number) => joinKey(root, 'evaluations', `${pad(i)}.json`),
    evaluationChunk: (i: number, chunk: number) => joinKey(root, 'evaluations', pad(i), `chunk-${pad(chunk)}.json`),
    /** Real accesses of an evaluation chunk attempt that failed before writing its chunk (one object per attempt). */
    failedEvaluationAttempts: (i: number) => joinKey(root, 'evaluations', pad(i), 'attempts'),
    failedEvaluationAttempt: (i: number, chunk: number, attempt: string) => joinKey(root, 'evaluations', pad(i), 'attempts', `chunk-${pad(chunk)}-${attempt}.json`),
    summary: joinKey(root, 'summary.json'),
  };
};
