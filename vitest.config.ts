import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Store and runner suites share one PostgreSQL/Redis; files run in parallel but each uses its own schema/prefix.
    pool: 'forks',
  },
});
