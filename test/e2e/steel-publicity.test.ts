/**
 * Steel ultra-low-emission capacity counts capacity "完成……改造并公示" by the deadline: a completed
 * project counts toward STEEL_ULTRA_LOW_CAPACITY only when its enterprise's assessment was
 * publicised on or before the target's deadline (2023-12-31). The figure is checked against plain
 * SQL over the fixture and against the plan's own number (more than 50,000,000 t).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const CREATE_ENTERPRISE = `mutation($input: CreateEnterpriseInput!) {
  createEnterprise(input: $input) { enterprise { id version ultraLowEmissionStatus ultraLowEmissionPublicisedOn } userErrors { field code message } }
}`;
const UPDATE_ENTERPRISE = `mutation($input: UpdateEnterpriseInput!) {
  updateEnterprise(input: $input) { enterprise { id version ultraLowEmissionStatus ultraLowEmissionPublicisedOn } userErrors { field code message } }
}`;
const CREATE_PROJECT = `mutation($input: CreateRetrofitProjectInput!) {
  createRetrofitProject(input: $input) { retrofitProject { id } userErrors { field code message } }
}`;

/** A valid credit code (GB 32100-2015) per serial, reproducible. */
function creditCode(serial: number): string {
  let state = 1000 + serial;
  return generateCreditCode('130200', (n) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n), { modern: false });
}

let serial = 0;
async function createSteel(city: string, status: string, publicisedOn?: string | null) {
  serial++;
  return app.data(CREATE_ENTERPRISE, {
    input: { city, name: `测试钢铁${serial}有限公司`, creditCode: creditCode(serial), industry: 'STEEL', size: 'LARGE', ultraLowEmissionStatus: status, ultraLowEmissionPublicisedOn: publicisedOn },
  }).then((d) => d.createEnterprise);
}

async function steelProject(city: string, enterpriseId: string | null, capacityTonnes: number, end = '2023-11-30') {
  const d = await app.data(CREATE_PROJECT, {
    input: {
      city, enterpriseId, name: '超低排放改造', type: 'ULTRA_LOW_EMISSION_STEEL', taskTarget: 'STEEL_ULTRA_LOW_CAPACITY', capacityTonnes,
      plannedStartDate: '2023-03-01', plannedEndDate: end, status: 'COMPLETED', actualStartDate: '2023-03-01', actualEndDate: end,
    },
  });
  expect(d.createRetrofitProject.userErrors).toEqual([]);
}

async function steelProgress() {
  const d = await app.data(`{ taskTarget(code: "STEEL_ULTRA_LOW_CAPACITY") { quantity comparator deadline progress { achieved percent met countedProjects } } }`);
  return d.taskTarget;
}

/** The rule in plain SQL: completed/verified by the deadline, enterprise publicised by the deadline. */
async function plainSql() {
  const [row] = await app.sql<{ achieved: number; counted: number }>(
    `select coalesce(sum(p.capacity_tonnes), 0)::float8 as achieved, count(*)::int as counted
       from retrofit_project p
       join task_target t on t.id = p.task_target_id and t.code = 'STEEL_ULTRA_LOW_CAPACITY'
       join enterprise e on e.id = p.enterprise_id
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline
        and e.ultra_low_emission_publicised_on is not null and e.ultra_low_emission_publicised_on <= t.deadline`,
  );
  return row;
}

describe('publicity date of an ultra-low-emission assessment', () => {
  it('is refused on an enterprise that is not ASSESSED_AND_PUBLICISED', async () => {
    const r = await createSteel('tangshan', 'COMPLETED', '2023-10-01');
    expect(r.enterprise).toBeNull();
    expect(r.userErrors).toEqual([expect.objectContaining({ field: ['input', 'ultraLowEmissionPublicisedOn'], code: 'NOT_ALLOWED' })]);
  });

  it('is refused in the future', async () => {
    const r = await createSteel('tangshan', 'ASSESSED_AND_PUBLICISED', '2999-01-01');
    expect(r.userErrors).toEqual([expect.objectContaining({ field: ['input', 'ultraLowEmissionPublicisedOn'], code: 'INVALID_DATE' })]);
  });

  it('is stored with ASSESSED_AND_PUBLICISED, and withdrawn when the status drops', async () => {
    const r = await createSteel('tangshan', 'ASSESSED_AND_PUBLICISED', '2023-10-01');
    expect(r.userErrors).toEqual([]);
    expect(r.enterprise.ultraLowEmissionPublicisedOn).toBe('2023-10-01');
    const d = await app.data(UPDATE_ENTERPRISE, { input: { id: r.enterprise.id, ultraLowEmissionStatus: 'COMPLETED' } });
    expect(d.updateEnterprise.userErrors).toEqual([]);
    expect(d.updateEnterprise.enterprise.ultraLowEmissionPublicisedOn).toBeNull();
    const [row] = await app.sql(`select ultra_low_emission_publicised_on from enterprise where id = ?`, [Number(r.enterprise.id)]);
    expect(row.ultra_low_emission_publicised_on).toBeNull();
  });
});

describe('STEEL_ULTRA_LOW_CAPACITY counts capacity assessed and publicised by the deadline', () => {
  it('counts only projects at enterprises publicised on or before 2023-12-31, as plain SQL does', async () => {
    expect(await steelProgress()).toMatchObject({ quantity: 50000000, comparator: 'MORE_THAN', deadline: '2023-12-31' });

    const notPublicised = (await createSteel('tangshan', 'COMPLETED')).enterprise.id;
    const late = (await createSteel('handan', 'ASSESSED_AND_PUBLICISED', null)).enterprise.id;
    const onTime = (await createSteel('tangshan', 'ASSESSED_AND_PUBLICISED', '2023-12-31')).enterprise.id;
    await steelProject('tangshan', notPublicised, 20_000_000);
    await steelProject('handan', late, 20_000_000);
    await steelProject('tangshan', onTime, 30_000_000);
    await steelProject('tangshan', null, 5_000_000);

    // Completed projects of 75 Mt, of which 30 Mt at an enterprise publicised by the deadline.
    expect((await steelProgress()).progress).toEqual({ achieved: 30000000, percent: 60, met: false, countedProjects: 1 });
    expect(await plainSql()).toEqual({ achieved: 30000000, counted: 1 });

    // Publicised after the deadline (2024-01-05): still not counted.
    const afterDeadline = await app.data(UPDATE_ENTERPRISE, { input: { id: late, ultraLowEmissionPublicisedOn: '2024-01-05' } });
    expect(afterDeadline.updateEnterprise.userErrors).toEqual([]);
    expect((await steelProgress()).progress.achieved).toBe(30000000);

    // Publicised on 2023-12-20: 50 Mt, exactly the plan's number, is not "more than 50 Mt".
    await app.data(UPDATE_ENTERPRISE, { input: { id: late, ultraLowEmissionPublicisedOn: '2023-12-20' } });
    expect((await steelProgress()).progress).toEqual({ achieved: 50000000, percent: 100, met: false, countedProjects: 2 });
    expect(await plainSql()).toEqual({ achieved: 50000000, counted: 2 });

    // The unpublicised enterprise is assessed and publicised in time: 70 Mt, more than 50 Mt.
    const published = await app.data(UPDATE_ENTERPRISE, { input: { id: notPublicised, ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED', ultraLowEmissionPublicisedOn: '2023-12-28' } });
    expect(published.updateEnterprise.userErrors).toEqual([]);
    expect((await steelProgress()).progress).toEqual({ achieved: 70000000, percent: 140, met: true, countedProjects: 3 });
    expect(await plainSql()).toEqual({ achieved: 70000000, counted: 3 });
  });

  it('the collection of task targets answers the same progress', async () => {
    const d = await app.data(`{ taskTargets(filter: { campaign: "2023-2024-autumn-winter" }, first: 20) { nodes { code progress { achieved } } } }`);
    const steel = d.taskTargets.nodes.find((n: any) => n.code === 'STEEL_ULTRA_LOW_CAPACITY');
    expect(steel.progress.achieved).toBe(70000000);
  });
});
