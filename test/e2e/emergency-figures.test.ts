/**
 * The heavy-pollution response figures against plain SQL and hand counts over a small fixture:
 * list coverage by industry and planned reduction per level and pollutant (plain SQL over the
 * tables), warning days by level, heavy days with and without a warning, flagged warnings and
 * checks (counts of the fixture). The campaign scorecards carry the same figures (one SQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';

let app: TestApp;
const CAMPAIGN = '2023-2024-autumn-winter';
let serial = 900;
const ids: Record<string, string[]> = {};

async function enterprise(city: string, industry: string, grade: string | null): Promise<string> {
  serial++;
  const [row] = await app.sql<{ id: number }>(
    `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, ultra_low_emission_status, origin, created_by, updated_by)
     select id, ?, ?, ?, 'SMALL', ?, 'ASSESSED_AND_PUBLICISED', 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
    [`企业 ${serial}`, `91${String(serial).padStart(16, '0')}`, industry, grade, city],
  );
  (ids[city] ??= []).push(String(row.id));
  return String(row.id);
}
const m = (measure: string, cutPercent: number) => ({ measure, cutPercent });
const entry = (enterpriseId: string, base: number[], cuts: [string, number[]]) => ({
  enterpriseId,
  so2Baseline: base[0],
  noxBaseline: base[1],
  pmBaseline: base[2],
  vocsBaseline: base[3],
  yellow: m(cuts[0], cuts[1][0]!),
  orange: m(cuts[0], cuts[1][1]!),
  red: m(cuts[0], cuts[1][2]!),
});
async function ok(query: string, variables: Record<string, unknown>) {
  const d = await app.data(query, variables);
  const payload = Object.values(d)[0] as any;
  expect(payload.userErrors).toEqual([]);
  return payload;
}
const SET = `mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { entries { id } userErrors { field code message } } }`;
const ISSUE = `mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const CHANGE = `mutation($input: ChangeWarningInput!) { changeWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const LIFT = `mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const CHECK = `mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) { measureCheck { id } userErrors { field code message } } }`;
const DECIDE = `mutation($input: DecideGradeProposalInput!) { decideGradeProposal(input: $input) { measureCheck { id } userErrors { field code message } } }`;
const cst = (day: string, hour = 0) => `${day}T${String(hour).padStart(2, '0')}:00:00+08:00`;

beforeAll(async () => {
  app = await startTestApp();
  // Langfang: 3 chemical (B, C, ungraded), 1 glass (A), 1 foundry unlisted. Hengshui: 2 brick, 1 listed.
  const [b, c, u, a] = [await enterprise('langfang', 'CHEMICAL', 'B'), await enterprise('langfang', 'CHEMICAL', 'C'), await enterprise('langfang', 'CHEMICAL', null), await enterprise('langfang', 'GLASS', 'A')];
  await enterprise('langfang', 'FOUNDRY', 'D');
  const [h1] = [await enterprise('hengshui', 'BRICK_AND_TILE', 'C'), await enterprise('hengshui', 'BRICK_AND_TILE', 'D')];
  await ok(SET, {
    input: {
      city: 'langfang',
      campaign: CAMPAIGN,
      entries: [
        entry(b, [1, 2, 0.5, 4], ['LIMIT_PRODUCTION', [10, 20, 30]]),
        entry(c, [2, 1, 1, 0], ['STOP_LINES', [15, 30, 50]]),
        entry(u, [0.5, 0.5, 0.25, 2], ['STOP_PRODUCTION', [20, 40, 100]]),
        entry(a, [3, 3, 1, 1], ['SELF_DETERMINED', [0, 5, 10]]),
      ],
    },
  });
  await ok(SET, { input: { city: 'hengshui', campaign: CAMPAIGN, entries: [entry(h1, [0.8, 0.6, 0.4, 0.1], ['STAGGER', [25, 25, 35]])] } });

  // Langfang: YELLOW from Dec 10 00:00 to Dec 12 12:00 raised to RED, lifted Dec 13 06:00 -> Dec 10, 11 YELLOW; Dec 12, 13 RED.
  const w = (await ok(ISSUE, { input: { city: 'langfang', level: 'YELLOW', issuedAt: cst('2023-12-09', 12), effectiveFrom: cst('2023-12-10'), plannedEnd: cst('2023-12-14'), authority: '廊坊市' } })).warning.id;
  await ok(CHANGE, { input: { id: w, level: 'RED', effectiveAt: cst('2023-12-12', 12) } });
  await ok(LIFT, { input: { id: w, liftedAt: cst('2023-12-13', 6) } });
  // Langfang: ORANGE Jan 5 12:00 .. Jan 6 00:00 (one day), with no forecast (flagged NO_FORECAST, like the first).
  const w2 = (await ok(ISSUE, { input: { city: 'langfang', level: 'ORANGE', issuedAt: cst('2024-01-05'), effectiveFrom: cst('2024-01-05', 12), plannedEnd: cst('2024-01-06'), authority: '廊坊市' } })).warning.id;
  await ok(LIFT, { input: { id: w2, liftedAt: cst('2024-01-06') } });
  // Heavy days observed: Dec 11, Dec 12 (with warning), Dec 20 (without); Hengshui: Dec 11 (without), a station value (not counted).
  for (const [city, day, aqi, station] of [
    ['langfang', '2023-12-11', 260, null],
    ['langfang', '2023-12-12', 320, null],
    ['langfang', '2023-12-20', 230, null],
    ['langfang', '2023-12-21', 180, null],
    ['hengshui', '2023-12-11', 240, null],
    ['hengshui', '2023-12-12', 260, 'ST01'],
  ] as const) {
    await app.sql(`insert into air_quality_observation (city_id, observed_on, station_code, pm25, aqi, origin, created_by, updated_by) select id, ?, ?, 100, ?, 'RECORDED', 'test', 'test' from city where slug = ?`, [day, station, aqi, city]);
  }
  // Checks: two during the first warning, one failed and accepted.
  await ok(CHECK, { input: { warningId: w, enterpriseId: b, checkedAt: cst('2023-12-11', 9), method: 'ON_SITE', result: 'PASSED', inspector: '组一' } });
  const failed = (await ok(CHECK, { input: { warningId: w, enterpriseId: c, checkedAt: cst('2023-12-12', 15), method: 'POWER_USE', result: 'FAILED', inspector: '组二' } })).measureCheck.id;
  await ok(DECIDE, { input: { checkId: failed, accept: true, decidedBy: '廊坊市生态环境局' } });
});
afterAll(() => app?.close());

const FIGURES = `fragment F on EmergencyFigures {
  warningDays { level days } heavyDays heavyDaysWithWarning heavyDaysWithoutWarning warnings flaggedWarnings flaggedByReason { reason count }
  reductionLists { listedEnterprises registeredEnterprises coverageRate coverageByIndustry { industry listed registered rate }
    plannedReduction { level pollutant baselineTonnesPerDay cutTonnesPerDay share target meetsTarget } }
  measureChecks { checks failedChecks failureRate downgrades }
}`;
const Q = `${FIGURES} query($c: String!) {
  langfang: city(slug: "langfang") { emergencyFigures(campaign: $c) { ...F } }
  hengshui: city(slug: "hengshui") { emergencyFigures(campaign: $c) { ...F } }
  province(slug: "hebei") { emergencyFigures(campaign: $c) { ...F } }
  campaign(code: $c) { emergencyFigures { ...F } }
}`;

/** Planned reduction straight from the table, in plain SQL: sum(baseline * cut / 100) / sum(baseline). */
async function plainReduction(citySlugs: string[]) {
  const out: any[] = [];
  for (const level of ['yellow', 'orange', 'red']) {
    for (const p of ['so2', 'nox', 'pm', 'vocs']) {
      const [r] = await app.sql<{ base: number; cut: number }>(
        `select coalesce(sum(${p}_baseline), 0)::float8 as base, coalesce(sum(${p}_baseline * ${level}_cut_percent / 100), 0)::float8 as cut
         from reduction_list_entry r join city c on c.id = r.city_id where c.slug = any(string_to_array(?, ','))`,
        [citySlugs.join(',')],
      );
      out.push({ level: level.toUpperCase(), pollutant: p.toUpperCase(), baselineTonnesPerDay: r.base, cutTonnesPerDay: r.cut, share: r.base ? r.cut / r.base : null });
    }
  }
  return out;
}
async function plainCoverage(citySlugs: string[]) {
  return app.sql<{ industry: string; listed: number; registered: number }>(
    `select e.industry, count(r.id)::int as listed, count(*)::int as registered from enterprise e join city c on c.id = e.city_id
     left join reduction_list_entry r on r.enterprise_id = e.id where c.slug = any(string_to_array(?, ',')) group by 1 order by 1`,
    [citySlugs.join(',')],
  );
}
const close = (rows: any[]) => rows.map((r) => ({ ...r, baselineTonnesPerDay: Number(r.baselineTonnesPerDay.toFixed(6)), cutTonnesPerDay: Number(r.cutTonnesPerDay.toFixed(6)), share: r.share === null ? null : Number(r.share.toFixed(6)) }));

describe('heavy-pollution response figures', () => {
  it('counts list coverage by industry and planned reduction as plain SQL over the tables does', async () => {
    const d = await app.data(Q, { c: CAMPAIGN });
    for (const [figures, cities] of [
      [d.langfang.emergencyFigures, ['langfang']],
      [d.hengshui.emergencyFigures, ['hengshui']],
      [d.province.emergencyFigures, ['langfang', 'hengshui']],
      [d.campaign.emergencyFigures, ['langfang', 'hengshui']],
    ] as const) {
      const lists = figures.reductionLists;
      const coverage = await plainCoverage([...cities]);
      expect(lists.coverageByIndustry.map(({ rate: _r, ...c }: any) => c)).toEqual(coverage);
      expect(lists.listedEnterprises).toBe(coverage.reduce((s, c) => s + c.listed, 0));
      expect(lists.registeredEnterprises).toBe(coverage.reduce((s, c) => s + c.registered, 0));
      const plain = await plainReduction([...cities]);
      expect(close(lists.plannedReduction.map(({ target: _t, meetsTarget: _m, ...r }: any) => r))).toEqual(close(plain));
      for (const r of lists.plannedReduction) {
        expect(r.target).toBe({ YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 }[r.level as string]);
        expect(r.meetsTarget).toBe(r.share === null ? null : r.share >= r.target);
      }
    }
    // Langfang by hand: 4 of 5 listed; SO2 under YELLOW = (1*10 + 2*15 + 0.5*20 + 3*0) / 100 / 6.5.
    const lf = d.langfang.emergencyFigures.reductionLists;
    expect([lf.listedEnterprises, lf.registeredEnterprises, lf.coverageRate]).toEqual([4, 5, 0.8]);
    const so2Yellow = lf.plannedReduction.find((r: any) => r.level === 'YELLOW' && r.pollutant === 'SO2');
    expect(so2Yellow.cutTonnesPerDay).toBeCloseTo(0.5, 9);
    expect(so2Yellow.share).toBeCloseTo(0.5 / 6.5, 9);
    expect(so2Yellow.meetsTarget).toBe(false);
    const vocsRed = lf.plannedReduction.find((r: any) => r.level === 'RED' && r.pollutant === 'VOCS');
    expect(vocsRed.share).toBeCloseTo((4 * 0.3 + 2 * 1 + 1 * 0.1) / 7, 9);
    expect(vocsRed.meetsTarget).toBe(true);
  });

  it('counts warning days by level, heavy days with and without a warning, flagged warnings and checks', async () => {
    const d = await app.data(Q, { c: CAMPAIGN });
    const lf = d.langfang.emergencyFigures;
    // Dec 10, 11 YELLOW; Dec 12 (raised at noon) and Dec 13 (lifted 06:00) RED; Jan 5 ORANGE; Jan 6 (lifted at 00:00) none.
    expect(lf.warningDays).toEqual([
      { level: 'YELLOW', days: 2 },
      { level: 'ORANGE', days: 1 },
      { level: 'RED', days: 2 },
    ]);
    expect([lf.heavyDays, lf.heavyDaysWithWarning, lf.heavyDaysWithoutWarning]).toEqual([3, 2, 1]);
    expect([lf.warnings, lf.flaggedWarnings]).toEqual([2, 2]);
    expect(lf.flaggedByReason.find((r: any) => r.reason === 'NO_FORECAST').count).toBe(2);
    expect(lf.measureChecks).toEqual({ checks: 2, failedChecks: 1, failureRate: 0.5, downgrades: 1 });
    const hs = d.hengshui.emergencyFigures;
    expect([hs.heavyDays, hs.heavyDaysWithWarning, hs.heavyDaysWithoutWarning, hs.warnings]).toEqual([1, 0, 1, 0]);
    const hebei = d.province.emergencyFigures;
    expect(hebei.warningDays.map((x: any) => x.days)).toEqual([2, 1, 2]);
    expect([hebei.heavyDays, hebei.heavyDaysWithWarning, hebei.heavyDaysWithoutWarning]).toEqual([4, 2, 2]);
    expect(d.campaign.emergencyFigures.measureChecks.checks).toBe(2);
  });

  it('answers over the caller\'s cities only, and without list and check figures for anonymous callers', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'hengshui' });
    const d = await app.as(key.secret).data(Q, { c: CAMPAIGN });
    expect(d.province.emergencyFigures.heavyDays).toBe(1);
    expect(d.province.emergencyFigures.reductionLists.listedEnterprises).toBe(1);
    expect(d.langfang.emergencyFigures.heavyDays).toBe(0);
    const anon = await app.anonymous.data(Q, { c: CAMPAIGN });
    expect(anon.langfang.emergencyFigures.warningDays.map((x: any) => x.days)).toEqual([2, 1, 2]);
    expect(anon.langfang.emergencyFigures.reductionLists).toBeNull();
    expect(anon.langfang.emergencyFigures.measureChecks).toBeNull();
  });
});

// ------------------------------------------------------------------------------ in the campaign scorecards

const CARDS = `${FIGURES} query($l: ScorecardLevel!, $c: String!, $f: PlaceFilter) { campaignScorecards(level: $l, campaign: $c, filter: $f) { key emergency { ...F } } }`;

/** Warnings, flagged warnings and checks of some cities in plain SQL. */
async function plainCounts(citySlugs: string[]) {
  const [w] = await app.sql<{ warnings: number; flagged: number }>(
    `select count(*)::int as warnings, count(*) filter (where w.flag_reasons <> '{}')::int as flagged from warning w join city c on c.id = w.city_id where c.slug = any(string_to_array(?, ','))`,
    [citySlugs.join(',')],
  );
  const [m] = await app.sql<{ checks: number; failed: number; downgrades: number }>(
    `select count(*)::int as checks, count(*) filter (where m.result = 'FAILED')::int as failed, count(*) filter (where m.grade_change_id is not null)::int as downgrades
     from measure_check m join city c on c.id = m.city_id where c.slug = any(string_to_array(?, ','))`,
    [citySlugs.join(',')],
  );
  return { warnings: w.warnings, flaggedWarnings: w.flagged, checks: m.checks, failedChecks: m.failed, failureRate: m.checks ? m.failed / m.checks : null, downgrades: m.downgrades };
}

async function expectPlain(figures: any, citySlugs: string[]) {
  const coverage = await plainCoverage(citySlugs);
  expect(figures.reductionLists.coverageByIndustry.map(({ rate: _r, ...c }: any) => c)).toEqual(coverage);
  expect(figures.reductionLists.listedEnterprises).toBe(coverage.reduce((s, c) => s + c.listed, 0));
  expect(figures.reductionLists.registeredEnterprises).toBe(coverage.reduce((s, c) => s + c.registered, 0));
  expect(close(figures.reductionLists.plannedReduction.map(({ target: _t, meetsTarget: _m, ...r }: any) => r))).toEqual(close(await plainReduction(citySlugs)));
  const counts = await plainCounts(citySlugs);
  expect({ warnings: figures.warnings, flaggedWarnings: figures.flaggedWarnings, ...figures.measureChecks }).toEqual(counts);
}

describe('the emergency figures in the campaign scorecards', () => {
  it('gives every city, province and region scorecard the figures of its place, as emergencyFigures and plain SQL give them', async () => {
    const citiesOf = async (where: string, value: string) => (await app.sql<{ slug: string }>(`select c.slug from city c join province p on p.id = c.province_id where ${where} = ?`, [value])).map((c) => c.slug);

    // CITY: each of the 56 cards is its city's emergencyFigures.
    const byCity = (await app.data(CARDS, { l: 'CITY', c: CAMPAIGN })).campaignScorecards as any[];
    const cities = (await app.data(`${FIGURES} query($c: String!) { cities(first: 100) { nodes { slug emergencyFigures(campaign: $c) { ...F } } } }`, { c: CAMPAIGN })).cities.nodes as any[];
    expect(byCity.length).toBe(cities.length);
    for (const card of byCity) expect(card.emergency, card.key).toEqual(cities.find((c) => c.slug === card.key).emergencyFigures);
    const langfang = byCity.find((c) => c.key === 'langfang').emergency;
    await expectPlain(langfang, ['langfang']);
    expect(langfang.warningDays).toEqual([{ level: 'YELLOW', days: 2 }, { level: 'ORANGE', days: 1 }, { level: 'RED', days: 2 }]);
    expect([langfang.heavyDays, langfang.heavyDaysWithWarning, langfang.heavyDaysWithoutWarning]).toEqual([3, 2, 1]);
    expect(langfang.flaggedByReason.find((r: any) => r.reason === 'NO_FORECAST').count).toBe(2);
    expect(langfang.measureChecks).toEqual({ checks: 2, failedChecks: 1, failureRate: 0.5, downgrades: 1 });
    await expectPlain(byCity.find((c) => c.key === 'hengshui').emergency, ['hengshui']);

    // PROVINCE and REGION: the figures of Province.emergencyFigures and Region.emergencyFigures, summed over their cities.
    const places = await app.data(`${FIGURES} query($c: String!) {
      hebei: province(slug: "hebei") { emergencyFigures(campaign: $c) { ...F } }
      shanxi: province(slug: "shanxi") { emergencyFigures(campaign: $c) { ...F } }
      jjj: region(code: JJJ_SURROUNDING) { emergencyFigures(campaign: $c) { ...F } }
      fenwei: region(code: FENWEI_PLAIN) { emergencyFigures(campaign: $c) { ...F } }
    }`, { c: CAMPAIGN });
    const byProvince = (await app.data(CARDS, { l: 'PROVINCE', c: CAMPAIGN })).campaignScorecards as any[];
    const hebei = byProvince.find((c) => c.key === 'hebei').emergency;
    expect(hebei).toEqual(places.hebei.emergencyFigures);
    expect(byProvince.find((c) => c.key === 'shanxi').emergency).toEqual(places.shanxi.emergencyFigures);
    await expectPlain(hebei, await citiesOf('p.slug', 'hebei'));
    expect(hebei.warningDays.map((x: any) => x.days)).toEqual([2, 1, 2]);
    expect([hebei.heavyDays, hebei.heavyDaysWithWarning, hebei.heavyDaysWithoutWarning]).toEqual([4, 2, 2]);
    expect(hebei.reductionLists.coverageRate).toBeCloseTo(5 / 7, 9);
    const byRegion = (await app.data(CARDS, { l: 'REGION', c: CAMPAIGN })).campaignScorecards as any[];
    const jjj = byRegion.find((c) => c.key === 'JJJ_SURROUNDING').emergency;
    expect(jjj).toEqual(places.jjj.emergencyFigures);
    expect(byRegion.find((c) => c.key === 'FENWEI_PLAIN').emergency).toEqual(places.fenwei.emergencyFigures);
    await expectPlain(jjj, (await app.sql<{ slug: string }>(`select slug from city where region_code = 'JJJ_SURROUNDING'`)).map((c) => c.slug));
    expect(byRegion.find((c) => c.key === 'FENWEI_PLAIN').emergency.heavyDays).toBe(0);
  });

  it('computes them in grouped statements: as many for the cities of Hebei as for Beijing alone', async () => {
    const one = await app.gql(CARDS, { l: 'CITY', c: CAMPAIGN, f: { province: 'beijing' } });
    const all = await app.gql(CARDS, { l: 'CITY', c: CAMPAIGN, f: { province: 'hebei' } });
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    expect(one.data.campaignScorecards.length).toBe(1);
    expect(all.data.campaignScorecards.length).toBeGreaterThan(10);
    expect(all.extensions?.sqlStatements).toBe(one.extensions?.sqlStatements);
  });

  it('answers them over the caller\'s cities, without list and check figures for anonymous callers', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'hengshui' });
    const mine = (await app.as(key.secret).data(CARDS, { l: 'PROVINCE', c: CAMPAIGN })).campaignScorecards as any[];
    expect(mine.map((c) => c.key)).toEqual(['hebei']);
    expect(mine[0].emergency).toEqual((await app.as(key.secret).data(Q, { c: CAMPAIGN })).province.emergencyFigures);
    expect([mine[0].emergency.heavyDays, mine[0].emergency.warnings, mine[0].emergency.reductionLists.listedEnterprises]).toEqual([1, 0, 1]);
    const anon = await app.anonymous.gql(CARDS, { l: 'CITY', c: CAMPAIGN, f: { city: 'langfang' } });
    expect(anon.errors).toBeUndefined();
    const e = anon.data.campaignScorecards[0].emergency;
    expect(e.warningDays.map((x: any) => x.days)).toEqual([2, 1, 2]);
    expect([e.heavyDays, e.warnings, e.flaggedWarnings, e.reductionLists, e.measureChecks]).toEqual([3, 2, 2, null, null]);
  });

  it('exports them with the scorecards: the same figures, lists and checks columns for keys only', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    const file = async (token: string | null) => {
      const q = new URLSearchParams({ input: JSON.stringify({ level: 'PROVINCE', campaign: CAMPAIGN }) });
      const res = await fetch(`${base}/exports/campaign-scorecards.csv?${q}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
      const hebei = rows.find((r) => r[header.indexOf('key')] === 'hebei')!;
      return { header, at: (h: string) => (header.includes(h) ? hebei[header.indexOf(h)] : undefined) };
    };
    const card = (await app.data(CARDS, { l: 'PROVINCE', c: CAMPAIGN })).campaignScorecards.find((c: any) => c.key === 'hebei').emergency;
    const m = await file(app.ministryToken);
    expect(['warning_days_yellow', 'warning_days_orange', 'warning_days_red'].map(m.at)).toEqual(card.warningDays.map((d: any) => String(d.days)));
    expect(['heavy_days_with_warning', 'heavy_days_without_warning', 'warnings', 'flagged_warnings', 'flagged_no_forecast'].map(m.at)).toEqual(['2', '2', '2', '2', '2']);
    expect(['listed_enterprises', 'registered_enterprises', 'listed_chemical', 'registered_chemical', 'listed_foundry', 'registered_foundry'].map(m.at)).toEqual(['5', '7', '3', '3', '0', '1']);
    expect(Number(m.at('coverage_rate'))).toBeCloseTo(5 / 7, 9);
    for (const p of card.reductionLists.plannedReduction) {
      const col = `planned_reduction_${p.level.toLowerCase()}_${p.pollutant.toLowerCase()}`;
      expect(Number(m.at(`${col}_share`)), col).toBeCloseTo(p.share, 9);
      expect(m.at(`${col}_meets_target`), col).toBe(String(p.meetsTarget));
    }
    expect(['checks', 'failed_checks', 'check_failure_rate', 'downgrades'].map(m.at)).toEqual(['2', '1', '0.5', '1']);
    const a = await file(null);
    expect(a.at('warning_days_red')).toBe('2');
    expect(a.header.filter((h) => /^(listed|registered|coverage|planned_reduction|checks|failed_checks|check_failure|downgrades)/.test(h))).toEqual([]);
  });
});
