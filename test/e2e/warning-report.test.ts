/**
 * `report` over the heavy-pollution subjects (WARNINGS, MEASURE_CHECKS) with the dimensions LEVEL
 * and WARNING: every figure against plain SQL over a fixture written through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
const CAMPAIGN = '2023-2024-autumn-winter';
const REPORT = `query($input: ReportInput!) { report(input: $input) { rows { kind keys { value } values } } }`;

const ok = (payload: any) => {
  expect(payload.userErrors).toEqual([]);
  return payload;
};

beforeAll(async () => {
  app = await startTestApp();
  const plan: [string, string, string, string, ('PASSED' | 'FAILED')[]][] = [
    ['tangshan', 'ORANGE', '2023-12-10T00:00:00Z', '2023-12-12T12:00:00Z', ['FAILED', 'PASSED']],
    ['tangshan', 'RED', '2024-01-05T00:00:00Z', '2024-01-08T00:00:00Z', ['FAILED']],
    ['baoding', 'ORANGE', '2023-12-10T00:00:00Z', '2023-12-11T00:00:00Z', ['PASSED', 'PASSED', 'FAILED']],
    ['taiyuan', 'YELLOW', '2023-11-20T00:00:00Z', '2023-11-22T00:00:00Z', []],
  ];
  const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
  let serial = 0;
  for (const [city, level, from, liftedAt, results] of plan) {
    const w = ok(
      (
        await app.data(`mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } userErrors { field code message } } }`, {
          input: { city, level, issuedAt: from, effectiveFrom: from, plannedEnd: new Date(Date.parse(liftedAt) + 86_400_000).toISOString(), authority: `${city} 指挥部` },
        })
      ).issueWarning,
    ).warning.id;
    for (const [i, result] of results.entries()) {
      serial++;
      const [e] = await app.sql<{ id: number }>(
        `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, ultra_low_emission_status, origin, created_by, updated_by)
         select id, ?, ?, 'COKING', 'LARGE', 'B', 'ASSESSED_AND_PUBLICISED', 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
        [`${city} 焦化 ${serial}`, `91${String(900 + serial).padStart(16, '0')}`, city],
      );
      ok(
        (
          await app.data(`mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { entries { id } userErrors { field code message } } }`, {
            input: { city, campaign: CAMPAIGN, entries: [{ enterpriseId: String(e.id), so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1, yellow: cut('LIMIT_PRODUCTION', 10), orange: cut('STOP_LINES', 20), red: cut('STOP_PRODUCTION', 30) }] },
          })
        ).setReductionListEntries,
      );
      const check = ok(
        (
          await app.data(`mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) { measureCheck { id } userErrors { field code message } } }`, {
            input: { warningId: w, enterpriseId: String(e.id), checkedAt: new Date(Date.parse(from) + (i + 1) * 3_600_000).toISOString(), method: 'ON_SITE', result, inspector: '督查组' },
          })
        ).recordMeasureCheck,
      ).measureCheck.id;
      if (result === 'FAILED' && city === 'tangshan' && level === 'ORANGE') {
        ok((await app.data(`mutation($input: DecideGradeProposalInput!) { decideGradeProposal(input: $input) { measureCheck { id } userErrors { field code message } } }`, { input: { checkId: check, accept: true, decidedBy: '唐山市生态环境局' } })).decideGradeProposal);
      }
    }
    ok((await app.data(`mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { id } userErrors { field code message } } }`, { input: { id: w, liftedAt } })).liftWarning);
  }
  // One flagged warning (its level above its forecast), still open.
  const f = ok(
    (
      await app.data(`mutation($input: RecordForecastsInput!) { recordForecasts(input: $input) { forecasts { id } userErrors { field code message } } }`, {
        input: { forecasts: [{ city: 'baoding', issuedAt: '2024-01-19T00:00:00Z', source: 'CITY', days: [{ day: '2024-01-20', aqi: 230 }, { day: '2024-01-21', aqi: 240 }] }] },
      })
    ).recordForecasts,
  ).forecasts[0].id;
  ok(
    (
      await app.data(`mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } userErrors { field code message } } }`, {
        input: { city: 'baoding', level: 'RED', issuedAt: '2024-01-19T02:00:00Z', effectiveFrom: '2024-01-20T00:00:00Z', plannedEnd: '2024-01-22T00:00:00Z', forecastId: f, authority: '保定市' },
      })
    ).issueWarning,
  );
});
afterAll(() => app?.close());

const detail = (rows: any[]) => rows.filter((r) => r.kind === 'DETAIL').map((r) => [...r.keys.map((k: any) => k.value), ...r.values.map((v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6))]);
const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1e6) / 1e6);

describe('report over warnings and measure checks', () => {
  it('WARNINGS by CITY and LEVEL: count, flagged and days of response, as plain SQL gives them', async () => {
    const r = await app.data(REPORT, {
      input: { subject: 'WARNINGS', dimensions: ['CITY', 'LEVEL'], measures: [{ measure: 'COUNT' }, { measure: 'FLAGGED', aggregation: 'SUM' }, { measure: 'WARNING_DAYS', aggregation: 'SUM' }] },
    });
    const sql = await app.sql(
      `select c.slug, w.level, count(*)::int as n, sum(case when w.flag_reasons <> '{}' then 1 else 0 end)::int as flagged,
              sum(extract(epoch from (coalesce(w.lifted_at, w.planned_end) - w.effective_from)) / 86400.0)::float8 as days
         from warning w join city c on c.id = w.city_id group by c.slug, c.plan_order, w.level
         order by c.plan_order, array_position(array['YELLOW','ORANGE','RED'], w.level)`,
    );
    expect(detail(r.report.rows)).toEqual(sql.map((s: any) => [s.slug, s.level, s.n, s.flagged, round(s.days)]));
    // The fixture as written: Tangshan ORANGE 2.5 days and RED 3 days (flagged NO_FORECAST); Baoding's open RED (above its forecast) 2 days planned.
    expect(detail(r.report.rows)).toContainEqual(['tangshan', 'ORANGE', 1, 1, 2.5]);
    expect(detail(r.report.rows)).toContainEqual(['tangshan', 'RED', 1, 1, 3]);
    expect(detail(r.report.rows)).toContainEqual(['baoding', 'RED', 1, 1, 2]);
    expect((await app.sql(`select flag_reasons from warning where level = 'RED' and lifted_at is null`))[0].flag_reasons).toEqual(['LEVEL_ABOVE_FORECAST']);
  });

  it('WARNINGS by MONTH and CAMPAIGN (of the start, China time)', async () => {
    const r = await app.data(REPORT, { input: { subject: 'WARNINGS', dimensions: ['CAMPAIGN', 'MONTH'], measures: [{ measure: 'COUNT' }] } });
    const sql = await app.sql(
      `select k.code, to_char((w.effective_from at time zone 'Asia/Shanghai')::date, 'YYYY-MM') as m, count(*)::int as n
         from warning w left join campaign k on (w.effective_from at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end
         group by k.code, k.period_start, m order by k.period_start, m`,
    );
    expect(detail(r.report.rows)).toEqual(sql.map((s: any) => [s.code, s.m, s.n]));
  });

  it('MEASURE_CHECKS by LEVEL and by WARNING: checks, failure rate and downgrades', async () => {
    const byLevel = await app.data(REPORT, {
      input: { subject: 'MEASURE_CHECKS', dimensions: ['LEVEL'], measures: [{ measure: 'COUNT' }, { measure: 'CHECK_FAILED', aggregation: 'AVG' }, { measure: 'DOWNGRADED', aggregation: 'SUM' }] },
    });
    const sql = await app.sql(
      `select w.level, count(*)::int as n, avg(case when m.result = 'FAILED' then 1 else 0 end)::float8 as rate, sum(case when m.grade_change_id is not null then 1 else 0 end)::int as down
         from measure_check m join warning w on w.id = m.warning_id group by w.level order by array_position(array['YELLOW','ORANGE','RED'], w.level)`,
    );
    expect(detail(byLevel.report.rows)).toEqual(sql.map((s: any) => [s.level, s.n, round(s.rate), s.down]));
    expect(detail(byLevel.report.rows)).toEqual([
      ['ORANGE', 5, 0.4, 1],
      ['RED', 1, 1, 0],
    ]);
    const byWarning = await app.data(REPORT, { input: { subject: 'MEASURE_CHECKS', dimensions: ['WARNING'], measures: [{ measure: 'COUNT' }] } });
    const perWarning = await app.sql(`select w.id::text as id, count(*)::int as n from measure_check m join warning w on w.id = m.warning_id group by w.id, w.effective_from order by w.effective_from, w.id`);
    expect(detail(byWarning.report.rows)).toEqual(perWarning.map((s: any) => [s.id, s.n]));
    // Measure checks need a key; warnings are public.
    expect((await app.anonymous.gql(REPORT, { input: { subject: 'MEASURE_CHECKS', dimensions: ['LEVEL'], measures: [{ measure: 'COUNT' }] } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.anonymous.gql(REPORT, { input: { subject: 'WARNINGS', dimensions: ['LEVEL'], measures: [{ measure: 'COUNT' }] } })).errors).toBeUndefined();
    // A CITY key reports on its city only.
    const key = await app.createKey({ role: 'CITY', city: 'baoding' });
    const mine = await app.as(key.secret).data(REPORT, { input: { subject: 'MEASURE_CHECKS', dimensions: ['CITY'], measures: [{ measure: 'COUNT' }] } });
    expect(detail(mine.report.rows)).toEqual([['baoding', 3]]);
  });
});
