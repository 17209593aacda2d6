import path from 'node:path';
import { DECODE_WORKER_BUNDLE } from './bundling.ts';

let built: Promise<string> | undefined;

/**
 * Builds the decode worker's bundle into `.sst/decode-worker/` (once per deploy) and resolves to its path, for the
 * functions' `copyFiles`. rolldown stands in for esbuild here (the same options; test/deploy/bundle.test.ts runs it).
 */
export function decodeWorkerBundle(): Promise<string> {
  built ??= (async () => {
    const { build } = await import('rolldown');
    const file = path.resolve('.sst/decode-worker', DECODE_WORKER_BUNDLE.file);
    await build({
      input: path.resolve(DECODE_WORKER_BUNDLE.entry), platform: 'node', external: [...DECODE_WORKER_BUNDLE.external],
      output: { format: 'esm', file, codeSplitting: false }, logLevel: 'silent',
    });
    return file;
  })();
  return built;
}

/** Where the worker goes in a function's package: beside the handler's bundle (`functions/x/y.mjs`). */
export function decodeWorkerDestination(handlerFile: string): string {
  return path.posix.join(path.posix.dirname(handlerFile), DECODE_WORKER_BUNDLE.file);
}
