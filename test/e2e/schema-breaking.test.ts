/**
 * The breaking-change check of the contract (scripts/schema-check.mjs, graphql-inspector):
 * packages/schema/schema.graphql against the last released schema kept in
 * packages/schema/released/. It fails `pnpm test` on a breaking change unless the schema's version
 * (and the SDK's, which follows it) took a major step: a new major, or while the major is 0 a new minor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowsBreaking, checkSchema, releasedSchemas, ROOT, schemaChanges } from '../../scripts/schema-check.mjs';

const current = fs.readFileSync(path.join(ROOT, 'packages/schema/schema.graphql'), 'utf8');
const version = (pkg: string) => JSON.parse(fs.readFileSync(path.join(ROOT, `packages/${pkg}/package.json`), 'utf8')).version as string;

/** The schema with the scalar field `field` of type `type` (one line, after a one-line description) removed: a breaking change. */
function withoutField(sdl: string, type: string, field: string): string {
  const lines = sdl.split('\n');
  const start = lines.indexOf(`type ${type} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  const at = lines.findIndex((l, i) => i > start && l.startsWith(`  ${field}: `));
  expect(at).toBeGreaterThan(start);
  const from = lines[at - 1].trim().startsWith('"""') ? at - 1 : at;
  return [...lines.slice(0, from), ...lines.slice(at + 1)].join('\n');
}

describe('the breaking-change check of schema.graphql', () => {
  it('keeps the released schemas in the repository, the last one no newer than the package versions', () => {
    const released = releasedSchemas();
    expect(released.map((r) => r.version)).toContain('0.1.0');
    expect(version('sdk')).toBe(version('schema'));
  });

  it('passes: no breaking change since the last release, or a version that allows it', async () => {
    const result = await checkSchema();
    expect(result.problems).toEqual([]);
  });

  it('fails on a removed field or a new required argument while the version has not taken a major step', async () => {
    const released = releasedSchemas().at(-1)!;
    const removed = withoutField(current, 'City', 'nameZh');
    const changes = await schemaChanges(current, removed);
    expect(changes.filter((c) => c.level === 'BREAKING')).toEqual([expect.objectContaining({ message: "Field 'nameZh' was removed from object type 'City'" })]);

    const same = await checkSchema({ current: removed, schemaVersion: released.version, sdkVersion: released.version, released: { version: released.version, file: path.join(ROOT, 'packages/schema/schema.graphql') } });
    expect(same.problems).toHaveLength(1);
    expect(same.problems[0]).toContain("BREAKING Field 'nameZh' was removed from object type 'City'");

    const required = current.replace(/\n  cities\(/, '\n  cities(mustGive: Int!, ');
    expect(required).not.toBe(current);
    const arg = await schemaChanges(current, required);
    expect(arg.filter((c) => c.level === 'BREAKING').map((c) => c.message)).toEqual(["Argument 'mustGive: Int!' added to field 'Query.cities'"]);
  });

  it('allows a breaking change with a new major (a new minor while the major is 0), never with a patch', () => {
    expect(allowsBreaking('0.1.0', '0.1.1')).toBe(false);
    expect(allowsBreaking('0.1.0', '0.1.0')).toBe(false);
    expect(allowsBreaking('0.1.0', '0.2.0')).toBe(true);
    expect(allowsBreaking('0.1.0', '1.0.0')).toBe(true);
    expect(allowsBreaking('1.4.2', '1.5.0')).toBe(false);
    expect(allowsBreaking('1.4.2', '2.0.0')).toBe(true);
  });

  it('passes added fields and types at the same version, and names an SDK version that does not follow the schema', async () => {
    const file = path.join(ROOT, 'packages/schema/schema.graphql');
    const added = current.replace('type City {', 'type City {\n  """A field added after the release."""\n  addedLater: Int\n');
    const ok = await checkSchema({ current: added, schemaVersion: '0.1.0', sdkVersion: '0.1.0', released: { version: '0.1.0', file } });
    expect(ok.problems).toEqual([]);
    expect(ok.changes.length).toBeGreaterThan(0);
    expect(ok.changes.every((c) => c.level === 'NON_BREAKING')).toBe(true);
    const sdk = await checkSchema({ current, schemaVersion: '0.2.0', sdkVersion: '0.1.0', released: { version: '0.1.0', file } });
    expect(sdk.problems).toEqual(['@airledger/sdk is 0.1.0 but @airledger/schema is 0.2.0: the SDK\'s version follows the schema\'s']);
  });
});
