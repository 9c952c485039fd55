import { City, Province, Region } from './geography.entity.js';
import { CityResolver, ProvinceResolver, RegionResolver } from './geography.resolver.js';

export const GEOGRAPHY_ENTITIES = [Region, Province, City];
export const GEOGRAPHY_RESOLVERS = [RegionResolver, ProvinceResolver, CityResolver];
export { Region, Province, City };
export { GeographyService, resolvePlaceFilter, placeCondition, requireCityBySlug } from './geography.service.js';
export { PlaceFilter } from './geography.types.js';
export { GEOGRAPHY_READS } from './geography.reads.js';
