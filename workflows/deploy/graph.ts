import type { MachineDefinition, StateDefinition } from '../definitions.ts';

/** The states a state can go to next (Next, Default, Choices, Catch). */
export function successors(state: StateDefinition): string[] {
  const next: string[] = [];
  if (typeof state.Next === 'string') next.push(state.Next);
  if (typeof state.Default === 'string') next.push(state.Default);
  for (const choice of (state.Choices ?? []) as Array<{ Next?: string }>) if (choice.Next) next.push(choice.Next);
  for (const handler of (state.Catch ?? []) as Array<{ Next?: string }>) if (handler.Next) next.push(handler.Next);
  return next;
}

/** Every state reachable from `from` (itself only when a path leads back to it). */
export function reachable(machine: MachineDefinition, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = successors(machine.States[from]);
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !machine.States[name]) continue;
    seen.add(name);
    stack.push(...successors(machine.States[name]));
  }
  return seen;
}

/** The states on some loop through `name` (empty when `name` is not in a loop). */
export function loopThrough(machine: MachineDefinition, name: string): string[] {
  const forward = reachable(machine, name);
  if (!forward.has(name)) return [];
  return [...forward].filter((other) => reachable(machine, other).has(name));
}
