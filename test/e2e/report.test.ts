import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  BUDGETS,
  CAMPAIGN,
  CITIES,
  DISBURSEMENTS,
  ENTERPRISES,
  GRADE_CHANGES,
  isHeavy,
  OBSERVATIONS,
  OUTCOME_TARGETS,
  PROGRAMS,
  PROJECTS,
  aggregate,
  reportMap,
  rollup,
  writeFixture,
  type Agg,
} from './report-fixture.js';

let app: TestApp;

const REPORT = `query($input: ReportInput!) {
  report(input: $input) {
    subject dimensions
    columns { name measure aggregation filtered }
    rows { kind level keys { dimension isTotal value label labelZh } values }
    grandTotal { kind level values }
  }
}`;

async function report(input: Record<string, unknown>) {
  return (await app.data(REPORT, { input })).report;
}

/** Compares two keyed row maps value by value (floating point to 6 decimals). */
function expectSameRows(actual: Map<string, (number | null)[]>, expected: Map<string, (number | null)[]>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, values] of expected) {
    const got = actual.get(key)!;
    values.forEach((v, i) => {
      if (v === null) expect(got[i], `${key} #${i}`).toBeNull();
      else expect(got[i], `${key} #${i}`).toBeCloseTo(v, 6);
    });
  }
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

beforeAll(async () => {
  app = await startTestApp();
  await writeFixture(app);
});

afterAll(async () => {
  await app?.close();
});

describe('report', () => {
  it('counts enterprises by province and grade, with subtotals per province and a grand total', async () => {
    const r = await report({ subject: 'ENTERPRISES', dimensions: ['PROVINCE', 'GRADE'], measures: [{ measure: 'COUNT' }] });
    expect(r.columns).toEqual([{ name: 'count', measure: 'COUNT', aggregation: 'COUNT', filtered: false }]);
    const expected = rollup(ENTERPRISES, [(e) => CITIES[e.city].province, (e) => e.grade], [{ agg: 'COUNT', value: () => 1 }]);
    expectSameRows(reportMap(r), expected);
    expect(r.grandTotal).toEqual({ kind: 'GRAND_TOTAL', level: 0, values: [ENTERPRISES.length] });
    // Order: provinces by id (hebei, shanxi, shaanxi), grades LEADING..D then ungraded, each subtotal after its details.
    expect(r.rows.map((row: any) => row.keys.map((k: any) => (k.isTotal ? '*' : String(k.value))).join('|'))).toEqual([
      'hebei|C', 'hebei|*',
      'shanxi|A', 'shanxi|B', 'shanxi|D', 'shanxi|null', 'shanxi|*',
      'shaanxi|LEADING', 'shaanxi|B', 'shaanxi|*',
      '*|*',
    ]);
    const ungraded = r.rows.find((row: any) => row.keys[1].value === null && !row.keys[1].isTotal);
    expect(ungraded.keys).toEqual([
      { dimension: 'PROVINCE', isTotal: false, value: 'shanxi', label: 'Shanxi', labelZh: '山西省' },
      { dimension: 'GRADE', isTotal: false, value: null, label: 'Ungraded', labelZh: null },
    ]);
    expect(ungraded.kind).toBe('DETAIL');
    expect(r.rows.find((row: any) => row.keys[0].value === 'shanxi' && row.keys[1].isTotal).kind).toBe('SUBTOTAL');
  });

  it('counts grade changes of the campaign by month (China time) and industry, with a measure filter', async () => {
    const [start, end] = ['2023-10-01T00:00:00+08:00', '2024-04-01T00:00:00+08:00'].map(Date.parse);
    const inCampaign = GRADE_CHANGES.filter((g) => Date.parse(g.at) >= start && Date.parse(g.at) < end);
    const industryOf = (key: string) => ENTERPRISES.find((e) => e.key === key)!.industry;
    const r = await report({
      subject: 'GRADE_CHANGES',
      dimensions: ['MONTH', 'INDUSTRY'],
      filter: { campaign: CAMPAIGN },
      measures: [{ measure: 'COUNT' }, { measure: 'COUNT', name: 'first_assessments', filter: { graded: true, grades: ['B', 'LEADING'] } }],
    });
    const records = inCampaign.map((g) => ({ ...g, industry: industryOf(g.enterprise) }));
    const expected = rollup(records, [(g) => g.month, (g) => g.industry], [
      { agg: 'COUNT', value: () => 1 },
      { agg: 'COUNT', value: () => 1, where: (g) => ['B', 'LEADING'].includes(g.to) },
    ]);
    expectSameRows(reportMap(r), expected);
    // The change decided at 2023-10-31 20:00 UTC falls in November in China.
    expect(reportMap(r).get('2023-11|*')).toEqual([2, 1]);
    expect(r.grandTotal.values).toEqual([5, 3]);
  });

  it('measures retrofit projects by city and status: every aggregation, per-measure filters', async () => {
    const measures: { measure: string; aggregation?: Agg; name?: string; filter?: Record<string, unknown> }[] = [
      { measure: 'COUNT' },
      { measure: 'HOUSEHOLDS' },
      { measure: 'CAPACITY', aggregation: 'SUM' },
      { measure: 'UNITS', aggregation: 'MAX' },
      { measure: 'INVESTMENT', aggregation: 'AVG' },
      { measure: 'INVESTMENT', aggregation: 'MEDIAN' },
      { measure: 'INVESTMENT', aggregation: 'MIN' },
      { measure: 'HOUSEHOLDS', aggregation: 'SUM', name: 'households_counting', filter: { projectStatuses: ['COMPLETED', 'VERIFIED'], taskTargets: ['COAL_HOUSEHOLDS'], to: '2023-11-15' } },
    ];
    const r = await report({ subject: 'RETROFIT_PROJECTS', dimensions: ['CITY', 'PROJECT_STATUS'], measures });
    expect(r.columns.map((c: any) => c.name)).toEqual([
      'count', 'sum_households', 'sum_capacity', 'max_units', 'avg_investment', 'median_investment', 'min_investment', 'households_counting',
    ]);
    const expected = rollup(PROJECTS, [(p) => p.city, (p) => p.status], [
      { agg: 'COUNT', value: () => 1 },
      { agg: 'SUM', value: (p) => p.households },
      { agg: 'SUM', value: (p) => p.capacity },
      { agg: 'MAX', value: (p) => p.units },
      { agg: 'AVG', value: (p) => p.investment },
      { agg: 'MEDIAN', value: (p) => p.investment },
      { agg: 'MIN', value: (p) => p.investment },
      { agg: 'SUM', value: (p) => p.households, where: (p) => ['COMPLETED', 'VERIFIED'].includes(p.status) && p.target === 'COAL_HOUSEHOLDS' && p.end !== null && p.end <= '2023-11-15' },
    ]);
    expectSameRows(reportMap(r), expected);
    // The counting households are those of the COAL_HOUSEHOLDS progress: 1,200 + 800 + 2,000.
    expect(r.grandTotal.values[7]).toBe(4000);
  });

  it('groups projects by task target and month of completion, keeping the ones without either', async () => {
    const r = await report({
      subject: 'RETROFIT_PROJECTS',
      dimensions: ['TASK_TARGET', 'MONTH'],
      measures: [{ measure: 'COUNT' }, { measure: 'INVESTMENT' }],
      totals: 'GRAND_TOTAL',
    });
    const expected = rollup(PROJECTS, [(p) => p.target, (p) => (p.end ? p.end.slice(0, 7) : null)], [
      { agg: 'COUNT', value: () => 1 },
      { agg: 'SUM', value: (p) => p.investment },
    ]);
    // GRAND_TOTAL: the detail rows and the grand total, no subtotals.
    const details = new Map([...expected].filter(([k]) => !k.includes('*') || k === '*|*'));
    expectSameRows(reportMap(r), details);
    const none = r.rows.find((row: any) => row.keys[0].value === null && !row.keys[0].isTotal);
    expect(none.keys[0].label).toBe('No task target');
    expect(none.keys[1].label).toBe('Not ended');
  });

  it('measures disbursements by program and low-income flag (amounts, days to payment)', async () => {
    const records = DISBURSEMENTS.map((d) => ({
      ...d,
      code: PROGRAMS[d.program],
      low: d.household ? String(d.household.lowIncome) : null,
      days: d.paid ? days(d.approved, d.paid) : null,
    }));
    const r = await report({
      subject: 'DISBURSEMENTS',
      dimensions: ['SUBSIDY_PROGRAM', 'LOW_INCOME'],
      measures: [
        { measure: 'COUNT' },
        { measure: 'AMOUNT' },
        { measure: 'AMOUNT', aggregation: 'MAX' },
        { measure: 'DAYS_TO_PAYMENT' },
        { measure: 'DAYS_TO_PAYMENT', aggregation: 'MEDIAN' },
        { measure: 'AMOUNT', name: 'approved_in_2023', filter: { to: '2023-12-31' } },
      ],
    });
    const expected = rollup(records, [(d) => d.code, (d) => d.low], [
      { agg: 'COUNT', value: () => 1 },
      { agg: 'SUM', value: (d) => d.amount },
      { agg: 'MAX', value: (d) => d.amount },
      { agg: 'AVG', value: (d) => d.days },
      { agg: 'MEDIAN', value: (d) => d.days },
      { agg: 'SUM', value: (d) => d.amount, where: (d) => d.approved <= '2023-12-31' },
    ]);
    expectSameRows(reportMap(r), expected);
    const labels = r.rows.filter((row: any) => row.kind === 'DETAIL').map((row: any) => row.keys[1].label);
    expect(labels).toEqual(['Low-income household', 'Other household', 'Enterprise']);
    // By hand: paid days 10, 20, 40, 5, 30, 30 -> median 25.
    expect(r.grandTotal.values[4]).toBe(25);
  });

  it('measures city-wide observations of the campaign by region and city (PM2.5, heavy days), CUBE totals', async () => {
    const period = (o: { day: string }) => o.day >= '2023-10-01' && o.day <= '2024-03-31';
    const cityWide = OBSERVATIONS.filter((o) => !o.station && period(o));
    const r = await report({
      subject: 'OBSERVATIONS',
      dimensions: ['REGION', 'MONTH'],
      filter: { campaign: CAMPAIGN },
      totals: 'CUBE',
      measures: [
        { measure: 'COUNT' },
        { measure: 'PM25' },
        { measure: 'PM25', aggregation: 'MAX' },
        { measure: 'PM25', aggregation: 'MEDIAN' },
        { measure: 'HEAVY_DAYS' },
        { measure: 'HEAVY_DAYS', aggregation: 'AVG', name: 'heavy_share' },
        { measure: 'PM25', name: 'shanxi_mean', filter: { province: 'shanxi' } },
      ],
    });
    const specs = [
      { agg: 'COUNT' as const, value: () => 1 },
      { agg: 'AVG' as const, value: (o: (typeof cityWide)[number]) => o.pm25 },
      { agg: 'MAX' as const, value: (o: (typeof cityWide)[number]) => o.pm25 },
      { agg: 'MEDIAN' as const, value: (o: (typeof cityWide)[number]) => o.pm25 },
      { agg: 'SUM' as const, value: (o: (typeof cityWide)[number]) => (isHeavy(o) ? 1 : 0) },
      { agg: 'AVG' as const, value: (o: (typeof cityWide)[number]) => (isHeavy(o) ? 1 : 0) },
      { agg: 'AVG' as const, value: (o: (typeof cityWide)[number]) => o.pm25, where: (o: (typeof cityWide)[number]) => CITIES[o.city].province === 'shanxi' },
    ];
    const region = (o: (typeof cityWide)[number]) => CITIES[o.city].region;
    const month = (o: (typeof cityWide)[number]) => o.day.slice(0, 7);
    const expected = rollup(cityWide, [region, month], specs);
    // CUBE adds the totals per month over every region.
    for (const [key, values] of rollup(cityWide, [month], specs)) if (key !== '*') expected.set(`*|${key}`, values);
    expectSameRows(reportMap(r), expected);
    expect(r.grandTotal.values[0]).toBe(12);
    expect(r.grandTotal.values[4]).toBe(4);
  });

  it('gives the grand total alone without dimensions, and nulls for empty aggregates', async () => {
    const r = await report({
      subject: 'DISBURSEMENTS',
      dimensions: [],
      filter: { city: 'xian' },
      measures: [{ measure: 'COUNT' }, { measure: 'AMOUNT' }, { measure: 'AMOUNT', name: 'to_households', filter: { lowIncome: true } }],
    });
    expect(r.rows).toEqual([{ kind: 'GRAND_TOTAL', level: 0, keys: [], values: [2, 500_000, null] }]);
  });

  it('rejects dimensions, measures, aggregations and filters the subject does not have, naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ subject: 'OBSERVATIONS', dimensions: ['CITY', 'INDUSTRY'], measures: [{ measure: 'COUNT' }] }, 'input.dimensions.1', 'INDUSTRY'],
      [{ subject: 'DISBURSEMENTS', dimensions: ['CITY'], measures: [{ measure: 'COUNT' }, { measure: 'HOUSEHOLDS' }] }, 'input.measures.1.measure', 'HOUSEHOLDS'],
      [{ subject: 'ENTERPRISES', dimensions: ['MONTH'], measures: [{ measure: 'COUNT' }] }, 'input.dimensions.0', 'MONTH'],
      [{ subject: 'OBSERVATIONS', dimensions: [], measures: [{ measure: 'HEAVY_DAYS', aggregation: 'MAX' }] }, 'input.measures.0.aggregation', 'MAX'],
      [{ subject: 'DISBURSEMENTS', dimensions: [], measures: [{ measure: 'DAYS_TO_PAYMENT', aggregation: 'SUM' }] }, 'input.measures.0.aggregation', 'SUM'],
      [{ subject: 'OBSERVATIONS', dimensions: [], measures: [{ measure: 'COUNT' }], filter: { industries: ['STEEL'] } }, 'input.filter.industries', 'INDUSTRY'],
      [{ subject: 'ENTERPRISES', dimensions: [], measures: [{ measure: 'COUNT', filter: { lowIncome: true } }] }, 'input.measures.0.filter.lowIncome', 'LOW_INCOME'],
      [{ subject: 'ENTERPRISES', dimensions: ['CITY', 'CITY'], measures: [{ measure: 'COUNT' }] }, 'input.dimensions.1', 'twice'],
      [{ subject: 'ENTERPRISES', dimensions: [], measures: [{ measure: 'COUNT', name: '1st' }] }, 'input.measures.0.name', 'letters'],
      [{ subject: 'ENTERPRISES', dimensions: [], measures: [] }, 'input.measures', '1 to 12'],
    ];
    for (const [input, field, mention] of cases) {
      const res = await app.gql(REPORT, { input });
      expect(res.data?.report ?? null, field).toBeNull();
      expect(res.errors?.[0].extensions?.code, field).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field, field).toBe(field);
      expect(res.errors?.[0].message, field).toContain(mention);
    }
    const notFound = await app.gql(REPORT, { input: { subject: 'RETROFIT_PROJECTS', dimensions: [], measures: [{ measure: 'COUNT' }], filter: { taskTargets: ['COAL_HOUSEHOLDS', 'NOPE'] } } });
    expect(notFound.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.filter.taskTargets.1' });
    const badPlace = await app.gql(REPORT, { input: { subject: 'ENTERPRISES', dimensions: [], measures: [{ measure: 'COUNT', filter: { province: 'atlantis' } }] } });
    expect(badPlace.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.measures.0.filter.province' });
    const badEnum = await app.gql(REPORT, { input: { subject: 'ENTERPRISES', dimensions: ['COLOUR'], measures: [{ measure: 'COUNT' }] } });
    expect(badEnum.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('runs as one SQL statement (plus the look-ups of its filter)', async () => {
    const res = await app.gql(REPORT, { input: { subject: 'ENTERPRISES', dimensions: ['REGION', 'PROVINCE', 'CITY'], measures: [{ measure: 'COUNT' }] } });
    expect(res.errors).toBeUndefined();
    expect(res.extensions?.sqlStatements).toBeLessThanOrEqual(2);
  });
});

// ---------------------------------------------------------------------------------- scorecards

const SCORECARDS = `query($level: ScorecardLevel!, $filter: PlaceFilter) {
  campaignScorecards(level: $level, campaign: "${CAMPAIGN}", filter: $filter) {
    level key name nameZh campaign { code } region { code } province { slug } city { slug }
    attainment { cityCount periodDays observedDays pm25Mean pm25Target pm25Met citiesMeetingPm25 citiesAssessedPm25
      heavyPollutionDays heavyDaysTarget heavyDaysMet citiesMeetingHeavyDays }
    taskTargets { taskTarget { code } achieved countedProjects share { quantity progress { achieved percent } } sharePercent }
    subsidies { budgetAmount committedAmount paidAmount paymentRate disbursementCount paidCount medianDaysToPayment lowIncomePaidShare lowIncomeShare }
    grades { grade count }
  }
}`;

/** Whether observations cover each month of the campaign period by 27 days (February 2024: 25). */
function complete(obs: { day: string }[]): boolean {
  return ['2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03'].every(
    (m) => obs.filter((o) => o.day.startsWith(m)).length >= (m === '2024-02' ? 25 : 27),
  );
}

/** Attainment of a set of cities computed from the fixture (campaign period, city-wide means). */
function expectedAttainment(cities: string[]) {
  const per = cities.map((city) => {
    const obs = OBSERVATIONS.filter((o) => o.city === city && !o.station && o.day >= '2023-10-01' && o.day <= '2024-03-31');
    const mean = aggregate('AVG', obs.map((o) => o.pm25));
    const heavy = obs.filter(isHeavy).length;
    const t = OUTCOME_TARGETS[city];
    return {
      observed: obs.length,
      mean,
      heavy,
      target: t ?? null,
      // GB 3095-2012 validity: 27 daily means in each month of the period (25 in February 2024).
      // More heavy days than the target is a miss however many days are missing.
      pm25Met: t && complete(obs) ? mean! <= t.pm25 : null,
      heavyMet: !t ? null : heavy > t.heavy ? false : complete(obs) ? true : null,
    };
  });
  const assessed = per.filter((p) => p.pm25Met !== null);
  const heavyAssessed = per.filter((p) => p.heavyMet !== null);
  return {
    cityCount: cities.length,
    periodDays: 183,
    observedDays: per.reduce((a, p) => a + p.observed, 0),
    pm25Mean: aggregate('AVG', per.map((p) => p.mean)),
    pm25Target: aggregate('AVG', per.map((p) => p.target?.pm25 ?? null)),
    pm25Met: assessed.length ? assessed.every((p) => p.pm25Met) : null,
    citiesMeetingPm25: per.filter((p) => p.pm25Met).length,
    citiesAssessedPm25: assessed.length,
    heavyPollutionDays: per.reduce((a, p) => a + p.heavy, 0),
    heavyDaysTarget: per.some((p) => p.target) ? per.reduce((a, p) => a + (p.target?.heavy ?? 0), 0) : null,
    heavyDaysMet: heavyAssessed.length ? heavyAssessed.every((p) => p.heavyMet) : null,
    citiesMeetingHeavyDays: per.filter((p) => p.heavyMet).length,
  };
}

function expectedSubsidies(cities: string[]) {
  const ds = DISBURSEMENTS.filter((d) => cities.includes(d.city));
  const budget = BUDGETS.filter((b) => cities.includes(b.city)).reduce((a, b) => a + b.amount, 0);
  const paid = ds.filter((d) => d.paid);
  const paidAmount = paid.reduce((a, d) => a + d.amount, 0);
  const households = ds.filter((d) => d.household);
  const paidHouseholds = paid.filter((d) => d.household);
  const sum = (xs: typeof ds) => xs.reduce((a, d) => a + d.amount, 0);
  return {
    budgetAmount: budget,
    committedAmount: sum(ds),
    paidAmount,
    paymentRate: budget ? paidAmount / budget : null,
    disbursementCount: ds.length,
    paidCount: paid.length,
    medianDaysToPayment: aggregate('MEDIAN', paid.map((d) => days(d.approved, d.paid!))),
    lowIncomePaidShare: paidHouseholds.length ? sum(paidHouseholds.filter((d) => d.household!.lowIncome)) / sum(paidHouseholds) : null,
    lowIncomeShare: households.length ? sum(households.filter((d) => d.household!.lowIncome)) / sum(households) : null,
  };
}

function expectedGrades(cities: string[]) {
  return ['LEADING', 'A', 'B', 'C', 'D', null].map((grade) => ({
    grade,
    count: ENTERPRISES.filter((e) => cities.includes(e.city) && e.grade === grade).length,
  }));
}

/** Achieved households of COAL_HOUSEHOLDS in some cities: counting projects by the deadline. */
function coalHouseholds(cities: string[]) {
  const counting = PROJECTS.filter(
    (p) => cities.includes(p.city) && p.target === 'COAL_HOUSEHOLDS' && ['COMPLETED', 'VERIFIED'].includes(p.status) && p.end! <= '2023-11-15',
  );
  return { achieved: counting.reduce((a, p) => a + p.households, 0), counted: counting.length };
}

function expectClose(actual: Record<string, any>, expected: Record<string, any>) {
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'number' && !Number.isInteger(v)) expect(actual[k], k).toBeCloseTo(v, 6);
    else expect(actual[k], k).toEqual(v);
  }
}

describe('campaign scorecards', () => {
  it('draws up city scorecards: attainment, task targets, subsidies, grades', async () => {
    const cards = (await app.data(SCORECARDS, { level: 'CITY', filter: { province: 'shanxi' } })).campaignScorecards;
    expect(cards.map((c: any) => c.key)).toEqual(['taiyuan', 'yangquan', 'changzhi', 'jincheng', 'jinzhong', 'yuncheng', 'linfen', 'lvliang']);
    const taiyuan = cards[0];
    expect(taiyuan).toMatchObject({ level: 'CITY', name: 'Taiyuan', nameZh: '太原市', region: { code: 'FENWEI_PLAIN' }, province: { slug: 'shanxi' }, city: { slug: 'taiyuan' } });
    expectClose(taiyuan.attainment, expectedAttainment(['taiyuan']));
    // By hand: mean (100 + 160 + 40 + 80) / 4 = 95 > 90, one heavy day against a target of 1, but 4 of
    // 183 days are too few to say either (GB 3095-2012 validity): no verdict.
    expect(taiyuan.attainment).toMatchObject({ pm25Mean: 95, pm25Met: null, heavyPollutionDays: 1, heavyDaysMet: null });
    expectClose(taiyuan.subsidies, expectedSubsidies(['taiyuan']));
    expect(taiyuan.subsidies).toMatchObject({ budgetAmount: 10_000, paidAmount: 4_500, paymentRate: 0.45, medianDaysToPayment: 20 });
    expect(taiyuan.grades).toEqual(expectedGrades(['taiyuan']));
    const coal = taiyuan.taskTargets.find((t: any) => t.taskTarget.code === 'COAL_HOUSEHOLDS');
    expect(coal).toEqual({ taskTarget: { code: 'COAL_HOUSEHOLDS' }, achieved: coalHouseholds(['taiyuan']).achieved, countedProjects: 1, share: null, sharePercent: null });
    const steel = taiyuan.taskTargets.find((t: any) => t.taskTarget.code === 'STEEL_ULTRA_LOW_CAPACITY');
    expect(steel.achieved).toBe(3_000_000);
    // Shanxi's own coke-oven target applies to its cities; Shaanxi's does not.
    const codes = taiyuan.taskTargets.map((t: any) => t.taskTarget.code);
    expect(codes).toContain('SHANXI_COKE_OVEN_4_3M_CLOSURE');
    expect(codes).not.toContain('SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN');
    const yangquan = cards[1];
    expect(yangquan.attainment).toMatchObject({ cityCount: 1, observedDays: 0, pm25Mean: null, pm25Target: null, pm25Met: null, heavyDaysTarget: null });
    expect(yangquan.subsidies).toMatchObject({ budgetAmount: 0, paymentRate: null, medianDaysToPayment: null, lowIncomeShare: null });
  });

  it('aggregates province scorecards: mean of city means, cities meeting targets, the provincial share', async () => {
    const cards = (await app.data(SCORECARDS, { level: 'PROVINCE' })).campaignScorecards;
    expect(cards.map((c: any) => c.key)).toEqual(['beijing', 'tianjin', 'hebei', 'shanxi', 'shandong', 'henan', 'shaanxi']);
    const shanxi = cards.find((c: any) => c.key === 'shanxi');
    const shanxiCities = ['taiyuan', 'yangquan', 'changzhi', 'jincheng', 'jinzhong', 'yuncheng', 'linfen', 'lvliang'];
    expectClose(shanxi.attainment, expectedAttainment(shanxiCities));
    // By hand: mean of 95 and (50 + 70 + 200) / 3; too few days to judge a PM2.5 target, but Jinzhong's
    // heavy day against a target of 0 is a miss.
    expect(shanxi.attainment.pm25Mean).toBeCloseTo((95 + 320 / 3) / 2, 9);
    expect(shanxi.attainment).toMatchObject({ cityCount: 8, pm25Met: null, citiesMeetingPm25: 0, citiesAssessedPm25: 0, heavyPollutionDays: 2, heavyDaysTarget: 1, heavyDaysMet: false, citiesMeetingHeavyDays: 0 });
    expectClose(shanxi.subsidies, expectedSubsidies(shanxiCities));
    expect(shanxi.grades).toEqual(expectedGrades(shanxiCities));
    const coal = shanxi.taskTargets.find((t: any) => t.taskTarget.code === 'COAL_HOUSEHOLDS');
    const { achieved, counted } = coalHouseholds(shanxiCities);
    expect(coal).toMatchObject({ achieved, countedProjects: counted, share: { quantity: 77_000, progress: { achieved } } });
    expect(coal.sharePercent).toBe(Math.round((achieved / 77_000) * 10000) / 100);
    expect(cards.find((c: any) => c.key === 'hebei').taskTargets.find((t: any) => t.taskTarget.code === 'COAL_HOUSEHOLDS').share).toBeNull();
  });

  it('aggregates region scorecards over every city of the region', async () => {
    const cards = (await app.data(SCORECARDS, { level: 'REGION' })).campaignScorecards;
    expect(cards.map((c: any) => c.key)).toEqual(['JJJ_SURROUNDING', 'FENWEI_PLAIN']);
    const fenweiCities = (await app.sql<{ slug: string }>(`select slug from city where region_code = 'FENWEI_PLAIN'`)).map((c) => c.slug);
    const jjjCities = (await app.sql<{ slug: string }>(`select slug from city where region_code = 'JJJ_SURROUNDING'`)).map((c) => c.slug);
    const [jjj, fenwei] = cards;
    expectClose(fenwei.attainment, expectedAttainment(fenweiCities));
    expectClose(jjj.attainment, expectedAttainment(jjjCities));
    expect(fenwei.attainment).toMatchObject({ cityCount: 16, citiesAssessedPm25: 0, citiesMeetingPm25: 0, heavyPollutionDays: 3, heavyDaysTarget: 3, heavyDaysMet: false });
    expectClose(fenwei.subsidies, expectedSubsidies(fenweiCities));
    expect(fenwei.grades).toEqual(expectedGrades(fenweiCities));
    expect(fenwei.province).toBeNull();
    const coal = fenwei.taskTargets.find((t: any) => t.taskTarget.code === 'COAL_HOUSEHOLDS');
    expect(coal).toMatchObject({ ...(({ achieved, counted }) => ({ achieved, countedProjects: counted }))(coalHouseholds(fenweiCities)), share: null });
    // Both provinces' coke-oven targets apply to the Fenwei Plain (Shanxi and Shaanxi cities).
    const codes = fenwei.taskTargets.map((t: any) => t.taskTarget.code);
    expect(codes).toEqual(expect.arrayContaining(['SHANXI_COKE_OVEN_4_3M_CLOSURE', 'SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN']));
  });

  it('names unknown places and campaigns', async () => {
    const res = await app.gql(SCORECARDS, { level: 'CITY', filter: { province: 'atlantis' } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.province' });
    const res2 = await app.gql(`{ campaignScorecards(level: CITY, campaign: "1999") { key } }`);
    expect(res2.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'campaign' });
  });
});

// ---------------------------------------------------------------------------------- monthly ranking

const RANKING = `query($month: String!, $order: RankingOrder, $filter: PlaceFilter) {
  monthlyPm25Ranking(month: $month, order: $order, filter: $filter) {
    month previousYearMonth order
    entries { rank city { slug } pm25Mean observedDays previousYearPm25Mean change changePercent }
  }
}`;

describe('monthly PM2.5 ranking', () => {
  function expectedRanking(month: string) {
    const prevMonth = `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
    const mean = (city: string, m: string) => aggregate('AVG', OBSERVATIONS.filter((o) => o.city === city && !o.station && o.day.startsWith(m)).map((o) => o.pm25));
    const rows = Object.keys(CITIES)
      .map((city) => ({ city, mean: mean(city, month), prev: mean(city, prevMonth), n: OBSERVATIONS.filter((o) => o.city === city && !o.station && o.day.startsWith(month)).length }))
      .filter((r) => r.mean !== null)
      .sort((a, b) => a.mean! - b.mean!);
    return rows.map((r) => ({
      rank: rows.filter((o) => o.mean! < r.mean!).length + 1,
      city: { slug: r.city },
      pm25Mean: r.mean,
      observedDays: r.n,
      previousYearPm25Mean: r.prev,
      change: r.prev === null ? null : r.mean! - r.prev,
      changePercent: r.prev === null ? null : Math.round(((r.mean! - r.prev) / r.prev) * 1000) / 10,
    }));
  }

  it('ranks cities from the best, with the change against the same month of the previous year', async () => {
    const r = (await app.data(RANKING, { month: '2023-12' })).monthlyPm25Ranking;
    expect(r).toMatchObject({ month: '2023-12', previousYearMonth: '2022-12', order: 'BEST_FIRST' });
    const expected = expectedRanking('2023-12');
    expect(r.entries.length).toBe(expected.length);
    r.entries.forEach((e: any, i: number) => expectClose(e, expected[i]));
    // By hand: Jinzhong 60, Taiyuan 100 (the station's 300 left out), Xi'an 137, Shijiazhuang 150;
    // Taiyuan 100 against 110 a year before: -10, -9.1 %.
    expect(r.entries.map((e: any) => [e.rank, e.city.slug])).toEqual([[1, 'jinzhong'], [2, 'taiyuan'], [3, 'xian'], [4, 'shijiazhuang']]);
    expect(r.entries[1]).toMatchObject({ pm25Mean: 100, previousYearPm25Mean: 110, change: -10, changePercent: -9.1 });
    expect(r.entries[2]).toMatchObject({ previousYearPm25Mean: null, change: null, changePercent: null });
  });

  it('lists the worst first on request, keeping the ranks, and filters by place', async () => {
    const r = (await app.data(RANKING, { month: '2023-12', order: 'WORST_FIRST', filter: { region: 'FENWEI_PLAIN' } })).monthlyPm25Ranking;
    expect(r.entries.map((e: any) => [e.rank, e.city.slug])).toEqual([[3, 'xian'], [2, 'taiyuan'], [1, 'jinzhong']]);
  });

  it('rejects a malformed month', async () => {
    const res = await app.gql(RANKING, { month: '2023-13' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
  });
});
