import { CombustionUnit } from './combustion.entity.js';
import { CombustionUnitResolver, RetrofitProjectEliminatedUnitsResolver } from './combustion.resolver.js';
import { HeatingSeason, HouseholdConversion, Locality } from './household.entity.js';
import { CityHeatingSeasonResolver, HouseholdConversionResolver, LocalityResolver, RetrofitProjectConversionsResolver } from './household.resolver.js';
import { AgriculturalCoalFacility, BanZone } from './agriculture.entity.js';
import { AgriculturalCoalFacilityResolver, BanZoneResolver } from './agriculture.resolver.js';
import { Submission } from './submission.entity.js';
import { HeatingSeasonResolver } from './heating-season.resolver.js';
import { SubmissionResolver } from './submission.resolver.js';

export const INVENTORY_ENTITIES = [CombustionUnit, Locality, HeatingSeason, HouseholdConversion, AgriculturalCoalFacility, BanZone, Submission];
export const INVENTORY_RESOLVERS = [
  CombustionUnitResolver,
  RetrofitProjectEliminatedUnitsResolver,
  LocalityResolver,
  HouseholdConversionResolver,
  RetrofitProjectConversionsResolver,
  CityHeatingSeasonResolver,
  HeatingSeasonResolver,
  AgriculturalCoalFacilityResolver,
  BanZoneResolver,
  SubmissionResolver,
];
export { AgriculturalCoalFacility, BanZone, CombustionUnit, HeatingSeason, HouseholdConversion, Locality, Submission };
export { INVENTORY_READS } from './combustion.reads.js';
export { HOUSEHOLD_READS } from './household.reads.js';
export { AGRICULTURE_READS } from './agriculture.reads.js';
export { SUBMISSION_READS } from './submission.reads.js';
export { HEATING_SEASON_READS } from './heating-season.reads.js';
