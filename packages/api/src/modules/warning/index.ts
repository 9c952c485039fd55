import { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange } from './warning.entity.js';
import { WarningResolver } from './warning.resolver.js';

export const WARNING_ENTITIES = [Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange];
export const WARNING_RESOLVERS = [WarningResolver];
export { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange };
export { WarningService } from './warning.service.js';
