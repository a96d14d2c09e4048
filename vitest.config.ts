import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds .ci/run's closing tally.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-unit.json' },
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests train real models on 2 cores: running files in parallel only makes each slower.
    fileParallelism: false,
  },
});
