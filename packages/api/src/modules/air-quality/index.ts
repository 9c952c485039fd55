import { AirQualityObservation, OutcomeTarget } from './air-quality.entity.js';
import {
  AirQualityObservationResolver,
  CampaignAttainmentResolver,
  CityAirQualityResolver,
  OutcomeTargetResolver,
} from './air-quality.resolver.js';

export const AIR_QUALITY_ENTITIES = [AirQualityObservation, OutcomeTarget];
export const AIR_QUALITY_RESOLVERS = [AirQualityObservationResolver, OutcomeTargetResolver, CityAirQualityResolver, CampaignAttainmentResolver];
export { AirQualityObservation, OutcomeTarget };
export { AirQualityService } from './air-quality.service.js';
export { dailyAqi, iaqi, primaryPollutants } from './aqi.js';
export { AIR_QUALITY_READS } from './air-quality.reads.js';
