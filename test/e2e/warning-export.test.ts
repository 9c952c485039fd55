/**
 * Exports of the heavy-pollution lists (warnings, forecasts, regional linkages, reduction list
 * entries, measure checks): CSV and xlsx, the rows and order of the GraphQL connection with the
 * same filter and sort (one declaration, warning.reads.ts), values against plain SQL, a CITY key's
 * file holding its city only, keyed lists refused to anonymous callers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';

let app: TestApp;
let base: string;
const CAMPAIGN = '2023-2024-autumn-winter';
const CITIES = ['tangshan', 'baoding', 'taiyuan'];

const ok = (payload: any) => {
  expect(payload.userErrors).toEqual([]);
  return payload;
};

beforeAll(async () => {
  app = await startTestApp();
  base = app.url.replace(/\/graphql$/, '');
  const linkage = ok(
    (
      await app.data(`mutation($input: IssueRegionalLinkageInput!) { issueRegionalLinkage(input: $input) { regionalLinkage { id } userErrors { field code message } } }`, {
        input: { cities: ['tangshan', 'baoding'], level: 'ORANGE', authority: '生态环境部', issuedAt: '2023-12-09T00:00:00Z', effectiveFrom: '2023-12-10T00:00:00Z', plannedEnd: '2023-12-13T00:00:00Z' },
      })
    ).issueRegionalLinkage,
  ).regionalLinkage.id;
  for (const [i, city] of CITIES.entries()) {
    const f = ok(
      (
        await app.data(`mutation($input: RecordForecastsInput!) { recordForecasts(input: $input) { forecasts { id } userErrors { field code message } } }`, {
          input: { forecasts: [{ city, issuedAt: '2023-12-09T02:00:00Z', source: 'CITY', days: [{ day: '2023-12-10', aqi: 230 + i, primaryPollutant: 'PM25' }, { day: '2023-12-11', aqi: 320 }, { day: '2023-12-12', aqi: 240 }] }] },
        })
      ).recordForecasts,
    ).forecasts[0].id;
    const [e] = await app.sql<{ id: number }>(
      `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, ultra_low_emission_status, origin, created_by, updated_by)
       select id, ?, ?, 'CEMENT', 'MEDIUM', 'B', 'ASSESSED_AND_PUBLICISED', 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
      [`${city} 水泥有限公司`, `91${String(700 + i).padStart(16, '0')}`, city],
    );
    const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
    ok(
      (
        await app.data(`mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { entries { id } userErrors { field code message } } }`, {
          input: { city, campaign: CAMPAIGN, entries: [{ enterpriseId: String(e.id), so2Baseline: 1.5, noxBaseline: 2, pmBaseline: 0.5, vocsBaseline: 0.25, yellow: cut('LIMIT_PRODUCTION', 10), orange: cut('STOP_LINES', 20 + i), red: cut('STOP_PRODUCTION', 50) }] },
        })
      ).setReductionListEntries,
    );
    const w = ok(
      (
        await app.data(`mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } userErrors { field code message } } }`, {
          input: { city, level: i === 2 ? 'RED' : 'ORANGE', issuedAt: '2023-12-09T04:00:00Z', effectiveFrom: '2023-12-10T00:00:00Z', plannedEnd: '2023-12-13T00:00:00Z', forecastId: f, authority: `${city} 指挥部`, linkageId: i < 2 ? linkage : null },
        })
      ).issueWarning,
    ).warning.id;
    ok(
      (
        await app.data(`mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) { measureCheck { id } userErrors { field code message } } }`, {
          input: { warningId: w, enterpriseId: String(e.id), checkedAt: '2023-12-11T02:00:00Z', method: 'ON_SITE', result: i === 0 ? 'FAILED' : 'PASSED', finding: i === 0 ? '=未停产' : null, inspector: '督查组' },
        })
      ).recordMeasureCheck,
    );
  }
});
afterAll(() => app?.close());

function url(file: string, params: Record<string, unknown> = {}): string {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)]));
  return `${base}/exports/${file}${q.size ? `?${q}` : ''}`;
}
async function csv(file: string, params: Record<string, unknown> = {}, token: string | null = app.ministryToken) {
  const res = await fetch(url(file, params), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { res, rows: res.ok ? parseCsv(text.replace(/^\uFEFF/, '')) : [], body: text };
}
/** A CSV's rows as objects by header. */
const records = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]])));

const LISTS: { file: string; root: string; filterType: string; orderType: string; filter: Record<string, unknown>; orderBy: Record<string, unknown>; table: string; sqlOrder: string }[] = [
  { file: 'warnings', root: 'warnings', filterType: 'WarningFilter', orderType: 'WarningOrder', filter: { levels: ['ORANGE', 'RED'] }, orderBy: { field: 'ISSUED_AT', direction: 'ASC' }, table: 'warning', sqlOrder: 'issued_at, id' },
  { file: 'forecasts', root: 'forecasts', filterType: 'ForecastFilter', orderType: 'ForecastOrder', filter: { sources: ['CITY'] }, orderBy: { field: 'ISSUED_AT', direction: 'DESC' }, table: 'forecast', sqlOrder: 'issued_at desc, id desc' },
  { file: 'regional-linkages', root: 'regionalLinkages', filterType: 'RegionalLinkageFilter', orderType: 'RegionalLinkageOrder', filter: { levels: ['ORANGE'] }, orderBy: { field: 'EFFECTIVE_FROM', direction: 'ASC' }, table: 'regional_linkage', sqlOrder: 'effective_from, id' },
  { file: 'reduction-list-entries', root: 'reductionListEntries', filterType: 'ReductionListEntryFilter', orderType: 'ReductionListEntryOrder', filter: { campaign: CAMPAIGN }, orderBy: { field: 'CREATED_AT', direction: 'DESC' }, table: 'reduction_list_entry', sqlOrder: 'created_at desc, id desc' },
  { file: 'measure-checks', root: 'measureChecks', filterType: 'MeasureCheckFilter', orderType: 'MeasureCheckOrder', filter: { methods: ['ON_SITE'] }, orderBy: { field: 'CHECKED_AT', direction: 'ASC' }, table: 'measure_check', sqlOrder: 'checked_at, id' },
];

describe('exports of the heavy-pollution lists', () => {
  it.each(LISTS)('$file: the GraphQL list\'s rows in its order, as CSV and as xlsx', async (list) => {
    const q = `query($f: ${list.filterType}, $o: ${list.orderType}) { ${list.root}(filter: $f, orderBy: $o, first: 500) { totalCount nodes { id } } }`;
    const conn = (await app.data(q, { f: list.filter, o: list.orderBy }))[list.root];
    expect(conn.totalCount).toBeGreaterThan(0);
    const { res, rows } = await csv(`${list.file}.csv`, { filter: list.filter, orderBy: list.orderBy });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${list.file}.csv"`);
    expect(rows.slice(1).map((r) => r[rows[0].indexOf('id')])).toEqual(conn.nodes.map((n: any) => n.id));
    // Without a filter: every row of the table (MINISTRY).
    const all = await csv(`${list.file}.csv`);
    const sql = await app.sql<{ id: number }>(`select id from ${list.table} order by id`);
    expect(all.rows.slice(1).map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(sql.map((r) => r.id));

    const x = await fetch(url(`${list.file}.xlsx`, { filter: list.filter, orderBy: list.orderBy }), { headers: { authorization: `Bearer ${app.ministryToken}` } });
    expect(x.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await x.arrayBuffer()) as never);
    const sheetRows: unknown[][] = [];
    workbook.worksheets[0].eachRow((r) => sheetRows.push((r.values as unknown[]).slice(1)));
    expect(sheetRows[0]).toEqual(rows[0]);
    // Numbers are typed cells in xlsx.
    expect(sheetRows.slice(1).map((r) => r[0])).toEqual(conn.nodes.map((n: any) => Number(n.id)));
  });

  it('writes the values of the tables, with city names in Chinese and English', async () => {
    const w = records((await csv('warnings.csv', { orderBy: { field: 'ISSUED_AT', direction: 'ASC' } })).rows);
    const ws = await app.sql(
      `select w.id, c.slug, c.name_zh, c.name_en, w.level, w.flag_reasons, w.linkage_id, (select count(*)::int from warning_change x where x.warning_id = w.id) as changes
         from warning w join city c on c.id = w.city_id order by w.issued_at, w.id`,
    );
    expect(w.map((r) => [r.id, r.city, r.city_name_zh, r.city_name_en, r.level, r.flag_reasons, r.linkage_id, r.changes])).toEqual(
      ws.map((r: any) => [String(r.id), r.slug, r.name_zh, r.name_en, r.level, r.flag_reasons.join(','), r.linkage_id === null ? '' : String(r.linkage_id), String(r.changes)]),
    );
    expect(w[0]).toMatchObject({ effective_from: '2023-12-10T00:00:00.000Z', planned_end: '2023-12-13T00:00:00.000Z', lifted_at: '' });

    const f = records((await csv('forecasts.csv', { filter: { city: 'taiyuan' } })).rows);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ city: 'taiyuan', days: '2023-12-10:232:PM25;2023-12-11:320:;2023-12-12:240:', max_aqi: '320', source: 'CITY' });

    const l = records((await csv('regional-linkages.csv')).rows);
    expect(l.map((r) => [r.level, r.cities, r.province])).toEqual([['ORANGE', 'tangshan,baoding', '']]);

    const e = records((await csv('reduction-list-entries.csv', { filter: { city: 'baoding' } })).rows);
    const [entry] = await app.sql(`select r.id, r.so2_baseline::float as so2, r.orange_cut_percent::float as orange, e.name from reduction_list_entry r join enterprise e on e.id = r.enterprise_id join city c on c.id = r.city_id where c.slug = 'baoding'`);
    expect(e).toEqual([expect.objectContaining({ id: String(entry.id), enterprise_name: entry.name, grade_at_listing: 'B', so2_baseline: String(entry.so2), orange_measure: 'STOP_LINES', orange_cut_percent: String(entry.orange), protected_exempt: 'false' })]);

    const m = records((await csv('measure-checks.csv', { filter: { results: ['FAILED'] } })).rows);
    expect(m).toEqual([expect.objectContaining({ city: 'tangshan', result: 'FAILED', proposed_grade: 'C', proposal_status: 'PROPOSED', warning_level: 'ORANGE', checked_at: '2023-12-11T02:00:00.000Z' })]);
    // A cell that a spreadsheet would run as a formula is neutralised.
    expect(m[0].finding).toBe(`'=未停产`);
  });

  it('gives a CITY key its city only (linkages: its linked cities only); keyed lists need a key; a bad filter is a 400 naming it', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'baoding' });
    for (const list of LISTS) {
      const { res, rows } = await csv(`${list.file}.csv`, {}, key.secret);
      expect(res.status, list.file).toBe(200);
      const recs = records(rows);
      if (list.file === 'regional-linkages') expect(recs.map((r) => r.cities)).toEqual(['baoding']);
      else {
        expect(recs.length, list.file).toBeGreaterThan(0);
        expect(new Set(recs.map((r) => r.city)), list.file).toEqual(new Set(['baoding']));
      }
      // As many rows as the list gives the key.
      const conn = (await app.as(key.secret).data(`{ ${list.root}(first: 500) { totalCount } }`))[list.root];
      expect(recs.length, list.file).toBe(conn.totalCount);
    }
    for (const file of ['reduction-list-entries', 'measure-checks']) {
      const anon = await csv(`${file}.csv`, {}, null);
      expect(anon.res.status, file).toBe(401);
    }
    for (const file of ['warnings', 'forecasts', 'regional-linkages']) {
      const anon = await csv(`${file}.csv`, {}, null);
      expect(anon.res.status, file).toBe(200);
      expect(anon.rows.length, file).toBeGreaterThan(1);
    }
    const bad = await csv('warnings.csv', { filter: { levels: ['PURPLE'] } });
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
