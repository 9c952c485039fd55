import type { Faker } from '@faker-js/faker';
import { DataOrigin } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';
import { isHeavyPollutionDay } from './air-quality.entity.js';
import { dailyAqi } from './aqi.js';

/**
 * Demo air quality: city-wide daily observations of all 56 cities for every day of the 2023-2024
 * campaign and of the autumn-winter before it (for year-on-year comparisons), and of the warm
 * season between them (2023-04-01..2023-09-30), so that calendar 2023 is complete for the annual
 * target; and demo outcome targets for 2023-2024 (the plan sets none: the competent authority
 * does). Everything is DEMO.
 *
 * The daily PM2.5 of a city is its autumn-winter level x a seasonal curve peaking around New Year
 * x autocorrelated weather noise (regional, shared by a cluster of neighbouring cities, and the
 * city's own) x multi-day heavy episodes shared by the cluster. Other pollutants follow PM2.5 and
 * the season; the AQI is computed from them (HJ 633-2012, aqi.ts).
 */

/** Autumn-winter mean PM2.5 (ug/m3) around which the 2022-2023 season is generated (DEMO levels). */
const LEVEL_2022: Record<string, number> = {
  beijing: 38, tianjin: 52,
  shijiazhuang: 72, tangshan: 56, qinhuangdao: 40, handan: 71, xingtai: 72, baoding: 64, cangzhou: 56, langfang: 52,
  hengshui: 66, xiongan: 60, dingzhou: 67, xinji: 69,
  taiyuan: 60, yangquan: 56, changzhi: 54, jincheng: 55, jinzhong: 58, yuncheng: 68, linfen: 71, lvliang: 50,
  jinan: 56, zibo: 60, zaozhuang: 60, dongying: 48, weifang: 52, jining: 55, taian: 54, rizhao: 40, linyi: 55,
  dezhou: 60, liaocheng: 66, binzhou: 57, heze: 62,
  zhengzhou: 64, kaifeng: 64, luoyang: 60, pingdingshan: 62, anyang: 77, hebi: 68, xinxiang: 70, jiaozuo: 70, puyang: 68,
  xuchang: 62, luohe: 60, sanmenxia: 56, shangqiu: 62, zhoukou: 61, jiyuan: 65,
  xian: 70, tongchuan: 52, baoji: 54, xianyang: 74, weinan: 70, yangling: 60,
};

/** Neighbouring cities of a province that share weather and heavy episodes. */
const CLUSTERS: Record<string, string[]> = {
  beijing: ['beijing'],
  tianjin: ['tianjin'],
  'hebei-north': ['tangshan', 'qinhuangdao', 'langfang', 'cangzhou'],
  'hebei-central': ['shijiazhuang', 'baoding', 'xiongan', 'dingzhou', 'xinji', 'hengshui'],
  'hebei-south': ['xingtai', 'handan'],
  'shanxi-central': ['taiyuan', 'jinzhong', 'yangquan', 'lvliang'],
  'shanxi-south': ['linfen', 'yuncheng', 'changzhi', 'jincheng'],
  'shandong-west': ['jinan', 'dezhou', 'liaocheng', 'heze', 'jining', 'taian', 'zaozhuang'],
  'shandong-east': ['zibo', 'dongying', 'weifang', 'binzhou', 'rizhao', 'linyi'],
  'henan-north': ['anyang', 'hebi', 'xinxiang', 'jiaozuo', 'puyang', 'jiyuan'],
  'henan-central': ['zhengzhou', 'kaifeng', 'xuchang', 'luohe', 'pingdingshan', 'shangqiu', 'zhoukou'],
  'henan-west': ['luoyang', 'sanmenxia'],
  guanzhong: ['xian', 'xianyang', 'weinan', 'tongchuan', 'baoji', 'yangling'],
};

/** Relative SO2 of coal-heavy provinces. */
const SO2_FACTOR: Record<string, number> = { shanxi: 1.7, hebei: 1.2, shaanxi: 1.2, henan: 1.0, shandong: 1.1, tianjin: 0.8, beijing: 0.5 };

/** Seasons generated: the campaign's and the one before it. */
const SEASONS = [
  { key: 'prior', start: '2022-10-01', end: '2023-03-31' },
  { key: 'campaign', start: PLAN_2023_2024.campaign.periodStart, end: PLAN_2023_2024.campaign.periodEnd },
] as const;

/** The warm season between the two autumn-winters (calendar 2023 is then complete). */
const WARM_SEASON = { start: '2023-04-01', end: '2023-09-30' } as const;

function datesOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** A standard normal draw (Box-Muller) from the seeded faker. */
function normal(faker: Faker): number {
  const u = Math.max(1e-12, faker.number.float({ min: 0, max: 1 }));
  const v = faker.number.float({ min: 0, max: 1 });
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A stationary AR(1) series in log space with mean-one multipliers (exp(x - var/2)). */
function ar1Multipliers(faker: Faker, days: number, phi: number, sigma: number): number[] {
  const variance = (sigma * sigma) / (1 - phi * phi);
  let x = normal(faker) * Math.sqrt(variance);
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    x = phi * x + sigma * normal(faker);
    out.push(Math.exp(x - variance / 2));
  }
  return out;
}

/** Seasonal multiplier of day `t` after October 1: about 0.6 in October and March, 1.4 around New Year; mean about 1. */
function seasonal(t: number): number {
  return 0.6 + 0.8 * Math.exp(-(((t - 95) / 50) ** 2));
}

/** Warm-season weight for ozone: 1 on October 1, 0 around New Year, rising again in March. */
function warmth(t: number): number {
  return clamp(((t - 95) / 95) ** 2, 0, 1);
}

/** Heavy episodes of a cluster over a season: multipliers per day (1 outside episodes) and per city participation. */
function episodes(faker: Faker, days: number, cities: string[]): Map<string, number[]> {
  const out = new Map(cities.map((c) => [c, new Array<number>(days).fill(1)]));
  const count = faker.number.int({ min: 4, max: 7 });
  for (let e = 0; e < count; e++) {
    const start = Math.round(clamp(95 + 35 * normal(faker), 25, days - 10));
    const length = faker.number.int({ min: 3, max: 7 });
    const peak = faker.number.float({ min: 1.8, max: 3 });
    for (const c of cities) {
      if (faker.number.float({ min: 0, max: 1 }) < 0.15) continue; // this city escapes the episode
      const scale = faker.number.float({ min: 0.75, max: 1.15 });
      const series = out.get(c)!;
      for (let d = 0; d < length && start + d < days; d++) {
        const shape = Math.sin((Math.PI * (d + 0.5)) / length); // build-up, peak, clearing
        series[start + d] = Math.max(series[start + d], 1 + (peak - 1) * scale * shape);
      }
    }
  }
  return out;
}

interface CityRow {
  id: number;
  slug: string;
  province: string;
  region: string;
}

/** Raw daily PM2.5 of every city for one season. */
function seasonPm25(faker: Faker, cities: CityRow[], days: number): Map<string, number[]> {
  const regional = new Map<string, number[]>();
  for (const region of [...new Set(cities.map((c) => c.region))]) regional.set(region, ar1Multipliers(faker, days, 0.8, 0.12));
  const out = new Map<string, number[]>();
  for (const members of Object.values(CLUSTERS)) {
    const shared = ar1Multipliers(faker, days, 0.7, 0.2);
    const episode = episodes(faker, days, members);
    for (const slug of members) {
      const city = cities.find((c) => c.slug === slug);
      if (!city) continue;
      const own = ar1Multipliers(faker, days, 0.55, 0.22);
      const region = regional.get(city.region)!;
      // Episodes raise the mean a little above the level (noise multipliers have mean one).
      const level = LEVEL_2022[slug] * 0.97;
      out.set(
        slug,
        Array.from({ length: days }, (_, t) => level * seasonal(t) * region[t] * shared[t] * own[t] * episode.get(slug)![t]),
      );
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export const airQualityDemoSeeder: DemoSeeder = {
  name: 'air-quality',
  async run(em, faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const cities: CityRow[] = await knex('city as c')
      .join('province as p', 'p.id', 'c.province_id')
      .select('c.id', 'c.slug', 'p.slug as province', 'c.region_code as region')
      .orderBy('c.plan_order');
    const campaign = await knex('campaign').where({ code: PLAN_2023_2024.campaign.code }).first('id');
    if (!campaign) throw new Error(`The plan's campaign ${PLAN_2023_2024.campaign.code} is not loaded.`);

    const dates = SEASONS.map((s) => datesOf(s.start, s.end));
    const prior = seasonPm25(faker, cities, dates[0].length);
    const current = seasonPm25(faker, cities, dates[1].length);

    const rows: Record<string, unknown>[] = [];
    const targets: Record<string, unknown>[] = [];
    for (const city of cities) {
      const raw0 = prior.get(city.slug);
      const raw1 = current.get(city.slug);
      if (!raw0 || !raw1) continue;
      // The 2023-2024 season comes out 5-10% below the one before (year-on-year improvement).
      const improvement = faker.number.float({ min: 0.9, max: 0.95 });
      const scale1 = (improvement * mean(raw0)) / mean(raw1);
      const no2Factor = faker.number.float({ min: 0.8, max: 1.2 });
      const so2Factor = SO2_FACTOR[city.province] ?? 1;
      const seasons = [raw0, raw1.map((p) => p * scale1)];
      const stats: { pm25: number; heavy: number }[] = [];

      seasons.forEach((series, s) => {
        let sum = 0;
        let heavy = 0;
        series.forEach((value, t) => {
          const pm25 = Math.round(clamp(value, 5, 600));
          // Dust days in spring raise PM10 far above PM2.5; otherwise PM10 is 1.35-1.95x PM2.5,
          // lower on heavy (secondary-aerosol) days.
          const dust = t > 150 && faker.number.float({ min: 0, max: 1 }) < 0.02;
          const ratio = dust
            ? faker.number.float({ min: 2.6, max: 4 })
            : clamp(1.9 - 0.45 * Math.min(1, pm25 / 180) + 0.07 * normal(faker), 1.35, 1.95);
          const pm10 = Math.round(Math.min(pm25 * ratio, 1500));
          const no2 = Math.round(clamp(18 + 0.28 * pm25 * no2Factor + 6 * normal(faker), 8, 140));
          const so2 = Math.round(clamp(4 + 0.06 * pm25 * so2Factor + 2 * normal(faker), 2, 80));
          const co = round1(clamp(0.4 + 0.011 * pm25 + 0.12 * normal(faker), 0.2, 6));
          const o3 = Math.round(clamp(40 + 70 * warmth(t) - 0.05 * pm25 + 10 * normal(faker), 8, 220));
          const aqi = dailyAqi({ pm25, pm10, no2, so2, co, o3 });
          sum += pm25;
          if (isHeavyPollutionDay(pm25, aqi)) heavy++;
          rows.push({
            city_id: city.id,
            observed_on: dates[s][t],
            station_code: null,
            pm25,
            pm10,
            o3,
            no2,
            so2,
            co,
            aqi,
            origin: DataOrigin.DEMO,
            created_by: actor,
            updated_by: actor,
          });
        });
        stats.push({ pm25: sum / series.length, heavy });
      });

      // DEMO targets: a few percent under the prior season's mean; fewer heavy days than then.
      const priorMean = stats[0].pm25;
      targets.push({
        city_id: city.id,
        campaign_id: campaign.id,
        pm25_target: Math.round(priorMean * faker.number.float({ min: 0.91, max: 0.96 })),
        heavy_days_target: Math.round(stats[0].heavy * faker.number.float({ min: 0.6, max: 0.9 })),
        // Replaced below by a value around the city's calendar-2023 mean (this draw keeps the sequence).
        annual_pm25_target: Math.round(priorMean * 0.72 * faker.number.float({ min: 0.95, max: 0.99 })),
        origin: DataOrigin.DEMO,
        version: 1,
        created_by: actor,
        updated_by: actor,
      });
    }
    // The warm season of 2023 (drawn after everything above, which it leaves unchanged): cleaner
    // air (about 0.45 of the autumn-winter level, no heavy episodes), more ozone. Each city's demo
    // annual target is then set around its calendar-2023 mean, so that some cities meet it.
    const warmDates = datesOf(WARM_SEASON.start, WARM_SEASON.end);
    cities.forEach((city) => {
      if (!LEVEL_2022[city.slug]) return;
      const noise = ar1Multipliers(faker, warmDates.length, 0.6, 0.25);
      const level = LEVEL_2022[city.slug] * 0.45 * 0.95;
      warmDates.forEach((day, t) => {
        const pm25 = Math.round(clamp(level * noise[t], 5, 140));
        const pm10 = Math.round(pm25 * clamp(1.9 + 0.1 * normal(faker), 1.5, 2.4));
        const no2 = Math.round(clamp(12 + 0.25 * pm25 + 5 * normal(faker), 6, 90));
        const so2 = Math.round(clamp(3 + 0.05 * pm25 * (SO2_FACTOR[city.province] ?? 1) + 1.5 * normal(faker), 2, 40));
        const co = round1(clamp(0.3 + 0.008 * pm25 + 0.08 * normal(faker), 0.2, 3));
        const o3 = Math.round(clamp(120 + 50 * Math.sin((Math.PI * t) / warmDates.length) + 20 * normal(faker), 30, 250));
        rows.push({ city_id: city.id, observed_on: day, station_code: null, pm25, pm10, o3, no2, so2, co, aqi: dailyAqi({ pm25, pm10, no2, so2, co, o3 }),
          origin: DataOrigin.DEMO, created_by: actor, updated_by: actor });
      });
    });
    const year = new Map<number, { sum: number; n: number }>();
    for (const r of rows) {
      if (!String(r.observed_on).startsWith('2023-')) continue;
      const y = year.get(r.city_id as number) ?? { sum: 0, n: 0 };
      y.sum += r.pm25 as number;
      y.n += 1;
      year.set(r.city_id as number, y);
    }
    for (const t of targets) {
      const y = year.get(t.city_id as number)!;
      t.annual_pm25_target = Math.round((y.sum / y.n) * faker.number.float({ min: 0.93, max: 1.07 }));
    }
    await insertChunked(knex, 'air_quality_observation', rows);
    await insertChunked(knex, 'outcome_target', targets);
  },
};
