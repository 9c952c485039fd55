/**
 * The declarative registry of report subjects: for each subject, its base FROM (with the city,
 * province and region every subject joins), optional joins, the dimensions it supports (SQL of
 * key, labels and sort), its date (dimension MONTH and the from/to filters) and its measures
 * (SQL of the per-record quantity and the aggregations allowed). Everything here is constant
 * SQL written by us; user values only ever reach the database as bindings (report.service.ts).
 */
import { ClueSource, ClueStage, ClueTopic, CombustionFuel, CombustionUnitKind, CombustionUnitStatus, EnforcementActionKind, EnterpriseSize, Industry, PerformanceGrade, ProjectStatus, ProjectType, WarningLevel } from '@airledger/schema';
import { READS, type ReadRule } from '../../common/auth.js';
import { HEAVY_DAY_SQL } from '../air-quality/air-quality.service.js';
import {
  chinaDay,
  confirmedSql,
  daysOverdueSql,
  onTimeSql,
  overdueSql,
  spotCheckFailedSql,
  stageDaysColumn,
  stageDaysJoin,
} from '../supervision/supervision.figures.js';
import { ReportAggregation, ReportDimension, ReportMeasure, ReportSubject } from './report.types.js';

/** A dimension as a subject supports it. */
export interface DimensionDef {
  /** SQL of the key (text; null where the record has none). */
  key: string;
  /** SQL of the English label. */
  label: string;
  /** SQL of the Chinese label, where there is one. */
  labelZh?: string;
  /** SQL of the sort value (default: the key). */
  sort?: string;
  /** Label of records without a key. */
  nullLabel: string;
  /** Joins (names in SubjectDef.joins) the SQL needs. */
  needs?: string[];
}

/** A measure as a subject supports it. */
export interface MeasureDef {
  /** SQL of the per-record quantity (null where a record has none). */
  sql: string;
  aggregations: ReportAggregation[];
  /** Joins (names in SubjectDef.joins) the SQL needs. */
  needs?: string[];
}

export interface SubjectDef {
  /**
   * Who may run reports of the subject: the read rule of the list it aggregates (common/auth.ts
   * READS), so that a report, its export and the list answer the same callers.
   */
  read: ReadRule;
  /** Base FROM clause: aliases c (city), pv (province) and rg (region) always exist. */
  from: string;
  /** Constant condition of the subject (e.g. city-wide observations only). */
  where?: string;
  /** Optional joins, added when a dimension, filter or measure needs them. */
  joins: Record<string, string>;
  /** SQL of the subject's date (MONTH dimension, from/to filters). */
  date?: string;
  /** SQL of the origin column. */
  origin: string;
  dimensions: Partial<Record<ReportDimension, DimensionDef>>;
  measures: Partial<Record<ReportMeasure, MeasureDef>>;
}

const PLACE_JOINS = `join city c on c.id = x.city_id
  join province pv on pv.id = c.province_id
  join region rg on rg.code = c.region_code`;

/** A SQL array literal of constant enum values (ours, never user input) for array_position sorts. */
function order(values: readonly string[]): string {
  return `array[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;
}

function enumDim(column: string, values: readonly string[], nullLabel: string, needs?: string[]): DimensionDef {
  return { key: column, label: `initcap(replace(lower(${column}), '_', ' '))`, sort: `array_position(${order(values)}, ${column})`, nullLabel, needs };
}

const GRADES = Object.values(PerformanceGrade);

const PLACE_DIMENSIONS: Partial<Record<ReportDimension, DimensionDef>> = {
  [ReportDimension.REGION]: { key: 'c.region_code', label: 'rg.name_en', labelZh: 'rg.name_zh', sort: 'rg.id', nullLabel: '' },
  [ReportDimension.PROVINCE]: { key: 'pv.slug', label: 'pv.name_en', labelZh: 'pv.name_zh', sort: 'pv.id', nullLabel: '' },
  [ReportDimension.CITY]: { key: 'c.slug', label: 'c.name_en', labelZh: 'c.name_zh', sort: 'c.plan_order', nullLabel: '' },
};

/**
 * The places below the city of a subject whose records stand in a locality (`place`: SQL of the
 * record's locality id: a village for village conversions and agricultural facilities; a county,
 * township or village for combustion units): dimensions COUNTY, TOWNSHIP and VILLAGE (key:
 * locality id; label: its name under its city) and the joins they need, up the place's parents (a
 * township record has no village; a county record neither village nor township). The joins keep
 * to the record's own city (`lv.city_id = c.id`), so that the caller's scope on the record's city
 * (c.id) is also the scope of the places it sees. Records without a place have null keys. A
 * subject declares it once: `...localityDeclaration('x.village_id')`. The report filter
 * `locality` reads the same joins.
 */
function localityDeclaration(place: string): { joins: Record<string, string>; dimensions: Partial<Record<ReportDimension, DimensionDef>> } {
  const dimension = (alias: string, nullLabel: string, needs: string[]): DimensionDef => ({
    key: `${alias}.id::text`,
    label: `${alias}.name_zh || ' (' || c.name_en || ')'`,
    labelZh: `c.name_zh || ${alias}.name_zh`,
    sort: `coalesce(${alias}.division_code, '') || ${alias}.name_zh`,
    nullLabel,
    needs,
  });
  return {
    joins: {
      village: `left join locality lv on lv.id = ${place} and lv.city_id = c.id and lv.level = 'VILLAGE'`,
      township: `left join locality lt on lt.id = coalesce(lv.parent_id, ${place}) and lt.city_id = c.id and lt.level = 'TOWNSHIP'`,
      county: `left join locality lc on lc.id = coalesce(lt.parent_id, ${place}) and lc.city_id = c.id and lc.level = 'COUNTY'`,
    },
    dimensions: {
      [ReportDimension.COUNTY]: dimension('lc', 'No place', ['village', 'township', 'county']),
      [ReportDimension.TOWNSHIP]: dimension('lt', 'No township', ['village', 'township']),
      [ReportDimension.VILLAGE]: dimension('lv', 'No village', ['village']),
    },
  };
}

const HOUSEHOLD_PLACES = localityDeclaration('x.village_id');
const FACILITY_PLACES = localityDeclaration('x.village_id');
const UNIT_PLACES = localityDeclaration('x.locality_id');

function monthDim(date: string, nullLabel: string): DimensionDef {
  return { key: `to_char(${date}, 'YYYY-MM')`, label: `to_char(${date}, 'YYYY-MM')`, nullLabel };
}

function campaignDim(needs: string[]): DimensionDef {
  return { key: 'cp.code', label: 'cp.name_en', labelZh: 'cp.name_zh', sort: 'cp.period_start', nullLabel: 'No campaign', needs };
}

/** Dimensions of the enterprise `e` of a record (absent for some records: null keys). */
function enterpriseDims(grade: string, needs?: string[], nullLabel = 'No enterprise'): Partial<Record<ReportDimension, DimensionDef>> {
  return {
    [ReportDimension.INDUSTRY]: enumDim('e.industry', Object.values(Industry), nullLabel, needs),
    [ReportDimension.GRADE]: enumDim(grade, GRADES, 'Ungraded', needs),
    [ReportDimension.ENTERPRISE_SIZE]: enumDim('e.size', Object.values(EnterpriseSize), nullLabel, needs),
  };
}

const QUANTITY: ReportAggregation[] = [ReportAggregation.SUM, ReportAggregation.MIN, ReportAggregation.MAX, ReportAggregation.AVG, ReportAggregation.MEDIAN];
const COUNT: MeasureDef = { sql: '1', aggregations: [ReportAggregation.COUNT] };

const CHINA_DAY_OF_DECISION = `(x.decided_at at time zone 'Asia/Shanghai')::date`;

const CHINA_DAY_OF_IDENTIFICATION = chinaDay('x.identified_at');
const INDICATOR: ReportAggregation[] = [ReportAggregation.SUM, ReportAggregation.AVG];
const DURATION: ReportAggregation[] = [ReportAggregation.MIN, ReportAggregation.MAX, ReportAggregation.AVG, ReportAggregation.MEDIAN, ReportAggregation.SUM];
const ROUND_DIM: DimensionDef = { key: 'r.id::text', label: 'r.title', sort: 'r.pushed_on', nullLabel: 'No round (the city\'s own)', needs: ['round'] };
const daysIn = (stage: ClueStage): MeasureDef => ({ sql: stageDaysColumn(stage), aggregations: DURATION });

const LEVELS = Object.values(WarningLevel);
/** Day (China time) a warning's response starts. */
const WARNING_DAY = `(x.effective_from at time zone 'Asia/Shanghai')::date`;
/** Day (China time) of a measure check. */
const CHECK_DAY = `(x.checked_at at time zone 'Asia/Shanghai')::date`;

export const SUBJECTS: Record<ReportSubject, SubjectDef> = {
  [ReportSubject.ENTERPRISES]: {
    read: READS.enterprises,
    from: `enterprise x ${PLACE_JOINS}`,
    joins: {},
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('x.current_grade'),
      [ReportDimension.INDUSTRY]: enumDim('x.industry', Object.values(Industry), ''),
      [ReportDimension.ENTERPRISE_SIZE]: enumDim('x.size', Object.values(EnterpriseSize), ''),
    },
    measures: { [ReportMeasure.COUNT]: COUNT },
  },

  [ReportSubject.GRADE_CHANGES]: {
    read: READS.gradeChanges,
    from: `grade_change x ${PLACE_JOINS} join enterprise e on e.id = x.enterprise_id`,
    joins: { campaign: `left join campaign cp on ${CHINA_DAY_OF_DECISION} between cp.period_start and cp.period_end` },
    date: CHINA_DAY_OF_DECISION,
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('x.to_grade'),
      [ReportDimension.MONTH]: monthDim(CHINA_DAY_OF_DECISION, ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: { [ReportMeasure.COUNT]: COUNT },
  },

  [ReportSubject.RETROFIT_PROJECTS]: {
    read: READS.retrofitProjects,
    from: `retrofit_project x ${PLACE_JOINS}`,
    joins: {
      enterprise: 'left join enterprise e on e.id = x.enterprise_id',
      target: 'left join task_target t on t.id = x.task_target_id',
      campaign: 'left join campaign cp on cp.id = t.campaign_id',
    },
    date: 'x.actual_end_date',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('e.current_grade', ['enterprise']),
      [ReportDimension.PROJECT_TYPE]: enumDim('x.type', Object.values(ProjectType), ''),
      [ReportDimension.PROJECT_STATUS]: enumDim('x.status', Object.values(ProjectStatus), ''),
      [ReportDimension.TASK_TARGET]: { key: 't.code', label: 't.name_en', labelZh: 't.name_zh', sort: 't.id', nullLabel: 'No task target', needs: ['target'] },
      [ReportDimension.MONTH]: monthDim('x.actual_end_date', 'Not ended'),
      [ReportDimension.CAMPAIGN]: campaignDim(['target', 'campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.CAPACITY]: { sql: 'x.capacity_tonnes', aggregations: QUANTITY },
      [ReportMeasure.HOUSEHOLDS]: { sql: 'x.households', aggregations: QUANTITY },
      [ReportMeasure.UNITS]: { sql: 'x.units', aggregations: QUANTITY },
      [ReportMeasure.INVESTMENT]: { sql: 'x.investment_yuan', aggregations: QUANTITY },
    },
  },

  [ReportSubject.DISBURSEMENTS]: {
    read: READS.disbursements,
    from: `disbursement x ${PLACE_JOINS} join subsidy_program sp on sp.id = x.program_id`,
    joins: {
      enterprise: 'left join enterprise e on e.id = x.enterprise_id',
      campaign: 'join campaign cp on cp.id = sp.campaign_id',
    },
    date: 'x.approved_on',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('e.current_grade', ['enterprise'], 'Household'),
      [ReportDimension.SUBSIDY_PROGRAM]: { key: 'sp.code', label: 'sp.name_en', labelZh: 'sp.name_zh', sort: 'sp.id', nullLabel: '' },
      [ReportDimension.LOW_INCOME]: {
        key: `case when x.low_income then 'true' when not x.low_income then 'false' end`,
        label: `case when x.low_income then 'Low-income household' when not x.low_income then 'Other household' end`,
        sort: 'x.low_income is not true',
        nullLabel: 'Enterprise',
      },
      [ReportDimension.MONTH]: monthDim('x.approved_on', ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.AMOUNT]: { sql: 'x.amount_yuan', aggregations: QUANTITY },
      [ReportMeasure.DAYS_TO_PAYMENT]: {
        sql: 'x.paid_on - x.approved_on',
        aggregations: [ReportAggregation.MIN, ReportAggregation.MAX, ReportAggregation.AVG, ReportAggregation.MEDIAN],
      },
    },
  },

  [ReportSubject.OBSERVATIONS]: {
    read: READS.observations,
    // HEAVY_DAY_SQL of the air-quality module is written on the alias o.
    from: `air_quality_observation o join city c on c.id = o.city_id
      join province pv on pv.id = c.province_id
      join region rg on rg.code = c.region_code`,
    where: 'o.station_code is null',
    joins: { campaign: 'left join campaign cp on o.observed_on between cp.period_start and cp.period_end' },
    date: 'o.observed_on',
    origin: 'o.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      [ReportDimension.MONTH]: monthDim('o.observed_on', ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.PM25]: { sql: 'o.pm25', aggregations: QUANTITY },
      [ReportMeasure.HEAVY_DAYS]: { sql: `(case when ${HEAVY_DAY_SQL} then 1 else 0 end)`, aggregations: [ReportAggregation.SUM, ReportAggregation.AVG] },
    },
  },

  [ReportSubject.CLUES]: {
    read: READS.clues,
    from: `clue x ${PLACE_JOINS}`,
    joins: {
      enterprise: 'left join enterprise e on e.id = x.enterprise_id',
      round: 'left join supervision_round r on r.id = x.round_id',
      campaign: 'join campaign cp on cp.id = x.campaign_id',
      stages: stageDaysJoin('x'),
      actions: 'left join lateral (select count(*) as n, sum(a.fine_yuan) as fines from enforcement_action a where a.clue_id = x.id) ax on true',
    },
    date: CHINA_DAY_OF_IDENTIFICATION,
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('e.current_grade', ['enterprise'], 'No enterprise'),
      [ReportDimension.ROUND]: ROUND_DIM,
      [ReportDimension.CLUE_STAGE]: enumDim('x.stage', Object.values(ClueStage), ''),
      [ReportDimension.CLUE_SOURCE]: enumDim('x.source', Object.values(ClueSource), ''),
      [ReportDimension.CLUE_TOPIC]: enumDim('x.topic', Object.values(ClueTopic), ''),
      [ReportDimension.MONTH]: monthDim(CHINA_DAY_OF_IDENTIFICATION, ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.CONFIRMED]: { sql: confirmedSql('x'), aggregations: INDICATOR },
      [ReportMeasure.RECTIFIED_ON_TIME]: { sql: onTimeSql('x'), aggregations: INDICATOR },
      [ReportMeasure.OVERDUE]: { sql: overdueSql('x'), aggregations: INDICATOR },
      [ReportMeasure.DAYS_OVERDUE]: { sql: daysOverdueSql('x'), aggregations: QUANTITY },
      [ReportMeasure.SPOT_CHECK_FAILED]: { sql: spotCheckFailedSql('x'), aggregations: INDICATOR },
      [ReportMeasure.DAYS_IDENTIFIED]: { ...daysIn(ClueStage.IDENTIFIED), needs: ['stages'] },
      [ReportMeasure.DAYS_INVESTIGATING]: { ...daysIn(ClueStage.INVESTIGATING), needs: ['stages'] },
      [ReportMeasure.DAYS_RECTIFYING]: { ...daysIn(ClueStage.RECTIFYING), needs: ['stages'] },
      [ReportMeasure.DAYS_SUPERVISED]: { ...daysIn(ClueStage.SUPERVISED), needs: ['stages'] },
      [ReportMeasure.DAYS_SPOT_CHECK]: { ...daysIn(ClueStage.SPOT_CHECK), needs: ['stages'] },
      [ReportMeasure.ACTIONS]: { sql: 'ax.n', aggregations: [ReportAggregation.SUM, ReportAggregation.AVG, ReportAggregation.MAX], needs: ['actions'] },
      [ReportMeasure.FINE_AMOUNT]: { sql: 'ax.fines', aggregations: QUANTITY, needs: ['actions'] },
    },
  },

  [ReportSubject.ENFORCEMENT_ACTIONS]: {
    read: READS.enforcementActions,
    from: `enforcement_action x ${PLACE_JOINS} join clue k on k.id = x.clue_id`,
    joins: {
      round: 'left join supervision_round r on r.id = k.round_id',
      campaign: 'join campaign cp on cp.id = k.campaign_id',
    },
    date: 'x.decided_on',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      [ReportDimension.ROUND]: ROUND_DIM,
      [ReportDimension.ACTION_KIND]: enumDim('x.kind', Object.values(EnforcementActionKind), ''),
      [ReportDimension.CLUE_TOPIC]: enumDim('k.topic', Object.values(ClueTopic), ''),
      [ReportDimension.MONTH]: monthDim('x.decided_on', ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.FINE_AMOUNT]: { sql: 'x.fine_yuan', aggregations: QUANTITY },
    },
  },

  [ReportSubject.WARNINGS]: {
    read: READS.warnings,
    from: `warning x ${PLACE_JOINS}`,
    joins: { campaign: `left join campaign cp on ${WARNING_DAY} between cp.period_start and cp.period_end` },
    date: WARNING_DAY,
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      [ReportDimension.LEVEL]: enumDim('x.level', LEVELS, ''),
      [ReportDimension.MONTH]: monthDim(WARNING_DAY, ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.FLAGGED]: { sql: `(case when x.flag_reasons <> '{}' then 1 else 0 end)`, aggregations: INDICATOR },
      [ReportMeasure.WARNING_DAYS]: { sql: `(extract(epoch from (coalesce(x.lifted_at, x.planned_end) - x.effective_from)) / 86400.0)`, aggregations: QUANTITY },
    },
  },

  [ReportSubject.MEASURE_CHECKS]: {
    read: READS.measureChecks,
    from: `measure_check x ${PLACE_JOINS} join warning w on w.id = x.warning_id join enterprise e on e.id = x.enterprise_id`,
    joins: { campaign: `left join campaign cp on ${CHECK_DAY} between cp.period_start and cp.period_end` },
    date: CHECK_DAY,
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...enterpriseDims('e.current_grade'),
      [ReportDimension.LEVEL]: enumDim('w.level', LEVELS, ''),
      [ReportDimension.WARNING]: {
        key: 'w.id::text',
        label: `c.name_en || ' ' || to_char((w.effective_from at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') || ' ' || w.level`,
        labelZh: `c.name_zh || ' ' || to_char((w.effective_from at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD')`,
        sort: 'w.effective_from',
        nullLabel: '',
      },
      [ReportDimension.MONTH]: monthDim(CHECK_DAY, ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.CHECK_FAILED]: { sql: `(case when x.result = 'FAILED' then 1 else 0 end)`, aggregations: INDICATOR },
      [ReportMeasure.DOWNGRADED]: { sql: `(case when x.grade_change_id is not null then 1 else 0 end)`, aggregations: INDICATOR },
    },
  },
  [ReportSubject.HOUSEHOLD_CONVERSIONS]: {
    read: READS.householdConversions,
    from: `household_conversion x ${PLACE_JOINS}`,
    joins: { ...HOUSEHOLD_PLACES.joins, campaign: 'left join campaign cp on x.converted_on between cp.period_start and cp.period_end' },
    date: 'x.converted_on',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...HOUSEHOLD_PLACES.dimensions,
      [ReportDimension.MONTH]: monthDim('x.converted_on', ''),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.HOUSEHOLDS]: { sql: 'x.households', aggregations: QUANTITY },
    },
  },

  [ReportSubject.AGRICULTURAL_FACILITIES]: {
    read: READS.agriculturalCoalFacilities,
    from: `agricultural_coal_facility x ${PLACE_JOINS}`,
    joins: { ...FACILITY_PLACES.joins, campaign: 'left join campaign cp on x.replaced_on between cp.period_start and cp.period_end' },
    date: 'x.replaced_on',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...FACILITY_PLACES.dimensions,
      [ReportDimension.MONTH]: monthDim('x.replaced_on', 'Not replaced'),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: { [ReportMeasure.COUNT]: COUNT },
  },

  [ReportSubject.COMBUSTION_UNITS]: {
    read: READS.combustionUnits,
    from: `combustion_unit x ${PLACE_JOINS}`,
    joins: { ...UNIT_PLACES.joins, campaign: 'left join campaign cp on x.eliminated_on between cp.period_start and cp.period_end' },
    date: 'x.eliminated_on',
    origin: 'x.origin',
    dimensions: {
      ...PLACE_DIMENSIONS,
      ...UNIT_PLACES.dimensions,
      [ReportDimension.INDUSTRY]: enumDim('x.industry', Object.values(Industry), 'No industry'),
      [ReportDimension.UNIT_KIND]: enumDim('x.kind', Object.values(CombustionUnitKind), ''),
      [ReportDimension.UNIT_FUEL]: enumDim('x.fuel', Object.values(CombustionFuel), ''),
      [ReportDimension.UNIT_STATUS]: enumDim('x.status', Object.values(CombustionUnitStatus), ''),
      [ReportDimension.MONTH]: monthDim('x.eliminated_on', 'Not eliminated'),
      [ReportDimension.CAMPAIGN]: campaignDim(['campaign']),
    },
    measures: {
      [ReportMeasure.COUNT]: COUNT,
      [ReportMeasure.CAPACITY_TPH]: { sql: 'x.capacity_tph', aggregations: QUANTITY },
    },
  },
};

/** Default aggregation of a measure. */
export function defaultAggregation(measure: ReportMeasure): ReportAggregation {
  if (measure === ReportMeasure.COUNT) return ReportAggregation.COUNT;
  if (measure === ReportMeasure.PM25 || measure === ReportMeasure.DAYS_TO_PAYMENT) return ReportAggregation.AVG;
  if (measure === ReportMeasure.CONFIRMED || measure === ReportMeasure.RECTIFIED_ON_TIME || measure === ReportMeasure.SPOT_CHECK_FAILED) return ReportAggregation.AVG;
  if (measure.startsWith('DAYS_') && measure !== ReportMeasure.DAYS_OVERDUE) return ReportAggregation.MEDIAN;
  if (measure === ReportMeasure.DAYS_OVERDUE) return ReportAggregation.MAX;
  return ReportAggregation.SUM;
}

/** The SQL of an aggregate over `expr`, with an optional FILTER condition. */
export function aggregateSql(aggregation: ReportAggregation, expr: string, filter: string | null): string {
  const f = filter ? ` filter (where ${filter})` : '';
  switch (aggregation) {
    case ReportAggregation.COUNT:
      return `count(*)${f}`;
    case ReportAggregation.SUM:
      return `sum(${expr})${f}`;
    case ReportAggregation.MIN:
      return `min(${expr})${f}`;
    case ReportAggregation.MAX:
      return `max(${expr})${f}`;
    case ReportAggregation.AVG:
      return `avg(${expr})${f}`;
    case ReportAggregation.MEDIAN:
      return `percentile_cont(0.5) within group (order by ${expr})${f}`;
  }
}
