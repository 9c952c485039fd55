/**
 * The agricultural coal facility list (农业散煤设施清单), the high-pollution-fuel ban zones
 * (禁燃区) and the provinces' submissions (报送): each rule refused once and passing once, a CITY
 * key kept to its city, a submission's snapshot frozen (the same after the ledger changes, and
 * equal to plain SQL at filing), who filed it and when, ON_TIME / LATE / MISSING per province.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const CAMPAIGN = '2023-2024-autumn-winter';
const FACILITY = 'id version name kind status replacedBy replacedOn origin city { slug } village { id } project { id }';
const ZONE = 'id version name areaKm2 designatedOn origin city { slug }';
const SUBMISSION = 'id kind deadline filedAt filedBy filedByName note snapshot origin province { slug } campaign { code }';
const CREATE_FACILITY = `mutation($input: CreateAgriculturalCoalFacilityInput!) { createAgriculturalCoalFacility(input: $input) { agriculturalCoalFacility { ${FACILITY} } userErrors { field code message } } }`;
const UPDATE_FACILITY = `mutation($input: UpdateAgriculturalCoalFacilityInput!) { updateAgriculturalCoalFacility(input: $input) { agriculturalCoalFacility { ${FACILITY} } userErrors { field code message } } }`;
const CREATE_ZONE = `mutation($input: CreateBanZoneInput!) { createBanZone(input: $input) { banZone { ${ZONE} } userErrors { field code message } } }`;
const UPDATE_ZONE = `mutation($input: UpdateBanZoneInput!) { updateBanZone(input: $input) { banZone { ${ZONE} } userErrors { field code message } } }`;
const FILE = `mutation($input: FileSubmissionInput!) { fileSubmission(input: $input) { submission { ${SUBMISSION} } userErrors { field code message } } }`;
const CREATE_PROJECT = `mutation($input: CreateRetrofitProjectInput!) { createRetrofitProject(input: $input) { retrofitProject { id } userErrors { field code message } } }`;

const codes = (r: { userErrors: { field: string[]; code: string }[] }) => r.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
const facility = async (input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app) => (await client.data(CREATE_FACILITY, { input: { city: 'liaocheng', name: '1号温室', kind: 'GREENHOUSE', ...input } })).createAgriculturalCoalFacility;
const zone = async (input: Record<string, unknown>, client: Pick<TestApp, 'data'> = app) => (await client.data(CREATE_ZONE, { input: { city: 'liaocheng', name: '主城区禁燃区', areaKm2: 120.5, designatedOn: '2023-10-01', ...input } })).createBanZone;

async function project(input: Record<string, unknown>): Promise<string> {
  const d = await app.data(CREATE_PROJECT, {
    input: { name: '农业用煤替代', plannedStartDate: '2023-05-01', plannedEndDate: '2023-11-30', status: 'COMPLETED', actualStartDate: '2023-05-01', actualEndDate: '2023-11-30', units: 5, ...input },
  });
  expect(d.createRetrofitProject.userErrors).toEqual([]);
  return d.createRetrofitProject.retrofitProject.id;
}

describe('agricultural coal facilities', () => {
  it('a replaced facility names the day and the energy, through an agricultural project of its city', async () => {
    expect(codes(await facility({ status: 'REPLACED' }))).toEqual(['input.replacedOn:REQUIRED', 'input.replacedBy:REQUIRED']);
    expect(codes(await facility({ status: 'REPLACED', replacedBy: 'ELECTRICITY', replacedOn: '2099-01-01' }))).toEqual(['input.replacedOn:INVALID_DATE']);
    expect(codes(await facility({ replacedOn: '2023-10-01' }))).toEqual(['input.replacedOn:NOT_ALLOWED']);
    const heating = await project({ city: 'liaocheng', type: 'CLEAN_HEATING_COAL_TO_GAS', households: 10, units: 0 });
    const elsewhere = await project({ city: 'dezhou', type: 'AGRICULTURAL_COAL_REPLACEMENT' });
    expect(codes(await facility({ projectId: heating }))).toEqual(['input.projectId:NOT_ALLOWED']);
    expect(codes(await facility({ projectId: elsewhere }))).toEqual(['input.projectId:NOT_ALLOWED']);
    expect(await app.sql(`select count(*)::int as n from agricultural_coal_facility`)).toEqual([{ n: 0 }]);

    const p = await project({ city: 'liaocheng', type: 'AGRICULTURAL_COAL_REPLACEMENT', taskTarget: 'AGRI_COAL_FACILITIES' });
    const coal = await facility({ projectId: p });
    expect(coal.userErrors).toEqual([]);
    expect(coal.agriculturalCoalFacility).toMatchObject({ status: 'COAL', replacedOn: null, origin: 'RECORDED', city: { slug: 'liaocheng' }, project: { id: p }, version: 1 });
    const replaced = (await app.data(UPDATE_FACILITY, { input: { id: coal.agriculturalCoalFacility.id, version: 1, status: 'REPLACED', replacedBy: 'ELECTRICITY', replacedOn: '2023-11-20' } })).updateAgriculturalCoalFacility;
    expect(replaced.agriculturalCoalFacility).toMatchObject({ status: 'REPLACED', replacedBy: 'ELECTRICITY', replacedOn: '2023-11-20', version: 2 });
    expect(codes((await app.data(UPDATE_FACILITY, { input: { id: coal.agriculturalCoalFacility.id, version: 1, name: 'x' } })).updateAgriculturalCoalFacility)).toEqual(['input.version:CONFLICT']);
    expect(codes((await app.data(UPDATE_FACILITY, { input: { id: coal.agriculturalCoalFacility.id, status: 'COAL' } })).updateAgriculturalCoalFacility)).toEqual([
      'input.replacedOn:NOT_ALLOWED',
      'input.replacedBy:NOT_ALLOWED',
    ]);
    const list = await app.data(`{ agriculturalCoalFacilities(filter: { city: "liaocheng", statuses: [REPLACED] }) { totalCount nodes { id } } }`);
    expect(list.agriculturalCoalFacilities.nodes).toEqual([{ id: coal.agriculturalCoalFacility.id }]);
  });

  it('a CITY key reads and writes only its city\'s facilities; anonymous callers none', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'dezhou' });
    const client = app.as(key.secret);
    expect((await client.data(`{ agriculturalCoalFacilities { totalCount } }`)).agriculturalCoalFacilities.totalCount).toBe(0);
    const refused = await client.gql(CREATE_FACILITY, { input: { city: 'liaocheng', name: '越权', kind: 'OTHER' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await facility({ city: 'dezhou', name: '本市烘干塔', kind: 'GRAIN_DRYER' }, client)).userErrors).toEqual([]);
    expect((await client.data(`{ agriculturalCoalFacilities { nodes { city { slug } } } }`)).agriculturalCoalFacilities.nodes).toEqual([{ city: { slug: 'dezhou' } }]);
    expect((await app.anonymous.gql(`{ agriculturalCoalFacilities { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('AGRI_COAL_FACILITIES counts the replaced facilities of the list', () => {
  const progress = async () =>
    (await app.data(`{ taskTarget(code: "AGRI_COAL_FACILITIES") { quantity deadline progress { achieved percent met countedProjects } } }`)).taskTarget;

  it('counts facilities replaced by the deadline through counting projects, as plain SQL does, against the plan\'s 8,892', async () => {
    const before = await progress();
    expect(before).toMatchObject({ quantity: 8892, deadline: '2023-12-31' });
    // A completed project declaring 40 units names 4 facilities: 2 replaced by 2023-12-31, 1 after it, 1 still on coal.
    const p = await project({ city: 'dezhou', type: 'AGRICULTURAL_COAL_REPLACEMENT', taskTarget: 'AGRI_COAL_FACILITIES', units: 40 });
    for (const input of [
      { status: 'REPLACED', replacedBy: 'ELECTRICITY', replacedOn: '2023-10-15' },
      { status: 'REPLACED', replacedBy: 'GAS', replacedOn: '2023-12-31' },
      { status: 'REPLACED', replacedBy: 'GAS', replacedOn: '2024-01-05' },
      {},
    ]) {
      expect((await facility({ city: 'dezhou', projectId: p, ...input })).userErrors).toEqual([]);
    }
    // A replaced facility without a project counts toward nothing.
    expect((await facility({ city: 'dezhou', status: 'REPLACED', replacedBy: 'OTHER', replacedOn: '2023-11-01' })).userErrors).toEqual([]);
    const after = await progress();
    expect(after.progress.achieved).toBe(before.progress.achieved + 2);
    expect(after.progress.countedProjects).toBe(before.progress.countedProjects + 1);

    const [plain] = await app.sql<{ n: number }>(
      `select count(a.id)::int as n
         from task_target t
         join retrofit_project p on p.task_target_id = t.id and p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline
         join agricultural_coal_facility a on a.project_id = p.id and a.city_id = p.city_id and a.status = 'REPLACED' and a.replaced_on <= t.deadline
        where t.code = 'AGRI_COAL_FACILITIES'`,
    );
    expect(after.progress).toEqual({
      achieved: plain.n,
      percent: Math.round((plain.n / 8892) * 10000) / 100,
      met: false,
      countedProjects: after.progress.countedProjects,
    });
    // The projects declare far more units than the facilities they replaced: the declared figure is not what counts.
    const [declared] = await app.sql<{ n: number }>(`select coalesce(sum(p.units), 0)::int as n from retrofit_project p join task_target t on t.id = p.task_target_id where t.code = 'AGRI_COAL_FACILITIES'`);
    expect(declared.n).toBeGreaterThan(plain.n);
  });
});

describe('ban zones (禁燃区)', () => {
  it('has an area and a designation day; refused outside the range or in the future', async () => {
    expect(codes(await zone({ areaKm2: 0 }))).toEqual(['input.areaKm2:OUT_OF_RANGE']);
    expect(codes(await zone({ areaKm2: 100001 }))).toEqual(['input.areaKm2:OUT_OF_RANGE']);
    expect(codes(await zone({ designatedOn: '2099-01-01' }))).toEqual(['input.designatedOn:INVALID_DATE']);
    expect(codes(await zone({ name: ' ' }))).toEqual(['input.name:OUT_OF_RANGE']);
    const z = await zone({});
    expect(z.banZone).toMatchObject({ name: '主城区禁燃区', areaKm2: 120.5, designatedOn: '2023-10-01', origin: 'RECORDED', city: { slug: 'liaocheng' }, version: 1 });
    const bigger = (await app.data(UPDATE_ZONE, { input: { id: z.banZone.id, version: 1, areaKm2: 150.25 } })).updateBanZone;
    expect(bigger.banZone).toMatchObject({ areaKm2: 150.25, version: 2 });
    expect(codes((await app.data(UPDATE_ZONE, { input: { id: z.banZone.id, areaKm2: null } })).updateBanZone)).toEqual(['input.areaKm2:REQUIRED']);
    const other = await app.createKey({ role: 'CITY', city: 'dezhou' });
    expect(codes((await app.as(other.secret).data(UPDATE_ZONE, { input: { id: z.banZone.id, areaKm2: 1 } })).updateBanZone)).toEqual(['input.id:NOT_FOUND']);
    const listed = await app.data(`{ banZones(filter: { province: "shandong", designatedBy: "2023-12-31" }, orderBy: { field: AREA_KM2, direction: DESC }) { totalCount nodes { areaKm2 } } }`);
    expect(listed.banZones).toEqual({ totalCount: 1, nodes: [{ areaKm2: 150.25 }] });
  });
});

describe('submissions (报送)', () => {
  let shandong: string;
  beforeAll(async () => {
    shandong = (await app.createKey({ role: 'PROVINCE', province: 'shandong', name: '山东省生态环境厅' })).secret;
  });

  it('only a PROVINCE key of the province files; the snapshot holds the figures at filing, equal to plain SQL', async () => {
    const ministry = await app.gql(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES' } });
    expect(ministry.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const henan = await app.createKey({ role: 'PROVINCE', province: 'henan' });
    expect((await app.as(henan.secret).gql(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const city = await app.createKey({ role: 'CITY', city: 'liaocheng' });
    expect((await app.as(city.secret).gql(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const long = await app.as(shandong).gql(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES', note: 'x'.repeat(4001) } });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note', reason: 'OUT_OF_RANGE' });
    expect(await app.sql(`select count(*)::int as n from submission`)).toEqual([{ n: 0 }]);

    const filed = (await app.as(shandong).data(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES', note: '禁燃区划定情况' } })).fileSubmission;
    expect(filed.userErrors).toEqual([]);
    const s = filed.submission;
    expect(s).toMatchObject({ kind: 'BAN_ZONES', deadline: '2023-12-31', filedByName: '山东省生态环境厅', note: '禁燃区划定情况', origin: 'RECORDED', province: { slug: 'shandong' }, campaign: { code: CAMPAIGN } });
    expect(s.filedBy).toMatch(/^key:\d+$/);
    const [plain] = await app.sql<{ zones: number; area: number }>(
      `select count(*)::int as zones, coalesce(sum(z.area_km2), 0)::float8 as area from ban_zone z join city c on c.id = z.city_id join province p on p.id = c.province_id where p.slug = 'shandong'`,
    );
    expect(s.snapshot).toMatchObject({ province: 'shandong', campaign: CAMPAIGN, figures: { zones: plain.zones, areaKm2: plain.area, lastDesignatedOn: '2023-10-01' } });
    expect(plain).toEqual({ zones: 1, area: 150.25 });

    // The ledger changes; the submission does not.
    expect((await zone({ name: '扩展区', areaKm2: 49.75 })).userErrors).toEqual([]);
    const again = await app.data(`query($id: ID!) { submission(id: $id) { ${SUBMISSION} } }`, { id: s.id });
    expect(again.submission).toEqual(s);
    await expect(app.sql(`update submission set note = 'changed' where id = ?`, [Number(s.id)])).rejects.toThrow(/frozen/);
    // Filing again freezes the new figures in a new submission.
    const second = (await app.as(shandong).data(FILE, { input: { province: 'shandong', kind: 'BAN_ZONES' } })).fileSubmission.submission;
    expect(second.snapshot.figures).toMatchObject({ zones: 2, areaKm2: 200 });
    const listed = await app.data(`{ submissions(filter: { province: "shandong", kinds: [BAN_ZONES] }) { totalCount nodes { id } } }`);
    expect(listed.submissions).toEqual({ totalCount: 2, nodes: [{ id: second.id }, { id: s.id }] });
    expect((await app.anonymous.gql(`{ submissions { totalCount } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('snapshots the village conversion list with the province\'s COAL_HOUSEHOLDS share, and the combustion units', async () => {
    const county = (await app.data(`mutation { createLocality(input: { city: "liaocheng", level: COUNTY, nameZh: "茌平区" }) { locality { id } } }`)).createLocality.locality.id;
    const town = (await app.data(`mutation($p: ID) { createLocality(input: { city: "liaocheng", level: TOWNSHIP, parentId: $p, nameZh: "博平镇" }) { locality { id } } }`, { p: county })).createLocality.locality.id;
    const village = (await app.data(`mutation($p: ID) { createLocality(input: { city: "liaocheng", level: VILLAGE, parentId: $p, nameZh: "东关村" }) { locality { id } } }`, { p: town })).createLocality.locality.id;
    const p = await project({ city: 'liaocheng', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 500, units: 0, actualEndDate: '2023-11-10' });
    for (const [households, convertedOn] of [[300, '2023-10-01'], [80, '2023-11-20']] as const) {
      const c = await app.data(`mutation($input: CreateHouseholdConversionInput!) { createHouseholdConversion(input: $input) { userErrors { code } } }`, { input: { villageId: village, projectId: p, households, newSystem: 'GAS', convertedOn } });
      expect(c.createHouseholdConversion.userErrors).toEqual([]);
    }
    const s = (await app.as(shandong).data(FILE, { input: { province: 'shandong', kind: 'VILLAGE_CONVERSIONS', campaign: CAMPAIGN } })).fileSubmission.submission;
    const share = (await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS") { breakdown { province { slug } progress { achieved } } } }`)).taskTarget.breakdown.find((b: any) => b.province.slug === 'shandong');
    expect(s.snapshot.figures).toEqual({ conversions: 2, households: 380, villages: 1, householdsOldHeatingRemoved: 0, householdsCountingTowardTarget: 300 });
    expect(share.progress.achieved).toBe(300);

    const summary = (await app.as(shandong).data(FILE, { input: { province: 'shandong', kind: 'CAMPAIGN_SUMMARY' } })).fileSubmission.submission;
    expect(summary.deadline).toBe('2024-04-15');
    const [units] = await app.sql<{ n: number }>(`select count(*)::int as n from combustion_unit u join city c on c.id = u.city_id join province p on p.id = c.province_id where p.slug = 'shandong'`);
    const [facilities] = await app.sql<{ n: number; replaced: number }>(
      `select count(*)::int as n, (count(*) filter (where status = 'REPLACED'))::int as replaced from agricultural_coal_facility a join city c on c.id = a.city_id join province p on p.id = c.province_id where p.slug = 'shandong'`,
    );
    expect(summary.snapshot.figures).toMatchObject({
      combustionUnits: { units: units.n },
      villageConversions: { households: 380, householdsCountingTowardTarget: 300 },
      banZones: { zones: 2, areaKm2: 200 },
      agriculturalCoalFacilities: { facilities: facilities.n, replaced: facilities.replaced },
    });
  });

  it('computes ON_TIME, LATE and MISSING per province in SQL, from the first filing (days in China)', async () => {
    const statuses = async () => (await app.data(`{ submissionStatuses(campaign: "${CAMPAIGN}") { province { slug } kind deadline status firstFiledAt latest { id } } }`)).submissionStatuses;
    const all = await statuses();
    const provinces = (await app.sql<{ n: number }>(`select count(distinct province_id)::int as n from city`))[0].n;
    expect(all).toHaveLength(provinces * 4);
    // Filed today (after the plan's deadlines): LATE.
    const of = (rows: any[], province: string, kind: string) => rows.find((r) => r.province.slug === province && r.kind === kind);
    expect(of(all, 'shandong', 'BAN_ZONES')).toMatchObject({ deadline: '2023-12-31', status: 'LATE' });
    expect(of(all, 'henan', 'BAN_ZONES')).toMatchObject({ status: 'MISSING', firstFiledAt: null, latest: null });
    // A filing at 23:30 on the deadline in China (15:30 UTC) is on time; half an hour later is late.
    const [{ id: first }] = await app.sql<{ id: number }>(`select min(id) as id from submission where kind = 'BAN_ZONES'`);
    await app.sql(`alter table submission disable trigger submission_frozen`);
    await app.sql(`update submission set filed_at = '2023-12-31T15:30:00Z' where id = ?`, [first]);
    await app.sql(`update submission set filed_at = '2024-04-15T16:00:00Z' where kind = 'CAMPAIGN_SUMMARY'`);
    await app.sql(`alter table submission enable trigger submission_frozen`);
    const after = await statuses();
    expect(of(after, 'shandong', 'BAN_ZONES')).toMatchObject({ status: 'ON_TIME', firstFiledAt: '2023-12-31T15:30:00.000Z' });
    expect(of(after, 'shandong', 'CAMPAIGN_SUMMARY')).toMatchObject({ status: 'LATE' });
    expect(of(after, 'shandong', 'COMBUSTION_UNITS')).toMatchObject({ status: 'MISSING' });
    // Plain SQL over the same rows.
    const plain = await app.sql<{ slug: string; kind: string; status: string }>(
      `select p.slug, s.kind, case when min(s.filed_at) is null then 'MISSING' when min(s.filed_at) < (s.deadline + 1)::timestamp at time zone 'Asia/Shanghai' then 'ON_TIME' else 'LATE' end as status
         from submission s join province p on p.id = s.province_id group by p.slug, s.kind, s.deadline order by 1, 2`,
    );
    expect(plain.map((r) => [r.slug, r.kind, r.status])).toEqual(
      after.filter((r: any) => r.status !== 'MISSING').map((r: any) => [r.province.slug, r.kind, r.status]).sort((a: string[], b: string[]) => (a.join() < b.join() ? -1 : 1)),
    );
  });
});
