import { z } from 'zod';
import { defineFunction } from '../define.ts';

/** Entry of scheduled jobs: starts one workflow with a fixed input (the CronV2 event). */
export const fn = defineFunction(
  'schedule-start-workflow',
  z.object({ workflow: z.string().regex(/^[a-z0-9-]+$/), input: z.record(z.string(), z.unknown()).default({}) }),
  async ({ workflow, input }, runtime) => {
    const record = await (await runtime.engine()).start(workflow, input);
    runtime.log.info('scheduled execution started', { workflow, id: record.id });
    return { id: record.id, workflow };
  },
);
export const handler = fn.handler;
