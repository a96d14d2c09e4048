import { defineConfig } from 'vitest/config';

/**
 * End-to-end flows: the built renderer in Debian's Chromium (playwright-core) over the e2e
 * harness, plus the real Electron app where a binary exists. `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    // The JSON report feeds .ci/run's closing tally.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-e2e.json' },
    include: ['test/e2e/**/*.spec.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each file starts a browser and a trainer worker; on 2 cores they must take turns.
    fileParallelism: false,
  },
});
