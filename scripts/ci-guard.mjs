#!/usr/bin/env node
/**
 * Proves, before the suite runs, that the test command can fail: the project's runner (vitest
 * with the repository's configuration and global set-up, as `pnpm test` runs it) is run on
 * fixtures kept outside the normal test globs (test/canary):
 *   1. a test that fails must make the runner exit non-zero;
 *   2. a run whose database cannot be reached must exit non-zero;
 *   3. a test that passes, with a database, must exit 0 (so 1 and 2 failed for their own reason).
 * Any other outcome stops CI with a message saying which. Usage: node scripts/ci-guard.mjs
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', '.bin', 'vitest');

function run(canary, env = {}) {
  const result = spawnSync(vitest, ['run'], {
    cwd: root,
    env: { ...process.env, ...env, AIRLEDGER_TEST_CANARY: canary, FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  const report = path.join(root, 'test-results', `canary-${canary}.json`);
  let counts = null;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    counts = { passed: json.numPassedTests, failed: json.numFailedTests };
    fs.rmSync(report);
  }
  return { status: result.status, signal: result.signal, output: `${result.stdout}\n${result.stderr}`, counts };
}

function stop(message, output) {
  console.error(`\nCI guard: ${message}`);
  if (output) console.error(`The runner printed:\n${output.split('\n').slice(-40).join('\n')}`);
  process.exit(1);
}

const failing = run('fails');
if (failing.status === 0) stop('vitest exited 0 on a failing test (test/canary/fails.canary.ts): CI would pass whatever fails. Something in the configuration or its global set-up overrides the exit code.', failing.output);
if (!failing.counts || failing.counts.failed !== 1) stop('the failing fixture did not run as one failed test.', failing.output);

const noDatabase = run('passes', { DATABASE_URL: 'postgres://airledger:none@127.0.0.1:1/unreachable' });
if (noDatabase.status === 0) stop('vitest exited 0 although its database could not be reached: a suite that cannot start must fail.', noDatabase.output);

const passing = run('passes');
if (passing.status !== 0 || !passing.counts || passing.counts.passed !== 1) stop('the passing fixture did not pass: the guard cannot tell a failure from a broken set-up.', passing.output);

console.log('CI guard: a failing test exits non-zero, an unreachable database exits non-zero, a passing test exits 0.');
