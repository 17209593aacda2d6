import { z } from 'zod';
import { LlmPolicyRefSchema } from '../policy-store.ts';

/**
 * What an external trainer receives through the trainer queue: where the batch is (`data`, in the run's
 * `trainer.format`: Parquet in verl's RL schema by default, or the chat-message JSONL; both carry reward, advantage
 * and per-turn rewards, so GRPO and PPO trainers read them), the policy that produced it, and
 * where to answer. On AWS the message also carries a Step Functions task token; answer with SendTaskSuccess and the
 * reply as output. Locally, write the reply as JSON to `replyKey` in the store. Delivery is at least once (a retried
 * hand-off sends again): a trainer treats (runId, iteration) as the request's identity.
 */
export const TrainerRequestSchema = z.object({
  runId: z.string(),
  iteration: z.number().int().min(1),
  store: z.string().describe('the store URI the keys below are in'),
  batch: z.string().describe('the committed batch prefix (its _manifest.json lists the objects)'),
  trajectories: z.string().describe('key of the JSONL: one trajectory per line'),
  trajectoryCount: z.number().int().nonnegative(),
  format: z.enum(['parquet', 'jsonl']).describe('the format of `data`, as the run\'s trainer.format names it'),
  data: z.string().describe('key of the batch in that format: Parquet in verl\'s RL schema, or the trajectory JSONL'),
  policy: LlmPolicyRefSchema.describe('the policy version the batch was sampled from'),
  replyKey: z.string(),
});
export type TrainerRequest = z.infer<typeof TrainerRequestSchema>;

/** The trainer's answer: the next policy version (a model name the policy endpoint serves). */
export const TrainerReplySchema = z.object({
  policy: LlmPolicyRefSchema,
  note: z.string().optional(),
});
export type TrainerReply = z.infer<typeof TrainerReplySchema>;

/** The queue message body: the request, and the task token on AWS. */
export const TrainerMessageSchema = z.object({
  request: TrainerRequestSchema,
  taskToken: z.string().optional(),
});
export type TrainerMessage = z.infer<typeof TrainerMessageSchema>;
