/**
 * Row-level security that PostgreSQL answers from an index (migration 20261202000100): a city's
 * page, filtered by the policies alone, reads only that city's rows; a national caller's
 * statements carry no policy predicate at all. Checked on EXPLAIN (ANALYZE, FORMAT JSON) over
 * the enterprise demo dataset, counting the rows each scan of the table read (returned plus
 * removed by a filter), not times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import { enterpriseDemoSeeder } from '../../packages/api/src/modules/enterprise/enterprise.demo.js';
import { projectDemoSeeder } from '../../packages/api/src/modules/project/project.demo.js';
import { subsidyDemoSeeder } from '../../packages/api/src/modules/subsidy/subsidy.demo.js';
import { airQualityDemoSeeder } from '../../packages/api/src/modules/air-quality/air-quality.demo.js';
import { CITY_SCOPED_TABLES } from '../../packages/api/src/migrations/Migration20261129000800AccessControl.js';
import { scopeStatement } from '../../packages/api/src/common/auth.js';
import type { Actor } from '../../packages/api/src/common/actor.js';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { buildLedgerSchema } from '../../packages/api/src/schema.js';
import { READ_MODELS } from '../../packages/api/src/modules/index.js';
import { ReadCompiler } from '../../packages/api/src/common/compiled/compiler.js';
import { statementText } from '../../packages/api/src/common/compiled/handler.js';
import { CANNOT } from '../../packages/api/src/common/compiled/model.js';

let app: TestApp;
let tangshan: number;
let hebei: number[];
beforeAll(async () => {
  app = await startTestApp();
  for (const seeder of [enterpriseDemoSeeder, projectDemoSeeder, subsidyDemoSeeder, airQualityDemoSeeder]) {
    await app.orm.em.fork().transactional((em) => seeder.run(em as EntityManager, demoFaker(20231001, seeder.name)));
  }
  await app.sql('analyze');
  tangshan = (await app.sql<{ id: number }>(`select id from city where slug = 'tangshan'`))[0].id;
  hebei = (await app.sql<{ id: number }>(`select c.id from city c join province p on p.id = c.province_id where p.slug = 'hebei' order by c.id`)).map((r) => r.id);
});
afterAll(() => app?.close());

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan of `sql` run by `actor` under row-level security (scopeStatement, as the API runs it). */
async function explain(actor: Actor, sql: string, params: unknown[] = [], options: { noSeqScan?: boolean; noSort?: boolean } = {}): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const scope = scopeStatement(actor, null);
    let i = 0;
    await client.query(scope.sql.replace(/\?/g, () => `$${++i}`), scope.bindings);
    // On a test-sized table a sequential scan is the cheapest plan whatever the predicate; the
    // question here is whether the policy's predicate can drive an index at all (it could not
    // with `scope = 'all' or city_id = any(...)`), which the bench then measures at scale.
    if (options.noSeqScan) await client.query('set local enable_seqscan = off');
    // Likewise sorting a city's few rows is cheapest on a test-sized table: the question is
    // whether the statement can be answered from index ranges in the page's order.
    if (options.noSort) await client.query('set local enable_sort = off');
    const { rows } = await client.query(`explain (analyze, format json) ${sql}`, params);
    return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
  } finally {
    await client.query('rollback').catch(() => {});
    await client.end();
  }
}

/** Rows that the scans of `table` read: returned, plus removed by filters and rechecks, over all loops. */
function rowsRead(plan: PlanNode, table: string): number {
  return nodes(plan)
    .filter((n) => n['Relation Name'] === table && /Scan/.test(n['Node Type']))
    .reduce((sum, n) => sum + ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * (n['Actual Loops'] ?? 1), 0);
}

const cityKey = (cityIds: number[], role: Actor['role'] = 'CITY'): Actor => ({ id: 'key:test', role, keyId: 1, cityIds });
const ministry: Actor = { id: 'key:ministry', role: 'MINISTRY', keyId: 2, cityIds: null };

const count = async (sql: string, params: unknown[]) => (await app.sql<{ n: number }>(sql, params))[0].n;

describe('row-level security and indexes', () => {
  it("reads only a city's rows for a CITY key's page of enterprises of one industry (index condition on city_id)", async () => {
    const page = `select id, name, current_grade from enterprise where industry = $1 order by name, id limit 50`;
    const plan = await explain(cityKey([tangshan]), page, ['STEEL'], { noSeqScan: true });
    const own = await count(`select count(*)::int n from enterprise where city_id = ?`, [tangshan]);
    const ownSteel = await count(`select count(*)::int n from enterprise where city_id = ? and industry = 'STEEL'`, [tangshan]);
    const country = await count(`select count(*)::int n from enterprise where industry = 'STEEL'`, []);
    // Other cities have steel works too: a scan by industry alone would read theirs.
    expect(country).toBeGreaterThan(ownSteel);
    expect(ownSteel).toBeGreaterThan(0);
    const scans = nodes(plan).filter((n) => n['Relation Name'] === 'enterprise');
    expect(scans.some((n) => /city_id = ANY/.test(`${n['Index Cond'] ?? ''} ${n['Recheck Cond'] ?? ''}`))).toBe(true);
    expect(rowsRead(plan, 'enterprise')).toBeLessThanOrEqual(own);
  });

  it("reads only the province's cities' rows for a PROVINCE key, on enterprises and on grade changes", async () => {
    const key = cityKey(hebei, 'PROVINCE');
    const own = await count(`select count(*)::int n from enterprise where city_id in (?)`, [hebei]);
    const enterprises = await explain(key, `select id from enterprise where current_grade = $1 order by name, id limit 50`, ['A'], { noSeqScan: true });
    expect(rowsRead(enterprises, 'enterprise')).toBeLessThanOrEqual(own);
    const ownChanges = await count(`select count(*)::int n from grade_change where city_id in (?)`, [hebei]);
    const changes = await explain(key, `select id, to_grade from grade_change order by decided_at desc, id desc`, [], { noSeqScan: true });
    expect(rowsRead(changes, 'grade_change')).toBeLessThanOrEqual(ownChanges);
  });

  it('gives a national caller statements without any policy predicate', async () => {
    const plan = await explain(ministry, `select id from enterprise where industry = $1 order by name, id limit 50`, ['STEEL']);
    for (const n of nodes(plan)) {
      expect(`${n.Filter ?? ''} ${n['Index Cond'] ?? ''}`).not.toMatch(/app_city_ids|current_setting|city_id/);
    }
  });

  it('still refuses, under the new policies, what the scope does not allow', async () => {
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const scope = scopeStatement(cityKey([tangshan]), 'test');
      let i = 0;
      await client.query(scope.sql.replace(/\?/g, () => `$${++i}`), scope.bindings);
      const { rows } = await client.query(`select count(distinct city_id)::int n, min(city_id) c from enterprise`);
      expect(rows[0]).toEqual({ n: 1, c: tangshan });
      const other = hebei.find((id) => id !== tangshan)!;
      await expect(client.query(`update enterprise set name = name || '!' where city_id = $1 returning id`, [other]).then((r) => r.rowCount)).resolves.toBe(0);
      await expect(
        client.query(`insert into enterprise (city_id, name, credit_code, industry, size, origin, created_by, updated_by) values ($1, 'x', '91130200MA0000000X', 'STEEL', 'SMALL', 'RECORDED', 't', 't')`, [other]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('rollback').catch(() => {});
      await client.end();
    }
  });

  /**
   * A CITY key's page of every city-scoped collection, in the list's default order (and its
   * usual filter): the scans of the table read only that city's rows, through an index
   * condition on city_id (migration 20261202110200 gives each access path an index that leads
   * with the city and serves the sort).
   */
  const CITY_PAGES: Record<(typeof CITY_SCOPED_TABLES)[number], string> = {
    enterprise: `select id, name from enterprise where industry = 'STEEL' and city_id = any($1::int[]) order by name, id limit 50`,
    grade_change: `select id, to_grade from grade_change where city_id = any($1::int[]) order by decided_at desc, id desc limit 50`,
    retrofit_project: `select id, name from retrofit_project where city_id = any($1::int[]) and status in ('PLANNED', 'IN_PROGRESS') order by created_at desc, id desc limit 100`,
    project_funding: `select id from project_funding where city_id = any($1::int[]) order by id limit 50`,
    subsidy_budget: `select id from subsidy_budget where city_id = any($1::int[]) order by id limit 50`,
    disbursement: `select id from disbursement where city_id = any($1::int[]) order by id limit 50`,
    air_quality_observation: `select id from air_quality_observation where city_id = any($1::int[]) order by observed_on desc, id desc limit 50`,
    outcome_target: `select id from outcome_target where city_id = any($1::int[]) order by id limit 50`,
  };

  it('has a CITY page for every city-scoped table', () => {
    expect(Object.keys(CITY_PAGES).sort()).toEqual([...CITY_SCOPED_TABLES].sort());
  });

  for (const [table, page] of Object.entries(CITY_PAGES)) {
    it(`reads only the city's rows of ${table} for a CITY key's page (index condition on city_id)`, async () => {
      const own = await count(`select count(*)::int n from "${table}" where city_id = ?`, [tangshan]);
      const all = await count(`select count(*)::int n from "${table}"`, []);
      // Other cities have rows too, so a plan that reads theirs would be caught.
      expect(all).toBeGreaterThan(own);
      const plan = await explain(cityKey([tangshan]), page, [[tangshan]], { noSeqScan: true });
      const scans = nodes(plan).filter((n) => n['Relation Name'] === table);
      expect(scans.length).toBeGreaterThan(0);
      expect(scans.every((n) => /city_id = ANY/.test(`${n['Index Cond'] ?? ''} ${n['Recheck Cond'] ?? ''}`))).toBe(true);
      expect(rowsRead(plan, table)).toBeLessThanOrEqual(Math.max(own, 1));
    });
  }
  /**
   * The compiled statement of a CITY key's first page of disbursements (the generated
   * differential case's SQL snapshot, as the lane sends it after the scoped set-up; household
   * names and id numbers masked in the same statement): every scan of disbursement is an index
   * range on the caller's city and reads no row of another city.
   */
  it("reads only the city's disbursements in the compiled statement of a CITY key's page (masked fields included)", async () => {
    const sql = fs.readFileSync(path.resolve('test/differential/cases/disbursements.00.nofilter.default.first.city.sql'), 'utf8');
    expect(sql).toMatch(/household_id_number/);
    // Its one parameter: the caller's city, bound as the lane binds it from the scoped set-up.
    expect(sql).toMatch(/\$1::integer\b/);
    expect(sql).not.toMatch(/\$[2-9]/);
    const own = await count(`select count(*)::int n from disbursement where city_id = ?`, [tangshan]);
    const all = await count(`select count(*)::int n from disbursement`, []);
    expect(all).toBeGreaterThan(own);
    expect(own).toBeGreaterThan(0);
    const plan = await explain(cityKey([tangshan]), sql, [tangshan], { noSeqScan: true });
    const scans = nodes(plan).filter((n) => n['Relation Name'] === 'disbursement');
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((n) => /city_id = /.test(`${n['Index Cond'] ?? ''} ${n['Recheck Cond'] ?? ''}`))).toBe(true);
    // The page (3 rows + 1) and the count (the city's rows): never more than twice the city's rows.
    expect(rowsRead(plan, 'disbursement')).toBeLessThanOrEqual(2 * own);
  });
});

/**
 * The compiled statement of a scoped caller's page, as the lane sends it after the scoped set-up
 * (handler.ts runScoped): the caller's cities bound as a parameter of an unnamed statement
 * (compiler.ts scopePredicate), so that the planner knows them. Stated as the row-level-security
 * policy's stable function instead, an array of unknown size, the planner walks the sort's index
 * over every city and filters the others' rows out.
 */
describe("the compiled statement of a scoped caller's page, planned for the caller's cities", () => {
  let compiler: ReadCompiler;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildLedgerSchema();
    compiler = new ReadCompiler(schema, READ_MODELS, (entity) => app.orm.getMetadata().get(entity.name));
  });

  /** The statement and values the lane sends for `document` and a caller of `cityIds` (the cities bound as the set-up reads them). */
  function compiled(document: string, cityIds: number[]): { sql: string; values: unknown[] } {
    const operation = getOperationAST(parse(document));
    const query = compiler.compile({ schema, selectionSet: operation!.selectionSet, fragments: {}, variables: {}, scoped: true, oneCity: cityIds.length === 1 });
    if (query === CANNOT) throw new Error('not compiled');
    const values = query.values.map((v, i) => (i === query.citiesParam ? (cityIds.length === 1 ? cityIds[0] : cityIds) : v));
    return { sql: statementText(query, false), values };
  }

  /** Rows of `table` that the scans of the compiled page of `document` read, for a caller of `cityIds`, and the caller's own rows. */
  async function pageOf(document: string, table: string, actor: Actor, options: { noSort?: boolean } = {}): Promise<{ plan: PlanNode; read: number; own: number; all: number }> {
    const { sql, values } = compiled(document, actor.cityIds!);
    const plan = await explain(actor, sql, values, options);
    const own = await count(`select count(*)::int n from "${table}" where city_id in (?)`, [actor.cityIds]);
    const all = await count(`select count(*)::int n from "${table}"`, []);
    return { plan, read: rowsRead(plan, table), own, all };
  }

  // One range over all the caller's cities is not in the page's order: the planner reads every
  // matching row of them and sorts it, or walks the sort's index through other cities' rows.
  it("reads at most first + 1 rows of each city for a PROVINCE key's page of retrofit projects newest first (each city's range of the sort's index)", async () => {
    const first = 2;
    const actor = cityKey(hebei, 'PROVINCE');
    const { plan, read, own } = await pageOf(`{ retrofitProjects(first: ${first}, filter: { province: "hebei", statuses: [PLANNED, IN_PROGRESS, COMPLETED] }) { nodes { id } } }`, 'retrofit_project', actor, { noSort: true });
    // Enough rows in the province for a plan that reads them all to be caught.
    expect(own).toBeGreaterThan(4 * hebei.length * (first + 1));
    // Each city's range is read until first + 1 of its rows have one of the statuses (a few VERIFIED ones are passed over).
    expect(read).toBeLessThanOrEqual(2 * hebei.length * (first + 1));
    // Every scan an index range on one city (no walk of the sort's index through other cities' rows).
    const scans = nodes(plan).filter((n) => n['Relation Name'] === 'retrofit_project');
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.every((n) => /city_id = /.test(n['Index Cond'] ?? ''))).toBe(true);
  });

  // With the policy's stable function instead, the planner reads this page through the sort's index over every city.
  for (const [root, table] of [['airQualityObservations', 'air_quality_observation']] as const) {
    it(`reads only its city's rows of ${table} for a CITY key's first page of ${root} and its count (index conditions on the city)`, async () => {
      const { plan, read, own, all } = await pageOf(`{ ${root}(first: 20) { totalCount nodes { id } } }`, table, cityKey([tangshan]));
      // Other cities have rows too, so a plan that reads theirs would be caught.
      expect(all).toBeGreaterThan(own);
      expect(own).toBeGreaterThan(21);
      const scans = nodes(plan).filter((n) => n['Relation Name'] === table);
      expect(scans.length).toBeGreaterThan(0);
      expect(scans.every((n) => /city_id = /.test(`${n['Index Cond'] ?? ''} ${n['Recheck Cond'] ?? ''}`))).toBe(true);
      // The page and the count: each at most the city's rows, none of another city.
      expect(read).toBeLessThanOrEqual(2 * own);
    });
  }
});
