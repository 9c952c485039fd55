import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from './campaign.entity.js';
import { CampaignService } from './campaign.service.js';
import { CampaignConnection } from './campaign.types.js';

@Resolver(() => Campaign)
export class CampaignResolver {
  @Query(() => CampaignConnection, { description: 'Campaigns, newest first.' })
  campaigns(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    return CampaignService.campaigns(ctx, page);
  }

  @Query(() => Campaign, { nullable: true, description: 'A campaign by code, e.g. "2023-2024-autumn-winter".' })
  campaign(@Arg('code', () => String, { description: 'Code of the campaign.' }) code: string, @Ctx() ctx: RequestContext) {
    return CampaignService.campaign(ctx, code);
  }
}
