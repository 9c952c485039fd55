/**
 * The registry of domain modules: every entity and resolver of the API is listed here once.
 * Keep one line per module, in dependency order.
 */
import type { NonEmptyArray } from 'type-graphql';
import type { ReadModels } from '../common/compiled/model.js';
import { GEOGRAPHY_ENTITIES, GEOGRAPHY_RESOLVERS, GEOGRAPHY_READS } from './geography/index.js';
import { CAMPAIGN_ENTITIES, CAMPAIGN_RESOLVERS, CAMPAIGN_READS } from './campaign/index.js';
import { ENTERPRISE_ENTITIES, ENTERPRISE_RESOLVERS, ENTERPRISE_READS } from './enterprise/index.js';
import { AIR_QUALITY_ENTITIES, AIR_QUALITY_RESOLVERS, AIR_QUALITY_READS } from './air-quality/index.js';
import { SUBSIDY_ENTITIES, SUBSIDY_RESOLVERS, SUBSIDY_READS } from './subsidy/index.js';
import { TARGET_ENTITIES, TARGET_RESOLVERS, TARGET_READS } from './target/index.js';
import { PROJECT_ENTITIES, PROJECT_RESOLVERS, PROJECT_READS } from './project/index.js';
import { REPORT_RESOLVERS } from './report/index.js';
import { AUTH_ENTITIES, AUTH_RESOLVERS, AUTH_READS } from './auth/index.js';
import { AUDIT_ENTITIES, AUDIT_RESOLVERS, auditReads } from './audit/index.js';
import { DATASET_RESOLVERS } from './dataset/index.js';
import { IMPORT_RESOLVERS } from './import/index.js';
import { SUPERVISION_ENTITIES, SUPERVISION_RESOLVERS, SUPERVISION_READS } from './supervision/index.js';
import { WARNING_ENTITIES, WARNING_RESOLVERS, WARNING_READS } from './warning/index.js';
import { INVENTORY_ENTITIES, INVENTORY_RESOLVERS, INVENTORY_READS, HOUSEHOLD_READS, AGRICULTURE_READS, SUBMISSION_READS, HEATING_SEASON_READS } from './inventory/index.js';
import { FREIGHT_ENTITIES, FREIGHT_RESOLVERS, FREIGHT_READS } from './freight/index.js';
// @module-registry-imports (one import line per module below this marker)

export const ENTITIES = [
  ...GEOGRAPHY_ENTITIES,
  ...CAMPAIGN_ENTITIES,
  ...ENTERPRISE_ENTITIES,
  ...AIR_QUALITY_ENTITIES,
  ...SUBSIDY_ENTITIES,
  ...TARGET_ENTITIES,
  ...PROJECT_ENTITIES,
  ...AUTH_ENTITIES,
  ...AUDIT_ENTITIES,
  ...SUPERVISION_ENTITIES,
  ...WARNING_ENTITIES,
  ...INVENTORY_ENTITIES,
  ...FREIGHT_ENTITIES,
  // @module-registry-entities
];

export const RESOLVERS = [
  ...GEOGRAPHY_RESOLVERS,
  ...CAMPAIGN_RESOLVERS,
  ...ENTERPRISE_RESOLVERS,
  ...AIR_QUALITY_RESOLVERS,
  ...SUBSIDY_RESOLVERS,
  ...TARGET_RESOLVERS,
  ...PROJECT_RESOLVERS,
  ...REPORT_RESOLVERS,
  ...AUTH_RESOLVERS,
  ...AUDIT_RESOLVERS,
  ...DATASET_RESOLVERS,
  ...IMPORT_RESOLVERS,
  ...SUPERVISION_RESOLVERS,
  ...WARNING_RESOLVERS,
  ...INVENTORY_RESOLVERS,
  ...FREIGHT_RESOLVERS,
  // @module-registry-resolvers
] as unknown as NonEmptyArray<Function>;

/** Read models of compiled reads (common/compiled): one line per module that declares some. */
const DECLARED_READS: ReadModels[] = [
  GEOGRAPHY_READS,
  CAMPAIGN_READS,
  ENTERPRISE_READS,
  AIR_QUALITY_READS,
  SUBSIDY_READS,
  TARGET_READS,
  PROJECT_READS,
  SUPERVISION_READS,
  WARNING_READS,
  INVENTORY_READS,
  HOUSEHOLD_READS,
  AGRICULTURE_READS,
  SUBMISSION_READS,
  HEATING_SEASON_READS,
  FREIGHT_READS,
  AUTH_READS,
  // @module-registry-reads
];

/** Read models of compiled reads: the modules' declarations, and the audit trail with the `history` of each declared type that has one. */
export const READ_MODELS: ReadModels[] = [...DECLARED_READS, auditReads(DECLARED_READS)];
