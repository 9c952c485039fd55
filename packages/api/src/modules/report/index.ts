import { CampaignScorecardResolver, ReportResolver } from './report.resolver.js';

export const REPORT_RESOLVERS = [ReportResolver, CampaignScorecardResolver];
export { ReportService } from './report.service.js';
export { ScorecardService } from './scorecard.service.js';
