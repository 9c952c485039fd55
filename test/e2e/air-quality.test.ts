import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { todayInChina } from '../../packages/api/src/common/scalars.js';

const CAMPAIGN = '2023-2024-autumn-winter';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const RECORD_MANY = `mutation($input: RecordAirQualityObservationsInput!) {
  recordAirQualityObservations(input: $input) {
    insertedCount replacedCount
    airQualityObservations { id observedOn stationCode pm25 pm10 aqi origin heavyPollution createdBy updatedBy city { slug } }
    userErrors { field code message }
  }
}`;
const RECORD_ONE = `mutation($input: RecordAirQualityObservationInput!) {
  recordAirQualityObservation(input: $input) {
    airQualityObservation { id observedOn stationCode pm25 pm10 o3 no2 so2 co aqi origin createdBy updatedBy city { slug } }
    userErrors { field code message }
  }
}`;
const SET_TARGET = `mutation($input: SetOutcomeTargetInput!) {
  setOutcomeTarget(input: $input) {
    outcomeTarget { id pm25Target heavyDaysTarget annualPm25Target origin version createdBy updatedBy city { slug } campaign { code } }
    userErrors { field code message }
  }
}`;
const ATTAINMENT_FIELDS = `periodDays observedDays pm25Mean pm25Target pm25Met heavyPollutionDays heavyDaysTarget heavyDaysMet`;

async function count(table: string): Promise<number> {
  const [row] = await app.sql<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(row.n);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The fixture, by hand. Campaign 2023-10-01..2024-03-31 (183 days).
 * shijiazhuang, city-wide, inside the period: 40, 160 (AQI 210: heavy both ways), 120 (AQI 300,
 * a dust day: heavy by AQI only), 150 (AQI 200: on the thresholds, not heavy), 30 (last day)
 *   -> 5 days, mean 500 / 5 = 100, 2 heavy days. Outside the period: 09-30 (300), 04-01 (500).
 *   A station value (1001A, 400) on 12-15 does not count.
 * handan: 80.5 and 151 (no AQI: heavy by PM2.5) -> 2 days, mean 115.75, 1 heavy day.
 * xingtai: 50 -> 1 day, mean 50, no heavy day, no target.
 * beijing: a target, no observations.
 */
const FIXTURE = [
  { city: 'shijiazhuang', observedOn: '2023-09-30', pm25: 300, aqi: 350 },
  { city: 'shijiazhuang', observedOn: '2023-10-01', pm25: 40, pm10: 70, aqi: 57 },
  { city: 'shijiazhuang', observedOn: '2023-12-15', pm25: 160, pm10: 230, o3: 20, no2: 90, so2: 30, co: 2.4, aqi: 210 },
  { city: 'shijiazhuang', observedOn: '2023-12-16', pm25: 120, pm10: 420, aqi: 300 },
  { city: 'shijiazhuang', observedOn: '2023-12-17', pm25: 150, aqi: 200 },
  { city: 'shijiazhuang', observedOn: '2024-03-31', pm25: 30 },
  { city: 'shijiazhuang', observedOn: '2024-04-01', pm25: 500, aqi: 500 },
  { city: 'shijiazhuang', observedOn: '2023-12-15', stationCode: '1001A', pm25: 400, aqi: 450 },
  { city: 'handan', observedOn: '2023-11-01', pm25: 80.5 },
  { city: 'handan', observedOn: '2023-11-02', pm25: 151 },
  { city: 'xingtai', observedOn: '2023-11-01', pm25: 50, aqi: 69 },
];

describe('recording observations and targets (the fixture)', () => {
  it('records a batch in one call, returning the stored observations in input order', async () => {
    const d = await app.data(RECORD_MANY, { input: { observations: FIXTURE } });
    const p = d.recordAirQualityObservations;
    expect(p.userErrors).toEqual([]);
    expect(p.insertedCount).toBe(11);
    expect(p.replacedCount).toBe(0);
    expect(p.airQualityObservations.map((o: any) => [o.city.slug, o.observedOn, o.stationCode, o.pm25])).toEqual(
      FIXTURE.map((f) => [f.city, f.observedOn, f.stationCode ?? null, f.pm25]),
    );
    expect(p.airQualityObservations[2]).toMatchObject({ pm10: 230, aqi: 210, origin: 'RECORDED', heavyPollution: true, createdBy: app.ministryActorId, updatedBy: app.ministryActorId });
    expect(p.airQualityObservations.map((o: any) => o.heavyPollution)).toEqual([true, false, true, true, false, false, true, true, false, true, false]);
    expect(await count('air_quality_observation')).toBe(11);
    const [row] = await app.sql(`select co, o3 from air_quality_observation where observed_on = '2023-12-15' and station_code is null`);
    expect([Number(row.co), Number(row.o3)]).toEqual([2.4, 20]);
  });

  it('sets outcome targets, and replaces them with a new version', async () => {
    const set = async (input: Record<string, unknown>) => (await app.data(SET_TARGET, { input })).setOutcomeTarget;
    const a = await set({ city: 'shijiazhuang', campaign: CAMPAIGN, pm25Target: 100, heavyDaysTarget: 1, annualPm25Target: 48 });
    expect(a.userErrors).toEqual([]);
    expect(a.outcomeTarget).toMatchObject({
      pm25Target: 100, heavyDaysTarget: 1, annualPm25Target: 48, origin: 'RECORDED', version: 1,
      createdBy: app.ministryActorId, updatedBy: app.ministryActorId, city: { slug: 'shijiazhuang' }, campaign: { code: CAMPAIGN },
    });
    const b = await set({ city: 'handan', campaign: CAMPAIGN, pm25Target: 120, heavyDaysTarget: 5, annualPm25Target: 50 });
    // Replacing: same record, new values, version 2; an omitted annual target becomes null.
    const b2 = await set({ city: 'handan', campaign: CAMPAIGN, pm25Target: 110, heavyDaysTarget: 3 });
    expect(b2.userErrors).toEqual([]);
    expect(b2.outcomeTarget).toMatchObject({ id: b.outcomeTarget.id, pm25Target: 110, heavyDaysTarget: 3, annualPm25Target: null, version: 2 });
    await set({ city: 'beijing', campaign: CAMPAIGN, pm25Target: 35.5, heavyDaysTarget: 2 });
    // The whole period (183 days) is the largest allowed heavy-days target.
    const full = await set({ city: 'tangshan', campaign: CAMPAIGN, pm25Target: 60, heavyDaysTarget: 183 });
    expect(full.userErrors).toEqual([]);
    expect(await count('outcome_target')).toBe(4);
  });
});

describe('attainment', () => {
  it('computes the mean, heavy days and met/not met of each city against hand-computed values', async () => {
    const d = await app.data(`query($c: String!) {
      sjz: city(slug: "shijiazhuang") { attainment(campaign: $c) { ${ATTAINMENT_FIELDS} city { slug } campaign { code } } }
      hd: city(slug: "handan") { attainment(campaign: $c) { ${ATTAINMENT_FIELDS} } }
      xt: city(slug: "xingtai") { attainment(campaign: $c) { ${ATTAINMENT_FIELDS} } }
      bj: city(slug: "beijing") { attainment(campaign: $c) { ${ATTAINMENT_FIELDS} } }
      lf: city(slug: "langfang") { attainment(campaign: $c) { ${ATTAINMENT_FIELDS} } }
    }`, { c: CAMPAIGN });
    expect(d.sjz.attainment).toEqual({
      // 5 of 183 days: too few to say the PM2.5 target is met (GB 3095-2012 validity); 2 heavy days
      // against a target of 1 are a miss however many days are missing.
      periodDays: 183, observedDays: 5, pm25Mean: 100, pm25Target: 100, pm25Met: null,
      heavyPollutionDays: 2, heavyDaysTarget: 1, heavyDaysMet: false,
      city: { slug: 'shijiazhuang' }, campaign: { code: CAMPAIGN },
    });
    expect(d.hd.attainment).toEqual({
      periodDays: 183, observedDays: 2, pm25Mean: 115.75, pm25Target: 110, pm25Met: null,
      heavyPollutionDays: 1, heavyDaysTarget: 3, heavyDaysMet: null,
    });
    // Observations without a target: the figures, no verdict.
    expect(d.xt.attainment).toEqual({
      periodDays: 183, observedDays: 1, pm25Mean: 50, pm25Target: null, pm25Met: null,
      heavyPollutionDays: 0, heavyDaysTarget: null, heavyDaysMet: null,
    });
    // A target without observations: no mean, no verdict.
    expect(d.bj.attainment).toEqual({
      periodDays: 183, observedDays: 0, pm25Mean: null, pm25Target: 35.5, pm25Met: null,
      heavyPollutionDays: 0, heavyDaysTarget: 2, heavyDaysMet: null,
    });
    expect(d.lf.attainment).toEqual({
      periodDays: 183, observedDays: 0, pm25Mean: null, pm25Target: null, pm25Met: null,
      heavyPollutionDays: 0, heavyDaysTarget: null, heavyDaysMet: null,
    });
  });

  it('lists a campaign\'s attainments by place, in the plan\'s order, and reaches them from targets', async () => {
    const d = await app.data(`query($c: String!) {
      campaign(code: $c) {
        hebei: attainments(filter: { province: "hebei" }) { city { slug } observedDays pm25Mean pm25Met }
        all: attainments { city { slug } }
        fenwei: attainments(filter: { region: FENWEI_PLAIN }) { city { slug } }
        one: attainments(filter: { city: "handan" }) { city { slug } pm25Mean heavyDaysMet }
      }
      outcomeTargets(filter: { campaign: $c, city: "shijiazhuang" }) { nodes { attainment { pm25Mean heavyPollutionDays pm25Met heavyDaysMet } } }
    }`, { c: CAMPAIGN });
    expect(d.campaign.all).toHaveLength(56);
    expect(d.campaign.all[0].city.slug).toBe('beijing');
    expect(d.campaign.fenwei).toHaveLength(16);
    expect(d.campaign.hebei.map((a: any) => a.city.slug)).toEqual([
      'shijiazhuang', 'tangshan', 'qinhuangdao', 'handan', 'xingtai', 'baoding', 'cangzhou', 'langfang', 'hengshui', 'xiongan', 'dingzhou', 'xinji',
    ]);
    expect(d.campaign.hebei[0]).toEqual({ city: { slug: 'shijiazhuang' }, observedDays: 5, pm25Mean: 100, pm25Met: null });
    expect(d.campaign.hebei[1]).toEqual({ city: { slug: 'tangshan' }, observedDays: 0, pm25Mean: null, pm25Met: null });
    expect(d.campaign.one).toEqual([{ city: { slug: 'handan' }, pm25Mean: 115.75, heavyDaysMet: null }]);
    expect(d.outcomeTargets.nodes).toEqual([{ attainment: { pm25Mean: 100, heavyPollutionDays: 2, pm25Met: null, heavyDaysMet: false } }]);
  });

  it('answers an unknown campaign or place with NOT_FOUND naming the argument', async () => {
    const r = await app.gql(`{ city(slug: "handan") { attainment(campaign: "1999-2000") { observedDays } } }`);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'campaign' });
    const t = await app.gql(`{ city(slug: "handan") { outcomeTarget(campaign: "1999-2000") { id } } }`);
    expect(t.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'campaign' });
    const p = await app.gql(`query($c: String!) { campaign(code: $c) { attainments(filter: { province: "atlantis" }) { observedDays } } }`, { c: CAMPAIGN });
    expect(p.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.province' });
  });

  it('costs a constant number of SQL statements however many cities', async () => {
    const byCity = (n: number) => app.gql(`query($c: String!) {
      cities(first: ${n}) { nodes { slug
        attainment(campaign: $c) { pm25Mean heavyPollutionDays pm25Met city { slug province { slug } } campaign { code } }
        outcomeTarget(campaign: $c) { pm25Target campaign { code } }
      } }
    }`, { c: CAMPAIGN });
    const two = await byCity(2);
    const all = await byCity(56);
    expect(two.errors).toBeUndefined();
    expect(all.data.cities.nodes).toHaveLength(56);
    expect(all.extensions?.sqlStatements).toBe(two.extensions?.sqlStatements);
    // the API key look-up, cities + count-free page, campaign by code, attainment (one grouped statement), targets, provinces
    expect(all.extensions?.sqlStatements).toBeLessThanOrEqual(7);

    const viaCampaign = (filter: string) => app.gql(`query($c: String!) {
      campaign(code: $c) { attainments${filter} { pm25Mean heavyPollutionDays heavyDaysMet city { slug province { slug } } campaign { code } } }
    }`, { c: CAMPAIGN });
    const twoCities = await viaCampaign(`(filter: { province: "henan", region: FENWEI_PLAIN })`);
    const allCities = await viaCampaign('');
    expect(twoCities.data.campaign.attainments.map((a: any) => a.city.slug)).toEqual(['luoyang', 'sanmenxia']);
    expect(allCities.data.campaign.attainments).toHaveLength(56);
    // Compiled (air-quality.reads.ts): one statement, the place filter and the key check included.
    expect(allCities.extensions?.sqlStatements).toBe(1);
    expect(twoCities.extensions?.sqlStatements).toBe(1);
    const fenwei = await viaCampaign(`(filter: { region: FENWEI_PLAIN })`);
    const jjj = await viaCampaign(`(filter: { region: JJJ_SURROUNDING })`);
    expect(fenwei.data.campaign.attainments).toHaveLength(16);
    expect(jjj.data.campaign.attainments).toHaveLength(40);
    expect(jjj.extensions?.sqlStatements).toBe(fenwei.extensions?.sqlStatements);
  });
});

describe('airQualityObservations', () => {
  const q = `query($filter: AirQualityObservationFilter, $orderBy: AirQualityObservationOrder, $first: Int, $after: String) {
    airQualityObservations(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      nodes { observedOn stationCode pm25 city { slug } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;
  const list = async (variables: Record<string, unknown>) => (await app.data(q, variables)).airQualityObservations;
  const days = (c: any) => c.nodes.map((n: any) => `${n.city.slug}:${n.observedOn}`);

  it('lists city-wide means by default, oldest first', async () => {
    const c = await list({});
    expect(c.totalCount).toBe(10);
    expect(c.nodes.every((n: any) => n.stationCode === null)).toBe(true);
    const dates = c.nodes.map((n: any) => n.observedOn);
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]).toBe('2023-09-30');
  });

  it('filters by place, dates, station, city-wide or not, heavy pollution and origin', async () => {
    expect((await list({ filter: { city: 'shijiazhuang' } })).totalCount).toBe(7);
    expect((await list({ filter: { province: 'hebei' } })).totalCount).toBe(10);
    expect((await list({ filter: { region: 'FENWEI_PLAIN' } })).totalCount).toBe(0);
    expect((await list({ filter: { region: 'JJJ_SURROUNDING', province: 'hebei', city: 'handan' } })).totalCount).toBe(2);
    expect(days(await list({ filter: { city: 'shijiazhuang', from: '2023-12-15', to: '2023-12-17' } }))).toEqual([
      'shijiazhuang:2023-12-15', 'shijiazhuang:2023-12-16', 'shijiazhuang:2023-12-17',
    ]);
    expect((await list({ filter: { from: '2024-03-31' } })).totalCount).toBe(2);
    expect((await list({ filter: { to: '2023-10-01' } })).totalCount).toBe(2);
    const stations = await list({ filter: { cityWideOnly: false } });
    expect(stations.nodes).toEqual([{ observedOn: '2023-12-15', stationCode: '1001A', pm25: 400, city: { slug: 'shijiazhuang' } }]);
    expect((await list({ filter: { stationCode: '1001A' } })).totalCount).toBe(1);
    expect((await list({ filter: { stationCode: '1001A', cityWideOnly: false } })).totalCount).toBe(1);
    expect((await list({ filter: { stationCode: '9999Z' } })).totalCount).toBe(0);
    // Heavy: PM2.5 > 150 or AQI > 200 (09-30, 12-15, 12-16 by AQI, 04-01; handan 11-02); not 12-17 (150 / 200).
    expect(days(await list({ filter: { heavyPollutionOnly: true } }))).toEqual([
      'shijiazhuang:2023-09-30', 'handan:2023-11-02', 'shijiazhuang:2023-12-15', 'shijiazhuang:2023-12-16', 'shijiazhuang:2024-04-01',
    ]);
    expect((await list({ filter: { heavyPollutionOnly: true, cityWideOnly: false } })).totalCount).toBe(1);
    expect((await list({ filter: { heavyPollutionOnly: false } })).totalCount).toBe(10);
    expect((await list({ filter: { origin: 'RECORDED' } })).totalCount).toBe(10);
    expect((await list({ filter: { origin: 'DEMO' } })).totalCount).toBe(0);
  });

  it('sorts by PM2.5 either way and pages with cursors without gaps or repeats', async () => {
    const desc = await list({ orderBy: { field: 'PM25', direction: 'DESC' }, first: 3 });
    expect(desc.nodes.map((n: any) => n.pm25)).toEqual([500, 300, 160]);
    const asc = await list({ orderBy: { field: 'PM25' }, first: 2 });
    expect(asc.nodes.map((n: any) => n.pm25)).toEqual([30, 40]);

    const seen: number[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const c: any = await list({ orderBy: { field: 'PM25', direction: 'DESC' }, first: 4, after });
      seen.push(...c.nodes.map((n: any) => n.pm25));
      expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!c.pageInfo.hasNextPage) {
        expect(pages).toBe(3);
        break;
      }
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual([500, 300, 160, 151, 150, 120, 80.5, 50, 40, 30]);

    const byDay: string[] = [];
    after = null;
    do {
      const c: any = await list({ orderBy: { field: 'OBSERVED_ON', direction: 'DESC' }, first: 3, after });
      byDay.push(...days(c));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
    } while (after);
    expect(byDay).toHaveLength(10);
    expect(new Set(byDay).size).toBe(10);
    expect(byDay[0]).toBe('shijiazhuang:2024-04-01');
  });

  it('rejects contradictory or unknown filters with coded errors', async () => {
    const both = await app.gql(q, { filter: { stationCode: '1001A', cityWideOnly: true } });
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.cityWideOnly', reason: 'INVALID' });
    const reversed = await app.gql(q, { filter: { from: '2024-01-02', to: '2024-01-01' } });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to', reason: 'INVALID_DATE' });
    const unknown = await app.gql(q, { filter: { city: 'atlantis' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.city' });
    const badCursor = await app.gql(q, { after: 'nope' });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('reaches a city\'s observations from the city, batched, with dates and paging', async () => {
    const d = await app.data(`{
      cities(filter: { province: "hebei" }) { nodes { slug
        airQualityObservations(from: "2023-10-01", to: "2024-03-31", first: 2) { totalCount nodes { observedOn pm25 } pageInfo { hasNextPage endCursor } }
      } }
    }`);
    const bySlug = Object.fromEntries(d.cities.nodes.map((c: any) => [c.slug, c.airQualityObservations]));
    expect(bySlug.shijiazhuang.totalCount).toBe(5);
    expect(bySlug.shijiazhuang.nodes).toEqual([{ observedOn: '2023-10-01', pm25: 40 }, { observedOn: '2023-12-15', pm25: 160 }]);
    expect(bySlug.shijiazhuang.pageInfo.hasNextPage).toBe(true);
    expect(bySlug.handan.totalCount).toBe(2);
    expect(bySlug.tangshan).toMatchObject({ totalCount: 0, nodes: [] });
    const next = await app.data(`query($after: String) { city(slug: "shijiazhuang") {
      airQualityObservations(from: "2023-10-01", to: "2024-03-31", first: 2, after: $after) { nodes { observedOn } }
    } }`, { after: bySlug.shijiazhuang.pageInfo.endCursor });
    expect(next.city.airQualityObservations.nodes.map((n: any) => n.observedOn)).toEqual(['2023-12-16', '2023-12-17']);
    const all = await app.data(`{ city(slug: "shijiazhuang") { airQualityObservations { totalCount } } }`);
    expect(all.city.airQualityObservations.totalCount).toBe(7);
    const bad = await app.gql(`{ city(slug: "shijiazhuang") { airQualityObservations(from: "2024-01-02", to: "2024-01-01") { totalCount } } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to', reason: 'INVALID_DATE' });
  });
});

describe('outcomeTargets', () => {
  const q = `query($filter: OutcomeTargetFilter, $orderBy: OutcomeTargetOrder, $first: Int, $after: String) {
    outcomeTargets(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount nodes { pm25Target heavyDaysTarget city { slug } campaign { code } } pageInfo { hasNextPage endCursor }
    }
  }`;
  const slugs = async (variables: Record<string, unknown>) =>
    (await app.data(q, variables)).outcomeTargets.nodes.map((n: any) => n.city.slug);

  it('filters by campaign and place, sorts, pages, and is reachable from the city', async () => {
    expect(await slugs({})).toEqual(['shijiazhuang', 'handan', 'beijing', 'tangshan']);
    expect(await slugs({ filter: { campaign: CAMPAIGN } })).toHaveLength(4);
    expect(await slugs({ filter: { province: 'hebei' } })).toEqual(['shijiazhuang', 'handan', 'tangshan']);
    expect(await slugs({ filter: { region: 'FENWEI_PLAIN' } })).toEqual([]);
    expect(await slugs({ filter: { campaign: CAMPAIGN, city: 'beijing' } })).toEqual(['beijing']);
    expect(await slugs({ orderBy: { field: 'PM25_TARGET', direction: 'DESC' } })).toEqual(['handan', 'shijiazhuang', 'tangshan', 'beijing']);
    expect(await slugs({ orderBy: { field: 'HEAVY_DAYS_TARGET' } })).toEqual(['shijiazhuang', 'beijing', 'handan', 'tangshan']);
    const page1 = (await app.data(q, { first: 3 })).outcomeTargets;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(await slugs({ first: 3, after: page1.pageInfo.endCursor })).toEqual(['tangshan']);

    const unknown = await app.gql(q, { filter: { campaign: 'nope' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.campaign' });

    const c = await app.data(`query($c: String!) {
      sjz: city(slug: "shijiazhuang") { outcomeTarget(campaign: $c) { pm25Target heavyDaysTarget annualPm25Target city { slug } } }
      xt: city(slug: "xingtai") { outcomeTarget(campaign: $c) { pm25Target } }
    }`, { c: CAMPAIGN });
    expect(c.sjz.outcomeTarget).toEqual({ pm25Target: 100, heavyDaysTarget: 1, annualPm25Target: 48, city: { slug: 'shijiazhuang' } });
    expect(c.xt.outcomeTarget).toBeNull();
  });
});

describe('corrections (re-recording replaces)', () => {
  it('replaces the values of an existing observation of the same city, day and station', async () => {
    // A demo value, as the seeder writes it.
    await app.sql(`insert into air_quality_observation (city_id, observed_on, pm25, pm10, aqi, origin, created_by, updated_by)
      select id, '2023-10-05', 70, 110, 94, 'DEMO', 'system:seed', 'system:seed' from city where slug = 'langfang'`);
    const [before] = await app.sql(`select id from air_quality_observation where observed_on = '2023-10-05'`);
    const total = await count('air_quality_observation');

    const d = await app.data(RECORD_ONE, { input: { city: 'langfang', observedOn: '2023-10-05', pm25: 65, no2: 41.5 } });
    const o = d.recordAirQualityObservation.airQualityObservation;
    expect(d.recordAirQualityObservation.userErrors).toEqual([]);
    expect(o).toEqual({
      id: String(before.id), observedOn: '2023-10-05', stationCode: null, pm25: 65, pm10: null, o3: null, no2: 41.5, so2: null, co: null, aqi: null,
      origin: 'RECORDED', createdBy: 'system:seed', updatedBy: app.ministryActorId, city: { slug: 'langfang' },
    });
    expect(await count('air_quality_observation')).toBe(total);

    // A station value of the same day is a different observation.
    const s = await app.data(RECORD_ONE, { input: { city: 'langfang', observedOn: '2023-10-05', stationCode: 'LF-01', pm25: 72 } });
    expect(s.recordAirQualityObservation.airQualityObservation).toMatchObject({ stationCode: 'LF-01', pm25: 72, createdBy: app.ministryActorId });
    expect(await count('air_quality_observation')).toBe(total + 1);

    // A batch mixing a correction and a new day.
    const b = await app.data(RECORD_MANY, { input: { observations: [
      { city: 'langfang', observedOn: '2023-10-06', pm25: 58 },
      { city: 'langfang', observedOn: '2023-10-05', stationCode: 'LF-01', pm25: 71, aqi: 97 },
    ] } });
    expect(b.recordAirQualityObservations).toMatchObject({ insertedCount: 1, replacedCount: 1, userErrors: [] });
    expect(b.recordAirQualityObservations.airQualityObservations.map((x: any) => [x.observedOn, x.stationCode, x.pm25, x.aqi])).toEqual([
      ['2023-10-06', null, 58, null],
      ['2023-10-05', 'LF-01', 71, 97],
    ]);
    expect(await count('air_quality_observation')).toBe(total + 2);

    // The correction shows in the attainment: mean of 65 and 58.
    const a = await app.data(`{ city(slug: "langfang") { attainment(campaign: "${CAMPAIGN}") { observedDays pm25Mean } } }`);
    expect(a.city.attainment).toEqual({ observedDays: 2, pm25Mean: 61.5 });
  });
});

describe('validation: nothing is written on error', () => {
  const valid = { city: 'xingtai', observedOn: '2023-11-20', pm25: 88 };

  it('rejects each bad value of one observation with its field and code', async () => {
    const tomorrow = addDays(todayInChina(), 1);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ city: 'atlantis' }, ['input', 'city'], 'NOT_FOUND'],
      [{ observedOn: tomorrow }, ['input', 'observedOn'], 'INVALID_DATE'],
      [{ pm25: -0.1 }, ['input', 'pm25'], 'OUT_OF_RANGE'],
      [{ pm25: 2000.5 }, ['input', 'pm25'], 'OUT_OF_RANGE'],
      [{ pm10: 2001 }, ['input', 'pm10'], 'OUT_OF_RANGE'],
      [{ pm10: -1 }, ['input', 'pm10'], 'OUT_OF_RANGE'],
      [{ aqi: 501 }, ['input', 'aqi'], 'OUT_OF_RANGE'],
      [{ aqi: -1 }, ['input', 'aqi'], 'OUT_OF_RANGE'],
      [{ o3: 1001 }, ['input', 'o3'], 'OUT_OF_RANGE'],
      [{ no2: -5 }, ['input', 'no2'], 'OUT_OF_RANGE'],
      [{ so2: 3001 }, ['input', 'so2'], 'OUT_OF_RANGE'],
      [{ co: 101 }, ['input', 'co'], 'OUT_OF_RANGE'],
      [{ co: -0.1 }, ['input', 'co'], 'OUT_OF_RANGE'],
      [{ stationCode: '' }, ['input', 'stationCode'], 'INVALID'],
      [{ stationCode: 'has space' }, ['input', 'stationCode'], 'INVALID'],
    ];
    const before = await count('air_quality_observation');
    for (const [change, field, code] of cases) {
      const d = await app.data(RECORD_ONE, { input: { ...valid, ...change } });
      expect(d.recordAirQualityObservation.airQualityObservation, JSON.stringify(change)).toBeNull();
      expect(d.recordAirQualityObservation.userErrors, JSON.stringify(change)).toEqual([{ field, code, message: expect.any(String) }]);
    }
    // Today itself is allowed; the upper limits themselves are allowed.
    expect(await count('air_quality_observation')).toBe(before);
    const edge = await app.data(RECORD_ONE, { input: { ...valid, observedOn: todayInChina(), pm25: 2000, pm10: 0, aqi: 500, o3: 1000, no2: 1000, so2: 3000, co: 100 } });
    expect(edge.recordAirQualityObservation.userErrors).toEqual([]);
    expect(await count('air_quality_observation')).toBe(before + 1);
    await app.sql(`delete from air_quality_observation where observed_on = ?`, [todayInChina()]);
  });

  it('reports every problem at once', async () => {
    const before = await count('air_quality_observation');
    const d = await app.data(RECORD_ONE, { input: { city: 'atlantis', observedOn: '2999-01-01', pm25: -1, aqi: 600 } });
    expect(d.recordAirQualityObservation.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.city', 'NOT_FOUND'],
      ['input.observedOn', 'INVALID_DATE'],
      ['input.pm25', 'OUT_OF_RANGE'],
      ['input.aqi', 'OUT_OF_RANGE'],
    ]);
    expect(await count('air_quality_observation')).toBe(before);
  });

  it('rejects a malformed date before running (scalar LocalDate), writing nothing', async () => {
    const before = await count('air_quality_observation');
    for (const observedOn of ['2023-02-30', '2023/11/20', 'yesterday']) {
      const r = await app.gql(RECORD_ONE, { input: { ...valid, observedOn } });
      expect(r.data).toBeUndefined();
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toContain('observedOn');
    }
    expect(await count('air_quality_observation')).toBe(before);
  });

  it('writes nothing of a batch with one bad item, and names the item', async () => {
    const before = await count('air_quality_observation');
    const [old] = await app.sql(`select pm25 from air_quality_observation o join city c on c.id = o.city_id where c.slug = 'handan' and observed_on = '2023-11-01'`);
    const observations = [
      { city: 'handan', observedOn: '2023-11-01', pm25: 99 }, // would replace
      { city: 'handan', observedOn: '2023-11-03', pm25: 60 },
      { city: 'handan', observedOn: '2023-11-04', pm25: 61 },
      { city: 'handan', observedOn: '2023-11-05', pm25: -3 },
      { city: 'handan', observedOn: '2023-11-06', pm25: 62 },
    ];
    const d = await app.data(RECORD_MANY, { input: { observations } });
    expect(d.recordAirQualityObservations).toMatchObject({ airQualityObservations: null, insertedCount: 0, replacedCount: 0 });
    expect(d.recordAirQualityObservations.userErrors).toEqual([{ field: ['input', 'observations', '3', 'pm25'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    expect(await count('air_quality_observation')).toBe(before);
    const [now] = await app.sql(`select pm25 from air_quality_observation o join city c on c.id = o.city_id where c.slug = 'handan' and observed_on = '2023-11-01'`);
    expect(Number(now.pm25)).toBe(Number(old.pm25));
  });

  it('names every bad item of a batch: unknown city, future day, duplicate, bad station', async () => {
    const before = await count('air_quality_observation');
    const d = await app.data(RECORD_MANY, { input: { observations: [
      { city: 'handan', observedOn: '2023-11-10', pm25: 60 },
      { city: 'nowhere', observedOn: '2023-11-10', pm25: 60 },
      { city: 'handan', observedOn: '2999-11-10', pm25: 60 },
      { city: 'handan', observedOn: '2023-11-10', pm25: 61 },
      { city: 'handan', observedOn: '2023-11-11', stationCode: '', pm25: 60, aqi: 501 },
    ] } });
    expect(d.recordAirQualityObservations.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.observations.1.city', 'NOT_FOUND'],
      ['input.observations.2.observedOn', 'INVALID_DATE'],
      ['input.observations.3.observedOn', 'INVALID'],
      ['input.observations.4.stationCode', 'INVALID'],
      ['input.observations.4.aqi', 'OUT_OF_RANGE'],
    ]);
    expect(await count('air_quality_observation')).toBe(before);
  });

  it('takes 1 to 5,000 observations per call, in one statement', async () => {
    const before = await count('air_quality_observation');
    const empty = await app.data(RECORD_MANY, { input: { observations: [] } });
    expect(empty.recordAirQualityObservations.userErrors).toEqual([{ field: ['input', 'observations'], code: 'REQUIRED', message: expect.any(String) }]);

    // 5,000 days of one station, counting back from 2023-03-31.
    const many = Array.from({ length: 5000 }, (_, i) => ({ city: 'hengshui', observedOn: addDays('2023-03-31', -i), stationCode: 'HS-1', pm25: 20 + (i % 90) }));
    const tooMany = await app.data(RECORD_MANY, { input: { observations: [...many, { city: 'hengshui', observedOn: '2009-01-01', stationCode: 'HS-1', pm25: 1 }] } });
    expect(tooMany.recordAirQualityObservations.userErrors).toEqual([{ field: ['input', 'observations'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    expect(await count('air_quality_observation')).toBe(before);

    const r = await app.gql(`mutation($input: RecordAirQualityObservationsInput!) { recordAirQualityObservations(input: $input) { insertedCount replacedCount userErrors { field } } }`, { input: { observations: many } });
    expect(r.data?.recordAirQualityObservations).toEqual({ insertedCount: 5000, replacedCount: 0, userErrors: [] });
    // The API key look-up, the city lookup, the one insert, and the transaction's begin, access set-up
    // and commit: not one statement per item.
    expect(r.extensions?.sqlStatements).toBeLessThanOrEqual(7);
    expect(await count('air_quality_observation')).toBe(before + 5000);
    await app.sql(`delete from air_quality_observation where station_code = 'HS-1'`);
  });

  it('rejects bad outcome targets, writing nothing', async () => {
    const ok = { city: 'xingtai', campaign: CAMPAIGN, pm25Target: 60, heavyDaysTarget: 5, annualPm25Target: 45 };
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ city: 'atlantis' }, ['input', 'city'], 'NOT_FOUND'],
      [{ campaign: '1999-2000' }, ['input', 'campaign'], 'NOT_FOUND'],
      [{ pm25Target: -1 }, ['input', 'pm25Target'], 'OUT_OF_RANGE'],
      [{ pm25Target: 0 }, ['input', 'pm25Target'], 'OUT_OF_RANGE'],
      [{ pm25Target: 500.1 }, ['input', 'pm25Target'], 'OUT_OF_RANGE'],
      [{ heavyDaysTarget: -1 }, ['input', 'heavyDaysTarget'], 'OUT_OF_RANGE'],
      [{ heavyDaysTarget: 184 }, ['input', 'heavyDaysTarget'], 'OUT_OF_RANGE'],
      [{ annualPm25Target: 600 }, ['input', 'annualPm25Target'], 'OUT_OF_RANGE'],
      [{ annualPm25Target: -2 }, ['input', 'annualPm25Target'], 'OUT_OF_RANGE'],
    ];
    const before = await count('outcome_target');
    for (const [change, field, code] of cases) {
      const d = await app.data(SET_TARGET, { input: { ...ok, ...change } });
      expect(d.setOutcomeTarget.outcomeTarget, JSON.stringify(change)).toBeNull();
      expect(d.setOutcomeTarget.userErrors, JSON.stringify(change)).toEqual([{ field, code, message: expect.any(String) }]);
    }
    expect(await count('outcome_target')).toBe(before);

    // A bad replacement leaves the existing target as it was.
    const [old] = await app.sql(`select t.pm25_target, t.version from outcome_target t join city c on c.id = t.city_id where c.slug = 'shijiazhuang'`);
    const bad = await app.data(SET_TARGET, { input: { city: 'shijiazhuang', campaign: CAMPAIGN, pm25Target: 90, heavyDaysTarget: 999 } });
    expect(bad.setOutcomeTarget.userErrors.map((e: any) => e.field.join('.'))).toEqual(['input.heavyDaysTarget']);
    const [now] = await app.sql(`select t.pm25_target, t.version from outcome_target t join city c on c.id = t.city_id where c.slug = 'shijiazhuang'`);
    expect([Number(now.pm25_target), now.version]).toEqual([Number(old.pm25_target), old.version]);
  });
});
