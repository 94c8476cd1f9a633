import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The integration tier starts real servers; it runs with `npm run test:integration` only.
    exclude: ['test/integration/**', 'node_modules/**'],
    environment: 'node',
    // Parquet round trips and the ingest CLI spawn real work; keep the defaults generous.
    testTimeout: 60_000,
  },
});
