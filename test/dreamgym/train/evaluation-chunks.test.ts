import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { evaluateChunkStep, evaluationChunks, EvaluationChunkSchema, MAX_EVALUATION_CHUNKS } from '../../../core/dreamgym/train/steps/evaluate-chunk.ts';
import { EvaluationSchema, evaluatePolicyStep, finishEvaluationStep, planEvaluationStep } from '../../../core/dreamgym/train/steps/evaluate.ts';
import { initialiseRun } from '../../../core/dreamgym/train/steps/initialise.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { getJson } from '../../../core/store/json.ts';
import { tempDir, testRuntime } from '../../helpers/runtime.ts';
import { registerOracle, runTrainWorkflow } from './helpers.ts';
import { sealableShop } from './sealed-shop.ts';

registerOracle('oracle-eval-chunks');

const input = (runId: string, chunkSize: number) => ({
  mode: 'synthetic' as const, runId, iterations: 2, groupsPerIteration: 3, rolloutsPerGroup: 4, maxConcurrency: 2,
  tasks: { trainCount: 3, evalCount: 10 }, evaluation: { chunkSize, concurrency: 3 },
  experienceModel: { kind: 'oracle-eval-chunks' },
});

describe('held-out evaluation in chunks', () => {
  it('cuts tasks into chunks of the asked size, larger when that would pass the chunk limit', () => {
    expect(evaluationChunks(10, 3)).toEqual({ size: 3, count: 4 });
    expect(evaluationChunks(10, 100)).toEqual({ size: 100, count: 1 });
    expect(evaluationChunks(100_000, 1)).toEqual({ size: 100, count: MAX_EVALUATION_CHUNKS });
    expect(evaluationChunks(100_001, 1)).toEqual({ size: 101, count: 991 });
  });

  it('equals the evaluation in one piece, chunks run in any order, and counts exactly the real accesses the chunks made', async () => {
    // Prepare: two runs that differ only in chunk size, each on its own counting shop
    const results = [];
    for (const [runId, chunkSize] of [['whole', 100], ['chunked', 4]] as const) {
      const store = new FileStore(await tempDir());
      const shop = sealableShop(1);
      const deps = storeOnlyDeps(store, { environment: () => shop.env });
      await initialiseRun(input(runId, chunkSize), deps);
      const beforeEvaluation = shop.interactions();
      // Act: plan, the chunks last to first (as a Map may finish them), then finish
      const plan = await planEvaluationStep({ runId, iteration: 0 }, deps);
      for (const chunk of [...plan.chunks].reverse()) await evaluateChunkStep({ runId, iteration: 0, chunk }, deps);
      const evaluation = await finishEvaluationStep({ runId, iteration: 0 }, deps);
      const chunks = await Promise.all(plan.chunks.map((c) => getJson(store, runKeys(runId).evaluationChunk(0, c), EvaluationChunkSchema)));
      results.push({ plan, evaluation, chunks, accesses: shop.interactions() - beforeEvaluation });
    }
    // Assess
    const [whole, chunked] = results;
    expect(whole.plan.chunks).toEqual([0]);
    // 9 held-out tasks (the 10 asked for, less one that is also a training task)
    expect(chunked.plan.chunks).toEqual([0, 1, 2]);
    expect(chunked.chunks.map((c) => c.rewards.length)).toEqual([4, 4, 1]);
    expect(chunked.chunks.map((c) => c.first)).toEqual([0, 4, 8]);
    expect(chunked.evaluation).toEqual(whole.evaluation);
    expect(chunked.evaluation).toMatchObject({ evaluated: true, episodes: 9 });
    expect(chunked.chunks.flatMap((c) => c.rewards)).toEqual(whole.chunks[0].rewards);
    expect(chunked.evaluation.interactions).toBeGreaterThan(10);
    expect(chunked.evaluation.interactions).toBe(chunked.accesses);
    expect(chunked.chunks.reduce((sum, c) => sum + c.interactions, 0)).toBe(chunked.accesses);
  });

  it('counts the real accesses of a chunk attempt that failed before writing, apart and in the total', async () => {
    // Prepare: a counting shop whose sessions fail their 5th step, on the first chunk attempt only
    const store = new FileStore(await tempDir());
    const shop = sealableShop(1);
    let steps = 0, failing = true;
    const flaky = {
      ...shop.env,
      spec: shop.env.spec, label: shop.env.label, tasks: shop.env.tasks.bind(shop.env),
      open: async () => {
        const session = await shop.env.open();
        return new Proxy(session, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (property !== 'step') return typeof value === 'function' ? value.bind(target) : value;
            return async (action: string) => {
              const result = await target.step(action);
              if (failing && ++steps === 5) throw new Error('the server dropped the connection');
              return result;
            };
          },
        });
      },
    };
    const deps = storeOnlyDeps(store, { environment: () => flaky });
    await initialiseRun(input('flaky', 100), deps);
    const before = shop.interactions();
    // Act: the first attempt fails after real accesses; the retry writes the chunk
    await expect(evaluateChunkStep({ runId: 'flaky', iteration: 0, chunk: 0 }, deps)).rejects.toThrow(/dropped the connection/);
    const failedAccesses = shop.interactions() - before;
    failing = false;
    const chunk = await evaluateChunkStep({ runId: 'flaky', iteration: 0, chunk: 0 }, deps);
    const evaluation = await finishEvaluationStep({ runId: 'flaky', iteration: 0 }, deps);
    // Assess: every real access is in the evaluation's count, the failed attempt's shown apart
    expect(failedAccesses).toBeGreaterThanOrEqual(5);
    expect(evaluation.failedAttemptInteractions).toBe(failedAccesses);
    expect(evaluation.interactions).toBe(chunk.interactions + failedAccesses);
    expect(evaluation.interactions).toBe(shop.interactions() - before);
  });

  it('refuses to finish while a chunk is missing, naming it, and a re-run changes nothing once written', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    const deps = storeOnlyDeps(store);
    await initialiseRun(input('partial', 2), deps);
    await evaluateChunkStep({ runId: 'partial', iteration: 0, chunk: 0 }, deps);
    await evaluateChunkStep({ runId: 'partial', iteration: 0, chunk: 3 }, deps);
    // Act / Assess
    await expect(finishEvaluationStep({ runId: 'partial', iteration: 0 }, deps)).rejects.toThrow(/missing chunk\(s\) 1, 2, 4 of 5/);
    await expect(evaluateChunkStep({ runId: 'partial', iteration: 0, chunk: 5 }, deps)).rejects.toThrow(/chunk 5 does not exist: 9 held-out tasks make 5 chunks of 2/);
    const first = await evaluatePolicyStep({ runId: 'partial', iteration: 0 }, deps);
    expect(await planEvaluationStep({ runId: 'partial', iteration: 0 }, deps)).toEqual({ iteration: 0, chunks: [] });
    expect(await evaluatePolicyStep({ runId: 'partial', iteration: 0 }, deps)).toEqual(first);
    expect(await getJson(store, runKeys('partial').evaluation(0), EvaluationSchema)).toEqual(first);
  });

  it('plans no chunks for an iteration that is not due', async () => {
    const store = new FileStore(await tempDir());
    const deps = storeOnlyDeps(store);
    await initialiseRun({ ...input('sparse', 3), iterations: 3, evaluation: { chunkSize: 3, every: 2 } }, deps);
    expect(await planEvaluationStep({ runId: 'sparse', iteration: 1 }, deps)).toEqual({ iteration: 1, chunks: [] });
    expect(await finishEvaluationStep({ runId: 'sparse', iteration: 1 }, deps)).toEqual({ iteration: 1, evaluated: false, episodes: 0, interactions: 0, failedAttemptInteractions: 0 });
  });

  it('runs a workflow whose evaluation is not due at every iteration (an empty Map of chunks)', async () => {
    // Prepare
    const runtime = await testRuntime();
    // Act
    const summary = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input('wf-sparse', 4), iterations: 3, evaluation: { chunkSize: 4, every: 2 } }));
    // Assess: evaluated before training, at 2 and at the end
    expect(summary.curve.map(([i]) => i)).toEqual([0, 2, 3]);
    expect(await runtime.store.head(runKeys('wf-sparse').evaluationChunk(1, 0))).toBeUndefined();
  });

  it('fans the chunks out in the workflow and gives the summary of the in-process run in one chunk', async () => {
    // Prepare
    const runtime = await testRuntime();
    // Act
    const viaWorkflow = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, input('wf-chunked', 4)));
    const inOnePiece = await runDreamGym(input('one-piece', 100), storeOnlyDeps(runtime.store));
    // Assess
    expect({ ...viaWorkflow, runId: 'x' }).toEqual({ ...inOnePiece, runId: 'x' });
    for (const iteration of [0, 1, 2]) {
      const chunks = await Promise.all([0, 1, 2].map((c) => runtime.store.head(runKeys('wf-chunked').evaluationChunk(iteration, c))));
      expect(chunks.every(Boolean)).toBe(true);
    }
  });
});
