import { Campaign } from './campaign.entity.js';
import { CampaignResolver } from './campaign.resolver.js';

export const CAMPAIGN_ENTITIES = [Campaign];
export const CAMPAIGN_RESOLVERS = [CampaignResolver];
export { Campaign };
export { CampaignService, requireCampaign } from './campaign.service.js';
export { CAMPAIGN_READS } from './campaign.reads.js';
