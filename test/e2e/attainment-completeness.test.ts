/**
 * Attainment says MET or NOT_MET only when the observations are complete enough (GB 3095-2012
 * section 8.3 data validity, repeated by HJ 663-2013): 27 daily means a month (25 in February)
 * and, for the calendar year of the annual target (the plan: "2023年底前，各城市确保完成上级人民政府
 * 下达的2023年空气质量改善目标"), 324 in the year. The campaign of the plan (2023-10-01..2024-03-31,
 * 183 days) is judged month by month. Every figure is checked against plain SQL over the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const CAMPAIGN = '2023-2024-autumn-winter';

let app: TestApp;

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Days 1..n of a month, e.g. missing('2023-01', 4). */
const missing = (month: string, n: number) => Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);

/**
 * The most days the validity rule lets calendar 2023 miss: 41 (365 - 324), each month within its
 * own allowance (4 of 31, 3 of 30, 3 of February's 28).
 */
const MISSING_2023 = [
  ...missing('2023-01', 4), ...missing('2023-02', 3), ...missing('2023-03', 4), ...missing('2023-04', 3), ...missing('2023-05', 4),
  ...missing('2023-06', 3), ...missing('2023-07', 4), ...missing('2023-08', 4), ...missing('2023-09', 3), ...missing('2023-10', 3),
  ...missing('2023-11', 2), ...missing('2023-12', 4),
];

const pm25Of = (day: string) => 20 + ((Date.parse(`${day}T00:00:00Z`) / 86_400_000) * 7) % 61;

/** City-wide observations of every day of [from, to] except `skip`; `heavy` days get 200 ug/m3. */
function series(city: string, from: string, to: string, skip: string[], heavy: string[] = []) {
  const s = new Set(skip);
  return days(from, to)
    .filter((d) => !s.has(d))
    .map((d) => ({ city, observedOn: d, pm25: heavy.includes(d) ? 200 : pm25Of(d) }));
}

const FIXTURE = {
  // Calendar 2023 with exactly 41 days missing (complete), then the rest of the campaign in full; one heavy day.
  shijiazhuang: series('shijiazhuang', '2023-01-01', '2024-03-31', MISSING_2023, ['2023-12-20']),
  // The same and one more October day missing: 42 missing in 2023, every month still within its allowance.
  handan: series('handan', '2023-01-01', '2024-03-31', [...MISSING_2023, '2023-10-31']),
  // The campaign with 5 January days missing (178 of 183 observed: more than the 160 the months need in
  // all, but January has only 26) and 4 of February 2024's 29 (25 left: enough); one heavy day.
  xingtai: series('xingtai', '2023-10-01', '2024-03-31', [...missing('2024-01', 5), ...missing('2024-02', 4)], ['2023-11-15']),
  // Only a station value (not the city-wide mean) and days outside the campaign and the year.
  beijing: [{ city: 'beijing', observedOn: '2023-11-01', stationCode: '1001A', pm25: 50 }, { city: 'beijing', observedOn: '2024-04-01', pm25: 50 }],
};

const ATTAINMENT = `periodDays observedDays pm25Mean pm25Target pm25Met pm25Status heavyPollutionDays heavyDaysTarget heavyDaysMet heavyDaysStatus
  coverage { from to expectedCount observedCount requiredCount percentComplete complete months { month expectedCount observedCount requiredCount complete } }
  annual { year pm25Mean pm25Target status met coverage { from to expectedCount observedCount requiredCount complete months { month observedCount requiredCount complete } } }`;

async function setTarget(city: string, pm25Target: number, heavyDaysTarget: number, annualPm25Target: number | null) {
  const d = await app.data(`mutation($input: SetOutcomeTargetInput!) { setOutcomeTarget(input: $input) { userErrors { code } } }`, {
    input: { city, campaign: CAMPAIGN, pm25Target, heavyDaysTarget, annualPm25Target },
  });
  expect(d.setOutcomeTarget.userErrors).toEqual([]);
}

/** Plain SQL over the fixture: the mean, the count and the per-month counts of a city's city-wide values in [from, to]. */
async function plain(city: string, from: string, to: string) {
  const [r] = await app.sql(
    `select count(*)::int as n, avg(o.pm25)::float8 as mean, count(*) filter (where o.pm25 > 150 or o.aqi > 200)::int as heavy,
       coalesce((select json_object_agg(m, n) from (select to_char(o2.observed_on, 'YYYY-MM') as m, count(*)::int as n from air_quality_observation o2
         join city c2 on c2.id = o2.city_id where c2.slug = ? and o2.station_code is null and o2.observed_on between ? and ? group by 1) x), '{}') as months
     from air_quality_observation o join city c on c.id = o.city_id
     where c.slug = ? and o.station_code is null and o.observed_on between ? and ?`,
    [city, from, to, city, from, to],
  );
  return r as { n: number; mean: number | null; heavy: number; months: Record<string, number> };
}

let a: Record<string, any>;
const plainOf: Record<string, { campaign: Awaited<ReturnType<typeof plain>>; year: Awaited<ReturnType<typeof plain>> }> = {};

beforeAll(async () => {
  app = await startTestApp();
  for (const observations of Object.values(FIXTURE)) {
    const d = await app.data(`mutation($input: RecordAirQualityObservationsInput!) { recordAirQualityObservations(input: $input) { insertedCount userErrors { field code } } }`, {
      input: { observations },
    });
    expect(d.recordAirQualityObservations.userErrors).toEqual([]);
  }
  for (const city of ['shijiazhuang', 'handan', 'xingtai', 'beijing', 'langfang']) {
    plainOf[city] = { campaign: await plain(city, '2023-10-01', '2024-03-31'), year: await plain(city, '2023-01-01', '2023-12-31') };
  }
  const s = plainOf.shijiazhuang;
  // shijiazhuang meets its campaign targets (mean at most the target, 1 heavy day of 1) and misses its annual one.
  await setTarget('shijiazhuang', Math.ceil(s.campaign.mean!), 1, Math.floor(s.year.mean!) - 1);
  // handan: would meet any annual target, but its year is incomplete; misses the campaign mean.
  await setTarget('handan', Math.floor(plainOf.handan.campaign.mean!) - 1, 5, 200);
  // xingtai: generous targets, January incomplete; 1 heavy day against 0 is a miss all the same.
  await setTarget('xingtai', 500, 0, 200);
  await setTarget('beijing', 40, 2, 30);
  const d = await app.data(`query($c: String!) {
    sjz: city(slug: "shijiazhuang") { attainment(campaign: $c) { ${ATTAINMENT} } }
    hd: city(slug: "handan") { attainment(campaign: $c) { ${ATTAINMENT} } }
    xt: city(slug: "xingtai") { attainment(campaign: $c) { ${ATTAINMENT} } }
    bj: city(slug: "beijing") { attainment(campaign: $c) { ${ATTAINMENT} } }
    lf: city(slug: "langfang") { attainment(campaign: $c) { ${ATTAINMENT} } }
  }`, { c: CAMPAIGN });
  a = { shijiazhuang: d.sjz.attainment, handan: d.hd.attainment, xingtai: d.xt.attainment, beijing: d.bj.attainment, langfang: d.lf.attainment };
});
afterAll(() => app?.close());


describe('coverage of the campaign and of the calendar year', () => {
  it('expects a value for each of the plan\'s 183 campaign days and 365 days of 2023, and needs 27 a month (25 in February), 324 a year', () => {
    const c = a.beijing.coverage;
    expect(c).toMatchObject({ from: '2023-10-01', to: '2024-03-31', expectedCount: 183, observedCount: 0, requiredCount: 160, percentComplete: 0, complete: false });
    expect(c.months.map((m: any) => [m.month, m.expectedCount, m.requiredCount])).toEqual([
      ['2023-10', 31, 27], ['2023-11', 30, 27], ['2023-12', 31, 27], ['2024-01', 31, 27], ['2024-02', 29, 25], ['2024-03', 31, 27],
    ]);
    const y = a.beijing.annual.coverage;
    expect(y).toMatchObject({ from: '2023-01-01', to: '2023-12-31', expectedCount: 365, observedCount: 0, requiredCount: 324, complete: false });
    expect(y.months).toHaveLength(12);
    expect(y.months[1]).toMatchObject({ month: '2023-02', requiredCount: 25 });
    expect(a.beijing.annual.year).toBe(2023);
  });

  it('counts what plain SQL counts over the fixture, month by month (station values and days outside the period left out)', () => {
    for (const city of ['shijiazhuang', 'handan', 'xingtai', 'beijing', 'langfang']) {
      const p = plainOf[city];
      expect(a[city].observedDays, city).toBe(p.campaign.n);
      expect(a[city].coverage.observedCount, city).toBe(p.campaign.n);
      expect(a[city].annual.coverage.observedCount, city).toBe(p.year.n);
      expect(a[city].heavyPollutionDays, city).toBe(p.campaign.heavy);
      for (const m of a[city].coverage.months) expect(m.observedCount, `${city} ${m.month}`).toBe(p.campaign.months[m.month] ?? 0);
      for (const m of a[city].annual.coverage.months) expect(m.observedCount, `${city} ${m.month}`).toBe(p.year.months[m.month] ?? 0);
      if (p.campaign.mean === null) expect(a[city].pm25Mean).toBeNull();
      else expect(a[city].pm25Mean).toBeCloseTo(p.campaign.mean, 9);
      if (p.year.mean === null) expect(a[city].annual.pm25Mean).toBeNull();
      else expect(a[city].annual.pm25Mean).toBeCloseTo(p.year.mean, 9);
    }
    expect(plainOf.shijiazhuang.year.n).toBe(324);
    expect(plainOf.handan.year.n).toBe(323);
    expect(plainOf.xingtai.campaign.n).toBe(174);
    expect(a.shijiazhuang.coverage.percentComplete).toBe(Math.round((a.shijiazhuang.observedDays / 183) * 10000) / 100);
  });
});

describe('the campaign targets', () => {
  it('are MET and NOT_MET on complete observations', () => {
    expect(a.shijiazhuang.coverage.complete).toBe(true);
    expect(a.shijiazhuang).toMatchObject({ pm25Status: 'MET', pm25Met: true, heavyPollutionDays: 1, heavyDaysTarget: 1, heavyDaysStatus: 'MET', heavyDaysMet: true });
    expect(a.handan.coverage.complete).toBe(true);
    expect(a.handan).toMatchObject({ pm25Status: 'NOT_MET', pm25Met: false, heavyDaysStatus: 'MET' });
  });

  it('are INSUFFICIENT_DATA when one month falls short, though the period holds more days than its months need in all', () => {
    const x = a.xingtai;
    expect(x.observedDays).toBeGreaterThan(x.coverage.requiredCount);
    expect(x.coverage.complete).toBe(false);
    expect(x.coverage.months.filter((m: any) => !m.complete).map((m: any) => [m.month, m.observedCount, m.requiredCount])).toEqual([['2024-01', 26, 27]]);
    // February 2024: 25 of 29 is enough.
    expect(x.coverage.months.find((m: any) => m.month === '2024-02')).toMatchObject({ observedCount: 25, requiredCount: 25, complete: true });
    expect(x.pm25Mean).toBeLessThan(500);
    expect(x).toMatchObject({ pm25Status: 'INSUFFICIENT_DATA', pm25Met: null });
    // More heavy days than the target cannot be undone by the missing days.
    expect(x).toMatchObject({ heavyPollutionDays: 1, heavyDaysTarget: 0, heavyDaysStatus: 'NOT_MET', heavyDaysMet: false });
  });

  it('are INSUFFICIENT_DATA without observations and NO_TARGET without a target', () => {
    expect(a.beijing).toMatchObject({ pm25Status: 'INSUFFICIENT_DATA', pm25Met: null, heavyDaysStatus: 'INSUFFICIENT_DATA', heavyDaysMet: null });
    expect(a.langfang).toMatchObject({ pm25Status: 'NO_TARGET', pm25Met: null, heavyDaysStatus: 'NO_TARGET', annual: { status: 'NO_TARGET', met: null } });
  });
});

describe('the calendar-2023 annual target (annualPm25Target)', () => {
  it('is judged against the year\'s observations: NOT_MET on a complete year whose mean is above it', () => {
    const y = a.shijiazhuang.annual;
    expect(y.coverage.complete).toBe(true);
    expect(y.pm25Target).toBe(Math.floor(plainOf.shijiazhuang.year.mean!) - 1);
    expect(y.pm25Mean).toBeGreaterThan(y.pm25Target);
    expect(y).toMatchObject({ status: 'NOT_MET', met: false });
  });

  it('is INSUFFICIENT_DATA with 323 of 365 days, though every month reaches its own count', () => {
    const y = a.handan.annual;
    expect(y.coverage.months.every((m: any) => m.complete)).toBe(true);
    expect(y.coverage).toMatchObject({ observedCount: 323, requiredCount: 324, complete: false });
    expect(y.pm25Mean).toBeLessThan(200);
    expect(y).toMatchObject({ status: 'INSUFFICIENT_DATA', met: null, pm25Target: 200 });
    // A year with only autumn-winter observations is incomplete too.
    expect(a.xingtai.annual).toMatchObject({ status: 'INSUFFICIENT_DATA', met: null });
  });

  it('is MET once the year is complete and the mean at most the target', async () => {
    await setTarget('shijiazhuang', Math.ceil(plainOf.shijiazhuang.campaign.mean!), 1, Math.ceil(plainOf.shijiazhuang.year.mean!));
    const d = await app.data(`query($c: String!) { city(slug: "shijiazhuang") { attainment(campaign: $c) { annual { status met pm25Mean pm25Target } } } }`, { c: CAMPAIGN });
    expect(d.city.attainment.annual).toMatchObject({ status: 'MET', met: true, pm25Target: Math.ceil(plainOf.shijiazhuang.year.mean!) });
  });
});

describe('the scorecards', () => {
  it('count as assessed only the cities whose observations are complete enough', async () => {
    const d = await app.data(`query($c: String) { campaignScorecards(level: CITY, campaign: $c, filter: { province: "hebei" }) { key attainment { pm25Met citiesAssessedPm25 citiesMeetingPm25 heavyDaysMet } } }`, {
      c: CAMPAIGN,
    });
    const by = new Map(d.campaignScorecards.map((c: any) => [c.key, c.attainment]));
    expect(by.get('shijiazhuang')).toMatchObject({ pm25Met: true, citiesAssessedPm25: 1, citiesMeetingPm25: 1, heavyDaysMet: true });
    expect(by.get('handan')).toMatchObject({ pm25Met: false, citiesAssessedPm25: 1, citiesMeetingPm25: 0 });
    expect(by.get('xingtai')).toMatchObject({ pm25Met: null, citiesAssessedPm25: 0, heavyDaysMet: false });
  });
});

