import { TaskTarget, TaskTargetBreakdown } from './target.entity.js';
import { CampaignTaskTargetsResolver, TaskTargetBreakdownResolver, TaskTargetResolver } from './target.resolver.js';

export const TARGET_ENTITIES = [TaskTarget, TaskTargetBreakdown];
export const TARGET_RESOLVERS = [TaskTargetResolver, TaskTargetBreakdownResolver, CampaignTaskTargetsResolver];
export { TaskTarget, TaskTargetBreakdown };
export { TaskTargetService, requireTaskTarget, campaignOrLatest, latestCampaign } from './target.service.js';
export { seedTaskTargets } from './target.seed.js';
export { TARGET_READS } from './target.reads.js';
