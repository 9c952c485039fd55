import { CombustionUnit } from './combustion.entity.js';
import { CombustionUnitResolver, RetrofitProjectEliminatedUnitsResolver } from './combustion.resolver.js';
import { HeatingSeason, HouseholdConversion, Locality } from './household.entity.js';
import { CityHeatingSeasonResolver, HouseholdConversionResolver, LocalityResolver, RetrofitProjectConversionsResolver } from './household.resolver.js';

export const INVENTORY_ENTITIES = [CombustionUnit, Locality, HeatingSeason, HouseholdConversion];
export const INVENTORY_RESOLVERS = [CombustionUnitResolver, RetrofitProjectEliminatedUnitsResolver, LocalityResolver, HouseholdConversionResolver, RetrofitProjectConversionsResolver, CityHeatingSeasonResolver];
export { CombustionUnit, HeatingSeason, HouseholdConversion, Locality };
export { INVENTORY_READS } from './combustion.reads.js';
export { HOUSEHOLD_READS } from './household.reads.js';
