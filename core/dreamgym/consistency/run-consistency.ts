import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { LlmMeter, withLlmMeter, type LlmUsage } from '../../llm/accounting.ts';
import type { ChatModel } from '../../llm/chat-model.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/store.ts';
import { defaultTaskRanges } from '../../env/task-ranges.ts';
import { checkRangeHolds, rangeTaskCount, userRange } from '../../env/session-range.ts';
import { ExperienceSetupSchema, prepareExperience } from '../setup/prepare-experience.ts';
import type { ConsistencyReport } from './consistency-report.ts';
import { evaluateConsistency } from './evaluate-consistency.ts';
import { heldOutTrajectories } from './held-out.ts';
import { environmentKind } from '../../env/environment-kinds.ts';

/** Held-out trajectories consistency replays when the request names no count (fewer where the range holds fewer). */
export const DEFAULT_HELD_OUT = 500;

export const ConsistencyRequestSchema = ExperienceSetupSchema.extend({
  heldOut: z.number().int().min(1).max(100_000).optional()
    .describe(`held-out real trajectories to replay; ${DEFAULT_HELD_OUT} by default, or all of the held-out range where it holds fewer (ALFWorld's 420)`),
  heldOutTaskOffset: z.number().int().min(0).optional()
    .describe('first task of the held-out range (disjoint from training); the environment\'s held-out range by default'),
  heldOutTaskStride: z.number().int().min(1).optional().describe('step between held-out tasks (1 by default)'),
});
export type ConsistencyRequest = z.infer<typeof ConsistencyRequestSchema>;

/**
 * `reverie dreamgym consistency`: prepares the experience model (offline data, replay buffer), generates held-out
 * real trajectories on a task range it never learned from (40% expert, 30% noisy, 30% random where the kind brings
 * a scripted expert, as `shop` does; random elsewhere), and replays their transitions through the model. `llm` is what the run's LLM calls
 * (experience model, embedder) cost, measured for this call only.
 */
export async function runConsistency(
  store: Store,
  request: ConsistencyRequest,
  deps: { config: Config; log: Logger; chat?: ChatModel; onProgress?: (done: number, total: number) => void },
): Promise<ConsistencyReport & { dataset: string; bufferTransitions: number; heldOutTrajectories: number; llm: LlmUsage }> {
  const meter = new LlmMeter();
  const report = await withLlmMeter(meter, () => consistencyOf(store, request, deps));
  return { ...report, llm: meter.usage() };
}

async function consistencyOf(
  store: Store,
  request: ConsistencyRequest,
  deps: { config: Config; log: Logger; chat?: ChatModel; onProgress?: (done: number, total: number) => void },
): Promise<ConsistencyReport & { dataset: string; bufferTransitions: number; heldOutTrajectories: number }> {
  // The held-out range is checked before the experience model is prepared (which may generate offline data).
  const range = userRange(defaultTaskRanges(request.env).heldOut, { offset: request.heldOutTaskOffset, stride: request.heldOutTaskStride }, 'held-out');
  const count = rangeTaskCount(range, request.heldOut, DEFAULT_HELD_OUT);
  checkRangeHolds(range, count, 'held-out', '--held-out');
  const prepared = await prepareExperience(store, request, deps);
  const trajectories = await heldOutTrajectories({ env: request.env, count, range, seed: request.seed + 1, shopSeed: request.seed });
  const pairs = new Set(prepared.buffer.transitions().map((t) => pairKey(t.state, t.action)));
  const report = await evaluateConsistency({
    model: prepared.model, trajectories, agreement: environmentKind(request.env).stateAgreement, onProgress: deps.onProgress, seen: (state, action) => pairs.has(pairKey(state, action)),
  });
  return { ...report, dataset: prepared.dataset.id, bufferTransitions: prepared.buffer.size, heldOutTrajectories: trajectories.length };
}

function pairKey(state: string, action: string): string {
  return `${state.trim()}\u0000${action.trim()}`;
}
