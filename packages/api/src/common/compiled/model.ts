/**
 * How a module declares the read models of compiled reads (common/compiled/compiler.ts): which
 * table serves a GraphQL object type, its references, lists and connections, and the root fields
 * that start a compiled query. Declarations live next to the module's resolvers
 * (`modules/<module>/<module>.reads.ts`) and must mean exactly what the resolvers mean: the
 * differential test (test/e2e/compiled-reads.test.ts) compares both answers byte for byte.
 *
 * Everything here returns CANNOT where the resolvers would do something the compiler does not
 * reproduce (an error, a scoped caller, an argument it does not know): the request then runs
 * through the resolvers as it always did.
 */
import type { ClassType } from 'type-graphql';
import { SortDirection } from '../pagination.js';
import { idOrNull, parseId } from '../ids.js';
import { notFound, type LedgerError } from '../errors.js';
import { personalSql, type PersonalField, type ViewerSql } from '../privacy.js';

/** Returned where a request cannot be compiled: it runs through the resolvers instead. */
export const CANNOT = Symbol('cannot compile');
export type Cannot = typeof CANNOT;

/** Parameters and checks of the statement being built. */
export interface SqlScope {
  /** Binds a value; returns its placeholder (`$3`), with an optional cast (`$3::text`). */
  param(value: unknown, cast?: string): string;
  /**
   * A boolean SQL expression that, when true at run time, makes the answer `error` (e.g. "no
   * province has this slug": NOT_FOUND naming the field). The compiled lane sends such a request
   * to the resolvers; the resolvers' interpreter (declared.ts) raises the error.
   */
  check(expression: string, error: () => LedgerError): void;
  /**
   * For a rule that restricts the city of alias `t` (column `column`) to a set of cities
   * (placeRules): the caller's cities as an SQL `integer[]` expression when `t`'s rows are scoped
   * to them (a city-scoped table, a caller restricted to some cities, `column` its `city_id`),
   * else null. The rule states the scope inside its set of cities, and the scope is then not
   * stated again on `t`: one array condition on the city column besides the row-level-security
   * policy's own (with two, the planner misjudges how many rows a city index gives and picks the
   * wrong index: bench/RESULTS.md, Q4 PROVINCE).
   */
  foldScope?(t: string, column: string): string | null;
}

/**
 * The caller of the request as SQL, for declared access rules (AccessRule.rows): its role and
 * the id of its API key (NULL without one). The compiled lane reads them from the key of its
 * statement or from the scoped transaction's settings; the resolvers' interpreter binds them.
 */
export interface CallerSql {
  /** The caller's role (text: MINISTRY, PROVINCE, CITY, READ_ONLY, SYSTEM). */
  role: string;
  /** The caller's API key id (integer). */
  keyId: string;
}

/**
 * Who may read a collection or record beyond its type's `public` flag (e.g. API keys: the
 * ministry all, a province its province's and its cities', a city its city's): the roles that
 * may ask at all (any other keyed caller is FORBIDDEN) and the rows each caller may see. Both
 * interpreters apply it: the compiled lane in its statement (a caller of another role is left to
 * the resolvers), declared.ts as an error and a condition.
 */
export interface AccessRule {
  /** Roles that may read it (SYSTEM included where it may); others are FORBIDDEN with `refusal(role)`. */
  roles?: readonly string[];
  refusal?: (role: string) => string;
  /** The condition on alias `t` of the rows the caller may read. */
  rows?: (caller: CallerSql, t: string) => string;
}

/** A column an ordered list can be sorted by, and how its cursor value is written. */
export interface OrderColumn {
  column: string;
  /**
   * How the value appears in cursors (pagination.ts cursorOf): text as a JSON string, number as a
   * JSON number, timestamp as an ISO instant, date as YYYY-MM-DD, decimal as a JSON number.
   */
  kind: 'text' | 'number' | 'timestamp' | 'date' | 'decimal';
}

/** The sort of one request: a column and direction, the id breaking ties (pagination.ts orderByOf). */
export interface OrderChoice extends OrderColumn {
  direction: SortDirection;
  /** Whether the column is the id itself (no tie-breaker, cursor [id, id]). */
  isId?: boolean;
}

/** SQL of a sort on row alias `t`: its column then the id, in the one direction (pagination.ts orderByOf). */
export function orderSql(order: OrderChoice, t: string): string {
  const dir = order.direction === SortDirection.ASC ? 'asc' : 'desc';
  return order.isId ? `${t}.id ${dir}` : `${t}.${order.column} ${dir}, ${t}.id ${dir}`;
}

/** The keyset condition on row alias `t` after the row (value, id) of a sort (pagination.ts keysetAfter), the value bound as `cast`. */
export function keysetSql(order: OrderChoice, value: unknown, id: number, cast: string, q: SqlScope, t: string): string {
  const op = order.direction === SortDirection.ASC ? '>' : '<';
  if (order.isId) return `${t}.id ${op} ${q.param(id, 'integer')}`;
  const v = q.param(value, cast);
  const i = q.param(id, 'integer');
  return `(${t}.${order.column} ${op} ${v} or (${t}.${order.column} = ${v} and ${t}.id ${op} ${i}))`;
}

/**
 * SQL conditions on the rows of alias `t` for the given field arguments, or CANNOT (an argument
 * without a rule). A rule may throw a LedgerError where the answer is an error (an id that is not
 * one): the compiled lane then leaves the request to the resolvers, which raise it.
 */
export type ConditionRule = (args: Record<string, unknown>, q: SqlScope, t: string) => string[] | Cannot;

/** A connection (Relay page) of a node type: root list or a parent's child list. */
export interface ConnectionModel {
  /** GraphQL type of the nodes (a TypeModel). */
  node: string;
  /** For a child connection: the node table's column holding the parent's id. */
  parentColumn?: string;
  /** The request's sort (from its `orderBy` argument), or CANNOT. */
  order(args: Record<string, unknown>): OrderChoice | Cannot;
  /** Conditions of the request's other arguments (`filter`), or CANNOT. Absent: no arguments but paging. */
  where?: ConditionRule;
  /** Who may read it, beyond the node type's `public` flag. */
  access?: AccessRule;
}

/** A plain list field (`[T!]!`) of a parent, e.g. Province.cities. */
export interface ListModel {
  node: string;
  /** Node table column matching the parent's `parentKey` column. */
  column: string;
  /** Parent column it matches (default id). */
  parentKey?: string;
  /** ORDER BY of the list, on the node alias `t` (e.g. `t.plan_order, t.id`). */
  orderBy: (t: string) => string;
}

/** A field holding one record of another type, e.g. Enterprise.city. */
export interface ReferenceModel {
  node: string;
  /** Parent column holding the key. */
  column: string;
  /** Column of the referenced table it matches (default id). */
  targetColumn?: string;
}

/**
 * A field whose object is computed in SQL (a type without a table, e.g. TaskTarget.progress):
 * a one-row FROM item correlated to the parent row, and the expression of each field on it.
 * A field of list type (e.g. Campaign.attainments) takes every row of `from`, in `orderBy`.
 */
export interface DerivedModel {
  /**
   * A parenthesised subquery correlated to the parent alias `a`, given the field's arguments;
   * CANNOT for arguments it does not know.
   */
  from: (a: string, args: Record<string, unknown>, q: SqlScope) => string | Cannot;
  /** Expression of each field of the derived type on the row alias `v`. */
  fields: Record<string, DerivedField>;
  /** For a list field: the order of its rows on the row alias `v`. */
  orderBy?: (v: string) => string;
}

/**
 * A field of a derived object: an SQL value on the row alias (written as to_json writes it), an
 * object of more fields on the same row, a list of objects held as a JSON array, or a record of
 * a declared type by its id.
 */
export type DerivedField =
  | ((v: string) => string)
  | { object: Record<string, DerivedField> }
  | { elements: (v: string) => string; fields: Record<string, (e: string) => string> }
  | { reference: string; id: (v: string) => string };

/** The JSON text of a computed field on row alias `a`; `viewer()` gives the caller as SQL (and makes the field need a key). */
export type ComputedField = (a: string, viewer: () => ViewerSql) => string;

/** The table behind a GraphQL object type. */
export interface TypeModel {
  type: string;
  /** The MikroORM entity: its mapped columns serve the type's plain scalar fields. */
  entity: ClassType<object>;
  /** Whether anonymous callers may read it (otherwise a request needs an API key). */
  public: boolean;
  references?: Record<string, ReferenceModel>;
  lists?: Record<string, ListModel>;
  connections?: Record<string, ConnectionModel>;
  derived?: Record<string, DerivedModel>;
  /**
   * Scalar fields computed from the row (entity getters): the JSON text of the value on row alias
   * `a`. A field whose value depends on the caller (personal data masked by role and city,
   * common/privacy.ts) reads it from `viewer`; such a field needs an API key.
   */
  computed?: Record<string, ComputedField>;
}

/** A root Query field served by compiled reads. */
export type RootModel =
  | ({ kind: 'connection' } & ConnectionModel)
  | {
      kind: 'one';
      node: string;
      /** The condition selecting the record from the arguments, or CANNOT (e.g. an id that is not one). */
      where: ConditionRule;
      /** Who may read it, beyond the node type's `public` flag (a record the caller may not see is not found). */
      access?: AccessRule;
    };

/** Fields a module adds to another module's type (e.g. City.enterprises from the enterprise module). */
export type TypeExtension = { type: string } & Pick<TypeModel, 'references' | 'lists' | 'connections' | 'derived' | 'computed'>;

/** What a module contributes. */
export interface ReadModels {
  types: TypeModel[];
  extensions?: TypeExtension[];
  roots: Record<string, RootModel>;
}

// ------------------------------------------------------------------------------------- helpers

/**
 * The sort of a collection from its `orderBy` argument: `columns` maps the order-field enum values
 * to columns; without `orderBy` the default applies.
 */
export function orderFrom(
  columns: Record<string, OrderColumn>,
  fallback: { field: string; direction: SortDirection },
  directionWithoutDirection: SortDirection = SortDirection.ASC,
): (args: Record<string, unknown>) => OrderChoice | Cannot {
  return (args) => {
    const order = args.orderBy as { field: string; direction?: SortDirection } | null | undefined;
    const field = order ? order.field : fallback.field;
    const column = columns[field];
    if (!column) return CANNOT;
    const direction = order ? (order.direction ?? directionWithoutDirection) : fallback.direction;
    return { ...column, direction, isId: column.column === 'id' };
  };
}

/** A fixed sort (collections without `orderBy`). */
export function fixedOrder(column: OrderColumn, direction: SortDirection): () => OrderChoice {
  const choice = { ...column, direction, isId: column.column === 'id' };
  return () => choice;
}

/** A rule for one key of a filter input (`filter`: the whole input): SQL conditions on alias `t`, or CANNOT. */
export type FilterKeyRule = (value: unknown, q: SqlScope, t: string, field: string, filter?: Record<string, unknown>) => string[] | Cannot;

/** A ConditionRule built by filterRules, which knows its keys (the schema test checks them). */
export type FilterRule = ConditionRule & { readonly keys: readonly string[]; readonly argument: string };

/**
 * The `filter` argument's rule from one rule per filter key, applied in the order of `rules`
 * (so that checks and their errors come in a fixed order, e.g. province before city). A key the
 * rules do not know, given a non-null value, is CANNOT (test/e2e/declared-rules.test.ts fails for
 * a filter field of the schema without a rule).
 */
export function filterRules(rules: Record<string, FilterKeyRule>, argument = 'filter'): FilterRule {
  const rule: ConditionRule = (args, q, t) => {
    const filter = args[argument] as Record<string, unknown> | null | undefined;
    if (!filter) return [];
    for (const key of Object.keys(filter)) {
      if (filter[key] !== null && filter[key] !== undefined && !rules[key]) return CANNOT;
    }
    const out: string[] = [];
    for (const [key, rule] of Object.entries(rules)) {
      const value = filter[key];
      if (value === null || value === undefined) continue;
      const conditions = rule(value, q, t, `${argument}.${key}`, filter);
      if (conditions === CANNOT) return CANNOT;
      out.push(...conditions);
    }
    return out;
  };
  return Object.assign(rule, { keys: Object.keys(rules), argument });
}

/** `column = any($list)` for a list filter (an empty list matches nothing, as MikroORM's `$in: []`). */
export function inList(column: string, cast = 'text[]'): FilterKeyRule {
  return (value, q, t) => [`${t}.${column} = any(${q.param(value, cast)})`];
}

/** `column = $value`. */
export function equals(column: string, cast: string): FilterKeyRule {
  return (value, q, t) => [`${t}.${column} = ${q.param(value, cast)}`];
}

/** true: `column is not null`; false: `column is null`. */
export function isSet(column: string): FilterKeyRule {
  return (value, _q, t) => [value ? `${t}.${column} is not null` : `${t}.${column} is null`];
}


/**
 * The place keys of a filter (geography.service.ts resolvePlaceFilter): `region` (code),
 * `province` and `city` (slugs), on the table's city key. An unknown slug sends the request to the
 * resolvers, which answer NOT_FOUND naming the field.
 */
export function placeRules(cityColumn = 'city_id'): Record<string, FilterKeyRule> {
  /** The caller's scope on the place's cities (`c`), where it replaces the scope on `t` (SqlScope.foldScope). */
  const within = (q: SqlScope, t: string): string => {
    const cities = q.foldScope?.(t, cityColumn);
    return cities ? ` and c.id = any(${cities})` : '';
  };
  return {
    region: (value, q, t) => [`${t}.${cityColumn} in (select c.id from city c where c.region_code = ${q.param(value, 'text')}${within(q, t)})`],
    province: (value, q, t, field) => {
      const slug = q.param(value, 'text');
      q.check(`not exists (select 1 from province p where p.slug = ${slug})`, () => notFound('province', field, value));
      return [`${t}.${cityColumn} in (select c.id from city c join province p on p.id = c.province_id where p.slug = ${slug}${within(q, t)})`];
    },
    city: (value, q, t, field) => {
      const slug = q.param(value, 'text');
      q.check(`not exists (select 1 from city c where c.slug = ${slug})`, () => notFound('city', field, value));
      return [`${t}.${cityColumn} = (select c.id from city c where c.slug = ${slug}${within(q, t)})`];
    },
  };
}

/** A record by a unique text argument (`slug`, `code`). */
export function byText(argument: string, column: string): ConditionRule {
  return (args, q, t) => [`${t}.${column} = ${q.param(args[argument], 'text')}`];
}

/** An `ID` value as the integer key (ids.ts), or CANNOT where parseId would refuse it. */
export function idValue(value: unknown): number | Cannot {
  return idOrNull(value as string | number) ?? CANNOT;
}

/** `column = <id>` for an `ID` filter value; a value that is not an id is INVALID naming the field. */
export function idEquals(column: string): FilterKeyRule {
  return (value, q, t, field) => [`${t}.${column} = ${q.param(parseId(value as string, field), 'integer')}`];
}

/**
 * `column = <id>` for an `ID` filter value, where a value that is not an id is an error raised in
 * the order of the declared checks (after the lookups declared before it), not before them.
 */
export function idEqualsChecked(column: string): FilterKeyRule {
  return (value, q, t, field) => {
    const id = idOrNull(value as string);
    if (id === null) {
      q.check('true', () => {
        try {
          parseId(value as string, field);
        } catch (e) {
          return e as LedgerError;
        }
        throw new Error('unreachable');
      });
      return ['false'];
    }
    return [`${t}.${column} = ${q.param(id, 'integer')}`];
  };
}

/** A record by its `ID` argument. */
export function byId(argument = 'id'): ConditionRule {
  return (args, q, t) => {
    const id = idValue(args[argument]);
    return id === CANNOT ? CANNOT : [`${t}.id = ${q.param(id, 'integer')}`];
  };
}

/** A personal field (common/privacy.ts): the column's JSON text, masked in SQL for callers who may not see it. */
export function personal(field: PersonalField): ComputedField {
  return (a, viewer) => `coalesce(to_json(${personalSql(field, a, viewer())})::text, 'null')`;
}

/** A campaign by code (NOT_FOUND naming the field when none has it), on the row's `column`. */
export function campaignByCode(column = 'campaign_id'): FilterKeyRule {
  return (value, q, t, field) => {
    const code = q.param(value, 'text');
    q.check(`not exists (select 1 from campaign cp where cp.code = ${code})`, () => notFound('campaign', field, value));
    return [`${t}.${column} = (select cp.id from campaign cp where cp.code = ${code})`];
  };
}
