/**
 * The enterprise demo generator on a real database: volume, spread, valid credit codes, grade
 * histories consistent with the grade rules, and request batching on a realistic dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import { enterpriseDemoSeeder, XIONGAN_DIVISION_CODE } from '../../packages/api/src/modules/enterprise/enterprise.demo.js';
import { isValidCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { currentSqlCount, runCountingSql } from '../../packages/api/src/common/sql-counter.js';

let app: TestApp;
let seedStatements = 0;
beforeAll(async () => {
  app = await startTestApp();
  // The test app counts SQL statements (exposeSqlCount): the generator's cost is its statements, not its time.
  await runCountingSql(async () => {
    await app.orm.em.fork().transactional((em) => enterpriseDemoSeeder.run(em as EntityManager, demoFaker(20231001, 'enterprise')));
    seedStatements = currentSqlCount() ?? 0;
  });
});
afterAll(() => app?.close());

const one = async <T = any>(sql: string, params: unknown[] = []) => (await app.sql<T>(sql, params))[0];

describe('enterprise demo data', () => {
  it('generates at least 5,000 DEMO enterprises over all 56 cities and 18 industries in batched statements', async () => {
    // Rows go in by the thousand per statement: a handful of statements, whatever the volume.
    expect(seedStatements).toBeGreaterThan(0);
    expect(seedStatements).toBeLessThanOrEqual(20);
    const r = await one(`select count(*)::int n, count(distinct city_id)::int cities, count(distinct industry)::int industries,
      count(*) filter (where origin <> 'DEMO')::int not_demo, count(distinct name)::int names from enterprise`);
    expect(r.n).toBeGreaterThanOrEqual(5000);
    expect(r.cities).toBe(56);
    expect(r.industries).toBe(18);
    expect(r.not_demo).toBe(0);
    expect(r.names).toBe(r.n);
  });

  it('weights the provinces and concentrates steel, coking and petrochemicals where they are', async () => {
    const byProvince = Object.fromEntries(
      (await app.sql(`select p.slug, count(*)::int n from enterprise e join city c on c.id = e.city_id join province p on p.id = c.province_id group by p.slug`)).map(
        (r: any) => [r.slug, r.n],
      ),
    );
    for (const big of ['hebei', 'shandong', 'henan']) expect(byProvince[big]).toBeGreaterThan(byProvince.shaanxi);
    const share = async (industry: string, slugs: string[]) =>
      one(`select (count(*) filter (where c.slug in (${slugs.map((x) => `'${x}'`).join(', ')})))::float / count(*) s
        from enterprise e join city c on c.id = e.city_id where e.industry = ?`, [industry]);
    expect((await share('STEEL', ['tangshan', 'handan', 'xingtai', 'shijiazhuang', 'anyang', 'linfen', 'yuncheng'])).s).toBeGreaterThan(0.5);
    expect((await share('PETROCHEMICAL', ['dongying', 'binzhou', 'zibo', 'weifang', 'tianjin', 'cangzhou', 'puyang', 'luoyang'])).s).toBeGreaterThan(0.5);
    const coking = await one(`select (count(*) filter (where p.slug = 'shanxi'))::float / count(*) s from enterprise e
      join city c on c.id = e.city_id join province p on p.id = c.province_id where e.industry = 'COKING'`);
    expect(coking.s).toBeGreaterThan(0.4);
    const beijingSteel = await one(`select count(*)::int n from enterprise e join city c on c.id = e.city_id where c.slug = 'beijing' and e.industry in ('STEEL', 'COKING')`);
    expect(beijingSteel.n).toBe(0);
  });

  it('gives every enterprise a valid unique credit code registered in its city', async () => {
    const rows = await app.sql<{ credit_code: string; division_code: string | null; slug: string }>(
      `select e.credit_code, c.division_code, c.slug from enterprise e join city c on c.id = e.city_id`,
    );
    expect(new Set(rows.map((r) => r.credit_code)).size).toBe(rows.length);
    for (const r of rows) {
      expect(isValidCreditCode(r.credit_code), r.credit_code).toBe(true);
      expect(r.credit_code.slice(2, 8)).toBe(r.division_code ?? XIONGAN_DIVISION_CODE);
    }
    expect(rows.filter((r) => r.slug === 'xiongan').length).toBeGreaterThan(0);
  });

  it('builds grade histories whose chains, dates and rules hold, with the current grade = the last change', async () => {
    const stats = await one(`select count(*)::int changes, count(distinct enterprise_id)::int graded,
      min(decided_at) first, max(decided_at) last,
      count(*) filter (where reason = 'FALSIFIED_MONITORING')::int falsified,
      count(*) filter (where origin <> 'DEMO')::int not_demo from grade_change`);
    const total = (await one(`select count(*)::int n from enterprise`)).n;
    expect(stats.graded / total).toBeGreaterThan(0.6);
    expect(stats.changes).toBeGreaterThan(stats.graded);
    expect(stats.falsified).toBeGreaterThan(0);
    expect(stats.not_demo).toBe(0);
    expect(new Date(stats.first).getTime()).toBeGreaterThanOrEqual(Date.parse('2021-01-01T00:00:00+08:00'));
    expect(new Date(stats.last).getTime()).toBeLessThanOrEqual(Date.parse('2024-04-01T00:00:00+08:00'));
    const perEnterprise = await one(`select max(n)::int max, min(n)::int min from (select count(*) n from grade_change group by enterprise_id) t`);
    expect(perEnterprise).toEqual({ max: 4, min: 1 });

    const broken = await one(`
      with h as (
        select g.*, lag(to_grade) over w prev_to, row_number() over w rn, count(*) over (partition by enterprise_id) n,
               lag(decided_at) over w prev_at
        from grade_change g window w as (partition by enterprise_id order by decided_at, id)
      ), r as (select g, case g when 'LEADING' then 5 when 'A' then 4 when 'B' then 3 when 'C' then 2 when 'D' then 1 end rank
               from unnest(array['LEADING','A','B','C','D']) g)
      select
        count(*) filter (where from_grade is distinct from prev_to) chain,
        count(*) filter (where rn = 1 and reason <> 'ASSESSMENT') first_not_assessment,
        count(*) filter (where from_grade = to_grade) no_change,
        count(*) filter (where reason = 'FALSIFIED_MONITORING' and to_grade <> 'D') falsified,
        count(*) filter (where reason = 'UPGRADE_ON_IMPROVEMENT' and (select rank from r where g = to_grade) <= (select rank from r where g = from_grade)) upgrade,
        count(*) filter (where reason in ('DOWNGRADE_FOR_VIOLATION', 'FAILED_EMERGENCY_CUTS') and (select rank from r where g = to_grade) >= (select rank from r where g = from_grade)) downgrade,
        count(*) filter (where decided_at < prev_at) order_broken,
        count(*) filter (where h.city_id <> e.city_id) city,
        count(*) filter (where e.industry in ('STEEL','CEMENT','COKING') and e.ultra_low_emission_status <> 'ASSESSED_AND_PUBLICISED'
                         and to_grade in ('LEADING','A','B')) ultra_low,
        count(*) filter (where rn = n and e.current_grade is distinct from to_grade) current
      from h join enterprise e on e.id = h.enterprise_id`);
    for (const [rule, n] of Object.entries(broken)) expect(Number(n), rule).toBe(0);
    const ungradedWithGrade = await one(`select count(*)::int n from enterprise e where current_grade is not null
      and not exists (select 1 from grade_change g where g.enterprise_id = e.id)`);
    expect(ungradedWithGrade.n).toBe(0);
    const listedCheats = await one(`select count(*)::int n from enterprise e where (benchmark or positive_list)
      and exists (select 1 from grade_change g where g.enterprise_id = e.id and g.reason = 'FALSIFIED_MONITORING')`);
    expect(listedCheats.n).toBe(0);
  });

  it('answers "the 5 latest grade changes of 10 enterprises of 20 cities" with a constant number of SQL statements', async () => {
    const query = `query($cities: Int, $enterprises: Int) {
      cities(first: $cities) { nodes { slug enterprises(first: $enterprises, filter: { graded: true }) { totalCount nodes {
        name city { slug } gradeChanges(first: 5) { totalCount nodes { toGrade city { slug } enterprise { name } } }
      } } } }
    }`;
    const small = await app.gql(query, { cities: 2, enterprises: 2 });
    const big = await app.gql(query, { cities: 20, enterprises: 10 });
    expect(big.errors).toBeUndefined();
    const cities = big.data.cities.nodes;
    expect(cities).toHaveLength(20);
    let changes = 0;
    for (const c of cities) {
      expect(c.enterprises.nodes).toHaveLength(10);
      for (const e of c.enterprises.nodes) {
        expect(e.city.slug).toBe(c.slug);
        expect(e.gradeChanges.nodes.length).toBe(Math.min(5, e.gradeChanges.totalCount));
        for (const g of e.gradeChanges.nodes) {
          expect(g.enterprise.name).toBe(e.name);
          expect(g.city.slug).toBe(c.slug);
        }
        changes += e.gradeChanges.nodes.length;
      }
    }
    expect(changes).toBeGreaterThan(200);
    expect(big.extensions?.sqlStatements).toBe(small.extensions?.sqlStatements);
    expect(big.extensions?.sqlStatements).toBeLessThanOrEqual(10);
  });
});
