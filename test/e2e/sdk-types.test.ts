/**
 * The SDK's types as a TypeScript consumer sees them (the built package's .d.ts/.d.cts through its
 * `exports`): a correct consumer compiles, one passing a wrong variable type does not.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

async function typecheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tsc, '-p', project], { cwd: process.cwd() });
    return { code: 0, output: stdout + stderr };
  } catch (error: any) {
    return { code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

describe('SDK types for consumers', () => {
  it('a correct consumer (ESM and CommonJS) compiles, with skipLibCheck off', async () => {
    const result = await typecheck('test/fixtures/sdk-consumer/tsconfig.json');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('passing a wrong variable type fails to compile', async () => {
    const result = await typecheck('test/fixtures/sdk-consumer/tsconfig.wrong.json');
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("wrong-variable-type.ts(7,23): error TS2322: Type 'number' is not assignable to type 'string'.");
    expect(result.output.trim().split('\n')).toHaveLength(1);
  });
});
