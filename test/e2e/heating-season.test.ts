/**
 * The cities' heating seasons as records: recordHeatingSeason by a CITY key (its city), a
 * PROVINCE key (its cities) and the ministry, refused for other cities, for READ_ONLY and
 * anonymous callers, for a season ending before it starts or outside the campaign's months, and
 * for a stale version; the public heatingSeasons list against plain SQL; and COAL_HOUSEHOLDS
 * following a changed start at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const CAMPAIGN = '2023-2024-autumn-winter';
const SEASON = 'id version startsOn endsOn source origin updatedBy city { slug } campaign { code }';
const RECORD = `mutation($input: RecordHeatingSeasonInput!) { recordHeatingSeason(input: $input) { heatingSeason { ${SEASON} } userErrors { field code message } } }`;
const codes = (r: { userErrors: { field: string[]; code: string }[] }) => r.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
const record = async (input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app) =>
  (await client.data(RECORD, { input: { city: 'baoding', campaign: CAMPAIGN, startsOn: '2023-11-10', endsOn: '2024-03-20', source: '保定市供热通知', ...input } })).recordHeatingSeason;
const versionOf = async (city: string) =>
  (await app.sql<{ version: number }>(`select hs.version from heating_season hs join city c on c.id = hs.city_id where c.slug = ?`, [city]))[0].version;

describe('recording a heating season', () => {
  it('refuses a season ending before it starts, outside the campaign\'s months, without a source, or at a stale version', async () => {
    const v = await versionOf('baoding');
    expect(codes(await record({ version: v, startsOn: '2023-11-15', endsOn: '2023-11-15' }))).toEqual(['input.endsOn:INVALID_DATE']);
    expect(codes(await record({ version: v, startsOn: '2023-12-01', endsOn: '2023-11-01' }))).toEqual(['input.endsOn:INVALID_DATE']);
    expect(codes(await record({ version: v, startsOn: '2023-09-30' }))).toEqual(['input.startsOn:OUT_OF_RANGE']);
    expect(codes(await record({ version: v, endsOn: '2024-04-01' }))).toEqual(['input.endsOn:OUT_OF_RANGE']);
    expect(codes(await record({ version: v, source: '  ' }))).toEqual(['input.source:REQUIRED']);
    expect(codes(await record({ version: v + 7 }))).toEqual(['input.version:CONFLICT']);
    // Without a version, a recorded season is TAKEN; an unknown city or campaign is NOT_FOUND.
    expect(codes(await record({}))).toEqual(['input.city:TAKEN']);
    expect(codes(await record({ city: 'atlantis', version: 1 }))).toEqual(['input.city:NOT_FOUND']);
    expect(codes(await record({ campaign: 'no-such-campaign', version: 1 }))).toEqual(['input.campaign:NOT_FOUND']);
    // A day that is no date is BAD_USER_INPUT, not a server error.
    const bad = await app.gql(RECORD, { input: { city: 'baoding', startsOn: '2023-13-40', endsOn: '2024-03-20', source: 'x' } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Nothing changed.
    expect(await app.sql(`select to_char(starts_on, 'YYYY-MM-DD') as s, origin from heating_season hs join city c on c.id = hs.city_id where c.slug = 'baoding'`)).toEqual([{ s: '2023-11-15', origin: 'PLAN' }]);

    const ok = await record({ version: v });
    expect(ok.userErrors).toEqual([]);
    expect(ok.heatingSeason).toMatchObject({ startsOn: '2023-11-10', endsOn: '2024-03-20', source: '保定市供热通知', origin: 'RECORDED', version: v + 1, city: { slug: 'baoding' }, campaign: { code: CAMPAIGN } });
    // The last day of the campaign's last month is inside.
    expect((await record({ version: v + 1, startsOn: '2023-10-01', endsOn: '2024-03-31' })).userErrors).toEqual([]);
  });

  it('a CITY key records its own city\'s season, a PROVINCE key its cities\', the ministry any; others are refused', async () => {
    const city = app.as((await app.createKey({ role: 'CITY', city: 'langfang' })).secret);
    const province = app.as((await app.createKey({ role: 'PROVINCE', province: 'shandong' })).secret);
    const readOnly = app.as((await app.createKey({ role: 'READ_ONLY' })).secret);
    const input = (slug: string, version: number) => ({ input: { city: slug, campaign: CAMPAIGN, startsOn: '2023-11-12', endsOn: '2024-03-18', source: '供热通知', version } });
    expect((await city.gql(RECORD, input('baoding', await versionOf('baoding')))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await province.gql(RECORD, input('zhengzhou', await versionOf('zhengzhou')))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await readOnly.gql(RECORD, input('langfang', await versionOf('langfang')))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.anonymous.gql(RECORD, input('langfang', await versionOf('langfang')))).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await app.sql(`select count(*)::int as n from heating_season where origin = 'RECORDED' and city_id in (select id from city where slug in ('zhengzhou', 'langfang'))`)).toEqual([{ n: 0 }]);

    const own = (await city.data(RECORD, input('langfang', await versionOf('langfang')))).recordHeatingSeason;
    expect(own.userErrors).toEqual([]);
    expect(own.heatingSeason).toMatchObject({ city: { slug: 'langfang' }, startsOn: '2023-11-12', origin: 'RECORDED' });
    expect(own.heatingSeason.updatedBy).toMatch(/^key:\d+$/);
    expect((await province.data(RECORD, input('jinan', await versionOf('jinan')))).recordHeatingSeason.userErrors).toEqual([]);
    expect((await app.data(RECORD, input('zhengzhou', await versionOf('zhengzhou')))).recordHeatingSeason.userErrors).toEqual([]);
  });

  it('is audited: who changed which season, before and after', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'cangzhou' });
    const v = await versionOf('cangzhou');
    const r = (await app.as(key.secret).data(RECORD, { input: { city: 'cangzhou', campaign: CAMPAIGN, startsOn: '2023-11-08', endsOn: '2024-03-16', source: '沧州市供热通知', version: v } })).recordHeatingSeason;
    expect(r.userErrors).toEqual([]);
    const rows = await app.sql<any>(`select action, entity, entity_id, city_id, role, operation, before, after from audit_event where entity = 'HeatingSeason' and entity_id = ? order by id`, [Number(r.heatingSeason.id)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'UPDATE', entity: 'HeatingSeason', role: 'CITY', operation: 'recordHeatingSeason' });
    expect([rows[0].before.starts_on, rows[0].after.starts_on, rows[0].after.version]).toEqual(['2023-11-15', '2023-11-08', v + 1]);
  });
});

describe('reading heating seasons', () => {
  it('lists every city\'s season publicly, filtered by place, campaign and origin, as plain SQL does', async () => {
    const all = await app.anonymous.data(`{ heatingSeasons(first: 500, filter: { campaign: "${CAMPAIGN}" }) { totalCount nodes { startsOn city { slug } } } }`);
    const [n] = await app.sql<{ n: number }>(`select count(*)::int as n from heating_season hs join campaign k on k.id = hs.campaign_id where k.code = ?`, [CAMPAIGN]);
    expect(all.heatingSeasons.totalCount).toBe(n.n);
    expect(n.n).toBeGreaterThan(50);
    const shanxi = await app.data(`{ heatingSeasons(first: 50, filter: { province: "shanxi" }, orderBy: { field: STARTS_ON, direction: ASC }) { nodes { startsOn city { slug } } } }`);
    const plain = await app.sql<{ slug: string; s: string }>(`select c.slug, to_char(hs.starts_on, 'YYYY-MM-DD') as s from heating_season hs join city c on c.id = hs.city_id join province p on p.id = c.province_id where p.slug = 'shanxi' order by hs.starts_on, hs.id`);
    expect(shanxi.heatingSeasons.nodes).toEqual(plain.map((r) => ({ startsOn: r.s, city: { slug: r.slug } })));
    // After the tests above recorded some, origin tells the recorded seasons from the plan's.
    const recorded = await app.anonymous.data(`{ heatingSeasons(first: 500, filter: { origin: RECORDED }) { totalCount } }`);
    const [r] = await app.sql<{ n: number }>(`select count(*)::int as n from heating_season where origin = 'RECORDED'`);
    expect(recorded.heatingSeasons.totalCount).toBe(r.n);
    expect(r.n).toBeGreaterThan(0);
    const unknown = await app.gql(`{ heatingSeasons(filter: { campaign: "nope" }) { totalCount } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('COAL_HOUSEHOLDS follows a changed heating-season start', () => {
  it('counts by the recorded start: moving it earlier drops conversions after it, later takes them in', async () => {
    const data = (q: string, v?: Record<string, unknown>) => app.data(q, v);
    const county = (await data(`mutation { createLocality(input: { city: "dezhou", level: COUNTY, nameZh: "临城县" }) { locality { id } userErrors { code } } }`)).createLocality.locality.id;
    const township = (await data(`mutation($p: ID!) { createLocality(input: { city: "dezhou", level: TOWNSHIP, parentId: $p, nameZh: "临城镇" }) { locality { id } } }`, { p: county })).createLocality.locality.id;
    const village = (await data(`mutation($p: ID!) { createLocality(input: { city: "dezhou", level: VILLAGE, parentId: $p, nameZh: "东街村" }) { locality { id } } }`, { p: township })).createLocality.locality.id;
    const p = await data(`mutation { createRetrofitProject(input: { city: "dezhou", name: "清洁取暖工程", type: CLEAN_HEATING_COAL_TO_GAS, taskTarget: "COAL_HOUSEHOLDS", households: 1000, plannedStartDate: "2023-05-01", plannedEndDate: "2023-11-10", status: COMPLETED, actualStartDate: "2023-05-01", actualEndDate: "2023-11-10" }) { retrofitProject { id } userErrors { field code } } }`);
    expect(p.createRetrofitProject.userErrors).toEqual([]);
    for (const [households, convertedOn] of [[300, '2023-10-20'], [200, '2023-11-05'], [100, '2023-11-14']] as const) {
      const c = await data(`mutation($i: CreateHouseholdConversionInput!) { createHouseholdConversion(input: $i) { userErrors { field code } } }`, {
        i: { villageId: village, projectId: p.createRetrofitProject.retrofitProject.id, households, newSystem: 'GAS', convertedOn },
      });
      expect(c.createHouseholdConversion.userErrors).toEqual([]);
    }
    const achieved = async () => (await data(`{ taskTarget(code: "COAL_HOUSEHOLDS") { progress { achieved } breakdown { province { slug } progress { achieved } } } }`)).taskTarget;
    const shandong = (t: any) => t.breakdown.find((b: any) => b.province.slug === 'shandong')?.progress.achieved ?? null;
    const plain = async () =>
      (await app.sql<{ n: number }>(`select coalesce(sum(hc.households), 0)::int as n from household_conversion hc join retrofit_project p on p.id = hc.project_id
        join task_target t on t.id = p.task_target_id and t.code = 'COAL_HOUSEHOLDS' join heating_season hs on hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id
        where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline and hc.converted_on <= hs.starts_on and hc.converted_on > hs.starts_on - 365`))[0].n;
    const before = await achieved();
    // Dezhou's statutory start is 15 November: all 600 households count.
    const base = before.progress.achieved;
    expect(base).toBe(await plain());
    const move = async (startsOn: string) => {
      const r = await record({ city: 'dezhou', startsOn, endsOn: '2024-03-15', version: await versionOf('dezhou') });
      expect(r.userErrors).toEqual([]);
    };
    await move('2023-11-01'); // the batches of 5 and 14 November are now late
    const earlier = await achieved();
    expect(earlier.progress.achieved).toBe(base - 300);
    expect(earlier.progress.achieved).toBe(await plain());
    expect(shandong(earlier)).toBe(shandong(before) - 300);
    await move('2023-11-10'); // 5 November counts again, 14 November does not
    expect((await achieved()).progress.achieved).toBe(base - 100);
    await move('2023-11-15');
    expect((await achieved()).progress.achieved).toBe(base);
  });
});
