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
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
const failedSuites = report.numFailedTestSuites ?? 0;
if (failedSuites && !report.numFailedTests) console.log(`(${failedSuites} test files failed before their tests ran)`);
process.exit(report.numFailedTests || failedSuites || report.success === false ? 1 : 0);
