/**
 * The whole demo dataset, generated the way `pnpm start` generates it, and the batching promise
 * of the API on it: the SQL statements of a request do not grow with the page size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let ran: string[];

beforeAll(async () => {
  app = await startTestApp();
  ran = await seedDemoIfEmpty(app.orm, 20231001);
});
afterAll(() => app?.close());

const count = async (sql: string) => Number((await app.sql<{ n: string }>(sql))[0].n);

describe('the demo dataset', () => {
  it('runs every demo seeder once, and a second start generates nothing', async () => {
    expect(ran).toEqual(['enterprise', 'project', 'subsidy', 'air-quality', 'supervision', 'warning', 'inventory', 'household-conversion', 'combustion-places', 'agriculture', 'freight', 'submission']);
    expect(await seedDemoIfEmpty(app.orm, 20231001)).toEqual([]);
  });

  it('has the volumes of the brief: 5,000 enterprises, 2,000 projects, 20,000 disbursements, daily air quality', async () => {
    expect(await count(`select count(*) as n from enterprise`)).toBeGreaterThanOrEqual(5000);
    expect(await count(`select count(distinct city_id) as n from enterprise`)).toBe(56);
    expect(await count(`select count(distinct industry) as n from enterprise`)).toBe(18);
    expect(await count(`select count(distinct enterprise_id) as n from grade_change`)).toBeGreaterThan(4000);
    expect(await count(`select count(*) as n from retrofit_project`)).toBeGreaterThanOrEqual(2000);
    expect(await count(`select count(distinct type) as n from retrofit_project`)).toBe(19);
    expect(await count(`select count(distinct status) as n from retrofit_project`)).toBe(4);
    expect(await count(`select count(*) as n from disbursement`)).toBeGreaterThanOrEqual(20000);
    expect(
      await count(`select count(*) as n from air_quality_observation o join campaign c on o.observed_on between c.period_start and c.period_end
        where c.code = '2023-2024-autumn-winter' and o.station_code is null`),
    ).toBe(56 * 183);
  });

  it('labels every generated record DEMO and leaves the plan\'s records PLAN', async () => {
    for (const table of ['enterprise', 'grade_change', 'retrofit_project', 'disbursement', 'subsidy_budget', 'subsidy_program', 'air_quality_observation', 'outcome_target', 'combustion_unit', 'locality', 'household_conversion', 'agricultural_coal_facility', 'ban_zone', 'freight_record', 'submission']) {
      expect(await count(`select count(*) as n from ${table} where origin <> 'DEMO'`), table).toBe(0);
    }
    expect(await count(`select count(*) as n from task_target where origin <> 'PLAN'`)).toBe(0);
    expect(await count(`select count(*) as n from campaign where origin <> 'PLAN'`)).toBe(0);
  });

  it('keeps the ledger\'s rules: current grade = last change, no budget overspent', async () => {
    expect(
      await count(`select count(*) as n from enterprise e where e.current_grade is distinct from
        (select g.to_grade from grade_change g where g.enterprise_id = e.id order by g.decided_at desc, g.id desc limit 1)`),
    ).toBe(0);
    expect(
      await count(`select count(*) as n from subsidy_budget b where b.amount_yuan <
        (select coalesce(sum(d.amount_yuan), 0) from disbursement d where d.budget_id = b.id)`),
    ).toBe(0);
  });

  it('has a combustion-unit inventory in every city of the plan, consistent with the elimination projects and their targets', async () => {
    expect(await count(`select count(distinct city_id) as n from combustion_unit`)).toBe(56);
    // Every demo elimination project names as many units as it declares.
    expect(await count(`select count(*) as n from retrofit_project p
      where p.type in ('BOILER_ELIMINATION', 'KILN_ELIMINATION', 'GAS_GENERATOR_ELIMINATION', 'COKE_OVEN_CLOSURE')
        and greatest(p.units, 1) <> (select count(*) from combustion_unit u where u.elimination_project_id = p.id)`)).toBe(0);
    // No demo unit breaks a rule: no operating coal boiler of 35 t/h or less; units eliminated when and where their project was completed.
    expect(await count(`select count(*) as n from combustion_unit where kind = 'BOILER' and fuel = 'COAL' and capacity_tph <= 35 and status = 'OPERATING'`)).toBe(0);
    expect(await count(`select count(*) as n from combustion_unit u join retrofit_project p on p.id = u.elimination_project_id
      where p.city_id <> u.city_id or (u.status = 'ELIMINATED') <> (p.status in ('COMPLETED', 'VERIFIED')) or u.eliminated_on is distinct from p.actual_end_date`)).toBe(0);
    // The boiler target counts the eliminated coal boilers of its counting projects: plain SQL and the API agree.
    const sql = await count(`select count(*) as n from combustion_unit u join retrofit_project p on p.id = u.elimination_project_id
      join task_target t on t.id = p.task_target_id and t.code = 'COAL_BOILERS_ELIMINATED'
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline and u.status = 'ELIMINATED' and u.eliminated_on <= t.deadline and u.kind = 'BOILER' and u.fuel = 'COAL'`);
    const d = await app.data(`{ taskTarget(code: "COAL_BOILERS_ELIMINATED") { progress { achieved } } }`);
    expect(d.taskTarget.progress.achieved).toBe(sql);
    expect(sql).toBeGreaterThan(0);
  });

  it('has counties, townships, villages and a village conversion list in every city of the plan, consistent with the clean-heating projects and COAL_HOUSEHOLDS', async () => {
    for (const level of ['COUNTY', 'TOWNSHIP', 'VILLAGE']) {
      expect(await count(`select count(distinct city_id) as n from locality where level = '${level}'`), level).toBe(56);
    }
    expect(await count(`select count(distinct city_id) as n from household_conversion`)).toBe(56);
    // Every place lies under a parent of the level above in its own city; every conversion in a village of its city.
    expect(await count(`select count(*) as n from locality l left join locality p on p.id = l.parent_id
      where (l.level = 'TOWNSHIP' and (p.level <> 'COUNTY' or p.city_id <> l.city_id)) or (l.level = 'VILLAGE' and (p.level <> 'TOWNSHIP' or p.city_id <> l.city_id))`)).toBe(0);
    expect(await count(`select count(*) as n from household_conversion h join locality v on v.id = h.village_id where v.level <> 'VILLAGE' or v.city_id <> h.city_id`)).toBe(0);
    // A completed demo clean-heating project converted exactly the households it declares, in its city.
    expect(await count(`select count(*) as n from retrofit_project p
      where p.type in ('CLEAN_HEATING_COAL_TO_GAS', 'CLEAN_HEATING_COAL_TO_ELECTRICITY') and p.status in ('COMPLETED', 'VERIFIED') and p.households > 0
        and p.households <> (select coalesce(sum(h.households), 0) from household_conversion h where h.project_id = p.id and h.city_id = p.city_id)`)).toBe(0);
    // Build before break holds on every demo row.
    expect(await count(`select count(*) as n from household_conversion where old_heating_removed_on is not null
      and (not supply_stable or first_season_completed_on is null or old_heating_removed_on < first_season_completed_on)`)).toBe(0);
    // COAL_HOUSEHOLDS: plain SQL over the demo rows and the API agree, by target and by province; the shares add up.
    const plain = await app.sql<{ province: string; n: number }>(`select pr.slug as province, coalesce(sum(h.households), 0)::int as n
      from household_conversion h join retrofit_project p on p.id = h.project_id
      join task_target t on t.id = p.task_target_id and t.code = 'COAL_HOUSEHOLDS'
      join heating_season hs on hs.city_id = h.city_id and hs.campaign_id = t.campaign_id
      join city c on c.id = h.city_id join province pr on pr.id = c.province_id
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline and h.converted_on <= hs.starts_on and h.converted_on > hs.starts_on - 365
      group by pr.slug order by pr.slug`);
    const d = await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS") { quantity progress { achieved } breakdown { quantity province { slug } progress { achieved } } } }`);
    const total = plain.reduce((s, r) => s + r.n, 0);
    expect(d.taskTarget.progress.achieved).toBe(total);
    expect(total).toBeGreaterThan(0);
    const shares = Object.fromEntries(d.taskTarget.breakdown.map((b: any) => [b.province.slug, b.progress.achieved]));
    expect(shares).toEqual({ beijing: 0, shanxi: 0, shandong: 0, henan: 0, ...Object.fromEntries(plain.map((r) => [r.province, r.n])) });
    expect(d.taskTarget.breakdown.reduce((s: number, b: any) => s + b.quantity, 0)).toBe(d.taskTarget.quantity);
    expect(d.taskTarget.quantity).toBe(787000);
    // The projects' declared households = what counts + what was put into use after the city's heating-season start.
    const declared = await count(`select coalesce(sum(p.households), 0) as n from retrofit_project p join task_target t on t.id = p.task_target_id and t.code = 'COAL_HOUSEHOLDS'
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline`);
    const late = await count(`select coalesce(sum(h.households), 0) as n from household_conversion h join retrofit_project p on p.id = h.project_id
      join task_target t on t.id = p.task_target_id and t.code = 'COAL_HOUSEHOLDS' join heating_season hs on hs.city_id = h.city_id and hs.campaign_id = t.campaign_id
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline and h.converted_on > hs.starts_on`);
    expect(declared - late).toBe(total);
  });

  it('has agricultural coal facilities and ban zones in every city of the plan, consistent with the agricultural projects', async () => {
    expect(await count(`select count(distinct city_id) as n from agricultural_coal_facility`)).toBe(56);
    expect(await count(`select count(distinct city_id) as n from ban_zone`)).toBe(56);
    // Every demo agricultural replacement project names as many facilities as the units it declares, replaced iff it was completed.
    expect(await count(`select count(*) as n from retrofit_project p where p.type = 'AGRICULTURAL_COAL_REPLACEMENT'
      and greatest(p.units, 1) <> (select count(*) from agricultural_coal_facility a where a.project_id = p.id and a.city_id = p.city_id)`)).toBe(0);
    expect(await count(`select count(*) as n from agricultural_coal_facility a join retrofit_project p on p.id = a.project_id
      where (a.status = 'REPLACED') <> (p.status in ('COMPLETED', 'VERIFIED')) or a.replaced_on > p.actual_end_date or a.replaced_on < p.actual_start_date`)).toBe(0);
    expect(await count(`select count(*) as n from ban_zone where designated_on > '2023-12-31' or area_km2 <= 0`)).toBe(0);
    // AGRI_COAL_FACILITIES counts the replaced facilities of its counting projects: plain SQL and the API agree, against the plan's 8,892.
    const sql = await count(`select count(*) as n from agricultural_coal_facility a join retrofit_project p on p.id = a.project_id
      join task_target t on t.id = p.task_target_id and t.code = 'AGRI_COAL_FACILITIES'
      where p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline and a.city_id = p.city_id and a.status = 'REPLACED' and a.replaced_on <= t.deadline`);
    const d = await app.data(`{ taskTarget(code: "AGRI_COAL_FACILITIES") { quantity progress { achieved percent } } }`);
    expect(d.taskTarget).toEqual({ quantity: 8892, progress: { achieved: sql, percent: Math.round((sql / 8892) * 10000) / 100 } });
    expect(sql).toBeGreaterThan(0);
  });

  it('has submissions of the provinces of the plan, on time, late and missing, whose snapshots equal the figures re-computed', async () => {
    const campaign = '2023-2024-autumn-winter';
    const key = await app.createKey({ role: 'READ_ONLY', name: 'demo submissions reader' });
    const d = await app.as(key.secret).data(`{ submissionStatuses(campaign: "${campaign}") { province { slug } kind deadline status firstFiledAt latest { id } } }`);
    const statuses: { province: { slug: string }; kind: string; deadline: string; status: string; firstFiledAt: string | null; latest: { id: string } | null }[] = d.submissionStatuses;
    // Every province of the plan and every kind: 7 provinces x 4 kinds.
    expect(statuses).toHaveLength(7 * 4);
    const by = (s: string) => statuses.filter((x) => x.status === s).length;
    expect(by('ON_TIME')).toBeGreaterThan(0);
    expect(by('LATE')).toBeGreaterThan(0);
    expect(by('MISSING')).toBeGreaterThan(0);
    // The status per province and kind, from plain SQL over the rows (first filing, China day, against the deadline).
    const plain = await app.sql<{ province: string; kind: string; status: string }>(
      `select p.slug as province, k.kind, case when min(s.filed_at) is null then 'MISSING'
              when (min(s.filed_at) at time zone 'Asia/Shanghai')::date <= k.deadline then 'ON_TIME' else 'LATE' end as status
         from province p cross join (values ('COMBUSTION_UNITS', date '2023-12-31'), ('VILLAGE_CONVERSIONS', date '2023-12-31'), ('BAN_ZONES', date '2023-12-31'), ('CAMPAIGN_SUMMARY', date '2024-04-15')) k(kind, deadline)
         left join submission s on s.province_id = p.id and s.kind = k.kind
        where exists (select 1 from city c where c.province_id = p.id) group by p.slug, k.kind, k.deadline`,
    );
    const sorted = <T extends { province: string; kind: string }>(xs: T[]) => [...xs].sort((a, b) => `${a.province}/${a.kind}`.localeCompare(`${b.province}/${b.kind}`));
    expect(sorted(statuses.map((s) => ({ province: s.province.slug, kind: s.kind, status: s.status })))).toEqual(sorted(plain));
    for (const s of statuses) expect(s.latest === null).toBe(s.status === 'MISSING');

    // Each snapshot equals what filing now computes (the same SQL, SubmissionService.figuresNow), its asOf is its filing time.
    const { SubmissionService } = await import('../../packages/api/src/modules/inventory/submission.service.js');
    const rows = await app.sql<{ id: number; province_id: number; campaign_id: number; kind: any; snapshot: any; filed_at: Date; origin: string; filed_by: string }>(
      `select id, province_id, campaign_id, kind, snapshot, filed_at, origin, filed_by from submission order by id`,
    );
    expect(rows.length).toBeGreaterThan(statuses.length / 2);
    const em = app.orm.em.fork();
    for (const r of rows) {
      expect(r).toMatchObject({ origin: 'DEMO', filed_by: 'system:seed' });
      expect(r.snapshot.figures, `submission ${r.id}`).toEqual(await SubmissionService.figuresNow(em as never, r.province_id, r.campaign_id, r.kind));
      expect(Date.parse(r.snapshot.asOf)).toBe(new Date(r.filed_at).getTime());
    }
    // The figures are those of the demo inventories, e.g. Hebei's ban zones by plain SQL.
    const [zones] = await app.sql<{ zones: number; area: number }>(
      `select count(*)::int as zones, sum(z.area_km2)::float8 as area from ban_zone z join city c on c.id = z.city_id join province p on p.id = c.province_id where p.slug = 'hebei'`,
    );
    const hebei = rows.filter((r) => r.kind === 'BAN_ZONES' && r.snapshot.province === 'hebei');
    for (const r of hebei) expect(r.snapshot.figures).toMatchObject({ zones: zones.zones, areaKm2: zones.area });
  });

  it('has the Shuicao railway\'s monthly freight through the campaign, reaching the plan\'s 20 Mt; no project counts toward it', async () => {
    expect(await count(`select count(*) as n from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and f.railway = '水曹铁路' and f.month between '2023-10' and '2024-03'`)).toBe(6);
    const d = await app.data(`{ taskTarget(code: "TANGSHAN_SHUICAO_RAIL_VOLUME") { quantity progress { achieved met countedProjects } } }`);
    const [sql] = await app.sql<{ t: number }>(`select sum(tonnes)::float8 as t from freight_record f join city c on c.id = f.city_id where c.slug = 'tangshan' and f.railway = '水曹铁路' and f.month between '2023-10' and '2024-03'`);
    expect(d.taskTarget).toEqual({ quantity: 20_000_000, progress: { achieved: sql.t, met: true, countedProjects: 0 } });
    expect(await count(`select count(*) as n from retrofit_project p join task_target t on t.id = p.task_target_id where t.code = 'TANGSHAN_SHUICAO_RAIL_VOLUME'`)).toBe(0);
  });

  it('tells API clients that the ledger holds generated demo data, and which', async () => {
    const d = await app.data(`{ demoDataset { seed parts generatedAt } }`);
    expect(d.demoDataset).toMatchObject({ seed: 20231001, parts: ['agriculture', 'air-quality', 'combustion-places', 'enterprise', 'freight', 'household-conversion', 'inventory', 'project', 'submission', 'subsidy', 'supervision', 'warning'] });
    expect(Date.parse(d.demoDataset.generatedAt)).not.toBeNaN();
    // Public: an anonymous caller sees it too.
    expect((await app.anonymous.gql(`{ demoDataset { seed } }`)).data?.demoDataset).toEqual({ seed: 20231001 });
  });

  it('shows the demo label through the API', async () => {
    const d = await app.data(`{ enterprises(first: 3) { nodes { origin } } taskTargets(first: 1) { nodes { origin } } }`);
    expect(d.enterprises.nodes.map((e: any) => e.origin)).toEqual(['DEMO', 'DEMO', 'DEMO']);
    expect(d.taskTargets.nodes[0].origin).toBe('PLAN');
  });
});

describe('batching: SQL statements per request do not grow with the page size', () => {
  const NESTED_QUERIES: Record<string, string> = {
    'cities -> enterprises -> grade changes -> enterprise': `query($n: Int) { cities(first: $n) { nodes { slug enterprises(first: $n) { totalCount nodes { name gradeChanges(first: $n) { totalCount nodes { toGrade enterprise { name } } } } } } } }`,
    'enterprises -> city -> province -> cities': `query($n: Int) { enterprises(first: $n) { nodes { name city { slug province { slug cities { slug } } } retrofitProjects(first: $n) { nodes { name } } } } }`,
    'projects -> enterprise -> city -> region, task target progress': `query($n: Int) { retrofitProjects(first: $n) { nodes { name fundingSources { source } enterprise { name city { region { code } } } taskTarget { code progress { achieved met } } } } }`,
    'task targets -> breakdown -> province, projects -> city': `query($n: Int) { taskTargets(first: $n) { nodes { code progress { achieved percent } breakdown { province { slug } progress { achieved } } projects(first: $n) { nodes { city { slug province { slug } } } } } } }`,
    'subsidy programs -> budgets -> city, disbursements -> enterprise': `query($n: Int) { subsidyPrograms(first: $n) { nodes { code totals { paidAmount } budgets { amount committedAmount city { slug } } disbursements(first: $n) { nodes { amount city { slug } enterprise { name } } } } } }`,
    'cities -> attainment -> campaign, outcome target': `query($n: Int) { cities(first: $n) { nodes { slug attainment(campaign: "2023-2024-autumn-winter") { pm25Mean heavyPollutionDays campaign { code } } outcomeTarget(campaign: "2023-2024-autumn-winter") { pm25Target city { province { slug } } } airQualityObservations(first: $n) { nodes { pm25 } } } } }`,
  };

  for (const [name, query] of Object.entries(NESTED_QUERIES)) {
    it(name, async () => {
      const small = await app.gql(query, { n: 5 });
      const large = await app.gql(query, { n: 100 });
      expect(small.errors).toBeUndefined();
      expect(large.errors).toBeUndefined();
      expect(JSON.stringify(large.data).length).toBeGreaterThan(JSON.stringify(small.data).length);
      const s = small.extensions?.sqlStatements;
      expect(s).toBeGreaterThan(0);
      expect(large.extensions?.sqlStatements).toBe(s);
    });
  }
});
