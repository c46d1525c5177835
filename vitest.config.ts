import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources; e2e tests spawn the compiled dist/ CLI.
// Files run one at a time: many start real GStreamer, werift and Chromium processes, and timing
// assertions (slate within 1 s, 503 within 2 s) must not fight each other for the 2 cores.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'kiosk-ui/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
