import { z } from 'zod';
import type { ChatModel } from '../llm/chat-model.ts';
import type { BranchRecord } from './branch-record.ts';
import { ChatMessageSchema } from './iwm-records.ts';
import { policyAnswer, policyMessages } from './policy-prompt.ts';
import { llmReflection } from './reflection-llm.ts';
import { TEMPLATE_REFLECTION, templateReflection } from './reflection-template.ts';

/** Who wrote a reflection: the teacher LLM with the paper's instructions, or the grounded template (no LLM). */
export const ReflectionAuthor = { teacher: 'teacher', template: 'template' } as const;
export type ReflectionAuthor = (typeof ReflectionAuthor)[keyof typeof ReflectionAuthor];

/**
 * One line of the self-reflection dataset: the policy's prompt at the expert state (task, state, available actions)
 * and, as the target, the reflection followed by the expert action in the policy's answer format. Every record says
 * who wrote its reflection (`reflection.author`, and the model or template version in `reflection.by`).
 */
export const SrRecordSchema = z.object({
  messages: z.array(ChatMessageSchema).length(3),
  /** `<trajectoryId>#<stepIndex>`. */
  id: z.string(),
  trajectoryId: z.string(),
  stepIndex: z.number().int().nonnegative(),
  taskId: z.string(),
  env: z.string(),
  expertAction: z.string(),
  alternatives: z.array(z.string()),
  reflection: z.object({ author: z.enum(ReflectionAuthor), by: z.string() }),
});
export type SrRecord = z.infer<typeof SrRecordSchema>;

/**
 * The SR record of one expert state: the teacher writes the reflection when one is given, otherwise the grounded
 * template does (and the record is labelled `template`).
 *
 * @example
 * const record = await srRecord(branch);           // template
 * const record = await srRecord(branch, teacher);  // teacher LLM
 * record.messages[2].content; // 'Thought: …\nAction: click[P0019]'
 */
export async function srRecord(branch: BranchRecord, teacher?: ChatModel): Promise<SrRecord> {
  const reflection = teacher ? await llmReflection(teacher, branch) : templateReflection(branch);
  return {
    messages: [
      ...policyMessages(branch.instruction, branch.state, branch.admissibleActions),
      { role: 'assistant', content: policyAnswer(reflection, branch.expert.action) },
    ],
    id: branch.id, trajectoryId: branch.trajectoryId, stepIndex: branch.stepIndex, taskId: branch.taskId, env: branch.env,
    expertAction: branch.expert.action,
    alternatives: branch.alternatives.map((a) => a.action),
    reflection: teacher
      ? { author: 'teacher', by: `teacher:${teacher.model}` }
      : { author: 'template', by: TEMPLATE_REFLECTION },
  };
}
