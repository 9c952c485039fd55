/**
 * The attainment rule in SQL: coverage of a city's city-wide daily observations, the status of
 * each outcome target, and the attainment statement. The resolvers (air-quality.service.ts), the
 * compiled reads (air-quality.reads.ts) and the campaign scorecards (modules/report) all read it.
 */
import {
  AttainmentStatus,
  HEAVY_POLLUTION_AQI_THRESHOLD,
  HEAVY_POLLUTION_PM25_THRESHOLD,
  VALID_DAILY_VALUES_FEBRUARY,
  VALID_DAILY_VALUES_PER_MONTH,
  VALID_DAILY_VALUES_PER_YEAR,
} from '@airledger/schema';

/** The SQL condition of a heavy-or-worse pollution day on an observation aliased `o`. */
export const HEAVY_DAY_SQL = `(o.pm25 > ${HEAVY_POLLUTION_PM25_THRESHOLD} or o.aqi > ${HEAVY_POLLUTION_AQI_THRESHOLD})`;

/**
 * Coverage of a city's city-wide daily observations over [from, to] (SQL date expressions), as a
 * lateral subquery: expected_days (days of the range), observed_days, required_days,
 * percent_complete (observed_days / expected_days x 100, rounded to two decimals; 0 for no days), complete,
 * months (JSON: one object per calendar month of the range with month, expectedCount,
 * observedCount, requiredCount, complete), pm25_mean and heavy_days. The validity rule is
 * GB 3095-2012's (VALID_DAILY_VALUES_*): each month needs 27 daily means (February 25), a month
 * only partly in the range as many of its days less the days the standard lets the whole month
 * miss; `minTotal` adds a floor for the whole range (324 for a calendar year).
 */
export function coverageSql(city: string, from: string, to: string, minTotal: number): string {
  const monthEnd = `((g.m + interval '1 month')::date - 1)`;
  return `(select sum(g.expected)::int as expected_days,
      sum(g.observed)::int as observed_days,
      greatest(sum(g.required), ${minTotal})::int as required_days,
      coalesce(round(sum(g.observed) * 100.0 / nullif(sum(g.expected), 0), 2), 0)::float8 as percent_complete,
      (bool_and(g.observed >= g.required) and sum(g.observed) >= ${minTotal}) as complete,
      json_agg(json_build_object('month', to_char(g.m, 'YYYY-MM'), 'expectedCount', g.expected, 'observedCount', g.observed,
        'requiredCount', g.required, 'complete', g.observed >= g.required) order by g.m) as months,
      sum(g.pm25_sum) / nullif(sum(g.observed), 0) as pm25_mean,
      sum(g.heavy)::int as heavy_days
    from (
      select g.m, g.expected,
        greatest(0, g.expected - ((${monthEnd} - g.m + 1)
          - case when extract(month from g.m) = 2 then ${VALID_DAILY_VALUES_FEBRUARY} else ${VALID_DAILY_VALUES_PER_MONTH} end))::int as required,
        coalesce(a.observed, 0)::int as observed, a.pm25_sum, coalesce(a.heavy, 0)::int as heavy
      from (select gm::date as m, (least(${to}, (gm + interval '1 month')::date - 1) - greatest(${from}, gm::date) + 1) as expected
            from generate_series(date_trunc('month', (${from})::timestamp), (${to})::timestamp, interval '1 month') gm) g
      left join (
        -- One range scan of the city's city-wide observations of the range, by month.
        select date_trunc('month', o.observed_on)::date as m, count(*) as observed, sum(o.pm25) as pm25_sum,
          count(*) filter (where ${HEAVY_DAY_SQL}) as heavy
        from air_quality_observation o
        where o.city_id = ${city} and o.station_code is null and o.observed_on between ${from} and ${to}
        group by 1
      ) a on a.m = g.m
    ) g)`;
}

/** SQL of an attainment status from a target, whether coverage is complete, and whether the figure meets the target. */
const statusSql = (target: string, complete: string, met: string, certainlyMissed = 'false') =>
  `case when ${target} is null then '${AttainmentStatus.NO_TARGET}' when ${certainlyMissed} then '${AttainmentStatus.NOT_MET}'
    when not coalesce(${complete}, false) then '${AttainmentStatus.INSUFFICIENT_DATA}'
    when ${met} then '${AttainmentStatus.MET}' else '${AttainmentStatus.NOT_MET}' end`;
const metSql = (status: string) => `case ${status} when '${AttainmentStatus.MET}' then true when '${AttainmentStatus.NOT_MET}' then false end`;

/**
 * The attainment statement: one row per (campaign_id, city_id) pair of the relation `pairs` (SQL
 * aliased `k`, e.g. a json_to_recordset of bindings), with the campaign period's coverage
 * (period_days, observed_days, required_days, complete, months), pm25_mean, heavy_days,
 * pm25_target, heavy_days_target, pm25_status, heavy_status and pm25_met / heavy_met (true only
 * for MET, false only for NOT_MET), and the same for the calendar year in which the campaign
 * starts against the annual target (annual_*). A target is judged only on complete coverage
 * (coverageSql), except that more heavy days than the target is NOT_MET however many days are
 * missing (missing days can only add to them). The attainment fields and the campaign
 * scorecards (modules/report) both use it.
 */
export function attainmentSql(pairs: string): string {
  const pm25Status = statusSql('t.pm25_target', 'cp.complete', 'cp.pm25_mean <= t.pm25_target');
  const heavyStatus = statusSql('t.heavy_days_target', 'cp.complete', 'cp.heavy_days <= t.heavy_days_target', 'cp.heavy_days > t.heavy_days_target');
  const annualStatus = statusSql('t.annual_pm25_target', 'ya.complete', 'ya.pm25_mean <= t.annual_pm25_target');
  return `select k.campaign_id, k.city_id,
         cp.expected_days as period_days, cp.expected_days, cp.observed_days, c.period_start::text as period_start, c.period_end::text as period_end, cp.required_days, cp.percent_complete, cp.complete, cp.months,
         cp.pm25_mean, cp.heavy_days,
         t.pm25_target, t.heavy_days_target,
         ${pm25Status} as pm25_status, ${heavyStatus} as heavy_status,
         ${metSql(pm25Status)} as pm25_met, ${metSql(heavyStatus)} as heavy_met,
         y.year as annual_year, y.y_from::text as annual_from, y.y_to::text as annual_to,
         ya.expected_days as annual_expected_days, ya.observed_days as annual_observed_days, ya.required_days as annual_required_days,
         ya.percent_complete as annual_percent_complete,
         ya.complete as annual_complete, ya.months as annual_months, ya.pm25_mean as annual_pm25_mean,
         t.annual_pm25_target, ${annualStatus} as annual_status, ${metSql(annualStatus)} as annual_met
       from ${pairs}
       join campaign c on c.id = k.campaign_id
       left join outcome_target t on t.city_id = k.city_id and t.campaign_id = k.campaign_id
       cross join lateral ${coverageSql('k.city_id', 'c.period_start', 'c.period_end', 0)} cp
       cross join lateral (select extract(year from c.period_start)::int as year,
         make_date(extract(year from c.period_start)::int, 1, 1) as y_from, make_date(extract(year from c.period_start)::int, 12, 31) as y_to) y
       cross join lateral ${coverageSql('k.city_id', 'y.y_from', 'y.y_to', VALID_DAILY_VALUES_PER_YEAR)} ya`;
}
