/**
 * The generated differential suite's plan: which cases the declarations (READ_MODELS) and the
 * schema call for, with their documents. Pure: no database, so that the staleness check
 * (differential.test.ts) can compare the committed cases with it cheaply. The values of the cases
 * (a filter's value, the cursor of a first page) come from the test database when the generator
 * (generate.gen.ts, `pnpm differential:generate`) writes them.
 *
 * For every root connection of a declared collection the plan pairs, instead of crossing:
 * - the filters: none, then every key of its filter input once (alone);
 * - the sorts: the default, then every `*OrderField` value in each direction;
 * - case i of a root takes filter i and sort i (the shorter list wraps around), so that every
 *   filter and every sort in each direction appears at least once: max(filters, sorts) pairs
 *   rather than filters x sorts;
 * - each pair as a first page (`first: 3`) and as the page after that first page's endCursor;
 * - each of that asked by every caller class (CALLERS).
 * Every root query of one record (`enterprise(id)`, `city(slug)`, ...) is asked once per caller.
 */
import {
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { ReadModels, TypeModel } from '../../packages/api/src/common/compiled/model.js';
import type { ReadCompiler } from '../../packages/api/src/common/compiled/compiler.js';

/** The caller classes every case is asked by. */
export const CALLERS = ['anonymous', 'readOnly', 'ministry', 'province', 'city'] as const;
export type CallerClass = (typeof CALLERS)[number];

/** Callers restricted to some cities (answered in their row-level-security transaction). */
export const SCOPED_CALLERS: readonly CallerClass[] = ['province', 'city'];

/** Page size of every generated connection case (small, so that a first page has a next one). */
export const PAGE = 3;

/** One case of the plan, before its values are drawn. */
export interface PlannedCase {
  /** File name without extension, e.g. `enterprises.04.industries.NAME-DESC.after.city`. */
  name: string;
  root: string;
  caller: CallerClass;
  document: string;
  /** Connection cases: the filter key used (null: none), the sort (null: the default), and the page. */
  filterKey?: string | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
  page?: 'first' | 'after';
  /** For an `after` case: the name of the first-page case whose endCursor it continues. */
  firstPageOf?: string;
  /** Root queries of one record: the arguments to draw. */
  arguments?: string[];
}

/** A case as committed (JSON next to its SQL snapshot). */
export interface CaseFile {
  name: string;
  root: string;
  caller: CallerClass;
  document: string;
  /**
   * The request's variables. An `after` case's `after` is not stored (its first page's cursors
   * hold creation instants, which differ between runs): `afterEndCursorOf` names the case whose
   * endCursor, as the resolvers answer it in the same run, becomes `after`.
   */
  variables: Record<string, unknown>;
  afterEndCursorOf?: string;
  filterKey?: string | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
  /** How the compiled server must answer: in one compiled statement, or through the resolvers (and why). */
  execution: 'compiled' | 'resolvers';
  reason?: string;
  /** Whether the answer held rows when the case was generated (then it must hold rows when run). */
  nonEmpty: boolean;
}

/** The compilable part of a type: what the compiler answers itself (ReadCompiler's type table). */
interface CompiledTypeView {
  model: TypeModel;
  scalars: Map<string, unknown>;
}

function typesOf(compiler: ReadCompiler): Map<string, CompiledTypeView> {
  return (compiler as unknown as { types: Map<string, CompiledTypeView> }).types;
}

/**
 * The selection of a node type: every field the compiler answers itself (columns, computed
 * fields), each reference's id, each derived object's fields of plain values (derived fields
 * without a required argument); in the schema's field order.
 */
export function nodeSelection(schema: GraphQLSchema, compiler: ReadCompiler, typeName: string): string {
  const types = typesOf(compiler);
  const type = types.get(typeName);
  if (!type) throw new Error(`no read model for ${typeName}`);
  const graphql = schema.getType(typeName) as GraphQLObjectType;
  const out: string[] = [];
  for (const field of Object.values(graphql.getFields())) {
    const m = type.model;
    if (type.scalars.has(field.name) || m.computed?.[field.name]) out.push(field.name);
    else if (m.references?.[field.name]) {
      const target = types.get(m.references[field.name].node)!;
      out.push(`${field.name} { ${target.scalars.has('id') ? 'id' : '__typename'} }`);
    } else if (m.derived?.[field.name] && !field.args.some((a) => isNonNullType(a.type))) {
      // A derived object's fields of plain values (its nested objects, lists and references are
      // the hand-written corpus's, test/e2e/compiled-reads.test.ts); fields with a required argument are left out.
      const plain = Object.entries(m.derived[field.name].fields).filter(([, f]) => typeof f === 'function').map(([name]) => name);
      if (plain.length) out.push(`${field.name} { ${plain.join(' ')} }`);
    }
  }
  return out.join(' ');
}

/** The GraphQL text of an input type as written in a variable definition. */
function typeText(type: GraphQLInputType): string {
  return String(type);
}

const isConnection = (field: GraphQLField<unknown, unknown>) => {
  const named = getNamedType(field.type);
  return named instanceof GraphQLObjectType && named.name.endsWith('Connection') && Boolean(named.getFields().pageInfo);
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Every case the declarations and the schema call for, in a fixed order. */
export function planCases(schema: GraphQLSchema, reads: ReadModels[], compiler: ReadCompiler): PlannedCase[] {
  const queryFields = schema.getQueryType()!.getFields();
  const roots = reads.flatMap((r) => Object.entries(r.roots));
  const out: PlannedCase[] = [];
  for (const [root, model] of roots) {
    const field = queryFields[root];
    if (model.kind === 'connection') {
      if (!isConnection(field)) throw new Error(`${root}: declared as a connection, not one in the schema`);
      const args = new Map(field.args.map((a) => [a.name, a]));
      const filterArg = args.get('filter');
      const orderArg = args.get('orderBy');
      const filters: (string | null)[] = [null];
      if (filterArg) filters.push(...Object.keys((getNamedType(filterArg.type) as GraphQLInputObjectType).getFields()).sort());
      const sorts: ({ field: string; direction: 'ASC' | 'DESC' } | null)[] = [null];
      if (orderArg) {
        const orderField = (getNamedType(orderArg.type) as GraphQLInputObjectType).getFields().field;
        for (const v of (getNamedType(orderField.type) as GraphQLEnumType).getValues()) {
          for (const direction of ['ASC', 'DESC'] as const) sorts.push({ field: v.name, direction });
        }
      }
      for (const a of field.args) {
        if (!['first', 'after', 'filter', 'orderBy'].includes(a.name) && isNonNullType(a.type)) throw new Error(`${root}: required argument ${a.name} the plan does not know`);
      }
      const defs = ['$first: Int', '$after: String'];
      const uses = ['first: $first', 'after: $after'];
      if (filterArg) {
        defs.push(`$filter: ${typeText(filterArg.type)}`);
        uses.push('filter: $filter');
      }
      if (orderArg) {
        defs.push(`$orderBy: ${typeText(orderArg.type)}`);
        uses.push('orderBy: $orderBy');
      }
      const document = `query Differential(${defs.join(', ')}) { ${root}(${uses.join(', ')}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${nodeSelection(schema, compiler, model.node)} } } } }`;
      const n = Math.max(filters.length, sorts.length);
      for (let i = 0; i < n; i++) {
        const filterKey = filters[i % filters.length];
        const orderBy = sorts[i % sorts.length];
        const base = `${root}.${pad(i)}.${filterKey ?? 'nofilter'}.${orderBy ? `${orderBy.field}-${orderBy.direction}` : 'default'}`;
        for (const caller of CALLERS) {
          const first = `${base}.first.${caller}`;
          out.push({ name: first, root, caller, document, filterKey, orderBy, page: 'first' });
          out.push({ name: `${base}.after.${caller}`, root, caller, document, filterKey, orderBy, page: 'after', firstPageOf: first });
        }
      }
    } else {
      const required = field.args.filter((a) => isNonNullType(a.type));
      const defs = required.map((a) => `$${a.name}: ${typeText(a.type)}`);
      const uses = required.map((a) => `${a.name}: $${a.name}`);
      const document = `query Differential(${defs.join(', ')}) { ${root}(${uses.join(', ')}) { ${nodeSelection(schema, compiler, model.node)} } }`;
      for (const caller of CALLERS) out.push({ name: `${root}.one.${caller}`, root, caller, document, arguments: required.map((a) => a.name) });
    }
  }
  return out;
}

/** The scalar or enum behind an input field (lists and non-null unwrapped), and whether it is a list. */
export function inputShape(type: GraphQLInputType): { named: GraphQLScalarType | GraphQLEnumType | GraphQLInputObjectType; list: boolean } {
  let t = type;
  if (isNonNullType(t)) t = t.ofType;
  const list = isListType(t);
  return { named: getNamedType(type) as GraphQLScalarType | GraphQLEnumType | GraphQLInputObjectType, list };
}
