import { WarningSubscriptionResolver } from './warning.subscription.js';
import { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange } from './warning.entity.js';
import { ForecastResolver, RegionalLinkageResolver, WarningResolver } from './warning.resolver.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { WarningReadsResolver } from './reads.resolver.js';
import { CampaignEmergencyFiguresResolver, CityEmergencyFiguresResolver, ProvinceEmergencyFiguresResolver, RegionEmergencyFiguresResolver } from './figures.resolver.js';
import { EnterpriseRequiredMeasureResolver, MeasureCheckResolver, ReductionListEntryResolver } from './reduction.resolver.js';

export const WARNING_ENTITIES = [Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange, ReductionListEntry, MeasureCheck];
export const WARNING_RESOLVERS = [WarningResolver, ForecastResolver, RegionalLinkageResolver, ReductionListEntryResolver, MeasureCheckResolver, EnterpriseRequiredMeasureResolver,
  CityEmergencyFiguresResolver, ProvinceEmergencyFiguresResolver, RegionEmergencyFiguresResolver, CampaignEmergencyFiguresResolver, WarningReadsResolver, WarningSubscriptionResolver];
export { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange };
export { ForecastService, RegionalLinkageService, WarningService } from './warning.service.js';
export { MeasureCheckService, ReductionService } from './reduction.service.js';
export { MeasureCheck, ReductionListEntry };
export { WARNING_READS } from './warning.reads.js';
