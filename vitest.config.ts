import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One graphql module for everything: Node loads graphql's CommonJS entry for type-graphql and
// Apollo, so sources under test must import the same file (not the `module` entry vite prefers).
const apiRequire = createRequire(new URL('./packages/api/package.json', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: '@airledger/schema', replacement: fileURLToPath(new URL('./packages/schema/src/index.ts', import.meta.url)) },
      { find: /^graphql$/, replacement: apiRequire.resolve('graphql') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
