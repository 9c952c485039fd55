import type { FilterQuery } from '@mikro-orm/postgresql';
import { LedgerError, notFound, UserErrorCode } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { paginate, SortDirection, type Connection, type OrderSpec, type PageArgs } from '../../common/pagination.js';
import { maskIdNumber, maskName, requireKey, scopeWhere, seesPersonalData } from '../../common/auth.js';
import type { Actor } from '../../common/actor.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { AuditEvent } from './audit.entity.js';
import type { AuditEventFilter } from './audit.types.js';

/** The audit trail is listed newest first. */
export const AUDIT_ORDER: OrderSpec = { property: 'occurredAt', direction: SortDirection.DESC };

/** Column values of an audited row as the API shows them: camelCase names, personal data masked for whoever may not see it. */
export function auditValues(actor: Actor, event: AuditEvent, row: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = v;
  if (event.entity === 'Disbursement' && (event.cityId === null || !seesPersonalData(actor, event.cityId))) {
    if ('householdName' in out) out.householdName = maskName(out.householdName as string | null);
    if ('householdIdNumber' in out) out.householdIdNumber = maskIdNumber(out.householdIdNumber as string | null);
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
 * The condition and sort of the audit trail (shared by the connection and the exports): needs an
 * API key (anonymous: UNAUTHENTICATED), kept to the caller's scope, newest first.
 */
export async function auditEventListQuery(
  ctx: RequestContext,
  filter: AuditEventFilter | null | undefined,
): Promise<{ where: FilterQuery<AuditEvent>; order: OrderSpec }> {
  requireKey(ctx, 'Audit events');
  const and: FilterQuery<AuditEvent>[] = [scopeWhere<AuditEvent>(ctx)];
  if (filter?.actor) and.push({ actor: filter.actor });
  if (filter?.entity) and.push({ entity: filter.entity });
  if (filter?.entityId !== null && filter?.entityId !== undefined) and.push({ entityId: parseId(filter.entityId, 'filter.entityId') });
  if (filter?.operation) and.push({ operation: filter.operation });
  if (filter?.action) and.push({ action: filter.action });
  if (filter?.city) {
    const city = await ctx.em.findOne(City, { slug: filter.city });
    if (!city) throw notFound('city', 'filter.city', filter.city);
    and.push({ cityId: city.id });
  }
  if (filter?.from && filter.to && filter.from.getTime() > filter.to.getTime()) {
    throw LedgerError.of('filter.to', UserErrorCode.INVALID_DATE, 'Must not be before `from`.');
  }
  if (filter?.from) and.push({ occurredAt: { $gte: filter.from } });
  if (filter?.to) and.push({ occurredAt: { $lt: filter.to } });
  return { where: { $and: and } as FilterQuery<AuditEvent>, order: AUDIT_ORDER };
}

export class AuditService {
  /**
   * The audit trail, newest first. Any API key may read it within its scope (a CITY key the
   * changes of its city's records, ...; changes of records without a city, such as subsidy
   * programs and national keys, are visible to unrestricted keys only). Anonymous: UNAUTHENTICATED.
   */
  static async auditEvents(ctx: RequestContext, filter: AuditEventFilter | null | undefined, page: PageArgs): Promise<Connection<AuditEvent>> {
    const q = await auditEventListQuery(ctx, filter);
    return paginate(ctx.em, AuditEvent, q.where, q.order, page);
  }

  /** The audit trail of one record, newest first; batched over every record of the request. */
  static history(ctx: RequestContext, entity: string, entityId: number, page: PageArgs): Promise<Connection<AuditEvent>> {
    requireKey(ctx, 'Audit events');
    const where = { $and: [{ entity }, scopeWhere<AuditEvent>(ctx)] } as FilterQuery<AuditEvent>;
    return ctx.loaders.childConnection(AuditEvent, 'entityId', entityId, where, AUDIT_ORDER, page);
  }
}
