/**
 * Monthly rail freight records (铁路货运量) and Tangshan's Shuicao railway target
 * (TANGSHAN_SHUICAO_RAIL_VOLUME: "2024年3月底前，大宗物料运输量达到0.2亿吨"): each rule of
 * recordFreightMonth refused once and passing once; the list's filters and sorts; the target's
 * progress equal to plain SQL over a fixture (both lanes, the export and the scorecard), met at
 * the plan's own 20,000,000 t and not a tonne below; spur-line projects no longer count; and the
 * demo months of the Shuicao railway reach the plan's figure.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { PLAN_2023_2024 } from '../../packages/api/src/seeders/plan/plan-2023-2024.js';
import { freightDemoSeeder } from '../../packages/api/src/modules/freight/freight.demo.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import type { EntityManager } from '@mikro-orm/postgresql';

let app: TestApp;
let reference: LedgerServer;
let referenceUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  // The same database answered by the resolvers alone (compiled reads off).
  reference = await createServer(app.orm, { introspection: true, compiledReads: false } as Parameters<typeof createServer>[1]);
  await new Promise<void>((resolve) => reference.httpServer.listen(0, '127.0.0.1', resolve));
  referenceUrl = `http://127.0.0.1:${(reference.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await reference?.stop();
  await app?.close();
});

const CAMPAIGN = '2023-2024-autumn-winter';
const SHUICAO = '水曹铁路';
const CODE = 'TANGSHAN_SHUICAO_RAIL_VOLUME';
const RECORD = 'id railway month tonnes source origin version createdBy updatedBy city { slug }';
const MUTATION = `mutation($input: RecordFreightMonthInput!) { recordFreightMonth(input: $input) { freightRecord { ${RECORD} } userErrors { field code message } } }`;
const codes = (r: { userErrors: { field: string[]; code: string }[] }) => r.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
const rows = async () => (await app.sql<{ n: number }>(`select count(*)::int as n from freight_record`))[0].n;

async function record(input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app, headers?: Record<string, string>) {
  return (await client.data(MUTATION, { input: { city: 'tangshan', railway: SHUICAO, source: '唐山市交通运输局铁路货运统计月报', ...input } }, headers)).recordFreightMonth;
}

async function progressOf(url?: string) {
  const query = `query($c: String) { taskTarget(code: "${CODE}", campaign: $c) { quantity unit deadline progress { achieved percent met countedProjects } } }`;
  if (!url) return (await app.data(query, { c: CAMPAIGN })).taskTarget;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ministryToken}` }, body: JSON.stringify({ query, variables: { c: CAMPAIGN } }) });
  const body = (await res.json()) as any;
  expect(body.errors).toBeUndefined();
  return body.data.taskTarget;
}

/** The target's figure in plain SQL: Tangshan's 水曹铁路 tonnes of the campaign's months up to the deadline's. */
async function plainSqlTonnes(): Promise<number> {
  const [row] = await app.sql<{ t: number }>(
    `select coalesce(sum(f.tonnes), 0)::float8 as t from freight_record f join city c on c.id = f.city_id
      where c.slug = 'tangshan' and f.railway = '水曹铁路' and f.month between '2023-10' and '2024-03'`,
  );
  return row.t;
}

describe('recordFreightMonth', () => {
  it('refuses negative tonnes, a month outside the campaigns or not begun, an unknown city, and writes nothing', async () => {
    expect(codes(await record({ month: '2023-11', tonnes: -1 }))).toEqual(['input.tonnes:OUT_OF_RANGE']);
    expect(codes(await record({ month: '2023-11', tonnes: 100_000_001 }))).toEqual(['input.tonnes:OUT_OF_RANGE']);
    expect(codes(await record({ month: '2023-11', tonnes: 1.005 }))).toEqual(['input.tonnes:INVALID']);
    expect(codes(await record({ month: '2023-13', tonnes: 1 }))).toEqual(['input.month:INVALID']);
    expect(codes(await record({ month: '2023-9', tonnes: 1 }))).toEqual(['input.month:INVALID']);
    // Months of no campaign of the ledger (the 2023-2024 campaign runs 2023-10 to 2024-03).
    expect(codes(await record({ month: '2023-09', tonnes: 1 }))).toEqual(['input.month:OUT_OF_RANGE']);
    expect(codes(await record({ month: '2024-04', tonnes: 1 }))).toEqual(['input.month:OUT_OF_RANGE']);
    // A month that has not begun in China.
    expect(codes(await record({ month: '2999-01', tonnes: 1 }))).toEqual(['input.month:INVALID_DATE']);
    expect(codes(await record({ railway: '  ', source: '', month: '2023-11', tonnes: 1 }))).toEqual(['input.railway:REQUIRED', 'input.source:REQUIRED']);
    expect(codes(await record({ city: 'atlantis', month: '2023-11', tonnes: -5 }))).toEqual(['input.city:NOT_FOUND', 'input.tonnes:OUT_OF_RANGE']);
    expect(await rows()).toBe(0);
    expect((await app.sql(`select count(*)::int as n from audit_event where entity = 'FreightRecord'`))[0].n).toBe(0);
  });

  it('records a month once per railway (TAKEN), changes it with its version (CONFLICT when stale), origin RECORDED', async () => {
    const created = await record({ railway: `  ${SHUICAO}  `, month: '2023-10', tonnes: 0 });
    expect(created.userErrors).toEqual([]);
    expect(created.freightRecord).toMatchObject({ railway: SHUICAO, month: '2023-10', tonnes: 0, origin: 'RECORDED', version: 1, createdBy: app.ministryActorId, city: { slug: 'tangshan' } });
    // The same month of the same railway again: refused, whatever the spelling around it.
    expect(codes(await record({ month: '2023-10', tonnes: 3_000_000 }))).toEqual(['input.month:TAKEN']);
    // Another railway, or another city, may have that month.
    expect((await record({ railway: '迁曹铁路', month: '2023-10', tonnes: 1_800_000 })).userErrors).toEqual([]);
    expect((await record({ city: 'handan', month: '2023-10', tonnes: 10 })).userErrors).toEqual([]);
    // A change names the version it read.
    expect(codes(await record({ month: '2023-10', tonnes: 3_000_000, version: 2 }))).toEqual(['input.version:CONFLICT']);
    expect(codes(await record({ month: '2023-11', tonnes: 3_000_000, version: 1 }))).toEqual(['input.version:CONFLICT']);
    const changed = await record({ month: '2023-10', tonnes: 3_010_500.25, source: '国铁月报（修订）', version: 1 });
    expect(changed.userErrors).toEqual([]);
    expect(changed.freightRecord).toMatchObject({ id: created.freightRecord.id, tonnes: 3_010_500.25, source: '国铁月报（修订）', version: 2 });
    expect(codes(await record({ month: '2023-10', tonnes: -2, version: 2 }))).toEqual(['input.tonnes:OUT_OF_RANGE']);
    expect(await app.sql(`select railway, month, tonnes::float8 as tonnes, version from freight_record where id = ?`, [created.freightRecord.id])).toEqual([
      { railway: SHUICAO, month: '2023-10', tonnes: 3_010_500.25, version: 2 },
    ]);
  });

  it('keeps a CITY key to its city (FORBIDDEN elsewhere, nothing written) and lets it record its own', async () => {
    const taiyuan = await app.createKey({ role: 'CITY', city: 'taiyuan' });
    const before = await rows();
    const r = await app.as(taiyuan.secret).gql(MUTATION, { input: { city: 'tangshan', railway: SHUICAO, month: '2023-12', tonnes: 1, source: 'x' } });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await rows()).toBe(before);
    const tangshan = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const own = await record({ month: '2023-12', tonnes: 3_300_000 }, app.as(tangshan.secret));
    expect(own.userErrors).toEqual([]);
    expect(own.freightRecord.createdBy).toBe(tangshan.actorId);
    // Read-only keys and anonymous callers write nothing.
    const readOnly = await app.createKey({ role: 'READ_ONLY' });
    expect((await app.as(readOnly.secret).gql(MUTATION, { input: { city: 'tangshan', railway: SHUICAO, month: '2024-01', tonnes: 1, source: 'x' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.anonymous.gql(MUTATION, { input: { city: 'tangshan', railway: SHUICAO, month: '2024-01', tonnes: 1, source: 'x' } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('applies a request once per Idempotency-Key: a replay gets the same record, other input CONFLICT', async () => {
    const headers = { 'idempotency-key': 'freight-2024-01' };
    const first = await record({ month: '2024-01', tonnes: 3_400_000 }, app, headers);
    expect(first.userErrors).toEqual([]);
    const before = await rows();
    const again = await record({ month: '2024-01', tonnes: 3_400_000 }, app, headers);
    expect(again).toEqual(first);
    expect(await rows()).toBe(before);
    expect(codes(await record({ month: '2024-01', tonnes: 3_500_000 }, app, headers))).toEqual(['idempotencyKey:CONFLICT']);
  });
});

describe('freightRecords', () => {
  it('filters by place, railway and month range, sorts by month and tonnes, on both lanes; bad months are errors', async () => {
    const q = `query($filter: FreightRecordFilter, $orderBy: FreightRecordOrder) { freightRecords(filter: $filter, orderBy: $orderBy, first: 50) { totalCount nodes { railway month tonnes city { slug } } } }`;
    const both = async (variables: Record<string, unknown>) => {
      const compiled = await app.gql(q, variables);
      const res = await fetch(referenceUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ministryToken}` }, body: JSON.stringify({ query: q, variables }) });
      const resolved = (await res.json()) as any;
      expect(resolved.data).toEqual(compiled.data);
      expect(resolved.errors).toEqual(compiled.errors);
      // The compiled lane answers the collection in one SQL statement.
      expect(compiled.extensions?.sqlStatements).toBe(1);
      return compiled;
    };
    const shuicao = (await both({ filter: { city: 'tangshan', railway: SHUICAO } })).data.freightRecords;
    const sql = await app.sql<{ month: string }>(`select month from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and railway = '水曹铁路' order by month, f.id`);
    expect(shuicao.nodes.map((n: any) => n.month)).toEqual(sql.map((r) => r.month));
    expect(shuicao.totalCount).toBe(sql.length);
    const range = (await both({ filter: { fromMonth: '2023-11', toMonth: '2023-12' }, orderBy: { field: 'TONNES', direction: 'DESC' } })).data.freightRecords;
    expect(range.nodes.every((n: any) => n.month >= '2023-11' && n.month <= '2023-12')).toBe(true);
    expect(range.nodes.map((n: any) => n.tonnes)).toEqual([...range.nodes.map((n: any) => n.tonnes)].sort((a, b) => b - a));
    const hebei = (await both({ filter: { province: 'hebei' } })).data.freightRecords;
    expect(new Set(hebei.nodes.map((n: any) => n.city.slug))).toEqual(new Set(['tangshan', 'handan']));
    const bad = await app.gql(q, { filter: { fromMonth: '2024-01', toMonth: '2023-11' } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.toMonth', reason: 'INVALID_DATE' });
    expect((await app.gql(q, { filter: { fromMonth: '2023/11' } })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.fromMonth', reason: 'INVALID' });
    expect((await app.anonymous.gql(q, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const handan = await app.createKey({ role: 'CITY', city: 'handan' });
    expect((await app.as(handan.secret).data(q, {})).freightRecords.nodes.map((n: any) => n.city.slug)).toEqual(['handan']);
  });
});

describe('TANGSHAN_SHUICAO_RAIL_VOLUME', () => {
  it('is the plan\'s 20,000,000 tonnes by 2024-03-31, for Tangshan', async () => {
    const plan = PLAN_2023_2024.taskTargets.find((t) => t.code === CODE)!;
    expect(plan).toMatchObject({ quantity: 20_000_000, unit: 'tonne', deadline: '2024-03-31', comparator: 'AT_LEAST', city: 'tangshan' });
    expect(await progressOf()).toMatchObject({ quantity: 20_000_000, unit: 'tonne', deadline: '2024-03-31' });
  });

  it('counts the tonnes the Shuicao railway carried in the campaign\'s months, as plain SQL does, met at the plan\'s figure', async () => {
    // Fill the campaign's months so that they carry one tonne less than the plan asks.
    const recorded = Object.fromEntries((await app.sql<{ month: string; tonnes: number; version: number }>(
      `select month, tonnes::float8 as tonnes, version from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and railway = '水曹铁路'`,
    )).map((r) => [r.month, r]));
    const months = ['2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03'];
    const planned: Record<string, number> = { '2023-10': 3_010_500.25, '2023-11': 3_180_000, '2023-12': 3_300_000, '2024-01': 3_400_000, '2024-02': 3_150_000 };
    planned['2024-03'] = 20_000_000 - 1 - Object.values(planned).reduce((a, b) => a + b, 0);
    for (const month of months) {
      const r = await record({ month, tonnes: planned[month], ...(recorded[month] ? { version: recorded[month].version } : {}) });
      expect(r.userErrors, month).toEqual([]);
    }
    // Rows that must not count: another railway and another city (recorded above), and months
    // outside the period written past the API's rule (by the owner).
    await app.sql(`insert into freight_record (city_id, railway, month, tonnes, source, origin, created_by, updated_by)
      select id, '水曹铁路', m, 5000000, 'x', 'RECORDED', 'test', 'test' from city, unnest(array['2023-09', '2024-04']) m where slug = 'tangshan'`);
    // A completed spur-line project linked to the target (as older data may hold it) counts nothing.
    await app.sql(`insert into retrofit_project (city_id, task_target_id, name, type, status, planned_start_date, planned_end_date, actual_start_date, actual_end_date, capacity_tonnes, origin, created_by, updated_by)
      select c.id, t.id, '水曹铁路专用线', 'RAILWAY_SPUR_LINE', 'COMPLETED', '2023-01-01', '2023-12-31', '2023-01-01', '2023-12-31', 30000000, 'RECORDED', 'test', 'test'
      from city c, task_target t where c.slug = 'tangshan' and t.code = '${CODE}'`);

    const below = await progressOf();
    expect(below.progress.achieved).toBe(await plainSqlTonnes());
    expect(below.progress).toEqual({ achieved: 19_999_999, percent: 100, met: false, countedProjects: 0 });
    expect(await progressOf(referenceUrl)).toEqual(below);

    const march = (await app.sql(`select version from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and railway = '水曹铁路' and month = '2024-03'`))[0].version;
    expect((await record({ month: '2024-03', tonnes: planned['2024-03'] + 1, version: march })).userErrors).toEqual([]);
    const met = await progressOf();
    expect(met.progress).toEqual({ achieved: 20_000_000, percent: 100, met: true, countedProjects: 0 });
    expect(met.progress.achieved).toBe(await plainSqlTonnes());
    expect(await progressOf(referenceUrl)).toEqual(met);

    // The task-targets export and the scorecard of Tangshan say the same.
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/task-targets.csv`, { headers: { authorization: `Bearer ${app.ministryToken}` } });
    const [header, ...lines] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    const line = lines.find((l) => l[header.indexOf('code')] === CODE)!;
    expect(Number(line[header.indexOf('achieved')])).toBe(20_000_000);
    const cards = await app.data(`query($c: String) { campaignScorecards(level: CITY, campaign: $c) { key taskTargets { taskTarget { code } achieved countedProjects } } }`, { c: CAMPAIGN });
    const tangshan = cards.campaignScorecards.find((c: any) => c.key === 'tangshan');
    expect(tangshan.taskTargets.find((t: any) => t.taskTarget.code === CODE)).toEqual({ taskTarget: { code: CODE }, achieved: 20_000_000, countedProjects: 0 });
  });

  it('refuses a spur-line project (or any) as counting toward it', async () => {
    const d = await app.data(`mutation($input: CreateRetrofitProjectInput!) { createRetrofitProject(input: $input) { retrofitProject { id } userErrors { field code message } } }`, {
      input: { city: 'tangshan', name: '铁路专用线', type: 'RAILWAY_SPUR_LINE', taskTarget: CODE, campaign: CAMPAIGN, plannedStartDate: '2023-06-01', plannedEndDate: '2023-11-30', capacityTonnes: 5_000_000 },
    });
    expect(codes(d.createRetrofitProject)).toEqual(['input.taskTarget:NOT_ALLOWED']);
  });
});

describe('the freight-records export', () => {
  it('lists what freightRecords lists, with the city\'s Chinese and English names', async () => {
    const filter = { city: 'tangshan', railway: SHUICAO };
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/freight-records.csv?filter=${encodeURIComponent(JSON.stringify(filter))}`, { headers: { authorization: `Bearer ${app.ministryToken}` } });
    expect(res.status).toBe(200);
    const [header, ...lines] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(header).toEqual(['id', 'city', 'city_name_zh', 'city_name_en', 'railway', 'month', 'tonnes', 'source', 'origin', 'version', 'created_at', 'updated_at']);
    const list = (await app.data(`query($f: FreightRecordFilter) { freightRecords(filter: $f, first: 100) { nodes { id month tonnes } } }`, { f: filter })).freightRecords.nodes;
    expect(lines.map((l) => [l[0], l[5], Number(l[6])])).toEqual(list.map((n: any) => [n.id, n.month, n.tonnes]));
    expect(new Set(lines.map((l) => `${l[1]} ${l[2]} ${l[3]} ${l[4]}`))).toEqual(new Set(['tangshan 唐山市 Tangshan 水曹铁路']));
  });
});

describe('demo freight', () => {
  it('gives the Shuicao railway every month of the campaign (origin DEMO), reaching the plan\'s 0.2亿吨 by March 2024, the same for the same seed', async () => {
    const demo = await startTestApp();
    try {
      const run = () => demo.orm.em.fork().transactional((em) => freightDemoSeeder.run(em as EntityManager, demoFaker(20231001, freightDemoSeeder.name)));
      await run();
      const shuicao = await demo.sql<{ month: string; tonnes: number; origin: string }>(
        `select month, tonnes::float8 as tonnes, origin from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and railway = '水曹铁路' order by month`,
      );
      expect(shuicao.map((r) => r.month)).toEqual(['2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03']);
      expect(new Set((await demo.sql(`select distinct origin from freight_record`)).map((r: any) => r.origin))).toEqual(new Set(['DEMO']));
      // Monthly figures of a heavy-haul line: about 3 Mt, rising through the winter, February's dip.
      for (const r of shuicao) {
        expect(r.tonnes).toBeGreaterThan(2_800_000);
        expect(r.tonnes).toBeLessThan(4_000_000);
      }
      expect(shuicao[5].tonnes).toBeGreaterThan(shuicao[0].tonnes);
      expect(shuicao[4].tonnes).toBeLessThan(shuicao[3].tonnes);
      const total = shuicao.reduce((a, r) => a + r.tonnes, 0);
      expect(total).toBeGreaterThanOrEqual(20_200_000);
      expect(total).toBeLessThanOrEqual(20_800_000);
      const d = await demo.data(`{ taskTarget(code: "${CODE}") { progress { achieved met countedProjects } } }`);
      expect(d.taskTarget.progress).toEqual({ achieved: total, met: true, countedProjects: 0 });
      // Another line of the city carries freight too, which counts toward nothing.
      expect((await demo.sql(`select count(*)::int as n from freight_record where railway = '迁曹铁路'`))[0].n).toBe(6);
      const first = await demo.sql(`select city_id, railway, month, tonnes::text as tonnes from freight_record order by railway, month`);
      await demo.sql(`delete from freight_record`);
      await run();
      expect(await demo.sql(`select city_id, railway, month, tonnes::text as tonnes from freight_record order by railway, month`)).toEqual(first);
    } finally {
      await demo.close();
    }
  });
});
