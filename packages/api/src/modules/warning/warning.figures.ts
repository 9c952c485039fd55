/**
 * The computed figures of heavy-pollution response, in SQL, for any place key (city, province,
 * region, the whole campaign): warning days by level, heavy-pollution days with and without a
 * warning in force, flagged warnings, list coverage by industry, planned reduction at each level
 * against the guidance's 10 / 20 / 30 %, and measure checks. Grouped statements for any number of
 * places; `placeKey` is SQL over the city alias `c` (e.g. `c.id::text`, `c.province_id::text`,
 * `c.region_code`, `'all'`).
 */
import type { Knex } from '@mikro-orm/postgresql';
import { EmissionPollutant, WarningFlagReason, WarningLevel, type Industry } from '@airledger/schema';
import { HEAVY_DAY_SQL } from '../air-quality/air-quality.service.js';
import { LEVELS, PLANNED_REDUCTION_TARGETS } from './reduction.rules.js';

/** The pollutants of the baselines and their column prefixes. */
export const POLLUTANTS: readonly { pollutant: EmissionPollutant; column: string }[] = [
  { pollutant: EmissionPollutant.SO2, column: 'so2' },
  { pollutant: EmissionPollutant.NOX, column: 'nox' },
  { pollutant: EmissionPollutant.PM, column: 'pm' },
  { pollutant: EmissionPollutant.VOCS, column: 'vocs' },
];

/** Severity of a level column (1 YELLOW, 2 ORANGE, 3 RED). */
export const severitySql = (level: string) => `(case ${level} when 'YELLOW' then 1 when 'ORANGE' then 2 when 'RED' then 3 end)`;

/**
 * The segments of warnings (alias `s`: warning_id, city_id, level, seg_from, seg_to): each dated
 * change but the lifting starts a segment at its level, ending at the next change; an open
 * warning's last segment runs until now.
 */
export const WARNING_SEGMENTS_SQL = `(select x.warning_id, x.city_id, x.level, x.effective_at as seg_from, coalesce(x.next_at, now()) as seg_to
   from (select c.warning_id, c.city_id, c.level, c.kind, c.effective_at,
                lead(c.effective_at) over (partition by c.warning_id order by c.effective_at, c.id) as next_at
         from warning_change c) x
   where x.kind <> 'LIFTED' and coalesce(x.next_at, now()) > x.effective_at)`;

/** Start (China midnight) of a date column, as timestamptz. */
const dayStart = (day: string) => `(${day}::timestamp at time zone 'Asia/Shanghai')`;

export interface LevelFigure {
  level: WarningLevel;
  days: number;
}
export interface ReasonCount {
  reason: WarningFlagReason;
  count: number;
}
export interface IndustryCoverage {
  industry: Industry;
  listed: number;
  registered: number;
  rate: number | null;
}
export interface PlannedReduction {
  level: WarningLevel;
  pollutant: EmissionPollutant;
  baselineTonnesPerDay: number;
  cutTonnesPerDay: number;
  share: number | null;
  target: number;
  meetsTarget: boolean | null;
}
export interface EmergencyFiguresRow {
  warningDays: LevelFigure[];
  heavyDays: number;
  heavyDaysWithWarning: number;
  heavyDaysWithoutWarning: number;
  warnings: number;
  flaggedWarnings: number;
  flaggedByReason: ReasonCount[];
  listedEnterprises: number;
  registeredEnterprises: number;
  coverageRate: number | null;
  coverageByIndustry: IndustryCoverage[];
  plannedReduction: PlannedReduction[];
  checks: number;
  failedChecks: number;
  checkFailureRate: number | null;
  downgrades: number;
}

type Row = Record<string, unknown>;
const int = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const rate = (a: number, b: number) => (b > 0 ? a / b : null);

/** Figures of a place without any record. */
export function emptyFigures(): EmergencyFiguresRow {
  return figuresOf({}, [], [], {}, {});
}

function figuresOf(days: Row, reasons: Row[], industries: Row[], lists: Row, checks: Row): EmergencyFiguresRow {
  const listed = int(lists.listed);
  const registered = int(lists.registered);
  const plannedReduction: PlannedReduction[] = [];
  for (const level of LEVELS) {
    for (const { pollutant, column } of POLLUTANTS) {
      const base = num(lists[`${column}_base`]);
      const cut = num(lists[`${column}_${level.toLowerCase()}`]);
      const share = rate(cut, base);
      const target = PLANNED_REDUCTION_TARGETS[level];
      plannedReduction.push({ level, pollutant, baselineTonnesPerDay: base, cutTonnesPerDay: cut, share, target, meetsTarget: share === null ? null : share >= target - 1e-9 });
    }
  }
  const checked = int(checks.checks);
  const failed = int(checks.failed);
  return {
    warningDays: LEVELS.map((level) => ({ level, days: int(days[`d_${level.toLowerCase()}`]) })),
    heavyDays: int(days.heavy),
    heavyDaysWithWarning: int(days.heavy_with),
    heavyDaysWithoutWarning: int(days.heavy) - int(days.heavy_with),
    warnings: int(days.warnings),
    flaggedWarnings: int(days.flagged),
    flaggedByReason: Object.values(WarningFlagReason).map((reason) => ({ reason, count: int(reasons.find((r) => r.reason === reason)?.n) })),
    listedEnterprises: listed,
    registeredEnterprises: registered,
    coverageRate: rate(listed, registered),
    coverageByIndustry: industries.map((r) => ({ industry: r.industry as Industry, listed: int(r.listed), registered: int(r.registered), rate: rate(int(r.listed), int(r.registered)) })),
    plannedReduction,
    checks: checked,
    failedChecks: failed,
    checkFailureRate: rate(failed, checked),
    downgrades: int(checks.downgrades),
  };
}

/**
 * Figures of a campaign per place over the cities `cityIds`. Five grouped statements whatever
 * the number of places.
 */
export async function emergencyFiguresByPlace(knex: Knex, placeKey: string, campaignId: number, cityIds: number[]): Promise<Map<string, EmergencyFiguresRow>> {
  const cutSums = LEVELS.flatMap((l) => POLLUTANTS.map((p) => `sum(r.${p.column}_baseline * r.${l.toLowerCase()}_cut_percent / 100) as ${p.column}_${l.toLowerCase()}`));
  const baseSums = POLLUTANTS.map((p) => `sum(r.${p.column}_baseline) as ${p.column}_base`);
  const sums = [...POLLUTANTS.map((p) => `${p.column}_base`), ...LEVELS.flatMap((l) => POLLUTANTS.map((p) => `${p.column}_${l.toLowerCase()}`))];
  const [days, reasons, industries, lists, checks] = await Promise.all([
    knex.raw(
      `with d as (
         select c.id as city_id, g::date as day
         from city c cross join campaign k cross join generate_series(k.period_start, k.period_end, interval '1 day') g
         where k.id = ? and c.id = any(?::int[])),
       dl as (
         select d.city_id, d.day, max(${severitySql('s.level')}) as sev
         from d left join ${WARNING_SEGMENTS_SQL} s
           on s.city_id = d.city_id and s.seg_from < ${dayStart('(d.day + 1)')} and s.seg_to > ${dayStart('d.day')}
         group by d.city_id, d.day),
       heavy as (
         select o.city_id, o.observed_on as day from air_quality_observation o join campaign k on k.id = ?
         where o.station_code is null and o.city_id = any(?::int[]) and o.observed_on between k.period_start and k.period_end and ${HEAVY_DAY_SQL}),
       w as (
         select w.city_id, count(*)::int as warnings, count(*) filter (where w.flag_reasons <> '{}')::int as flagged
         from warning w join campaign k on k.id = ?
         where w.city_id = any(?::int[]) and (w.effective_from at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end
         group by w.city_id)
       select ${placeKey} as place,
         ${LEVELS.map((l, i) => `count(*) filter (where dl.sev = ${i + 1})::int as d_${l.toLowerCase()}`).join(', ')},
         count(h.day)::int as heavy,
         count(h.day) filter (where dl.sev is not null)::int as heavy_with,
         (select coalesce(sum(w.warnings), 0) from w where w.city_id = any(array_agg(distinct c.id)))::int as warnings,
         (select coalesce(sum(w.flagged), 0) from w where w.city_id = any(array_agg(distinct c.id)))::int as flagged
       from dl join city c on c.id = dl.city_id
       left join heavy h on h.city_id = dl.city_id and h.day = dl.day
       group by 1`,
      [campaignId, cityIds, campaignId, cityIds, campaignId, cityIds],
    ),
    knex.raw(
      `select ${placeKey} as place, f.reason, count(*)::int as n
       from warning w join city c on c.id = w.city_id join campaign k on k.id = ?
       cross join unnest(w.flag_reasons) as f(reason)
       where w.city_id = any(?::int[]) and (w.effective_from at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end
       group by 1, 2`,
      [campaignId, cityIds],
    ),
    knex.raw(
      `select ${placeKey} as place, e.industry, count(r.id)::int as listed, count(*)::int as registered
       from enterprise e join city c on c.id = e.city_id
       left join reduction_list_entry r on r.enterprise_id = e.id and r.campaign_id = ?
       where e.city_id = any(?::int[])
       group by 1, 2 order by 1, 2`,
      [campaignId, cityIds],
    ),
    knex.raw(
      `select ${placeKey} as place, coalesce(sum(e.registered), 0)::int as registered, coalesce(sum(l.listed), 0)::int as listed,
         ${sums.map((col) => `coalesce(sum(l.${col}), 0)::float8 as ${col}`).join(', ')}
       from city c
       left join lateral (select count(*) as registered from enterprise e where e.city_id = c.id) e on true
       left join lateral (select count(*) as listed, ${[...baseSums, ...cutSums].join(', ')}
                          from reduction_list_entry r where r.campaign_id = ? and r.city_id = c.id) l on true
       where c.id = any(?::int[])
       group by 1`,
      [campaignId, cityIds],
    ),
    knex.raw(
      `select ${placeKey} as place, count(*)::int as checks,
         count(*) filter (where m.result = 'FAILED')::int as failed,
         count(*) filter (where m.proposal_status = 'ACCEPTED')::int as downgrades
       from measure_check m join city c on c.id = m.city_id join campaign k on k.id = ?
       where m.city_id = any(?::int[]) and (m.checked_at at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end
       group by 1`,
      [campaignId, cityIds],
    ),
  ]);
  const by = (rows: Row[]) => new Map(rows.map((r) => [String(r.place), r]));
  const dayBy = by(days.rows as Row[]);
  const listBy = by(lists.rows as Row[]);
  const checkBy = by(checks.rows as Row[]);
  const reasonRows = reasons.rows as Row[];
  const industryRows = industries.rows as Row[];
  const places = new Set([...dayBy.keys(), ...listBy.keys()]);
  return new Map(
    [...places].map((p) => [
      p,
      figuresOf(
        dayBy.get(p) ?? {},
        reasonRows.filter((r) => String(r.place) === p),
        industryRows.filter((r) => String(r.place) === p),
        listBy.get(p) ?? {},
        checkBy.get(p) ?? {},
      ),
    ]),
  );
}
