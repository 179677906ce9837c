import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The console's browser suite: real Chromium against the standalone server (npm run test:console:e2e builds first).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['console-angular/e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // One browser at a time on a two-core machine.
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
