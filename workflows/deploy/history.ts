import type { MachineDefinition, StateDefinition } from '../definitions.ts';
import { isLambdaTask } from './lambda-retry.ts';
import type { RunProfile } from './profile.ts';

/** Step Functions' limit on the history of one Standard execution. */
export const HISTORY_EVENT_LIMIT = 25_000;

export interface HistoryEstimate {
  /** Events of the execution itself. */
  events: number;
  /** The largest child execution each Distributed Map starts (they have their own histories and limits). */
  children: Array<{ map: string; events: number }>;
}

const MAX_STEPS = 5_000_000;

/**
 * The history events of one run without failures or retries, counted state by state the way Step Functions writes
 * them: Pass, Choice, Wait and Succeed 2 (entered, exited); a Lambda Task 5 (entered, scheduled, started, succeeded,
 * exited); another service Task 6 (entered, scheduled, started, submitted, succeeded, exited); an inline Map 4 plus
 * 2 per item around the item's own states; a Distributed Map 4 in the parent (its items run as child executions);
 * the execution 2 (started, succeeded).
 */
export function estimateHistory(definition: MachineDefinition, profile: RunProfile): HistoryEstimate {
  const children = new Map<string, number>();
  const events = 2 + walk(definition, profile, children, { steps: 0 });
  return { events, children: [...children].map(([map, count]) => ({ map, events: count })) };
}

function walk(machine: MachineDefinition, profile: RunProfile, children: Map<string, number>, budget: { steps: number }): number {
  const visits = new Map<string, number>();
  let events = 0;
  let name: string | undefined = machine.StartAt;
  while (name !== undefined) {
    if (++budget.steps > MAX_STEPS) throw new Error(`the run does not end within ${MAX_STEPS} states under the profile "${profile.size}"`);
    const state: StateDefinition | undefined = machine.States[name];
    if (!state) throw new Error(`state "${name}" does not exist`);
    const visit = (visits.get(name) ?? 0) + 1;
    visits.set(name, visit);
    events += stateEvents(name, state, profile, children, budget);
    name = nextOf(name, state, visit, profile);
  }
  return events;
}

function stateEvents(name: string, state: StateDefinition, profile: RunProfile, children: Map<string, number>, budget: { steps: number }): number {
  switch (state.Type) {
    case 'Task':
      return isLambdaTask(state) ? 5 : 6;
    case 'Map': {
      const processor = (state.ItemProcessor ?? state.Iterator)!;
      const items = profile.mapItems[name];
      if (items === undefined) throw new Error(`the profile "${profile.size}" gives no item count for Map "${name}"`);
      if (isDistributed(state)) {
        const child = 2 + walk(processor, profile, children, budget);
        children.set(name, Math.max(children.get(name) ?? 0, child));
        return 4;
      }
      return items === 0 ? 4 : 4 + items * (2 + walk(processor, profile, children, budget));
    }
    case 'Parallel':
      return 4 + (state.Branches ?? []).reduce((sum, branch) => sum + walk(branch, profile, children, budget), 0);
    default:
      return 2;
  }
}

function nextOf(name: string, state: StateDefinition, visit: number, profile: RunProfile): string | undefined {
  if (state.Type === 'Choice') {
    const choose = profile.choose?.[name];
    if (choose) return choose(visit);
    return (state.Default as string | undefined) ?? (state.Choices as Array<{ Next: string }>)[0].Next;
  }
  if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') return undefined;
  return state.Next as string;
}

export function isDistributed(state: StateDefinition): boolean {
  const config = (state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig;
  return config?.Mode === 'DISTRIBUTED';
}
