/**
 * Compiled reads of geography (common/compiled): regions, provinces and cities, with the same
 * sorts and filters as geography.service.ts.
 */
import { SortDirection } from '../../common/pagination.js';
import { byText, equals, filterRules, fixedOrder, orderFrom, placeRules, type ReadModels } from '../../common/compiled/model.js';
import { City, Province, Region } from './geography.entity.js';
import { CityOrderField } from './geography.types.js';

const inPlanOrder = (t: string) => `${t}.plan_order asc, ${t}.id asc`;
const byId = fixedOrder({ column: 'id', kind: 'number' }, SortDirection.ASC);

export const GEOGRAPHY_READS: ReadModels = {
  types: [
    {
      type: 'Region',
      entity: Region,
      public: true,
      lists: { cities: { node: 'City', column: 'region_code', parentKey: 'code', orderBy: inPlanOrder } },
    },
    {
      type: 'Province',
      entity: Province,
      public: true,
      lists: { cities: { node: 'City', column: 'province_id', orderBy: inPlanOrder } },
    },
    {
      type: 'City',
      entity: City,
      public: true,
      references: {
        province: { node: 'Province', column: 'province_id' },
        region: { node: 'Region', column: 'region_code', targetColumn: 'code' },
      },
    },
  ],
  roots: {
    regions: { kind: 'connection', node: 'Region', order: byId },
    region: { kind: 'one', node: 'Region', where: byText('code', 'code') },
    provinces: { kind: 'connection', node: 'Province', order: byId },
    province: { kind: 'one', node: 'Province', where: byText('slug', 'slug') },
    cities: {
      kind: 'connection',
      node: 'City',
      order: orderFrom(
        {
          [CityOrderField.PLAN_ORDER]: { column: 'plan_order', kind: 'number' },
          [CityOrderField.SLUG]: { column: 'slug', kind: 'text' },
          [CityOrderField.NAME_EN]: { column: 'name_en', kind: 'text' },
        },
        { field: CityOrderField.PLAN_ORDER, direction: SortDirection.ASC },
      ),
      where: filterRules({ ...placeRules('id'), kind: equals('kind', 'text') }),
    },
    city: { kind: 'one', node: 'City', where: byText('slug', 'slug') },
  },
};
