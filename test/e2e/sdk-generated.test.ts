/**
 * The generated code of the SDK (packages/sdk/src/__generated__) must match what `pnpm sdk:generate`
 * produces from the committed schema and the operations: this test runs the same codegen
 * configuration in memory and compares, file by file. When it fails, run `pnpm sdk:generate` and
 * commit the result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import config, { SDK_GENERATED_DIR } from '../../codegen.js';

describe('SDK generated code', () => {
  it('is up to date with packages/schema/schema.graphql and packages/sdk/src/operations', async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...config, silent: true }, false);
    expect(outputs.length).toBeGreaterThanOrEqual(2);

    const stale: string[] = [];
    for (const output of outputs) {
      const committed = fs.existsSync(output.filename) ? fs.readFileSync(output.filename, 'utf8') : undefined;
      if (committed !== output.content) stale.push(path.relative(process.cwd(), output.filename));
    }
    expect(stale, 'stale generated files: run `pnpm sdk:generate`').toEqual([]);

    // Nothing else lives in __generated__ (a file left from a removed output would be stale too).
    const expected = outputs.map((o) => path.basename(o.filename)).sort();
    expect(fs.readdirSync(SDK_GENERATED_DIR).sort()).toEqual(expected);
  });

  it('declares every operation once, named in camelCase, one .graphql file per domain', async () => {
    const dir = path.resolve(SDK_GENERATED_DIR, '../operations');
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^[a-z][a-z0-9-]*\.graphql$/);
  });
});
