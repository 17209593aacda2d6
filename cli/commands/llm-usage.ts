import type { LlmUsage } from '../../core/llm/accounting.ts';

/** One line per LLM role for a command's text output; none when no LLM was called. */
export function llmUsageLines(usage: LlmUsage | undefined): string[] {
  return Object.entries(usage ?? {}).map(([role, u]) =>
    `  llm ${role}: ${u.calls} calls, ${u.retries} retries, ${u.schemaFailures} schema failures, ${u.failures} failures, ` +
    `${u.promptTokens} prompt + ${u.completionTokens} completion tokens`);
}
