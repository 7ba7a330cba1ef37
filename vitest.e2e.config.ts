import { defineConfig } from 'vitest/config';

// Real browsers: one file at a time, one test at a time, generous timeouts. Speed targets live in `npm run bench`.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
});
