import { z } from 'zod';
import { hashSeed } from '../../random.ts';
import type { ChatMessage, ChatModel } from '../../llm/chat-model.ts';
import type { Task } from '../../env/environment.ts';
import { LlmOutputError } from '../../llm/errors.ts';
import type { CheckedVariation, TaskGenerator } from './task-generator.ts';

const ProposalSchema = z.object({
  variations: z.array(z.object({
    instruction: z.string().min(1),
    goal: z.unknown().optional().describe('the structured goal, in the same format as the seed task\'s goal'),
  })),
});

const SelectionSchema = z.object({
  picks: z.array(z.object({
    index: z.number().int().min(0),
    reason: z.string().describe('why this variation is challenging yet feasible and well defined'),
  })).describe('the chosen variations, hardest first'),
});

export interface LlmTaskGeneratorOptions {
  /** The environment's rules, so proposals stay within what it can do. */
  readonly rules: string;
  /** Makes a proposal a runnable task, or undefined when it is not well formed or not feasible (for `shop`: buildShopTask). */
  readonly check?: (proposal: { instruction: string; goal?: unknown }) => Task | undefined;
}

/**
 * DreamGym's LLM task generator: one prompt writes harder variations of a high-value seed task, a second picks those
 * that are challenging but feasible and well defined. Proposals pass `check` first, so a variation the environment
 * could never complete is dropped before the model even judges it. An answer that still fails its schema after the
 * chat model's repair retries is dropped (no variations from that seed) and counted in `schemaFailures`, as a
 * training rollout's is; an endpoint that stays down still fails the step.
 *
 * @example
 * const generator = createLlmTaskGenerator(runtime.chat('experience')!, { rules: environmentKind('shop').rules, check: tryShopTask });
 */
export function createLlmTaskGenerator(chat: ChatModel, options: LlmTaskGeneratorOptions): TaskGenerator & { readonly schemaFailures: number } {
  let schemaFailures = 0;
  const dropped = <T>(error: unknown, empty: T): T => {
    if (!(error instanceof LlmOutputError)) throw error;
    schemaFailures++;
    return empty;
  };
  const system: ChatMessage = {
    role: 'system',
    content: `You design training tasks for an agent in this environment:\n${options.rules}\n` +
      'Tasks must be solvable in the environment and state everything the agent needs.',
  };
  const check = options.check ?? ((p) => ({ id: `gen-${hashSeed(p.instruction).toString(16)}`, instruction: p.instruction, goal: p.goal }));
  return {
    name: `llm:${chat.model}`,
    get schemaFailures() {
      return schemaFailures;
    },
    async propose(seed, count) {
      const answer = await chat.completeStructured([system, {
        role: 'user',
        content: `Seed task (the agent succeeds on it only sometimes):\n${JSON.stringify({ instruction: seed.instruction, goal: seed.goal })}\n\n` +
          `Write ${count} variations that are harder: add or change constraints, keep them feasible.`,
      }], ProposalSchema, { name: 'task_variations', temperature: 1 }).catch((error: unknown) => dropped(error, undefined));
      if (!answer) return [];
      return answer.value.variations.flatMap((proposal) => {
        const task = check(proposal);
        return task ? [task] : [];
      });
    },
    async select(seed, candidates, keep) {
      if (candidates.length === 0) return [];
      const listing = candidates.map((task, i) => `${i}. ${task.instruction}`).join('\n');
      const answer = await chat.completeStructured([system, {
        role: 'user',
        content: `Seed task: ${seed.instruction}\n\nCandidate variations:\n${listing}\n\n` +
          `Pick up to ${keep} that are challenging but feasible and well defined, hardest first.`,
      }], SelectionSchema, { name: 'task_selection', temperature: 0 }).catch((error: unknown) => dropped(error, undefined));
      if (!answer) return [];
      const picked = [...new Set(answer.value.picks.map((p) => p.index).filter((i) => i < candidates.length))].slice(0, keep);
      return picked.map((index, rank): CheckedVariation => ({ task: candidates[index], difficulty: keep - rank }));
    },
  };
}
