import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { FREIGHT_COUNTED_TARGETS } from '../../packages/api/src/modules/target/target.progress.js';

let app: TestApp;
let steelTangshan: string;
let chemicalTangshan: string;
let steelHandan: string;
beforeAll(async () => {
  app = await startTestApp();
  steelTangshan = await insertEnterprise('tangshan', 'STEEL', '唐山测试钢铁有限公司');
  chemicalTangshan = await insertEnterprise('tangshan', 'CHEMICAL', '唐山测试化工有限公司');
  steelHandan = await insertEnterprise('handan', 'STEEL', '邯郸测试钢铁有限公司');
});
afterAll(() => app?.close());

let enterpriseSerial = 0;
/** Inserts an enterprise straight into the table (columns of migration 0300). */
async function insertEnterprise(city: string, industry: string, name: string): Promise<string> {
  enterpriseSerial++;
  const [row] = await app.sql<{ id: number }>(
    `insert into enterprise (city_id, name, credit_code, industry, size, origin, created_by, updated_by)
     select id, ?, ?, ?, 'LARGE', 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
    [name, `92${String(enterpriseSerial).padStart(16, '0')}`, industry, city],
  );
  return String(row.id);
}

const FIELDS = `id name type status plannedStartDate plannedEndDate actualStartDate actualEndDate
  households units capacityTonnes investmentYuan origin version createdBy updatedBy createdAt updatedAt
  city { slug } enterprise { id name } taskTarget { code } fundingSources { source amountYuan }`;
const CREATE = `mutation($input: CreateRetrofitProjectInput!) {
  createRetrofitProject(input: $input) { retrofitProject { ${FIELDS} } userErrors { field code message } }
}`;
const UPDATE = `mutation($input: UpdateRetrofitProjectInput!) {
  updateRetrofitProject(input: $input) { retrofitProject { ${FIELDS} } userErrors { field code message } }
}`;

const BASE = {
  city: 'tangshan',
  name: '唐山市燃煤锅炉淘汰项目',
  type: 'BOILER_ELIMINATION',
  plannedStartDate: '2023-05-01',
  plannedEndDate: '2023-11-30',
};

async function create(input: Record<string, unknown>) {
  return (await app.data(CREATE, { input: { ...BASE, ...input } })).createRetrofitProject;
}
async function created(input: Record<string, unknown>): Promise<any> {
  const p = await create(input);
  expect(p.userErrors).toEqual([]);
  return p.retrofitProject;
}
async function update(input: Record<string, unknown>) {
  return (await app.data(UPDATE, { input })).updateRetrofitProject;
}

async function counts(): Promise<[number, number]> {
  const [p] = await app.sql<{ n: string }>(`select count(*) as n from retrofit_project`);
  const [f] = await app.sql<{ n: string }>(`select count(*) as n from project_funding`);
  return [Number(p.n), Number(f.n)];
}

/** Asserts that creating fails with exactly these errors and writes nothing. */
async function rejectsCreate(input: Record<string, unknown>, errors: { field: string[]; code: string }[]) {
  const before = await counts();
  const p = await create(input);
  expect(p.retrofitProject).toBeNull();
  expect(p.userErrors.map((e: any) => ({ field: e.field, code: e.code }))).toEqual(errors);
  for (const e of p.userErrors) expect(e.message.length).toBeGreaterThan(0);
  expect(await counts()).toEqual(before);
}

async function row(id: string) {
  const [r] = await app.sql<any>(
    `select status, version, name, households, investment_yuan::float8 as investment, to_char(actual_end_date, 'YYYY-MM-DD') as actual_end, task_target_id, city_id, enterprise_id from retrofit_project where id = ?`,
    [Number(id)],
  );
  return r;
}

/** Asserts that updating fails with exactly these errors and leaves the project as it was. */
async function rejectsUpdate(input: Record<string, unknown>, errors: { field: string[]; code: string }[]) {
  const before = await row(String(input.id));
  const beforeCounts = await counts();
  const [funding] = await app.sql<{ s: string }>(`select coalesce(sum(amount_yuan), 0)::text as s from project_funding where project_id = ?`, [Number(input.id)]);
  const p = await update(input);
  expect(p.retrofitProject).toBeNull();
  expect(p.userErrors.map((e: any) => ({ field: e.field, code: e.code }))).toEqual(errors);
  expect(await row(String(input.id))).toEqual(before);
  expect(await counts()).toEqual(beforeCounts);
  const [after] = await app.sql<{ s: string }>(`select coalesce(sum(amount_yuan), 0)::text as s from project_funding where project_id = ?`, [Number(input.id)]);
  expect(after.s).toBe(funding.s);
}

const err = (field: string | (string | number)[], code: string) => ({ field: (Array.isArray(field) ? field : ['input', field]).map(String), code });

describe('createRetrofitProject', () => {
  it('registers a project with its enterprise, target and funding (origin RECORDED, version 1)', async () => {
    const before = await counts();
    const p = await created({
      name: '  唐山测试钢铁全流程超低排放改造项目 ',
      type: 'ULTRA_LOW_EMISSION_STEEL',
      enterpriseId: steelTangshan,
      taskTarget: 'STEEL_ULTRA_LOW_CAPACITY',
      status: 'COMPLETED',
      plannedStartDate: '2022-03-01',
      plannedEndDate: '2023-10-31',
      actualStartDate: '2022-04-15',
      actualEndDate: '2023-11-20',
      capacityTonnes: 8500000.5,
      investmentYuan: 1280000000.25,
      fundingSources: [
        { source: 'ENTERPRISE_SELF_FUNDED', amountYuan: 900000000.25 },
        { source: 'CENTRAL_AIR_POLLUTION_FUND', amountYuan: 380000000 },
      ],
    });
    expect(p).toMatchObject({
      name: '唐山测试钢铁全流程超低排放改造项目',
      type: 'ULTRA_LOW_EMISSION_STEEL',
      status: 'COMPLETED',
      plannedStartDate: '2022-03-01',
      plannedEndDate: '2023-10-31',
      actualStartDate: '2022-04-15',
      actualEndDate: '2023-11-20',
      households: 0,
      units: 0,
      capacityTonnes: 8500000.5,
      investmentYuan: 1280000000.25,
      origin: 'RECORDED',
      version: 1,
      createdBy: app.ministryActorId,
      updatedBy: app.ministryActorId,
      city: { slug: 'tangshan' },
      enterprise: { id: steelTangshan, name: '唐山测试钢铁有限公司' },
      taskTarget: { code: 'STEEL_ULTRA_LOW_CAPACITY' },
    });
    expect(p.fundingSources).toEqual([
      { source: 'ENTERPRISE_SELF_FUNDED', amountYuan: 900000000.25 },
      { source: 'CENTRAL_AIR_POLLUTION_FUND', amountYuan: 380000000 },
    ]);
    expect(await counts()).toEqual([before[0] + 1, before[1] + 2]);
    const funding = await app.sql<any>(`select f.city_id = p.city_id as same_city, f.created_by from project_funding f join retrofit_project p on p.id = f.project_id where p.id = ?`, [Number(p.id)]);
    expect(funding).toEqual([{ same_city: true, created_by: app.ministryActorId }, { same_city: true, created_by: app.ministryActorId }]);
    const found = await app.data(`query($id: ID!) { retrofitProject(id: $id) { ${FIELDS} } }`, { id: p.id });
    expect(found.retrofitProject).toEqual(p);
  });

  it('defaults to PLANNED with zero figures and no funding', async () => {
    const p = await created({});
    expect(p).toMatchObject({ status: 'PLANNED', households: 0, units: 0, capacityTonnes: 0, investmentYuan: 0, actualStartDate: null, actualEndDate: null, enterprise: null, taskTarget: null, fundingSources: [] });
  });

  it('accepts the caps themselves', async () => {
    const p = await created({ households: 1_000_000, units: 100_000, capacityTonnes: 100_000_000, investmentYuan: 100_000_000_000, fundingSources: [{ source: 'BANK_LOAN', amountYuan: 100_000_000_000 }] });
    expect(p).toMatchObject({ households: 1_000_000, units: 100_000, capacityTonnes: 100_000_000, investmentYuan: 100_000_000_000 });
  });

  it('refuses VERIFIED at registration and checks the dates each status needs', async () => {
    await rejectsCreate({ status: 'VERIFIED', actualStartDate: '2023-05-01', actualEndDate: '2023-10-01' }, [err('status', 'INVALID_TRANSITION')]);
    await rejectsCreate({ status: 'IN_PROGRESS' }, [err('actualStartDate', 'REQUIRED')]);
    await rejectsCreate({ status: 'COMPLETED', actualStartDate: '2023-05-01' }, [err('actualEndDate', 'REQUIRED')]);
    await rejectsCreate({ status: 'COMPLETED' }, [err('actualStartDate', 'REQUIRED'), err('actualEndDate', 'REQUIRED')]);
    await rejectsCreate({ actualStartDate: '2023-05-01' }, [err('actualStartDate', 'NOT_ALLOWED')]);
    await rejectsCreate({ status: 'IN_PROGRESS', actualStartDate: '2023-05-01', actualEndDate: '2023-06-01' }, [err('actualEndDate', 'NOT_ALLOWED')]);
  });

  it('refuses impossible dates (INVALID_DATE)', async () => {
    await rejectsCreate({ plannedStartDate: '2023-06-01', plannedEndDate: '2023-05-31' }, [err('plannedEndDate', 'INVALID_DATE')]);
    await rejectsCreate({ status: 'IN_PROGRESS', actualStartDate: '2099-01-01' }, [err('actualStartDate', 'INVALID_DATE')]);
    await rejectsCreate({ status: 'COMPLETED', actualStartDate: '2023-05-01', actualEndDate: '2099-01-01' }, [err('actualEndDate', 'INVALID_DATE')]);
    await rejectsCreate({ status: 'COMPLETED', actualStartDate: '2023-05-01', actualEndDate: '2023-04-30' }, [err('actualEndDate', 'INVALID_DATE')]);
  });

  it('refuses negative and absurd quantities (OUT_OF_RANGE)', async () => {
    await rejectsCreate({ households: -1 }, [err('households', 'OUT_OF_RANGE')]);
    await rejectsCreate({ households: 1_000_001 }, [err('households', 'OUT_OF_RANGE')]);
    await rejectsCreate({ units: -3 }, [err('units', 'OUT_OF_RANGE')]);
    await rejectsCreate({ units: 100_001 }, [err('units', 'OUT_OF_RANGE')]);
    await rejectsCreate({ capacityTonnes: -0.5 }, [err('capacityTonnes', 'OUT_OF_RANGE')]);
    await rejectsCreate({ capacityTonnes: 100_000_000.01 }, [err('capacityTonnes', 'OUT_OF_RANGE')]);
    await rejectsCreate({ investmentYuan: -1 }, [err('investmentYuan', 'OUT_OF_RANGE')]);
    await rejectsCreate({ investmentYuan: 100_000_000_000.01 }, [err('investmentYuan', 'OUT_OF_RANGE')]);
    await rejectsCreate({ investmentYuan: 10.005 }, [err('investmentYuan', 'INVALID')]);
    await rejectsCreate({ name: '   ' }, [err('name', 'REQUIRED')]);
    await rejectsCreate({ name: '项'.repeat(201) }, [err('name', 'OUT_OF_RANGE')]);
  });

  it('refuses funding above the investment, empty or duplicated sources', async () => {
    await rejectsCreate(
      { investmentYuan: 1000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 600 }, { source: 'BANK_LOAN', amountYuan: 400.01 }] },
      [err('fundingSources', 'OUT_OF_RANGE')],
    );
    await rejectsCreate({ fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 1 }] }, [err('fundingSources', 'OUT_OF_RANGE')]);
    await rejectsCreate({ investmentYuan: 1000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 0 }] }, [err(['input', 'fundingSources', 0, 'amountYuan'], 'OUT_OF_RANGE')]);
    await rejectsCreate(
      { investmentYuan: 1000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 100 }, { source: 'LOCAL_GOVERNMENT', amountYuan: 100 }] },
      [err(['input', 'fundingSources', 1, 'source'], 'INVALID')],
    );
    const p = await created({ investmentYuan: 1000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 600 }, { source: 'BANK_LOAN', amountYuan: 400 }] });
    expect(p.fundingSources).toHaveLength(2);
  });

  it('refuses unknown references (NOT_FOUND)', async () => {
    await rejectsCreate({ city: 'atlantis' }, [err('city', 'NOT_FOUND')]);
    await rejectsCreate({ enterpriseId: '999999' }, [err('enterpriseId', 'NOT_FOUND')]);
    await rejectsCreate({ enterpriseId: 'abc' }, [err('enterpriseId', 'INVALID')]);
    await rejectsCreate({ taskTarget: 'NO_SUCH_TARGET' }, [err('taskTarget', 'NOT_FOUND')]);
    await rejectsCreate({ taskTarget: 'COAL_BOILERS_ELIMINATED', campaign: '1999-2000' }, [err('campaign', 'NOT_FOUND')]);
  });

  it('refuses what the plan does not allow (NOT_ALLOWED)', async () => {
    // An enterprise of another city.
    await rejectsCreate({ city: 'tangshan', enterpriseId: steelHandan, type: 'ULTRA_LOW_EMISSION_STEEL' }, [err('enterpriseId', 'NOT_ALLOWED')]);
    // A type that does not count toward the target.
    await rejectsCreate({ type: 'BOILER_ELIMINATION', taskTarget: 'COAL_HOUSEHOLDS', city: 'beijing' }, [err('type', 'NOT_ALLOWED')]);
    await rejectsCreate({ type: 'VOCS_STORAGE_TANKS', taskTarget: 'VOCS_FACILITIES' }, [err('type', 'NOT_ALLOWED')]);
    await rejectsCreate({ type: 'ULTRA_LOW_EMISSION_CEMENT', taskTarget: 'STEEL_ULTRA_LOW_CAPACITY' }, [err('type', 'NOT_ALLOWED')]);
    // Cities outside the target's scope: province, city, and provinces without a share of the breakdown.
    await rejectsCreate({ city: 'xian', type: 'COKE_OVEN_CLOSURE', taskTarget: 'SHANXI_COKE_OVEN_4_3M_CLOSURE' }, [err('city', 'NOT_ALLOWED')]);
    // Tangshan's Shuicao railway target counts the tonnes of the freight records: no project counts toward it.
    await rejectsCreate({ city: 'handan', type: 'RAILWAY_SPUR_LINE', taskTarget: 'TANGSHAN_SHUICAO_RAIL_VOLUME' }, [err('taskTarget', 'NOT_ALLOWED'), err('city', 'NOT_ALLOWED')]);
    await rejectsCreate({ city: 'tangshan', type: 'RAILWAY_SPUR_LINE', taskTarget: 'TANGSHAN_SHUICAO_RAIL_VOLUME', capacityTonnes: 5_000_000 }, [err('taskTarget', 'NOT_ALLOWED')]);
    await rejectsCreate({ city: 'shijiazhuang', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 100 }, [err('city', 'NOT_ALLOWED')]);
    // The same inputs inside the scope are fine.
    await created({ city: 'taiyuan', type: 'COKE_OVEN_CLOSURE', taskTarget: 'SHANXI_COKE_OVEN_4_3M_CLOSURE' });
    await created({ city: 'jinan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 100 });
  });

  it('reports every problem of an input at once', async () => {
    await rejectsCreate({ city: 'atlantis', households: -1, plannedEndDate: '2023-01-01', taskTarget: 'NOPE' }, [
      err('city', 'NOT_FOUND'),
      err('taskTarget', 'NOT_FOUND'),
      err('plannedEndDate', 'INVALID_DATE'),
      err('households', 'OUT_OF_RANGE'),
    ]);
  });
});

describe('updateRetrofitProject', () => {
  it('changes fields, replaces the funding and increments the version', async () => {
    const p = await created({ investmentYuan: 2_000_000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 1_000_000 }] });
    const fundingBefore = (await counts())[1];
    const u = await update({
      id: p.id,
      version: 1,
      name: '唐山市燃煤锅炉淘汰项目（二期）',
      units: 6,
      investmentYuan: 2_500_000,
      enterpriseId: chemicalTangshan,
      taskTarget: 'COAL_BOILERS_ELIMINATED',
      fundingSources: [
        { source: 'CENTRAL_AIR_POLLUTION_FUND', amountYuan: 1_500_000 },
        { source: 'ENTERPRISE_SELF_FUNDED', amountYuan: 900_000.5 },
      ],
    });
    expect(u.userErrors).toEqual([]);
    expect(u.retrofitProject).toMatchObject({
      id: p.id,
      name: '唐山市燃煤锅炉淘汰项目（二期）',
      units: 6,
      investmentYuan: 2_500_000,
      version: 2,
      enterprise: { id: chemicalTangshan },
      taskTarget: { code: 'COAL_BOILERS_ELIMINATED' },
      fundingSources: [
        { source: 'CENTRAL_AIR_POLLUTION_FUND', amountYuan: 1_500_000 },
        { source: 'ENTERPRISE_SELF_FUNDED', amountYuan: 900_000.5 },
      ],
    });
    expect(Date.parse(u.retrofitProject.updatedAt)).toBeGreaterThanOrEqual(Date.parse(p.updatedAt));
    expect((await counts())[1]).toBe(fundingBefore + 1);

    // Omitted fields keep their value; null clears optional references; funding alone also bumps the version.
    const cleared = await update({ id: p.id, enterpriseId: null, taskTarget: null });
    expect(cleared.retrofitProject).toMatchObject({ version: 3, enterprise: null, taskTarget: null, units: 6, name: '唐山市燃煤锅炉淘汰项目（二期）' });
    const fundingOnly = await update({ id: p.id, fundingSources: [] });
    expect(fundingOnly.retrofitProject).toMatchObject({ version: 4, fundingSources: [] });
  });

  it('moves a project to another city together with its funding', async () => {
    const p = await created({ investmentYuan: 100, fundingSources: [{ source: 'OTHER', amountYuan: 50 }] });
    const u = await update({ id: p.id, city: 'qinhuangdao' });
    expect(u.retrofitProject.city).toEqual({ slug: 'qinhuangdao' });
    const [f] = await app.sql<any>(`select c.slug from project_funding f join city c on c.id = f.city_id where f.project_id = ?`, [Number(p.id)]);
    expect(f.slug).toBe('qinhuangdao');
    // The enterprise must follow: moving a project with a Tangshan enterprise to Handan is refused.
    const withEnterprise = await created({ type: 'ULTRA_LOW_EMISSION_STEEL', enterpriseId: steelTangshan });
    await rejectsUpdate({ id: withEnterprise.id, city: 'handan' }, [err('enterpriseId', 'NOT_ALLOWED')]);
    const moved = await update({ id: withEnterprise.id, city: 'handan', enterpriseId: steelHandan });
    expect(moved.retrofitProject).toMatchObject({ city: { slug: 'handan' }, enterprise: { id: steelHandan } });
  });

  it('walks the lifecycle one step at a time', async () => {
    const p = await created({});
    const started = await update({ id: p.id, status: 'IN_PROGRESS', actualStartDate: '2023-05-10' });
    expect(started.retrofitProject).toMatchObject({ status: 'IN_PROGRESS', actualStartDate: '2023-05-10', version: 2 });
    const completed = await update({ id: p.id, status: 'COMPLETED', actualEndDate: '2023-10-20' });
    expect(completed.retrofitProject).toMatchObject({ status: 'COMPLETED', actualEndDate: '2023-10-20', version: 3 });
    const verified = await update({ id: p.id, status: 'VERIFIED' });
    expect(verified.retrofitProject).toMatchObject({ status: 'VERIFIED', version: 4 });
    // Repeating the current status is no transition.
    const same = await update({ id: p.id, status: 'VERIFIED', units: 2 });
    expect(same.retrofitProject).toMatchObject({ status: 'VERIFIED', units: 2, version: 5 });
  });

  it('refuses every transition outside PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED', async () => {
    const dates: Record<string, Record<string, string | null>> = {
      PLANNED: {},
      IN_PROGRESS: { actualStartDate: '2023-05-10' },
      COMPLETED: { actualStartDate: '2023-05-10', actualEndDate: '2023-10-20' },
      VERIFIED: { actualStartDate: '2023-05-10', actualEndDate: '2023-10-20' },
    };
    const projectIn = async (status: string) => {
      const p = await created({ status: status === 'VERIFIED' ? 'COMPLETED' : status, ...dates[status] });
      if (status === 'VERIFIED') expect((await update({ id: p.id, status: 'VERIFIED' })).userErrors).toEqual([]);
      return p.id as string;
    };
    const refused: [string, string][] = [
      ['PLANNED', 'COMPLETED'],
      ['PLANNED', 'VERIFIED'],
      ['IN_PROGRESS', 'PLANNED'],
      ['IN_PROGRESS', 'VERIFIED'],
      ['COMPLETED', 'PLANNED'],
      ['COMPLETED', 'IN_PROGRESS'],
      ['VERIFIED', 'PLANNED'],
      ['VERIFIED', 'IN_PROGRESS'],
      ['VERIFIED', 'COMPLETED'],
    ];
    for (const [from, to] of refused) {
      const id = await projectIn(from);
      // Even with every date the target status needs, the step is refused.
      await rejectsUpdate({ id, status: to, ...dates[to] }, [err('status', 'INVALID_TRANSITION')]);
    }
  });

  it('requires the dates of the new status and checks them', async () => {
    const p = await created({});
    await rejectsUpdate({ id: p.id, status: 'IN_PROGRESS' }, [err('actualStartDate', 'REQUIRED')]);
    await rejectsUpdate({ id: p.id, status: 'IN_PROGRESS', actualStartDate: '2099-03-01' }, [err('actualStartDate', 'INVALID_DATE')]);
    expect((await update({ id: p.id, status: 'IN_PROGRESS', actualStartDate: '2023-06-01' })).userErrors).toEqual([]);
    await rejectsUpdate({ id: p.id, status: 'COMPLETED' }, [err('actualEndDate', 'REQUIRED')]);
    await rejectsUpdate({ id: p.id, status: 'COMPLETED', actualEndDate: '2023-05-31' }, [err('actualEndDate', 'INVALID_DATE')]);
    await rejectsUpdate({ id: p.id, status: 'COMPLETED', actualEndDate: '2099-12-31' }, [err('actualEndDate', 'INVALID_DATE')]);
    await rejectsUpdate({ id: p.id, actualEndDate: '2023-10-01' }, [err('actualEndDate', 'NOT_ALLOWED')]);
    await rejectsUpdate({ id: p.id, actualStartDate: null }, [err('actualStartDate', 'REQUIRED')]);
    await rejectsUpdate({ id: p.id, plannedEndDate: '2023-04-30' }, [err('plannedEndDate', 'INVALID_DATE')]);
    expect((await update({ id: p.id, status: 'COMPLETED', actualEndDate: '2023-10-01' })).userErrors).toEqual([]);
    await rejectsUpdate({ id: p.id, actualEndDate: null }, [err('actualEndDate', 'REQUIRED')]);
  });

  it('refuses out-of-range figures, clearing required fields and funding above the investment', async () => {
    const p = await created({ investmentYuan: 1000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 800 }] });
    await rejectsUpdate({ id: p.id, households: -5 }, [err('households', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, units: 100_001 }, [err('units', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, capacityTonnes: 2e8 }, [err('capacityTonnes', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, investmentYuan: 1e12 }, [err('investmentYuan', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, investmentYuan: 799.99 }, [err('investmentYuan', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, fundingSources: [{ source: 'BANK_LOAN', amountYuan: 1000.01 }] }, [err('fundingSources', 'OUT_OF_RANGE')]);
    await rejectsUpdate({ id: p.id, name: null, type: null }, [err('name', 'REQUIRED'), err('type', 'REQUIRED')]);
    expect((await update({ id: p.id, investmentYuan: 800 })).userErrors).toEqual([]);
  });

  it('refuses unknown references, other cities\' enterprises, unfit types and out-of-scope cities', async () => {
    const p = await created({ city: 'jinan', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 300 });
    await rejectsUpdate({ id: p.id, city: 'atlantis' }, [err('city', 'NOT_FOUND')]);
    await rejectsUpdate({ id: p.id, enterpriseId: '987654' }, [err('enterpriseId', 'NOT_FOUND')]);
    await rejectsUpdate({ id: p.id, taskTarget: 'NOPE' }, [err('taskTarget', 'NOT_FOUND')]);
    await rejectsUpdate({ id: p.id, enterpriseId: steelTangshan }, [err('enterpriseId', 'NOT_ALLOWED')]);
    await rejectsUpdate({ id: p.id, type: 'BOILER_ELIMINATION' }, [err('type', 'NOT_ALLOWED')]);
    await rejectsUpdate({ id: p.id, city: 'tangshan' }, [err('city', 'NOT_ALLOWED')]);
    await rejectsUpdate({ id: p.id, taskTarget: 'AGRI_COAL_FACILITIES' }, [err('type', 'NOT_ALLOWED')]);
    expect((await update({ id: p.id, city: 'zhengzhou', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY' })).userErrors).toEqual([]);
  });

  it('answers an unknown id with NOT_FOUND and a stale version with CONFLICT', async () => {
    const before = await counts();
    const missing = await update({ id: '999999', name: 'x' });
    expect(missing).toEqual({ retrofitProject: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
    const bad = await update({ id: 'x1', name: 'x' });
    expect(bad.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID' })]);
    expect(await counts()).toEqual(before);
    const p = await created({});
    expect((await update({ id: p.id, units: 1 })).retrofitProject.version).toBe(2);
    await rejectsUpdate({ id: p.id, version: 1, units: 5 }, [err('version', 'CONFLICT')]);
    expect((await update({ id: p.id, version: 2, units: 5 })).retrofitProject).toMatchObject({ units: 5, version: 3 });
  });
});

describe('retrofitProjects and nested project connections', () => {
  // A fixture of its own, told apart from the projects above by origin and a name prefix.
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    await app.sql(`update retrofit_project set origin = 'DEMO'`);
    const fx = (key: string, input: Record<string, unknown>) => created({ name: `FX-${key}`, ...input }).then((p) => (ids[key] = p.id));
    await fx('a', { city: 'beijing', type: 'CLEAN_HEATING_COAL_TO_GAS', taskTarget: 'COAL_HOUSEHOLDS', households: 1200, plannedStartDate: '2023-04-01', plannedEndDate: '2023-10-31', investmentYuan: 12_000_000, status: 'COMPLETED', actualStartDate: '2023-04-10', actualEndDate: '2023-10-25' });
    await fx('b', { city: 'tangshan', type: 'ULTRA_LOW_EMISSION_STEEL', enterpriseId: steelTangshan, taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', capacityTonnes: 4_000_000, plannedStartDate: '2022-09-01', plannedEndDate: '2023-12-31', investmentYuan: 500_000_000, status: 'IN_PROGRESS', actualStartDate: '2022-09-15' });
    await fx('c', { city: 'tangshan', type: 'VOCS_STORAGE_TANKS', enterpriseId: chemicalTangshan, units: 6, plannedStartDate: '2023-03-01', plannedEndDate: '2023-08-31', investmentYuan: 3_000_000 });
    await fx('d', { city: 'xian', type: 'LOW_NOX_BURNER_RETROFIT', units: 4, plannedStartDate: '2023-02-01', plannedEndDate: '2023-06-30', investmentYuan: 800_000, status: 'COMPLETED', actualStartDate: '2023-02-10', actualEndDate: '2023-07-05' });
    await fx('e', { city: 'luoyang', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', taskTarget: 'COAL_HOUSEHOLDS', households: 800, plannedStartDate: '2023-05-01', plannedEndDate: '2023-11-10', investmentYuan: 9_600_000, status: 'COMPLETED', actualStartDate: '2023-05-05', actualEndDate: '2023-11-20' });
  });

  const names = async (filter: string, extra = '') => {
    const d = await app.data(`{ retrofitProjects(filter: { origin: RECORDED, ${filter} } ${extra}, first: 100) { totalCount nodes { name } } }`);
    expect(d.retrofitProjects.totalCount).toBe(d.retrofitProjects.nodes.length);
    return d.retrofitProjects.nodes.map((n: any) => n.name.replace('FX-', '')).sort();
  };

  it('filters by place, type, status, target, enterprise, dates and origin', async () => {
    expect(await names('')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await names('region: FENWEI_PLAIN')).toEqual(['d', 'e']);
    expect(await names('province: "hebei"')).toEqual(['b', 'c']);
    expect(await names('city: "xian"')).toEqual(['d']);
    expect(await names('types: [CLEAN_HEATING_COAL_TO_GAS, CLEAN_HEATING_COAL_TO_ELECTRICITY]')).toEqual(['a', 'e']);
    expect(await names('statuses: [COMPLETED]')).toEqual(['a', 'd', 'e']);
    expect(await names('statuses: [PLANNED, IN_PROGRESS]')).toEqual(['b', 'c']);
    expect(await names('taskTarget: "COAL_HOUSEHOLDS"')).toEqual(['a', 'e']);
    expect(await names('taskTarget: "COAL_HOUSEHOLDS", campaign: "2023-2024-autumn-winter", province: "henan"')).toEqual(['e']);
    expect(await names(`enterpriseId: "${steelTangshan}"`)).toEqual(['b']);
    expect(await names('plannedEndFrom: "2023-10-31"')).toEqual(['a', 'b', 'e']);
    expect(await names('plannedEndTo: "2023-08-31"')).toEqual(['c', 'd']);
    expect(await names('plannedEndFrom: "2023-08-31", plannedEndTo: "2023-11-10"')).toEqual(['a', 'c', 'e']);
    expect(await names('actualEndFrom: "2023-10-25"')).toEqual(['a', 'e']);
    expect(await names('actualEndTo: "2023-10-31"')).toEqual(['a', 'd']);
    const demo = await app.data(`{ retrofitProjects(filter: { origin: DEMO }) { totalCount } all: retrofitProjects { totalCount } }`);
    expect(demo.all.totalCount).toBe(demo.retrofitProjects.totalCount + 5);
  });

  it('sorts by each order field, newest first by default, and pages with cursors', async () => {
    const order = async (orderBy: string) =>
      (await app.data(`{ retrofitProjects(filter: { origin: RECORDED } ${orderBy}) { nodes { name } } }`)).retrofitProjects.nodes.map((n: any) => n.name.replace('FX-', ''));
    expect(await order('')).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await order(', orderBy: { field: CREATED_AT }')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await order(', orderBy: { field: NAME, direction: DESC }')).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await order(', orderBy: { field: PLANNED_END_DATE }')).toEqual(['d', 'c', 'a', 'e', 'b']);
    expect(await order(', orderBy: { field: PLANNED_START_DATE }')).toEqual(['b', 'd', 'c', 'a', 'e']);
    expect(await order(', orderBy: { field: INVESTMENT_YUAN, direction: DESC }')).toEqual(['b', 'a', 'e', 'c', 'd']);
    await update({ id: ids.c, units: 7 });
    expect((await order(', orderBy: { field: UPDATED_AT, direction: DESC }'))[0]).toBe('c');

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const d: any = await app.data(
        `query($after: String) { retrofitProjects(filter: { origin: RECORDED }, orderBy: { field: PLANNED_END_DATE }, first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...d.retrofitProjects.nodes.map((n: any) => n.name.replace('FX-', '')));
      if (!d.retrofitProjects.pageInfo.hasNextPage) break;
      after = d.retrofitProjects.pageInfo.endCursor;
    }
    expect(seen).toEqual(['d', 'c', 'a', 'e', 'b']);
  });

  it('answers bad arguments with coded errors naming the field', async () => {
    const cases: [string, string, string][] = [
      ['{ retrofitProject(id: "999999") { id } }', 'NOT_FOUND', 'id'],
      ['{ retrofitProject(id: "abc") { id } }', 'BAD_USER_INPUT', 'id'],
      ['{ retrofitProjects(filter: { taskTarget: "NOPE" }) { totalCount } }', 'NOT_FOUND', 'filter.taskTarget'],
      ['{ retrofitProjects(filter: { taskTarget: "COAL_HOUSEHOLDS", campaign: "1999" }) { totalCount } }', 'NOT_FOUND', 'filter.campaign'],
      ['{ retrofitProjects(filter: { city: "atlantis" }) { totalCount } }', 'NOT_FOUND', 'filter.city'],
      ['{ retrofitProjects(filter: { province: "atlantis" }) { totalCount } }', 'NOT_FOUND', 'filter.province'],
      ['{ retrofitProjects(filter: { enterpriseId: "x" }) { totalCount } }', 'BAD_USER_INPUT', 'filter.enterpriseId'],
      ['{ retrofitProjects(first: 501) { totalCount } }', 'BAD_USER_INPUT', 'first'],
      ['{ city(slug: "tangshan") { retrofitProjects(filter: { taskTarget: "NOPE" }) { totalCount } } }', 'NOT_FOUND', 'filter.taskTarget'],
    ];
    for (const [query, code, field] of cases) {
      const r = await app.gql(query);
      expect(r.errors?.[0].extensions, query).toMatchObject({ code, field });
    }
  });

  it('lists the projects of a city, an enterprise and a task target', async () => {
    const d = await app.data(`query($id: ID!) {
      city(slug: "tangshan") {
        recorded: retrofitProjects(filter: { origin: RECORDED }, orderBy: { field: NAME }) { totalCount nodes { name } }
        tanks: retrofitProjects(filter: { origin: RECORDED, types: [VOCS_STORAGE_TANKS] }) { totalCount }
      }
      retrofitProject(id: $id) { enterprise { name retrofitProjects { totalCount nodes { name } }
        recorded: retrofitProjects(filter: { origin: RECORDED, statuses: [IN_PROGRESS] }) { nodes { name } } } }
      taskTarget(code: "COAL_HOUSEHOLDS") { projects(filter: { origin: RECORDED }, orderBy: { field: NAME }) { totalCount nodes { name } } }
    }`, { id: ids.b });
    expect(d.city.recorded.nodes.map((n: any) => n.name)).toEqual(['FX-b', 'FX-c']);
    expect(d.city.tanks.totalCount).toBe(1);
    const steel = d.retrofitProject.enterprise;
    expect(steel.name).toBe('唐山测试钢铁有限公司');
    expect(steel.retrofitProjects.nodes.map((n: any) => n.name)).toContain('FX-b');
    expect(steel.recorded.nodes.map((n: any) => n.name)).toEqual(['FX-b']);
    expect(d.taskTarget.projects.nodes.map((n: any) => n.name)).toEqual(['FX-a', 'FX-e']);
  });

  it('resolves relations and nested connections with a constant number of SQL statements', async () => {
    // Enough projects in several cities, with enterprises, targets and funding.
    for (let i = 0; i < 12; i++) {
      await created({ name: `BATCH-${i}`, city: i % 2 ? 'tangshan' : 'handan', type: 'ULTRA_LOW_EMISSION_STEEL', enterpriseId: i % 2 ? steelTangshan : steelHandan, taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', investmentYuan: 1000, fundingSources: [{ source: 'BANK_LOAN', amountYuan: 500 }, { source: 'OTHER', amountYuan: 100 }] });
    }
    const q = (first: number) =>
      app.gql(`{ retrofitProjects(first: ${first}) { nodes { name city { slug province { slug } } enterprise { name } taskTarget { code progress { achieved } }
        fundingSources { source amountYuan } } } }`);
    const small = await q(2);
    const large = await q(30);
    expect(large.errors).toBeUndefined();
    expect(large.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
    const nested = (first: number) =>
      app.gql(`{ cities(first: ${first}, filter: { province: "hebei" }) { nodes { slug retrofitProjects(first: 3, filter: { statuses: [PLANNED] }) { totalCount nodes { name enterprise { name } } } } } }`);
    // Tangshan, second of Hebei's cities, has planned projects with enterprises.
    const few = await nested(2);
    const all = await nested(13);
    expect(all.errors).toBeUndefined();
    expect(all.extensions?.sqlStatements).toBe(few.extensions?.sqlStatements);
  });
});

describe('the demo projects', () => {
  it('generates 2,000 projects over every type, status and city, consistent with the rules', async () => {
    const { projectDemoSeeder } = await import('../../packages/api/src/modules/project/project.demo.js');
    const { demoFaker } = await import('../../packages/api/src/seeders/demo-random.js');
    // Stand-ins for the enterprise demo data: one enterprise of each industry in every city.
    // Steel stand-ins are assessed and publicised before the steel target's deadline, so that their
    // completed projects count toward STEEL_ULTRA_LOW_CAPACITY (target.progress.ts).
    await app.sql(`insert into enterprise (city_id, name, credit_code, industry, size, ultra_low_emission_status, ultra_low_emission_publicised_on, origin, created_by, updated_by)
      select c.id, c.name_zh || i.industry || '示范企业', '93' || lpad((c.id * 100 + i.n)::text, 16, '0'), i.industry, 'MEDIUM',
        case when i.industry = 'STEEL' then 'ASSESSED_AND_PUBLICISED' else 'NOT_STARTED' end, case when i.industry = 'STEEL' then date '2023-06-30' end,
        'DEMO', 'system:seed', 'system:seed'
      from city c cross join (select industry, row_number() over () as n from unnest(array['STEEL', 'CEMENT', 'COKING', 'GLASS', 'FOUNDRY',
        'BRICK_AND_TILE', 'LIME', 'REFRACTORY', 'PETROCHEMICAL', 'CHEMICAL', 'INDUSTRIAL_COATING', 'PACKAGING_AND_PRINTING',
        'OIL_STORAGE_AND_DISTRIBUTION', 'POWER', 'HEATING_BOILER', 'OTHER', 'COAL_WASHING', 'NONFERROUS_SMELTING']) as industry) i`);
    await app.sql(`delete from project_funding`);
    await app.sql(`delete from retrofit_project`);
    // The generator's cost is its statements (batched inserts), not its time (timings are in bench/).
    const { currentSqlCount, runCountingSql } = await import('../../packages/api/src/common/sql-counter.js');
    const statements = await runCountingSql(async () => {
      await app.orm.em.fork().transactional((em) => projectDemoSeeder.run(em as never, demoFaker(42, projectDemoSeeder.name)));
      return currentSqlCount() ?? 0;
    });
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(20);

    const [stats] = await app.sql<any>(`select count(*)::int as n, count(distinct type)::int as types, count(distinct status)::int as statuses,
      count(distinct city_id)::int as cities, bool_and(origin = 'DEMO') as demo, bool_and(created_by = 'system:seed') as seed from retrofit_project`);
    expect(stats).toEqual({ n: 2000, types: 19, statuses: 4, cities: 56, demo: true, seed: true });
    // Enterprises are in the project's city, of an industry that fits the type.
    const [mismatch] = await app.sql<any>(`select count(*)::int as n from retrofit_project p join enterprise e on e.id = p.enterprise_id where e.city_id <> p.city_id`);
    expect(mismatch.n).toBe(0);
    const steel = await app.sql<any>(`select distinct e.industry from retrofit_project p join enterprise e on e.id = p.enterprise_id where p.type = 'ULTRA_LOW_EMISSION_STEEL'`);
    expect(steel).toEqual([{ industry: 'STEEL' }]);
    // Household projects lie in the breakdown's provinces and count toward COAL_HOUSEHOLDS.
    const households = await app.sql<any>(`select distinct pr.slug, t.code from retrofit_project p join city c on c.id = p.city_id join province pr on pr.id = c.province_id
      left join task_target t on t.id = p.task_target_id where p.type like 'CLEAN_HEATING_%' order by pr.slug`);
    expect(households).toEqual(['beijing', 'henan', 'shandong', 'shanxi'].map((slug) => ({ slug, code: 'COAL_HOUSEHOLDS' })));
    // Dates follow the status; funding never exceeds the investment.
    const [dates] = await app.sql<any>(`select
      count(*) filter (where status in ('COMPLETED', 'VERIFIED') and actual_end_date is null)::int as no_end,
      count(*) filter (where p.actual_end_date <= t.deadline)::int as on_time,
      count(*) filter (where p.actual_end_date > t.deadline)::int as late
      from retrofit_project p left join task_target t on t.id = p.task_target_id`);
    expect(dates.no_end).toBe(0);
    expect(dates.on_time).toBeGreaterThan(dates.late * 3);
    const [over] = await app.sql<any>(`select count(*)::int as n from retrofit_project p
      where (select coalesce(sum(amount_yuan), 0) from project_funding f where f.project_id = p.id) > p.investment_yuan`);
    expect(over.n).toBe(0);
    // Every type that fits a target in scope is linked to it, and progress shows through the API;
    // no project counts toward a target counted from freight records (the Shuicao railway).
    const d = await app.data(`{ taskTargets(filter: { campaign: "2023-2024-autumn-winter" }) { nodes { code progress { achieved countedProjects } } } }`);
    for (const t of d.taskTargets.nodes) {
      if (t.code in FREIGHT_COUNTED_TARGETS) expect(t.progress.countedProjects, t.code).toBe(0);
      else expect(t.progress.countedProjects, t.code).toBeGreaterThan(0);
    }
    expect(Object.keys(FREIGHT_COUNTED_TARGETS)).toEqual(['TANGSHAN_SHUICAO_RAIL_VOLUME']);
  });
});
