import type { ExecutionProgress, ExecutionRecord } from '../core/workflow/execution.ts';

interface EngineEvent {
  type: string;
  state?: { name: string; type: string };
}

/**
 * Folds the local engine's event log into an execution's progress, saving the record now and then (never two
 * saves at once, never more often than `saveIntervalMs`). Resolves with the final progress when the log closes.
 */
export async function trackProgress(
  events: AsyncIterable<EngineEvent>,
  record: ExecutionRecord,
  options: { save: (record: ExecutionRecord) => Promise<void>; saveIntervalMs: number; onProgress?: (p: ExecutionProgress, r: ExecutionRecord) => void },
): Promise<ExecutionProgress> {
  const progress = record.progress!;
  let lastSave = Date.now();
  let saving: Promise<void> = Promise.resolve();
  for await (const event of events) {
    switch (event.type) {
      case 'StateEntered':
        progress.statesEntered++;
        progress.currentState = event.state?.name;
        break;
      case 'StateRetried':
        progress.retries++;
        break;
      case 'MapIterationStarted':
        progress.mapIterationsStarted++;
        break;
      case 'MapIterationSucceeded':
        progress.mapIterationsSucceeded++;
        break;
      case 'MapIterationFailed':
        progress.mapIterationsFailed++;
        break;
      case 'StateExited':
        if (isTask(event)) progress.tasksSucceeded++;
        break;
      case 'StateFailed':
        if (isTask(event)) progress.tasksFailed++;
        break;
    }
    options.onProgress?.(progress, record);
    if (Date.now() - lastSave >= options.saveIntervalMs) {
      lastSave = Date.now();
      saving = saving.then(() => options.save({ ...record, progress: { ...progress } })).catch(() => undefined);
    }
  }
  await saving;
  return progress;
}

function isTask(event: EngineEvent): boolean {
  return event.state?.type === 'Task';
}
