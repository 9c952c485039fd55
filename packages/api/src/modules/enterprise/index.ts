import { Enterprise, GradeChange } from './enterprise.entity.js';

export const ENTERPRISE_ENTITIES = [Enterprise, GradeChange];
export const ENTERPRISE_RESOLVERS: Function[] = [];
export { Enterprise, GradeChange };
