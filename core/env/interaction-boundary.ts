import type { EnvironmentFactory, EnvironmentSession, Task, TaskRange } from './environment.ts';
import { RealEnvironmentRefusedError } from './errors.ts';

/**
 * What a real access is for: `setup` (task lists and offline data, before training), `training` (real iterations),
 * `evaluation` (held-out real tasks), or `synthetic` (a synthetic iteration, where every access is refused).
 */
export type AccessPhase = 'setup' | 'training' | 'evaluation' | 'synthetic';

/**
 * Accesses by operation. `total` (what `realInteractions` and `evaluationInteractions` report) counts resets, steps,
 * restores, task listings and environment-specific accesses; opening a session, listing the current state's
 * admissible actions and taking a snapshot read what a step already returned, so they are guarded and listed in
 * `byOperation` but not added to `total`.
 */
export interface AccessCounts {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

/**
 * The one place real-environment accesses go through. It wraps an environment factory; every session operation
 * (open, reset, step, admissible actions, snapshot, restore), every task listing and every environment-specific
 * check (`access`) is counted, and in the `synthetic` phase refused with `RealEnvironmentRefusedError`. The
 * wrapped factory exposes only the generic interface, so a `shop` catalog, search index or reward is out of reach
 * except through `access`.
 *
 * @example
 * const boundary = new InteractionBoundary(shop, 'evaluation');
 * const session = await boundary.env.open();
 * await session.reset(task);
 * boundary.counts().total; // 1 (the reset; opening is a read)
 */
export class InteractionBoundary {
  readonly phase: AccessPhase;
  readonly env: EnvironmentFactory;
  /** The most counted accesses (`counts().total`) this boundary lets through; beyond it every one is refused. */
  readonly limit: number;
  private readonly real: EnvironmentFactory;
  private readonly tally = new Map<string, number>();

  constructor(real: EnvironmentFactory, phase: AccessPhase, options: { limit?: number } = {}) {
    this.real = real;
    this.phase = phase;
    this.limit = options.limit ?? Infinity;
    const through = this.through.bind(this);
    this.env = {
      spec: real.spec,
      label: real.label,
      open: async () => guardSession(await through('open', () => real.open()), through),
      tasks: (range: TaskRange) => through('tasks', () => real.tasks(range)),
    };
  }

  /**
   * An environment-specific access (e.g. a `shop` feasibility check against the catalog), counted and guarded
   * like every other; `use` gets the real environment.
   */
  access<T>(operation: string, use: (real: EnvironmentFactory) => T): T {
    return this.count(operation, () => use(this.real));
  }

  counts(): AccessCounts {
    let total = 0;
    for (const [operation, n] of this.tally) if (!READS.has(operation)) total += n;
    return { total, byOperation: Object.fromEntries(this.tally) };
  }

  private through<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return this.count(operation, call);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private count<T>(operation: string, call: () => T): T {
    if (this.phase === 'synthetic') throw new RealEnvironmentRefusedError(operation, 'a synthetic iteration');
    if (!READS.has(operation) && this.counts().total >= this.limit) throw new RealBudgetExhaustedError(operation, this.limit);
    this.tally.set(operation, (this.tally.get(operation) ?? 0) + 1);
    return call();
  }
}

/** A counted access beyond the boundary's budget of real interactions (S2R's capped real phase). */
export class RealBudgetExhaustedError extends Error {
  readonly operation: string;

  constructor(operation: string, limit: number) {
    super(`the real environment refused "${operation}": this step's budget of ${limit} real interactions is spent`);
    this.name = 'RealBudgetExhaustedError';
    this.operation = operation;
  }
}

const READS: ReadonlySet<string> = new Set(['open', 'admissibleActions', 'snapshot']);

type Through = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

function guardSession<TData>(session: EnvironmentSession<TData>, through: Through): EnvironmentSession<TData> {
  return {
    get task(): Task | undefined {
      return session.task;
    },
    reset: (task) => through('reset', () => session.reset(task)),
    step: (action) => through('step', () => session.step(action)),
    admissibleActions: () => through('admissibleActions', () => session.admissibleActions()),
    actionTemplates: () => through('admissibleActions', async () => (await session.actionTemplates?.()) ?? []),
    snapshot: () => through('snapshot', () => session.snapshot()),
    restore: (snapshot) => through('restore', () => session.restore(snapshot)),
    close: () => session.close(),
  };
}
