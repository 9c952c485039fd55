import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { LedgerError, UserErrorCode } from './errors.js';

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

/** Sort of a collection: a non-null property, with the id as tie-breaker in the same direction. */
export interface OrderSpec {
  property: string;
  direction: SortDirection;
}

type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): [CursorValue, number] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[1])) return v as [CursorValue, number];
  } catch {
    /* fall through */
  }
  throw LedgerError.of(field, UserErrorCode.INVALID, 'Not a cursor of this connection.');
}

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

/** The keyset condition "after this cursor" for an order. */
export function keysetAfter<T>(after: string | null | undefined, order: OrderSpec): FilterQuery<T> | undefined {
  if (!after) return undefined;
  const [value, id] = decodeCursor(after);
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
  const edges = nodes.map((node) => ({ cursor: cursorOf(node as Record<string, unknown>, order), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
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
  const keyset = keysetAfter<T>(page.after, order);
  const rows = first === 0
    ? []
    : await em.find(entity, (keyset ? { $and: [where, keyset] } : where) as FilterQuery<T>, {
        orderBy: orderByOf(order) as never,
        limit: first + 1,
      });
  return toConnection(rows, first, order, Boolean(page.after), () => em.count(entity, where));
}
