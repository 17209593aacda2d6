import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { slotExecutionId } from '../../core/workflow/schedule-slot.ts';
import { fn as startWorkflow } from '../../functions/schedule/start-workflow.ts';
import { testRuntime, tempDir } from '../helpers/runtime.ts';

/** A workflow that runs for `seconds` (a Wait state), on the real local engine. */
async function slowRuntime(seconds: number) {
  const dir = await tempDir();
  await fs.writeFile(path.join(dir, 'slow.asl.json'), JSON.stringify({
    QueryLanguage: 'JSONPath', StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: seconds, End: true } },
  }));
  const catalog = [{ name: 'slow', description: 'waits', input: z.object({}) }];
  return testRuntime({ engine: { definitionsDir: dir, catalog } });
}

describe('scheduled starts', () => {
  it('name each slot from the scheduled time', () => {
    expect(slotExecutionId('slow-cats', '2026-12-01T03:00:00Z')).toBe('slow-cats-20261201-0300');
    expect(() => slotExecutionId('Bad Name', '2026-12-01T03:00:00Z')).toThrow(InvalidInputError);
    expect(() => slotExecutionId('ok', '<aws.scheduler.scheduled-time>')).toThrow(/not an ISO date/);
    expect(slotExecutionId('backfill-cats', '2026-12-01T03:00:00Z')).toBe('backfill-cats-20261201-0300');
  });

  it('refuse a second delivery of the same slot instead of starting a second run', async () => {
    const runtime = await slowRuntime(2);
    const event = { workflow: 'slow', name: 'slow-cats', scheduledTime: '2026-12-01T03:00:00Z' };
    const first = await startWorkflow.run(event, runtime);
    const again = await startWorkflow.run(event, runtime);
    expect(first).toMatchObject({ id: 'slow-cats-20261201-0300', started: true });
    expect(again).toMatchObject({ id: 'slow-cats-20261201-0300', started: false });
    expect(await (await runtime.engine()).list('slow')).toEqual(['slow-cats-20261201-0300']);
  });

  it('skip a slot while the previous slot of the same name still runs, and start once it has finished', async () => {
    const runtime = await slowRuntime(1);
    const engine = await runtime.engine();
    await startWorkflow.run({ workflow: 'slow', name: 'slow-cats', scheduledTime: '2026-12-01T03:00:00Z' }, runtime);
    const overlapping = await startWorkflow.run({ workflow: 'slow', name: 'slow-cats', scheduledTime: '2026-12-01T04:00:00Z' }, runtime);
    expect(overlapping).toMatchObject({ started: false, reason: 'slow-cats-20261201-0300 is still running' });
    await engine.wait('slow-cats-20261201-0300');
    const later = await startWorkflow.run({ workflow: 'slow', name: 'slow-cats', scheduledTime: '2026-12-01T05:00:00Z' }, runtime);
    expect(later).toMatchObject({ id: 'slow-cats-20261201-0500', started: true });
  });
});
