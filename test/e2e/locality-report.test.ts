/**
 * `report` by the places below the city (COUNTY, TOWNSHIP, VILLAGE) over the subjects whose
 * records stand in a locality (HOUSEHOLD_CONVERSIONS, AGRICULTURAL_FACILITIES by village;
 * COMBUSTION_UNITS by county, township or village), on the demo dataset: figures against plain
 * SQL over the same rows, the `locality` filter, a CITY key kept to its city's places, a place
 * dimension refused for a subject without places, and the CSV export of the report.
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

  it('a report of combustion units by COUNTY and UNIT_KIND equals plain SQL, a unit of a county or township counted in its county', async () => {
    const input = { subject: 'COMBUSTION_UNITS', dimensions: ['COUNTY', 'UNIT_KIND'], measures: [{ measure: 'COUNT' }, { measure: 'CAPACITY_TPH' }] };
    const d = await app.data(REPORT, { input });
    const plain = await app.sql<{ county: string | null; kind: string; n: number; tph: number | null }>(
      `select (case l.level when 'COUNTY' then l.id when 'TOWNSHIP' then p.id when 'VILLAGE' then g.id end)::text as county, u.kind, count(*)::int as n, sum(u.capacity_tph)::float8 as tph
         from combustion_unit u left join locality l on l.id = u.locality_id left join locality p on p.id = l.parent_id left join locality g on g.id = p.parent_id
        group by 1, 2`,
    );
    // The demo places units at every level, and leaves some without a place.
    const [levels] = await app.sql<{ county: number; township: number; village: number; none: number }>(
      `select count(*) filter (where l.level = 'COUNTY')::int as county, count(*) filter (where l.level = 'TOWNSHIP')::int as township,
              count(*) filter (where l.level = 'VILLAGE')::int as village, count(*) filter (where l.id is null)::int as none
         from combustion_unit u left join locality l on l.id = u.locality_id`,
    );
    expect(Object.values(levels).every((n) => n > 0)).toBe(true);
    const key = (x: { county: string | null; kind: string }) => `${x.county}/${x.kind}`;
    const got = details(d.report.rows).map((r: Row) => ({ county: r.keys[0].value, kind: r.keys[1].value!, n: r.values[0]!, tph: r.values[1] }));
    expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...plain].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('every city of the plan has demo units standing in its places', async () => {
    const rows = await app.sql<{ n: number }>(
      `select count(u.id) filter (where u.locality_id is not null)::int as n from city c left join combustion_unit u on u.city_id = c.id and u.origin = 'DEMO' group by c.id`,
    );
    expect(rows).toHaveLength(56);
    for (const r of rows) expect(r.n).toBeGreaterThan(0);
  });

  it('filters by a locality: the place and every place under it, the same records as the list', async () => {
    const [township] = await app.sql<{ id: number; county: number; n: number; households: number }>(
      `select lt.id, lt.parent_id as county, count(*)::int as n, sum(h.households)::float8 as households
         from household_conversion h join locality lv on lv.id = h.village_id join locality lt on lt.id = lv.parent_id
        group by lt.id order by count(*) desc, lt.id limit 1`,
    );
    const byTownship = await app.data(REPORT, { input: { subject: 'HOUSEHOLD_CONVERSIONS', dimensions: [], measures: [{ measure: 'COUNT' }, { measure: 'HOUSEHOLDS' }], filter: { locality: String(township.id) } } });
    expect(byTownship.report.rows.find((r: Row) => r.kind === 'GRAND_TOTAL').values).toEqual([township.n, township.households]);
    const listed = await app.data(`query($id: ID!) { householdConversions(filter: { localityId: $id }) { totalCount } }`, { id: String(township.id) });
    expect(listed.householdConversions.totalCount).toBe(township.n);

    // Combustion units under the township's county: those of the county itself, its townships and their villages.
    const byCounty = await app.data(REPORT, { input: { subject: 'COMBUSTION_UNITS', dimensions: ['TOWNSHIP'], measures: [{ measure: 'COUNT' }], filter: { locality: String(township.county) } } });
    const units = await app.data(`query($id: ID!) { combustionUnits(filter: { localityId: $id }) { totalCount } }`, { id: String(township.county) });
    const [plain] = await app.sql<{ n: number }>(
      `select count(*)::int as n from combustion_unit u join locality l on l.id = u.locality_id left join locality p on p.id = l.parent_id left join locality g on g.id = p.parent_id
        where ? in (l.id, p.id, g.id)`,
      [township.county],
    );
    expect(plain.n).toBeGreaterThan(0);
    expect(byCounty.report.rows.find((r: Row) => r.kind === 'GRAND_TOTAL').values).toEqual([plain.n]);
    expect(units.combustionUnits.totalCount).toBe(plain.n);
  });

  it('refuses a locality the caller cannot read (NOT_FOUND), a bad id, and a subject without places (BAD_USER_INPUT)', async () => {
    const [other] = await app.sql<{ id: number }>(`select l.id from locality l join city c on c.id = l.city_id where c.slug <> 'tangshan' order by l.id limit 1`);
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const input = (locality: string, subject = 'HOUSEHOLD_CONVERSIONS') => ({ input: { subject, dimensions: [], measures: [{ measure: 'COUNT' }], filter: { locality } } });
    const foreign = await app.as(key.secret).gql(REPORT, input(String(other.id)));
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.filter.locality' });
    const bad = await app.gql(REPORT, input('x1'));
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.filter.locality' });
    const noPlaces = await app.gql(REPORT, input(String(other.id), 'ENTERPRISES'));
    expect(noPlaces.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.filter.locality' });
    expect(noPlaces.errors?.[0]?.message).toMatch(/no COUNTY dimension/);
  });
});
