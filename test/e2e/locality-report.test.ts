/**
 * `report` by the places below the city (COUNTY, TOWNSHIP, VILLAGE) over the subjects whose
 * records stand in a village (HOUSEHOLD_CONVERSIONS, AGRICULTURAL_FACILITIES), on the demo
 * dataset: figures against plain SQL over the same rows, a CITY key kept to its city's places,
 * a place dimension refused for a subject without villages, and the CSV export of the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedDemoIfEmpty(app.orm, 20231001);
}, 300_000);
afterAll(() => app?.close());

const REPORT = `query($input: ReportInput!) { report(input: $input) { rows { kind keys { value label labelZh } values } } }`;
type Row = { kind: string; keys: { value: string | null; label: string; labelZh: string | null }[]; values: (number | null)[] };
const details = (rows: Row[]) => rows.filter((r) => r.kind === 'DETAIL');

describe('reports by county, township and village', () => {
  it('a report of village conversions by COUNTY equals plain SQL over the same rows', async () => {
    const d = await app.data(REPORT, { input: { subject: 'HOUSEHOLD_CONVERSIONS', dimensions: ['COUNTY'], measures: [{ measure: 'COUNT' }, { measure: 'HOUSEHOLDS' }] } });
    const plain = await app.sql<{ key: string; name: string; n: number; households: number }>(
      `select lc.id::text as key, c.name_zh || lc.name_zh as name, count(*)::int as n, sum(h.households)::float8 as households
         from household_conversion h join city c on c.id = h.city_id
         join locality lv on lv.id = h.village_id join locality lt on lt.id = lv.parent_id join locality lc on lc.id = lt.parent_id
        group by lc.id, c.name_zh, lc.name_zh order by lc.id`,
    );
    expect(plain.length).toBeGreaterThan(56);
    const got = details(d.report.rows)
      .map((r: Row) => ({ key: r.keys[0].value!, name: r.keys[0].labelZh!, n: r.values[0]!, households: r.values[1]! }))
      .sort((a: { key: string }, b: { key: string }) => Number(a.key) - Number(b.key));
    expect(got).toEqual(plain);
    const total = d.report.rows.find((r: Row) => r.kind === 'GRAND_TOTAL');
    const [all] = await app.sql<{ n: number; households: number }>(`select count(*)::int as n, sum(households)::float8 as households from household_conversion`);
    expect(total.values).toEqual([all.n, all.households]);
  });

  it('nests CITY > TOWNSHIP > VILLAGE for agricultural facilities, facilities without a village under "No village"', async () => {
    const d = await app.data(REPORT, { input: { subject: 'AGRICULTURAL_FACILITIES', dimensions: ['CITY', 'TOWNSHIP', 'VILLAGE'], measures: [{ measure: 'COUNT' }], filter: { city: 'tangshan' }, totals: 'GRAND_TOTAL' } });
    const plain = await app.sql<{ township: string | null; village: string | null; n: number }>(
      `select lt.id::text as township, lv.id::text as village, count(*)::int as n from agricultural_coal_facility a join city c on c.id = a.city_id
         left join locality lv on lv.id = a.village_id left join locality lt on lt.id = lv.parent_id
        where c.slug = 'tangshan' group by lt.id, lv.id`,
    );
    const got = details(d.report.rows).map((r: Row) => ({ township: r.keys[1].value, village: r.keys[2].value, n: r.values[0] }));
    const key = (x: { township: string | null; village: string | null }) => `${x.township}/${x.village}`;
    expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...plain].sort((a, b) => key(a).localeCompare(key(b))));
    for (const r of details(d.report.rows)) expect(r.keys[0].value).toBe('tangshan');
  });

  it('a CITY key\'s report has only its city\'s places', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const d = await app.as(key.secret).data(REPORT, { input: { subject: 'HOUSEHOLD_CONVERSIONS', dimensions: ['VILLAGE'], measures: [{ measure: 'HOUSEHOLDS' }] } });
    const villages = details(d.report.rows).map((r: Row) => r.keys[0].value!);
    const own = await app.sql<{ id: string }>(`select distinct h.village_id::text as id from household_conversion h join city c on c.id = h.city_id where c.slug = 'tangshan'`);
    expect(villages.length).toBeGreaterThan(0);
    expect([...villages].sort()).toEqual(own.map((r) => r.id).sort());
    const [others] = await app.sql<{ n: number }>(`select count(*)::int as n from locality l join city c on c.id = l.city_id where c.slug <> 'tangshan' and l.id = any(string_to_array(?, ',')::int[])`, [villages.join(',')]);
    expect(others.n).toBe(0);
    for (const r of details(d.report.rows)) expect(r.keys[0].labelZh).toMatch(/^唐山市/);
    // The ministry sees the villages of every city.
    const all = await app.data(REPORT, { input: { subject: 'HOUSEHOLD_CONVERSIONS', dimensions: ['VILLAGE'], measures: [{ measure: 'HOUSEHOLDS' }] } });
    expect(details(all.report.rows).length).toBeGreaterThan(villages.length);
  });

  it('refuses a place below the city for a subject whose records carry none, with BAD_USER_INPUT', async () => {
    for (const dimension of ['COUNTY', 'TOWNSHIP', 'VILLAGE']) {
      const r = await app.gql(REPORT, { input: { subject: 'ENTERPRISES', dimensions: ['CITY', dimension], measures: [{ measure: 'COUNT' }] } });
      expect(r.errors?.[0]?.extensions, dimension).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dimensions.1' });
      expect(r.errors?.[0]?.message).toMatch(/cannot be grouped by/);
    }
  });

  it('exports the report by county as CSV with the same figures', async () => {
    const input = { subject: 'HOUSEHOLD_CONVERSIONS', dimensions: ['COUNTY'], measures: [{ measure: 'HOUSEHOLDS' }], totals: 'GRAND_TOTAL' };
    const d = await app.data(REPORT, { input });
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/report.csv?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization: `Bearer ${app.ministryToken}` } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(d.report.rows.length);
    for (const r of details(d.report.rows)) expect(lines.some((l) => l.includes(r.keys[0].labelZh!) && l.includes(String(r.values[0]))), r.keys[0].labelZh!).toBe(true);
  });
});
