import { PerformanceGrade, TaskTargetScope } from '@airledger/schema';
import { mayRead, READS, requireRead, scopeCityIds, type ReadRule } from '../../common/auth.js';
import { LedgerError, UserErrorCode } from '../../common/errors.js';
import { isoMonth, parseIsoMonth } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { attainmentSql } from '../air-quality/air-quality.service.js';
import type { Campaign } from '../campaign/campaign.entity.js';
import { City, Province, Region } from '../geography/geography.entity.js';
import { resolvePlaceFilter, cityIdsWhere } from '../geography/geography.service.js';
import type { PlaceFilter } from '../geography/geography.types.js';
import { DISBURSEMENT_MEASURES_SQL } from '../subsidy/subsidy.service.js';
import { clueStatsByPlace, emptyStats } from '../supervision/supervision.figures.js';
import { emergencyFiguresFor } from '../warning/figures.service.js';
import { emergencyFiguresByPlace, emptyFigures } from '../warning/warning.figures.js';
import { TaskTarget, TaskTargetBreakdown } from '../target/target.entity.js';
import { ACHIEVED_SQL, FREIGHT_COUNTING_SQL } from '../target/target.progress.js';
import { campaignOrLatest, countingJoin } from '../target/target.service.js';
import {
  RankingOrder,
  ScorecardLevel,
  type CampaignScorecard,
  type GradeCount,
  type MonthlyPm25Ranking,
  type ScorecardAttainment,
  type ScorecardSubsidies,
} from './report.types.js';

/**
 * Who may read each section of a scorecard: the read rules of the lists each section aggregates
 * (common/auth.ts READS). A section the caller may not read is not computed; `subsidies`, the one
 * non-public section, is then null with an UNAUTHENTICATED error on the field (GraphQL), and its
 * columns are left out of the campaign-scorecards export.
 */
export const SCORECARD_SECTION_READS = {
  attainment: [READS.observations, READS.outcomeTargets],
  taskTargets: [READS.taskTargets],
  subsidies: [READS.subsidyBudgets, READS.disbursements],
  grades: [READS.enterprises],
  clues: [READS.clues, READS.enforcementActions],
  // Public like warnings; its list and check parts follow READS.reductionLists / measureChecks.
  emergency: [READS.warnings],
} as const satisfies Record<string, readonly ReadRule[]>;
export type ScorecardSection = keyof typeof SCORECARD_SECTION_READS;

/** Whether the caller may read a section of the scorecards. */
export function mayReadSection(ctx: Pick<RequestContext, 'actor'>, section: ScorecardSection): boolean {
  return SCORECARD_SECTION_READS[section].every((rule) => mayRead(ctx, rule));
}

/** Applies the read rules of a section (UNAUTHENTICATED for anonymous callers of a non-public one). */
export function requireSection(ctx: Pick<RequestContext, 'actor'>, section: ScorecardSection): void {
  for (const rule of SCORECARD_SECTION_READS[section]) requireRead(ctx, rule);
}

/** SQL of the place key of a city `c` at each level. */
const PLACE_KEY: Record<ScorecardLevel, string> = {
  [ScorecardLevel.CITY]: 'c.id::text',
  [ScorecardLevel.PROVINCE]: 'c.province_id::text',
  [ScorecardLevel.REGION]: 'c.region_code',
};

const GRADE_ORDER: (PerformanceGrade | null)[] = [...Object.values(PerformanceGrade), null];

interface Place {
  key: string;
  region: Region;
  province: Province | null;
  city: City | null;
  cityIds: number[];
  provinceIds: number[];
  name: string;
  nameZh: string;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function byKey(rows: Row[]): Map<string, Row> {
  return new Map(rows.map((r) => [String(r.place), r]));
}

export class ScorecardService {
  /**
   * Scorecards of a campaign per city, province or region over the cities `filter` selects:
   * grouped SQL statements (attainment, task targets, budgets, disbursements, grades, clues and
   * the emergency figures of warning.figures.ts) for any number of places.
   */
  static async scorecards(ctx: RequestContext, campaignCode: string | null | undefined, level: ScorecardLevel, filter: PlaceFilter | null | undefined): Promise<CampaignScorecard[]> {
    const em = ctx.em;
    const campaign = await campaignOrLatest(em, campaignCode, 'campaign');
    const scope = scopeCityIds(ctx);
    const ids = ((await resolvePlaceFilter(em, filter, 'filter')) ?? (await cityIdsWhere(em))).filter(
      (id) => !scope || scope.includes(id),
    );
    const [cities, provinces, regions] = await Promise.all([
      em.find(City, { id: { $in: ids } }, { orderBy: { planOrder: 'asc' } }),
      em.find(Province, {}, { orderBy: { id: 'asc' } }),
      em.find(Region, {}, { orderBy: { id: 'asc' } }),
    ]);
    const places = ScorecardService.places(level, cities, provinces, regions);
    const knex = knexOf(em);
    const key = PLACE_KEY[level];
    const withSubsidies = mayReadSection(ctx, 'subsidies');
    requireSection(ctx, 'emergency');
    const [clueStats, emergency] = await Promise.all([
      mayReadSection(ctx, 'clues') ? clueStatsByPlace(knex, key, campaign.id, ids) : null,
      emergencyFiguresByPlace(knex, key, campaign.id, ids),
    ]);

    const [attainment, achieved, freight, budgets, disbursements, grades, targets] = await Promise.all([
      knex.raw(
        `with a as (${attainmentSql('(select ?::int as campaign_id, k0.id as city_id from city k0 where k0.id = any(?::int[])) as k')})
         select ${key} as place,
           count(*)::int as city_count,
           max(a.period_days)::int as period_days,
           sum(a.observed_days)::int as observed_days,
           avg(a.pm25_mean)::float8 as pm25_mean,
           avg(a.pm25_target)::float8 as pm25_target,
           bool_and(a.pm25_met) as pm25_met,
           count(*) filter (where a.pm25_met)::int as pm25_meeting,
           count(a.pm25_met)::int as pm25_assessed,
           sum(a.heavy_days)::int as heavy_days,
           sum(a.heavy_days_target)::int as heavy_days_target,
           bool_and(a.heavy_met) as heavy_met,
           count(*) filter (where a.heavy_met)::int as heavy_meeting
         from a join city c on c.id = a.city_id
         group by 1`,
        [campaign.id, ids],
      ),
      knex('task_target as t')
        .join('retrofit_project as p', countingJoin(knex))
        .join('city as c', 'c.id', 'p.city_id')
        .where('t.campaign_id', campaign.id)
        .whereIn('c.id', ids)
        .groupBy('t.id', 't.unit', knex.raw(key))
        .select('t.id as target_id', knex.raw(`${key} as place`), knex.raw('count(p.id)::int as counted'), knex.raw(`(${ACHIEVED_SQL})::float8 as achieved`)),
      // Targets counted from rail freight records (FREIGHT_COUNTED_TARGETS): their tonnes by the place of the record's city.
      knex.raw(
        `select t.id as target_id, ${key} as place, 0 as counted, sum(f.tonnes)::float8 as achieved
         from task_target t join freight_record f on ${FREIGHT_COUNTING_SQL} join city c on c.id = f.city_id
         where t.campaign_id = ? and c.id = any(?::int[])
         group by 1, 2`,
        [campaign.id, ids],
      ),
      !withSubsidies ? { rows: [] } : knex.raw(
        `select ${key} as place, sum(b.amount_yuan)::float8 as budget
         from subsidy_budget b join subsidy_program sp on sp.id = b.program_id join city c on c.id = b.city_id
         where sp.campaign_id = ? and c.id = any(?::int[])
         group by 1`,
        [campaign.id, ids],
      ),
      !withSubsidies ? { rows: [] } : knex.raw(
        `select ${key} as place,
           (${DISBURSEMENT_MEASURES_SQL.committed})::float8 as committed,
           (${DISBURSEMENT_MEASURES_SQL.paid})::float8 as paid,
           (${DISBURSEMENT_MEASURES_SQL.count})::int as n,
           (${DISBURSEMENT_MEASURES_SQL.paidCount})::int as paid_n,
           (${DISBURSEMENT_MEASURES_SQL.medianDaysToPayment})::float8 as median_days,
           (${DISBURSEMENT_MEASURES_SQL.lowIncomeShare})::float8 as low_income_share,
           (${DISBURSEMENT_MEASURES_SQL.lowIncomePaidShare})::float8 as low_income_paid_share
         from disbursement join subsidy_program sp on sp.id = disbursement.program_id join city c on c.id = disbursement.city_id
         where sp.campaign_id = ? and c.id = any(?::int[])
         group by 1`,
        [campaign.id, ids],
      ),
      knex.raw(
        `select ${key} as place, e.current_grade as grade, count(*)::int as n
         from enterprise e join city c on c.id = e.city_id
         where c.id = any(?::int[])
         group by 1, 2`,
        [ids],
      ),
      em.find(TaskTarget, { campaignId: campaign.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    ]);
    const shares = await em.find(TaskTargetBreakdown, { taskTargetId: { $in: targets.map((t) => t.id) } }, { orderBy: { id: 'asc' } });

    const att = byKey(attainment.rows as Row[]);
    const bud = byKey(budgets.rows as Row[]);
    const dis = byKey(disbursements.rows as Row[]);
    const ach = new Map([...(achieved as Row[]), ...(freight.rows as Row[])].map((r) => [`${r.target_id}|${r.place}`, r]));
    const gradeRows = new Map((grades.rows as Row[]).map((r) => [`${r.place}|${r.grade ?? ''}`, int(r.n)]));

    return places.map((place) => {
      const a = att.get(place.key) ?? {};
      const attainmentOut: ScorecardAttainment = {
        cityCount: int(a.city_count),
        periodDays: int(a.period_days),
        observedDays: int(a.observed_days),
        pm25Mean: num(a.pm25_mean),
        pm25Target: num(a.pm25_target),
        pm25Met: (a.pm25_met as boolean | null | undefined) ?? null,
        citiesMeetingPm25: int(a.pm25_meeting),
        citiesAssessedPm25: int(a.pm25_assessed),
        heavyPollutionDays: int(a.heavy_days),
        heavyDaysTarget: num(a.heavy_days_target),
        heavyDaysMet: (a.heavy_met as boolean | null | undefined) ?? null,
        citiesMeetingHeavyDays: int(a.heavy_meeting),
      };
      const b = bud.get(place.key) ?? {};
      const d = dis.get(place.key) ?? {};
      const budgetAmount = num(b.budget) ?? 0;
      const paidAmount = num(d.paid) ?? 0;
      const subsidies: ScorecardSubsidies | null = !withSubsidies ? null : {
        budgetAmount,
        committedAmount: num(d.committed) ?? 0,
        paidAmount,
        paymentRate: budgetAmount > 0 ? paidAmount / budgetAmount : null,
        disbursementCount: int(d.n),
        paidCount: int(d.paid_n),
        medianDaysToPayment: num(d.median_days),
        lowIncomeShare: num(d.low_income_share),
        lowIncomePaidShare: num(d.low_income_paid_share),
      };
      const taskTargets = targets
        .filter((t) => ScorecardService.applies(t, place))
        .map((t) => {
          const r = ach.get(`${t.id}|${place.key}`);
          const share =
            shares.find((s) => s.taskTargetId === t.id && (level === ScorecardLevel.CITY ? s.cityId === place.city?.id : level === ScorecardLevel.PROVINCE && s.cityId === null && s.provinceId === place.province?.id)) ??
            null;
          const achievedHere = num(r?.achieved) ?? 0;
          return {
            taskTarget: t,
            achieved: achievedHere,
            countedProjects: int(r?.counted),
            share,
            sharePercent: share && share.quantity > 0 ? Math.round((achievedHere / share.quantity) * 10000) / 100 : null,
          };
        });
      const gradeCounts: GradeCount[] = GRADE_ORDER.map((grade) => ({ grade, count: gradeRows.get(`${place.key}|${grade ?? ''}`) ?? 0 }));
      return {
        level,
        campaign,
        region: place.region,
        province: place.province,
        city: place.city,
        key: place.city?.slug ?? place.province?.slug ?? place.region.code,
        name: place.name,
        nameZh: place.nameZh,
        attainment: attainmentOut,
        taskTargets,
        subsidies,
        grades: gradeCounts,
        clues: clueStats ? (clueStats.get(place.key) ?? emptyStats()) : null,
        emergency: emergencyFiguresFor(ctx, emergency.get(place.key) ?? emptyFigures()),
      };
    });
  }

  /** The places of a level that hold at least one of `cities`, in the plan's order. */
  private static places(level: ScorecardLevel, cities: City[], provinces: Province[], regions: Region[]): Place[] {
    const regionOf = new Map(regions.map((r) => [r.code as string, r]));
    const provinceOf = new Map(provinces.map((p) => [p.id, p]));
    if (level === ScorecardLevel.CITY) {
      return cities.map((c) => ({
        key: String(c.id),
        region: regionOf.get(c.regionCode)!,
        province: provinceOf.get(c.provinceId)!,
        city: c,
        cityIds: [c.id],
        provinceIds: [c.provinceId],
        name: c.nameEn,
        nameZh: c.nameZh,
      }));
    }
    if (level === ScorecardLevel.PROVINCE) {
      return provinces
        .map((p) => ({ p, own: cities.filter((c) => c.provinceId === p.id) }))
        .filter(({ own }) => own.length > 0)
        .map(({ p, own }) => ({
          key: String(p.id),
          region: regionOf.get(own[0].regionCode)!,
          province: p,
          city: null,
          cityIds: own.map((c) => c.id),
          provinceIds: [p.id],
          name: p.nameEn,
          nameZh: p.nameZh,
        }));
    }
    return regions
      .map((r) => ({ r, own: cities.filter((c) => c.regionCode === r.code) }))
      .filter(({ own }) => own.length > 0)
      .map(({ r, own }) => ({ key: r.code, region: r, province: null, city: null, cityIds: own.map((c) => c.id), provinceIds: [...new Set(own.map((c) => c.provinceId))], name: r.nameEn, nameZh: r.nameZh }));
  }

  /** Whether a task target applies to a place: campaign-wide, or scoped to a province or city within it. */
  private static applies(t: TaskTarget, place: Place): boolean {
    if (t.scope === TaskTargetScope.CAMPAIGN) return true;
    if (t.scope === TaskTargetScope.CITY) return t.cityId !== null && place.cityIds.includes(t.cityId);
    return t.provinceId !== null && place.provinceIds.includes(t.provinceId);
  }

  /**
   * Cities ranked by the mean of their city-wide daily PM2.5 of a month (rank 1: lowest), with the
   * change against the same month of the previous year. One SQL statement.
   */
  static async monthlyRanking(ctx: RequestContext, month: string, filter: PlaceFilter | null | undefined, order: RankingOrder | null | undefined): Promise<MonthlyPm25Ranking> {
    const m = parseIsoMonth(month);
    if (!m) throw LedgerError.of('month', UserErrorCode.INVALID, 'Must be a month as YYYY-MM from 0002-01 to 9999-12, e.g. "2024-01".');
    const previousYearMonth = isoMonth(m[0] - 1, m[1]);
    const scope = scopeCityIds(ctx);
    const placeIds = await resolvePlaceFilter(ctx.em, filter, 'filter');
    const ids = scope ? (placeIds ?? scope).filter((id) => scope.includes(id)) : placeIds;
    const direction = (order ?? RankingOrder.BEST_FIRST) === RankingOrder.BEST_FIRST ? 'asc' : 'desc';
    const result = await knexOf(ctx.em).raw(
      `with cur as (
         select o.city_id, avg(o.pm25) as mean, count(*)::int as n
         from air_quality_observation o
         where o.station_code is null and o.observed_on >= ?::date and o.observed_on < ?::date + interval '1 month'
           and (?::int[] is null or o.city_id = any(?::int[]))
         group by o.city_id
       ), prev as (
         select o.city_id, avg(o.pm25) as mean
         from air_quality_observation o
         where o.station_code is null and o.observed_on >= ?::date and o.observed_on < ?::date + interval '1 month'
         group by o.city_id
       )
       select cur.city_id, (rank() over (order by cur.mean asc))::int as rank, cur.mean::float8 as mean, cur.n, prev.mean::float8 as prev_mean
       from cur left join prev on prev.city_id = cur.city_id join city c on c.id = cur.city_id
       order by rank ${direction}, c.plan_order`,
      [`${month}-01`, `${month}-01`, ids ?? null, ids ?? null, `${previousYearMonth}-01`, `${previousYearMonth}-01`],
    );
    const rows = result.rows as Row[];
    const cities = await ctx.em.find(City, { id: { $in: rows.map((r) => Number(r.city_id)) } });
    const cityById = new Map(cities.map((c) => [c.id, c]));
    return {
      month,
      previousYearMonth,
      order: order ?? RankingOrder.BEST_FIRST,
      entries: rows.map((r) => {
        const mean = Number(r.mean);
        const prev = num(r.prev_mean);
        const change = prev === null ? null : mean - prev;
        return {
          rank: Number(r.rank),
          city: cityById.get(Number(r.city_id))!,
          pm25Mean: mean,
          observedDays: int(r.n),
          previousYearPm25Mean: prev,
          change,
          changePercent: prev === null || prev === 0 ? null : Math.round(((mean - prev) / prev) * 1000) / 10,
        };
      }),
    };
  }

  /** The campaign a scorecard export or query is for. */
  static campaign(ctx: RequestContext, code: string | null | undefined): Promise<Campaign> {
    return campaignOrLatest(ctx.em, code, 'campaign');
  }
}
