import { NotFoundError } from '../../errors.ts';
import type { BufferedTransition, ExperienceModel } from '../experience/experience-model.ts';
import type { StoredTransition } from '../replay/stored-transition.ts';
import { memoised } from './deps.ts';
import type { TrainDeps } from './deps.ts';

export interface ExperienceModelContext {
  readonly deps: TrainDeps;
  readonly runId: string;
  /** The environment the model stands in for, as the user named it (`shop`, a URL): for its state format only. */
  readonly envSpec: string;
  readonly seed: number;
  /** The built-in shop's catalog seed, so default offline data describes the same catalog. */
  readonly shopSeed?: number;
  /** `experienceModel.options` of the run input (e.g. the offline dataset or replay buffer to learn from). */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ExperienceBinding {
  readonly model: ExperienceModel;
  /**
   * Appends on-policy transitions to the replay buffer the model retrieves from, as one shard (appending a shard id
   * twice adds nothing); absent when the model has no buffer, and the run then says enrichment was skipped.
   */
  readonly appendTransitions?: (shardId: string, transitions: BufferedTransition[]) => Promise<{ appended: number }>;
  /** Real transitions of offline data the model learned from (the run's `offlineInteractions`). */
  readonly offlineInteractions?: () => number;
  /** The buffer's transitions, for a curriculum that judges variations from what the model knows. */
  readonly knowledge?: () => readonly StoredTransition[];
}

export type ExperienceModelFactory = (context: ExperienceModelContext) => Promise<ExperienceBinding>;

const factories = new Map<string, ExperienceModelFactory>();

/**
 * Makes an experience model available to training runs under a kind name (`experienceModel.kind` in the input).
 * The built-in and LLM models register here from the module that builds them; tests and benchmarks register their
 * own. The training loop only ever sees the `ExperienceModel` interface.
 *
 * @example
 * registerExperienceModel('builtin', async ({ deps, options }) => ({ model: await loadBuiltinModel(deps.store, options) }));
 */
export function registerExperienceModel(kind: string, factory: ExperienceModelFactory): void {
  factories.set(kind, factory);
}

/** The registered kinds, sorted (for error messages and `reverie dreamgym run --help`). */
export function registeredExperienceModels(): string[] {
  return [...factories.keys()].sort();
}

/** The run's experience model, built once per run and kind in this process. */
export function openExperienceModel(kind: string, context: ExperienceModelContext): Promise<ExperienceBinding> {
  const factory = factories.get(kind);
  if (!factory) {
    const known = registeredExperienceModels();
    return Promise.reject(new NotFoundError(`no experience model of kind "${kind}" is registered ` +
      `(registered: ${known.length ? known.join(', ') : 'none'}); synthetic and s2r runs need one`));
  }
  return memoised(context.deps, `experience:${context.runId}:${kind}`, () => factory(context));
}
