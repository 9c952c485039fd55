/**
 * The declaration of the audit trail (common/compiled): `auditEvents` and every record's
 * `history`, newest first, read by the compiled lane, the resolvers (audit.service.ts) and the
 * export. Not public (any API key may read it); scoped by `city_id` like the records (a CITY key
 * the changes of its city's records; changes of records without a city, such as subsidy programs
 * and national keys, only unrestricted keys): audit_event is a city-scoped table of the compiler.
 *
 * `changedFields` is computed in SQL (changedFieldsSql; audit.service.ts changedFields is its twin
 * for the export). `before` and `after` are not declared: they are the stored row values as the
 * API shows them (camelCase names, personal data masked by role and city, numbers and nested
 * values as JavaScript writes them), computed in TypeScript (audit.service.ts auditValues); a
 * query selecting them runs through the resolvers. See docs/architecture.md.
 */
import { SortDirection } from '../../common/pagination.js';
import { LedgerError, UserErrorCode } from '../../common/errors.js';
import { equals, filterRules, fixedOrder, idEquals, placeRules, type ConnectionModel, type FilterKeyRule, type ReadModels, type TypeExtension } from '../../common/compiled/model.js';
import { AuditEvent } from './audit.entity.js';

/** The audit trail is listed newest first (the id breaking ties, newest first too). */
const order = fixedOrder({ column: 'occurred_at', kind: 'timestamp' }, SortDirection.DESC);

const instant = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

const from: FilterKeyRule = (value, q, t) => [`${t}.occurred_at >= ${q.param(instant(value), 'timestamptz')}`];
/** `to`: before this instant; before `from` is INVALID_DATE, raised after the city's lookup. */
const to: FilterKeyRule = (value, q, t, field, filter) => {
  const f = filter?.from;
  if (f !== null && f !== undefined && new Date(instant(f)).getTime() > new Date(instant(value)).getTime()) {
    q.check('true', () => LedgerError.of(field, UserErrorCode.INVALID_DATE, 'Must not be before `from`.'));
  }
  return [`${t}.occurred_at < ${q.param(instant(value), 'timestamptz')}`];
};

export const AUDIT_EVENT_FILTER = filterRules({
  actor: equals('actor_id', 'text'),
  entity: equals('entity', 'text'),
  entityId: idEquals('entity_id'),
  operation: equals('operation', 'text'),
  action: equals('action', 'text'),
  city: placeRules().city,
  from,
  to,
});

/** The types whose records have a `history` (audit.resolver.ts HISTORY_RESOLVERS), by their audit entity name. */
export const HISTORY_ENTITIES = [
  'Enterprise',
  'GradeChange',
  'RetrofitProject',
  'SubsidyProgram',
  'SubsidyBudget',
  'Disbursement',
  'OutcomeTarget',
  'AirQualityObservation',
  'ApiKey',
  'SupervisionRound',
  'Clue',
  'ClueStep',
  'EnforcementAction',
  'FalsificationFinding',
  'FraudListEntry',
  'Inspection',
] as const;

/** `<Type>.history`: the audit events of the record (entity and entity_id), newest first. */
function history(entity: string): ConnectionModel {
  return { node: 'AuditEvent', parentColumn: 'entity_id', order, where: (_args, q, t) => [`${t}.entity = ${q.param(entity, 'text')}`] };
}

/** SQL of a snake_case key as camelCase (`household_id_number` -> `householdIdNumber`), as auditValues writes it. */
function camelSql(k: string): string {
  return `(select string_agg(case when u.i = 1 then u.p else upper(left(u.p, 1)) || substr(u.p, 2) end, '' order by u.i) from unnest(string_to_array(${k}, '_')) with ordinality u(p, i))`;
}

/**
 * SQL (JSON text) of AuditEvent.changedFields on row alias `a`: the keys of before, then those
 * only in after, in their stored order, whose values differ (updated_at and version left out),
 * camelCase (audit.service.ts changedFields).
 */
export function changedFieldsSql(a: string): string {
  const keys = `(select b.k, b.o from jsonb_object_keys(coalesce(${a}.before, '{}')) with ordinality b(k, o) union all select x.k, 1000000 + x.o from jsonb_object_keys(coalesce(${a}.after, '{}')) with ordinality x(k, o))`;
  return `(select coalesce('[' || string_agg(to_json(${camelSql('f.k')})::text, ',' order by f.o) || ']', '[]') from (select y.k, min(y.o) as o from ${keys} y where y.k not in ('updated_at', 'version') and (${a}.before -> y.k) is distinct from (${a}.after -> y.k) group by y.k) f)`;
}

const AUDIT_EVENT_TYPE: ReadModels['types'][number] = {
  type: 'AuditEvent',
  entity: AuditEvent,
  public: false,
  references: { city: { node: 'City', column: 'city_id' } },
  computed: { changedFields: changedFieldsSql },
};

const historyOf = (types: readonly string[]): TypeExtension[] => types.map((type) => ({ type, connections: { history: history(type) } }));

/** The audit trail (`auditEvents`), for the resolvers and the export. */
export const AUDIT_READS: ReadModels = {
  types: [AUDIT_EVENT_TYPE],
  roots: { auditEvents: { kind: 'connection', node: 'AuditEvent', order, where: AUDIT_EVENT_FILTER } },
};

/** Every type's `history`, for the resolvers (audit.resolver.ts), whether or not its type has a read model yet. */
export const HISTORY_READS: ReadModels = { types: [AUDIT_EVENT_TYPE], extensions: historyOf(HISTORY_ENTITIES), roots: {} };

/**
 * The audit trail's read models for the compiled lane: `auditEvents`, and the `history` of the
 * types that have read models among `declared` (a type without one cannot be compiled yet; its
 * history is still read through HISTORY_READS by the resolvers).
 */
export function auditReads(declared: ReadModels[]): ReadModels {
  const types = new Set(declared.flatMap((r) => r.types.map((t) => t.type)));
  return { ...AUDIT_READS, extensions: historyOf(HISTORY_ENTITIES.filter((t) => types.has(t))) };
}
