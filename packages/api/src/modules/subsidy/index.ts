import { Disbursement, SubsidyBudget, SubsidyProgram } from './subsidy.entity.js';
import { CitySubsidyResolver, DisbursementResolver, SubsidyBudgetResolver, SubsidyProgramResolver } from './subsidy.resolver.js';

export const SUBSIDY_ENTITIES = [SubsidyProgram, SubsidyBudget, Disbursement];
export const SUBSIDY_RESOLVERS = [SubsidyProgramResolver, SubsidyBudgetResolver, DisbursementResolver, CitySubsidyResolver];
export { SubsidyProgram, SubsidyBudget, Disbursement };
export { SubsidyService } from './subsidy.service.js';
export { SUBSIDY_READS } from './subsidy.reads.js';
