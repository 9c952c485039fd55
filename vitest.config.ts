import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One graphql module for everything: Node loads graphql's CommonJS entry for type-graphql and
// Apollo, so sources under test must import the same file (not the `module` entry vite prefers).
const apiRequire = createRequire(new URL('./packages/api/package.json', import.meta.url));

/**
 * AIRLEDGER_TEST_CANARY=fails|passes runs one fixture of test/canary with this same configuration
 * and global set-up instead of the suite (scripts/ci-guard.mjs: proof that a failure reaches the
 * exit code). Every run also writes vitest's JSON report to test-results/vitest.json, which
 * .ci/run turns into the plain `N passed, N failed` line.
 */
const canary = process.env.AIRLEDGER_TEST_CANARY;
if (canary !== undefined && canary !== 'fails' && canary !== 'passes') throw new Error(`AIRLEDGER_TEST_CANARY must be "fails" or "passes", got "${canary}"`);

export default defineConfig({
  resolve: {
    alias: [
      { find: '@airledger/schema', replacement: fileURLToPath(new URL('./packages/schema/src/index.ts', import.meta.url)) },
      { find: /^graphql$/, replacement: apiRequire.resolve('graphql') },
    ],
  },
  test: {
    include: canary ? [`test/canary/${canary}.canary.ts`] : ['packages/*/src/**/*.spec.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: canary ? `test-results/canary-${canary}.json` : 'test-results/vitest.json' },
    globalSetup: ['test/helpers/global-setup.ts'],
    // Servers started in test files log warnings and errors only (tests of the logs collect their own).
    env: { AIRLEDGER_LOG_LEVEL: 'warn' },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
