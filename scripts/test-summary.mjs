#!/usr/bin/env node
/**
 * Prints the plain summary line of a vitest JSON report: `Tests: N passed, N failed` (and
 * `, N skipped` when some were), so that any reader of a CI log sees the count without parsing
 * vitest's colours. Exits 1 when the report is missing or records a failure.
 * Usage: node scripts/test-summary.mjs test-results/vitest.json
 */
import fs from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
if (!fs.existsSync(file)) {
  console.error(`No test report at ${file}: the test run ended before vitest wrote it (see above).`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// A test file that fails before any test runs (an import error) has no failed test of its own:
// it counts as one failure, so that the line never says 0 failed for a failed run.
const brokenFiles = (report.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'));
for (const f of brokenFiles) console.log(`failed before its tests ran: ${f.name}`);
const failed = report.numFailedTests + brokenFiles.length;
console.log(`Tests: ${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || report.success === false ? 1 : 0);
