import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { notFound } from '../../common/errors.js';
import { paginate, SortDirection, type Connection, type OrderSpec, type PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from './campaign.entity.js';

/** Looks up a campaign by code or throws NOT_FOUND naming `field`. */
export async function requireCampaign(em: EntityManager, code: string, field = 'campaign'): Promise<Campaign> {
  const c = await em.findOne(Campaign, { code });
  if (!c) throw notFound('campaign', field, code);
  return c;
}

/** The condition and sort of the campaigns collection, newest first (shared by the connection and the exports). */
export async function campaignListQuery(_ctx: RequestContext): Promise<{ where: FilterQuery<Campaign>; order: OrderSpec }> {
  return { where: {}, order: { property: 'periodStart', direction: SortDirection.DESC } };
}

export class CampaignService {
  /** Newest campaign first. */
  static async campaigns(ctx: RequestContext, page: PageArgs): Promise<Connection<Campaign>> {
    const q = await campaignListQuery(ctx);
    return paginate(ctx.em, Campaign, q.where, q.order, page);
  }

  static async campaign(ctx: RequestContext, code: string): Promise<Campaign> {
    const c = await ctx.loaders.byUnique<Campaign, string>(Campaign, 'code').load(code);
    if (!c) throw notFound('campaign', 'code', code);
    return c;
  }

  static campaignById(ctx: RequestContext, id: number): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(id) as Promise<Campaign>;
  }
}
