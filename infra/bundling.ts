/**
 * How handlers are bundled (SST's `nodejs` options), as plain data so the bundle test (test/deploy) builds exactly
 * this. onnxruntime-node comes from a layer (infra/layers.ts); usearch's native addon cannot be bundled, so the
 * functions that serve search get the package installed next to the bundle (`install`: SST runs `npm install` into
 * the function's `node_modules/`; usearch ships its linux-x64 binary prebuilt in the npm package, so nothing is
 * compiled, and it needs glibc 2.34, which the nodejs22.x runtime on Amazon Linux 2023 has).
 */
export const TASK_BUNDLING = { format: 'esm', esbuild: { external: ['onnxruntime-node'] } } as const;
export const SEARCH_BUNDLING = { format: 'esm', install: ['usearch'], esbuild: { external: ['onnxruntime-node'] } } as const;
/**
 * The functions that embed images (catalog `onnx: true`): sharp's native addon and libvips cannot be bundled either
 * (bundled, sharp fails at run time: "Could not load the sharp module"), so SST installs sharp beside the bundle as it
 * does usearch. npm installs the deploying host's binaries: deploy from linux-x64 (Lambda's x86_64) for the right ones.
 */
export const IMAGE_BUNDLING = { format: 'esm', install: ['sharp'], esbuild: { external: ['onnxruntime-node'] } } as const;

/** What a bundle leaves out: what esbuild is told to skip and what SST installs instead of bundling. */
export function bundleExternals(bundling: { install?: readonly string[]; esbuild: { external: readonly string[] } }): string[] {
  return [...bundling.esbuild.external, ...(bundling.install ?? [])];
}

/**
 * The decode worker (core/backfill/images/decode-worker.ts) as its own ESM bundle: a worker thread starts from a file,
 * which a single-file function bundle does not hold, so the functions that embed images ship this file beside their
 * handler's bundle (same directory), where `decodeWorkerUrl()` finds it at run time. Bundled like those handlers
 * (`IMAGE_BUNDLING`): sharp and onnxruntime-node resolve from the installed `node_modules/` and the layer.
 */
export const DECODE_WORKER_BUNDLE = {
  entry: 'core/backfill/images/decode-worker.ts', file: 'decode-worker.mjs', external: [...IMAGE_BUNDLING.esbuild.external, ...IMAGE_BUNDLING.install],
} as const;

/**
 * Environment plug-ins (REVERIE_ENV_PLUGINS at deploy time) as ESM bundles in `env-plugins/` of the functions that
 * open environments: a plug-in is imported by path at run time, which a function's single-file bundle cannot
 * follow, so each ships as its own file. Bundled like the task handlers (onnxruntime-node left out).
 */
export const ENV_PLUGIN_BUNDLE = { directory: 'env-plugins', external: [...TASK_BUNDLING.esbuild.external] } as const;
