import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const CAMPAIGN = '2023-2024-autumn-winter';

let enterpriseSerial = 0;
/** Inserts an enterprise straight into the table; `publicisedOn`: its ultra-low-emission assessment publicised that day. */
async function insertEnterprise(city: string, industry: string, publicisedOn: string | null = null): Promise<string> {
  enterpriseSerial++;
  const [row] = await app.sql<{ id: number }>(
    `insert into enterprise (city_id, name, credit_code, industry, size, origin, created_by, updated_by, ultra_low_emission_status, ultra_low_emission_publicised_on)
     select id, ?, ?, ?, 'LARGE', 'RECORDED', 'test', 'test', ?, ?::date from city where slug = ? returning id`,
    [`测试企业${enterpriseSerial}`, `91${String(700 + enterpriseSerial).padStart(16, '0')}`, industry, publicisedOn ? 'ASSESSED_AND_PUBLICISED' : 'NOT_STARTED', publicisedOn, city],
  );
  return String(row.id);
}

const CREATE = `mutation($input: CreateRetrofitProjectInput!) {
  createRetrofitProject(input: $input) { retrofitProject { id status } userErrors { field code message } }
}`;
const UPDATE = `mutation($input: UpdateRetrofitProjectInput!) {
  updateRetrofitProject(input: $input) { retrofitProject { id status } userErrors { field code message } }
}`;

/** Creates a project through the API; fails the test on user errors. */
async function project(input: Record<string, unknown>): Promise<string> {
  const d = await app.data(CREATE, {
    input: { plannedStartDate: '2023-06-01', plannedEndDate: '2023-11-30', name: '测试项目', ...input },
  });
  expect(d.createRetrofitProject.userErrors).toEqual([]);
  return d.createRetrofitProject.retrofitProject.id;
}

const done = (actualStartDate: string, actualEndDate: string) => ({ status: 'COMPLETED', actualStartDate, actualEndDate });

/**
 * A clean-heating project whose households are on the village conversion list (put into use on
 * 2023-10-15, before every city's heating-season start): COAL_HOUSEHOLDS counts the conversions.
 */
async function householdProject(input: Record<string, unknown> & { city: string; households: number; type: string }): Promise<string> {
  const id = await project(input);
  const county = await app.data(`mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id } userErrors { code } } }`, { input: { city: input.city, level: 'COUNTY', nameZh: `县${id}` } });
  const township = await app.data(`mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id } } }`, { input: { city: input.city, level: 'TOWNSHIP', parentId: county.createLocality.locality.id, nameZh: `镇${id}` } });
  const village = await app.data(`mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id } } }`, { input: { city: input.city, level: 'VILLAGE', parentId: township.createLocality.locality.id, nameZh: `村${id}` } });
  const c = await app.data(`mutation($input: CreateHouseholdConversionInput!) { createHouseholdConversion(input: $input) { userErrors { field code } } }`, {
    input: { villageId: village.createLocality.locality.id, projectId: id, households: input.households, newSystem: input.type === 'CLEAN_HEATING_COAL_TO_GAS' ? 'GAS' : 'ELECTRICITY', convertedOn: '2023-10-15' },
  });
  expect(c.createHouseholdConversion.userErrors).toEqual([]);
  return id;
}

const PROGRESS = `progress { achieved percent met countedProjects }`;
async function target(code: string, campaign: string = CAMPAIGN) {
  const d = await app.data(
    `query($code: String!, $campaign: String) { taskTarget(code: $code, campaign: $campaign) {
      code comparator quantity unit deadline ${PROGRESS}
      breakdown { province { slug } city { slug } quantity ${PROGRESS} }
    } }`,
    { code, campaign },
  );
  return d.taskTarget;
}

describe('the plan\'s task targets', () => {
  it('holds the plan\'s 11 task targets exactly, in the plan\'s order', async () => {
    const d = await app.data(`{ taskTargets(filter: { campaign: "${CAMPAIGN}" }) { totalCount nodes {
      code nameZh nameEn comparator quantity unit deadline deadlineNote scope origin
      province { slug } city { slug } campaign { code }
    } } }`);
    expect(d.taskTargets.totalCount).toBe(11);
    const rows = d.taskTargets.nodes.map((t: any) => [t.code, t.comparator, t.quantity, t.unit, t.deadline, t.scope, t.province?.slug ?? null, t.city?.slug ?? null]);
    expect(rows).toEqual([
      ['COAL_HOUSEHOLDS', 'AT_LEAST', 787000, 'household', '2023-11-15', 'CAMPAIGN', null, null],
      ['AGRI_COAL_FACILITIES', 'AT_LEAST', 8892, 'unit', '2023-12-31', 'CAMPAIGN', null, null],
      ['STEEL_ULTRA_LOW_CAPACITY', 'MORE_THAN', 50000000, 'tonne', '2023-12-31', 'CAMPAIGN', null, null],
      ['VOCS_FACILITIES', 'AT_LEAST', 1040, 'enterprise', '2023-12-31', 'CAMPAIGN', null, null],
      ['VOCS_FUGITIVE', 'AT_LEAST', 1217, 'enterprise', '2023-12-31', 'CAMPAIGN', null, null],
      ['VOCS_TANKS_LOADING', 'AT_LEAST', 2963, 'unit', '2023-12-31', 'CAMPAIGN', null, null],
      ['COAL_BOILERS_ELIMINATED', 'AT_LEAST', 55, 'unit', '2023-12-31', 'CAMPAIGN', null, null],
      ['GAS_GENERATORS_ELIMINATED', 'AT_LEAST', 169, 'unit', '2023-12-31', 'CAMPAIGN', null, null],
      ['SHANXI_COKE_OVEN_4_3M_CLOSURE', 'DONE', null, null, '2023-12-31', 'PROVINCE', 'shanxi', null],
      ['SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN', 'DONE', null, null, '2023-12-31', 'PROVINCE', 'shaanxi', null],
      ['TANGSHAN_SHUICAO_RAIL_VOLUME', 'AT_LEAST', 20000000, 'tonne', '2024-03-31', 'CITY', null, 'tangshan'],
    ]);
    for (const t of d.taskTargets.nodes) {
      expect(t.origin).toBe('PLAN');
      expect(t.campaign.code).toBe(CAMPAIGN);
    }
    const coal = d.taskTargets.nodes[0];
    expect(coal.nameZh).toBe('散煤治理（清洁取暖改造）');
    expect(coal.deadlineNote).toContain('heating season');
    const rows2 = await app.sql<{ n: string }>(`select count(*) as n from task_target`);
    expect(Number(rows2[0].n)).toBe(11);
  });

  it('breaks the coal households down by province: 20,000 + 77,000 + 452,000 + 238,000 = 787,000', async () => {
    const t = await target('COAL_HOUSEHOLDS');
    const shares = t.breakdown.map((b: any) => [b.province.slug, b.city, b.quantity]);
    expect(shares).toEqual([
      ['beijing', null, 20000],
      ['shanxi', null, 77000],
      ['shandong', null, 452000],
      ['henan', null, 238000],
    ]);
    expect(shares.reduce((s: number, b: any[]) => s + b[2], 0)).toBe(t.quantity);
    const others = await app.sql<{ n: string }>(`select count(*) as n from task_target_breakdown`);
    expect(Number(others[0].n)).toBe(4);
  });

  it('lists a campaign\'s targets on the campaign', async () => {
    const d = await app.data(`{ campaign(code: "${CAMPAIGN}") { taskTargets { code } } }`);
    expect(d.campaign.taskTargets).toHaveLength(11);
    expect(d.campaign.taskTargets[0].code).toBe('COAL_HOUSEHOLDS');
    expect(d.campaign.taskTargets.at(-1).code).toBe('TANGSHAN_SHUICAO_RAIL_VOLUME');
  });

  it('seeds idempotently: loading the plan again changes nothing', async () => {
    const { seedPlan } = await import('../../packages/api/src/seeders/index.js');
    await seedPlan(app.orm);
    const [t] = await app.sql<{ n: string }>(`select count(*) as n from task_target`);
    const [b] = await app.sql<{ n: string }>(`select count(*) as n from task_target_breakdown`);
    expect([Number(t.n), Number(b.n)]).toEqual([11, 4]);
  });

  it('starts with no progress: nothing counts yet', async () => {
    const coal = await target('COAL_HOUSEHOLDS');
    expect(coal.progress).toEqual({ achieved: 0, percent: 0, met: false, countedProjects: 0 });
    const shanxi = await target('SHANXI_COKE_OVEN_4_3M_CLOSURE');
    expect(shanxi.progress).toEqual({ achieved: 0, percent: null, met: false, countedProjects: 0 });
    expect(shanxi.breakdown).toEqual([]);
  });
});

describe('filters and look-ups', () => {
  it('filters by scope and by province (own targets, cities\' targets and breakdown shares)', async () => {
    const d = await app.data(`{
      province: taskTargets(filter: { scopes: [PROVINCE] }) { nodes { code } }
      city: taskTargets(filter: { scopes: [CITY] }) { nodes { code } }
      both: taskTargets(filter: { scopes: [PROVINCE, CITY] }) { totalCount }
      campaignWide: taskTargets(filter: { scopes: [CAMPAIGN] }) { totalCount }
      shanxi: taskTargets(filter: { province: "shanxi" }) { nodes { code } }
      hebei: taskTargets(filter: { province: "hebei" }) { nodes { code } }
      shaanxi: taskTargets(filter: { province: "shaanxi", scopes: [PROVINCE] }) { nodes { code } }
      tianjin: taskTargets(filter: { province: "tianjin" }) { nodes { code } }
    }`);
    expect(d.province.nodes.map((t: any) => t.code)).toEqual(['SHANXI_COKE_OVEN_4_3M_CLOSURE', 'SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN']);
    expect(d.city.nodes.map((t: any) => t.code)).toEqual(['TANGSHAN_SHUICAO_RAIL_VOLUME']);
    expect(d.both.totalCount).toBe(3);
    expect(d.campaignWide.totalCount).toBe(8);
    expect(d.shanxi.nodes.map((t: any) => t.code)).toEqual(['COAL_HOUSEHOLDS', 'SHANXI_COKE_OVEN_4_3M_CLOSURE']);
    expect(d.hebei.nodes.map((t: any) => t.code)).toEqual(['TANGSHAN_SHUICAO_RAIL_VOLUME']);
    expect(d.shaanxi.nodes.map((t: any) => t.code)).toEqual(['SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN']);
    expect(d.tianjin.nodes).toEqual([]);
  });

  it('sorts by code and deadline and pages with cursors', async () => {
    const d = await app.data(`{
      byCode: taskTargets(orderBy: { field: CODE }) { nodes { code } }
      byDeadline: taskTargets(orderBy: { field: DEADLINE, direction: DESC }) { nodes { code deadline } }
    }`);
    const codes = d.byCode.nodes.map((t: any) => t.code);
    expect(codes).toEqual([...codes].sort());
    expect(d.byDeadline.nodes[0].code).toBe('TANGSHAN_SHUICAO_RAIL_VOLUME');
    expect(d.byDeadline.nodes.at(-1).code).toBe('COAL_HOUSEHOLDS');

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: any = await app.data(`query($after: String) { taskTargets(first: 4, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...p.taskTargets.nodes.map((t: any) => t.code));
      if (!p.taskTargets.pageInfo.hasNextPage) break;
      after = p.taskTargets.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect(seen[0]).toBe('COAL_HOUSEHOLDS');
  });

  it('answers unknown codes, campaigns and provinces with NOT_FOUND naming the field', async () => {
    const unknown = await app.gql(`{ taskTarget(code: "NO_SUCH_TARGET") { code } }`);
    expect(unknown.data?.taskTarget).toBeNull();
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    const campaign = await app.gql(`{ taskTarget(code: "COAL_HOUSEHOLDS", campaign: "1999-2000") { code } }`);
    expect(campaign.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'campaign' });
    const filterCampaign = await app.gql(`{ taskTargets(filter: { campaign: "1999-2000" }) { totalCount } }`);
    expect(filterCampaign.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.campaign' });
    const province = await app.gql(`{ taskTargets(filter: { province: "atlantis" }) { totalCount } }`);
    expect(province.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.province' });
  });
});

describe('progress, computed from the projects that count', () => {
  // Hand-computed fixture. COAL_HOUSEHOLDS (deadline 2023-11-15, AT_LEAST 787,000; each project's
  // households on the village conversion list, in use on 2023-10-15, before every city's season):
  //   beijing   12,000 COMPLETED 2023-11-10  counts
  //   beijing    9,000 VERIFIED  2023-11-15  counts (on the deadline)
  //   taiyuan   50,000 COMPLETED 2023-11-16  late: not counted
  //   jinan    100,000 IN_PROGRESS           not counted
  //   zhengzhou 30,000 PLANNED               not counted
  //   zhengzhou 40,000 COMPLETED 2023-10-31  counts
  //   shijiazhuang 5,000 COMPLETED, not linked to the target: not counted
  // achieved 61,000 of 787,000 = 7.75 %, 3 projects; beijing 21,000 / 20,000 = 105 % met;
  // shanxi 0 / 77,000; shandong 0 / 452,000; henan 40,000 / 238,000 = 16.81 %.
  let late: string;
  beforeAll(async () => {
    await householdProject({ city: 'beijing', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 12000, ...done('2023-07-01', '2023-11-10') });
    const verified = await householdProject({ city: 'beijing', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', taskTarget: 'COAL_HOUSEHOLDS', households: 9000, ...done('2023-07-01', '2023-11-15') });
    const v = await app.data(UPDATE, { input: { id: verified, status: 'VERIFIED' } });
    expect(v.updateRetrofitProject.retrofitProject.status).toBe('VERIFIED');
    late = await householdProject({ city: 'taiyuan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 50000, ...done('2023-07-01', '2023-11-16') });
    await householdProject({ city: 'jinan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 100000, status: 'IN_PROGRESS', actualStartDate: '2023-09-01' });
    await householdProject({ city: 'zhengzhou', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 30000 });
    await householdProject({ city: 'zhengzhou', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', taskTarget: 'COAL_HOUSEHOLDS', households: 40000, ...done('2023-08-01', '2023-10-31') });
    await project({ city: 'shijiazhuang', type: 'CLEAN_HEATING_COAL_TO_GAS', households: 5000, ...done('2023-08-01', '2023-10-31') });
  });

  it('counts completed and verified projects ended by the deadline, per target and per province', async () => {
    const t = await target('COAL_HOUSEHOLDS');
    expect(t.progress).toEqual({ achieved: 61000, percent: 7.75, met: false, countedProjects: 3 });
    const byProvince = Object.fromEntries(t.breakdown.map((b: any) => [b.province.slug, b.progress]));
    expect(byProvince).toEqual({
      beijing: { achieved: 21000, percent: 105, met: true, countedProjects: 2 },
      shanxi: { achieved: 0, percent: 0, met: false, countedProjects: 0 },
      shandong: { achieved: 0, percent: 0, met: false, countedProjects: 0 },
      henan: { achieved: 40000, percent: 16.81, met: false, countedProjects: 1 },
    });
  });

  it('follows changes: a late project moved before the deadline starts counting', async () => {
    const moved = await app.data(UPDATE, { input: { id: late, actualEndDate: '2023-11-14' } });
    expect(moved.updateRetrofitProject.userErrors).toEqual([]);
    const t = await target('COAL_HOUSEHOLDS');
    expect(t.progress).toEqual({ achieved: 111000, percent: 14.1, met: false, countedProjects: 4 });
    const shanxi = t.breakdown.find((b: any) => b.province.slug === 'shanxi');
    expect(shanxi.progress).toEqual({ achieved: 50000, percent: 64.94, met: false, countedProjects: 1 });
  });

  it('lists the projects linked to a target, counting or not, with filters', async () => {
    const d = await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS") {
      all: projects(first: 100) { totalCount }
      planned: projects(filter: { statuses: [PLANNED] }) { totalCount nodes { households city { slug } } }
      henan: projects(filter: { province: "henan" }, orderBy: { field: NAME }) { totalCount }
      firstTwo: projects(first: 2) { nodes { id } pageInfo { hasNextPage } }
    } }`);
    expect(d.taskTarget.all.totalCount).toBe(6);
    expect(d.taskTarget.planned).toEqual({ totalCount: 1, nodes: [{ households: 30000, city: { slug: 'zhengzhou' } }] });
    expect(d.taskTarget.henan.totalCount).toBe(2);
    expect(d.taskTarget.firstTwo.nodes).toHaveLength(2);
    expect(d.taskTarget.firstTwo.pageInfo.hasNextPage).toBe(true);
  });

  it('MORE_THAN: exactly the quantity is not enough; a tonne and a half more is', async () => {
    // STEEL_ULTRA_LOW_CAPACITY: more than 50,000,000 t by 2023-12-31.
    const tangshan = await insertEnterprise('tangshan', 'STEEL', '2023-12-25');
    const handan = await insertEnterprise('handan', 'STEEL', '2023-12-31');
    await project({ city: 'tangshan', enterpriseId: tangshan, type: 'ULTRA_LOW_EMISSION_STEEL', taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', capacityTonnes: 30000000, ...done('2022-03-01', '2023-12-20') });
    await project({ city: 'handan', enterpriseId: handan, type: 'ULTRA_LOW_EMISSION_STEEL', taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', capacityTonnes: 20000000, ...done('2022-03-01', '2023-12-31') });
    expect((await target('STEEL_ULTRA_LOW_CAPACITY')).progress).toEqual({ achieved: 50000000, percent: 100, met: false, countedProjects: 2 });
    await project({ city: 'handan', enterpriseId: handan, type: 'ULTRA_LOW_EMISSION_STEEL', taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', capacityTonnes: 1.5, ...done('2023-03-01', '2023-12-01') });
    expect((await target('STEEL_ULTRA_LOW_CAPACITY')).progress).toEqual({ achieved: 50000001.5, percent: 100, met: true, countedProjects: 3 });
  });

  it('enterprise targets count distinct enterprises; a project without an enterprise counts as one', async () => {
    // VOCS_FACILITIES: e1 twice (1) + e2 once (1) + two projects without enterprise (2) = 4 enterprises, 5 projects.
    const e1 = await insertEnterprise('cangzhou', 'CHEMICAL');
    const e2 = await insertEnterprise('cangzhou', 'INDUSTRIAL_COATING');
    const base = { city: 'cangzhou', taskTarget: 'VOCS_FACILITIES', ...done('2023-05-01', '2023-12-15') };
    await project({ ...base, enterpriseId: e1, type: 'VOCS_END_OF_PIPE_UPGRADE' });
    await project({ ...base, enterpriseId: e1, type: 'VOCS_SOURCE_SUBSTITUTION' });
    await project({ ...base, enterpriseId: e2, type: 'VOCS_END_OF_PIPE_UPGRADE' });
    await project({ ...base, type: 'VOCS_GREEN_ISLAND' });
    await project({ ...base, type: 'VOCS_GREEN_ISLAND' });
    await project({ ...base, enterpriseId: e2, type: 'VOCS_GREEN_ISLAND', status: 'IN_PROGRESS', actualEndDate: null });
    expect((await target('VOCS_FACILITIES')).progress).toEqual({ achieved: 4, percent: 0.38, met: false, countedProjects: 5 });
  });

  it('the boiler target counts the eliminated boilers of the inventory, not the units projects declare', async () => {
    // COAL_BOILERS_ELIMINATED: 3 + 4 boilers eliminated by 2023-12-31 = 7 of 55 = 12.73 %; 9 more after the deadline do not count,
    // nor do the units the projects declare (100 each).
    const boilers = async (projectId: string, n: number, eliminatedOn: string, city: string) => {
      for (let i = 0; i < n; i++) {
        const d = await app.data(`mutation($input: CreateCombustionUnitInput!) { createCombustionUnit(input: $input) { userErrors { field code } } }`, {
          input: { city, kind: 'BOILER', fuel: 'COAL', name: `${i + 1}号锅炉`, capacityTph: 10, status: 'ELIMINATED', eliminatedOn, eliminationProjectId: projectId },
        });
        expect(d.createCombustionUnit.userErrors).toEqual([]);
      }
    };
    const a = await project({ city: 'xingtai', type: 'BOILER_ELIMINATION', taskTarget: 'COAL_BOILERS_ELIMINATED', units: 100, ...done('2023-09-01', '2023-10-20') });
    const b = await project({ city: 'baoding', type: 'BOILER_ELIMINATION', taskTarget: 'COAL_BOILERS_ELIMINATED', units: 100, ...done('2023-09-01', '2023-12-31') });
    const c = await project({ city: 'baoding', type: 'BOILER_ELIMINATION', taskTarget: 'COAL_BOILERS_ELIMINATED', units: 100, ...done('2023-09-01', '2024-01-01') });
    await boilers(a, 3, '2023-10-20', 'xingtai');
    await boilers(b, 4, '2023-12-31', 'baoding');
    await boilers(c, 9, '2024-01-01', 'baoding');
    expect((await target('COAL_BOILERS_ELIMINATED')).progress).toEqual({ achieved: 7, percent: 12.73, met: false, countedProjects: 2 });
  });

  it('DONE targets are met by one counting project; percent stays null', async () => {
    await project({ city: 'xian', type: 'COKE_OVEN_CLOSURE', taskTarget: 'SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN' });
    expect((await target('SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN')).progress).toEqual({ achieved: 0, percent: null, met: false, countedProjects: 0 });
    await project({ city: 'lvliang', type: 'COKE_OVEN_CLOSURE', taskTarget: 'SHANXI_COKE_OVEN_4_3M_CLOSURE', units: 2, ...done('2023-06-01', '2023-12-30') });
    expect((await target('SHANXI_COKE_OVEN_4_3M_CLOSURE')).progress).toEqual({ achieved: 1, percent: null, met: true, countedProjects: 1 });
  });

  it('computes a page of targets with a constant number of SQL statements', async () => {
    const q = (first: number) =>
      app.gql(`{ taskTargets(first: ${first}) { nodes { code campaign { code } province { slug } city { slug } ${PROGRESS}
        breakdown { quantity province { slug } ${PROGRESS} } } } }`);
    const small = await q(1);
    const large = await q(11);
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    // Compiled reads (common/compiled): the whole answer, progress included, in one statement.
    expect(large.extensions?.sqlStatements).toBe(1);
    expect(small.extensions?.sqlStatements).toBe(1);

    // A caller restricted to some cities gets the same compiled statement inside its
    // row-level-security transaction: BEGIN, the key's set-up, the statement, COMMIT, whatever the
    // page size (progress then counts its own cities, as the resolvers' does: compiled-reads.test.ts).
    const scoped = app.as((await app.createKey({ role: 'PROVINCE', province: 'hebei' })).secret);
    const query = (first: number) =>
      scoped.gql(`{ taskTargets(first: ${first}) { nodes { code campaign { code } province { slug } city { slug } ${PROGRESS}
        breakdown { quantity province { slug } ${PROGRESS} } } } }`);
    // The key's first request finds out that it is scoped: one statement more, once per process.
    const first = await query(1);
    expect(first.extensions?.sqlStatements).toBe(5);
    const [scopedSmall, scopedLarge] = [await query(1), await query(11)];
    expect(scopedLarge.errors).toBeUndefined();
    expect(scopedLarge.extensions?.sqlStatements).toBe(4);
    expect(scopedSmall.extensions?.sqlStatements).toBe(4);
  });
});

describe('a later campaign', () => {
  // A 2024-2025 campaign with an AT_MOST target: it becomes the default campaign of look-ups.
  beforeAll(async () => {
    await app.sql(`insert into campaign (code, name_zh, name_en, period_start, period_end, origin, created_by, updated_by)
      values ('2024-2025-autumn-winter', '2024-2025年秋冬季攻坚', '2024-2025 autumn-winter campaign', '2024-10-01', '2025-03-31', 'RECORDED', 'test', 'test')`);
    await app.sql(`insert into task_target (campaign_id, code, name_zh, name_en, comparator, quantity, unit, deadline, scope, origin, created_by, updated_by)
      select id, 'BOILERS_LEFT_CAP', '剩余燃煤锅炉上限', 'Coal boilers left at most', 'AT_MOST', 10, 'unit', '2025-03-31', 'CAMPAIGN', 'RECORDED', 'test', 'test'
      from campaign where code = '2024-2025-autumn-winter'`);
  });

  it('defaults taskTarget to the latest campaign, and finds older ones by campaign', async () => {
    const latest = await app.gql(`{ taskTarget(code: "COAL_HOUSEHOLDS") { code } }`);
    expect(latest.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code' });
    const older = await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS", campaign: "${CAMPAIGN}") { code campaign { code } } }`);
    expect(older.taskTarget.campaign.code).toBe(CAMPAIGN);
    const cap = await app.data(`{ taskTarget(code: "BOILERS_LEFT_CAP") { campaign { code } } }`);
    expect(cap.taskTarget.campaign.code).toBe('2024-2025-autumn-winter');
    const d = await app.data(`{ taskTargets(filter: { campaign: "2024-2025-autumn-winter" }) { nodes { code } } all: taskTargets { totalCount } }`);
    expect(d.taskTargets.nodes.map((t: any) => t.code)).toEqual(['BOILERS_LEFT_CAP']);
    expect(d.all.totalCount).toBe(12);
  });

  it('AT_MOST: met while the achieved quantity stays at or under the cap', async () => {
    await project({ city: 'tianjin', type: 'BOILER_ELIMINATION', taskTarget: 'BOILERS_LEFT_CAP', units: 4, ...done('2024-10-01', '2024-12-01') });
    expect((await target('BOILERS_LEFT_CAP', null as unknown as string)).progress).toEqual({ achieved: 4, percent: 40, met: true, countedProjects: 1 });
    await project({ city: 'tianjin', type: 'BOILER_ELIMINATION', taskTarget: 'BOILERS_LEFT_CAP', units: 6, ...done('2024-10-01', '2024-12-02') });
    expect((await target('BOILERS_LEFT_CAP', null as unknown as string)).progress).toEqual({ achieved: 10, percent: 100, met: true, countedProjects: 2 });
    await project({ city: 'tianjin', type: 'BOILER_ELIMINATION', taskTarget: 'BOILERS_LEFT_CAP', campaign: '2024-2025-autumn-winter', units: 1, ...done('2024-10-01', '2024-12-03') });
    expect((await target('BOILERS_LEFT_CAP', null as unknown as string)).progress).toEqual({ achieved: 11, percent: 110, met: false, countedProjects: 3 });
  });
});
