/**
 * The declaration of enterprises and grade changes: their sorts, filters and defaults, read by
 * the compiled lane (common/compiled/compiler.ts) and by the resolvers and exports
 * (common/compiled/declared.ts, enterprise.service.ts).
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  CANNOT,
  equals,
  filterRules,
  fixedOrder,
  idEquals,
  inList,
  isSet,
  orderFrom,
  placeRules,
  type ConditionRule,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { likeLiteral } from '../../common/sql.js';
import { LedgerError, UserErrorCode } from '../../common/errors.js';
import { Enterprise, GradeChange } from './enterprise.entity.js';
import { EnterpriseOrderField } from './enterprise.types.js';

/** Start of a China Standard Time day (UTC+8) as an instant. */
export function chinaDayStart(day: string, plusDays = 0): Date {
  const d = new Date(`${day}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d;
}

const enterpriseOrder = orderFrom(
  {
    [EnterpriseOrderField.NAME]: { column: 'name', kind: 'text' },
    [EnterpriseOrderField.CREDIT_CODE]: { column: 'credit_code', kind: 'text' },
    [EnterpriseOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
  },
  { field: EnterpriseOrderField.NAME, direction: SortDirection.ASC },
);

/** Grade changes: newest first (decision time, then id), always. */
const gradeChangeOrder = fixedOrder({ column: 'decided_at', kind: 'timestamp' }, SortDirection.DESC);

const search: FilterKeyRule = (value, q, t) => {
  const text = String(value).trim();
  if (!text) return [];
  return [`(${t}.name ilike ${q.param(`%${likeLiteral(text)}%`, 'text')} or ${t}.credit_code like ${q.param(`${likeLiteral(text.toUpperCase())}%`, 'text')})`];
};

/** The attribute filters of enterprises (everything but place), key by key. */
const ATTRIBUTES: Record<string, FilterKeyRule> = {
  industries: inList('industry'),
  sizes: inList('size'),
  grades: inList('current_grade'),
  graded: isSet('current_grade'),
  ultraLowEmissionStatuses: inList('ultra_low_emission_status'),
  keyDischarger: equals('key_discharger', 'boolean'),
  onlineMonitoring: equals('online_monitoring', 'boolean'),
  protectedClasses: inList('protected_class'),
  benchmark: equals('benchmark', 'boolean'),
  positiveList: equals('positive_list', 'boolean'),
  origin: equals('origin', 'text'),
  search,
};

const gradeChangeRules = filterRules({
  ...placeRules(),
  enterpriseId: idEquals('enterprise_id'),
  reasons: inList('reason'),
  toGrades: inList('to_grade'),
  decidedFrom: (value, q, t) => [`${t}.decided_at >= ${q.param(chinaDayStart(String(value)).toISOString(), 'timestamptz')}`],
  decidedTo: (value, q, t) => [`${t}.decided_at < ${q.param(chinaDayStart(String(value), 1).toISOString(), 'timestamptz')}`],
  origin: equals('origin', 'text'),
});

/** Grade changes: decidedTo before decidedFrom is INVALID_DATE (after an enterpriseId that is not an id). */
const gradeChangeWhere: ConditionRule = Object.assign(
  ((args, q, t) => {
    const conditions = gradeChangeRules(args, q, t);
    const filter = args.filter as { decidedFrom?: string | null; decidedTo?: string | null } | null | undefined;
    if (filter?.decidedFrom && filter.decidedTo && filter.decidedFrom > filter.decidedTo) {
      throw LedgerError.of('filter.decidedTo', UserErrorCode.INVALID_DATE, 'decidedTo is before decidedFrom.');
    }
    return conditions;
  }) as ConditionRule,
  { keys: gradeChangeRules.keys, argument: gradeChangeRules.argument },
);

export const ENTERPRISE_READS: ReadModels = {
  types: [
    {
      type: 'Enterprise',
      entity: Enterprise,
      public: true,
      references: { city: { node: 'City', column: 'city_id' } },
      connections: { gradeChanges: { node: 'GradeChange', parentColumn: 'enterprise_id', order: gradeChangeOrder } },
    },
    {
      type: 'GradeChange',
      entity: GradeChange,
      public: true,
      references: {
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
        city: { node: 'City', column: 'city_id' },
      },
    },
  ],
  extensions: [
    {
      type: 'City',
      connections: { enterprises: { node: 'Enterprise', parentColumn: 'city_id', order: enterpriseOrder, where: filterRules(ATTRIBUTES) } },
    },
  ],
  roots: {
    enterprises: { kind: 'connection', node: 'Enterprise', order: enterpriseOrder, where: filterRules({ ...placeRules(), ...ATTRIBUTES }) },
    enterprise: { kind: 'one', node: 'Enterprise', where: byId() },
    gradeChanges: { kind: 'connection', node: 'GradeChange', order: gradeChangeOrder, where: gradeChangeWhere },
  },
};
