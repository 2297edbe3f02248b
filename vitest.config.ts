import { defineConfig } from 'vitest/config';

/**
 * Three projects: `shared` (pure rules), `server` (unit, repository and route tests on a real database:
 * SQLite by default, PostgreSQL when GRIDLINE_TEST_DIALECT=postgres), `e2e` (the real process, CLI, browser).
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['packages/shared/src/**/*.test.ts'] } },
      // Web: pure checks only (i18n resources, helpers); the UI itself is tested in a real browser (e2e).
      { test: { name: 'web', include: ['packages/web/src/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts'],
          // Each file's temporary data directories (SQLite file, key) are removed after it.
          setupFiles: ['packages/server/test/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'e2e', include: ['e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
    ],
  },
});
