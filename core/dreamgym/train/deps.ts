import type { ChatModel } from '../../llm/chat-model.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';
import type { Logger } from '../../log.ts';
import type { Queue } from '../../queue/queue.ts';
import type { Store } from '../../store/store.ts';
import type { EnvironmentFactory } from '../../env/environment.ts';
import type { DreamGymTrainInput } from './input.ts';

/**
 * What the training steps need from their host, as plain ports (core never sees the runtime): the store, chat
 * models by role, an embedder, queues, and a per-process memo so a warm Lambda or the in-process driver builds an
 * environment or experience model once.
 */
export interface TrainDeps {
  readonly store: Store;
  /** The chat model of a role; `model` asks for another model on the same endpoint (a trained policy version). */
  chat(role: 'policy' | 'experience' | 'teacher', model?: string): ChatModel | undefined;
  embedder?(): TextEmbedder | undefined;
  queue?(name: string): Queue;
  /** Whether an external trainer is set up (a trainer queue is configured); decides `trainer.kind: auto`. */
  readonly trainerConfigured?: boolean;
  /** The steps run as Lambdas under AWS Step Functions, where task tokens exist; decides `trainer.handoff: auto`. */
  readonly onStepFunctions?: boolean;
  readonly log?: Logger;
  /** The real environment of a run, when the host builds it (tests instrument it); `openEnvironment` otherwise. */
  environment?(input: DreamGymTrainInput): EnvironmentFactory;
  readonly memo: Map<string, Promise<unknown>>;
}

/** The value built once per key in this process. */
export function memoised<T>(deps: TrainDeps, key: string, build: () => Promise<T>): Promise<T> {
  let value = deps.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = build();
    deps.memo.set(key, value);
    value.catch(() => deps.memo.delete(key));
  }
  return value;
}

/**
 * Deps over a store alone: built-in policy and models, no LLM, in-process queues.
 *
 * @example
 * const summary = await runDreamGym({ mode: 'synthetic' }, storeOnlyDeps(new FileStore('.reverie')));
 */
export function storeOnlyDeps(store: Store, extra: Partial<Omit<TrainDeps, 'store' | 'memo'>> = {}): TrainDeps {
  return { store, chat: () => undefined, memo: new Map(), ...extra };
}
