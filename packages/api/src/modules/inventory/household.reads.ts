/**
 * The declaration of the place hierarchy below the city (localities) and the village conversion
 * list (household conversions): sorts and filters read by the compiled lane and by the resolvers
 * and exports (common/compiled/declared.ts, household.service.ts). Neither is public: anonymous
 * callers go to the resolvers (UNAUTHENTICATED); a CITY key reads its city's rows only.
 */
import { SortDirection } from '../../common/pagination.js';
import { likeLiteral } from '../../common/sql.js';
import { byId, equals, filterRules, idEquals, inList, orderFrom, placeRules, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { parseId } from '../../common/ids.js';
import { HouseholdConversion, Locality } from './household.entity.js';
import { HouseholdConversionOrderField, LocalityOrderField } from './household.types.js';

const search: FilterKeyRule = (value, q, t) => {
  const text = String(value).trim();
  return text ? [`${t}.name_zh like ${q.param(`%${likeLiteral(text)}%`, 'text')}`] : [];
};

const localityWhere = filterRules({
  ...placeRules(),
  levels: inList('level'),
  parentId: idEquals('parent_id'),
  search,
  origin: equals('origin', 'text'),
});

const localityOrder = orderFrom(
  {
    [LocalityOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [LocalityOrderField.NAME_ZH]: { column: 'name_zh', kind: 'text' },
  },
  { field: LocalityOrderField.CREATED_AT, direction: SortDirection.ASC },
);

/**
 * Records whose place (`column`, a locality id) lies in the locality given: the locality itself,
 * or any place under it (a township's villages; a county's townships and their villages). The one
 * rule of every list with a place below the city (village conversions by village, combustion units
 * by any level).
 */
export const withinLocality =
  (column: string): FilterKeyRule =>
  (value, q, t, field) => {
    const id = q.param(parseId(value as string, field), 'integer');
    return [`${t}.${column} in (select v.id from locality v left join locality w on w.id = v.parent_id where v.id = ${id} or w.id = ${id} or w.parent_id = ${id})`];
  };

const dateBound = (column: string, op: '>=' | '<='): FilterKeyRule => (value, q, t) => [`${t}.${column} ${op} ${q.param(value, 'date')}`];

const conversionWhere = filterRules({
  ...placeRules(),
  localityId: withinLocality('village_id'),
  newSystems: inList('new_system'),
  projectId: idEquals('project_id'),
  oldHeatingRemoved: (value, _q, t) => [value ? `${t}.old_heating_removed_on is not null` : `${t}.old_heating_removed_on is null`],
  convertedFrom: dateBound('converted_on', '>='),
  convertedTo: dateBound('converted_on', '<='),
  origin: equals('origin', 'text'),
});

const conversionOrder = orderFrom(
  {
    [HouseholdConversionOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [HouseholdConversionOrderField.CONVERTED_ON]: { column: 'converted_on', kind: 'date' },
    [HouseholdConversionOrderField.HOUSEHOLDS]: { column: 'households', kind: 'number' },
  },
  { field: HouseholdConversionOrderField.CREATED_AT, direction: SortDirection.ASC },
);

export const HOUSEHOLD_READS: ReadModels = {
  types: [
    {
      type: 'Locality',
      entity: Locality,
      public: false,
      references: { city: { node: 'City', column: 'city_id' }, parent: { node: 'Locality', column: 'parent_id' } },
      lists: { children: { node: 'Locality', column: 'parent_id', orderBy: (t) => `${t}.name_zh, ${t}.id` } },
    },
    {
      type: 'HouseholdConversion',
      entity: HouseholdConversion,
      public: false,
      references: {
        city: { node: 'City', column: 'city_id' },
        village: { node: 'Locality', column: 'village_id' },
        project: { node: 'RetrofitProject', column: 'project_id' },
      },
    },
  ],
  extensions: [{ type: 'RetrofitProject', lists: { householdConversions: { node: 'HouseholdConversion', column: 'project_id', orderBy: (t) => `${t}.id asc` } } }],
  roots: {
    localities: { kind: 'connection', node: 'Locality', order: localityOrder, where: localityWhere },
    locality: { kind: 'one', node: 'Locality', where: byId() },
    householdConversions: { kind: 'connection', node: 'HouseholdConversion', order: conversionOrder, where: conversionWhere },
    householdConversion: { kind: 'one', node: 'HouseholdConversion', where: byId() },
  },
};
