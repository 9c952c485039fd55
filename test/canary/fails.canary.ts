/**
 * The CI guard's failing fixture (scripts/ci-guard.mjs): run with the repository's vitest
 * configuration and its global set-up (AIRLEDGER_TEST_CANARY=fails), the runner must exit
 * non-zero. Outside the normal test globs: `pnpm test` never runs it.
 */
import { expect, it } from 'vitest';

it('fails, so that the runner must report a failure', () => {
  expect(1 + 1).toBe(3);
});
