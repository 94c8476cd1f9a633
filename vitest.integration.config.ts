import { defineConfig } from 'vitest/config';

/**
 * The integration tier (README, "Tests"): real Trino, an AWS emulator (moto) and real NetFlow
 * exporters. Each part starts its own servers on 127.0.0.1 in `beforeAll` and stops them in
 * `afterAll`, so files run one at a time: two JVMs and a Python server do not fit two cores at
 * once within the tier's time budget.
 */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
