/**
 * The resolver-path interpreter of a declared collection (common/compiled/model.ts): the page a
 * resolver returns for a root or child connection, computed from the SAME declaration the
 * compiler (compiler.ts) turns into one statement. The declaration's SQL conditions, sort and
 * checks run here as they are written; there is no second, MikroORM version of a filter.
 *
 * Differences with the compiled lane are only in what happens when something is wrong:
 * - a declared check (`q.check(expression, error)`) that holds raises its error here (the
 *   compiled lane sends the request to the resolvers, which then come here);
 * - a rule that throws a LedgerError (an id that is not one, dates in the wrong order) raises it
 *   here (the compiled lane catches it and sends the request to the resolvers);
 * - `first` and `after` are checked as pagination.ts does (OUT_OF_RANGE, INVALID), after the
 *   declared checks, as the resolvers always did;
 * - CANNOT from a declared rule means the declaration does not know an argument: a programming
 *   error here (an internal error, never a silent fallback).
 */
import type { ClassType } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden, scopeCityIds } from '../auth.js';
import { viewerParams, type ViewerSql } from '../privacy.js';
import {
  cursorValueFits,
  decodeCursor,
  leanShape,
  pageSize,
  requestKnex,
  toConnection,
  type Connection,
  type OrderSpec,
} from '../pagination.js';
import { LedgerError, UserErrorCode } from '../errors.js';
import type { RequestContext } from '../../context.js';
import { isCityScoped } from './compiler.js';
import { CANNOT, keysetSql, orderSql, type AccessRule, type CallerSql, type ConnectionModel, type OrderChoice, type ReadModels, type SqlScope, type TypeModel } from './model.js';

/** Parameters and checks of one declared read, with each check's error. */
class DeclaredScope implements SqlScope {
  readonly values: unknown[] = [];
  readonly checks: { expression: string; error: () => LedgerError }[] = [];
  /** Whether a filter rule stated the caller's cities on alias `t` (foldScope). */
  folded = false;
  /** @param t the row alias of a city-scoped table, `cities` the caller's (null: not scoped). */
  constructor(
    private readonly t: string,
    private readonly cities: number[] | null,
  ) {}
  foldScope(t: string, column: string): string | null {
    if (!this.cities || t !== this.t || column !== 'city_id') return null;
    this.folded = true;
    return this.param(this.cities, 'integer[]');
  }
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
  check(expression: string, error: () => LedgerError): void {
    this.checks.push({ expression, error });
  }
  /** The caller's cities as a sargable predicate on alias `t`, unless a filter rule stated them (foldScope) or the caller is not scoped. */
  scopeConditions(): string[] {
    return this.cities && !this.folded ? [`${this.t}.city_id = any(${this.param(this.cities, 'integer[]')})`] : [];
  }
}

/** The caller's cities for rows of `table` (null: a national caller, or a table of no city). */
function citiesFor(ctx: RequestContext, table: string): number[] | null {
  return isCityScoped(table) ? scopeCityIds(ctx) : null;
}

/** SQL written with `$n` placeholders as knex raw SQL with `?` bindings. */
function bound(sql: string, values: unknown[]): [string, unknown[]] {
  const bindings: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    bindings.push(values[Number(n) - 1]);
    return '?';
  });
  return [text, bindings];
}

/** SQL with `$n` placeholders renumbered to the values it uses (for drivers that bind `$n` themselves). */
export function nativeSql(sql: string, values: unknown[]): { sql: string; values: unknown[] } {
  const used = new Map<number, number>();
  const out: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    let k = used.get(Number(n));
    if (k === undefined) {
      out.push(values[Number(n) - 1]);
      used.set(Number(n), (k = out.length));
    }
    return `$${k}`;
  });
  return { sql: text, values: out };
}

/** The ORDER BY of a declared sort on alias `t` (the id breaks ties). */
export function declaredOrderSql(order: OrderChoice, t: string): string {
  return orderSql(order, t);
}

async function rows(em: EntityManager, sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const [text, bindings] = bound(sql, values);
  return (await requestKnex(em).raw(text, bindings as never[])).rows as Record<string, unknown>[];
}

/** The rows of a statement built on a DeclaredQuery (its `$n` placeholders bound to its values), in the request's transaction. */
export function declaredRows(em: EntityManager, sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  return rows(em, sql, values);
}

/**
 * Raises the error of the first declared check that holds: one statement for all of them, once
 * per request for the same checks (the pages of many parents with the same filter share it).
 */
async function runChecks(ctx: RequestContext, q: DeclaredScope): Promise<void> {
  if (!q.checks.length) return;
  const native = nativeSql(`select ${q.checks.map((c, i) => `(${c.expression}) as c${i}`).join(', ')}`, q.values);
  const held = await ctx.loaders
    .custom<string, boolean[]>('declaredChecks', (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const { sql, values } = JSON.parse(key) as { sql: string; values: unknown[] };
          const [row] = await rows(ctx.em, sql, values);
          return Object.keys(row).map((_k, i) => row[`c${i}`] === true);
        }),
      ),
    )
    .load(JSON.stringify(native));
  q.checks.forEach((c, i) => {
    if (held[i]) throw c.error();
  });
}

/** The entity property of an order's column (cursors are written from the lean object's property). */
function orderSpecOf(em: EntityManager, entity: ClassType<object>, order: OrderChoice): OrderSpec {
  if (order.isId) return { property: 'id', direction: order.direction };
  const prop = em.getMetadata().get(entity.name).props.find((p) => p.fieldNames?.length === 1 && p.fieldNames[0] === order.column);
  if (!prop) throw new Error(`${entity.name}: no property for the declared sort column ${order.column}`);
  return { property: prop.name, direction: order.direction };
}

const KEYSET_CAST: Record<OrderChoice['kind'], string> = { text: 'text', number: 'integer', decimal: 'numeric', timestamp: 'timestamptz', date: 'date' };

/** The keyset condition "after this cursor" (pagination.ts keysetAfter), INVALID for a cursor of another connection. */
function keyset(em: EntityManager, entity: ClassType<object>, after: string, order: OrderChoice, spec: OrderSpec, q: SqlScope, t: string): string {
  const [value, id] = decodeCursor(after);
  if (!order.isId && !cursorValueFits(em, entity, spec.property)(value)) throw LedgerError.of('after', UserErrorCode.INVALID, 'Not a cursor of this connection.');
  return keysetSql(order, value, id, KEYSET_CAST[order.kind], q, t);
}

/** A declared read's type model and connection (root or child). */
interface Declared {
  type: TypeModel;
  model: ConnectionModel;
  name: string;
}

function typeOf(reads: ReadModels[], node: string): TypeModel {
  const type = reads.flatMap((r) => r.types).find((x) => x.type === node);
  if (!type) throw new Error(`No read model for ${node}`);
  return type;
}

function rootOf(reads: ReadModels[], root: string): Declared {
  const model = reads.map((r) => r.roots[root]).find(Boolean);
  if (!model || model.kind !== 'connection') throw new Error(`No declared connection root ${root}`);
  return { type: typeOf(reads, model.node), model, name: root };
}

function childOf(reads: ReadModels[], parentType: string, field: string): Declared {
  for (const r of reads) {
    for (const owner of [...r.types, ...(r.extensions ?? [])]) {
      const model = owner.type === parentType ? owner.connections?.[field] : undefined;
      if (model) return { type: typeOf(reads, model.node), model, name: `${parentType}.${field}` };
    }
  }
  throw new Error(`No declared connection ${parentType}.${field}`);
}

/**
 * A declared access rule (model.ts AccessRule) for the request's caller: FORBIDDEN for a role that
 * may not read it, else the condition of the rows it may read on alias `t` (the caller bound as
 * parameters).
 */
function accessConditions(ctx: RequestContext, rule: AccessRule | undefined, q: SqlScope, t: string): string[] {
  if (!rule) return [];
  const role = ctx.actor.role;
  if (rule.roles && !rule.roles.includes(role)) throw forbidden(rule.refusal?.(role) ?? `A ${role} key cannot read this.`);
  if (!rule.rows) return [];
  const bound: { role?: string; keyId?: string } = {};
  const caller: CallerSql = {
    get role() {
      return (bound.role ??= q.param(role, 'text'));
    },
    get keyId() {
      return (bound.keyId ??= q.param(ctx.actor.keyId ?? null, 'integer'));
    },
  };
  return [rule.rows(caller, t)];
}

/** The declared conditions, sort and scope of one request of a collection, checks run. */
export interface DeclaredQuery {
  entity: ClassType<object>;
  table: string;
  /** Conditions on alias `t` (filter and scope), `$n` placeholders into `values`. */
  conditions: string[];
  order: OrderChoice;
  spec: OrderSpec;
  values: unknown[];
  scope: SqlScope;
  /** The caller as bound parameters (common/privacy.ts), for fields masked by role and city; bound once, when first asked. */
  viewer(): ViewerSql;
}

/**
 * The declared meaning of a request's arguments on alias `t`: the filter's conditions, the
 * caller's cities (a sargable predicate on city-scoped tables), the sort; the declared checks run
 * and raise their errors. Exports and reports' row sources build their statements from this.
 */
export async function declaredQuery(ctx: RequestContext, declared: Declared, args: Record<string, unknown>, t = 't'): Promise<DeclaredQuery> {
  const em = ctx.em;
  const table = em.getMetadata().get(declared.type.entity.name).tableName;
  const q = new DeclaredScope(t, citiesFor(ctx, table));
  const conditions = declared.model.where ? declared.model.where(args, q, t) : [];
  if (conditions === CANNOT) throw new Error(`${declared.name}: an argument has no declared rule (${JSON.stringify(args)})`);
  conditions.push(...accessConditions(ctx, declared.model.access, q, t));
  const order = declared.model.order(args);
  if (order === CANNOT) throw new Error(`${declared.name}: the sort has no declared rule (${JSON.stringify(args.orderBy)})`);
  await runChecks(ctx, q);
  conditions.push(...q.scopeConditions());
  let viewer: ViewerSql | undefined;
  return {
    entity: declared.type.entity,
    table,
    conditions,
    order,
    spec: orderSpecOf(em, declared.type.entity, order),
    values: q.values,
    scope: q,
    viewer: () => (viewer ??= viewerParams(ctx.actor, (value, cast) => q.param(value, cast))),
  };
}

/** The query of a declared root connection (e.g. `enterprises`), for exports and reports. */
export function declaredRootQuery(ctx: RequestContext, reads: ReadModels[], root: string, args: Record<string, unknown>, t = 't'): Promise<DeclaredQuery> {
  return declaredQuery(ctx, rootOf(reads, root), args, t);
}

/**
 * The record of a declared root of one record (e.g. `apiKey(id)`) as the caller may see it, or
 * null (none, or one its access rule or scope keeps from the caller): the same conditions the
 * compiled lane writes.
 */
export async function declaredRecord<T extends object>(ctx: RequestContext, reads: ReadModels[], root: string, args: Record<string, unknown>): Promise<T | null> {
  const model = reads.map((r) => r.roots[root]).find(Boolean);
  if (!model || model.kind !== 'one') throw new Error(`No declared root of one record ${root}`);
  const type = typeOf(reads, model.node);
  const em = ctx.em;
  const table = em.getMetadata().get(type.entity.name).tableName;
  const q = new DeclaredScope('t', citiesFor(ctx, table));
  const conditions = model.where(args, q, 't');
  if (conditions === CANNOT) return null;
  conditions.push(...accessConditions(ctx, model.access, q, 't'));
  await runChecks(ctx, q);
  conditions.push(...q.scopeConditions());
  const shape = leanShape(em, type.entity);
  const [row] = await rows(em, `select ${shape.columns('t')} from ${table} "t"${where(conditions)} limit 1`, q.values);
  return row ? (shape.map(row) as T) : null;
}

const where = (conditions: string[]) => (conditions.length ? ` where ${conditions.join(' and ')}` : '');

/**
 * One page of a declared root connection, as `paginate` (pagination.ts) returns it: keyset after
 * the cursor, first + 1 rows for hasNextPage, totalCount over the filter, cursors of pagination.ts.
 */
export async function declaredPage<T extends object>(ctx: RequestContext, reads: ReadModels[], root: string, args: Record<string, unknown>): Promise<Connection<T>> {
  const em = ctx.em;
  const d = await declaredRootQuery(ctx, reads, root, args);
  const first = pageSize(args.first as number | null | undefined);
  const page = [...d.conditions];
  const after = args.after as string | null | undefined;
  if (after) page.push(keyset(em, d.entity, after, d.order, d.spec, d.scope, 't'));
  const shape = leanShape(em, d.entity);
  const found =
    first === 0
      ? []
      : await rows(em, `select ${shape.columns('t')} from ${d.table} "t"${where(page)} order by ${orderSql(d.order, 't')} limit ${first + 1}`, d.values);
  const count = async () => Number((await rows(em, `select count(*) as n from ${d.table} "t"${where(d.conditions)}`, d.values))[0].n);
  return toConnection(found.map((r) => shape.map(r) as T), first, d.spec, Boolean(after), count);
}

/**
 * One page of a declared child connection (e.g. Enterprise.gradeChanges) of one parent, batched
 * over every parent of the request asking the same page (as loaders.ts childConnection): one
 * statement for the pages (each parent LATERAL to its own limited, index-ordered page), one for
 * the counts.
 */
export async function declaredChildPage<T extends object>(
  ctx: RequestContext,
  reads: ReadModels[],
  parentType: string,
  field: string,
  parentId: number,
  args: Record<string, unknown>,
): Promise<Connection<T>> {
  const em = ctx.em;
  const declared = childOf(reads, parentType, field);
  const fk = declared.model.parentColumn;
  if (!fk) throw new Error(`${declared.name}: no parentColumn declared`);
  const d = await declaredQuery(ctx, declared, args);
  const first = pageSize(args.first as number | null | undefined);
  const page = [...d.conditions];
  const after = args.after as string | null | undefined;
  if (after) page.push(keyset(em, d.entity, after, d.order, d.spec, d.scope, 't'));
  const shape = leanShape(em, d.entity);
  const values = d.values;
  const parents = `$${values.length + 1}::integer[]`;
  const pageSql = `select "s".* from unnest(${parents}) as "k"("parent") cross join lateral (select ${shape.columns('t')} from ${d.table} "t" where ${[`t.${fk} = k.parent`, ...page].join(' and ')} order by ${orderSql(d.order, 't')} limit ${first + 1}) as "s"`;
  const countSql = `select t.${fk} as k, count(*) as n from ${d.table} "t" where ${[`t.${fk} = any(${parents})`, ...d.conditions].join(' and ')} group by t.${fk}`;
  const signature = JSON.stringify([values, d.conditions]);
  const fkProperty = em.getMetadata().get(d.entity.name).props.find((p) => p.fieldNames?.length === 1 && p.fieldNames[0] === fk)!.name;
  const pages = ctx.loaders.custom<number, T[]>(`declared:${declared.name}:${pageSql}:${signature}`, async (ids) => {
    const found = await rows(em, pageSql, [...values, [...ids]]);
    const groups = new Map<number, T[]>();
    for (const row of found) {
      const o = shape.map(row) as T & Record<string, unknown>;
      const k = o[fkProperty] as number;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(o);
    }
    return ids.map((id) => groups.get(id) ?? []);
  });
  const counts = ctx.loaders.custom<number, number>(`declaredCount:${declared.name}:${countSql}:${signature}`, async (ids) => {
    const found = await rows(em, countSql, [...values, [...ids]]);
    const map = new Map(found.map((r) => [Number(r.k), Number(r.n)]));
    return ids.map((id) => map.get(id) ?? 0);
  });
  const list = first === 0 ? [] : await pages.load(parentId);
  return toConnection(list, first, d.spec, Boolean(after), () => counts.load(parentId));
}
