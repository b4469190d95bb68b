import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration suites open real sockets and ptys; keep the pool small.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
