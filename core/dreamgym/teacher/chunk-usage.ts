import { z } from 'zod';
import type { CallUsage } from '../../llm/usage.ts';

/** Tokens the teacher spent on a chunk's usable answers (repairs included). */
export const ChunkUsageSchema = z.object({
  answers: z.number().int().nonnegative(),
  promptTokens: z.number().nonnegative(),
  completionTokens: z.number().nonnegative(),
  totalTokens: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  repairs: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type ChunkUsage = z.infer<typeof ChunkUsageSchema>;

export function emptyChunkUsage(): ChunkUsage {
  return { answers: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, attempts: 0, repairs: 0, latencyMs: 0 };
}

export function addAnswerUsage(total: ChunkUsage, usage: CallUsage, repairs: number): void {
  total.answers++;
  total.promptTokens += usage.promptTokens;
  total.completionTokens += usage.completionTokens;
  total.totalTokens += usage.totalTokens;
  total.attempts += usage.attempts;
  total.repairs += repairs;
  total.latencyMs += usage.latencyMs;
}

export function addChunkUsage(total: ChunkUsage, usage: ChunkUsage): void {
  for (const key of Object.keys(total) as (keyof ChunkUsage)[]) total[key] += usage[key];
}
