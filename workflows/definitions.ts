import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import { formatIssue } from '../core/store/json.ts';
import { workflowEntry, type WorkflowEntry } from './catalog.ts';

export const WORKFLOWS_DIR = import.meta.dirname;

export interface StateDefinition {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  ItemProcessor?: MachineDefinition;
  Iterator?: MachineDefinition;
  Branches?: MachineDefinition[];
  [key: string]: unknown;
}
export interface MachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  [key: string]: unknown;
}

/** Reads `workflows/<name>.asl.json`. */
export async function loadDefinition(name: string, dir: string = WORKFLOWS_DIR): Promise<MachineDefinition> {
  const file = path.join(dir, `${name}.asl.json`);
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as MachineDefinition;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no workflow definition ${file}`);
    throw error;
  }
}

/** Every state of a definition, nested Map and Parallel states included, with its name. */
export function* allStates(definition: MachineDefinition): Iterable<[string, StateDefinition]> {
  for (const [name, state] of Object.entries(definition.States)) {
    yield [name, state];
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) yield* allStates(nested);
    for (const branch of state.Branches ?? []) yield* allStates(branch);
  }
}

const FUNCTION_PLACEHOLDER = /^\$\{fn:([a-z0-9-]+)\}$/;

/** The function a Task resource names with `${fn:<name>}`, or undefined for other resources. */
export function functionOf(resource: string | undefined): string | undefined {
  return resource ? FUNCTION_PLACEHOLDER.exec(resource)?.[1] : undefined;
}

/** Checks and completes a workflow's input against its schema. */
export function parseWorkflowInput(
  name: string,
  input: unknown,
  catalog: readonly WorkflowEntry[] | undefined = undefined,
): { entry: WorkflowEntry; input: unknown } {
  const entry = catalog ? catalog.find((w) => w.name === name) : workflowEntry(name);
  if (!entry) throw new NotFoundError(`no workflow named "${name}"`);
  const parsed = entry.input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(`invalid input for workflow "${name}": ${parsed.error.issues.slice(0, 5).map(formatIssue).join('; ')}`);
  }
  return { entry, input: parsed.data };
}
