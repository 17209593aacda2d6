import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * DreamGym and early experience depend on the environment interface only (issue 12): no file under `core/dreamgym/`
 * or `core/early/` reaches a kind's folder (`core/env/shop/`, `core/env/agentgym/`) through its static imports
 * (type-only ones included), followed transitively through every other module, except through the registry
 * modules below, which map an `--env` value to the kind that owns it; and no kind's folder imports another's.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const KIND_FOLDERS = ['core/env/shop/', 'core/env/agentgym/'];
const REGISTRIES = new Set([
  'core/env/environment-kinds.ts',
  'core/env/open-environment.ts',
  'core/env/task-ranges.ts',
]);

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.posix.join(folder, name.split(path.sep).join('/')));
}

/** The repository-relative files one module imports or re-exports statically (packages are left out). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
      ? statement.moduleSpecifier
      : undefined;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) specifiers.push(specifier.text);
  }
  return specifiers.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

/**
 * Every import of a kind's file reachable from `starts` without passing a registry, once per importing edge, as
 * the chain of files from a start (breadth first, so the shortest chain).
 */
function leaks(starts: readonly string[]): string[] {
  const chainTo = new Map<string, string[]>(starts.map((file) => [file, [file]]));
  const queue = [...starts];
  const found: string[] = [];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const target of staticImports(file)) {
      if (KIND_FOLDERS.some((folder) => target.startsWith(folder))) {
        found.push([...chainTo.get(file)!, target].join(' → '));
      } else if (!REGISTRIES.has(target) && !chainTo.has(target)) {
        chainTo.set(target, [...chainTo.get(file)!, target]);
        queue.push(target);
      }
    }
  }
  return found.sort();
}

describe('environment kinds stay behind the interface', () => {
  it('finds files to check in both method folders', () => {
    expect(filesUnder('core/dreamgym').length).toBeGreaterThan(50);
    expect(filesUnder('core/early').length).toBeGreaterThan(10);
  });

  it('walks re-exports and type-only imports, and sees a leak through other modules', () => {
    expect(staticImports('core/env/environment-kinds.ts')).toContain('core/env/shop/shop-kind.ts');
    expect(staticImports('core/env/environment-kind.ts')).toContain('core/env/environment.ts');
    expect(staticImports('core/env/index.ts')).toContain('core/env/shop/index.ts');
    expect(leaks(['core/env/index.ts'])).toContain('core/env/index.ts → core/env/shop/index.ts');
    expect(leaks(['core/env/offline-policies.ts'])).toEqual([]);
  });

  it('lets no file of DreamGym or early experience reach core/env/shop or core/env/agentgym but through a registry', () => {
    expect(leaks([...filesUnder('core/dreamgym'), ...filesUnder('core/early')])).toEqual([]);
  });

  it('keeps each kind\'s folder from importing another kind\'s folder', () => {
    const crossings = KIND_FOLDERS.flatMap((folder) => filesUnder(folder.slice(0, -1)).flatMap((file) => staticImports(file)
      .filter((target) => KIND_FOLDERS.some((other) => other !== folder && target.startsWith(other)))
      .map((target) => `${file} → ${target}`)));
    expect(crossings).toEqual([]);
  });
});
