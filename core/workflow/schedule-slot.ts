import { InvalidInputError } from '../errors.ts';

/**
 * The execution id of one scheduled slot: `<name>-<yyyymmdd>-<hhmm>` from the time the scheduler fired for
 * (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`, the same on every retry of that slot). A retry or a
 * duplicate delivery therefore asks for the same id, which the engine refuses instead of starting a second run.
 *
 * @example
 * slotExecutionId('backfill-cats', '2026-12-01T03:00:00Z'); // 'backfill-cats-20261201-0300'
 */
export function slotExecutionId(name: string, scheduledTime: string): string {
  const time = new Date(scheduledTime);
  if (!/^[a-z0-9][a-z0-9-]{0,50}$/.test(name)) throw new InvalidInputError(`schedule name "${name}" must be lowercase letters, digits and dashes (at most 51)`);
  if (Number.isNaN(time.getTime())) throw new InvalidInputError(`scheduled time "${scheduledTime}" is not an ISO date`);
  const iso = time.toISOString();
  return `${name}-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 16).replace(':', '')}`;
}
