import type { Connection, PageArgs } from '../../common/pagination.js';
import { declaredChildPage, declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { requireKey } from '../../common/auth.js';
import { maskValue, personalValue } from '../../common/privacy.js';
import { HOUSEHOLD_PERSONAL_DATA } from '../subsidy/subsidy.reads.js';
import type { Actor } from '../../common/actor.js';
import type { RequestContext } from '../../context.js';
import { AuditEvent } from './audit.entity.js';
import { AUDIT_READS, HISTORY_READS } from './audit.reads.js';
import type { AuditEventFilter } from './audit.types.js';

/** Column values of an audited row as the API shows them: camelCase names, personal data masked for whoever may not see it. */
export function auditValues(actor: Actor, event: AuditEvent, row: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = v;
  if (event.entity === 'Disbursement') {
    // The personal fields as declared for the API (subsidy.reads.ts); a row of no city is masked for everyone.
    for (const [name, field] of Object.entries(HOUSEHOLD_PERSONAL_DATA)) {
      if (!(name in out)) continue;
      const value = out[name] as string | null;
      out[name] = event.cityId === null ? maskValue(field.mask, value) : personalValue(field, actor, event.cityId, value);
    }
  }
  return out;
}

/** Names of the values that differ between before and after (camelCase; every value for CREATE and DELETE). */
export function changedFields(event: AuditEvent): string[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => k !== 'updated_at' && k !== 'version' && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));
}

/**
 * The declared query of the audit trail (audit.reads.ts, shared by the connection and the
 * export): needs an API key (anonymous: UNAUTHENTICATED), kept to the caller's cities, newest first.
 */
export function auditEventListQuery(ctx: RequestContext, filter: AuditEventFilter | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireKey(ctx, 'Audit events');
  return declaredRootQuery(ctx, [AUDIT_READS], 'auditEvents', { filter }, t);
}

export class AuditService {
  /**
   * The audit trail, newest first. Any API key may read it within its scope (a CITY key the
   * changes of its city's records, ...; changes of records without a city, such as subsidy
   * programs and national keys, are visible to unrestricted keys only). Anonymous: UNAUTHENTICATED.
   */
  static auditEvents(ctx: RequestContext, filter: AuditEventFilter | null | undefined, page: PageArgs): Promise<Connection<AuditEvent>> {
    requireKey(ctx, 'Audit events');
    return declaredPage<AuditEvent>(ctx, [AUDIT_READS], 'auditEvents', { filter, ...page });
  }

  /** The audit trail of one record (`<entity>.history`), newest first; batched over every record of the request. */
  static history(ctx: RequestContext, entity: string, entityId: number, page: PageArgs): Promise<Connection<AuditEvent>> {
    requireKey(ctx, 'Audit events');
    return declaredChildPage<AuditEvent>(ctx, [HISTORY_READS], entity, 'history', entityId, { ...page });
  }
}
