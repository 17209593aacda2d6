import type { EnvironmentFactory, EnvironmentSession, EnvironmentSnapshot, TaskRange } from '../environment.ts';
import { generateShopCatalog } from './catalog.ts';
import type { ShopCatalog } from './catalog.ts';
import { ShopEpisode } from './episode.ts';
import type { ShopTask } from './goal.ts';
import { createSearchIndex } from './search-index.ts';
import { generateShopTask, shopTasks } from './tasks.ts';
import type { ShopView } from './view.ts';
import type { ShopWorld } from './world.ts';

export interface ShopEnvironmentOptions {
  /** Seed of the generated catalog (and of its tasks); 0 by default. */
  readonly seed?: number;
  /** Products in the catalog; 1,000 by default. */
  readonly catalogSize?: number;
  /** A catalog made elsewhere (takes precedence over seed and catalogSize). */
  readonly catalog?: ShopCatalog;
  /** Steps before an episode ends unfinished; 15 by default. */
  readonly maxSteps?: number;
  /** Results per page, 1 to 5; 5 by default. */
  readonly resultsPerPage?: number;
}

export interface ShopEnvironment extends EnvironmentFactory<ShopView> {
  readonly label: 'shop';
  readonly world: ShopWorld;
  readonly catalog: ShopCatalog;
  /** Task number `index` of this catalog (deterministic). */
  task(index: number): ShopTask;
  tasks(range: TaskRange): Promise<ShopTask[]>;
  /** A synchronous episode on the same world: the fast path for millions of steps. */
  openEpisode(): ShopEpisode;
}

/**
 * The built-in `shop` environment: a seeded catalog and WebShop's page rules, in process.
 *
 * @example
 * const shop = createShopEnvironment({ seed: 1 });
 * const session = await shop.open();
 * await session.reset(shop.task(0));
 * const result = await session.step((await session.admissibleActions())[0]);
 */
export function createShopEnvironment(options: ShopEnvironmentOptions = {}): ShopEnvironment {
  const catalog = options.catalog ?? generateShopCatalog({ seed: options.seed, size: options.catalogSize });
  const world: ShopWorld = {
    catalog,
    index: createSearchIndex(catalog),
    resultsPerPage: Math.min(5, Math.max(1, Math.floor(options.resultsPerPage ?? 5))),
    maxSteps: Math.max(1, Math.floor(options.maxSteps ?? 15)),
  };
  return {
    spec: 'shop',
    label: 'shop',
    world,
    catalog,
    task: (index) => generateShopTask(catalog, index),
    tasks: async (range) => shopTasks(catalog, range),
    openEpisode: () => new ShopEpisode(world),
    open: async () => openShopSession(new ShopEpisode(world)),
  };
}

/** The environment as the built-in shop, when it is one (by label and shape), else undefined. */
export function asShopEnvironment(env: EnvironmentFactory): ShopEnvironment | undefined {
  const candidate = env as Partial<ShopEnvironment>;
  return env.label === 'shop' && candidate.catalog !== undefined && candidate.world !== undefined ? (env as ShopEnvironment) : undefined;
}

function openShopSession(episode: ShopEpisode): EnvironmentSession<ShopView> {
  return {
    get task() {
      return episode.task;
    },
    reset: async (task) => episode.reset(task),
    step: async (action) => episode.step(action),
    admissibleActions: async () => episode.admissibleActions(),
    snapshot: async () => episode.snapshot() as EnvironmentSnapshot,
    restore: async (snapshot) => episode.restore(snapshot),
    close: async () => {},
  };
}
