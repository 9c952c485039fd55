import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { knexOf } from '../../packages/api/src/common/sql.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import { airQualityDemoSeeder } from '../../packages/api/src/modules/air-quality/air-quality.demo.js';
import { dailyAqi } from '../../packages/api/src/modules/air-quality/aqi.js';

const CAMPAIGN = '2023-2024-autumn-winter';
const SEED = 20231001;

let app: TestApp;

async function checksum(em: EntityManager): Promise<string> {
  const r = await knexOf(em).raw(`select
    (select md5(string_agg(concat_ws('|', city_id, observed_on, pm25, pm10, o3, no2, so2, co, aqi), ',' order by city_id, observed_on)) from air_quality_observation)
    || (select md5(string_agg(concat_ws('|', city_id, pm25_target, heavy_days_target, annual_pm25_target), ',' order by city_id)) from outcome_target) as h`);
  return r.rows[0].h;
}

beforeAll(async () => {
  app = await startTestApp();
  // First run rolled back, second run kept: the same seed must give the same data.
  let first = '';
  await app.orm.em
    .fork()
    .transactional(async (em) => {
      await airQualityDemoSeeder.run(em as EntityManager, demoFaker(SEED, airQualityDemoSeeder.name));
      first = await checksum(em as EntityManager);
      throw new Error('rollback');
    })
    .catch((e) => {
      if ((e as Error).message !== 'rollback') throw e;
    });
  let second = '';
  await app.orm.em.fork().transactional(async (em) => {
    await airQualityDemoSeeder.run(em as EntityManager, demoFaker(SEED, airQualityDemoSeeder.name));
    second = await checksum(em as EntityManager);
  });
  expect(second).toBe(first);
});
afterAll(() => app?.close());

/** The autumn-winter months (the statistics below describe them; the warm season is checked on its own). */
const AUTUMN_WINTER = `extract(month from observed_on) not between 4 and 9`;

const citySeason = (from: string, to: string) => `
  select c.slug, c.region_code, p.slug as province, count(*)::int as days, avg(o.pm25)::float as mean,
    count(*) filter (where o.pm25 > 150 or o.aqi > 200)::int as heavy
  from air_quality_observation o join city c on c.id = o.city_id join province p on p.id = c.province_id
  where o.station_code is null and o.observed_on between '${from}' and '${to}'
  group by c.slug, c.region_code, p.slug`;

describe('demo air quality', () => {
  it('holds a city-wide value for every city and day of both autumn-winters and the warm season between them, and a DEMO target per city', async () => {
    const [n] = await app.sql(`select count(*)::int as n, count(distinct city_id)::int as cities, count(*) filter (where origin <> 'DEMO')::int as other,
      count(*) filter (where station_code is not null)::int as stations from air_quality_observation`);
    expect(n).toEqual({ n: 56 * (182 + 183 + 183), cities: 56, other: 0, stations: 0 });
    const warm = await app.sql(citySeason('2023-04-01', '2023-09-30'));
    expect(warm.every((r) => r.days === 183)).toBe(true);
    const prior = await app.sql(citySeason('2022-10-01', '2023-03-31'));
    const current = await app.sql(citySeason('2023-10-01', '2024-03-31'));
    expect(prior.every((r) => r.days === 182)).toBe(true);
    expect(current.every((r) => r.days === 183)).toBe(true);
    const [t] = await app.sql(`select count(*)::int as n, count(*) filter (where origin = 'DEMO' and annual_pm25_target is not null)::int as demo from outcome_target`);
    expect(t).toEqual({ n: 56, demo: 56 });
  });

  it('looks like a northern Chinese winter: seasonal peak, regional levels, year-on-year improvement', async () => {
    const prior = new Map((await app.sql(citySeason('2022-10-01', '2023-03-31'))).map((r) => [r.slug, r]));
    const current = new Map((await app.sql(citySeason('2023-10-01', '2024-03-31'))).map((r) => [r.slug, r]));
    // 2023-2024 is roughly 5-10% below 2022-2023 in every city.
    for (const [slug, c] of current) {
      const ratio = c.mean / prior.get(slug)!.mean;
      expect(ratio, slug).toBeGreaterThan(0.88);
      expect(ratio, slug).toBeLessThan(0.97);
    }
    // Cleaner north (Beijing, Qinhuangdao) below southern Hebei and the Fenwei hot spots.
    for (const clean of ['beijing', 'qinhuangdao']) {
      for (const dirty of ['shijiazhuang', 'xingtai', 'handan', 'anyang', 'xianyang', 'linfen']) {
        expect(current.get(clean)!.mean, `${clean} < ${dirty}`).toBeLessThan(current.get(dirty)!.mean * 0.8);
      }
    }
    const all = [...current.values()].map((r) => r.mean);
    expect(Math.min(...all)).toBeGreaterThan(25);
    expect(Math.max(...all)).toBeLessThan(100);

    const [season] = await app.sql(`select
      avg(pm25) filter (where extract(month from observed_on) = 10)::float as oct,
      avg(pm25) filter (where extract(month from observed_on) in (12, 1))::float as dec_jan,
      avg(pm25) filter (where extract(month from observed_on) = 3)::float as mar
      from air_quality_observation where ${AUTUMN_WINTER}`);
    expect(season.dec_jan).toBeGreaterThan(1.5 * season.oct);
    expect(season.dec_jan).toBeGreaterThan(1.5 * season.mar);
  });

  it('has multi-day heavy episodes shared by neighbouring cities', async () => {
    // Days on which at least 3 Hebei cities are heavy together, and runs of 3+ heavy days in one city.
    const [shared] = await app.sql(`select count(*)::int as n from (
      select observed_on from air_quality_observation o join city c on c.id = o.city_id join province p on p.id = c.province_id
      where p.slug = 'hebei' and o.pm25 > 150 group by observed_on having count(*) >= 3) d`);
    expect(shared.n).toBeGreaterThan(5);
    const [runs] = await app.sql(`select count(*)::int as n from air_quality_observation a
      join air_quality_observation b on b.city_id = a.city_id and b.observed_on = a.observed_on + 1
      join air_quality_observation c on c.city_id = a.city_id and c.observed_on = a.observed_on + 2
      where a.pm25 > 150 and b.pm25 > 150 and c.pm25 > 150`);
    expect(runs.n).toBeGreaterThan(20);
    const [share] = await app.sql(`select avg((pm25 > 150 or aqi > 200)::int)::float as heavy, avg((pm25 <= 35)::int)::float as good from air_quality_observation where ${AUTUMN_WINTER}`);
    expect(share.heavy).toBeGreaterThan(0.02);
    expect(share.heavy).toBeLessThan(0.15);
    expect(share.good).toBeGreaterThan(0.1);
  });

  it('has plausible other pollutants and the AQI of HJ 633-2012', async () => {
    const rows = await app.sql(`select pm25::float, pm10::float, o3::float, no2::float, so2::float, co::float, aqi, (${AUTUMN_WINTER}) as aw from air_quality_observation`);
    const ratios = rows.filter((r) => r.aw).map((r) => r.pm10 / r.pm25).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    expect(median).toBeGreaterThan(1.4);
    expect(median).toBeLessThan(1.9);
    for (const r of rows) {
      expect(r.aqi).toBe(dailyAqi({ pm25: r.pm25, pm10: r.pm10, o3: r.o3, no2: r.no2, so2: r.so2, co: r.co }));
    }
    const [m] = await app.sql(`select avg(no2)::float as no2, avg(so2)::float as so2, avg(co)::float as co,
      avg(o3) filter (where extract(month from observed_on) = 10)::float as o3_oct, avg(o3) filter (where extract(month from observed_on) = 1)::float as o3_jan
      from air_quality_observation where ${AUTUMN_WINTER}`);
    expect(m.no2).toBeGreaterThan(20);
    expect(m.no2).toBeLessThan(60);
    expect(m.so2).toBeGreaterThan(4);
    expect(m.so2).toBeLessThan(25);
    expect(m.co).toBeGreaterThan(0.6);
    expect(m.co).toBeLessThan(2);
    expect(m.o3_oct).toBeGreaterThan(1.8 * m.o3_jan);
  });

  it('gives a mix of met and missed targets through the API', async () => {
    const d = await app.data(`query($c: String!) { campaign(code: $c) { attainments { observedDays pm25Met heavyDaysMet pm25Mean pm25Target } } }`, { c: CAMPAIGN });
    const a = d.campaign.attainments;
    expect(a).toHaveLength(56);
    expect(a.every((x: any) => x.observedDays === 183 && x.pm25Target !== null)).toBe(true);
    const met = a.filter((x: any) => x.pm25Met).length;
    expect(met).toBeGreaterThan(10);
    expect(met).toBeLessThan(56);
    expect(a.some((x: any) => x.heavyDaysMet === false)).toBe(true);
    expect(a.some((x: any) => x.heavyDaysMet === true)).toBe(true);
    const obs = await app.data(`{ airQualityObservations(filter: { origin: DEMO, city: "beijing", from: "2023-10-01", to: "2024-03-31" }) { totalCount } }`);
    expect(obs.airQualityObservations.totalCount).toBe(183);
  });

  it('has a cleaner, ozone-heavier warm season, and a calendar 2023 complete enough to judge the annual targets, some met', async () => {
    const [w] = await app.sql(`select avg(pm25) filter (where extract(month from observed_on) between 6 and 8)::float as summer,
      avg(pm25) filter (where extract(month from observed_on) in (12, 1))::float as dec_jan,
      avg(o3) filter (where extract(month from observed_on) between 6 and 8)::float as o3_summer,
      avg(o3) filter (where extract(month from observed_on) = 1)::float as o3_jan,
      count(*) filter (where extract(month from observed_on) between 4 and 9 and (pm25 > 150 or aqi > 200))::int as warm_heavy
      from air_quality_observation`);
    expect(w.summer).toBeLessThan(0.6 * w.dec_jan);
    expect(w.o3_summer).toBeGreaterThan(2 * w.o3_jan);
    expect(w.warm_heavy).toBe(0);
    const d = await app.data(`query($c: String!) { campaign(code: $c) { attainments { city { slug } annual { year pm25Mean pm25Target status met coverage { expectedCount observedCount complete } } } } }`, { c: CAMPAIGN });
    const annual = d.campaign.attainments.map((x: any) => x.annual);
    expect(annual.every((y: any) => y.year === 2023 && y.coverage.expectedCount === 365 && y.coverage.observedCount === 365 && y.coverage.complete)).toBe(true);
    // Plain SQL: each city's calendar-2023 mean and its demo annual target.
    const plain = await app.sql(`select c.slug, avg(o.pm25)::float8 as mean, t.annual_pm25_target::float8 as target
      from air_quality_observation o join city c on c.id = o.city_id join outcome_target t on t.city_id = c.id
      where o.observed_on between '2023-01-01' and '2023-12-31' and o.station_code is null group by c.slug, t.annual_pm25_target`);
    const bySlug = new Map(plain.map((r) => [r.slug, r]));
    d.campaign.attainments.forEach((x: any) => {
      const p = bySlug.get(x.city.slug)!;
      expect(x.annual.pm25Mean).toBeCloseTo(p.mean, 9);
      expect(x.annual.pm25Target).toBe(p.target);
      expect(x.annual.status).toBe(p.mean <= p.target ? 'MET' : 'NOT_MET');
    });
    const met = annual.filter((y: any) => y.met).length;
    expect(met).toBeGreaterThan(10);
    expect(met).toBeLessThan(56);
  });
});
