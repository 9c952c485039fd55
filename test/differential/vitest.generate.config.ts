/**
 * `pnpm differential:generate`: the suite's configuration (aliases, database set-up) running only
 * the generator of the differential cases (generate.gen.ts), which writes test/differential/cases.
 */
import base from '../../vitest.config.js';

export default { ...base, test: { ...base.test, include: ['test/differential/generate.gen.ts'], outputFile: { json: 'test-results/differential-generate.json' } } };
