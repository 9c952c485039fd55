/**
 * Every migration, in order. Migrations are hand-written SQL (constraints, checks and indexes are
 * part of the contract) and run at start-up. Never edit a migration that has shipped: add one.
 */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129000100Geography } from './Migration20261129000100Geography.js';
import { Migration20261129000200Campaign } from './Migration20261129000200Campaign.js';
import { Migration20261129000300Enterprise } from './Migration20261129000300Enterprise.js';
import { Migration20261129000400TaskTarget } from './Migration20261129000400TaskTarget.js';
import { Migration20261129000500RetrofitProject } from './Migration20261129000500RetrofitProject.js';
import { Migration20261129000600Subsidy } from './Migration20261129000600Subsidy.js';
import { Migration20261129000700AirQuality } from './Migration20261129000700AirQuality.js';
import { Migration20261129000800AccessControl } from './Migration20261129000800AccessControl.js';
import { Migration20261129000900RateLimit } from './Migration20261129000900RateLimit.js';
import { Migration20261202000100SargablePolicies } from './Migration20261202000100SargablePolicies.js';
import { Migration20261202000200KeyIssuers } from './Migration20261202000200KeyIssuers.js';
import { Migration20261202110200AccessPathIndexes } from './Migration20261202110200AccessPathIndexes.js';
import { Migration20261202120100Warning } from './Migration20261202120100Warning.js';
import { Migration20261202120200ReductionList } from './Migration20261202120200ReductionList.js';
import { Migration20261202120300WarningNotify } from './Migration20261202120300WarningNotify.js';
import { Migration20261202130100Supervision } from './Migration20261202130100Supervision.js';
import { Migration20261202130200ClueMeasureCheck } from './Migration20261202130200ClueMeasureCheck.js';
import { Migration20261202140101UltraLowEmissionPublicity } from './Migration20261202140101UltraLowEmissionPublicity.js';
import { Migration20261202140102CombustionUnit } from './Migration20261202140102CombustionUnit.js';
import { Migration20261202170100Import } from './Migration20261202170100Import.js';
import { Migration20261202180100ImportedRows } from './Migration20261202180100ImportedRows.js';
import { Migration20261202184100HouseholdConversion } from './Migration20261202184100HouseholdConversion.js';
import { Migration20261202184200InventoriesSubmissions } from './Migration20261202184200InventoriesSubmissions.js';
import { Migration20261202185100ProtectedClassChain } from './Migration20261202185100ProtectedClassChain.js';
import { Migration20261202190100SubmissionAudit } from './Migration20261202190100SubmissionAudit.js';
import { Migration20261202200201FreightRecord } from './Migration20261202200201FreightRecord.js';
import { Migration20261203010100HeatingSeasonRecords } from './Migration20261203010100HeatingSeasonRecords.js';
import { Migration20261203150100CombustionUnitLocality } from './Migration20261203150100CombustionUnitLocality.js';
import { Migration20261203160100RetrofitProjectCityIndex } from './Migration20261203160100RetrofitProjectCityIndex.js';
// @migration-registry-imports

export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261129000100Geography', class: Migration20261129000100Geography },
  { name: 'Migration20261129000200Campaign', class: Migration20261129000200Campaign },
  { name: 'Migration20261129000300Enterprise', class: Migration20261129000300Enterprise },
  { name: 'Migration20261129000400TaskTarget', class: Migration20261129000400TaskTarget },
  { name: 'Migration20261129000500RetrofitProject', class: Migration20261129000500RetrofitProject },
  { name: 'Migration20261129000600Subsidy', class: Migration20261129000600Subsidy },
  { name: 'Migration20261129000700AirQuality', class: Migration20261129000700AirQuality },
  { name: 'Migration20261129000800AccessControl', class: Migration20261129000800AccessControl },
  { name: 'Migration20261129000900RateLimit', class: Migration20261129000900RateLimit },
  { name: 'Migration20261202000100SargablePolicies', class: Migration20261202000100SargablePolicies },
  { name: 'Migration20261202000200KeyIssuers', class: Migration20261202000200KeyIssuers },
  { name: 'Migration20261202110200AccessPathIndexes', class: Migration20261202110200AccessPathIndexes },
  { name: 'Migration20261202120100Warning', class: Migration20261202120100Warning },
  { name: 'Migration20261202120200ReductionList', class: Migration20261202120200ReductionList },
  { name: 'Migration20261202120300WarningNotify', class: Migration20261202120300WarningNotify },
  { name: 'Migration20261202130100Supervision', class: Migration20261202130100Supervision },
  { name: 'Migration20261202130200ClueMeasureCheck', class: Migration20261202130200ClueMeasureCheck },
  { name: 'Migration20261202140101UltraLowEmissionPublicity', class: Migration20261202140101UltraLowEmissionPublicity },
  { name: 'Migration20261202140102CombustionUnit', class: Migration20261202140102CombustionUnit },
  { name: 'Migration20261202170100Import', class: Migration20261202170100Import },
  { name: 'Migration20261202180100ImportedRows', class: Migration20261202180100ImportedRows },
  { name: 'Migration20261202184100HouseholdConversion', class: Migration20261202184100HouseholdConversion },
  { name: 'Migration20261202184200InventoriesSubmissions', class: Migration20261202184200InventoriesSubmissions },
  { name: 'Migration20261202185100ProtectedClassChain', class: Migration20261202185100ProtectedClassChain },
  { name: 'Migration20261202190100SubmissionAudit', class: Migration20261202190100SubmissionAudit },
  { name: 'Migration20261202200201FreightRecord', class: Migration20261202200201FreightRecord },
  { name: 'Migration20261203010100HeatingSeasonRecords', class: Migration20261203010100HeatingSeasonRecords },
  { name: 'Migration20261203150100CombustionUnitLocality', class: Migration20261203150100CombustionUnitLocality },
  { name: 'Migration20261203160100RetrofitProjectCityIndex', class: Migration20261203160100RetrofitProjectCityIndex },
  // @migration-registry-list
];
