import type { EntityManager } from '@mikro-orm/postgresql';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { notFound } from '../../common/errors.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from './campaign.entity.js';
import { CAMPAIGN_READS } from './campaign.reads.js';

/** Looks up a campaign by code or throws NOT_FOUND naming `field`. */
export async function requireCampaign(em: EntityManager, code: string, field = 'campaign'): Promise<Campaign> {
  const c = await em.findOne(Campaign, { code });
  if (!c) throw notFound('campaign', field, code);
  return c;
}

/** The sort of the campaigns collection, newest first (exports): its declaration (campaign.reads.ts) on alias `t`. */
export function campaignListQuery(ctx: RequestContext, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [CAMPAIGN_READS], 'campaigns', {}, t);
}

export class CampaignService {
  /** Newest campaign first. */
  static campaigns(ctx: RequestContext, page: PageArgs): Promise<Connection<Campaign>> {
    return declaredPage(ctx, [CAMPAIGN_READS], 'campaigns', { ...page });
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
