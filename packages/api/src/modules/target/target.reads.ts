/**
 * Compiled reads of task targets (common/compiled): their plain fields and places. Progress and
 * the breakdown are computed by target.service.ts and stay with the resolvers.
 */
import type { ReadModels } from '../../common/compiled/model.js';
import { TaskTarget } from './target.entity.js';

export const TARGET_READS: ReadModels = {
  types: [
    {
      type: 'TaskTarget',
      entity: TaskTarget,
      public: true,
      references: {
        province: { node: 'Province', column: 'province_id' },
        city: { node: 'City', column: 'city_id' },
      },
    },
  ],
  roots: {},
};
