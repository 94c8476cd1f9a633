import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Parquet round trips and the ingest CLI spawn real work; keep the defaults generous.
    testTimeout: 60_000,
  },
});
