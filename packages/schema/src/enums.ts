/**
 * Enumerations shared by the API (registered as GraphQL enums) and the SDK.
 * Values are stable public identifiers: add new ones, never rename or remove.
 */

/** The two key regions of the campaign (重点区域). */
export enum RegionCode {
  JJJ_SURROUNDING = 'JJJ_SURROUNDING',
  FENWEI_PLAIN = 'FENWEI_PLAIN',
}

/** Administrative kind of a city-level unit. */
export enum CityKind {
  MUNICIPALITY = 'MUNICIPALITY',
  PREFECTURE_CITY = 'PREFECTURE_CITY',
  NEW_AREA = 'NEW_AREA',
  COUNTY_LEVEL_CITY = 'COUNTY_LEVEL_CITY',
  DEMONSTRATION_ZONE = 'DEMONSTRATION_ZONE',
}

/** Industry of an air-polluting enterprise (涉气企业). */
export enum Industry {
  STEEL = 'STEEL',
  CEMENT = 'CEMENT',
  COKING = 'COKING',
  GLASS = 'GLASS',
  FOUNDRY = 'FOUNDRY',
  BRICK_AND_TILE = 'BRICK_AND_TILE',
  NONFERROUS_SMELTING = 'NONFERROUS_SMELTING',
  COAL_WASHING = 'COAL_WASHING',
  LIME = 'LIME',
  REFRACTORY = 'REFRACTORY',
  PETROCHEMICAL = 'PETROCHEMICAL',
  CHEMICAL = 'CHEMICAL',
  INDUSTRIAL_COATING = 'INDUSTRIAL_COATING',
  PACKAGING_AND_PRINTING = 'PACKAGING_AND_PRINTING',
  OIL_STORAGE_AND_DISTRIBUTION = 'OIL_STORAGE_AND_DISTRIBUTION',
  POWER = 'POWER',
  HEATING_BOILER = 'HEATING_BOILER',
  OTHER = 'OTHER',
}

/** Industries where only assessed-and-publicised ultra-low emission may hold grade A or B. */
export const ULTRA_LOW_EMISSION_INDUSTRIES: readonly Industry[] = [Industry.STEEL, Industry.CEMENT, Industry.COKING];

/** Enterprise size class. */
export enum EnterpriseSize {
  LARGE = 'LARGE',
  MEDIUM = 'MEDIUM',
  SMALL = 'SMALL',
  MICRO = 'MICRO',
}

/** Ultra-low-emission retrofit status of an enterprise. */
export enum UltraLowEmissionStatus {
  NOT_STARTED = 'NOT_STARTED',
  RETROFITTING = 'RETROFITTING',
  COMPLETED = 'COMPLETED',
  ASSESSED_AND_PUBLICISED = 'ASSESSED_AND_PUBLICISED',
}

/** Protected-class (保障类) status and where it stands in its approval chain. */
export enum ProtectedClassStatus {
  NONE = 'NONE',
  CITY_CONSENTED = 'CITY_CONSENTED',
  PROVINCE_REVIEWED = 'PROVINCE_REVIEWED',
  MINISTRY_FILED = 'MINISTRY_FILED',
}

/** Environmental performance grade (绩效分级); LEADING is 引领性. */
export enum PerformanceGrade {
  LEADING = 'LEADING',
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

/** Why a performance grade changed. */
export enum GradeChangeReason {
  ASSESSMENT = 'ASSESSMENT',
  UPGRADE_ON_IMPROVEMENT = 'UPGRADE_ON_IMPROVEMENT',
  DOWNGRADE_FOR_VIOLATION = 'DOWNGRADE_FOR_VIOLATION',
  FALSIFIED_MONITORING = 'FALSIFIED_MONITORING',
  FAILED_EMERGENCY_CUTS = 'FAILED_EMERGENCY_CUTS',
}

/** Comparator of a task target: how progress is compared to its quantity. */
export enum TargetComparator {
  AT_LEAST = 'AT_LEAST',
  MORE_THAN = 'MORE_THAN',
  AT_MOST = 'AT_MOST',
  DONE = 'DONE',
}

/** Geographic scope of a task target. */
export enum TaskTargetScope {
  CAMPAIGN = 'CAMPAIGN',
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
}

/** Type of a retrofit project (改造项目 / 重大工程). */
export enum ProjectType {
  ULTRA_LOW_EMISSION_STEEL = 'ULTRA_LOW_EMISSION_STEEL',
  ULTRA_LOW_EMISSION_CEMENT = 'ULTRA_LOW_EMISSION_CEMENT',
  ULTRA_LOW_EMISSION_COKING = 'ULTRA_LOW_EMISSION_COKING',
  VOCS_SOURCE_SUBSTITUTION = 'VOCS_SOURCE_SUBSTITUTION',
  VOCS_STORAGE_TANKS = 'VOCS_STORAGE_TANKS',
  VOCS_LOADING = 'VOCS_LOADING',
  VOCS_OPEN_LIQUID_SURFACES = 'VOCS_OPEN_LIQUID_SURFACES',
  VOCS_PETROL_STATION_VAPOUR_RECOVERY = 'VOCS_PETROL_STATION_VAPOUR_RECOVERY',
  VOCS_END_OF_PIPE_UPGRADE = 'VOCS_END_OF_PIPE_UPGRADE',
  VOCS_GREEN_ISLAND = 'VOCS_GREEN_ISLAND',
  CLEAN_HEATING_COAL_TO_GAS = 'CLEAN_HEATING_COAL_TO_GAS',
  CLEAN_HEATING_COAL_TO_ELECTRICITY = 'CLEAN_HEATING_COAL_TO_ELECTRICITY',
  AGRICULTURAL_COAL_REPLACEMENT = 'AGRICULTURAL_COAL_REPLACEMENT',
  BOILER_ELIMINATION = 'BOILER_ELIMINATION',
  KILN_ELIMINATION = 'KILN_ELIMINATION',
  GAS_GENERATOR_ELIMINATION = 'GAS_GENERATOR_ELIMINATION',
  LOW_NOX_BURNER_RETROFIT = 'LOW_NOX_BURNER_RETROFIT',
  RAILWAY_SPUR_LINE = 'RAILWAY_SPUR_LINE',
  COKE_OVEN_CLOSURE = 'COKE_OVEN_CLOSURE',
}

/** Lifecycle status of a retrofit project: PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED. */
export enum ProjectStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  VERIFIED = 'VERIFIED',
}

/** The only allowed project status transitions. */
export const PROJECT_STATUS_TRANSITIONS: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  [ProjectStatus.PLANNED]: [ProjectStatus.IN_PROGRESS],
  [ProjectStatus.IN_PROGRESS]: [ProjectStatus.COMPLETED],
  [ProjectStatus.COMPLETED]: [ProjectStatus.VERIFIED],
  [ProjectStatus.VERIFIED]: [],
};

/** Source of a project's funding. */
export enum FundingSource {
  CENTRAL_AIR_POLLUTION_FUND = 'CENTRAL_AIR_POLLUTION_FUND',
  LOCAL_GOVERNMENT = 'LOCAL_GOVERNMENT',
  ENTERPRISE_SELF_FUNDED = 'ENTERPRISE_SELF_FUNDED',
  BANK_LOAN = 'BANK_LOAN',
  OTHER = 'OTHER',
}

/** Kind of a subsidy program. */
export enum SubsidyProgramKind {
  CLEAN_HEATING_OPERATING = 'CLEAN_HEATING_OPERATING',
  CLEAN_HEATING_EQUIPMENT = 'CLEAN_HEATING_EQUIPMENT',
  CENTRAL_AIR_POLLUTION_FUND = 'CENTRAL_AIR_POLLUTION_FUND',
  LOCAL_AIR_POLLUTION_FUND = 'LOCAL_AIR_POLLUTION_FUND',
}

/** Who receives a disbursement. */
export enum RecipientKind {
  HOUSEHOLD = 'HOUSEHOLD',
  ENTERPRISE = 'ENTERPRISE',
}

/** Where a record came from: the plan itself, generated demo data, or entered by a user or system. */
export enum DataOrigin {
  PLAN = 'PLAN',
  DEMO = 'DEMO',
  RECORDED = 'RECORDED',
}

/** Stage of an enforcement clue (线索) in the closed loop 识别线索、排查整改、调度督办、抽查复核. */
export enum ClueStage {
  IDENTIFIED = 'IDENTIFIED',
  INVESTIGATING = 'INVESTIGATING',
  RECTIFYING = 'RECTIFYING',
  SUPERVISED = 'SUPERVISED',
  SPOT_CHECK = 'SPOT_CHECK',
  CLOSED = 'CLOSED',
  CLOSED_UNFOUNDED = 'CLOSED_UNFOUNDED',
}

/** Where a clue came from. */
export enum ClueSource {
  SATELLITE_HOTSPOT = 'SATELLITE_HOTSPOT',
  ONLINE_MONITORING_ANOMALY = 'ONLINE_MONITORING_ANOMALY',
  POWER_USE_ANOMALY = 'POWER_USE_ANOMALY',
  STRAW_FIRE_POINT = 'STRAW_FIRE_POINT',
  EMERGENCY_CHECK_FAILURE = 'EMERGENCY_CHECK_FAILURE',
  COMPLAINT = 'COMPLAINT',
  ON_SITE_FINDING = 'ON_SITE_FINDING',
}

/** What a clue is about (the differentiated supervision tasks of the plan). */
export enum ClueTopic {
  HEAVY_POLLUTION_RESPONSE = 'HEAVY_POLLUTION_RESPONSE',
  KEY_ENTERPRISE_GOVERNANCE = 'KEY_ENTERPRISE_GOVERNANCE',
  SELF_MONITORING_DATA = 'SELF_MONITORING_DATA',
  LOOSE_COAL = 'LOOSE_COAL',
  DUST = 'DUST',
  STRAW_BURNING = 'STRAW_BURNING',
}

/** Result of the spot check (抽查复核) of a clue. */
export enum SpotCheckResult {
  PASSED = 'PASSED',
  NOT_REAL = 'NOT_REAL',
  RECTIFICATION_FAILED = 'RECTIFICATION_FAILED',
}

/** Kind of an enforcement action, informal (tolerant correction) to formal (police transfer). */
export enum EnforcementActionKind {
  TOLERANT_CORRECTION = 'TOLERANT_CORRECTION',
  CORRECTION_ORDER = 'CORRECTION_ORDER',
  FINE = 'FINE',
  PRODUCTION_RESTRICTION = 'PRODUCTION_RESTRICTION',
  POLICE_TRANSFER = 'POLICE_TRANSFER',
}

/** Who an entry of the published fraud list names. */
export enum FraudListEntryKind {
  ENTERPRISE = 'ENTERPRISE',
  INSTITUTION = 'INSTITUTION',
  PERSON = 'PERSON',
}

/** Level of a heavy-pollution warning (重污染天气预警), from the least to the most severe. */
export enum WarningLevel {
  YELLOW = 'YELLOW',
  ORANGE = 'ORANGE',
  RED = 'RED',
}

/** A dated change of a warning: its issue, a change of level, an extension, its lifting. */
export enum WarningChangeKind {
  ISSUED = 'ISSUED',
  RAISED = 'RAISED',
  LOWERED = 'LOWERED',
  EXTENDED = 'EXTENDED',
  LIFTED = 'LIFTED',
}

/** A pollutant that can be the primary pollutant of a day (HJ 633-2012). */
export enum AirPollutant {
  PM25 = 'PM25',
  PM10 = 'PM10',
  O3 = 'O3',
  NO2 = 'NO2',
  SO2 = 'SO2',
  CO = 'CO',
}

/** Who produced a forecast. */
export enum ForecastSource {
  CITY = 'CITY',
  PROVINCE = 'PROVINCE',
  REGIONAL_CENTRE = 'REGIONAL_CENTRE',
  THIRD_PARTY = 'THIRD_PARTY',
}

/** Why a warning is flagged: it goes further than its forecast implies, or departs from its linkage. */
export enum WarningFlagReason {
  NO_FORECAST = 'NO_FORECAST',
  FORECAST_BELOW_WARNING = 'FORECAST_BELOW_WARNING',
  LEVEL_ABOVE_FORECAST = 'LEVEL_ABOVE_FORECAST',
  LONGER_THAN_FORECAST = 'LONGER_THAN_FORECAST',
  LINKAGE_LEVEL_NOT_FOLLOWED = 'LINKAGE_LEVEL_NOT_FOLLOWED',
}

/** The measure a listed enterprise takes at a warning level (应急减排措施). */
export enum EmergencyMeasure {
  SELF_DETERMINED = 'SELF_DETERMINED',
  STAGGER = 'STAGGER',
  LIMIT_PRODUCTION = 'LIMIT_PRODUCTION',
  STOP_LINES = 'STOP_LINES',
  STOP_PRODUCTION = 'STOP_PRODUCTION',
  PROTECTED_EXEMPT = 'PROTECTED_EXEMPT',
}

/** How a measure check (督查) was made. */
export enum MeasureCheckMethod {
  ON_SITE = 'ON_SITE',
  POWER_USE = 'POWER_USE',
  ONLINE_MONITORING = 'ONLINE_MONITORING',
}

/** Outcome of a measure check. */
export enum MeasureCheckResult {
  PASSED = 'PASSED',
  FAILED = 'FAILED',
}

/** Where a grade change proposed by a failed check stands. */
export enum GradeProposalStatus {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
}

/** A pollutant of the emission baselines of the emergency reduction lists. */
export enum EmissionPollutant {
  SO2 = 'SO2',
  NOX = 'NOX',
  PM = 'PM',
  VOCS = 'VOCS',
}

/** Kind of a combustion unit of the inventory (锅炉炉窑清单). */
export enum CombustionUnitKind {
  BOILER = 'BOILER',
  KILN = 'KILN',
  GAS_PRODUCER = 'GAS_PRODUCER',
  COKE_OVEN = 'COKE_OVEN',
}

/** Fuel of a combustion unit. */
export enum CombustionFuel {
  COAL = 'COAL',
  GAS = 'GAS',
  OIL = 'OIL',
  BIOMASS = 'BIOMASS',
  ELECTRICITY = 'ELECTRICITY',
  OTHER = 'OTHER',
}

/** Where a combustion unit stands: operating, scheduled for elimination (with a date), eliminated (with a date and its project). */
export enum CombustionUnitStatus {
  OPERATING = 'OPERATING',
  SCHEDULED_FOR_ELIMINATION = 'SCHEDULED_FOR_ELIMINATION',
  ELIMINATED = 'ELIMINATED',
}

/** Whether an outcome target is met, judged only on observations complete enough (GB 3095-2012 data validity). */
export enum AttainmentStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
  NO_TARGET = 'NO_TARGET',
}

/** Level of a place below the city (县、乡镇、村). */
export enum LocalityLevel {
  COUNTY = 'COUNTY',
  TOWNSHIP = 'TOWNSHIP',
  VILLAGE = 'VILLAGE',
}

/** The new heating system of a household conversion (散煤改造). */
export enum HeatingSystem {
  GAS = 'GAS',
  ELECTRICITY = 'ELECTRICITY',
  OTHER = 'OTHER',
}

/** Kind of an agricultural coal-using facility (农业散煤设施). */
export enum AgriculturalFacilityKind {
  GREENHOUSE = 'GREENHOUSE',
  GRAIN_DRYER = 'GRAIN_DRYER',
  LIVESTOCK = 'LIVESTOCK',
  TOBACCO_CURING = 'TOBACCO_CURING',
  OTHER = 'OTHER',
}

/** Whether an agricultural facility still burns coal or was switched to clean energy. */
export enum AgriculturalFacilityStatus {
  COAL = 'COAL',
  REPLACED = 'REPLACED',
}

/** What a province files (报送) for a campaign. */
export enum SubmissionKind {
  COMBUSTION_UNITS = 'COMBUSTION_UNITS',
  VILLAGE_CONVERSIONS = 'VILLAGE_CONVERSIONS',
  BAN_ZONES = 'BAN_ZONES',
  CAMPAIGN_SUMMARY = 'CAMPAIGN_SUMMARY',
}

/** Whether a province filed a submission by its deadline. */
export enum SubmissionStatus {
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
  MISSING = 'MISSING',
}
