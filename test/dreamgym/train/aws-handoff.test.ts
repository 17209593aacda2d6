import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../core/errors.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { initialiseRun } from '../../../core/dreamgym/train/steps/initialise.ts';
import { trainDeps } from '../../../functions/dreamgym-train/deps.ts';
import { testRuntime } from '../../helpers/runtime.ts';

const llm = { REVERIE_POLICY_BASE_URL: 'http://127.0.0.1:9/v1', REVERIE_POLICY_MODEL: 'agent-v0' };
const input = { runId: 'aws-store', mode: 'real', policy: { kind: 'llm' }, trainer: { kind: 'external', handoff: 'store' } } as const;

describe('the store hand-off on AWS', () => {
  it('is refused before anything is written: one Lambda cannot wait longer than 15 minutes for a trainer', async () => {
    const runtime = await testRuntime({ env: llm });
    const deps = { ...trainDeps(runtime), onStepFunctions: true, trainerConfigured: true };
    const refused = initialiseRun(input, deps);
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toThrow(/handoff "store".*15 minutes.*"task-token"/);
    expect(await runtime.store.head(runKeys('aws-store').run)).toBeUndefined();
  });

  it('is still the local path in-process, and auto picks the task token on AWS', async () => {
    const runtime = await testRuntime({ env: llm });
    const local = await initialiseRun(input, { ...trainDeps(runtime), onStepFunctions: false, trainerConfigured: true });
    expect(local.trainStep).toBe('external-store');
    const aws = await initialiseRun({ ...input, runId: 'aws-auto', trainer: { kind: 'external', handoff: 'auto' } },
      { ...trainDeps(runtime), onStepFunctions: true, trainerConfigured: true });
    expect(aws.trainStep).toBe('external-task-token');
  });
});
