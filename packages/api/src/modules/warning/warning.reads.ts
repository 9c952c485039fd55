/**
 * The collections of heavy-pollution response, declared once (common/compiled/model.ts): the
 * compiled lane and the resolvers (common/compiled/declared.ts) both read them from here.
 */
import { SortDirection } from '../../common/pagination.js';
import { equals, filterRules, inList, orderFrom, placeRules, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { Forecast, RegionalLinkage, Warning } from './warning.entity.js';
import { ForecastOrderField, MeasureCheckOrderField, ReductionListEntryOrderField, RegionalLinkageOrderField, WarningOrderField } from './reads.types.js';

/** Day bounds (China Standard Time) on an instant column. */
const fromDay = (column: string): FilterKeyRule => (value, q, t) => [`${t}.${column} >= (${q.param(value, 'date')}::timestamp at time zone 'Asia/Shanghai')`];
const toDay = (column: string): FilterKeyRule => (value, q, t) => [`${t}.${column} < ((${q.param(value, 'date')} + 1)::timestamp at time zone 'Asia/Shanghai')`];
const campaignIs: FilterKeyRule = (value, q, t) => [`${t}.campaign_id in (select k.id from campaign k where k.code = ${q.param(value, 'text')})`];

const warningOrder = orderFrom(
  { [WarningOrderField.EFFECTIVE_FROM]: { column: 'effective_from', kind: 'timestamp' }, [WarningOrderField.ISSUED_AT]: { column: 'issued_at', kind: 'timestamp' } },
  { field: WarningOrderField.EFFECTIVE_FROM, direction: SortDirection.DESC },
);
const forecastOrder = orderFrom({ [ForecastOrderField.ISSUED_AT]: { column: 'issued_at', kind: 'timestamp' } }, { field: ForecastOrderField.ISSUED_AT, direction: SortDirection.DESC });
const linkageOrder = orderFrom({ [RegionalLinkageOrderField.EFFECTIVE_FROM]: { column: 'effective_from', kind: 'timestamp' } }, { field: RegionalLinkageOrderField.EFFECTIVE_FROM, direction: SortDirection.DESC });
const entryOrder = orderFrom({ [ReductionListEntryOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' } }, { field: ReductionListEntryOrderField.CREATED_AT, direction: SortDirection.ASC });
const checkOrder = orderFrom({ [MeasureCheckOrderField.CHECKED_AT]: { column: 'checked_at', kind: 'timestamp' } }, { field: MeasureCheckOrderField.CHECKED_AT, direction: SortDirection.DESC });

const warningWhere = filterRules({
  ...placeRules(),
  levels: inList('level'),
  flagged: (value, _q, t) => [value ? `${t}.flag_reasons <> '{}'` : `${t}.flag_reasons = '{}'`],
  open: (value, _q, t) => [value ? `${t}.lifted_at is null` : `${t}.lifted_at is not null`],
  effectiveFrom: fromDay('effective_from'),
  effectiveTo: toDay('effective_from'),
  origin: equals('origin', 'text'),
});

export const WARNING_READS: ReadModels = {
  types: [
    { type: 'Warning', entity: Warning, public: true, references: { city: { node: 'City', column: 'city_id' } } },
    { type: 'Forecast', entity: Forecast, public: true, references: { city: { node: 'City', column: 'city_id' } } },
    { type: 'RegionalLinkage', entity: RegionalLinkage, public: true },
    { type: 'ReductionListEntry', entity: ReductionListEntry, public: false, references: { city: { node: 'City', column: 'city_id' }, enterprise: { node: 'Enterprise', column: 'enterprise_id' } } },
    { type: 'MeasureCheck', entity: MeasureCheck, public: false, references: { city: { node: 'City', column: 'city_id' }, enterprise: { node: 'Enterprise', column: 'enterprise_id' } } },
  ],
  roots: {
    warnings: { kind: 'connection', node: 'Warning', order: warningOrder, where: warningWhere },
    forecasts: {
      kind: 'connection',
      node: 'Forecast',
      order: forecastOrder,
      where: filterRules({ ...placeRules(), sources: inList('source'), issuedFrom: fromDay('issued_at'), issuedTo: toDay('issued_at'), origin: equals('origin', 'text') }),
    },
    regionalLinkages: { kind: 'connection', node: 'RegionalLinkage', order: linkageOrder, where: filterRules({ levels: inList('level'), origin: equals('origin', 'text') }) },
    reductionListEntries: {
      kind: 'connection',
      node: 'ReductionListEntry',
      order: entryOrder,
      where: filterRules({ ...placeRules(), campaign: campaignIs, gradesAtListing: inList('grade_at_listing'), protectedExempt: equals('protected_exempt', 'boolean'), origin: equals('origin', 'text') }),
    },
    measureChecks: {
      kind: 'connection',
      node: 'MeasureCheck',
      order: checkOrder,
      where: filterRules({ ...placeRules(), results: inList('result'), methods: inList('method'), proposalStatuses: inList('proposal_status'), checkedFrom: fromDay('checked_at'), checkedTo: toDay('checked_at') }),
    },
  },
};
