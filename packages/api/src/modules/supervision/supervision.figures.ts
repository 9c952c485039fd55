/**
 * The computed figures of supervision, as SQL declared once: per-clue quantities on the clue alias
 * `x` (used by the report subject CLUES, the scorecards and City.clueStats) and the grouped
 * statement of ClueStats for any place key. "Today" is the day in China.
 */
import { ClueStage, EnforcementActionKind } from '@airledger/schema';
import type { Knex } from '@mikro-orm/postgresql';
import type { ActionCount, ClueStats, StageDuration } from './supervision.types.js';

/** Today in China (the day deadlines are compared with). */
export const TODAY_CHINA_SQL = `(now() at time zone 'Asia/Shanghai')::date`;

/** The China day of an instant. */
export const chinaDay = (instant: string) => `(${instant} at time zone 'Asia/Shanghai')::date`;

/** Stages a clue spends time in before it closes, in the order of the loop. */
export const TIMED_STAGES: readonly ClueStage[] = [ClueStage.IDENTIFIED, ClueStage.INVESTIGATING, ClueStage.RECTIFYING, ClueStage.SUPERVISED, ClueStage.SPOT_CHECK];

/**
 * The day a clue at its current stage is due: the round's due day while it is investigated
 * (IDENTIFIED, INVESTIGATING; clues without a round have none), the rectification due day while
 * RECTIFYING. Clues SUPERVISED or in a SPOT_CHECK have done their part; closed ones are not due.
 */
export const dueSql = (x: string) => `(case when ${x}.stage in ('IDENTIFIED', 'INVESTIGATING') then (select r.due_on from supervision_round r where r.id = ${x}.round_id)
  when ${x}.stage = 'RECTIFYING' then ${x}.rectification_due end)`;

/** Days a clue is overdue today (0 when not overdue). */
export const daysOverdueSql = (x: string) => `coalesce(greatest(${TODAY_CHINA_SQL} - ${dueSql(x)}, 0), 0)`;

/** 1 when the clue is overdue today (the watch list), else 0. */
export const overdueSql = (x: string) => `(case when ${daysOverdueSql(x)} > 0 then 1 else 0 end)`;

/** 1 confirmed, 0 found unfounded, null not investigated yet: AVG is the confirmation rate. */
export const confirmedSql = (x: string) => `(case when ${x}.confirmed then 1 when not ${x}.confirmed then 0 end)`;

/**
 * 1 when the latest rectification was reported (entered SUPERVISED after it entered RECTIFYING)
 * by its due day; 0 when reported late or still RECTIFYING past the due day; null otherwise
 * (nothing due yet): AVG is the on-time rectification rate.
 */
export const onTimeSql = (x: string) => `(case when ${x}.supervised_at >= ${x}.rectifying_at then (case when ${chinaDay(`${x}.supervised_at`)} <= ${x}.rectification_due then 1 else 0 end)
  when ${x}.stage = 'RECTIFYING' and ${x}.rectification_due < ${TODAY_CHINA_SQL} then 0 end)`;

/** 1 when a spot check of the clue ever failed, 0 when spot-checked and never failed, null never spot-checked: AVG is the failure rate. */
export const spotCheckFailedSql = (x: string) => `(case when ${x}.spot_check_result is not null then (case when ${x}.spot_check_failed then 1 else 0 end) end)`;

/** Column of the per-clue stage durations (STAGE_DAYS_JOIN) of a stage. */
export const stageDaysColumn = (stage: ClueStage) => `cd.d_${stage.toLowerCase()}`;

/**
 * A lateral join (alias cd) giving, per clue `x`, the days spent in each stage over its completed
 * stays (a stay ends when the next step enters another stage); null for a stage never left.
 */
export const stageDaysJoin = (x: string) => `left join lateral (
    select ${TIMED_STAGES.map((s) => `sum(st.days) filter (where st.stage = '${s}') as d_${s.toLowerCase()}`).join(', ')}
    from (select s.to_stage as stage, extract(epoch from (lead(s.entered_at) over (order by s.seq) - s.entered_at)) / 86400.0 as days
          from clue_step s where s.clue_id = ${x}.id) st
    where st.days is not null) cd on true`;

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Empty figures of a place without clues. */
export function emptyStats(): ClueStats {
  return statsOf(undefined, [], undefined);
}

function statsOf(r: Row | undefined, actions: Row[], other: Row | undefined): ClueStats {
  const a = r ?? {};
  const o = other ?? {};
  const medianDaysPerStage: StageDuration[] = TIMED_STAGES.map((stage) => ({
    stage,
    medianDays: num(a[`m_${stage.toLowerCase()}`]),
    stays: int(a[`n_${stage.toLowerCase()}`]),
  }));
  const actionsByKind: ActionCount[] = Object.values(EnforcementActionKind).map((kind) => ({ kind, count: int(actions.find((x) => x.kind === kind)?.n) }));
  return {
    cluesPushed: int(a.clues),
    openClues: int(a.open),
    confirmationRate: num(a.confirmation_rate),
    onTimeRectificationRate: num(a.on_time_rate),
    overdueClues: int(a.overdue),
    maxDaysOverdue: num(a.max_days_overdue),
    spotChecked: int(a.spot_checked),
    spotCheckFailureRate: num(a.spot_check_failure_rate),
    medianDaysPerStage,
    actionsByKind,
    finesYuan: actions.reduce((s, x) => s + (num(x.fines) ?? 0), 0),
    positiveListInspectionsWithoutClue: int(o.inspections),
    falsifications: int(o.falsifications),
    assessmentUnqualified: Boolean(o.unqualified),
  };
}

/**
 * ClueStats of a campaign per place: `placeKey` is SQL of the place over the city alias `c`
 * (e.g. `c.id::text`, `c.province_id::text`), `cityIds` the cities counted, `roundId` an optional
 * round. Three grouped statements for any number of places.
 */
export async function clueStatsByPlace(knex: Knex, placeKey: string, campaignId: number, cityIds: number[], roundId: number | null = null): Promise<Map<string, ClueStats>> {
  const round = roundId === null ? '' : ' and x.round_id = ?';
  const bind = (): never[] => [campaignId, cityIds, ...(roundId === null ? [] : [roundId])] as never[];
  const [clues, actions, other] = await Promise.all([
    knex.raw(
      `select ${placeKey} as place, count(*)::int as clues,
         count(*) filter (where x.stage not in ('CLOSED', 'CLOSED_UNFOUNDED'))::int as open,
         avg(${confirmedSql('x')})::float8 as confirmation_rate,
         avg(${onTimeSql('x')})::float8 as on_time_rate,
         sum(${overdueSql('x')})::int as overdue,
         max(nullif(${daysOverdueSql('x')}, 0))::int as max_days_overdue,
         count(${spotCheckFailedSql('x')})::int as spot_checked,
         avg(${spotCheckFailedSql('x')})::float8 as spot_check_failure_rate,
         ${TIMED_STAGES.map((s) => `percentile_cont(0.5) within group (order by ${stageDaysColumn(s)})::float8 as m_${s.toLowerCase()}, count(${stageDaysColumn(s)})::int as n_${s.toLowerCase()}`).join(',\n         ')}
       from clue x join city c on c.id = x.city_id ${stageDaysJoin('x')}
       where x.campaign_id = ? and x.city_id = any(?::int[])${round}
       group by 1`,
      bind(),
    ),
    knex.raw(
      `select ${placeKey} as place, a.kind, count(*)::int as n, coalesce(sum(a.fine_yuan), 0)::float8 as fines
       from enforcement_action a join clue x on x.id = a.clue_id join city c on c.id = a.city_id
       where x.campaign_id = ? and a.city_id = any(?::int[])${round}
       group by 1, 2`,
      bind(),
    ),
    roundId !== null
      ? knex.raw(
          `select ${placeKey} as place, 0 as inspections,
             count(*)::int as falsifications, false as unqualified
           from falsification_finding f join clue x on x.id = f.clue_id join city c on c.id = f.city_id
           where f.campaign_id = ? and f.city_id = any(?::int[])${round}
           group by 1`,
          bind(),
        )
      : knex.raw(
          `select ${placeKey} as place,
             (select count(*) from inspection i where i.city_id = any(array_agg(c.id)) and i.campaign_id = ? and i.clue_id is null and i.positive_list)::int as inspections,
             (select count(*) from falsification_finding f where f.city_id = any(array_agg(c.id)) and f.campaign_id = ?)::int as falsifications,
             exists (select 1 from city_assessment_verdict v where v.city_id = any(array_agg(c.id)) and v.campaign_id = ?) as unqualified
           from city c where c.id = any(?::int[])
           group by 1`,
          [campaignId, campaignId, campaignId, cityIds],
        ),
  ]);
  const byPlace = new Map<string, Row>((clues.rows as Row[]).map((r) => [String(r.place), r]));
  const otherByPlace = new Map<string, Row>((other.rows as Row[]).map((r) => [String(r.place), r]));
  const actionRows = actions.rows as Row[];
  const places = new Set([...byPlace.keys(), ...otherByPlace.keys(), ...actionRows.map((r) => String(r.place))]);
  return new Map([...places].map((p) => [p, statsOf(byPlace.get(p), actionRows.filter((r) => String(r.place) === p), otherByPlace.get(p))]));
}
