import { AuditEvent } from './audit.entity.js';
import { AuditEventResolver, HISTORY_RESOLVERS } from './audit.resolver.js';

export const AUDIT_ENTITIES = [AuditEvent];
export const AUDIT_RESOLVERS: Function[] = [AuditEventResolver, ...HISTORY_RESOLVERS];
export { AuditEvent, AuditAction } from './audit.entity.js';
export { AuditService } from './audit.service.js';
export { AUDIT_READS, auditReads } from './audit.reads.js';
