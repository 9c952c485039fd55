import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City, Province, Region } from '../geography/geography.entity.js';
import { EmergencyFigures } from './figures.types.js';
import { FiguresService } from './figures.service.js';

const CAMPAIGN = 'Code of the campaign; default: the latest.';
const DESCRIPTION = (of: string) => `Heavy-pollution response figures of ${of} for a campaign (over the caller's cities): warning days by level, heavy days with and without a warning, flagged warnings, list coverage and planned reduction, checks.`;

@Resolver(() => City)
export class CityEmergencyFiguresResolver {
  @FieldResolver(() => EmergencyFigures, { description: DESCRIPTION('the city') })
  emergencyFigures(@Root() city: City, @Arg('campaign', () => String, { nullable: true, description: CAMPAIGN }) campaign: string | null, @Ctx() ctx: RequestContext) {
    return FiguresService.figures(ctx, 'city', city.id, campaign);
  }
}

@Resolver(() => Province)
export class ProvinceEmergencyFiguresResolver {
  @FieldResolver(() => EmergencyFigures, { description: DESCRIPTION('the province\'s cities in scope') })
  emergencyFigures(@Root() province: Province, @Arg('campaign', () => String, { nullable: true, description: CAMPAIGN }) campaign: string | null, @Ctx() ctx: RequestContext) {
    return FiguresService.figures(ctx, 'province', province.id, campaign);
  }
}

@Resolver(() => Region)
export class RegionEmergencyFiguresResolver {
  @FieldResolver(() => EmergencyFigures, { description: DESCRIPTION('the region\'s cities') })
  emergencyFigures(@Root() region: Region, @Arg('campaign', () => String, { nullable: true, description: CAMPAIGN }) campaign: string | null, @Ctx() ctx: RequestContext) {
    return FiguresService.figures(ctx, 'region', region.code, campaign);
  }
}

@Resolver(() => Campaign)
export class CampaignEmergencyFiguresResolver {
  @FieldResolver(() => EmergencyFigures, { description: 'Heavy-pollution response figures of the campaign over every city in scope (of the caller\'s cities).' })
  emergencyFigures(@Root() campaign: Campaign, @Ctx() ctx: RequestContext) {
    return FiguresService.figures(ctx, 'all', 'all', campaign.code);
  }
}
