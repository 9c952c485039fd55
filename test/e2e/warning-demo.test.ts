/**
 * The demo heavy-pollution response: forecasts, warnings consistent with the demo observations, a
 * ministry linkage over Jing-Jin-Ji cities in a winter episode, lists of every city covering every
 * enterprise and respecting the list rules, checks; everything origin DEMO and reproducible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await seedDemoIfEmpty(app.orm, 20231001);
}, 300_000);
afterAll(() => app?.close());

const one = async (sql: string, params: unknown[] = []) => (await app.sql<any>(sql, params))[0];

describe('demo heavy-pollution response', () => {
  it('covers every enterprise of every city with a list entry of the campaign, by the list rules', async () => {
    const r = await one(`select (select count(*) from enterprise)::int as enterprises,
      (select count(*) from reduction_list_entry r join campaign k on k.id = r.campaign_id where k.code = '2023-2024-autumn-winter')::int as listed,
      (select count(distinct city_id) from reduction_list_entry)::int as cities, (select count(distinct city_id) from enterprise)::int as enterprise_cities,
      (select count(*) from reduction_list_entry where origin <> 'DEMO')::int as not_demo`);
    expect(r.enterprises).toBeGreaterThan(0);
    expect(r.listed).toBe(r.enterprises);
    expect(r.cities).toBe(r.enterprise_cities);
    expect(r.not_demo).toBe(0);
    // A and LEADING self-determined; others not; exemptions only with the ministry filing.
    const bad = await one(`select count(*)::int as n from reduction_list_entry r join enterprise e on e.id = r.enterprise_id
      where (r.protected_exempt and e.protected_class <> 'MINISTRY_FILED')
         or (not r.protected_exempt and (r.grade_at_listing in ('A', 'LEADING')) <> (r.yellow_measure = 'SELF_DETERMINED'))`);
    expect(bad.n).toBe(0);
  });

  it('issues warnings on forecasts over observed heavy runs, a Jing-Jin-Ji linkage in winter, and checks', async () => {
    const w = await one(`select count(*)::int as n, count(*) filter (where flag_reasons <> '{}')::int as flagged,
      count(*) filter (where forecast_id is null)::int as without_forecast, count(*) filter (where lifted_at is null)::int as open from warning`);
    expect(w.n).toBeGreaterThan(10);
    expect(w.flagged).toBeGreaterThan(0);
    expect(w.without_forecast).toBe(0);
    expect(w.open).toBe(0);
    // Every warning covers at least one observed heavy day (AQI > 200) of its city.
    const unfounded = await one(`select count(*)::int as n from warning w where not exists (select 1 from air_quality_observation o
      where o.city_id = w.city_id and o.station_code is null and o.aqi > 200
        and o.observed_on >= (w.effective_from at time zone 'Asia/Shanghai')::date and o.observed_on < (w.planned_end at time zone 'Asia/Shanghai')::date)`);
    expect(unfounded.n).toBe(0);
    // Every warning's history starts ISSUED and ends LIFTED.
    const history = await one(`select count(*)::int as n from warning w where
      (select kind from warning_change c where c.warning_id = w.id order by effective_at, id limit 1) <> 'ISSUED'
      or (select kind from warning_change c where c.warning_id = w.id order by effective_at desc, id desc limit 1) <> 'LIFTED'`);
    expect(history.n).toBe(0);

    const links = await app.sql<any>(`select l.id, l.level, l.province_id, to_char(l.effective_from at time zone 'Asia/Shanghai', 'MM') as month,
      array_agg(p.slug order by p.slug) as provinces, count(*)::int as cities,
      count(w.id) filter (where w.level = l.level)::int as following
      from regional_linkage l join regional_linkage_city lc on lc.linkage_id = l.id join city c on c.id = lc.city_id join province p on p.id = c.province_id
      left join warning w on w.linkage_id = l.id and w.city_id = lc.city_id group by l.id`);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ level: 'ORANGE', province_id: null });
    expect(['12', '01', '02']).toContain(links[0].month);
    expect(links[0].cities).toBeGreaterThanOrEqual(2);
    for (const p of links[0].provinces) expect(['beijing', 'tianjin', 'hebei']).toContain(p);
    expect(links[0].following).toBeGreaterThan(0);

    const checks = await one(`select count(*)::int as n, count(*) filter (where result = 'FAILED')::int as failed,
      count(*) filter (where grade_change_id is not null)::int as downgrades,
      count(*) filter (where m.checked_at < w.effective_from or m.checked_at >= w.lifted_at)::int as outside
      from measure_check m join warning w on w.id = m.warning_id`);
    expect(checks.n).toBeGreaterThan(0);
    expect(checks.outside).toBe(0);
    const linked = await one(`select count(*)::int as n from measure_check m join grade_change g on g.id = m.grade_change_id where g.reason <> 'FAILED_EMERGENCY_CUTS'`);
    expect(linked.n).toBe(0);
  });

  it('answers the figures over the demo data', async () => {
    const d = await app.data(`{ city(slug: "shijiazhuang") { emergencyFigures { warningDays { level days } heavyDays heavyDaysWithWarning reductionLists { coverageRate } } } }`);
    const f = d.city.emergencyFigures;
    expect(f.reductionLists.coverageRate).toBe(1);
    expect(f.heavyDaysWithWarning).toBeLessThanOrEqual(f.heavyDays);
  });
});
