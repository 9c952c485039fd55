import { Industry, ProjectStatus, ProjectType, PROJECT_STATUS_TRANSITIONS } from '@airledger/schema';

/**
 * Caps of a project's figures. Anything above is treated as a typing error (OUT_OF_RANGE), not
 * as data: the largest clean-heating programme of a city converts some hundred thousand
 * households, the largest steel group some tens of millions of tonnes. The migration's check
 * constraints hold the same numbers.
 */
export const PROJECT_LIMITS = {
  /** Households converted by one project. */
  households: 1_000_000,
  /** Units (boilers, facilities, tanks, generators) of one project. */
  units: 100_000,
  /** Tonnes of capacity (or freight) of one project: 100 Mt. */
  capacityTonnes: 100_000_000,
  /** Investment of one project, and any funding amount: 100 billion yuan. */
  investmentYuan: 100_000_000_000,
  /** Characters of a project name. */
  nameLength: 200,
} as const;

/**
 * Which project types may count toward which task target (by target code). A target whose code
 * is not listed accepts any type (targets of later campaigns until they are added here).
 */
export const TARGET_PROJECT_TYPES: Readonly<Record<string, readonly ProjectType[]>> = {
  COAL_HOUSEHOLDS: [ProjectType.CLEAN_HEATING_COAL_TO_GAS, ProjectType.CLEAN_HEATING_COAL_TO_ELECTRICITY],
  // Counts the replaced facilities of the agricultural coal facility list that such projects name
  // (target.progress.ts FACILITY_COUNTED_TARGETS), not the units the projects declare.
  AGRI_COAL_FACILITIES: [ProjectType.AGRICULTURAL_COAL_REPLACEMENT],
  STEEL_ULTRA_LOW_CAPACITY: [ProjectType.ULTRA_LOW_EMISSION_STEEL],
  // 治理设施建设或改造: treatment facilities built or upgraded, and source substitution.
  VOCS_FACILITIES: [ProjectType.VOCS_END_OF_PIPE_UPGRADE, ProjectType.VOCS_GREEN_ISLAND, ProjectType.VOCS_SOURCE_SUBSTITUTION],
  // 无组织排放治理: fugitive emissions (open liquid surfaces, petrol-station vapour).
  VOCS_FUGITIVE: [ProjectType.VOCS_OPEN_LIQUID_SURFACES, ProjectType.VOCS_PETROL_STATION_VAPOUR_RECOVERY],
  // 储罐及装载设施: storage tanks and loading facilities.
  VOCS_TANKS_LOADING: [ProjectType.VOCS_STORAGE_TANKS, ProjectType.VOCS_LOADING],
  COAL_BOILERS_ELIMINATED: [ProjectType.BOILER_ELIMINATION],
  GAS_GENERATORS_ELIMINATED: [ProjectType.GAS_GENERATOR_ELIMINATION],
  SHANXI_COKE_OVEN_4_3M_CLOSURE: [ProjectType.COKE_OVEN_CLOSURE],
  SHAANXI_COKE_OVEN_4_3M_EXIT_PLAN: [ProjectType.COKE_OVEN_CLOSURE],
  // Counted from the monthly rail freight records (target.progress.ts FREIGHT_COUNTED_TARGETS): the
  // tonnes the Shuicao railway carried, not the capacity of spur-line projects; no project counts.
  TANGSHAN_SHUICAO_RAIL_VOLUME: [],
};

/** Whether a project of `type` may count toward the target with `code` (none toward a target counted from records). */
export function typeFitsTarget(type: ProjectType, code: string): boolean {
  const allowed = TARGET_PROJECT_TYPES[code];
  return !allowed || allowed.includes(type);
}

/**
 * Industries of the enterprises a project type is carried out at. Types missing here (household
 * clean heating, agricultural coal replacement) are not enterprise projects. Used by the demo
 * data; the API accepts any enterprise of the project's city.
 */
export const PROJECT_TYPE_INDUSTRIES: Readonly<Partial<Record<ProjectType, readonly Industry[]>>> = {
  [ProjectType.ULTRA_LOW_EMISSION_STEEL]: [Industry.STEEL],
  [ProjectType.ULTRA_LOW_EMISSION_CEMENT]: [Industry.CEMENT],
  [ProjectType.ULTRA_LOW_EMISSION_COKING]: [Industry.COKING],
  [ProjectType.VOCS_SOURCE_SUBSTITUTION]: [Industry.INDUSTRIAL_COATING, Industry.PACKAGING_AND_PRINTING, Industry.CHEMICAL],
  [ProjectType.VOCS_STORAGE_TANKS]: [Industry.PETROCHEMICAL, Industry.CHEMICAL, Industry.OIL_STORAGE_AND_DISTRIBUTION],
  [ProjectType.VOCS_LOADING]: [Industry.PETROCHEMICAL, Industry.CHEMICAL, Industry.OIL_STORAGE_AND_DISTRIBUTION],
  [ProjectType.VOCS_OPEN_LIQUID_SURFACES]: [Industry.PETROCHEMICAL, Industry.CHEMICAL],
  [ProjectType.VOCS_PETROL_STATION_VAPOUR_RECOVERY]: [Industry.OIL_STORAGE_AND_DISTRIBUTION],
  [ProjectType.VOCS_END_OF_PIPE_UPGRADE]: [Industry.PETROCHEMICAL, Industry.CHEMICAL, Industry.INDUSTRIAL_COATING, Industry.PACKAGING_AND_PRINTING],
  [ProjectType.VOCS_GREEN_ISLAND]: [Industry.INDUSTRIAL_COATING, Industry.PACKAGING_AND_PRINTING],
  [ProjectType.BOILER_ELIMINATION]: [Industry.HEATING_BOILER, Industry.POWER, Industry.CHEMICAL, Industry.OTHER],
  [ProjectType.KILN_ELIMINATION]: [Industry.BRICK_AND_TILE, Industry.LIME, Industry.REFRACTORY, Industry.GLASS],
  [ProjectType.GAS_GENERATOR_ELIMINATION]: [Industry.FOUNDRY, Industry.GLASS, Industry.REFRACTORY, Industry.CHEMICAL],
  [ProjectType.LOW_NOX_BURNER_RETROFIT]: [Industry.HEATING_BOILER, Industry.POWER],
  [ProjectType.RAILWAY_SPUR_LINE]: [Industry.STEEL, Industry.COKING, Industry.POWER, Industry.COAL_WASHING],
  [ProjectType.COKE_OVEN_CLOSURE]: [Industry.COKING],
};

/** Whether a status may follow another in one update (PROJECT_STATUS_TRANSITIONS). */
export function canTransition(from: ProjectStatus, to: ProjectStatus): boolean {
  return PROJECT_STATUS_TRANSITIONS[from].includes(to);
}

/** Statuses a project may be registered with: VERIFIED needs a recorded verification step. */
export const CREATABLE_STATUSES: readonly ProjectStatus[] = [ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED];

/** Whether a number has at most two decimals (yuan and tonnes are kept to the cent / 10 kg). */
export function hasAtMostTwoDecimals(value: number): boolean {
  return Math.abs(Math.round(value * 100) / 100 - value) < 1e-9 * Math.max(1, Math.abs(value));
}
