/**
 * The place hierarchy below the city (counties, townships, villages) and the village conversion
 * list (村级散煤改造清单): each rule refused once and passing once, build before break
 * (先立后破、不立不破), a CITY key kept to its city, the export, and COAL_HOUSEHOLDS counting the
 * converted households by each city's own heating-season start (checked against plain SQL over
 * the fixture and against the plan's breakdown 20,000 + 77,000 + 452,000 + 238,000 = 787,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const LOCALITY_FIELDS = 'id version level nameZh divisionCode origin city { slug } parent { id level nameZh }';
const CONVERSION_FIELDS = 'id version households newSystem convertedOn supplyStable firstSeasonCompletedOn oldHeatingRemovedOn origin city { slug } village { id nameZh } project { id }';
const CREATE_LOCALITY = `mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { ${LOCALITY_FIELDS} } userErrors { field code message } } }`;
const UPDATE_LOCALITY = `mutation($input: UpdateLocalityInput!) { updateLocality(input: $input) { locality { ${LOCALITY_FIELDS} } userErrors { field code message } } }`;
const CREATE = `mutation($input: CreateHouseholdConversionInput!) { createHouseholdConversion(input: $input) { householdConversion { ${CONVERSION_FIELDS} } userErrors { field code message } } }`;
const UPDATE = `mutation($input: UpdateHouseholdConversionInput!) { updateHouseholdConversion(input: $input) { householdConversion { ${CONVERSION_FIELDS} } userErrors { field code message } } }`;
const CREATE_PROJECT = `mutation($input: CreateRetrofitProjectInput!) { createRetrofitProject(input: $input) { retrofitProject { id } userErrors { field code message } } }`;

const codes = (r: { userErrors: { field: string[]; code: string }[] }) => r.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
const createLocality = async (input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app) => (await client.data(CREATE_LOCALITY, { input })).createLocality;
const create = async (input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app) => (await client.data(CREATE, { input })).createHouseholdConversion;
const update = async (input: Record<string, unknown>) => (await app.data(UPDATE, { input })).updateHouseholdConversion;

/** A county, township and village of `city`; returns their ids. */
async function villageIn(city: string, name: string): Promise<{ county: string; township: string; village: string }> {
  const county = await createLocality({ city, level: 'COUNTY', nameZh: `${name}县` });
  expect(county.userErrors).toEqual([]);
  const township = await createLocality({ city, level: 'TOWNSHIP', parentId: county.locality.id, nameZh: `${name}镇` });
  expect(township.userErrors).toEqual([]);
  const village = await createLocality({ city, level: 'VILLAGE', parentId: township.locality.id, nameZh: `${name}村` });
  expect(village.userErrors).toEqual([]);
  return { county: county.locality.id, township: township.locality.id, village: village.locality.id };
}

async function project(input: Record<string, unknown>): Promise<string> {
  const d = await app.data(CREATE_PROJECT, {
    input: { name: '清洁取暖工程', plannedStartDate: '2023-05-01', plannedEndDate: '2023-11-10', status: 'COMPLETED', actualStartDate: '2023-05-01', actualEndDate: '2023-11-10', ...input },
  });
  expect(d.createRetrofitProject.userErrors).toEqual([]);
  return d.createRetrofitProject.retrofitProject.id;
}

describe('counties, townships and villages', () => {
  it('a county lies under its city, a township under a county, a village under a township of the same city', async () => {
    const county = await createLocality({ city: 'shijiazhuang', level: 'COUNTY', nameZh: '平山县', divisionCode: '130131' });
    expect(county.userErrors).toEqual([]);
    expect(county.locality).toMatchObject({ level: 'COUNTY', nameZh: '平山县', divisionCode: '130131', origin: 'RECORDED', city: { slug: 'shijiazhuang' }, parent: null, version: 1 });
    const c = county.locality.id;
    expect(codes(await createLocality({ city: 'shijiazhuang', level: 'TOWNSHIP', nameZh: '西柏坡镇' }))).toEqual(['input.parentId:REQUIRED']);
    expect(codes(await createLocality({ city: 'shijiazhuang', level: 'COUNTY', parentId: c, nameZh: '又一县' }))).toEqual(['input.parentId:NOT_ALLOWED']);
    expect(codes(await createLocality({ city: 'shijiazhuang', level: 'VILLAGE', parentId: c, nameZh: '北庄村' }))).toEqual(['input.parentId:NOT_ALLOWED']);
    expect(codes(await createLocality({ city: 'baoding', level: 'TOWNSHIP', parentId: c, nameZh: '西柏坡镇' }))).toEqual(['input.parentId:NOT_FOUND']);
    expect(codes(await createLocality({ city: 'shijiazhuang', level: 'TOWNSHIP', parentId: c, nameZh: '西柏坡镇', divisionCode: '130131' }))).toEqual(['input.divisionCode:INVALID']);
    const township = await createLocality({ city: 'shijiazhuang', level: 'TOWNSHIP', parentId: c, nameZh: '西柏坡镇', divisionCode: '130131104' });
    expect(township.userErrors).toEqual([]);
    expect(codes(await createLocality({ city: 'shijiazhuang', level: 'TOWNSHIP', parentId: c, nameZh: '西柏坡镇' }))).toEqual(['input.nameZh:TAKEN']);
    const village = await createLocality({ city: 'shijiazhuang', level: 'VILLAGE', parentId: township.locality.id, nameZh: '北庄村' });
    expect(village.locality).toMatchObject({ level: 'VILLAGE', parent: { id: township.locality.id, level: 'TOWNSHIP', nameZh: '西柏坡镇' } });
    expect(await app.sql(`select count(*)::int as n from locality where name_zh in ('又一县')`)).toEqual([{ n: 0 }]);

    const tree = await app.data(`query($id: ID!) { locality(id: $id) { nameZh children { nameZh children { nameZh level } } } }`, { id: c });
    expect(tree.locality).toEqual({ nameZh: '平山县', children: [{ nameZh: '西柏坡镇', children: [{ nameZh: '北庄村', level: 'VILLAGE' }] }] });
    const list = await app.data(`{ localities(filter: { city: "shijiazhuang", levels: [VILLAGE, TOWNSHIP] }, orderBy: { field: NAME_ZH }) { totalCount nodes { nameZh } } }`);
    expect(list.localities.nodes.map((n: any) => n.nameZh)).toEqual(['北庄村', '西柏坡镇']);
    expect((await app.data(`query($p: ID!) { localities(filter: { parentId: $p }) { totalCount } }`, { p: c })).localities.totalCount).toBe(1);

    const renamed = await app.data(UPDATE_LOCALITY, { input: { id: village.locality.id, nameZh: '北庄村社区', version: 1 } });
    expect(renamed.updateLocality.locality).toMatchObject({ nameZh: '北庄村社区', version: 2 });
    expect(codes((await app.data(UPDATE_LOCALITY, { input: { id: village.locality.id, nameZh: '又改', version: 1 } })).updateLocality)).toEqual(['input.version:CONFLICT']);
  });

  it('a CITY key sees and changes only its city\'s places', async () => {
    const { county } = await villageIn('xingtai', '临城');
    const key = await app.createKey({ role: 'CITY', city: 'handan' });
    const client = app.as(key.secret);
    expect((await client.data(`{ localities(filter: { city: "xingtai" }) { totalCount } }`)).localities.totalCount).toBe(0);
    const other = await client.gql(`query($id: ID!) { locality(id: $id) { id } }`, { id: county });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const refused = await client.gql(CREATE_LOCALITY, { input: { city: 'xingtai', level: 'COUNTY', nameZh: '越权县' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(codes((await client.data(UPDATE_LOCALITY, { input: { id: county, nameZh: '越权' } })).updateLocality)).toEqual(['input.id:NOT_FOUND']);
    expect(codes(await createLocality({ city: 'handan', level: 'TOWNSHIP', parentId: county, nameZh: '越权镇' }, client))).toEqual(['input.parentId:NOT_FOUND']);
    expect((await createLocality({ city: 'handan', level: 'COUNTY', nameZh: '涉县' }, client)).userErrors).toEqual([]);
    expect((await client.data(`{ localities { totalCount nodes { city { slug } } } }`)).localities.nodes.map((n: any) => n.city.slug)).toEqual(['handan']);
    expect(await app.sql(`select count(*)::int as n from locality where name_zh like '越权%'`)).toEqual([{ n: 0 }]);
    const anonymous = await app.anonymous.gql(`{ localities { totalCount } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('build before break (先立后破、不立不破)', () => {
  let village: string;
  beforeAll(async () => {
    village = (await villageIn('baoding', '满城')).village;
  });
  const base = () => ({ villageId: village, households: 120, newSystem: 'GAS', convertedOn: '2023-10-10' });

  it('refuses removing the old heating before stable supply and a completed heating season, and passes after', async () => {
    expect(codes(await create({ ...base(), supplyStable: false, oldHeatingRemovedOn: '2024-04-01' }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    expect(codes(await create({ ...base(), supplyStable: true, oldHeatingRemovedOn: '2024-04-01' }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    expect(codes(await create({ ...base(), supplyStable: true, firstSeasonCompletedOn: '2024-03-15', oldHeatingRemovedOn: '2024-03-01' }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    // Baoding's 2023-2024 heating season ends on 2024-03-15: a season is not completed in January.
    expect(codes(await create({ ...base(), supplyStable: true, firstSeasonCompletedOn: '2024-01-10' }))).toEqual(['input.firstSeasonCompletedOn:INVALID_DATE']);
    expect(codes(await create({ ...base(), convertedOn: '2099-01-01' }))).toEqual(['input.convertedOn:INVALID_DATE']);
    expect(codes(await create({ ...base(), households: 0 }))).toEqual(['input.households:OUT_OF_RANGE']);
    expect(await app.sql(`select count(*)::int as n from household_conversion`)).toEqual([{ n: 0 }]);

    const ok = await create({ ...base(), supplyStable: true, firstSeasonCompletedOn: '2024-03-15', oldHeatingRemovedOn: '2024-04-01' });
    expect(ok.userErrors).toEqual([]);
    expect(ok.householdConversion).toMatchObject({ households: 120, newSystem: 'GAS', supplyStable: true, firstSeasonCompletedOn: '2024-03-15', oldHeatingRemovedOn: '2024-04-01', origin: 'RECORDED', city: { slug: 'baoding' }, version: 1 });
  });

  it('holds on every update: the old heating goes last, and stays gone only with stable supply', async () => {
    const c = (await create({ ...base(), households: 40 })).householdConversion;
    expect(codes(await update({ id: c.id, oldHeatingRemovedOn: '2024-04-01' }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    expect(codes(await update({ id: c.id, supplyStable: true, oldHeatingRemovedOn: '2024-04-01' }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    const stable = await update({ id: c.id, supplyStable: true, firstSeasonCompletedOn: '2024-03-20', version: 1 });
    expect(stable.householdConversion).toMatchObject({ supplyStable: true, firstSeasonCompletedOn: '2024-03-20', version: 2 });
    const removed = await update({ id: c.id, oldHeatingRemovedOn: '2024-03-25' });
    expect(removed.householdConversion).toMatchObject({ oldHeatingRemovedOn: '2024-03-25', version: 3 });
    expect(codes(await update({ id: c.id, supplyStable: false }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    expect(codes(await update({ id: c.id, firstSeasonCompletedOn: null }))).toEqual(['input.oldHeatingRemovedOn:BUILD_BEFORE_BREAK']);
    expect(codes(await update({ id: c.id, households: 41, version: 2 }))).toEqual(['input.version:CONFLICT']);
    const [row] = await app.sql(`select supply_stable, to_char(first_season_completed_on, 'YYYY-MM-DD') as completed, version from household_conversion where id = ?`, [c.id]);
    expect(row).toEqual({ supply_stable: true, completed: '2024-03-20', version: 3 });
  });

  it('is also a constraint of the table', async () => {
    await expect(
      app.sql(`insert into household_conversion (city_id, village_id, households, new_system, converted_on, supply_stable, old_heating_removed_on, origin, created_by, updated_by)
               select city_id, id, 1, 'GAS', '2023-10-01', false, '2024-04-01', 'RECORDED', 'x', 'x' from locality where id = ?`, [village]),
    ).rejects.toThrow(/check constraint/);
  });

  it('a conversion is recorded by village, through a clean-heating project of its city and of its system', async () => {
    const townships = await app.sql<{ id: number }>(`select parent_id as id from locality where id = ?`, [village]);
    expect(codes(await create({ ...base(), villageId: String(townships[0].id) }))).toEqual(['input.villageId:NOT_ALLOWED']);
    const electric = await project({ city: 'baoding', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', households: 100 });
    const elsewhere = await project({ city: 'jinan', type: 'CLEAN_HEATING_COAL_TO_GAS', households: 100 });
    expect(codes(await create({ ...base(), projectId: electric }))).toEqual(['input.projectId:NOT_ALLOWED']);
    expect(codes(await create({ ...base(), projectId: elsewhere }))).toEqual(['input.projectId:NOT_ALLOWED']);
    expect(codes(await create({ ...base(), projectId: '999999' }))).toEqual(['input.projectId:NOT_FOUND']);
    const ok = await create({ ...base(), newSystem: 'ELECTRICITY', projectId: electric });
    expect(ok.householdConversion.project).toEqual({ id: electric });
    const listed = await app.data(`query($id: ID!) { retrofitProject(id: $id) { householdConversions { id households } } }`, { id: electric });
    expect(listed.retrofitProject.householdConversions).toEqual([{ id: ok.householdConversion.id, households: 120 }]);
    const missing = await app.gql(`query($id: ID!) { householdConversion(id: $id) { id } }`, { id: '999999' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('reading and exporting the conversion list', () => {
  it('filters by locality (village, township or county), system and removal; a CITY key reads its city; the export has the same rows', async () => {
    const a = await villageIn('cangzhou', '献县');
    const b = await villageIn('cangzhou', '泊头');
    await create({ villageId: a.village, households: 10, newSystem: 'GAS', convertedOn: '2023-09-01' });
    await create({ villageId: a.village, households: 20, newSystem: 'ELECTRICITY', convertedOn: '2023-09-02', supplyStable: true, firstSeasonCompletedOn: '2024-03-15', oldHeatingRemovedOn: '2024-03-16' });
    await create({ villageId: b.village, households: 30, newSystem: 'OTHER', convertedOn: '2023-09-03' });
    const q = `query($f: HouseholdConversionFilter) { householdConversions(filter: $f, orderBy: { field: HOUSEHOLDS, direction: DESC }) { totalCount nodes { households village { nameZh } } } }`;
    const n = async (f: Record<string, unknown>) => (await app.data(q, { f })).householdConversions.nodes.map((x: any) => x.households);
    expect(await n({ city: 'cangzhou' })).toEqual([30, 20, 10]);
    expect(await n({ localityId: a.county })).toEqual([20, 10]);
    expect(await n({ localityId: a.township })).toEqual([20, 10]);
    expect(await n({ localityId: b.village })).toEqual([30]);
    expect(await n({ city: 'cangzhou', newSystems: ['GAS', 'OTHER'] })).toEqual([30, 10]);
    expect(await n({ city: 'cangzhou', oldHeatingRemoved: true })).toEqual([20]);
    expect(await n({ city: 'cangzhou', convertedFrom: '2023-09-02', convertedTo: '2023-09-02' })).toEqual([20]);

    const key = await app.createKey({ role: 'CITY', city: 'cangzhou' });
    const other = await app.createKey({ role: 'CITY', city: 'tangshan' });
    expect((await app.as(key.secret).data(`{ householdConversions { totalCount } }`)).householdConversions.totalCount).toBe(3);
    expect((await app.as(other.secret).data(`{ householdConversions { totalCount } }`)).householdConversions.totalCount).toBe(0);
    const refused = await app.as(other.secret).gql(CREATE, { input: { villageId: a.village, households: 1, newSystem: 'GAS', convertedOn: '2023-09-01' } });
    expect(refused.data?.createHouseholdConversion.userErrors.map((e: any) => e.code) ?? refused.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect((await app.anonymous.gql(`{ householdConversions { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const base = app.url.replace(/\/graphql$/, '');
    const csv = async (token: string) => {
      const res = await fetch(`${base}/exports/household-conversions.csv?filter=${encodeURIComponent(JSON.stringify({ province: 'hebei' }))}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(','));
    };
    const [header, ...rows] = await csv(app.ministryToken);
    const listed = (await app.data(`{ householdConversions(filter: { province: "hebei" }, first: 500) { nodes { id households } } }`)).householdConversions.nodes;
    expect(rows.map((r) => [r[header.indexOf('id')], Number(r[header.indexOf('households')])])).toEqual(listed.map((x: any) => [x.id, x.households]));
    expect(rows.filter((r) => r[header.indexOf('city')] === 'cangzhou').map((r) => [r[header.indexOf('county')], r[header.indexOf('township')], r[header.indexOf('village')]])).toContainEqual(['献县县', '献县镇', '献县村']);
    const [, ...theirs] = await csv(other.secret);
    expect(theirs).toEqual([]);
  });
});

describe('COAL_HOUSEHOLDS counts conversions by each city\'s heating-season start', () => {
  const target = async () =>
    (await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS") { quantity progress { achieved percent met countedProjects } breakdown { quantity province { slug } progress { achieved countedProjects } } } }`)).taskTarget;

  it('knows each city\'s heating season', async () => {
    const d = await app.data(`{ taiyuan: city(slug: "taiyuan") { heatingSeason { startsOn endsOn } } beijing: city(slug: "beijing") { heatingSeason(campaign: "2023-2024-autumn-winter") { startsOn endsOn } } }`);
    expect(d).toEqual({ taiyuan: { heatingSeason: { startsOn: '2023-11-01', endsOn: '2024-03-31' } }, beijing: { heatingSeason: { startsOn: '2023-11-15', endsOn: '2024-03-15' } } });
  });

  it('counts households in use by their city\'s start (Taiyuan 1 November, Beijing 15 November), of projects that count, and the breakdown adds up', async () => {
    const before = await target();
    expect(before.progress.achieved).toBe(0);
    const bj = (await villageIn('beijing', '延庆')).village;
    const ty = (await villageIn('taiyuan', '清徐')).village;
    const jn = (await villageIn('jinan', '章丘')).village;
    // Declared households (10,000 each) do not count: the conversions do.
    const pb = await project({ city: 'beijing', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 10000 });
    const pt = await project({ city: 'taiyuan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 10000 });
    const late = await project({ city: 'jinan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 10000, actualEndDate: '2023-11-20' });
    const add = async (villageId: string, projectId: string | null, households: number, convertedOn: string) =>
      expect((await create({ villageId, projectId, households, newSystem: 'GAS', convertedOn })).userErrors).toEqual([]);
    await add(bj, pb, 600, '2023-10-20'); // counts
    await add(bj, pb, 300, '2023-11-15'); // counts: on Beijing's start
    await add(bj, pb, 100, '2023-11-16'); // after Beijing's start
    await add(bj, pb, 50, '2022-10-01'); // a conversion of the season before
    await add(bj, null, 70, '2023-10-01'); // no project
    await add(ty, pt, 500, '2023-10-31'); // counts
    await add(ty, pt, 200, '2023-11-05'); // after Taiyuan's start (it would count in Beijing)
    await add(jn, late, 400, '2023-10-01'); // its project ended after the deadline: does not count

    const t = await target();
    expect(t.progress).toEqual({ achieved: 1400, percent: 0.18, met: false, countedProjects: 2 });
    const by = Object.fromEntries(t.breakdown.map((b: any) => [b.province.slug, [b.quantity, b.progress.achieved]]));
    expect(by).toEqual({ beijing: [20000, 900], shanxi: [77000, 500], shandong: [452000, 0], henan: [238000, 0] });
    // The plan's breakdown still holds exactly, and the shares' figures add up to the target's.
    expect(t.breakdown.reduce((s: number, b: any) => s + b.quantity, 0)).toBe(787000);
    expect(t.quantity).toBe(787000);
    expect(t.breakdown.reduce((s: number, b: any) => s + b.progress.achieved, 0)).toBe(t.progress.achieved);

    // Plain SQL over the fixture: the window of each city's season of the target's campaign.
    const [plain] = await app.sql<{ n: number }>(
      `select coalesce(sum(hc.households), 0)::int as n
         from household_conversion hc
         join retrofit_project p on p.id = hc.project_id
         join task_target t on t.id = p.task_target_id and t.code = 'COAL_HOUSEHOLDS'
         join heating_season hs on hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id
        where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline
          and hc.converted_on <= hs.starts_on and hc.converted_on > hs.starts_on - 365`,
    );
    expect(plain.n).toBe(t.progress.achieved);

    // Moving Taiyuan's late batch before its start makes it count; the scorecard and export follow.
    const [late200] = await app.sql<{ id: number }>(`select id from household_conversion where households = 200 and city_id = (select id from city where slug = 'taiyuan')`);
    expect((await update({ id: String(late200.id), convertedOn: '2023-11-01' })).userErrors).toEqual([]);
    expect((await target()).progress.achieved).toBe(1600);
  });
});
