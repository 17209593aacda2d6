import type { z } from 'zod';
import { StoreVerifyInputSchema } from '../core/store/verify-input.ts';
import { AnnotateInputSchema } from '../core/dreamgym/teacher/annotate-input.ts';
import { EarlyExperienceInputSchema } from '../core/early/input.ts';
import { DreamGymTrainInputSchema } from '../core/dreamgym/train/input.ts';
import { BackfillInputSchema } from '../core/backfill/pipeline/input.ts';

/**
 * Every workflow: its definition lives in `workflows/<name>.asl.json`; its input schema (declared in core) checks
 * and completes the input before any engine starts it, so the API, CLI and schedules all get the same errors.
 */
export interface WorkflowEntry {
  name: string;
  description: string;
  input: z.ZodType;
}

export const WORKFLOWS: readonly WorkflowEntry[] = [
  { name: 'store-verify', description: 'Re-read every committed batch and check it against its manifest', input: StoreVerifyInputSchema },
  { name: 'dreamgym-annotate', description: 'Annotate offline DreamGym transitions with teacher-LLM reasoning: the experience model\'s SFT dataset', input: AnnotateInputSchema },
  { name: 'early-experience', description: 'Early experience: branch alternative actions from expert states in the real environment; build the implicit-world-modeling and self-reflection datasets', input: EarlyExperienceInputSchema },
  { name: 'dreamgym-train', description: 'DreamGym training loop: synthetic (or real) GRPO rollouts per task group, replay enrichment, training, curriculum, evaluation on held-out real tasks', input: DreamGymTrainInputSchema },
  { name: 'backfill', description: 'Online backfill of a gallery: re-embed it shard by shard with the new model (resumable, at most maxShards per run), refit the online ψ as it advances, and make the new model the gallery\'s model at 100%', input: BackfillInputSchema },
];

export function workflowEntry(name: string): WorkflowEntry | undefined {
  return WORKFLOWS.find((w) => w.name === name);
}
