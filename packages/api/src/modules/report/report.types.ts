import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, EnterpriseSize, Industry, PerformanceGrade, ProjectStatus, ProjectType, RegionCode } from '@airledger/schema';
import { LocalDate } from '../../common/scalars.js';
import { City, Province, Region } from '../geography/geography.entity.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { TaskTarget, TaskTargetBreakdown } from '../target/target.entity.js';
import { ClueStats } from '../supervision/supervision.types.js';
import { EmergencyFigures } from '../warning/figures.types.js';

// ------------------------------------------------------------------ enums

/** What a report counts and sums. */
export enum ReportSubject {
  ENTERPRISES = 'ENTERPRISES',
  GRADE_CHANGES = 'GRADE_CHANGES',
  RETROFIT_PROJECTS = 'RETROFIT_PROJECTS',
  DISBURSEMENTS = 'DISBURSEMENTS',
  OBSERVATIONS = 'OBSERVATIONS',
  CLUES = 'CLUES',
  ENFORCEMENT_ACTIONS = 'ENFORCEMENT_ACTIONS',
  WARNINGS = 'WARNINGS',
  MEASURE_CHECKS = 'MEASURE_CHECKS',
  HOUSEHOLD_CONVERSIONS = 'HOUSEHOLD_CONVERSIONS',
  AGRICULTURAL_FACILITIES = 'AGRICULTURAL_FACILITIES',
  COMBUSTION_UNITS = 'COMBUSTION_UNITS',
}
registerEnumType(ReportSubject, {
  name: 'ReportSubject',
  description: 'The records a report groups and measures.',
  valuesConfig: {
    ENTERPRISES: { description: 'Enterprises of the ledger (grade: current grade). Dimensions: REGION, PROVINCE, CITY, INDUSTRY, GRADE, ENTERPRISE_SIZE. Measures: COUNT.' },
    GRADE_CHANGES: {
      description:
        'Performance-grade changes (grade: the grade changed to; month and campaign: of the decision, China time). Dimensions: REGION, PROVINCE, CITY, INDUSTRY, GRADE, ENTERPRISE_SIZE, MONTH, CAMPAIGN. Measures: COUNT.',
    },
    RETROFIT_PROJECTS: {
      description:
        'Retrofit projects; needs an API key, like retrofitProjects (industry, grade, size: of the project\'s enterprise; month: of the actual end date; campaign: of the task target). Dimensions: REGION, PROVINCE, CITY, INDUSTRY, GRADE, ENTERPRISE_SIZE, PROJECT_TYPE, PROJECT_STATUS, TASK_TARGET, MONTH, CAMPAIGN. Measures: COUNT, CAPACITY, HOUSEHOLDS, UNITS, INVESTMENT.',
    },
    DISBURSEMENTS: {
      description:
        'Subsidy disbursements, paid or not; needs an API key, like disbursements (industry, grade, size: of an enterprise recipient; month: of the approval; campaign: of the program). Dimensions: REGION, PROVINCE, CITY, INDUSTRY, GRADE, ENTERPRISE_SIZE, SUBSIDY_PROGRAM, LOW_INCOME, MONTH, CAMPAIGN. Measures: COUNT, AMOUNT, DAYS_TO_PAYMENT.',
    },
    OBSERVATIONS: {
      description:
        'City-wide daily air quality observations (station observations are left out; campaign: the campaign whose period contains the day). Dimensions: REGION, PROVINCE, CITY, MONTH, CAMPAIGN. Measures: COUNT, PM25, HEAVY_DAYS.',
    },
    CLUES: {
      description:
        'Enforcement clues; needs an API key, like clues (month: of identification, China time; industry, grade, size: of the clue\'s enterprise). Dimensions: REGION, PROVINCE, CITY, INDUSTRY, GRADE, ENTERPRISE_SIZE, ROUND, CLUE_STAGE, CLUE_SOURCE, CLUE_TOPIC, MONTH, CAMPAIGN. Measures: COUNT (clues pushed), CONFIRMED, RECTIFIED_ON_TIME, OVERDUE, DAYS_OVERDUE, SPOT_CHECK_FAILED, DAYS_IDENTIFIED, DAYS_INVESTIGATING, DAYS_RECTIFYING, DAYS_SUPERVISED, DAYS_SPOT_CHECK, ACTIONS, FINE_AMOUNT.',
    },
    ENFORCEMENT_ACTIONS: {
      description:
        'Enforcement actions; needs an API key, like enforcementActions (month: of the decision; round, campaign: of the clue). Dimensions: REGION, PROVINCE, CITY, ROUND, ACTION_KIND, CLUE_TOPIC, MONTH, CAMPAIGN. Measures: COUNT, FINE_AMOUNT.',
    },
    WARNINGS: {
      description:
        'Heavy-pollution warnings, like warnings (level: the current level; month and campaign: of the start of the response, China time). Dimensions: REGION, PROVINCE, CITY, LEVEL, MONTH, CAMPAIGN. Measures: COUNT, FLAGGED, WARNING_DAYS.',
    },
    MEASURE_CHECKS: {
      description:
        'Measure checks during warnings; needs an API key, like measureChecks (level: of the warning checked; industry, grade, size: of the enterprise, grade its current one; month and campaign: of the check, China time). Dimensions: REGION, PROVINCE, CITY, LEVEL, WARNING, INDUSTRY, GRADE, ENTERPRISE_SIZE, MONTH, CAMPAIGN. Measures: COUNT, CHECK_FAILED, DOWNGRADED.',
    },
    HOUSEHOLD_CONVERSIONS: {
      description:
        'The village conversion list (村级散煤改造清单); needs an API key, like householdConversions (county, township, village: of the converted village; month and campaign: of the conversion day). Dimensions: REGION, PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE, MONTH, CAMPAIGN. Measures: COUNT, HOUSEHOLDS.',
    },
    AGRICULTURAL_FACILITIES: {
      description:
        'The agricultural coal facility list (农业散煤设施清单); needs an API key, like agriculturalCoalFacilities (county, township, village: of the facility\'s village, null without one; month and campaign: of the replacement, null while on coal). Dimensions: REGION, PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE, MONTH, CAMPAIGN. Measures: COUNT.',
    },
    COMBUSTION_UNITS: {
      description:
        'The combustion-unit inventory (锅炉炉窑清单); needs an API key, like combustionUnits (county, township, village: of the place the unit stands in, a unit of a county having no township or village; industry: the unit\'s own; month and campaign: of the elimination, null while not eliminated). Dimensions: REGION, PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE, INDUSTRY, UNIT_KIND, UNIT_FUEL, UNIT_STATUS, MONTH, CAMPAIGN. Measures: COUNT, CAPACITY_TPH.',
    },
  },
});

/** What a report groups by. */
export enum ReportDimension {
  REGION = 'REGION',
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
  INDUSTRY = 'INDUSTRY',
  GRADE = 'GRADE',
  ENTERPRISE_SIZE = 'ENTERPRISE_SIZE',
  PROJECT_TYPE = 'PROJECT_TYPE',
  PROJECT_STATUS = 'PROJECT_STATUS',
  TASK_TARGET = 'TASK_TARGET',
  SUBSIDY_PROGRAM = 'SUBSIDY_PROGRAM',
  LOW_INCOME = 'LOW_INCOME',
  MONTH = 'MONTH',
  CAMPAIGN = 'CAMPAIGN',
  ROUND = 'ROUND',
  CLUE_STAGE = 'CLUE_STAGE',
  CLUE_SOURCE = 'CLUE_SOURCE',
  CLUE_TOPIC = 'CLUE_TOPIC',
  ACTION_KIND = 'ACTION_KIND',
  LEVEL = 'LEVEL',
  WARNING = 'WARNING',
  COUNTY = 'COUNTY',
  TOWNSHIP = 'TOWNSHIP',
  VILLAGE = 'VILLAGE',
  UNIT_KIND = 'UNIT_KIND',
  UNIT_FUEL = 'UNIT_FUEL',
  UNIT_STATUS = 'UNIT_STATUS',
}
registerEnumType(ReportDimension, {
  name: 'ReportDimension',
  description: 'A dimension a report groups by. Which dimensions a subject supports is listed on ReportSubject.',
  valuesConfig: {
    REGION: { description: 'Key region of the city (key: region code).' },
    PROVINCE: { description: 'Province of the city (key: province slug).' },
    CITY: { description: 'City (key: city slug).' },
    INDUSTRY: { description: 'Industry of the enterprise (key: Industry value; null without an enterprise).' },
    GRADE: { description: 'Performance grade (key: PerformanceGrade value; null: ungraded or no enterprise).' },
    ENTERPRISE_SIZE: { description: 'Size class of the enterprise (key: EnterpriseSize value).' },
    PROJECT_TYPE: { description: 'Type of the retrofit project (key: ProjectType value).' },
    PROJECT_STATUS: { description: 'Status of the retrofit project (key: ProjectStatus value).' },
    TASK_TARGET: { description: 'Task target the project counts toward (key: target code; null: none).' },
    SUBSIDY_PROGRAM: { description: 'Subsidy program of the disbursement (key: program code).' },
    LOW_INCOME: { description: 'Whether the receiving household is low-income (key: "true" or "false"; null: an enterprise recipient).' },
    MONTH: { description: 'Calendar month of the subject\'s date (key: YYYY-MM; null: no date, e.g. a project not yet ended).' },
    CAMPAIGN: { description: 'Campaign (key: campaign code; null: none).' },
    ROUND: { description: 'Supervision round of the clue (key: round id; label: its title; null: a clue of the city\'s own).' },
    CLUE_STAGE: { description: 'Current stage of the clue (key: ClueStage value).' },
    CLUE_SOURCE: { description: 'Source of the clue (key: ClueSource value).' },
    CLUE_TOPIC: { description: 'Topic of the clue (key: ClueTopic value).' },
    ACTION_KIND: { description: 'Kind of the enforcement action (key: EnforcementActionKind value).' },
    LEVEL: { description: 'Warning level (key: WarningLevel value; sorted YELLOW, ORANGE, RED).' },
    WARNING: { description: 'The warning a measure check was made under (key: warning id; label: its city and start day).' },
    COUNTY: { description: 'County (区县) of the record\'s place, below its city (key: locality id; label: its name and city; null: no place). Only subjects whose records stand in a locality; a city-scoped key sees its own city\'s places only.' },
    TOWNSHIP: { description: 'Township (乡镇) of the record\'s place (key: locality id; label: its name and city; null: no place, or a place of a county).' },
    VILLAGE: { description: 'Village (村) of the record (key: locality id; label: its name and city; null: no village).' },
    UNIT_KIND: { description: 'Kind of the combustion unit (key: CombustionUnitKind value).' },
    UNIT_FUEL: { description: 'Fuel of the combustion unit (key: CombustionFuel value).' },
    UNIT_STATUS: { description: 'Status of the combustion unit (key: CombustionUnitStatus value).' },
  },
});

/** What a report measures. */
export enum ReportMeasure {
  COUNT = 'COUNT',
  CAPACITY = 'CAPACITY',
  HOUSEHOLDS = 'HOUSEHOLDS',
  UNITS = 'UNITS',
  INVESTMENT = 'INVESTMENT',
  AMOUNT = 'AMOUNT',
  DAYS_TO_PAYMENT = 'DAYS_TO_PAYMENT',
  PM25 = 'PM25',
  HEAVY_DAYS = 'HEAVY_DAYS',
  CONFIRMED = 'CONFIRMED',
  RECTIFIED_ON_TIME = 'RECTIFIED_ON_TIME',
  OVERDUE = 'OVERDUE',
  DAYS_OVERDUE = 'DAYS_OVERDUE',
  SPOT_CHECK_FAILED = 'SPOT_CHECK_FAILED',
  DAYS_IDENTIFIED = 'DAYS_IDENTIFIED',
  DAYS_INVESTIGATING = 'DAYS_INVESTIGATING',
  DAYS_RECTIFYING = 'DAYS_RECTIFYING',
  DAYS_SUPERVISED = 'DAYS_SUPERVISED',
  DAYS_SPOT_CHECK = 'DAYS_SPOT_CHECK',
  ACTIONS = 'ACTIONS',
  FINE_AMOUNT = 'FINE_AMOUNT',
  FLAGGED = 'FLAGGED',
  WARNING_DAYS = 'WARNING_DAYS',
  CHECK_FAILED = 'CHECK_FAILED',
  DOWNGRADED = 'DOWNGRADED',
  CAPACITY_TPH = 'CAPACITY_TPH',
}
registerEnumType(ReportMeasure, {
  name: 'ReportMeasure',
  description: 'A quantity of the subject that a report aggregates. Which measures a subject supports is listed on ReportSubject.',
  valuesConfig: {
    COUNT: { description: 'The records themselves (aggregation COUNT only).' },
    FLAGGED: { description: 'A warning: 1 when flagged (it goes further than its forecast implies, or departs from its linkage), else 0; AVG is the flagged share (SUM, AVG).' },
    WARNING_DAYS: { description: 'A warning: days of response, from its start to its lifting (or its planned end while open), in days of 24 hours (SUM, MIN, MAX, AVG, MEDIAN).' },
    CHECK_FAILED: { description: 'A measure check: 1 FAILED, 0 PASSED; AVG is the failure rate (SUM, AVG).' },
    DOWNGRADED: { description: 'A measure check: 1 when its proposal was accepted as a FAILED_EMERGENCY_CUTS grade change, else 0 (SUM, AVG).' },
    CAPACITY: { description: 'Capacity in tonnes of a retrofit project (SUM, MIN, MAX, AVG, MEDIAN).' },
    CAPACITY_TPH: { description: 'Capacity in t/h (蒸吨/小时) of a combustion unit; units without one (kilns, coke ovens) have none (SUM, MIN, MAX, AVG, MEDIAN).' },
    HOUSEHOLDS: { description: 'Households of a retrofit project (SUM, MIN, MAX, AVG, MEDIAN).' },
    UNITS: { description: 'Units of a retrofit project (SUM, MIN, MAX, AVG, MEDIAN).' },
    INVESTMENT: { description: 'Investment in yuan of a retrofit project (SUM, MIN, MAX, AVG, MEDIAN).' },
    AMOUNT: { description: 'Amount in yuan of a disbursement (SUM, MIN, MAX, AVG, MEDIAN).' },
    DAYS_TO_PAYMENT: { description: 'Days from approval to payment of a paid disbursement; unpaid ones have none (MIN, MAX, AVG, MEDIAN).' },
    PM25: { description: 'Daily city-wide PM2.5 in ug/m3 (AVG, MIN, MAX, MEDIAN, SUM).' },
    HEAVY_DAYS: { description: 'Days of heavy-or-worse pollution (PM2.5 above 150 ug/m3 or AQI above 200): SUM counts them, AVG gives their share of the observed days.' },
    CONFIRMED: { description: 'A clue: 1 confirmed, 0 found unfounded, none before its investigation ended; AVG is the confirmation rate (SUM, AVG).' },
    RECTIFIED_ON_TIME: { description: 'A clue: 1 rectification reported by its due day, 0 reported late or still rectifying past it, none when nothing is due yet; AVG is the on-time rectification rate (SUM, AVG).' },
    OVERDUE: { description: 'A clue: 1 when overdue today (on the watch list), else 0 (SUM, AVG).' },
    DAYS_OVERDUE: { description: 'A clue: days overdue today, 0 when not overdue (SUM, MIN, MAX, AVG, MEDIAN).' },
    SPOT_CHECK_FAILED: { description: 'A clue: 1 when a spot check ever found it NOT_REAL or RECTIFICATION_FAILED, 0 spot-checked and never failed, none never spot-checked; AVG is the spot-check failure rate (SUM, AVG).' },
    DAYS_IDENTIFIED: { description: 'A clue: days spent IDENTIFIED over its completed stays (MIN, MAX, AVG, MEDIAN, SUM).' },
    DAYS_INVESTIGATING: { description: 'A clue: days spent INVESTIGATING over its completed stays (MIN, MAX, AVG, MEDIAN, SUM).' },
    DAYS_RECTIFYING: { description: 'A clue: days spent RECTIFYING over its completed stays (MIN, MAX, AVG, MEDIAN, SUM).' },
    DAYS_SUPERVISED: { description: 'A clue: days spent SUPERVISED over its completed stays (MIN, MAX, AVG, MEDIAN, SUM).' },
    DAYS_SPOT_CHECK: { description: 'A clue: days spent in SPOT_CHECK over its completed stays (MIN, MAX, AVG, MEDIAN, SUM).' },
    ACTIONS: { description: 'A clue: number of enforcement actions taken on it (SUM, AVG, MAX).' },
    FINE_AMOUNT: { description: 'Fines in yuan: of an action (subject ENFORCEMENT_ACTIONS), or summed over a clue\'s actions (subject CLUES) (SUM, MIN, MAX, AVG, MEDIAN).' },
  },
});

/** How a measure is aggregated. */
export enum ReportAggregation {
  COUNT = 'COUNT',
  SUM = 'SUM',
  MIN = 'MIN',
  MAX = 'MAX',
  AVG = 'AVG',
  MEDIAN = 'MEDIAN',
}
registerEnumType(ReportAggregation, {
  name: 'ReportAggregation',
  description: 'Aggregate function of a measure. A group with nothing to aggregate gives null, except COUNT (0).',
  valuesConfig: {
    COUNT: { description: 'Number of records (the only aggregation of the COUNT measure).' },
    SUM: { description: 'Sum.' },
    MIN: { description: 'Smallest value.' },
    MAX: { description: 'Largest value.' },
    AVG: { description: 'Arithmetic mean.' },
    MEDIAN: { description: 'Median (continuous: interpolated between the two middle values).' },
  },
});

/** Which subtotals a report carries besides its detail rows. */
export enum ReportTotals {
  ROLLUP = 'ROLLUP',
  CUBE = 'CUBE',
  GRAND_TOTAL = 'GRAND_TOTAL',
}
registerEnumType(ReportTotals, {
  name: 'ReportTotals',
  description: 'Which total rows a report adds to its detail rows (SQL ROLLUP, CUBE or GROUPING SETS).',
  valuesConfig: {
    ROLLUP: { description: 'A subtotal for every prefix of the dimensions (e.g. per province over its cities) and a grand total.' },
    CUBE: { description: 'A subtotal for every combination of dimensions and a grand total.' },
    GRAND_TOTAL: { description: 'Only the grand total.' },
  },
});

/** Kind of a report row. */
export enum ReportRowKind {
  DETAIL = 'DETAIL',
  SUBTOTAL = 'SUBTOTAL',
  GRAND_TOTAL = 'GRAND_TOTAL',
}
registerEnumType(ReportRowKind, {
  name: 'ReportRowKind',
  description: 'Whether a report row is a group of every dimension, a subtotal over some of them, or the grand total.',
  valuesConfig: {
    DETAIL: { description: 'Grouped by every dimension.' },
    SUBTOTAL: { description: 'Totals over one or more dimensions (their keys have isTotal true).' },
    GRAND_TOTAL: { description: 'Totals over every dimension: every record the report filter selects.' },
  },
});

// ------------------------------------------------------------------ report input

@InputType({
  description:
    'Selects records of a report subject. Every condition names the dimension it filters on (industries: INDUSTRY, etc.) and is only allowed when the subject has that dimension. Conditions combine with AND.',
})
export class ReportFilter {
  @Field(() => RegionCode, { nullable: true, description: 'Only records of cities of this region.' })
  region?: RegionCode | null;

  @Field(() => String, { nullable: true, description: 'Only records of cities of the province with this slug.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only records of the city with this slug.' })
  city?: string | null;

  @Field(() => [Industry], { nullable: true, description: 'Only these industries (dimension INDUSTRY).' })
  industries?: Industry[] | null;

  @Field(() => [PerformanceGrade], { nullable: true, description: 'Only these grades (dimension GRADE); ungraded records never match.' })
  grades?: PerformanceGrade[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only records with a grade; false: only ungraded ones (dimension GRADE).' })
  graded?: boolean | null;

  @Field(() => [EnterpriseSize], { nullable: true, description: 'Only these enterprise sizes (dimension ENTERPRISE_SIZE).' })
  sizes?: EnterpriseSize[] | null;

  @Field(() => [ProjectType], { nullable: true, description: 'Only these project types (dimension PROJECT_TYPE).' })
  projectTypes?: ProjectType[] | null;

  @Field(() => [ProjectStatus], { nullable: true, description: 'Only these project statuses (dimension PROJECT_STATUS).' })
  projectStatuses?: ProjectStatus[] | null;

  @Field(() => [String], { nullable: true, description: 'Only projects counting toward the task targets with these codes (dimension TASK_TARGET).' })
  taskTargets?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only disbursements of the subsidy programs with these codes (dimension SUBSIDY_PROGRAM).' })
  subsidyPrograms?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only records standing in this locality (a county, township or village id): the locality itself or any place under it (dimensions COUNTY, TOWNSHIP, VILLAGE). An id the caller cannot read is NOT_FOUND.',
  })
  locality?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only low-income households; false: only other households (dimension LOW_INCOME).' })
  lowIncome?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Only records of the campaign with this code (dimension CAMPAIGN).' })
  campaign?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only records whose date (the one of dimension MONTH) is on or after this day.' })
  from?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only records whose date (the one of dimension MONTH) is on or before this day.' })
  to?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin (e.g. RECORDED to leave out demo data).' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'One measure (a column of values) of a report.' })
export class ReportMeasureInput {
  @Field(() => ReportMeasure, { description: 'The quantity to aggregate.' })
  measure!: ReportMeasure;

  @Field(() => ReportAggregation, {
    nullable: true,
    description: 'How to aggregate it. Default: COUNT for COUNT, AVG for PM25, SUM for the other measures (DAYS_TO_PAYMENT: AVG).',
  })
  aggregation?: ReportAggregation | null;

  @Field(() => ReportFilter, {
    nullable: true,
    description: 'Only records matching this filter count toward this measure (SQL FILTER), on top of the report\'s filter.',
  })
  filter?: ReportFilter | null;

  @Field(() => String, {
    nullable: true,
    description: 'Name of the column in results and exports; default: aggregation and measure, e.g. "sum_households". Letters, digits and underscores, at most 63.',
  })
  name?: string | null;
}

@InputType({ description: 'A custom report: a subject grouped by dimensions, with measures, subtotals and a grand total.' })
export class ReportInput {
  @Field(() => ReportSubject, { description: 'The records to group and measure.' })
  subject!: ReportSubject;

  @Field(() => [ReportDimension], { description: 'Dimensions to group by, outermost first (at most 4, each at most once; empty: only the grand total).' })
  dimensions!: ReportDimension[];

  @Field(() => [ReportMeasureInput], { description: 'Measures, one column each (1 to 12).' })
  measures!: ReportMeasureInput[];

  @Field(() => ReportFilter, { nullable: true, description: 'Which records the report covers.' })
  filter?: ReportFilter | null;

  @Field(() => ReportTotals, { nullable: true, description: 'Which total rows to add; default ROLLUP.' })
  totals?: ReportTotals | null;
}

// ------------------------------------------------------------------ report output

@ObjectType({ description: 'A measure column of a report.' })
export class ReportColumn {
  @Field(() => String, { description: 'Name of the column (as given, or aggregation and measure, e.g. "sum_households").' })
  name!: string;

  @Field(() => ReportMeasure, { description: 'The measured quantity.' })
  measure!: ReportMeasure;

  @Field(() => ReportAggregation, { description: 'The aggregate function.' })
  aggregation!: ReportAggregation;

  @Field(() => Boolean, { description: 'Whether the measure has a filter of its own.' })
  filtered!: boolean;
}

@ObjectType({ description: 'The value of one dimension in a report row.' })
export class ReportKey {
  @Field(() => ReportDimension, { description: 'The dimension.' })
  dimension!: ReportDimension;

  @Field(() => Boolean, { description: 'Whether the row totals over this dimension (then value is null).' })
  isTotal!: boolean;

  @Field(() => String, { nullable: true, description: 'Key of the group (slug, code, enum value, YYYY-MM, "true"/"false"); null on totals and where the record has none (e.g. ungraded).' })
  value!: string | null;

  @Field(() => String, { description: 'English label, e.g. "Shijiazhuang", "Ungraded" or "Total".' })
  label!: string;

  @Field(() => String, { nullable: true, description: 'Chinese label where there is one (places, targets, programs, campaigns).' })
  labelZh!: string | null;
}

@ObjectType({ description: 'A row of a report: a group (or subtotal) and its measures.' })
export class ReportRow {
  @Field(() => ReportRowKind, { description: 'Detail, subtotal or grand total.' })
  kind!: ReportRowKind;

  @Field(() => Int, { description: 'Number of dimensions the row is grouped by (0: grand total).' })
  level!: number;

  @Field(() => [ReportKey], { description: 'One key per dimension of the report, in its order.' })
  keys!: ReportKey[];

  @Field(() => [Float], { nullable: 'items', description: 'One value per measure, in the order of columns; null where a group has nothing to aggregate (e.g. AVG of no records).' })
  values!: (number | null)[];
}

@ObjectType({
  description:
    'The result of a custom report. Rows are ordered by each dimension in turn (places in the plan\'s order, grades LEADING to D then ungraded, months chronologically), each subtotal after its details, the grand total last.',
})
export class Report {
  @Field(() => ReportSubject, { description: 'The subject.' })
  subject!: ReportSubject;

  @Field(() => [ReportDimension], { description: 'The dimensions, outermost first.' })
  dimensions!: ReportDimension[];

  @Field(() => [ReportColumn], { description: 'The measure columns, in the order of values.' })
  columns!: ReportColumn[];

  @Field(() => [ReportRow], { description: 'Detail rows with subtotals, then the grand total.' })
  rows!: ReportRow[];

  @Field(() => ReportRow, { description: 'The grand total (also the last of rows).' })
  grandTotal!: ReportRow;
}

// ------------------------------------------------------------------ scorecards

export enum ScorecardLevel {
  CITY = 'CITY',
  PROVINCE = 'PROVINCE',
  REGION = 'REGION',
}
registerEnumType(ScorecardLevel, {
  name: 'ScorecardLevel',
  description: 'The places a campaign scorecard is drawn up for.',
  valuesConfig: {
    CITY: { description: 'One scorecard per city.' },
    PROVINCE: { description: 'One per province, over its cities of the campaign.' },
    REGION: { description: 'One per key region, over its cities.' },
  },
});

@ObjectType({
  description:
    'Attainment of the outcome targets of a place over a campaign, from city-wide daily observations in the campaign period. For a city: its own mean and heavy days against its targets. For a province or region: the unweighted mean of its city means against the mean of its city targets, the sum of heavy days against the sum of targets, and the number of cities meeting each target.',
})
export class ScorecardAttainment {
  @Field(() => Int, { description: 'Number of cities of the place (1 for a city).' })
  cityCount!: number;

  @Field(() => Int, { description: 'Number of days of the campaign period.' })
  periodDays!: number;

  @Field(() => Int, { description: 'City-days with a city-wide observation (summed over the cities).' })
  observedDays!: number;

  @Field(() => Float, { nullable: true, description: 'City: campaign mean PM2.5 (ug/m3). Province/region: mean of the city means (cities without observations left out). Null without observations.' })
  pm25Mean!: number | null;

  @Field(() => Float, { nullable: true, description: 'City: PM2.5 target. Province/region: mean of the city targets. Null without targets.' })
  pm25Target!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'City: mean at most the target, said only when its observations are complete enough (CampaignAttainment.pm25Status MET or NOT_MET). Province/region: every assessed city meets it. Null when none can be assessed.' })
  pm25Met!: boolean | null;

  @Field(() => Int, { description: 'Number of cities that meet their PM2.5 target.' })
  citiesMeetingPm25!: number;

  @Field(() => Int, { description: 'Number of cities with a PM2.5 target and observations complete enough to assess it (CampaignAttainment.coverage).' })
  citiesAssessedPm25!: number;

  @Field(() => Int, { description: 'Days of heavy-or-worse pollution (summed over the cities).' })
  heavyPollutionDays!: number;

  @Field(() => Int, { nullable: true, description: 'Target days of heavy-or-worse pollution (summed over the cities with a target); null without targets.' })
  heavyDaysTarget!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'City: heavy days at most the target (CampaignAttainment.heavyDaysStatus MET or NOT_MET: complete observations, or more heavy days than the target). Province/region: every assessed city meets its target. Null when none can be assessed.' })
  heavyDaysMet!: boolean | null;

  @Field(() => Int, { description: 'Number of cities that meet their heavy-days target.' })
  citiesMeetingHeavyDays!: number;
}

@ObjectType({ description: 'A task target of the campaign as it stands in one place.' })
export class ScorecardTaskTarget {
  @Field(() => TaskTarget, { description: 'The task target (its progress field is the progress over every place).' })
  taskTarget!: TaskTarget;

  @Field(() => Float, { description: 'Achieved quantity by the counting projects located in the place (same rule as TaskTarget.progress).' })
  achieved!: number;

  @Field(() => Int, { description: 'Counting projects located in the place.' })
  countedProjects!: number;

  @Field(() => TaskTargetBreakdown, { nullable: true, description: 'The share of the target\'s breakdown assigned to this city or province (with its own progress); null where the plan gives it none.' })
  share!: TaskTargetBreakdown | null;

  @Field(() => Float, { nullable: true, description: 'achieved / share quantity * 100, rounded to 2 decimals; null without a share.' })
  sharePercent!: number | null;
}

@ObjectType({ description: 'Subsidies of the campaign\'s programs in a place.' })
export class ScorecardSubsidies {
  @Field(() => Float, { description: 'Sum of the budgets of the campaign\'s programs in the place, in yuan.' })
  budgetAmount!: number;

  @Field(() => Float, { description: 'Sum of every recorded disbursement, paid or not, in yuan.' })
  committedAmount!: number;

  @Field(() => Float, { description: 'Sum of the paid disbursements, in yuan.' })
  paidAmount!: number;

  @Field(() => Float, { nullable: true, description: 'Payment rate: paidAmount / budgetAmount (0..1); null without a budget.' })
  paymentRate!: number | null;

  @Field(() => Int, { description: 'Number of recorded disbursements.' })
  disbursementCount!: number;

  @Field(() => Int, { description: 'Number of paid disbursements.' })
  paidCount!: number;

  @Field(() => Float, { nullable: true, description: 'Median days from approval to payment over the paid disbursements (interpolated); null when none is paid.' })
  medianDaysToPayment!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share (0..1) of the amount paid to households that went to low-income households; null when no household was paid.' })
  lowIncomePaidShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share (0..1) of the amount committed to households that goes to low-income households (as SubsidyTotals.lowIncomeShare); null without household disbursements.' })
  lowIncomeShare!: number | null;
}

@ObjectType({ description: 'Number of enterprises with one current grade.' })
export class GradeCount {
  @Field(() => PerformanceGrade, { nullable: true, description: 'The grade; null for enterprises never graded.' })
  grade!: PerformanceGrade | null;

  @Field(() => Int, { description: 'Number of enterprises.' })
  count!: number;
}

@ObjectType({ description: 'The campaign scorecard of a city, province or region: outcome attainment, task targets, subsidies, grades, supervision and heavy-pollution response figures.' })
export class CampaignScorecard {
  @Field(() => ScorecardLevel, { description: 'Kind of place.' })
  level!: ScorecardLevel;

  @Field(() => Campaign, { description: 'The campaign.' })
  campaign!: Campaign;

  @Field(() => Region, { description: 'The region (of the city or province; the place itself for REGION).' })
  region!: Region;

  @Field(() => Province, { nullable: true, description: 'The province (of the city; the place itself for PROVINCE); null for REGION.' })
  province!: Province | null;

  @Field(() => City, { nullable: true, description: 'The city, for CITY scorecards; null otherwise.' })
  city!: City | null;

  @Field(() => String, { description: 'Key of the place: city or province slug, or region code.' })
  key!: string;

  @Field(() => String, { description: 'English name of the place.' })
  name!: string;

  @Field(() => String, { description: 'Chinese name of the place.' })
  nameZh!: string;

  @Field(() => ScorecardAttainment, { description: 'Attainment of the outcome targets.' })
  attainment!: ScorecardAttainment;

  @Field(() => [ScorecardTaskTarget], { description: 'The task targets of the campaign that apply to the place, in the plan\'s order.' })
  taskTargets!: ScorecardTaskTarget[];

  @Field(() => ScorecardSubsidies, {
    nullable: true,
    description:
      'Subsidies of the campaign\'s programs. Subsidy budgets and disbursements are not public: without an API key this field is null with an UNAUTHENTICATED error on it (the rest of the scorecard is public and answered).',
  })
  subsidies!: ScorecardSubsidies | null;

  @Field(() => [GradeCount], { description: 'Current grades of the place\'s enterprises: LEADING, A, B, C, D, then ungraded (grade null), zeros included.' })
  grades!: GradeCount[];

  @Field(() => ClueStats, {
    nullable: true,
    description: 'Supervision figures (clues, rates, watch list, spot checks, stage durations, actions, fines) of the campaign in the place. Clues are not public: without an API key this field is null with an UNAUTHENTICATED error on it.',
  })
  clues!: ClueStats | null;

  @Field(() => EmergencyFigures, {
    description:
      'Heavy-pollution response figures of the campaign in the place (as emergencyFigures on City, Province, Region and Campaign, same SQL): warning days by level, heavy days with and without a warning in force, flagged warnings, list coverage (by industry) and planned reduction per level and pollutant against 10 / 20 / 30 %, checks, failure rate and downgrades. Public like warnings; its reductionLists and measureChecks are null without an API key.',
  })
  emergency!: EmergencyFigures;
}

// ------------------------------------------------------------------ monthly ranking

export enum RankingOrder {
  BEST_FIRST = 'BEST_FIRST',
  WORST_FIRST = 'WORST_FIRST',
}
registerEnumType(RankingOrder, {
  name: 'RankingOrder',
  description: 'Order of a ranking list. Ranks always count from the best (rank 1: lowest mean PM2.5).',
  valuesConfig: {
    BEST_FIRST: { description: 'Rank 1 (lowest PM2.5) first.' },
    WORST_FIRST: { description: 'The highest PM2.5 first, as the "worst 20" lists of the monthly notices.' },
  },
});

@ObjectType({ description: 'A city\'s place in a monthly PM2.5 ranking.' })
export class MonthlyPm25Rank {
  @Field(() => Int, { description: 'Rank from the best: 1 is the lowest mean PM2.5; equal means share a rank (SQL rank()).' })
  rank!: number;

  @Field(() => City, { description: 'The city.' })
  city!: City;

  @Field(() => Float, { description: 'Mean of the city-wide daily PM2.5 of the month (ug/m3), not rounded.' })
  pm25Mean!: number;

  @Field(() => Int, { description: 'Days of the month with a city-wide observation.' })
  observedDays!: number;

  @Field(() => Float, { nullable: true, description: 'Mean PM2.5 of the same month of the previous year; null without observations then.' })
  previousYearPm25Mean!: number | null;

  @Field(() => Float, { nullable: true, description: 'pm25Mean minus previousYearPm25Mean (ug/m3; negative: improved); null without the previous year.' })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: 'change / previousYearPm25Mean * 100, rounded to 1 decimal; null without the previous year.' })
  changePercent!: number | null;
}

@ObjectType({ description: 'Cities ranked by mean PM2.5 of a month, as in the monthly air quality notices.' })
export class MonthlyPm25Ranking {
  @Field(() => String, { description: 'The month (YYYY-MM).' })
  month!: string;

  @Field(() => String, { description: 'The same month of the previous year (YYYY-MM), the comparison.' })
  previousYearMonth!: string;

  @Field(() => RankingOrder, { description: 'Order of entries.' })
  order!: RankingOrder;

  @Field(() => [MonthlyPm25Rank], { description: 'Cities with city-wide observations in the month; cities without are left out.' })
  entries!: MonthlyPm25Rank[];
}
