/**
 * Compiled reads: a read-only GraphQL operation over the declared read models (model.ts) becomes
 * ONE PostgreSQL statement that writes the response's JSON text, with the caller's API key
 * checked in the same statement. Node then sends that text as the response without parsing or
 * serialising it. The text is compact, keys in selection order, values as JSON.stringify writes
 * them (to_json for strings, PostgreSQL's shortest exact text for numbers), so that a compiled
 * answer has the very bytes of the resolvers' answer.
 *
 * What is compiled is only what the declarations cover; anything else (other fields, abstract
 * types, duplicate response keys, unknown arguments) is CANNOT, and the request runs through the
 * resolvers. So are the outcomes the resolvers answer with errors (a missing record, an unknown
 * slug, an invalid id or page size): the statement reports them and the request is re-run the
 * ordinary way, which produces the error. Answers are the same byte for byte either way
 * (test/e2e/compiled-reads.test.ts).
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isListType,
  GraphQLEnumType,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSkipDirective,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { EntityMetadata } from '@mikro-orm/core';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import { LedgerError } from '../errors.js';
import { CITY_SCOPED_TABLES } from '../../migrations/Migration20261129000800AccessControl.js';
import { WARNING_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202120100Warning.js';
import { REDUCTION_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202120200ReductionList.js';
import { SUPERVISION_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202130100Supervision.js';
import { COMBUSTION_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202140102CombustionUnit.js';
import { HOUSEHOLD_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202184100HouseholdConversion.js';
import { AGRICULTURE_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202184200InventoriesSubmissions.js';
import { FREIGHT_CITY_SCOPED_TABLES } from '../../migrations/Migration20261202200201FreightRecord.js';
import type { ViewerSql } from '../privacy.js';
import { CANNOT, keysetSql, orderSql, type AccessRule, type CallerSql, type Cannot, type ConnectionModel, type DerivedField, type DerivedModel, type OrderChoice, type ReadModels, type SqlScope, type TypeModel } from './model.js';

/**
 * The audit trail is scoped by the city of the changed record (`audit_event.city_id`; its read
 * policy is that of the city-scoped tables, migration 20261202000100): events of records without
 * a city are read by unrestricted callers only.
 */
const AUDIT_CITY_SCOPED_TABLES = ['audit_event'];

/** Tables whose rows belong to one city: for a scoped caller every read of them carries scopePredicate. */
const CITY_SCOPED = new Set<string>([...CITY_SCOPED_TABLES, ...WARNING_CITY_SCOPED_TABLES, ...REDUCTION_CITY_SCOPED_TABLES, ...SUPERVISION_CITY_SCOPED_TABLES, ...COMBUSTION_CITY_SCOPED_TABLES, ...HOUSEHOLD_CITY_SCOPED_TABLES, ...AGRICULTURE_CITY_SCOPED_TABLES, ...FREIGHT_CITY_SCOPED_TABLES, ...AUDIT_CITY_SCOPED_TABLES]);

/** Whether rows of `table` belong to one city (their reads carry the caller's scope). */
export function isCityScoped(table: string): boolean {
  return CITY_SCOPED.has(table);
}

/**
 * The caller's cities as a sargable predicate on a row alias, `param` the statement's parameter
 * holding them (CompiledQuery.citiesParam): `city_id = $n::integer` for a caller of one city,
 * `city_id = any($n::integer[])` for one of several. The compiled SQL of a scoped caller states
 * the scope itself, so that the planner reaches rows through the city indexes and row-level
 * security (`city_id = any((select app_city_ids())::integer[])`, migration 20261202000100) is
 * the backstop, never the plan. The cities are a bound value, not the policy's expression:
 * PostgreSQL plans an unnamed statement for the values it is given, so it knows how many cities
 * and which, where a stable function or a sub-select is an array of unknown size to it; and one
 * city as an equality lets a (city_id, sort...) index return the page in order, which no
 * `= any(array)` does (docs/architecture.md "The caller's cities in the plan").
 */
export function scopePredicate(alias: string, param: string, oneCity: boolean): string {
  return citiesCondition(`${alias}.city_id`, param, oneCity);
}

/** The condition that the city column `column` is one of the caller's cities, `param` holding them (scopePredicate). */
function citiesCondition(column: string, param: string, oneCity: boolean): string {
  return oneCity ? `${column} = ${param}::integer` : `${column} = any(${param}::integer[])`;
}

/** concat() takes at most 100 arguments: 2 per field and 1 more. */
const MAX_FIELDS_PER_OBJECT = 49;

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** A type the compiler can build objects of. */
interface CompiledType {
  model: TypeModel;
  table: string;
  graphql: GraphQLObjectType;
  /** SQL expression of each plain scalar field, on a row alias. */
  scalars: Map<string, (alias: string) => string>;
}

/** One compiled request, before the caller is known: its root expressions, checks and parameters. */
export interface CompiledQuery {
  /** Response keys of the root fields, in order. */
  keys: string[];
  /** SQL expression (json) of each root field. */
  roots: string[];
  /** Boolean SQL expressions; any true sends the request to the resolvers. */
  checks: string[];
  values: unknown[];
  /** Whether a type that is not public is read (anonymous callers go to the resolvers). */
  needsKey: boolean;
  /**
   * For a scoped caller's statement that states the scope: the index in `values` of the caller's
   * cities, which the lane binds from the transaction's set-up (scoped.ts) in place of the null
   * compiled there: the one city (an integer) when compiled with `oneCity`, else the `integer[]`
   * of them. The statement is then sent unnamed, planned for those cities.
   */
  citiesParam?: number;
}

class Scope implements SqlScope {
  readonly values: unknown[] = [];
  readonly checks: string[] = [];
  needsKey = false;
  private aliases = 0;
  /** Row aliases of city-scoped tables whose filter rules may state the scope (SqlScope.foldScope), and those that did. */
  private readonly foldable = new Set<string>();
  private readonly folded = new Set<string>();
  /** Index in `values` of the caller's cities (CompiledQuery.citiesParam), once a read states them. */
  citiesParam?: number;
  constructor(
    readonly scoped: boolean,
    readonly oneCity = false,
  ) {}
  /** The parameter of the caller's cities (`$n`), bound per request (a placeholder null here). */
  private citiesPlaceholder(): string {
    if (this.citiesParam === undefined) {
      this.values.push(null);
      this.citiesParam = this.values.length - 1;
    }
    return `$${this.citiesParam + 1}`;
  }
  /** The scope conditions of a row alias of `table` (none for national callers or tables of no city, or where a filter rule stated it). */
  scopeOf(table: string, alias: string): string[] {
    return this.scoped && CITY_SCOPED.has(table) && !this.folded.has(alias) ? [scopePredicate(alias, this.citiesPlaceholder(), this.oneCity)] : [];
  }
  /** Alias `alias` reads `table`: its filter rules may state the scope on their cities. */
  filtering(table: string, alias: string): void {
    if (this.scoped && CITY_SCOPED.has(table)) this.foldable.add(alias);
  }
  foldScope(t: string, column: string): string | null {
    if (column !== 'city_id' || !this.foldable.has(t)) return null;
    this.folded.add(t);
    return this.cityArray();
  }
  /** The caller's cities as an `integer[]` expression of the statement's parameter. */
  cityArray(): string {
    const param = this.citiesPlaceholder();
    return this.oneCity ? `array[${param}::integer]` : `${param}::integer[]`;
  }
  /** Whether a root page of `table` is read city by city (connection): a caller of several cities, and rows of one city each. */
  splitsByCity(table: string): boolean {
    return this.scoped && !this.oneCity && CITY_SCOPED.has(table);
  }
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
  check(expression: string): void {
    // The error is the resolvers' (declared.ts raises it); here the request goes to them.
    this.checks.push(expression);
  }
  alias(prefix: string): string {
    return `${prefix}${this.aliases++}`;
  }
  /**
   * The caller as SQL for personal data (common/privacy.ts ViewerSql): a national caller's key row
   * `k` of the keyed statement (handler.ts; none of its keys is restricted to a city), or the
   * settings of a scoped caller's transaction (scoped.ts) with its cities as the statement's
   * bound parameter (citiesParam). A statement reading it needs a key.
   */
  viewer(): ViewerSql {
    const { role } = this.caller();
    if (!this.scoped) return { role, ownCity: () => 'false' };
    return { role, ownCity: (column) => citiesCondition(column, this.citiesPlaceholder(), this.oneCity) };
  }
  /**
   * The caller as SQL (model.ts CallerSql): the key row `k` of the keyed statement (handler.ts) for
   * national callers, the settings of the scoped transaction (scoped.ts) for the others. A
   * statement reading it needs a key.
   */
  caller(): CallerSql {
    this.needsKey = true;
    return this.scoped
      ? { role: `current_setting('app.role', true)`, keyId: `nullif(current_setting('app.key_id', true), '')::integer` }
      : { role: '(select role from k)', keyId: '(select id from k)' };
  }
  /**
   * A declared access rule on alias `t`: a caller of a role that may not read it is left to the
   * resolvers (a check: they answer FORBIDDEN); the condition of the rows it may read.
   */
  access(rule: AccessRule | undefined, t: string): string[] {
    if (!rule) return [];
    const caller = this.caller();
    if (rule.roles) this.checks.push(`coalesce(${caller.role} not in (${rule.roles.map(literal).join(', ')}), true)`);
    return rule.rows ? [rule.rows(caller, t)] : [];
  }
}

/** A string as an SQL literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The JSON text of a GraphQL name (response keys, type names, enum values) as an SQL literal. */
function jsonName(name: string): string {
  return literal(JSON.stringify(name));
}

/** JSON text of an SQL value that needs no escaping (numbers, booleans), `null` for NULL. */
function plain(expr: string): string {
  return `coalesce((${expr})::text, 'null')`;
}

/** JSON text of an SQL text value, escaped as JSON. */
function jsonText(expr: string): string {
  return `coalesce(to_json(${expr})::text, 'null')`;
}

/** JSON text of an SQL text value known to need no escaping (dates, codes, cursors). */
function quoted(expr: string): string {
  return `coalesce('"' || (${expr}) || '"', 'null')`;
}

/** The JSON object text of `[response key, JSON text expression]` pairs, keys in order. */
function jsonObject(pairs: [string, string][]): string {
  const args: string[] = [];
  let pending = '{';
  pairs.forEach(([key, expr], i) => {
    args.push(literal(`${pending}${i ? ',' : ''}${JSON.stringify(key)}:`), expr);
    pending = '';
  });
  args.push("'}'");
  return `concat(${args.join(', ')})`;
}

/** The JSON array text of a string_agg over rows (`[]` for none). */
function jsonArray(element: string, orderBy: string, filter = ''): string {
  return `coalesce('[' || string_agg(${element}, ',' order by ${orderBy})${filter ? ` ${filter}` : ''} || ']', '[]')`;
}

function fieldResolverNames(): Map<Function, Set<string>> {
  const out = new Map<Function, Set<string>>();
  for (const def of getMetadataStorage().fieldResolvers as { getObjectType?: () => Function; schemaName: string }[]) {
    const type = def.getObjectType?.();
    if (!type) continue;
    if (!out.has(type)) out.set(type, new Set());
    out.get(type)!.add(def.schemaName);
  }
  return out;
}

function hasGetter(entity: Function, name: string): boolean {
  for (let p = entity.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d?.get) return true;
  }
  return false;
}

/** The SQL of a plain scalar field, by its GraphQL type and the entity property behind it; null when not plain. */
function scalarExpression(graphqlType: GraphQLScalarType | GraphQLEnumType, prop: EntityMetadata['props'][number]): ((a: string) => string) | null {
  const col = prop.fieldNames[0];
  if (graphqlType instanceof GraphQLEnumType) {
    const values = graphqlType.getValues();
    const safe = values.every((v) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(String(v.value)));
    if (safe && values.every((v) => v.value === v.name)) return (a) => quoted(`${a}.${col}`);
    const cases = values.map((v) => `when ${literal(String(v.value))} then ${jsonName(v.name)}`).join(' ');
    return (a) => `coalesce(case ${a}.${col} ${cases} end, 'null')`;
  }
  const runtime = prop.runtimeType;
  switch (graphqlType.name) {
    case 'ID':
      return runtime === 'number' ? (a) => quoted(`${a}.${col}`) : null;
    case 'String':
      return runtime === 'string' && !/date|time/i.test(prop.columnTypes?.[0] ?? '') ? (a) => jsonText(`${a}.${col}`) : null;
    case 'Int':
      return runtime === 'number' && /^(int|integer|int4|smallint|int2)$/i.test(prop.columnTypes?.[0] ?? '') ? (a) => plain(`${a}.${col}`) : null;
    case 'Float':
      return runtime === 'number' ? (a) => plain(`${a}.${col}::float8`) : null;
    case 'Boolean':
      return runtime === 'boolean' ? (a) => plain(`${a}.${col}`) : null;
    case 'DateTime':
      return runtime === 'Date' ? (a) => quoted(`to_char(${a}.${col} at time zone 'UTC', ${ISO_INSTANT})`) : null;
    case 'LocalDate':
      return /^date$/i.test(prop.columnTypes?.[0] ?? '') ? (a) => quoted(`to_char(${a}.${col}, 'YYYY-MM-DD')`) : null;
    default:
      return null;
  }
}

/**
 * The SQL of a list of enum values or strings held in a `text[]` column (e.g. Warning.flagReasons):
 * to_json writes a PostgreSQL array as the compact JSON array JSON.stringify writes. Lists of
 * other items, or of enum values whose stored value is not their name, are not compiled (null).
 */
function listExpression(graphqlType: GraphQLScalarType | GraphQLEnumType, prop: EntityMetadata['props'][number]): ((a: string) => string) | null {
  const col = prop.fieldNames[0];
  if (!/^text\[\]$/i.test(prop.columnTypes?.[0] ?? '')) return null;
  if (graphqlType instanceof GraphQLEnumType) {
    if (!graphqlType.getValues().every((v) => v.value === v.name)) return null;
  } else if (graphqlType.name !== 'String') return null;
  return (a) => `coalesce(to_json(${a}.${col})::text, 'null')`;
}

/** The `[value, id]` cursor of a row (pagination.ts cursorOf), base64url, as an SQL expression. */
function cursorExpression(order: OrderChoice, a: string): string {
  let value: string;
  if (order.isId) value = `${a}.id::text`;
  else if (order.kind === 'number') value = `${a}.${order.column}::text`;
  else if (order.kind === 'decimal') value = `to_json(${a}.${order.column}::float8)::text`;
  else if (order.kind === 'timestamp') value = `to_json(to_char(${a}.${order.column} at time zone 'UTC', ${ISO_INSTANT}))::text`;
  else if (order.kind === 'date') value = `to_json(to_char(${a}.${order.column}, 'YYYY-MM-DD'))::text`;
  else value = `to_json(${a}.${order.column})::text`;
  return `translate(encode(convert_to('[' || ${value} || ',' || ${a}.id || ']', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/** The keyset condition "after this cursor" (pagination.ts keysetAfter), or CANNOT for a cursor the resolvers would refuse. */
function keysetCondition(after: string, order: OrderChoice, q: SqlScope, t: string): string | Cannot {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    return CANNOT;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !Number.isInteger(decoded[1])) return CANNOT;
  const [value, id] = decoded as [unknown, number];
  if (Math.abs(id) > 2147483647) return CANNOT;
  if (order.isId) return keysetSql(order, value, id, 'integer', q, t);
  let cast: string;
  if (order.kind === 'text' && typeof value === 'string') cast = 'text';
  else if (order.kind === 'number' && Number.isInteger(value) && Math.abs(value as number) <= 2147483647) cast = 'integer';
  else if (order.kind === 'decimal' && typeof value === 'number' && Number.isFinite(value)) cast = 'numeric';
  else if (order.kind === 'timestamp' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) cast = 'timestamptz';
  else if (order.kind === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) cast = 'date';
  else return CANNOT;
  return keysetSql(order, value, id, cast, q, t);
}

/** The page size of `first` (pagination.ts pageSize), or CANNOT where the resolvers answer differently (errors, 0). */
function firstOf(args: Record<string, unknown>): number | Cannot {
  const first = args.first;
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > MAX_PAGE_SIZE) return CANNOT;
  return first as number;
}

/** The operation being compiled: its fragments and coerced variables. */
export interface OperationInput {
  schema: GraphQLSchema;
  selectionSet: SelectionSetNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /**
   * Whether the caller is restricted to some cities: every read of a city-scoped table then
   * carries scopePredicate (the statement runs in the caller's row-level-security transaction).
   */
  scoped?: boolean;
  /**
   * With `scoped`: whether the caller has exactly one city (a CITY key, a province of one city).
   * Its cities' parameter is then that city, stated as an equality (scopePredicate).
   */
  oneCity?: boolean;
}

export class ReadCompiler {
  private readonly types = new Map<string, CompiledType>();
  private readonly roots: ReadModels['roots'] = {};

  constructor(
    private readonly schema: GraphQLSchema,
    models: ReadModels[],
    metadataOf: (entity: Function) => EntityMetadata,
  ) {
    const resolved = fieldResolverNames();
    for (const m of models) {
      Object.assign(this.roots, m.roots);
      for (const model of m.types) {
        const graphql = schema.getType(model.type);
        if (!(graphql instanceof GraphQLObjectType)) throw new Error(`Read model ${model.type}: not an object type of the schema`);
        const meta = metadataOf(model.entity);
        const scalars = new Map<string, (alias: string) => string>();
        const overridden = resolved.get(model.entity) ?? new Set();
        for (const field of Object.values(graphql.getFields())) {
          const named = getNamedType(field.type);
          if (!(named instanceof GraphQLScalarType || named instanceof GraphQLEnumType)) continue;
          if (overridden.has(field.name) || hasGetter(model.entity, field.name)) continue;
          const prop = meta.properties[field.name as never] as EntityMetadata['props'][number] | undefined;
          if (!prop || prop.persist === false || prop.kind !== 'scalar' || prop.fieldNames?.length !== 1) continue;
          const expr = isListType(getNullableType(field.type)) ? listExpression(named, prop) : scalarExpression(named, prop);
          if (expr) scalars.set(field.name, expr);
        }
        this.types.set(model.type, { model, table: meta.tableName, graphql, scalars });
      }
    }
    for (const m of models) {
      for (const ext of m.extensions ?? []) {
        const type = this.types.get(ext.type);
        if (!type) throw new Error(`Read model extension of ${ext.type}: no read model for it`);
        // A copy per type: the declaring module's object stays as declared.
        type.model = {
          ...type.model,
          references: { ...type.model.references, ...ext.references },
          lists: { ...type.model.lists, ...ext.lists },
          connections: { ...type.model.connections, ...ext.connections },
          derived: { ...type.model.derived, ...ext.derived },
          computed: { ...type.model.computed, ...ext.computed },
        };
      }
    }
    for (const type of this.types.values()) {
      const fields = type.graphql.getFields();
      const related = [...Object.entries(type.model.references ?? {}), ...Object.entries(type.model.lists ?? {}), ...Object.entries(type.model.connections ?? {})];
      for (const [field, rel] of related) {
        if (!fields[field]) throw new Error(`Read model ${type.model.type}.${field}: not a field of the schema`);
        if (!this.types.has(rel.node)) throw new Error(`Read model ${type.model.type}.${field}: no read model for ${rel.node}`);
      }
      for (const field of [...Object.keys(type.model.derived ?? {}), ...Object.keys(type.model.computed ?? {})]) {
        if (!fields[field]) throw new Error(`Read model ${type.model.type}.${field}: not a field of the schema`);
      }
    }
    for (const [name, root] of Object.entries(this.roots)) {
      if (!schema.getQueryType()?.getFields()[name]) throw new Error(`Read model root ${name}: not a Query field`);
      if (!this.types.has(root.node)) throw new Error(`Read model root ${name}: no read model for ${root.node}`);
    }
  }

  /**
   * Compiles the root selection of a query operation, or CANNOT. A declared rule that raises an
   * error (a LedgerError: the answer is an error) sends the request to the resolvers, which raise it.
   */
  compile(op: OperationInput): CompiledQuery | Cannot {
    try {
      return this.compileOperation(op);
    } catch (e) {
      if (e instanceof LedgerError) return CANNOT;
      throw e;
    }
  }

  private compileOperation(op: OperationInput): CompiledQuery | Cannot {
    const q = new Scope(op.scoped === true, op.oneCity === true);
    const queryType = this.schema.getQueryType()!;
    const fields = this.collect(op, queryType, op.selectionSet);
    if (fields === CANNOT || fields.length === 0) return CANNOT;
    const keys: string[] = [];
    const roots: string[] = [];
    for (const [key, node] of fields) {
      const name = node.name.value;
      if (name === '__typename') {
        keys.push(key);
        roots.push(jsonName(queryType.name));
        continue;
      }
      const root = this.roots[name];
      if (!root) return CANNOT;
      const def = queryType.getFields()[name];
      const args = getArgumentValues(def, node, op.variables);
      let expr: string | Cannot;
      if (root.kind === 'connection') {
        expr = this.connection(op, q, root, def, args, node, null);
      } else {
        const type = this.types.get(root.node)!;
        const t = q.alias('t');
        const where = root.where(args, q, t);
        if (where === CANNOT) return CANNOT;
        where.push(...q.access(root.access, t));
        const obj = this.object(op, q, type, t, node.selectionSet!);
        expr = obj === CANNOT ? CANNOT : `(select ${obj} from ${type.table} ${t} where ${[...where, ...q.scopeOf(type.table, t)].join(' and ')})`;
      }
      if (expr === CANNOT) return CANNOT;
      keys.push(key);
      roots.push(expr);
    }
    return { keys, roots, checks: q.checks, values: q.values, needsKey: q.needsKey, ...(q.citiesParam === undefined ? {} : { citiesParam: q.citiesParam }) };
  }

  /** The fields of a selection set on an object type, by response key, fragments flattened; CANNOT for what is not plain. */
  private collect(op: OperationInput, type: GraphQLObjectType, set: SelectionSetNode, out: [string, FieldNode][] = [], seen = new Set<string>()): [string, FieldNode][] | Cannot {
    for (const sel of set.selections) {
      if (!this.included(op, sel)) continue;
      if (sel.kind === 'Field') {
        const key = sel.alias?.value ?? sel.name.value;
        // The same key twice means merged selections: left to graphql-js.
        if (seen.has(key)) return CANNOT;
        seen.add(key);
        out.push([key, sel]);
      } else {
        const fragment = sel.kind === 'InlineFragment' ? sel : op.fragments[sel.name.value];
        if (!fragment) return CANNOT;
        if (fragment.typeCondition && fragment.typeCondition.name.value !== type.name) return CANNOT;
        if (this.collect(op, type, fragment.selectionSet, out, seen) === CANNOT) return CANNOT;
      }
    }
    return out;
  }

  private included(op: OperationInput, node: { directives?: readonly unknown[] }): boolean {
    if (!node.directives?.length) return true;
    const n = node as FieldNode;
    if (getDirectiveValues(GraphQLSkipDirective, n, op.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, n, op.variables)?.if === false) return false;
    return true;
  }

  /** The JSON object text of a row `a` of `type` for a selection set. */
  private object(op: OperationInput, q: Scope, type: CompiledType, a: string, set: SelectionSetNode): string | Cannot {
    if (!type.model.public) q.needsKey = true;
    const fields = this.collect(op, type.graphql, set);
    if (fields === CANNOT || fields.length === 0 || fields.length > MAX_FIELDS_PER_OBJECT) return CANNOT;
    const pairs: [string, string][] = [];
    for (const [key, node] of fields) {
      const name = node.name.value;
      let expr: string | Cannot = CANNOT;
      if (name === '__typename') {
        expr = jsonName(type.graphql.name);
      } else if (type.scalars.has(name)) {
        expr = type.scalars.get(name)!(a);
      } else if (type.model.computed?.[name]) {
        expr = type.model.computed[name](a, () => q.viewer());
      } else if (type.model.references?.[name]) {
        const ref = type.model.references[name];
        const target = this.types.get(ref.node)!;
        const r = q.alias('r');
        const obj = this.object(op, q, target, r, node.selectionSet!);
        const on = [`${r}.${ref.targetColumn ?? 'id'} = ${a}.${ref.column}`, ...q.scopeOf(target.table, r)].join(' and ');
        if (obj !== CANNOT) expr = `coalesce((select ${obj} from ${target.table} ${r} where ${on}), 'null')`;
      } else if (type.model.lists?.[name]) {
        const list = type.model.lists[name];
        const target = this.types.get(list.node)!;
        const r = q.alias('l');
        const obj = this.object(op, q, target, r, node.selectionSet!);
        if (obj !== CANNOT) {
          const on = [`${r}.${list.column} = ${a}.${list.parentKey ?? 'id'}`, ...q.scopeOf(target.table, r)].join(' and ');
          expr = `(select ${jsonArray(obj, list.orderBy(r))} from ${target.table} ${r} where ${on})`;
        }
      } else if (type.model.derived?.[name]) {
        expr = this.derived(op, q, type.model.derived[name], type.graphql.getFields()[name], node, a);
      } else if (type.model.connections?.[name]) {
        const def = type.graphql.getFields()[name];
        expr = this.connection(op, q, type.model.connections[name], def, getArgumentValues(def, node, op.variables), node, a);
      }
      if (expr === CANNOT) return CANNOT;
      pairs.push([key, expr]);
    }
    return jsonObject(pairs);
  }

  /**
   * The object of a derived field: the selected fields of its one-row subquery (for a field of
   * list type, the array of every row of it, in the declared order).
   */
  private derived(op: OperationInput, q: Scope, model: DerivedModel, def: GraphQLField<unknown, unknown>, node: FieldNode, a: string): string | Cannot {
    const type = getNamedType(def.type) as GraphQLObjectType;
    const from = model.from(a, getArgumentValues(def, node, op.variables), q);
    if (from === CANNOT) return CANNOT;
    const v = q.alias('v');
    const obj = this.derivedObject(op, q, type, model.fields, node.selectionSet!, v);
    if (obj === CANNOT) return CANNOT;
    if (isListType(getNullableType(def.type))) {
      if (!model.orderBy) return CANNOT;
      return `(select ${jsonArray(obj, model.orderBy(v))} from ${from} ${v})`;
    }
    return `coalesce((select ${obj} from ${from} ${v}), 'null')`;
  }

  /** The JSON object text of the selected fields of a derived type on row alias `v`. */
  private derivedObject(op: OperationInput, q: Scope, type: GraphQLObjectType, declared: Record<string, DerivedField>, set: SelectionSetNode, v: string): string | Cannot {
    const fields = this.collect(op, type, set);
    if (fields === CANNOT || fields.length === 0 || fields.length > MAX_FIELDS_PER_OBJECT) return CANNOT;
    const pairs: [string, string][] = [];
    for (const [key, f] of fields) {
      const name = f.name.value;
      if (name === '__typename') {
        pairs.push([key, jsonName(type.name)]);
        continue;
      }
      const field = declared[name];
      const def = type.getFields()[name];
      if (!field || !def || f.arguments?.length) return CANNOT;
      let expr: string | Cannot = CANNOT;
      if (typeof field === 'function') {
        expr = `coalesce(to_json(${field(v)})::text, 'null')`;
      } else if ('object' in field) {
        expr = this.derivedObject(op, q, getNamedType(def.type) as GraphQLObjectType, field.object, f.selectionSet!, v);
      } else if ('elements' in field) {
        const x = q.alias('x');
        const element = this.derivedObject(op, q, getNamedType(def.type) as GraphQLObjectType, field.fields, f.selectionSet!, `${x}.e`);
        if (element !== CANNOT) expr = `(select ${jsonArray(element, `${x}.i`)} from json_array_elements(${field.elements(v)}) with ordinality ${x}(e, i))`;
      } else {
        const target = this.types.get(field.reference);
        if (!target) return CANNOT;
        const r = q.alias('r');
        const obj = this.object(op, q, target, r, f.selectionSet!);
        const on = [`${r}.id = ${field.id(v)}`, ...q.scopeOf(target.table, r)].join(' and ');
        if (obj !== CANNOT) expr = `coalesce((select ${obj} from ${target.table} ${r} where ${on}), 'null')`;
      }
      if (expr === CANNOT) return CANNOT;
      pairs.push([key, expr]);
    }
    return jsonObject(pairs);
  }

  /**
   * A Relay connection (pagination.ts paginate / loaders.ts childConnection): one page by keyset,
   * limit first + 1 for hasNextPage, totalCount over the filter without the cursor.
   */
  private connection(
    op: OperationInput,
    q: Scope,
    model: ConnectionModel,
    def: GraphQLField<unknown, unknown>,
    args: Record<string, unknown>,
    node: FieldNode,
    parent: string | null,
  ): string | Cannot {
    const type = this.types.get(model.node)!;
    // Even a connection asked only for its count or cursors reveals its rows.
    if (!type.model.public) q.needsKey = true;
    const first = firstOf(args);
    const order = model.order(args);
    if (first === CANNOT || order === CANNOT) return CANNOT;
    const t = q.alias('t');
    const p = q.alias('p');
    q.filtering(type.table, t);
    const conditions = model.where ? model.where(args, q, t) : [];
    if (conditions === CANNOT) return CANNOT;
    const filtered = conditions.length > 0;
    if (parent) {
      if (!model.parentColumn) return CANNOT;
      conditions.unshift(`${t}.${model.parentColumn} = ${parent}.id`);
    }
    conditions.push(...q.access(model.access, t));
    const scope = q.scopeOf(type.table, t);
    // The page's conditions without the scope, for a page read city by city (below).
    const unscoped = [...conditions];
    conditions.push(...scope);
    const page = [...conditions];
    const after = args.after;
    if (after !== null && after !== undefined) {
      const keyset = keysetCondition(String(after), order, q, t);
      if (keyset === CANNOT) return CANNOT;
      page.push(keyset);
    }
    const connectionType = getNamedType(def.type) as GraphQLObjectType;
    const fields = this.collect(op, connectionType, node.selectionSet!);
    if (fields === CANNOT || fields.length === 0) return CANNOT;
    const inPage = `filter (where ${p}.__n <= ${first})`;
    const pairs: [string, string][] = [];
    // Whether a field aggregates over the page (nodes, edges, hasNextPage, cursors); without one
    // (totalCount, hasPreviousPage, __typename) the page is not read at all.
    let readsPage = false;
    for (const [key, f] of fields) {
      let expr: string | Cannot = CANNOT;
      switch (f.name.value) {
        case '__typename':
          expr = jsonName(connectionType.name);
          break;
        case 'totalCount':
          expr = `(select count(*) from ${type.table} ${t}${conditions.length ? ` where ${conditions.join(' and ')}` : ''})::text`;
          break;
        case 'nodes': {
          readsPage = true;
          const obj = this.object(op, q, type, p, f.selectionSet!);
          if (obj !== CANNOT) expr = jsonArray(obj, `${p}.__n`, inPage);
          break;
        }
        case 'edges': {
          readsPage = true;
          const edgeType = getNamedType(connectionType.getFields().edges.type) as GraphQLObjectType;
          const edgeFields = this.collect(op, edgeType, f.selectionSet!);
          if (edgeFields === CANNOT || edgeFields.length === 0) break;
          const edgePairs: [string, string][] = [];
          for (const [edgeKey, e] of edgeFields) {
            let v: string | Cannot = CANNOT;
            if (e.name.value === '__typename') v = jsonName(edgeType.name);
            else if (e.name.value === 'cursor') v = quoted(cursorExpression(order, p));
            else if (e.name.value === 'node') v = this.object(op, q, type, p, e.selectionSet!);
            if (v === CANNOT) return CANNOT;
            edgePairs.push([edgeKey, v]);
          }
          expr = jsonArray(jsonObject(edgePairs), `${p}.__n`, inPage);
          break;
        }
        case 'pageInfo': {
          const infoType = getNamedType(connectionType.getFields().pageInfo.type) as GraphQLObjectType;
          const infoFields = this.collect(op, infoType, f.selectionSet!);
          if (infoFields === CANNOT || infoFields.length === 0) break;
          const infoPairs: [string, string][] = [];
          for (const [infoKey, i] of infoFields) {
            let v: string;
            switch (i.name.value) {
              case '__typename':
                v = jsonName(infoType.name);
                break;
              case 'hasNextPage':
                readsPage = true;
                v = `(count(*) > ${first})::text`;
                break;
              case 'hasPreviousPage':
                v = after ? `'true'` : `'false'`;
                break;
              case 'startCursor':
                readsPage = true;
                v = quoted(`min(${cursorExpression(order, p)}) filter (where ${p}.__n = 1)`);
                break;
              case 'endCursor':
                readsPage = true;
                v = quoted(`(array_agg(${cursorExpression(order, p)} order by ${p}.__n desc) ${inPage})[1]`);
                break;
              default:
                return CANNOT;
            }
            infoPairs.push([infoKey, v]);
          }
          expr = jsonObject(infoPairs);
          break;
        }
      }
      if (expr === CANNOT) return CANNOT;
      pairs.push([key, expr]);
    }
    const ord = orderSql(order, t);
    let inner = `select ${t}.*, row_number() over (order by ${ord}) as __n from ${type.table} ${t}${page.length ? ` where ${page.join(' and ')}` : ''} order by ${ord} limit ${first + 1}`;
    if (parent === null && filtered && q.splitsByCity(type.table)) {
      // A filtered page of a caller of several cities: each city's first + 1 rows in the page's
      // order, then the page of those. Each city's part is an index range of (city_id, sort...)
      // read in order and stopped at first + 1; one range over all the caller's cities is not in
      // the page's order and is read whole and sorted, which the planner, blind to how many rows
      // the filter and the policy keep, also picks where it should walk the sort's index. An
      // unfiltered page walks the sort's index, the scope a condition on it, and stops after the
      // page (docs/architecture.md "The caller's cities in the plan").
      const s = q.alias('s');
      const perCity = [`${t}.city_id = ${s}.city_id`, ...unscoped, ...page.slice(conditions.length)];
      inner = `select ${t}.*, row_number() over (order by ${ord}) as __n from unnest(${q.cityArray()}) as ${s}(city_id) cross join lateral (select ${t}.* from ${type.table} ${t} where ${perCity.join(' and ')} order by ${ord} limit ${first + 1}) ${t} order by ${ord} limit ${first + 1}`;
    }
    return readsPage ? `(select ${jsonObject(pairs)} from (${inner}) ${p})` : `(select ${jsonObject(pairs)})`;
  }
}
