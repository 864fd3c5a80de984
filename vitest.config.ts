import { defineConfig } from 'vitest/config';

/**
 * Two projects. `integration`: the tests that open a database, spawn processes or start HTTP, found by
 * place or name (test/api/**, test/integration/**, *.int.test.ts). `core`: every other test file,
 * pure and fast.
 */
const integration = ['test/api/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/**/*.int.test.ts'];

export default defineConfig({
  test: {
    env: { DOTENV_CONFIG_QUIET: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/**/*.test.ts'],
          exclude: integration,
          pool: 'forks',
          maxWorkers: 2,
          // Pure tests share their modules within a worker (each file imports the code once, not once per
          // file): a test that mocks modules or changes globals belongs to integration.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integration,
          // PGlite instances are heavy (300-700 MB each): keep two workers on this 2-core machine.
          pool: 'forks',
          // A guard against hangs, not a speed check: these tests start databases, processes and a browser,
          // and ran 1.6 to 2.2 times slower on one CI host than here (a 13 s test took 29 s there).
          testTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
