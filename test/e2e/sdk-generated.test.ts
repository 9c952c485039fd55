/**
 * The generated code of the SDK (packages/sdk/src/__generated__) must match what `pnpm sdk:generate`
 * produces from the committed schema and the operations: this test runs the same codegen
 * configuration in memory and compares, file by file. When it fails, run `pnpm sdk:generate` and
 * commit the result.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
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

  it('covers every query and mutation of the API: each root field of schema.graphql is used by an operation', () => {
    const schema = buildSchema(fs.readFileSync(path.resolve('packages/schema/schema.graphql'), 'utf8'));
    const dir = path.resolve(SDK_GENERATED_DIR, '../operations');
    const definitions = fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) => parse(fs.readFileSync(path.join(dir, file), 'utf8')).definitions);
    const fragments = new Map(
      definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    // Root fields an operation selects, directly or through fragments and inline fragments on the root type.
    const rootFields = (set: SelectionSetNode, out: Set<string>): Set<string> => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) out.add(s.name.value);
        else if (s.kind === Kind.INLINE_FRAGMENT) rootFields(s.selectionSet, out);
        else {
          const fragment = fragments.get(s.name.value);
          if (fragment) rootFields(fragment.selectionSet, out);
        }
      }
      return out;
    };
    const used = { query: new Set<string>(), mutation: new Set<string>() };
    for (const d of definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const op = d as OperationDefinitionNode;
      if (op.operation === 'query' || op.operation === 'mutation') rootFields(op.selectionSet, used[op.operation as 'query' | 'mutation']);
    }
    used.query.delete('__typename');
    used.mutation.delete('__typename');

    const queryFields = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutationFields = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(queryFields.length).toBeGreaterThan(0);
    expect(mutationFields.length).toBeGreaterThan(0);
    const missing = [...queryFields.filter((f) => !used.query.has(f)).map((f) => `Query.${f}`), ...mutationFields.filter((f) => !used.mutation.has(f)).map((f) => `Mutation.${f}`)];
    expect(missing, 'API fields without an SDK operation: add one to packages/sdk/src/operations/<domain>.graphql and run `pnpm sdk:generate`').toEqual([]);
  });
});
