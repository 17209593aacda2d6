import { z } from 'zod';
import { describeError, InvalidInputError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import type { Store } from '../../store/store.ts';
import { EnvSpecSchema, IdSchema } from '../../ids.ts';
import { candidateActions } from '../../env/candidate-actions.ts';
import type { EnvironmentFactory, Task } from '../../env/environment.ts';
import { environmentDataKey } from '../../env/environment-kinds.ts';
import { openEnvironment } from '../../env/open-environment.ts';
import { parseAgentTraj } from './agenttraj.ts';
import type { ExpertScript } from './agenttraj.ts';
import { writeOfflineDataset } from './dataset-store.ts';
import type { OfflineDataset } from './dataset-store.ts';
import { parseTrajectoryJsonl } from './parse-records.ts';
import type { Transition, TrajectoryRecord } from './trajectory-record.ts';

export const ImportRequestSchema = z.object({
  env: EnvSpecSchema,
  format: z.enum(['agentgym', 'reverie']),
  /** The file's text. */
  text: z.string(),
  dataset: IdSchema.optional(),
});
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

/** A trajectory that did not replay as recorded: its id, the step and why. */
export interface Divergence {
  readonly id: string;
  readonly step: number;
  readonly reason: string;
}

export interface ImportResult {
  readonly dataset: OfflineDataset;
  readonly read: number;
  readonly imported: number;
  readonly diverged: Divergence[];
}

/**
 * `reverie dreamgym import`: reads expert trajectories (AgentGym's AgentTraj conversations, or Reverie's own
 * records), replays each against the environment to verify it, and commits the ones that replay as a dataset of
 * `expert` trajectories with what the environment answered (states, rewards, admissible actions). A trajectory
 * whose action the environment does not accept, whose observation differs from the recorded one (Reverie format),
 * that ends early or does not succeed is reported by id and left out. The same file gives the same dataset id.
 *
 * @example
 * const result = await importExperts(store, { env: 'http://localhost:36001', format: 'agentgym', text });
 * result.diverged; // [{ id: 'webshop_12', step: 3, reason: 'action "click[b0x]" is not admissible' }]
 */
export async function importExperts(store: Store, request: ImportRequest): Promise<ImportResult> {
  const env = openEnvironment(request.env, {}) as EnvironmentFactory;
  const scripts = request.format === 'agentgym' ? parseAgentTraj(request.text) : reverieScripts(request.text);
  if (scripts.length === 0) throw new InvalidInputError('the import file holds no trajectories');
  const id = request.dataset ?? `${environmentDataKey(request.env)}-import-${(hashSeed(request.text) >>> 0).toString(36)}`;
  const records: TrajectoryRecord[] = [];
  const diverged: Divergence[] = [];
  const session = await env.open();
  try {
    for (const script of scripts) {
      const outcome = await replay(env, session, script);
      if ('reason' in outcome) diverged.push(outcome);
      else records.push(outcome);
    }
  } finally {
    await session.close().catch(() => {});
  }
  if (records.length === 0) {
    throw new InvalidInputError(`none of the ${scripts.length} trajectories replays against ${request.env}; `
      + `first: ${diverged[0].id} at step ${diverged[0].step}: ${diverged[0].reason}`);
  }
  const dataset = await writeOfflineDataset(store, id, (async function* () {
    yield* records;
  })(), { env: request.env, plan: { expert: records.length }, seed: 0 });
  return { dataset, read: scripts.length, imported: records.length, diverged };
}

type Replayed = TrajectoryRecord | Divergence;

async function replay(env: EnvironmentFactory, session: Awaited<ReturnType<EnvironmentFactory['open']>>, script: ExpertScript & { expected?: string[]; task?: Task }): Promise<Replayed> {
  const [listed] = script.task ? [script.task] : await env.tasks({ offset: script.sessionId, count: 1 });
  let observation;
  try {
    observation = await session.reset(listed);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { id: script.id, step: 0, reason: describeError(error) };
  }
  const task = session.task ?? listed;
  if (script.expected && script.expected[0] !== observation.text) return { id: script.id, step: 0, reason: 'the first observation differs' };
  const steps: Transition[] = [];
  for (const [i, action] of script.actions.entries()) {
    const admissibleActions = await candidateActions(session, task.instruction, observation.text);
    const result = await session.step(action);
    steps.push({ state: observation.text, action, nextState: result.observation.text, reward: result.reward, done: result.done, valid: result.valid, admissibleActions });
    if (!result.valid) return { id: script.id, step: i + 1, reason: `action "${action}" is not admissible` };
    if (script.expected && script.expected[i + 1] !== result.observation.text) {
      return { id: script.id, step: i + 1, reason: `the observation after "${action}" differs from the recorded one` };
    }
    if (result.done && i < script.actions.length - 1) return { id: script.id, step: i + 1, reason: 'the episode ended before the last action' };
    observation = result.observation;
  }
  const last = steps[steps.length - 1];
  if (!last.done) return { id: script.id, step: steps.length, reason: 'the episode did not end after the last action' };
  if (last.reward < 1) return { id: script.id, step: steps.length, reason: `the episode ended with reward ${last.reward}, not success` };
  return {
    id: `import-${script.id}`, env: env.spec, task, policy: 'expert', seed: 0, steps, finalReward: last.reward, success: true,
  };
}

function reverieScripts(text: string): (ExpertScript & { expected: string[]; task: Task })[] {
  const parsed = parseTrajectoryJsonl(text, { source: 'import file' });
  if (parsed.malformed.length > 0) {
    const bad = parsed.malformed[0];
    throw new InvalidInputError(`import file line ${bad.line} is not a trajectory record: ${bad.message}`);
  }
  return parsed.records.map((r) => ({
    id: r.id, sessionId: 0, actions: r.steps.map((s) => s.action), task: r.task,
    expected: [r.steps[0].state, ...r.steps.map((s) => s.nextState)],
  }));
}
