import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // onnxruntime's telemetry writes logs to /tmp and a database under ~/.cache unless switched off.
    env: { ORT_DISABLE_TELEMETRY: '1' },
  },
});
