import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { ClassType } from 'type-graphql';
import { cursorValueFits, keysetAfter, leanFind, leanShape, orderByOf, pageSize, requestKnex, toConnection, SortDirection, type Connection, type OrderSpec, type PageArgs } from './pagination.js';

/**
 * Small tables that every request may touch from many places (regions, provinces, cities,
 * campaigns): the first load of one reads the whole table once for the request, so that later
 * waves of the same request (a city reached through budgets and again through disbursements) cost
 * no statement, and the statement count of a request does not depend on when its loads arrive.
 */
const REFERENCE_DATA = new WeakSet<object>();

/** Marks entities as reference data (see REFERENCE_DATA). Modules call it for their small tables. */
export function markReferenceData(...entities: ClassType<object>[]): void {
  for (const e of entities) REFERENCE_DATA.add(e);
}

/**
 * DataLoaders of one request. Every relation the API resolves goes through one of these, so that
 * the number of SQL statements of a request does not grow with the page size. A new instance is
 * created per request: nothing is cached across requests or processes.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  private readonly tables = new Map<object, Promise<object[]>>();

  constructor(private readonly em: EntityManager) {}

  /** A request-scoped loader, created on first use under `key`. */
  custom<K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      // Dispatched after the current turn's I/O callbacks (setImmediate, not nextTick), so that
      // loads from sibling results that arrive together join one batch.
      loader = new DataLoader<K, V>((keys) => batch(keys), { maxBatchSize: 5000, batchScheduleFn: (run) => setImmediate(run) });
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** Loads records of `entity` by primary key; unknown keys give null. Lean objects (see pagination.ts). */
  byId<T extends { id: number }>(entity: ClassType<T>): DataLoader<number, T | null> {
    return this.custom<number, T | null>(`byId:${entity.name}`, async (ids) => {
      const rows = REFERENCE_DATA.has(entity) ? await this.wholeTable(entity) : await this.whereIn(entity, 'id', ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
  }

  /** Loads records of `entity` by a unique property other than the id (e.g. slug). */
  byUnique<T extends object, K extends string | number>(entity: ClassType<T>, property: keyof T & string): DataLoader<K, T | null> {
    return this.custom<K, T | null>(`byUnique:${entity.name}.${property}`, async (keys) => {
      const rows = REFERENCE_DATA.has(entity) ? await this.wholeTable(entity) : await this.whereIn(entity, property, keys);
      const map = new Map(rows.map((r) => [(r as Record<string, unknown>)[property] as K, r]));
      return keys.map((k) => map.get(k) ?? null);
    });
  }

  /** Loads every record of `entity` whose `fk` is the key (one-to-many), in `order`. */
  manyBy<T extends { id: number }>(entity: ClassType<T>, fk: keyof T & string, order: OrderSpec = { property: 'id', direction: SortDirection.ASC }): DataLoader<number, T[]> {
    return this.custom<number, T[]>(`manyBy:${entity.name}.${fk}:${order.property}:${order.direction}`, async (keys) => {
      const rows = await this.whereIn(entity, fk, keys, order);
      const groups = new Map<number, T[]>();
      for (const r of rows) {
        const k = (r as Record<string, unknown>)[fk] as number;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(r);
      }
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  /** Every row of a reference-data table, read once per request. */
  private wholeTable<T extends object>(entity: ClassType<T>): Promise<T[]> {
    let rows = this.tables.get(entity) as Promise<T[]> | undefined;
    if (!rows) {
      const shape = leanShape(this.em, entity);
      rows = requestKnex(this.em)
        .raw(`select ${shape.columns('t')} from "${shape.table}" as "t"`)
        .then((res: { rows: Record<string, unknown>[] }) => res.rows.map((r) => shape.map(r) as T));
      this.tables.set(entity, rows);
    }
    return rows;
  }

  /** One statement: the rows whose `property` is one of `keys` (sent as one array parameter). */
  private async whereIn<T extends object>(entity: ClassType<T>, property: string, keys: readonly unknown[], order?: OrderSpec): Promise<T[]> {
    const shape = leanShape(this.em, entity);
    const col = shape.column(property);
    const type = typeof keys[0] === 'number' ? 'int[]' : 'text[]';
    let sql = `select ${shape.columns('t')} from "${shape.table}" as "t" where "t"."${col}" = any(?::${type})`;
    if (order) {
      const dir = order.direction === SortDirection.ASC ? 'asc' : 'desc';
      const sort = shape.column(order.property);
      sql += sort === 'id' ? ` order by "t"."id" ${dir}` : ` order by "t"."${sort}" ${dir}, "t"."id" ${dir}`;
    }
    const res = await requestKnex(this.em).raw(sql, [[...keys] as never]);
    return (res.rows as Record<string, unknown>[]).map((r) => shape.map(r) as T);
  }

  /**
   * A page of the children of one parent (e.g. a city's enterprises), batched over every parent
   * of the request into one windowed query (row_number() over (partition by fk)), and their
   * counts into one grouped query when totalCount is asked for.
   */
  childConnection<T extends { id: number }>(
    entity: ClassType<T>,
    fk: keyof T & string,
    parentId: number,
    where: FilterQuery<T>,
    order: OrderSpec,
    page: PageArgs,
  ): Promise<Connection<T>> {
    const first = pageSize(page.first);
    const keyset = keysetAfter<T>(page.after, order, cursorValueFits(this.em, entity, order.property));
    const filter = (keyset ? { $and: [where, keyset] } : where) as FilterQuery<T>;
    const sig = JSON.stringify([filter, order, first]);
    const pages = this.custom<number, T[]>(`children:${entity.name}.${fk}:${sig}`, (parents) =>
      this.windowed(entity, fk, [...parents], filter, order, first + 1),
    );
    const counts = this.custom<number, number>(`childCount:${entity.name}.${fk}:${JSON.stringify(where)}`, (parents) =>
      this.countBy(entity, fk, [...parents], where),
    );
    return (first === 0 ? Promise.resolve([] as T[]) : pages.load(parentId)).then((rows) =>
      toConnection(rows, first, order, Boolean(page.after), () => counts.load(parentId)),
    );
  }

  /**
   * The first `limit` children of each parent in one statement: the parents' ids as one array, each
   * joined LATERAL to its own index-ordered, limited page (an index scan per parent, not a sort of
   * every child of every parent).
   */
  private async windowed<T extends { id: number }>(
    entity: ClassType<T>,
    fk: string,
    parents: number[],
    filter: FilterQuery<T>,
    order: OrderSpec,
    limit: number,
  ): Promise<T[][]> {
    const shape = leanShape(this.em, entity);
    const fkCol = shape.column(fk);
    const sortCol = shape.column(order.property);
    const dir = order.direction === SortDirection.ASC ? 'asc' : 'desc';
    const knex = requestKnex(this.em);
    const inner = this.em.createQueryBuilder(entity, 't').select('*').where(filter as never).getKnexQuery();
    inner.clearSelect().select(knex.raw(shape.columns('t')));
    inner.whereRaw(`"t"."${fkCol}" = "k"."parent"`);
    if (sortCol === 'id') inner.orderByRaw(`"t"."id" ${dir}`);
    else inner.orderByRaw(`"t"."${sortCol}" ${dir}, "t"."id" ${dir}`);
    inner.limit(limit);
    const rows: Record<string, unknown>[] = (
      await knex.raw(`select "s".* from unnest(?::int[]) as "k"("parent") cross join lateral (?) as "s"`, [parents, inner])
    ).rows;
    const groups = new Map<number, T[]>();
    for (const row of rows) {
      const k = row[fkCol] as number;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(shape.map(row) as T);
    }
    // A nested loop over the parents: each parent's rows arrive in its page's order.
    return parents.map((p) => groups.get(p) ?? []);
  }

  private async countBy<T extends object>(entity: ClassType<T>, fk: string, parents: number[], where: FilterQuery<T>): Promise<number[]> {
    // Column names, not property names: the query builder does not map aliased or raw selects.
    const props = this.em.getMetadata().get(entity.name).properties as Record<string, { fieldNames: string[] }>;
    const fkCol = props[fk].fieldNames[0];
    const query = this.em
      .createQueryBuilder(entity, 't')
      .where({ $and: [where, { [fk]: { $in: parents } }] } as never)
      .getKnexQuery();
    query.clearSelect().select(this.em.getKnex().raw(`"t"."${fkCol}" as "k", count(*) as "n"`)).groupBy(`t.${fkCol}`);
    const rows: { k: number; n: string }[] = await query;
    const map = new Map(rows.map((r) => [Number(r.k), Number(r.n)]));
    return parents.map((p) => map.get(p) ?? 0);
  }
}
