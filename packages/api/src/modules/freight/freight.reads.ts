/**
 * The declaration of the monthly rail freight records (common/compiled): sorts and filters read by
 * the compiled lane, the resolvers and the exports. Not public (a key is needed), city-scoped.
 */
import { SortDirection } from '../../common/pagination.js';
import { byId, equals, filterRules, orderFrom, placeRules, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { LedgerError, UserErrorCode } from '../../common/errors.js';
import { parseIsoMonth } from '../../common/scalars.js';
import { FreightRecord } from './freight.entity.js';
import { FreightRecordOrderField } from './freight.types.js';

/** A YYYY-MM filter value, or INVALID naming the field. */
function month(value: unknown, field: string): string {
  if (typeof value !== 'string' || !parseIsoMonth(value)) throw LedgerError.of(field, UserErrorCode.INVALID, `"${String(value)}" is not a month (YYYY-MM).`);
  return value;
}

const fromMonth: FilterKeyRule = (value, q, t, field) => [`${t}.month >= ${q.param(month(value, field), 'text')}`];
const toMonth: FilterKeyRule = (value, q, t, field, filter) => {
  const to = month(value, field);
  const from = filter?.fromMonth;
  if (typeof from === 'string' && parseIsoMonth(from) && from > to) throw LedgerError.of(field, UserErrorCode.INVALID_DATE, `toMonth ${to} is before fromMonth ${from}.`);
  return [`${t}.month <= ${q.param(to, 'text')}`];
};

const where = filterRules({ ...placeRules(), railway: equals('railway', 'text'), fromMonth, toMonth, origin: equals('origin', 'text') });
const order = orderFrom(
  {
    [FreightRecordOrderField.MONTH]: { column: 'month', kind: 'text' },
    [FreightRecordOrderField.TONNES]: { column: 'tonnes', kind: 'decimal' },
    [FreightRecordOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
  },
  { field: FreightRecordOrderField.MONTH, direction: SortDirection.ASC },
);

export const FREIGHT_READS: ReadModels = {
  types: [{ type: 'FreightRecord', entity: FreightRecord, public: false, references: { city: { node: 'City', column: 'city_id' } } }],
  roots: {
    freightRecords: { kind: 'connection', node: 'FreightRecord', order, where },
    freightRecord: { kind: 'one', node: 'FreightRecord', where: byId() },
  },
};
