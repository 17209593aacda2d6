import { z } from 'zod';
import { ConflictError, InvalidInputError } from '../../core/errors.ts';
import { ExecutionStatus } from '../../core/workflow/execution.ts';
import { slotExecutionId } from '../../core/workflow/schedule-slot.ts';
import { defineFunction } from '../define.ts';

/**
 * Entry of scheduled jobs: starts one workflow with a fixed input (the CronV2 event). With `name` and
 * `scheduledTime`, the execution is named per slot (a retried or duplicated delivery is refused, not run twice) and
 * a slot whose previous run under the same name is still running is skipped (no overlapping runs).
 */
export const fn = defineFunction(
  'schedule-start-workflow',
  z.object({
    workflow: z.string().regex(/^[a-z0-9-]+$/),
    input: z.record(z.string(), z.unknown()).default({}),
    name: z.string().optional(),
    scheduledTime: z.string().optional(),
  }),
  async ({ workflow, input, name, scheduledTime }, runtime) => {
    const engine = await runtime.engine();
    if (name === undefined || scheduledTime === undefined) {
      const record = await engine.start(workflow, input);
      runtime.log.info('scheduled execution started', { workflow, id: record.id });
      return { id: record.id, workflow, started: true };
    }
    // Execution records are listed by workflow-name prefix, so a slot's name starts with its workflow's.
    if (!name.startsWith(`${workflow}-`)) throw new InvalidInputError(`schedule name "${name}" must start with "${workflow}-"`);
    const id = slotExecutionId(name, scheduledTime);
    const earlier = (await engine.list(workflow)).filter((other) => other.startsWith(`${name}-`) && other !== id).sort().at(-1);
    if (earlier && (await engine.describe(earlier)).status === ExecutionStatus.running) {
      runtime.log.warn('scheduled execution skipped: the previous one is still running', { workflow, id, running: earlier });
      return { id, workflow, started: false, reason: `${earlier} is still running` };
    }
    try {
      await engine.start(workflow, input, { executionId: id });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      runtime.log.info('scheduled execution already started for this slot', { workflow, id });
      return { id, workflow, started: false, reason: 'already started for this slot' };
    }
    runtime.log.info('scheduled execution started', { workflow, id });
    return { id, workflow, started: true };
  },
);
export const handler = fn.handler;
