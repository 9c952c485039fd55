/**
 * The declaration of the agricultural coal facility list and the ban zones (common/compiled):
 * sorts and filters read by the compiled lane, the resolvers and the exports. Not public.
 */
import { SortDirection } from '../../common/pagination.js';
import { byId, equals, filterRules, idEquals, inList, orderFrom, placeRules, type ReadModels } from '../../common/compiled/model.js';
import { AgriculturalCoalFacility, BanZone } from './agriculture.entity.js';
import { withinLocality } from './household.reads.js';
import { AgriculturalCoalFacilityOrderField, BanZoneOrderField } from './agriculture.types.js';

const facilityWhere = filterRules({ ...placeRules(), localityId: withinLocality('village_id'), kinds: inList('kind'), statuses: inList('status'), projectId: idEquals('project_id'), origin: equals('origin', 'text') });
const facilityOrder = orderFrom(
  { [AgriculturalCoalFacilityOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' }, [AgriculturalCoalFacilityOrderField.NAME]: { column: 'name', kind: 'text' } },
  { field: AgriculturalCoalFacilityOrderField.CREATED_AT, direction: SortDirection.ASC },
);
const zoneWhere = filterRules({ ...placeRules(), designatedBy: (value, q, t) => [`${t}.designated_on <= ${q.param(value, 'date')}`], origin: equals('origin', 'text') });
const zoneOrder = orderFrom(
  {
    [BanZoneOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [BanZoneOrderField.DESIGNATED_ON]: { column: 'designated_on', kind: 'date' },
    [BanZoneOrderField.AREA_KM2]: { column: 'area_km2', kind: 'decimal' },
  },
  { field: BanZoneOrderField.CREATED_AT, direction: SortDirection.ASC },
);

export const AGRICULTURE_READS: ReadModels = {
  types: [
    {
      type: 'AgriculturalCoalFacility',
      entity: AgriculturalCoalFacility,
      public: false,
      references: { city: { node: 'City', column: 'city_id' }, village: { node: 'Locality', column: 'village_id' }, project: { node: 'RetrofitProject', column: 'project_id' } },
    },
    { type: 'BanZone', entity: BanZone, public: false, references: { city: { node: 'City', column: 'city_id' } } },
  ],
  roots: {
    agriculturalCoalFacilities: { kind: 'connection', node: 'AgriculturalCoalFacility', order: facilityOrder, where: facilityWhere },
    agriculturalCoalFacility: { kind: 'one', node: 'AgriculturalCoalFacility', where: byId() },
    banZones: { kind: 'connection', node: 'BanZone', order: zoneOrder, where: zoneWhere },
    banZone: { kind: 'one', node: 'BanZone', where: byId() },
  },
};
