/**
 * The declaration of the combustion-unit inventory (common/compiled): sorts and filters read by
 * the compiled lane, the resolvers and the exports (combustion.service.ts). The inventory is not
 * public: anonymous callers go to the resolvers (UNAUTHENTICATED).
 */
import { SortDirection } from '../../common/pagination.js';
import { byId, equals, filterRules, idEquals, inList, orderFrom, placeRules, type ReadModels } from '../../common/compiled/model.js';
import { CombustionUnit } from './combustion.entity.js';
import { CombustionUnitOrderField } from './combustion.types.js';
import { withinLocality } from './household.reads.js';

const where = filterRules({
  ...placeRules(),
  localityId: withinLocality('locality_id'),
  kinds: inList('kind'),
  fuels: inList('fuel'),
  statuses: inList('status'),
  enterpriseId: idEquals('enterprise_id'),
  eliminationProjectId: idEquals('elimination_project_id'),
  origin: equals('origin', 'text'),
});

const order = orderFrom(
  {
    [CombustionUnitOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [CombustionUnitOrderField.NAME]: { column: 'name', kind: 'text' },
  },
  { field: CombustionUnitOrderField.CREATED_AT, direction: SortDirection.ASC },
);

export const INVENTORY_READS: ReadModels = {
  types: [
    {
      type: 'CombustionUnit',
      entity: CombustionUnit,
      public: false,
      references: {
        city: { node: 'City', column: 'city_id' },
        locality: { node: 'Locality', column: 'locality_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
        eliminationProject: { node: 'RetrofitProject', column: 'elimination_project_id' },
      },
    },
  ],
  extensions: [{ type: 'RetrofitProject', lists: { eliminatedUnits: { node: 'CombustionUnit', column: 'elimination_project_id', orderBy: (t) => `${t}.id asc` } } }],
  roots: {
    combustionUnits: { kind: 'connection', node: 'CombustionUnit', order, where },
    combustionUnit: { kind: 'one', node: 'CombustionUnit', where: byId() },
  },
};
