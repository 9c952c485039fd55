import { Enterprise, GradeChange } from './enterprise.entity.js';
import { CityEnterprisesResolver, EnterpriseResolver, GradeChangeResolver } from './enterprise.resolver.js';

export const ENTERPRISE_ENTITIES = [Enterprise, GradeChange];
export const ENTERPRISE_RESOLVERS: Function[] = [EnterpriseResolver, GradeChangeResolver, CityEnterprisesResolver];
export { Enterprise, GradeChange };
export { EnterpriseService } from './enterprise.service.js';
export { checkCreditCode, generateCreditCode, isValidCreditCode, normalizeCreditCode } from './credit-code.js';
export { compareGrades, gradeChangeViolations, mayHoldGrade } from './grade-rules.js';
export { ENTERPRISE_READS } from './enterprise.reads.js';
