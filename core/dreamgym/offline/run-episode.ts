import { ErrorKind, ReverieError } from '../../errors.ts';
import type { Rng } from '../../random.ts';
import type { EnvironmentSession, Observation, Task } from '../../env/environment.ts';
import { candidateActions } from '../../env/candidate-actions.ts';
import type { ScriptedPolicy } from '../../env/policy.ts';
import type { Transition } from './trajectory-record.ts';

/** Far above any step limit: only an environment that ignores its own limit gets here. */
const RUNAWAY_STEPS = 10_000;

export interface EpisodeOutcome {
  /** The task as the environment ended up knowing it (an HTTP server may fill in the instruction). */
  readonly task: Task;
  readonly steps: Transition[];
  readonly finalReward: number;
  readonly success: boolean;
}

/**
 * Plays one episode of `task` with a scripted policy until the environment says done (its step limit guarantees
 * that), recording each transition with the admissible actions of its state.
 *
 * @example
 * const outcome = await runEpisode(await shop.open(), shop.task(0), createShopExpert(shop.catalog), createRng(1));
 * outcome.success; // true
 */
export async function runEpisode(
  session: EnvironmentSession,
  task: Task,
  policy: ScriptedPolicy,
  rng: Rng,
): Promise<EpisodeOutcome> {
  let observation = await session.reset(task);
  const resolvedTask = session.task ?? task;
  const steps: Transition[] = [];
  const history: { action: string; observation: Observation }[] = [];
  for (;;) {
    if (steps.length >= RUNAWAY_STEPS) {
      const message = `episode of task ${task.id} ran ${RUNAWAY_STEPS} steps without ending; `
        + 'the environment is not enforcing its step limit';
      throw new ReverieError(ErrorKind.failed, message);
    }
    const admissibleActions = await candidateActions(session, resolvedTask.instruction, observation.text);
    const actionTemplates = (await session.actionTemplates?.()) ?? [];
    const action = await policy.act({ task: resolvedTask, observation, admissibleActions, actionTemplates, history, rng });
    const result = await session.step(action);
    steps.push({
      state: observation.text,
      action,
      nextState: result.observation.text,
      reward: result.reward,
      done: result.done,
      valid: result.valid,
      admissibleActions,
    });
    history.push({ action, observation: result.observation });
    observation = result.observation;
    if (result.done) break;
  }
  const finalReward = steps[steps.length - 1].reward;
  return { task: resolvedTask, steps, finalReward, success: finalReward >= 1 };
}
