import type { EnvironmentFactory, EnvironmentSession } from '../../../core/env/environment.ts';
import type { Product, ShopCatalog } from '../../../core/env/shop/catalog.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import type { ShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import type { SearchIndex } from '../../../core/env/shop/search-index.ts';

/**
 * A real `shop` environment whose catalog, search index and reward (which reads the catalog) throw while `sealed`,
 * and which counts the calls made on it: an instrument for "a synthetic iteration touches no real environment".
 */
export interface SealableShop {
  readonly env: ShopEnvironment;
  sealed: boolean;
  /** Calls that reached the real environment, by operation; a sealed call is counted under `sealed:<what>`. */
  readonly calls: Map<string, number>;
  /** Resets, steps, restores and task listings that reached it (what the boundary's totals count). */
  interactions(): number;
}

class SealedMap<K, V> extends Map<K, V> {
  private readonly check: (what: string) => void;

  constructor(entries: Iterable<[K, V]>, check: (what: string) => void) {
    super(entries);
    this.check = check;
  }
  override get(key: K): V | undefined {
    this.check('catalog');
    return super.get(key);
  }
  override has(key: K): boolean {
    this.check('catalog');
    return super.has(key);
  }
}

export function sealableShop(seed: number): SealableShop {
  const calls = new Map<string, number>();
  const bump = (what: string) => calls.set(what, (calls.get(what) ?? 0) + 1);
  const state = { sealed: false };
  const check = (what: string) => {
    if (state.sealed) {
      bump(`sealed:${what}`);
      throw new Error(`the real shop's ${what} was accessed while sealed`);
    }
  };
  const real = createShopEnvironment({ seed });
  const products = new Proxy(real.catalog.products as Product[], {
    get(target, property, receiver) {
      check('catalog');
      return Reflect.get(target, property, receiver);
    },
  });
  const catalog: ShopCatalog = {
    ...real.catalog,
    products,
    byId: new SealedMap(real.catalog.byId, check),
    typeByName: new SealedMap(real.catalog.typeByName, check),
  };
  const shop = createShopEnvironment({ catalog });
  const index = shop.world.index;
  (shop.world as { index: SearchIndex }).index = {
    search: (query) => {
      check('search');
      return index.search(query);
    },
  };
  const counted = <T>(what: string, call: () => Promise<T>): Promise<T> => {
    bump(what);
    try {
      check(what);
    } catch (error) {
      return Promise.reject(error);
    }
    return call();
  };
  const open = shop.open;
  const tasks = shop.tasks;
  const env: ShopEnvironment = {
    ...shop,
    tasks: (range) => counted('tasks', () => tasks(range)),
    open: async () => {
      const session = await counted('open', () => open());
      const wrapped: EnvironmentSession = {
        get task() {
          return session.task;
        },
        reset: (task) => counted('reset', () => session.reset(task)),
        step: (action) => counted('step', () => session.step(action)),
        admissibleActions: () => counted('admissibleActions', () => session.admissibleActions()),
        snapshot: () => counted('snapshot', () => session.snapshot()),
        restore: (snapshot) => counted('restore', () => session.restore(snapshot)),
        close: () => session.close(),
      };
      return wrapped as Awaited<ReturnType<EnvironmentFactory['open']>> as never;
    },
  };
  return {
    env,
    get sealed() {
      return state.sealed;
    },
    set sealed(value: boolean) {
      state.sealed = value;
    },
    calls,
    interactions: () => ['reset', 'step', 'restore', 'tasks'].reduce((sum, op) => sum + (calls.get(op) ?? 0), 0),
  };
}
