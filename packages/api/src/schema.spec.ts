import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, visit } from 'graphql';
import { printLedgerSchema } from './schema.js';

const committedPath = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));

describe('the committed GraphQL contract', () => {
  it('packages/schema/schema.graphql matches the schema the API emits (run `pnpm schema:emit`)', async () => {
    const committed = fs.readFileSync(committedPath, 'utf8');
    expect(committed).toBe(await printLedgerSchema());
  });

  it('describes every type, field and argument', async () => {
    const missing: string[] = [];
    const doc = parse(await printLedgerSchema());
    visit(doc, {
      ObjectTypeDefinition(n) {
        // Root operation types take no description from type-graphql; their fields do.
        if (!n.description && !['Query', 'Mutation', 'Subscription'].includes(n.name.value)) missing.push(n.name.value);
        for (const f of n.fields ?? []) {
          if (!f.description) missing.push(`${n.name.value}.${f.name.value}`);
          for (const a of f.arguments ?? []) if (!a.description) missing.push(`${n.name.value}.${f.name.value}(${a.name.value})`);
        }
      },
      InputObjectTypeDefinition(n) {
        if (!n.description) missing.push(n.name.value);
        for (const f of n.fields ?? []) if (!f.description) missing.push(`${n.name.value}.${f.name.value}`);
      },
      EnumTypeDefinition(n) {
        if (!n.description) missing.push(n.name.value);
      },
      ScalarTypeDefinition(n) {
        if (!n.description) missing.push(n.name.value);
      },
    });
    expect(missing).toEqual([]);
  });
});
