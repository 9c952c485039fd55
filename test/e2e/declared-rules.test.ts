/**
 * Every filter and sort of the schema has a declared rule (common/compiled/model.ts): walks the
 * emitted schema (packages/schema/schema.graphql) and, for each connection field served by a
 * declaration (READ_MODELS), checks that
 * - every field of its `filter` input type is a key of the declared filter rule (filterRules);
 * - every value of its `orderBy` input's `*OrderField` enum gives a declared sort, both directions;
 * - it takes no other argument than first, after, filter, orderBy and those its rule declares
 *   (`parameters`, e.g. City.airQualityObservations(from, to)).
 * A connection of the schema without a declaration fails too, unless it is listed below with
 * the reason (its service still reads through MikroORM). Nothing falls back silently.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSchema, getNamedType, GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, type GraphQLField } from 'graphql';
import { READ_MODELS } from '../../packages/api/src/modules/index.js';
import { CANNOT, type ConnectionModel, type FilterRule } from '../../packages/api/src/common/compiled/model.js';

const schema = buildSchema(fs.readFileSync(path.resolve('packages/schema/schema.graphql'), 'utf8'));

/** Connections not declared yet: each still has a MikroORM reader of its own. */
const UNDECLARED: Record<string, string> = {
};

/**
 * `<Type>.history` of a type without a read model: declared once for every type (audit.reads.ts
 * HISTORY_READS, read by the resolvers), compiled once its type has a read model (auditReads).
 */
const hasReadModel = (type: string) => READ_MODELS.some((m) => m.types.some((t) => t.type === type));
const undeclared = (name: string): string | undefined =>
  UNDECLARED[name] ?? (name.endsWith('.history') && !hasReadModel(name.split('.')[0]) ? 'its type has no read model yet' : undefined);

/**
 * Filter keys of declared connections that have no rule yet: the compiled lane sends a request
 * using them to the resolvers, whose service still reads them through MikroORM. The list must be
 * exact: a rule added means its line goes, a key missing that is not here fails.
 */
const KNOWN_MISSING: Record<string, string[]> = {};

function declaredConnection(owner: string, field: string): ConnectionModel | undefined {
  for (const m of READ_MODELS) {
    if (owner === 'Query') {
      const root = m.roots[field];
      if (root && root.kind === 'connection') return root;
    }
    for (const t of [...m.types, ...(m.extensions ?? [])]) {
      if (t.type === owner && t.connections?.[field]) return t.connections[field];
    }
  }
  return undefined;
}

const connections: [string, GraphQLField<unknown, unknown>][] = [];
for (const type of Object.values(schema.getTypeMap())) {
  if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (named instanceof GraphQLObjectType && named.name.endsWith('Connection') && named.getFields().pageInfo) connections.push([`${type.name}.${field.name}`, field]);
  }
}

describe('every filter and sort of the schema has a declared rule', () => {
  it('finds the connections of the schema', () => {
    expect(connections.map(([n]) => n)).toContain('Query.enterprises');
    expect(connections.map(([n]) => n)).toContain('Enterprise.gradeChanges');
  });

  for (const [name, field] of connections) {
    it(name, () => {
      const [owner, fieldName] = name.split('.');
      const model = declaredConnection(owner, fieldName);
      if (!model) {
        expect(undeclared(name), `${name} has no declaration in READ_MODELS`).toBeTruthy();
        return;
      }
      expect(undeclared(name), `${name} is declared: remove it from UNDECLARED`).toBeUndefined();
      const missing: string[] = [];
      const where = model.where as FilterRule | undefined;
      for (const arg of field.args) {
        if (arg.name === 'first' || arg.name === 'after') continue;
        if (arg.name === 'orderBy') {
          const input = getNamedType(arg.type) as GraphQLInputObjectType;
          const values = (getNamedType(input.getFields().field.type) as GraphQLEnumType).getValues();
          for (const v of values) {
            for (const direction of ['ASC', 'DESC']) {
              if (model.order({ orderBy: { field: v.value, direction } }) === CANNOT) missing.push(`orderBy ${v.name} ${direction}`);
            }
          }
          continue;
        }
        const named = getNamedType(arg.type);
        if (arg.name === (where?.argument ?? 'filter') && named instanceof GraphQLInputObjectType) {
          for (const key of Object.keys(named.getFields())) if (!where?.keys?.includes(key)) missing.push(`${named.name}.${key}`);
          continue;
        }
        if (!(where as { parameters?: string[] } | undefined)?.parameters?.includes(arg.name)) missing.push(`argument ${arg.name}`);
      }
      expect(missing, `${name}: no declared rule for`).toEqual(KNOWN_MISSING[name] ?? []);
    });
  }
});

/**
 * A declared collection has one meaning: its service pages it through the declaration
 * (declared.ts declaredPage), never through MikroORM's `paginate` with a filter of its own
 * or the loaders' `childConnection` with a filter of its own (which would say the same rules a
 * second time, in another language). Reads the modules' source for `paginate(em, Entity, ...)`
 * and `childConnection(Entity, ...)` and fails for an entity that is the node of a declared
 * connection (root or child).
 */
describe('a declared collection is read through its declaration only', () => {
  const declaredNodes = new Set<string>();
  const nodeEntity = (node: string) => READ_MODELS.flatMap((r) => r.types).find((t) => t.type === node)?.entity.name;
  for (const m of READ_MODELS) {
    for (const root of Object.values(m.roots)) if (root.kind === 'connection') declaredNodes.add(nodeEntity(root.node)!);
    for (const owner of [...m.types, ...(m.extensions ?? [])]) for (const c of Object.values(owner.connections ?? {})) declaredNodes.add(nodeEntity(c.node)!);
  }
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  it('finds declared collections and the MikroORM pager', () => {
    expect(declaredNodes).toContain('Enterprise');
    expect(fs.readFileSync(path.resolve('packages/api/src/common/pagination.ts'), 'utf8')).toMatch(/export async function paginate/);
  });

  it('no service pages a declared collection with MikroORM', () => {
    expect(declaredNodes).toContain('AirQualityObservation');
    const offenders: string[] = [];
    for (const file of sources(path.resolve('packages/api/src/modules'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(paginate\(\s*[\w.]+\s*,|childConnection\()\s*(\w+)\s*,/g)) {
        if (declaredNodes.has(m[2])) offenders.push(`${path.relative(process.cwd(), file)}: ${m[1].split('(')[0]}(${m[2]})`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
