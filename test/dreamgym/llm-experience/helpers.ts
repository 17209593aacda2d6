import type { BufferedTransition, RetrievedTransition, TransitionRetriever } from '../../../core/dreamgym/experience/experience-model.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import { OpenAIChatModel } from '../../../core/llm/openai-chat-model.ts';
import type { OpenAIServer } from '../../fixtures/openai-server.ts';

/** Every step of the records, as the replay buffer would hold them. */
export function bufferedTransitions(records: readonly TrajectoryRecord[]): BufferedTransition[] {
  return records.flatMap((record) => record.steps.map((step, stepIndex) => ({
    ...step, id: `${record.id}#${stepIndex}`, trajectoryId: record.id, taskId: record.task.id,
    instruction: record.task.instruction, stepIndex, source: 'offline' as const, episodeReward: record.finalReward,
  })));
}

/**
 * A small in-memory D_k source: Jaccard similarity of the words of state + action, returned in whatever order
 * `shuffle` says, so tests can check that the prompt's order does not depend on the retriever's.
 */
export class WordOverlapRetriever implements TransitionRetriever {
  readonly calls: Array<{ state: string; action: string; k: number }> = [];
  private readonly transitions: readonly BufferedTransition[];
  private readonly shuffle: boolean;

  constructor(transitions: readonly BufferedTransition[], options: { shuffle?: boolean } = {}) {
    this.transitions = transitions;
    this.shuffle = options.shuffle ?? false;
  }

  async retrieve(state: string, action: string, k: number): Promise<RetrievedTransition[]> {
    this.calls.push({ state, action, k });
    const query = words(`${state} ${action}`);
    const scored = this.transitions.map((transition) => {
      const other = words(`${transition.state} ${transition.action}`);
      const shared = [...query].filter((w) => other.has(w)).length;
      return { transition, similarity: shared / (query.size + other.size - shared || 1) };
    });
    const top = scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
    return this.shuffle ? top.reverse() : top;
  }
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
}

export function chatModel(server: OpenAIServer, overrides: { maxRetries?: number; repairRetries?: number; role?: string; temperature?: number; maxTokens?: number } = {}): OpenAIChatModel {
  return new OpenAIChatModel({
    role: overrides.role ?? 'experience', baseUrl: server.url, apiKey: 'k', model: 'exp-model',
    concurrency: 8, timeoutMs: 2_000, maxRetries: overrides.maxRetries ?? 3, repairRetries: overrides.repairRetries ?? 1, retryBaseDelayMs: 5,
    temperature: overrides.temperature, maxTokens: overrides.maxTokens,
  });
}
