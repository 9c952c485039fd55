/**
 * The subsidy demo generator on a real database (after the enterprise generator it depends on):
 * volume, realistic amounts and dates, valid identity numbers, the low-income share, and no
 * budget ever exceeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import { enterpriseDemoSeeder } from '../../packages/api/src/modules/enterprise/enterprise.demo.js';
import { subsidyDemoSeeder } from '../../packages/api/src/modules/subsidy/subsidy.demo.js';
import { residentIdProblem } from '../../packages/api/src/modules/subsidy/subsidy.rules.js';
import { currentSqlCount, runCountingSql } from '../../packages/api/src/common/sql-counter.js';

let app: TestApp;
let seedStatements = 0;
beforeAll(async () => {
  app = await startTestApp();
  await app.orm.em.fork().transactional((em) => enterpriseDemoSeeder.run(em as EntityManager, demoFaker(20231001, 'enterprise')));
  // The test app counts SQL statements (exposeSqlCount): the generator's cost is its statements, not its time.
  await runCountingSql(async () => {
    await app.orm.em.fork().transactional((em) => subsidyDemoSeeder.run(em as EntityManager, demoFaker(20231001, 'subsidy')));
    seedStatements = currentSqlCount() ?? 0;
  });
});
afterAll(() => app?.close());

const one = async <T = any>(sql: string, params: unknown[] = []) => (await app.sql<T>(sql, params))[0];

describe('subsidy demo data', () => {
  it('generates 4 programs of the campaign, a budget for each in every city and 20,000 disbursements, in batched statements', async () => {
    // Rows go in by the thousand per statement: a handful of statements, whatever the volume.
    expect(seedStatements).toBeGreaterThan(0);
    expect(seedStatements).toBeLessThanOrEqual(20);
    const programs = await app.sql(`select p.kind, c.code as campaign, p.origin from subsidy_program p join campaign c on c.id = p.campaign_id order by p.id`);
    expect(programs).toEqual(
      ['CLEAN_HEATING_OPERATING', 'CLEAN_HEATING_EQUIPMENT', 'CENTRAL_AIR_POLLUTION_FUND', 'LOCAL_AIR_POLLUTION_FUND'].map((kind) => ({
        kind,
        campaign: '2023-2024-autumn-winter',
        origin: 'DEMO',
      })),
    );
    const b = await one(`select count(*)::int n, count(distinct city_id)::int cities, count(*) filter (where origin <> 'DEMO')::int not_demo from subsidy_budget`);
    expect(b).toEqual({ n: 224, cities: 56, not_demo: 0 });
    const d = await one(`select count(*)::int n, count(*) filter (where recipient_kind = 'HOUSEHOLD')::int households,
      count(*) filter (where recipient_kind = 'ENTERPRISE')::int enterprises, count(*) filter (where origin <> 'DEMO')::int not_demo,
      count(distinct city_id)::int cities from disbursement`);
    expect(d.n).toBe(20_000);
    expect(d.not_demo).toBe(0);
    expect(d.cities).toBe(56);
    expect(d.households / d.n).toBeGreaterThan(0.95);
    expect(d.enterprises).toBeGreaterThan(300);
  });

  it('never exceeds a budget', async () => {
    const over = await one(`select count(*)::int n from subsidy_budget b
      where b.amount_yuan < (select coalesce(sum(d.amount_yuan), 0) from disbursement d where d.budget_id = b.id)`);
    expect(over.n).toBe(0);
    const remaining = await one(`select min(b.amount_yuan - coalesce(s.total, 0))::float lowest from subsidy_budget b
      left join (select budget_id, sum(amount_yuan) total from disbursement group by budget_id) s on s.budget_id = b.id`);
    expect(remaining.lowest).toBeGreaterThan(0);
  });

  it('sizes budgets by city: Shijiazhuang above Yangling, every program', async () => {
    const rows = await app.sql<{ kind: string; slug: string; amount: number }>(`select p.kind, c.slug, b.amount_yuan::float amount from subsidy_budget b
      join subsidy_program p on p.id = b.program_id join city c on c.id = b.city_id where c.slug in ('shijiazhuang', 'yangling')`);
    const of = (kind: string, slug: string) => rows.find((r) => r.kind === kind && r.slug === slug)!.amount;
    for (const kind of ['CLEAN_HEATING_OPERATING', 'CLEAN_HEATING_EQUIPMENT']) expect(of(kind, 'shijiazhuang')).toBeGreaterThan(5 * of(kind, 'yangling'));
  });

  it('keeps amounts realistic per program and pays enterprises of the same city only', async () => {
    const ranges = await app.sql<{ kind: string; recipients: string[]; min: number; max: number }>(`select p.kind, array_agg(distinct d.recipient_kind) recipients,
      min(d.amount_yuan)::float min, max(d.amount_yuan)::float max from disbursement d join subsidy_program p on p.id = d.program_id group by p.kind`);
    const byKind = Object.fromEntries(ranges.map((r) => [r.kind, r]));
    expect(byKind.CLEAN_HEATING_OPERATING).toMatchObject({ recipients: ['HOUSEHOLD'] });
    expect(byKind.CLEAN_HEATING_OPERATING.min).toBeGreaterThanOrEqual(600);
    expect(byKind.CLEAN_HEATING_OPERATING.max).toBeLessThanOrEqual(3000);
    expect(byKind.CLEAN_HEATING_EQUIPMENT.min).toBeGreaterThanOrEqual(3000);
    expect(byKind.CLEAN_HEATING_EQUIPMENT.max).toBeLessThanOrEqual(20_000);
    for (const kind of ['CENTRAL_AIR_POLLUTION_FUND', 'LOCAL_AIR_POLLUTION_FUND']) {
      expect(byKind[kind].recipients).toEqual(['ENTERPRISE']);
      expect(byKind[kind].min).toBeGreaterThanOrEqual(500_000);
      expect(byKind[kind].max).toBeLessThanOrEqual(20_000_000);
    }
    const elsewhere = await one(`select count(*)::int n from disbursement d join enterprise e on e.id = d.enterprise_id where e.city_id <> d.city_id`);
    expect(elsewhere.n).toBe(0);
    const rewarded = await one(`select count(*)::int n, count(*) filter (where e.benchmark)::int benchmark,
      count(*) filter (where not e.benchmark and coalesce(e.current_grade, 'none') not in ('LEADING', 'A', 'B'))::int neither
      from disbursement d join enterprise e on e.id = d.enterprise_id join subsidy_program p on p.id = d.program_id where p.kind = 'LOCAL_AIR_POLLUTION_FUND'`);
    expect(rewarded.benchmark).toBeGreaterThan(0);
    expect(rewarded.neither).toBe(0);
  });

  it('favours low-income households: 55-70% of the household amount', async () => {
    const r = await one(`select (sum(amount_yuan) filter (where low_income) / sum(amount_yuan))::float share from disbursement where recipient_kind = 'HOUSEHOLD'`);
    expect(r.share).toBeGreaterThan(0.55);
    expect(r.share).toBeLessThan(0.7);
  });

  it('approves within the campaign and pays most 5-90 days later', async () => {
    const r = await one(`select min(approved_on)::text first, max(approved_on)::text last,
      min(paid_on - approved_on)::int min_days, max(paid_on - approved_on)::int max_days,
      avg((paid_on is null)::int)::float unpaid from disbursement`);
    expect(r.first >= '2023-10-01').toBe(true);
    expect(r.last <= '2024-03-31').toBe(true);
    expect(r.min_days).toBe(5);
    expect(r.max_days).toBe(90);
    expect(r.unpaid).toBeGreaterThan(0.05);
    expect(r.unpaid).toBeLessThan(0.25);
  });

  it('gives households valid identity numbers of their city born 1940-2000', async () => {
    const rows = await app.sql<{ id: string; name: string; division_code: string | null }>(`select d.household_id_number id, d.household_name name, c.division_code
      from disbursement d join city c on c.id = d.city_id where d.recipient_kind = 'HOUSEHOLD'`);
    for (const r of rows) {
      expect(residentIdProblem(r.id, '2024-12-31'), r.id).toBeNull();
      const year = Number(r.id.slice(6, 10));
      expect(year >= 1940 && year <= 2000, r.id).toBe(true);
      const code = r.division_code;
      if (!code) expect(['130638', '130629', '130632']).toContain(r.id.slice(0, 6));
      else if (code.endsWith('0000')) expect(r.id.slice(0, 4)).toBe(`${code.slice(0, 2)}01`);
      else if (code.endsWith('00')) expect(r.id.slice(0, 4)).toBe(code.slice(0, 4));
      else expect(r.id.slice(0, 6)).toBe(code);
      expect(r.name.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('answers the analyst\'s question over the whole dataset in a bounded number of statements', async () => {
    const res = await app.gql(`{ subsidyPrograms { nodes {
      code totals { amount committedAmount paidAmount remainingAmount disbursementCount lowIncomeShare medianDaysToPayment meanDaysToPayment }
      budgets { city { slug province { slug } } amount committedAmount remainingAmount lowIncomeShare medianDaysToPayment }
      disbursements(first: 20, filter: { paid: false }) { totalCount nodes { amount city { slug } enterprise { name } } }
    } } }`);
    expect(res.errors).toBeUndefined();
    const programs = res.data.subsidyPrograms.nodes;
    expect(programs).toHaveLength(4);
    for (const p of programs) {
      expect(p.budgets).toHaveLength(56);
      expect(p.totals.remainingAmount).toBeGreaterThan(0);
      expect(p.totals.medianDaysToPayment).toBeGreaterThanOrEqual(5);
      expect(p.totals.medianDaysToPayment).toBeLessThanOrEqual(90);
      for (const b of p.budgets) expect(b.remainingAmount).toBeGreaterThanOrEqual(0);
    }
    expect(programs[0].totals.lowIncomeShare).toBeGreaterThan(0.55);
    expect(programs[2].totals.lowIncomeShare).toBeNull();
    expect(res.extensions?.sqlStatements).toBeLessThanOrEqual(12);
  });
});
