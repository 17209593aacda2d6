import type { ChatModel } from '../llm/chat-model.ts';
import type { Semaphore } from '../llm/semaphore.ts';

/** Shortens long states before they become IWM targets (the paper summarises WebShop pages to about 345 characters). */
export interface StateSummariser {
  /** Recorded in every IWM record whose target it shortened, e.g. `extract-v1@400` or `teacher:qwen3-8b@400`. */
  readonly name: string;
  readonly maxChars: number;
  summarise(state: string): Promise<string>;
}

/**
 * Keeps whole lines from the top while they fit (the page line and the first elements matter most in the abstract
 * states Reverie uses), and says how many lines it dropped. No model, deterministic.
 *
 * @example
 * await extractiveSummariser(80).summarise(longResultsPage); // 'page: results\nquery: red shirt\n… (5 more lines)'
 */
export function extractiveSummariser(maxChars: number): StateSummariser {
  return {
    name: `extract-v1@${maxChars}`,
    maxChars,
    summarise: async (state) => {
      const lines = state.split('\n');
      const kept: string[] = [];
      let length = 0;
      for (const line of lines) {
        const dropped = lines.length - kept.length - 1;
        const tail = dropped > 0 ? `\n… (${dropped} more lines)`.length : 0;
        if (length + line.length + 1 + tail > maxChars) break;
        kept.push(line);
        length += line.length + 1;
      }
      if (kept.length === 0) return `${state.slice(0, Math.max(0, maxChars - 1))}…`;
      const dropped = lines.length - kept.length;
      return dropped > 0 ? `${kept.join('\n')}\n… (${dropped} more lines)` : kept.join('\n');
    },
  };
}

const SUMMARY_INSTRUCTIONS = `You summarise states of a text-based environment for training data. Keep the page or location, and every element an agent could act on (ids, titles, prices, options, buttons, objects), in the state's own format; drop repetition and decoration. Answer with the summary only.`;

/**
 * Summaries written by the teacher LLM, asked to stay within `maxChars`.
 *
 * @example
 * const summariser = teacherSummariser(runtime.chat('teacher')!, 400, new Semaphore(4));
 */
export function teacherSummariser(teacher: ChatModel, maxChars: number, gate: Semaphore): StateSummariser {
  return {
    name: `teacher:${teacher.model}@${maxChars}`,
    maxChars,
    summarise: (state) => gate.run(async () => {
      const { text } = await teacher.complete([
        { role: 'system', content: SUMMARY_INSTRUCTIONS },
        { role: 'user', content: `Summarise this state in at most ${maxChars} characters:\n\n${state}` },
      ], { temperature: 0 });
      return text.trim();
    }),
  };
}
