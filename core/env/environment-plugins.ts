import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../errors.ts';
import { type SessionRanges, validateSessionRange } from './session-range.ts';
import type { EnvironmentFactory } from './environment.ts';
import type { EnvironmentKind } from './environment-kind.ts';

/**
 * An environment brought from outside Reverie: one module (one folder) that opens its sessions and says what its
 * kind knows. `--env <name>` (or `<name>:<anything>`, passed whole to `open`) selects it.
 */
export interface EnvironmentPlugin {
  /** One lower-case word, not `shop`, `http` or `https`. */
  readonly name: string;
  readonly kind: EnvironmentKind;
  /** Task ranges for offline data, held-out checks and evaluation (strided or interleaved ranges allowed). */
  readonly ranges: SessionRanges;
  open(spec: string): EnvironmentFactory;
}

const plugins = new Map<string, EnvironmentPlugin>();

/** Checks and registers a plug-in (a second one with the same name replaces the first); a malformed one is an InvalidInputError naming what is missing. */
export function registerEnvironmentPlugin(plugin: EnvironmentPlugin): void {
  if (typeof plugin !== 'object' || plugin === null || typeof plugin.name !== 'string') throw new InvalidInputError('an environment plug-in must be an object with a name');
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(plugin.name) || ['shop', 'http', 'https'].includes(plugin.name)) {
    throw new InvalidInputError(`environment plug-in name "${plugin.name}" must be one lower-case word other than shop, http and https`);
  }
  const what = `environment plug-in "${plugin.name}"`;
  if (typeof plugin.open !== 'function') throw new InvalidInputError(`${what} brings no open(spec) function`);
  if (typeof plugin.kind !== 'object' || plugin.kind === null) throw new InvalidInputError(`${what} brings no kind object`);
  const kind = plugin.kind as Partial<EnvironmentKind>;
  const missing = [
    typeof kind.name !== 'string' && 'name (a string)',
    typeof kind.rules !== 'string' && 'rules (a string)',
    (typeof kind.policyFeatures !== 'object' || kind.policyFeatures === null) && 'policyFeatures',
    typeof kind.syntheticStates !== 'function' && 'syntheticStates()',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length > 0) throw new InvalidInputError(`${what}: its kind lacks ${missing.join(', ')}`);
  if (typeof plugin.ranges !== 'object' || plugin.ranges === null) throw new InvalidInputError(`${what} brings no ranges: give { offline, heldOut, evaluation }`);
  for (const use of ['offline', 'heldOut', 'evaluation'] as const) {
    const range: unknown = plugin.ranges[use];
    if (typeof range !== 'object' || range === null) throw new InvalidInputError(`${what} ranges.${use} is missing or not a range: give { start, end, stride? } or { interleave: [...] }`);
    validateSessionRange(range as SessionRanges[typeof use], `${what} ${use}`);
  }
  plugins.set(plugin.name, plugin);
}

/** The registered plug-in a spec names, if any. */
export function environmentPlugin(spec: string): EnvironmentPlugin | undefined {
  const value = spec.trim();
  const name = /^([a-z][a-z0-9-]*)(?::|$)/.exec(value)?.[1];
  return name === undefined ? undefined : plugins.get(name);
}

/**
 * Imports the plug-in modules a comma-separated list names (REVERIE_ENV_PLUGINS) and registers the
 * `environmentPlugin` each exports. A path that does not load or exports no plug-in is an InvalidInputError naming it.
 *
 * @example
 * await loadEnvironmentPlugins('./envs/grid/index.ts'); // then `--env grid` works in every command
 */
export async function loadEnvironmentPlugins(list: string | undefined, cwd = process.cwd()): Promise<void> {
  for (const entry of (list ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    let module: { environmentPlugin?: EnvironmentPlugin };
    try {
      module = await import(pathToFileURL(path.resolve(cwd, entry)).href);
    } catch (error) {
      throw new InvalidInputError(`environment plug-in "${entry}" does not load: ${(error as Error).message}`);
    }
    if (!module.environmentPlugin) throw new InvalidInputError(`environment plug-in "${entry}" exports no \`environmentPlugin\``);
    registerEnvironmentPlugin(module.environmentPlugin);
  }
}
