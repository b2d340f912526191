import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export const vitestConfig = defineConfig({
  test: {
    include: [
      'src-shared/**/*.test.ts',
      'src-main/**/*.test.ts',
      'src-renderer/**/*.test.{ts,tsx}',
      'scripts/**/*.test.ts',
      'tooling/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Native bindings (better-sqlite3, node-llama-cpp) are safest in child processes, not worker threads.
    pool: 'forks',
    // Every core: most of a test's time is waiting for git, sandboxes and model servers, so one fork per
    // core (vitest's default leaves one idle) keeps both cores of a small machine busy.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./tooling/vitest-global-setup.ts'],
  },
});

// Vitest loads the default export of its config file (config files are exempt from the named-exports rule).
export default vitestConfig;
