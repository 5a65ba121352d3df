import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; keep the machine from thrashing on 2 cores.
    maxWorkers: 2,
    // The JSON report lets .ci/run print its own "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.test-output/vitest.json' }]],
    globalSetup: ['test/support/global-setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
