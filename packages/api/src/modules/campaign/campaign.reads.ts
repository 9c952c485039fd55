/** Compiled reads of campaigns (common/compiled): newest first, as campaign.service.ts lists them. */
import { SortDirection } from '../../common/pagination.js';
import { byText, fixedOrder, type ReadModels } from '../../common/compiled/model.js';
import { Campaign } from './campaign.entity.js';

export const CAMPAIGN_READS: ReadModels = {
  types: [{ type: 'Campaign', entity: Campaign, public: true }],
  roots: {
    campaigns: { kind: 'connection', node: 'Campaign', order: fixedOrder({ column: 'period_start', kind: 'date' }, SortDirection.DESC) },
    campaign: { kind: 'one', node: 'Campaign', where: byText('code', 'code') },
  },
};
