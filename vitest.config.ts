import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    env: { DOTENV_CONFIG_QUIET: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are heavy (300-700 MB each): keep two workers on this 2-core machine.
    maxWorkers: 2,
    pool: 'forks',
  },
});
