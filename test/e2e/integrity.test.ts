import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { buildAccessFixture, CAMPAIGN, MUTATIONS, type AccessFixture } from '../helpers/access-fixture.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';

let app: TestApp;
let fx: AccessFixture;
let tangshan: TestKey;

beforeAll(async () => {
  app = await startTestApp({ poolMax: 10 });
  fx = await buildAccessFixture(app);
  tangshan = await app.createKey({ role: 'CITY', city: 'tangshan' });
});

afterAll(async () => {
  await app?.close();
});

let seed = 99;
const random = (n: number) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from ${sql}`, params);
  return row.n;
}

const conflict = (payload: any) => expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })]);

describe('optimistic locking', () => {
  it('refuses a stale version with CONFLICT on every update that takes one, writing nothing', async () => {
    const t = fx.cities.tangshan;
    // updateEnterprise and updateRetrofitProject had it already; setSubsidyBudget and setOutcomeTarget take it now.
    const [{ version: ev }] = await app.sql(`select version from enterprise where id = ?`, [t.enterpriseId]);
    conflict((await app.data(MUTATIONS.updateEnterprise, { input: { id: t.enterpriseId, name: 'Stale', version: ev - 1 } })).updateEnterprise);
    const e = (await app.data(MUTATIONS.updateEnterprise, { input: { id: t.enterpriseId, name: 'Fresh', version: ev } })).updateEnterprise;
    expect(e).toMatchObject({ userErrors: [], enterprise: { name: 'Fresh', version: ev + 1 } });

    conflict((await app.data(MUTATIONS.updateRetrofitProject, { input: { id: t.projectId, name: 'Stale', version: 7 } })).updateRetrofitProject);
    expect((await app.data(MUTATIONS.updateRetrofitProject, { input: { id: t.projectId, name: 'Fresh', version: 1 } })).updateRetrofitProject).toMatchObject({ userErrors: [], retrofitProject: { version: 2 } });

    // setSubsidyBudget: stale, then current.
    const budget = { programId: fx.programId, city: 'tangshan' };
    conflict((await app.data(MUTATIONS.setSubsidyBudget, { input: { ...budget, amount: 1, version: 2 } })).setSubsidyBudget);
    expect(await app.sql(`select amount_yuan::float8 as a, version from subsidy_budget where id = ?`, [t.budgetId])).toEqual([{ a: 100000, version: 1 }]);
    expect((await app.data(MUTATIONS.setSubsidyBudget, { input: { ...budget, amount: 120000, version: 1 } })).setSubsidyBudget).toMatchObject({ userErrors: [], subsidyBudget: { amount: 120000, version: 2 } });
    // A version for a budget that does not exist yet is a conflict too.
    conflict((await app.data(MUTATIONS.setSubsidyBudget, { input: { programId: fx.programId, city: 'baoding', amount: 5, version: 1 } })).setSubsidyBudget);
    expect(await count(`subsidy_budget b join city c on c.id = b.city_id where c.slug = 'baoding'`)).toBe(0);

    // setOutcomeTarget: stale, then current.
    const target = { city: 'tangshan', campaign: CAMPAIGN, pm25Target: 48, heavyDaysTarget: 9 };
    conflict((await app.data(MUTATIONS.setOutcomeTarget, { input: { ...target, version: 3 } })).setOutcomeTarget);
    expect(await app.sql(`select pm25_target::float8 as p, version from outcome_target where id = ?`, [t.outcomeTargetId])).toEqual([{ p: 50, version: 1 }]);
    expect((await app.data(MUTATIONS.setOutcomeTarget, { input: { ...target, version: 1 } })).setOutcomeTarget).toMatchObject({ userErrors: [], outcomeTarget: { version: 2 } });
    conflict((await app.data(MUTATIONS.setOutcomeTarget, { input: { ...target, city: 'baoding', version: 1 } })).setOutcomeTarget);
  });

  it('lets exactly one of 50 concurrent updates based on the same version through', async () => {
    const t = fx.cities.taiyuan;
    const [{ version }] = await app.sql(`select version from outcome_target where id = ?`, [t.outcomeTargetId]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.data(MUTATIONS.setOutcomeTarget, { input: { city: 'taiyuan', campaign: CAMPAIGN, pm25Target: 40 + i, heavyDaysTarget: 5, version } }),
      ),
    );
    const ok = results.filter((r) => r.setOutcomeTarget.userErrors.length === 0);
    expect(ok).toHaveLength(1);
    results.filter((r) => r.setOutcomeTarget.userErrors.length).forEach((r) => conflict(r.setOutcomeTarget));
    expect(await app.sql(`select version from outcome_target where id = ?`, [t.outcomeTargetId])).toEqual([{ version: version + 1 }]);
  });
});

describe('idempotency keys', () => {
  const create = (creditCode: string, name = '幂等测试有限公司') => ({ input: { city: 'tangshan', name, creditCode, industry: 'GLASS', size: 'SMALL' } });

  it('creates one record for 50 concurrent requests with the same key, and answers them all with it', async () => {
    const creditCode = generateCreditCode('130200', random);
    const since = (await app.sql(`select coalesce(max(id), 0) as id from audit_event`))[0].id;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => app.gql(MUTATIONS.createEnterprise, create(creditCode), { 'idempotency-key': 'create-glassworks-1' })),
    );
    for (const r of responses) {
      expect(r.errors).toBeUndefined();
      expect(r.data.createEnterprise.userErrors).toEqual([]);
    }
    const ids = new Set(responses.map((r) => r.data.createEnterprise.enterprise.id));
    expect(ids.size).toBe(1);
    expect(await count(`enterprise where credit_code = ?`, [creditCode])).toBe(1);
    expect(await count(`audit_event where id > ? and operation = 'createEnterprise'`, [since])).toBe(1);
    // Later retries get the same answer without writing.
    const again = await app.data(MUTATIONS.createEnterprise, create(creditCode), { 'idempotency-key': 'create-glassworks-1' });
    expect(again.createEnterprise.enterprise.id).toBe([...ids][0]);
    expect(await count(`audit_event where id > ? and operation = 'createEnterprise'`, [since])).toBe(1);
  });

  it('does the same for a key restricted to a city (requests in a transaction of their own)', async () => {
    const project = { city: 'tangshan', name: '幂等项目', type: 'BOILER_ELIMINATION', plannedStartDate: '2023-10-01', plannedEndDate: '2023-12-31', fundingSources: [{ source: 'OTHER', amountYuan: 10 }], investmentYuan: 10 };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => app.as(tangshan.secret).gql(MUTATIONS.createRetrofitProject, { input: project }, { 'idempotency-key': 'project-1' })),
    );
    for (const r of responses) expect(r.data?.createRetrofitProject.userErrors).toEqual([]);
    expect(new Set(responses.map((r) => r.data.createRetrofitProject.retrofitProject.id)).size).toBe(1);
    expect(await count(`retrofit_project where name = '幂等项目'`)).toBe(1);
    expect(await count(`project_funding f join retrofit_project p on p.id = f.project_id where p.name = '幂等项目'`)).toBe(1);
    // The same key of another actor is another request.
    const ministry = await app.data(MUTATIONS.createRetrofitProject, { input: project }, { 'idempotency-key': 'project-1' });
    expect(ministry.createRetrofitProject.retrofitProject.id).not.toBe(responses[0].data.createRetrofitProject.retrofitProject.id);
    expect(await count(`retrofit_project where name = '幂等项目'`)).toBe(2);
  });

  it('refuses the same key with other input (CONFLICT), writing nothing', async () => {
    const creditCode = generateCreditCode('130200', random);
    await app.data(MUTATIONS.createEnterprise, create(creditCode), { 'idempotency-key': 'create-2' });
    const before = await count('enterprise');
    const other = await app.data(MUTATIONS.createEnterprise, create(generateCreditCode('130200', random), 'Another'), { 'idempotency-key': 'create-2' });
    expect(other.createEnterprise).toEqual({ enterprise: null, userErrors: [{ field: ['idempotencyKey'], code: 'CONFLICT', message: expect.stringContaining('create-2') }] });
    expect(await count('enterprise')).toBe(before);
  });

  it('keeps no key for a request that failed, so that the corrected request can use it', async () => {
    const bad = await app.data(MUTATIONS.createEnterprise, create('not-a-code'), { 'idempotency-key': 'create-3' });
    expect(bad.createEnterprise.userErrors[0]).toMatchObject({ field: ['input', 'creditCode'], code: 'INVALID' });
    expect(await count(`idempotency_key where key = 'create-3'`)).toBe(0);
    const good = await app.data(MUTATIONS.createEnterprise, create(generateCreditCode('130200', random), 'Corrected'), { 'idempotency-key': 'create-3' });
    expect(good.createEnterprise.userErrors).toEqual([]);
    expect(await count(`idempotency_key where key = 'create-3'`)).toBe(1);
  });
});

describe('transactional writes', () => {
  it('leaves nothing of a mutation that fails half-way: no project, no funding, no audit rows, no idempotency key', async () => {
    // A trigger made by the test breaks the second funding row of a project.
    await app.sql(`create function fail_second_funding() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from project_funding where project_id = new.project_id) then
          raise exception 'injected failure on the second funding row';
        end if;
        return new;
      end $$`);
    await app.sql(`create trigger fail_second_funding before insert on project_funding for each row execute function fail_second_funding()`);
    const input = {
      city: 'tangshan', name: '注入失败项目', type: 'BOILER_ELIMINATION', plannedStartDate: '2023-10-01', plannedEndDate: '2023-12-31', investmentYuan: 300,
      fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 100 }, { source: 'BANK_LOAN', amountYuan: 200 }],
    };
    const snapshot = async () => ({
      projects: await count(`retrofit_project`),
      funding: await count(`project_funding`),
      audit: await count(`audit_event`),
      keys: await count(`idempotency_key`),
    });
    try {
      const before = await snapshot();
      for (const client of [app, app.as(tangshan.secret)]) {
        const r = await client.gql(MUTATIONS.createRetrofitProject, { input }, { 'idempotency-key': 'failing-project' });
        expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        // The database's message (SQL, values) stays in the server log.
        expect(r.errors?.[0].message).toBe('Internal server error.');
        expect(r.data?.createRetrofitProject ?? null).toBeNull();
        expect(await snapshot()).toEqual(before);
      }
      // One funding row is fine: the same mutation with one source goes through.
      const one = await app.data(MUTATIONS.createRetrofitProject, { input: { ...input, fundingSources: [input.fundingSources[0]] } });
      expect(one.createRetrofitProject.userErrors).toEqual([]);
    } finally {
      await app.sql(`drop trigger fail_second_funding on project_funding`);
      await app.sql(`drop function fail_second_funding()`);
    }
    // The key was not consumed by the failures.
    const retried = await app.data(MUTATIONS.createRetrofitProject, { input }, { 'idempotency-key': 'failing-project' });
    expect(retried.createRetrofitProject.userErrors).toEqual([]);
    expect(await count(`project_funding where project_id = ?`, [retried.createRetrofitProject.retrofitProject.id])).toBe(2);
  });

  it('rolls back a grade change whose enterprise update fails', async () => {
    await app.sql(`create function fail_enterprise_update() returns trigger language plpgsql as $$
      begin raise exception 'injected failure on the enterprise update'; end $$`);
    await app.sql(`create trigger fail_enterprise_update before update on enterprise for each row execute function fail_enterprise_update()`);
    const e = fx.cities.taiyuan.enterpriseId;
    const before = { changes: await count(`grade_change where enterprise_id = ?`, [e]), audit: await count('audit_event') };
    try {
      const r = await app.gql(MUTATIONS.recordGradeChange, { input: { enterpriseId: e, toGrade: 'D', reason: 'DOWNGRADE_FOR_VIOLATION', decidedBy: '太原市生态环境局' } });
      expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.sql(`drop trigger fail_enterprise_update on enterprise`);
      await app.sql(`drop function fail_enterprise_update()`);
    }
    expect({ changes: await count(`grade_change where enterprise_id = ?`, [e]), audit: await count('audit_event') }).toEqual(before);
    expect(await app.sql(`select current_grade from enterprise where id = ?`, [e])).toEqual([{ current_grade: 'C' }]);
  });
});
