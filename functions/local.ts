import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError } from '../core/errors.ts';
import { functionSpec } from './catalog.ts';
import type { ReverieFunction } from './define.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const loaded = new Map<string, Promise<ReverieFunction<unknown, unknown>>>();

/** Imports the module of a catalogued function and returns its definition, for in-process execution. */
export function loadFunction(name: string): Promise<ReverieFunction<unknown, unknown>> {
  let pending = loaded.get(name);
  if (!pending) {
    const spec = functionSpec(name);
    if (!spec) return Promise.reject(new NotFoundError(`no function "${name}" in functions/catalog.ts`));
    pending = import(pathToFileURL(path.join(ROOT, spec.file)).href).then((module: { fn?: ReverieFunction<unknown, unknown> }) => {
      if (!module.fn) throw new NotFoundError(`${spec.file} does not export \`fn\``);
      return module.fn;
    });
    loaded.set(name, pending);
  }
  return pending;
}
