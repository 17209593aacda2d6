import type { Runtime } from '../../adapters/runtime.ts';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import type { TrainDeps } from '../../core/dreamgym/train/deps.ts';
import type { ChatModel } from '../../core/llm/chat-model.ts';
import { OpenAIChatModel } from '../../core/llm/openai-chat-model.ts';

registerDefaultExperienceModels();

const depsByRuntime = new WeakMap<Runtime, TrainDeps>();

/**
 * The training steps' ports from the runtime, one set per runtime so a warm Lambda (or the local engine) keeps its
 * environment and experience model between calls. A policy version an external trainer named is another model on
 * the policy endpoint.
 */
export function trainDeps(runtime: Runtime): TrainDeps {
  let deps = depsByRuntime.get(runtime);
  if (!deps) {
    const versions = new Map<string, ChatModel>();
    deps = {
      store: runtime.store,
      chat(role, model) {
        const base = runtime.chat(role);
        const endpoint = runtime.config.llm[role];
        if (!base || !endpoint || model === undefined || model === base.model) return base;
        let versioned = versions.get(`${role}:${model}`);
        if (!versioned) versions.set(`${role}:${model}`, (versioned = new OpenAIChatModel({ ...endpoint, role, model })));
        return versioned;
      },
      embedder: () => runtime.embedder(),
      queue: (name) => runtime.queue(name),
      trainerConfigured: runtime.config.queues.trainer !== undefined,
      onStepFunctions: process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined,
      log: runtime.log,
      memo: new Map(),
    };
    depsByRuntime.set(runtime, deps);
  }
  return deps;
}
