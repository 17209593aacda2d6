import { EarlyExperienceInputSchema } from '../../core/early/input.ts';
import { planEarlyExperience } from '../../core/early/plan.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('early-plan', EarlyExperienceInputSchema, async (input, runtime) => {
  const plan = await planEarlyExperience(runtime.store, input, { policy: runtime.chat('policy'), teacher: runtime.chat('teacher') });
  for (const record of plan.malformed) runtime.log.warn('malformed offline record skipped', { ...record });
  return plan;
});
export const handler = fn.handler;
