import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one PostgreSQL and Redis; each suite uses its own database/schema, so files
    // may run in parallel, but the machine has two cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
