/**
 * The declaration of the cities' heating seasons (common/compiled): filters and sorts read by the
 * compiled lane and the resolvers. Public, like the task targets whose COAL_HOUSEHOLDS progress
 * counts by them, and not city-scoped (every caller's progress reads every city's start).
 */
import { SortDirection } from '../../common/pagination.js';
import { byId, equals, filterRules, orderFrom, placeRules, type ReadModels } from '../../common/compiled/model.js';
import { campaignCode } from './submission.reads.js';
import { HeatingSeason } from './household.entity.js';
import { HeatingSeasonOrderField } from './heating-season.types.js';

const where = filterRules({ ...placeRules(), campaign: campaignCode, origin: equals('origin', 'text') });
const order = orderFrom(
  {
    [HeatingSeasonOrderField.STARTS_ON]: { column: 'starts_on', kind: 'date' },
    [HeatingSeasonOrderField.ENDS_ON]: { column: 'ends_on', kind: 'date' },
    [HeatingSeasonOrderField.UPDATED_AT]: { column: 'updated_at', kind: 'timestamp' },
  },
  { field: HeatingSeasonOrderField.STARTS_ON, direction: SortDirection.ASC },
);

export const HEATING_SEASON_READS: ReadModels = {
  types: [
    {
      type: 'HeatingSeason',
      entity: HeatingSeason,
      public: true,
      references: { city: { node: 'City', column: 'city_id' }, campaign: { node: 'Campaign', column: 'campaign_id' } },
    },
  ],
  roots: {
    heatingSeasons: { kind: 'connection', node: 'HeatingSeason', order, where },
    heatingSeason: { kind: 'one', node: 'HeatingSeason', where: byId() },
  },
};
