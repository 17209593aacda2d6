import { ConflictError, InvalidInputError } from '../../errors.ts';
import type { Observation, StepResult } from '../environment.ts';
import { shopAdmissibleActions } from './admissible.ts';
import { buildShopView } from './build-view.ts';
import { ShopTaskSchema } from './goal.ts';
import type { ShopTask } from './goal.ts';
import { renderShopView } from './render-view.ts';
import { parseShopSnapshot } from './snapshot.ts';
import type { ShopEpisodeState, ShopSnapshot } from './snapshot.ts';
import { shopTransition } from './transition.ts';
import type { ShopView } from './view.ts';
import type { ShopWorld } from './world.ts';

const START: ShopEpisodeState = {
  page: 'search', query: '', pageIndex: 1, itemId: '', selected: {}, steps: 0, done: false, reward: 0,
};

/**
 * One `shop` episode, synchronous: the fast path under the async session, for code that steps millions of times.
 *
 * @example
 * const episode = new ShopEpisode(world);
 * episode.reset(task);
 * episode.step('search[cotton t-shirt]').observation.text; // 'page: results\n...'
 */
export class ShopEpisode {
  private readonly world: ShopWorld;
  private currentTask: ShopTask | undefined;
  private state: ShopEpisodeState = START;

  constructor(world: ShopWorld) {
    this.world = world;
  }

  get task(): ShopTask | undefined {
    return this.currentTask;
  }

  /** Starts the task on the search page. Throws InvalidInputError when the task has no valid shop goal. */
  reset(task: unknown): Observation<ShopView> {
    const parsed = ShopTaskSchema.safeParse(task);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`shop task is malformed at "${issue.path.join('.')}": ${issue.message}`);
    }
    this.start(parsed.data, START);
    return this.observation();
  }

  step(action: string): StepResult<ShopView> {
    const task = this.requireTask();
    if (this.state.done) throw new ConflictError(`shop episode of task ${task.id} is over; reset or restore first`);
    const transition = shopTransition(this.world, task, this.state, action);
    const steps = this.state.steps + 1;
    const truncated = !transition.state.done && steps >= this.world.maxSteps;
    this.state = { ...transition.state, steps, done: transition.state.done || truncated };
    const info: Record<string, unknown> = { page: this.state.page, steps };
    if (truncated) info.truncated = true;
    if (transition.reward) Object.assign(info, transition.reward);
    const { reward, done } = this.state;
    return { observation: this.observation(), reward, done, valid: transition.valid, info };
  }

  admissibleActions(): string[] {
    const task = this.currentTask;
    if (!task || this.state.done) return [];
    return shopAdmissibleActions(this.view(), task.goal);
  }

  view(): ShopView {
    return buildShopView(this.world, this.state);
  }

  observation(): Observation<ShopView> {
    const view = this.view();
    return { text: renderShopView(view), data: view };
  }

  snapshot(): ShopSnapshot {
    const task = this.requireTask();
    const { seed, size } = this.world.catalog;
    const snapshot: ShopSnapshot = { env: 'shop', catalog: { seed, size }, task, state: this.state };
    return structuredClone(snapshot);
  }

  restore(snapshot: unknown): Observation<ShopView> {
    const parsed = parseShopSnapshot(snapshot);
    const { seed, size } = this.world.catalog;
    if (parsed.catalog.seed !== seed || parsed.catalog.size !== size) {
      throw new InvalidInputError(`shop snapshot belongs to catalog seed ${parsed.catalog.seed} size ` +
        `${parsed.catalog.size}, this environment has seed ${seed} size ${size}`);
    }
    const { page, itemId } = parsed.state;
    if ((page === 'item' || page === 'done') && !this.world.catalog.byId.has(itemId)) {
      throw new InvalidInputError(`shop snapshot names product "${itemId}", which is not in the catalog`);
    }
    this.start(parsed.task, parsed.state);
    return this.observation();
  }

  private start(task: ShopTask, state: ShopEpisodeState): void {
    this.currentTask = task;
    this.state = state;
  }

  private requireTask(): ShopTask {
    if (!this.currentTask) throw new ConflictError('shop episode has no task yet; call reset(task) first');
    return this.currentTask;
  }
}
