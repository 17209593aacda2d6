import { describe, expect, it } from 'vitest';
import { readCommittedTrajectories } from '../../../core/dreamgym/rollout/group-store.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { readRun } from '../../../core/dreamgym/train/run-record.ts';
import { putJson } from '../../../core/store/json.ts';
import { evaluatePolicyStep } from '../../../core/dreamgym/train/steps/evaluate.ts';
import type { DreamGymTrainInputRaw } from '../../../core/dreamgym/train/input.ts';
import { initialiseRun } from '../../../core/dreamgym/train/steps/initialise.ts';
import { runRolloutGroupStep } from '../../../core/dreamgym/train/steps/rollout-group.ts';
import { sampleIteration } from '../../../core/dreamgym/train/steps/sample.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { registerOracle, runTrainWorkflow } from './helpers.ts';

registerOracle('oracle-rerun');

const input = {
  mode: 'synthetic',
  iterations: 1,
  groupsPerIteration: 3,
  rolloutsPerGroup: 4,
  tasks: { trainCount: 5, evalCount: 5 },
  experienceModel: { kind: 'oracle-rerun' },
} as const;

describe('re-running a training run', () => {
  it('reuses the groups a crashed iteration committed and puts every trajectory in the batch once', async () => {
    // Prepare: the first attempt crashed after two of the three groups were committed
    const runtime = await testRuntime();
    const deps = storeOnlyDeps(runtime.store);
    await initialiseRun({ ...input, runId: 'crashed' }, deps);
    await evaluatePolicyStep({ runId: 'crashed', iteration: 0 }, deps);
    await sampleIteration({ runId: 'crashed', iteration: 1 }, deps);
    await runRolloutGroupStep({ runId: 'crashed', iteration: 1, groupIndex: 0 }, deps);
    await runRolloutGroupStep({ runId: 'crashed', iteration: 1, groupIndex: 1 }, deps);
    const keys = runKeys('crashed');
    const firstCommit = await readManifest(runtime.store, keys.group(1, 0));
    // Act
    await runTrainWorkflow(runtime, { ...input, runId: 'crashed' });
    // Assess
    const batch = await readCommittedTrajectories(runtime.store, keys.batch(1));
    const ids = batch.map((t) => t.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(ids.filter((id) => id.startsWith('crashed/1/0/'))).toEqual(['crashed/1/0/0', 'crashed/1/0/1', 'crashed/1/0/2', 'crashed/1/0/3']);
    expect(await readManifest(runtime.store, keys.group(1, 0))).toEqual(firstCommit);
  });

  it('changes nothing when a finished run is run again under its id', async () => {
    // Prepare
    const runtime = await testRuntime();
    const first = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input, runId: 'twice' }));
    const batchBefore = await readManifest(runtime.store, runKeys('twice').batch(1));
    // Act
    const second = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input, runId: 'twice' }));
    // Assess
    expect(second).toEqual(first);
    expect(await readManifest(runtime.store, runKeys('twice').batch(1))).toEqual(batchBefore);
    expect(await readCommittedTrajectories(runtime.store, runKeys('twice').batch(1))).toHaveLength(12);
  });

  it('checks the task counts before storing the run, so a refused run can be retried under its id with other counts', async () => {
    const runtime = await testRuntime();
    const deps = storeOnlyDeps(runtime.store);
    // The last 10 tasks of the shop's evaluation range (an offset inside it ends where it ends)
    const tasks = { trainCount: 5, evalOffset: 1_999_990 };
    await expect(initialiseRun({ ...input, runId: 'retry', tasks: { ...tasks, evalCount: 20 } }, deps))
      .rejects.toThrow(/the evaluation range \(from task 1999990\) holds 10 tasks, fewer than the 20 asked for; ask for at most 10 \(--eval-tasks, tasks.evalCount\)/);
    expect(await runtime.store.head(runKeys('retry').run)).toBeUndefined();
    // Was a ConflictError: the refused run's record was stored first
    await expect(initialiseRun({ ...input, runId: 'retry', tasks: { ...tasks, evalCount: 10 } }, deps)).resolves.toMatchObject({ runId: 'retry' });
  });

  it('stores the default counts it resolved, so a run started without counts resumes with the same counts given', async () => {
    const runtime = await testRuntime();
    const deps = storeOnlyDeps(runtime.store);
    const { tasks: _, ...noCounts } = input;
    await initialiseRun({ ...noCounts, runId: 'defaults' }, deps);
    await expect(initialiseRun({ ...noCounts, runId: 'defaults', tasks: { trainCount: 200, evalCount: 100 } }, deps)).resolves.toMatchObject({ runId: 'defaults' });
    await expect(initialiseRun({ ...noCounts, runId: 'defaults', tasks: { trainCount: 199 } }, deps)).rejects.toThrow(/already exists with a different input/);
  });

  it('stores the optimizer with its resolved step size and KL coefficient, and reads a run stored before Adam as the sgd run it was', async () => {
    // Prepare: a run as this version stores it, and the same record as the version before Adam wrote it
    const runtime = await testRuntime();
    const deps = storeOnlyDeps(runtime.store);
    await initialiseRun({ ...input, runId: 'optimizer', mode: 'real' }, deps);
    const stored = await readRun(runtime.store, 'optimizer');
    if (stored.input.policy.kind !== 'builtin') throw new Error('a built-in policy was stored');
    const { optimizer: _, maxGradNorm: __, ...before } = { ...stored.input.policy, learningRate: 5, klCoefficient: 0 };
    await putJson(runtime.store, runKeys('optimizer').run, { ...stored, input: { ...stored.input, policy: before } });
    // Act
    const old = await readRun(runtime.store, 'optimizer');
    // Assess: the new run names Adam at its default step and KL; the old one keeps plain gradient ascent at its own
    expect(stored.input.policy).toMatchObject({ kind: 'builtin', optimizer: 'adam', learningRate: 0.1, klCoefficient: 0.1, maxGradNorm: 5 });
    expect(old.input.policy).toMatchObject({ kind: 'builtin', optimizer: 'sgd', learningRate: 5, klCoefficient: 0, maxGradNorm: 5 });
  });

  it('refuses a different input under an existing run id', async () => {
    const runtime = await testRuntime();
    const deps = storeOnlyDeps(runtime.store);
    await initialiseRun({ ...input, runId: 'taken' }, deps);
    await expect(initialiseRun({ ...input, runId: 'taken', iterations: 5 }, deps)).rejects.toThrow(/already exists with a different input/);
  });
});

describe('run input', () => {
  it.each<[DreamGymTrainInputRaw, RegExp]>([
    [{ mode: 's2r', iterations: 2, s2r: { realIterations: 2 } }, /s2r needs more iterations/],
    [{ mode: 'synthetic', experienceModel: { kind: 'nobody-registered-this' } }, /"nobody-registered-this" is not registered \(registered: .*oracle-rerun/],
    [{ mode: 'real', policy: { kind: 'llm' }, trainer: { kind: 'builtin' } }, /trains the built-in policy only/],
    [{ mode: 'real', trainer: { kind: 'external' } }, /external" is for LLM policies/],
    [{ mode: 'real', policy: { kind: 'llm' } }, /needs a policy endpoint/],
  ])('refuses %j', async (bad, message) => {
    const runtime = await testRuntime();
    await expect(initialiseRun(bad, storeOnlyDeps(runtime.store))).rejects.toThrow(message);
  });
});
