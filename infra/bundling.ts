/**
 * How handlers are bundled (SST's `nodejs` options), as plain data so the bundle test (test/deploy) builds exactly
 * this. onnxruntime-node comes from a layer (infra/layers.ts); usearch's native addon cannot be bundled, so the
 * functions that serve search get the package installed next to the bundle (`install`: SST runs `npm install` into
 * the function's `node_modules/`; usearch ships its linux-x64 binary prebuilt in the npm package, so nothing is
 * compiled, and it needs glibc 2.34, which the nodejs22.x runtime on Amazon Linux 2023 has).
 */
export const TASK_BUNDLING = { format: 'esm', esbuild: { external: ['onnxruntime-node'] } } as const;
export const SEARCH_BUNDLING = { format: 'esm', install: ['usearch'], esbuild: { external: ['onnxruntime-node'] } } as const;

/** What a bundle leaves out: what esbuild is told to skip and what SST installs instead of bundling. */
export function bundleExternals(bundling: { install?: readonly string[]; esbuild: { external: readonly string[] } }): string[] {
  return [...bundling.esbuild.external, ...(bundling.install ?? [])];
}
