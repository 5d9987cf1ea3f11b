import { defineConfig } from 'vitest/config';

// Workspace packages export `src/*.ts` under the `source` condition, so tests run the
// TypeScript directly and never need a build.
const conditions = ['source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  // The environment vitest loads global setup files in.
  environments: { __vitest__: { resolve: { conditions } } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Everything that talks to the real Kafka and Redis: tests/integration, and `*.int.test.ts`
          // files kept beside the code they cover.
          include: [
            'tests/integration/**/*.test.ts',
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
          ],
          globalSetup: ['tests/support/global-setup.ts'],
          pool: 'forks',
          // One stack is shared; files run one after another so timings stay honest on 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
