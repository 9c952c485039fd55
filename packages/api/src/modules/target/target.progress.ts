import { TargetComparator } from '@airledger/schema';

/**
 * What counts toward a task target (the rule the progress SQL of target.service.ts implements):
 * a retrofit project linked to the target (task_target_id) whose status is COMPLETED or VERIFIED
 * and whose actual end date is on or before the target's deadline. The achieved quantity is, by
 * the target's unit: household -> sum of households (COAL_HOUSEHOLDS: the converted households of
 * the village conversion list by each city's heating-season start, HOUSEHOLD_COUNTED_TARGETS); unit -> sum of units (COAL_BOILERS_ELIMINATED
 * and GAS_GENERATORS_ELIMINATED: the eliminated units of the inventory, UNIT_COUNTED_TARGETS; AGRI_COAL_FACILITIES:
 * the replaced facilities of the agricultural coal facility list, FACILITY_COUNTED_TARGETS); tonne -> sum of
 * capacity tonnes; enterprise -> number of distinct enterprises, a project without an enterprise
 * counting as one enterprise of its own; DONE targets (no unit) -> number of counting projects.
 * Targets of FREIGHT_COUNTED_TARGETS (TANGSHAN_SHUICAO_RAIL_VOLUME) count the tonnes of the monthly
 * rail freight records instead, and no project counts toward them.
 */
export const COUNTING_STATUSES = ['COMPLETED', 'VERIFIED'] as const;

/**
 * Targets that count capacity "assessed and publicised" (完成……改造并公示的产能): a project counts
 * only when its enterprise's ultra-low-emission assessment was publicised on or before the
 * target's deadline (enterprise.ultra_low_emission_publicised_on); a completed project at an
 * enterprise not publicised (or without an enterprise) does not count.
 */
export const PUBLICISED_TARGETS = ['STEEL_ULTRA_LOW_CAPACITY'] as const;

/**
 * Targets that count the tonnes a railway actually carried (monthly freight records of
 * modules/freight), not the capacity of projects: "唐山市推动水曹铁路运力不断提升，2024年3月底前，
 * 大宗物料运输量达到0.2亿吨" asks for 20 Mt of bulk freight carried on the Shuicao railway by the
 * end of March 2024. A record counts when it is of the target's city and of the railway named
 * here, for a month from the month the target's campaign starts to the month of the deadline
 * (2023-10 to 2024-03: the campaign). No project counts toward these targets (COUNTING_SQL), and
 * none may be linked to them (project.rules.ts TARGET_PROJECT_TYPES).
 */
export const FREIGHT_COUNTED_TARGETS: Readonly<Record<string, { railway: string }>> = {
  TANGSHAN_SHUICAO_RAIL_VOLUME: { railway: '水曹铁路' },
};

const FREIGHT_CODES = Object.keys(FREIGHT_COUNTED_TARGETS).map((c) => `'${c}'`).join(', ');

/** The condition of a freight record `f` counting toward the target `t` (see FREIGHT_COUNTED_TARGETS). */
export const FREIGHT_COUNTING_SQL = `(f.city_id = t.city_id
    and f.railway = case t.code ${Object.entries(FREIGHT_COUNTED_TARGETS).map(([code, m]) => `when '${code}' then '${m.railway}'`).join(' ')} end
    and f.month >= (select to_char(k.period_start, 'YYYY-MM') from campaign k where k.id = t.campaign_id)
    and f.month <= to_char(t.deadline, 'YYYY-MM'))`;

/** Tonnes carried that count toward the target `t` (a scalar subquery over freight_record). */
const FREIGHT_TONNES_SQL = `(select coalesce(sum(f.tonnes), 0) from freight_record f where ${FREIGHT_COUNTING_SQL})`;

/**
 * The one condition of a project `p` counting toward a target `t` (used by the progress of
 * target.service.ts, the compiled reads, the scorecard and the exports).
 */
export const COUNTING_SQL = `(p.status in (${COUNTING_STATUSES.map((s) => `'${s}'`).join(', ')}) and p.actual_end_date <= t.deadline
    and t.code not in (${FREIGHT_CODES})
    and (t.code not in (${PUBLICISED_TARGETS.map((c) => `'${c}'`).join(', ')})
      or exists (select 1 from enterprise pe where pe.id = p.enterprise_id and pe.ultra_low_emission_publicised_on <= t.deadline)))`;

/**
 * Targets that count eliminated combustion units of the inventory (modules/inventory), not the
 * `units` a project declares: a unit counts when its elimination project counts toward the
 * target (COUNTING_SQL), it is ELIMINATED on or before the target's deadline and it is of the
 * target's kind (and fuel).
 */
export const UNIT_COUNTED_TARGETS: Readonly<Record<string, { kind: string; fuel: string | null }>> = {
  COAL_BOILERS_ELIMINATED: { kind: 'BOILER', fuel: 'COAL' },
  GAS_GENERATORS_ELIMINATED: { kind: 'GAS_PRODUCER', fuel: null },
};

/** Eliminated units of the project `p` that count toward the target `t` (a scalar subquery). */
const ELIMINATED_UNITS_SQL = `(select count(*) from combustion_unit u
    where u.elimination_project_id = p.id and u.status = 'ELIMINATED' and u.eliminated_on <= t.deadline
      and case t.code ${Object.entries(UNIT_COUNTED_TARGETS)
        .map(([code, m]) => `when '${code}' then u.kind = '${m.kind}'${m.fuel ? ` and u.fuel = '${m.fuel}'` : ''}`)
        .join(' ')} else false end)`;

/**
 * Targets that count the facilities of the agricultural coal facility list (modules/inventory,
 * agricultural_coal_facility) actually switched to clean energy, not the `units` a project
 * declares: "2023年12月底前，完成农业用煤设施清洁能源替代8892台". A facility counts when the project that
 * replaced it counts toward the target (COUNTING_SQL), it is REPLACED, in the project's city, and
 * its coal was replaced on or before the target's deadline.
 */
export const FACILITY_COUNTED_TARGETS = ['AGRI_COAL_FACILITIES'] as const;

/** Replaced agricultural facilities of the project `p` that count toward the target `t` (a scalar subquery). */
const REPLACED_FACILITIES_SQL = `(select count(*) from agricultural_coal_facility af
    where af.project_id = p.id and af.city_id = p.city_id and af.status = 'REPLACED' and af.replaced_on <= t.deadline)`;

/**
 * Targets that count the households of the village conversion list (modules/inventory,
 * household_conversion), not the `households` a project declares: a conversion counts when its
 * project counts toward the target (COUNTING_SQL) and it was put into use by its city's own
 * heating-season start of the target's campaign (heating_season; the target's deadline where a
 * city has none recorded) and after the start a year before (a conversion of an earlier season
 * belongs to that season's campaign).
 */
export const HOUSEHOLD_COUNTED_TARGETS = ['COAL_HOUSEHOLDS'] as const;

/** The day by which a conversion of city `cityColumn` must be in use to count toward the target `t`. */
export const HEATING_START_SQL = (cityColumn: string) =>
  `coalesce((select hs.starts_on from heating_season hs where hs.city_id = ${cityColumn} and hs.campaign_id = t.campaign_id), t.deadline)`;

/** Converted households of the project `p` that count toward the target `t` (a scalar subquery). */
const CONVERTED_HOUSEHOLDS_SQL = `(select coalesce(sum(hc.households), 0) from household_conversion hc
    where hc.project_id = p.id and hc.converted_on <= ${HEATING_START_SQL('hc.city_id')}
      and hc.converted_on > (${HEATING_START_SQL('hc.city_id')} - interval '1 year')::date)`;

/** The SQL expression of the achieved quantity over the joined projects `p` of a target `t` (or over its freight records). */
export const ACHIEVED_SQL = `case when t.code in (${FREIGHT_CODES}) then ${FREIGHT_TONNES_SQL}
  when t.code in (${Object.keys(UNIT_COUNTED_TARGETS).map((c) => `'${c}'`).join(', ')}) then coalesce(sum(${ELIMINATED_UNITS_SQL}), 0)
  when t.code in (${FACILITY_COUNTED_TARGETS.map((c) => `'${c}'`).join(', ')}) then coalesce(sum(${REPLACED_FACILITIES_SQL}), 0)
  when t.code in (${HOUSEHOLD_COUNTED_TARGETS.map((c) => `'${c}'`).join(', ')}) then coalesce(sum(${CONVERTED_HOUSEHOLDS_SQL}), 0)
  else case t.unit
    when 'household' then coalesce(sum(p.households), 0)
    when 'unit' then coalesce(sum(p.units), 0)
    when 'tonne' then coalesce(sum(p.capacity_tonnes), 0)
    when 'enterprise' then count(distinct p.enterprise_id) + count(p.id) filter (where p.enterprise_id is null)
    else count(p.id)
  end end`;

/** Progress of a task target (or of one share of its breakdown). */
export interface Progress {
  achieved: number;
  percent: number | null;
  met: boolean;
  countedProjects: number;
}

/**
 * Compares the achieved quantity with the target: percent is achieved / quantity * 100 rounded to
 * two decimals (null for DONE targets and for a zero quantity); met follows the comparator.
 */
export function evaluateProgress(comparator: TargetComparator, quantity: number | null, achieved: number, countedProjects: number): Progress {
  if (comparator === TargetComparator.DONE || quantity === null) {
    return { achieved, percent: null, met: countedProjects >= 1, countedProjects };
  }
  const percent = quantity > 0 ? Math.round((achieved / quantity) * 10000) / 100 : null;
  let met: boolean;
  switch (comparator) {
    case TargetComparator.AT_LEAST:
      met = achieved >= quantity;
      break;
    case TargetComparator.MORE_THAN:
      met = achieved > quantity;
      break;
    case TargetComparator.AT_MOST:
      met = achieved <= quantity;
      break;
    default:
      met = false;
  }
  return { achieved, percent, met, countedProjects };
}

/**
 * evaluateProgress in SQL, on a row `v` with the columns achieved (float8), counted (int),
 * comparator (text) and quantity (float8, null for DONE targets): the same figures as the
 * function above, computed the same way (IEEE doubles; half-up rounding as Math.round).
 */
export function progressFieldsSql(): Record<keyof Progress, (v: string) => string> {
  const done = (v: string) => `(${v}.comparator = '${TargetComparator.DONE}' or ${v}.quantity is null)`;
  return {
    achieved: (v) => `${v}.achieved`,
    countedProjects: (v) => `${v}.counted`,
    percent: (v) => `case when ${done(v)} or ${v}.quantity <= 0 then null else floor(${v}.achieved / ${v}.quantity * 10000 + 0.5) / 100 end`,
    met: (v) =>
      `case when ${done(v)} then ${v}.counted >= 1
        when ${v}.comparator = '${TargetComparator.AT_LEAST}' then ${v}.achieved >= ${v}.quantity
        when ${v}.comparator = '${TargetComparator.MORE_THAN}' then ${v}.achieved > ${v}.quantity
        when ${v}.comparator = '${TargetComparator.AT_MOST}' then ${v}.achieved <= ${v}.quantity
        else false end`,
  };
}
