import type { EntityManager, FilterQuery, Knex } from '@mikro-orm/postgresql';
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { LedgerError, UserErrorCode } from './errors.js';
import { isIsoDate } from './scalars.js';

/** Direction of a sort. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Direction of a sort.' });

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ObjectType({ description: 'Where a page stands in its connection (Relay cursor connections).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether items precede this page (true when `after` was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Number of items to return (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (a previous `pageInfo.endCursor`).' })
  after?: string | null;
}

/** A page of a connection as resolvers return it. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** Builds the `<Node>Connection` and `<Node>Edge` object types of a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, nodeName: string = node.name): ClassType<Connection<T>> {
  @ObjectType(`${nodeName}Edge`, { description: `An edge in a connection of ${nodeName} items.` })
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => node, { description: 'The item.' })
    node!: T;
  }

  @ObjectType()
  abstract class ConnectionBase {
    @Field(() => [Edge], { description: 'Items with their cursors.' })
    edges!: Edge[];

    @Field(() => [node], { description: 'Items of the page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Pagination details.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the filter, over all pages.' })
    totalCount!: number;
  }
  return ConnectionBase as unknown as ClassType<Connection<T>>;
}

/**
 * The `orderBy` input of a collection: one of its sortable fields (`fieldEnum`) and a direction,
 * ascending unless given. Every collection declares its own with this, e.g.
 * `export const CityOrder = OrderInput<CityOrderField>('CityOrder', CityOrderField, '...')`.
 */
export function OrderInput<F extends string>(name: string, fieldEnum: object, description: string): ClassType<{ field: F; direction: SortDirection }> {
  @InputType(name, { description })
  class Order {
    @Field(() => fieldEnum, { description: 'Field to sort by.' })
    field!: F;

    @Field(() => SortDirection, { defaultValue: SortDirection.ASC, description: 'Direction.' })
    direction!: SortDirection;
  }
  return Order;
}

/** Sort of a collection: a non-null property, with the id as tie-breaker in the same direction. */
export interface OrderSpec {
  property: string;
  direction: SortDirection;
}

type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Largest value of a PostgreSQL `integer` (ids are `serial`). */
const MAX_INT4 = 2147483647;

/** Whether a value can be sent to PostgreSQL as a cursor's sort value (no NUL in text). */
function cursorScalar(v: unknown): v is CursorValue {
  return (typeof v === 'string' && !v.includes('\u0000')) || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * The `[value, id]` of a cursor this API wrote, or INVALID naming `field`: anything else (other
 * JSON, an id outside PostgreSQL's integer, text with NUL characters) is refused here, before
 * SQL.
 */
export function decodeCursor(cursor: string, field = 'after'): [CursorValue, number] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[1]) && Math.abs(v[1]) <= MAX_INT4 && cursorScalar(v[0])) return v as [CursorValue, number];
  } catch {
    /* fall through */
  }
  throw LedgerError.of(field, UserErrorCode.INVALID, 'Not a cursor of this connection.');
}

/** An instant as cursorOf writes it (Date.toISOString()), of the years 0001-9999. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw LedgerError.of(field, UserErrorCode.OUT_OF_RANGE, `Must be between 0 and ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

function cursorValue(v: unknown): CursorValue {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

export function cursorOf(row: Record<string, unknown>, order: OrderSpec): string {
  return encodeCursor([cursorValue(row[order.property]), row.id as number]);
}

/**
 * Whether a cursor's value can be compared with the order's property of `entity` (a cursor of
 * another sort, e.g. a name where an instant is expected, is refused instead of failing in SQL).
 */
export function cursorValueFits(em: EntityManager, entity: ClassType<object>, property: string): (value: unknown) => boolean {
  const prop = em.getMetadata().get(entity.name).properties[property as never] as { runtimeType?: string; columnTypes?: string[] } | undefined;
  const column = prop?.columnTypes?.[0] ?? '';
  if (/^date$/i.test(column)) return (v) => typeof v === 'string' && isIsoDate(v);
  if (prop?.runtimeType === 'Date') {
    return (v) => {
      if (typeof v !== 'string' || !ISO_INSTANT.test(v) || v.startsWith('0000')) return false;
      const d = new Date(v);
      return !Number.isNaN(d.getTime()) && d.toISOString() === v;
    };
  }
  if (prop?.runtimeType === 'number') {
    if (/^(int|integer|int4|serial)$/i.test(column)) return (v) => Number.isInteger(v) && Math.abs(v as number) <= MAX_INT4;
    if (/^(smallint|int2)$/i.test(column)) return (v) => Number.isInteger(v) && Math.abs(v as number) <= 32767;
    return (v) => typeof v === 'number' && Number.isFinite(v);
  }
  if (prop?.runtimeType === 'string') return (v) => typeof v === 'string';
  return () => true;
}

/** The keyset condition "after this cursor" for an order; `fits` checks the cursor's value (cursorValueFits). */
export function keysetAfter<T>(after: string | null | undefined, order: OrderSpec, fits: (value: unknown) => boolean = () => true): FilterQuery<T> | undefined {
  if (!after) return undefined;
  const [value, id] = decodeCursor(after);
  if (order.property !== 'id' && !fits(value)) throw LedgerError.of('after', UserErrorCode.INVALID, 'Not a cursor of this connection.');
  const op = order.direction === SortDirection.ASC ? '$gt' : '$lt';
  if (order.property === 'id') return { id: { [op]: id } } as FilterQuery<T>;
  return { $or: [{ [order.property]: { [op]: value } }, { [order.property]: value, id: { [op]: id } }] } as FilterQuery<T>;
}

export function orderByOf(order: OrderSpec): Record<string, 'asc' | 'desc'> {
  const dir = order.direction === SortDirection.ASC ? 'asc' : 'desc';
  return order.property === 'id' ? { id: dir } : { [order.property]: dir, id: dir };
}

/** Assembles a connection from rows fetched with limit first + 1. */
export function toConnection<T extends object>(
  rows: T[],
  first: number,
  order: OrderSpec,
  hasPrevious: boolean,
  count: () => Promise<number>,
): Connection<T> {
  const nodes = rows.slice(0, first);
  let edges: { cursor: string; node: T }[] | undefined;
  let total: Promise<number> | undefined;
  const last = nodes.at(-1);
  return {
    nodes,
    // Cursors are encoded only when the client asks for edges.
    get edges() {
      return (edges ??= nodes.map((node) => ({ cursor: cursorOf(node as Record<string, unknown>, order), node })));
    },
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: nodes.length ? cursorOf(nodes[0] as Record<string, unknown>, order) : null,
      endCursor: last ? cursorOf(last as Record<string, unknown>, order) : null,
    },
    // Counted only when the client asks for it.
    get totalCount() {
      return (total ??= count());
    },
  };
}

/** One page of a root collection, by keyset: stable under inserts, no OFFSET scans. */
export async function paginate<T extends { id: number }>(
  em: EntityManager,
  entity: ClassType<T>,
  where: FilterQuery<T>,
  order: OrderSpec,
  page: PageArgs,
): Promise<Connection<T>> {
  const first = pageSize(page.first);
  const keyset = keysetAfter<T>(page.after, order, cursorValueFits(em, entity, order.property));
  const rows = first === 0
    ? []
    : await leanFind(em, entity, (keyset ? { $and: [where, keyset] } : where) as FilterQuery<T>, orderByOf(order), first + 1);
  return toConnection(rows, first, order, Boolean(page.after), () => em.count(entity, where));
}

// ------------------------------------------------------------------------------- lean reads
//
// Reads for GraphQL answers do not need managed entities: the rows are mapped straight to objects
// of the entity's shape (same property names and JavaScript types as em.find gives, the class's own
// getters kept), without the identity map, change-set snapshots or reference wrappers. What they
// return is for reading only; writes load their entities through the EntityManager as before.

interface LeanProp {
  name: string;
  column: string;
  convert: ((value: unknown) => unknown) | null;
}

/** How rows of one entity become objects. */
export interface LeanShape {
  table: string;
  /** `"alias"."column"` list of every mapped column. */
  columns(alias: string): string;
  /** Column of a property. */
  column(property: string): string;
  map(row: Record<string, unknown>): Record<string, unknown>;
}

const shapes = new WeakMap<object, LeanShape>();

/** PostgreSQL's UTC timestamptz text ("2023-12-07 01:52:55.106+00") as a Date, by the ISO fast path. */
function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = v as string;
  if (s.length >= 20 && s[10] === ' ' && s.endsWith('+00')) return new Date(`${s.slice(0, 10)}T${s.slice(11, -3)}Z`);
  return new Date(s);
}

/** The lean shape of `entity` (built once per entity and metadata). */
export function leanShape(em: EntityManager, entity: ClassType<object>): LeanShape {
  const meta = em.getMetadata().get(entity.name);
  let shape = shapes.get(meta);
  if (shape) return shape;
  const platform = em.getPlatform();
  const props: LeanProp[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || !prop.fieldNames || prop.fieldNames.length !== 1) continue;
    if (prop.kind !== 'scalar' && !(prop.kind === 'm:1' && prop.mapToPk)) continue;
    const custom = prop.customType;
    let convert: LeanProp['convert'] = null;
    if (custom && custom.convertToJSValue !== Object.getPrototypeOf(Object.getPrototypeOf(custom)).convertToJSValue) {
      convert = (v) => custom.convertToJSValue(v, platform);
    } else if (prop.runtimeType === 'boolean') {
      convert = (v) => !!v;
    } else if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) {
      convert = toDate;
    }
    if (custom && !convert && prop.runtimeType === 'Date') convert = toDate;
    props.push({ name: prop.name, column: prop.fieldNames[0], convert });
  }
  // Objects are instances of the entity class (type-graphql passes instances of a field's type to
  // its resolvers as they are, and converts anything else), without running its constructor. The
  // property accessors MikroORM installs on the class for managed entities are shadowed by plain
  // data properties, so that assigning a mapped value does not go through them.
  const proto: Record<string, unknown> = Object.create(entity.prototype);
  const shadowed = new Set(meta.props.map((p) => p.name));
  for (let p = entity.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (shadowed.has(key) && (desc.get || desc.set)) Object.defineProperty(proto, key, { value: undefined, writable: true, enumerable: false, configurable: true });
    }
  }
  const byProperty = new Map(props.map((p) => [p.name, p.column]));
  const quoted = (alias: string) => props.map((p) => `"${alias}"."${p.column}"`).join(', ');
  const columnsCache = new Map<string, string>();
  shape = {
    table: meta.tableName,
    columns(alias) {
      let c = columnsCache.get(alias);
      if (!c) columnsCache.set(alias, (c = quoted(alias)));
      return c;
    },
    column(property) {
      const c = byProperty.get(property);
      if (!c) throw new Error(`${entity.name}.${property} is not a column`);
      return c;
    },
    map(row) {
      const o = Object.create(proto) as Record<string, unknown>;
      for (const p of props) {
        const v = row[p.column];
        o[p.name] = v === null || v === undefined ? (v ?? null) : p.convert ? p.convert(v) : v;
      }
      return o;
    },
  };
  shapes.set(meta, shape);
  return shape;
}

/** The knex of the request (its transaction when the request has one). */
export function requestKnex(em: EntityManager): Knex {
  return (em.getTransactionContext() as Knex.Transaction | undefined) ?? em.getKnex();
}

/** Rows of `entity` matching `where` (any MikroORM filter), in `orderBy`, as lean objects. */
export async function leanFind<T extends object>(
  em: EntityManager,
  entity: ClassType<T>,
  where: FilterQuery<T>,
  orderBy: Record<string, 'asc' | 'desc'>,
  limit?: number,
): Promise<T[]> {
  const shape = leanShape(em, entity);
  const qb = em.createQueryBuilder(entity, 'e0').select('*').where(where as never).orderBy(orderBy as never);
  if (limit !== undefined) qb.limit(limit);
  const query = qb.getKnexQuery();
  query.clearSelect().select(requestKnex(em).raw(shape.columns('e0')));
  const rows: Record<string, unknown>[] = await query;
  return rows.map((r) => shape.map(r) as T);
}
