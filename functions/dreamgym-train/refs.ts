import { z } from 'zod';

/** The state payload's reference to a run and one of its iterations. */
export const IterationRefSchema = z.object({
  runId: z.string().min(1),
  iteration: z.number().int().nonnegative(),
});
