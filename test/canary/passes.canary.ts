/**
 * The CI guard's passing fixture (scripts/ci-guard.mjs): with the repository's configuration and
 * a database it exits 0; with a database that cannot be reached, the global set-up fails and
 * the runner must exit non-zero.
 */
import { expect, inject, it } from 'vitest';

it('passes once the global set-up has provided a database', () => {
  expect(inject('adminUrl')).toMatch(/^postgres(ql)?:\/\//);
});
