import { ReportResolver } from './report.resolver.js';

export const REPORT_RESOLVERS = [ReportResolver];
export { ReportService } from './report.service.js';
export { ScorecardService } from './scorecard.service.js';
