import path from 'node:path';
import { ENV_PLUGIN_BUNDLE } from './bundling.ts';

/**
 * The environment plug-ins a deploy ships: REVERIE_ENV_PLUGINS in the deploying shell, the same comma-separated
 * module paths the CLI reads (relative to where `sst deploy` runs). Each is bundled into one ESM file and copied to
 * `env-plugins/<name>.mjs` (`envPluginDestination`) in every function that opens environments (catalog `environments: true`), whose
 * REVERIE_ENV_PLUGINS then names those files; functions/env-plugins.ts loads them once per cold start.
 */
export function envPluginEntries(list = process.env.REVERIE_ENV_PLUGINS): string[] {
  const entries = (list ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const names = entries.map(envPluginDestination);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new Error(`REVERIE_ENV_PLUGINS: two plug-in modules would both ship as ${repeated}; give them different file names (or, for index modules, different folder names)`);
  return entries;
}

/**
 * Where a plug-in goes in a function's package, relative to its root: `env-plugins/<file name>.mjs`, or for a
 * folder's `index` module (a plug-in is one folder) `env-plugins/<folder name>.mjs`, so `envs/grid/index.ts` and
 * `envs/maze/index.ts` ship side by side.
 */
export function envPluginDestination(entry: string): string {
  const file = path.basename(entry).replace(/\.(m?[jt]s)$/, '');
  const folder = path.basename(path.dirname(path.resolve(entry)));
  const name = file === 'index' && folder !== '' ? folder : file;
  return path.posix.join(ENV_PLUGIN_BUNDLE.directory, `${name}.mjs`);
}

const built = new Map<string, Promise<string>>();

/**
 * Bundles one plug-in module (its own imports included, the functions' externals left out) into `outFile`, or into
 * `.sst/env-plugins/` once per deploy, and resolves to the file. rolldown stands in for esbuild, as for the decode
 * worker (test/deploy/bundle.test.ts runs the result).
 */
export function bundleEnvPlugin(entry: string, outFile = path.resolve('.sst', envPluginDestination(entry))): Promise<string> {
  let pending = built.get(outFile);
  if (!pending) {
    pending = (async () => {
      const { build } = await import('rolldown');
      await build({
        input: path.resolve(entry), platform: 'node', external: [...ENV_PLUGIN_BUNDLE.external],
        output: { format: 'esm', file: outFile, codeSplitting: false }, logLevel: 'silent',
      });
      return outFile;
    })();
    built.set(outFile, pending);
  }
  return pending;
}

/** A function's plug-in modules and where they go (`copyFiles`), and its REVERIE_ENV_PLUGINS; empty when the deploy ships none. */
export function envPluginsFor(spec: { environments?: boolean }, list = process.env.REVERIE_ENV_PLUGINS): { files: { entry: string; to: string }[]; environment: Record<string, string> } {
  const entries = spec.environments ? envPluginEntries(list) : [];
  if (entries.length === 0) return { files: [], environment: {} };
  return {
    files: entries.map((entry) => ({ entry, to: envPluginDestination(entry) })),
    environment: { REVERIE_ENV_PLUGINS: entries.map(envPluginDestination).join(',') },
  };
}

/** `copyFiles` entries of a function's plug-ins (`envPluginsFor(...).files`): each bundled, then placed at its destination. */
export function envPluginCopyFiles(files: readonly { entry: string; to: string }[]): { from: Promise<string>; to: string }[] {
  return files.map(({ entry, to }) => ({ from: bundleEnvPlugin(entry), to }));
}
