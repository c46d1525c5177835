import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources; e2e tests spawn the compiled dist/ CLI.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
