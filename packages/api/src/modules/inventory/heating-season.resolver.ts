import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { HeatingSeason } from './household.entity.js';
import { HeatingSeasonService } from './heating-season.service.js';
import { HeatingSeasonConnection, HeatingSeasonFilter, HeatingSeasonOrder, RecordHeatingSeasonInput, RecordHeatingSeasonPayload } from './heating-season.types.js';

@Resolver(() => HeatingSeason)
export class HeatingSeasonResolver {
  @Query(() => HeatingSeasonConnection, { description: "The cities' heating seasons of the campaigns (public): COAL_HOUSEHOLDS counts each city's conversions put into use by its season's start." })
  heatingSeasons(
    @Arg('filter', () => HeatingSeasonFilter, { nullable: true, description: 'Which seasons to return.' }) filter: HeatingSeasonFilter | null,
    @Arg('orderBy', () => HeatingSeasonOrder, { nullable: true, description: 'Sort; default: STARTS_ON ascending.' }) orderBy: HeatingSeasonOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return HeatingSeasonService.seasons(ctx, filter, orderBy, page);
  }

  @Query(() => HeatingSeason, { nullable: true, description: 'A heating season by id (public).' })
  heatingSeason(@Arg('id', () => ID, { description: 'Id of the season.' }) id: string, @Ctx() ctx: RequestContext) {
    return HeatingSeasonService.season(ctx, id);
  }

  @Mutation(() => RecordHeatingSeasonPayload, {
    description:
      "Records a city's heating season of a campaign (origin RECORDED), or with `version` changes its start and end (incrementing the version): a CITY key for its city, a PROVINCE key for its cities, the ministry for any. The season ends after it starts and lies within the campaign's months. COAL_HOUSEHOLDS counts the city's conversions by the new start at once.",
  })
  async recordHeatingSeason(@Arg('input', () => RecordHeatingSeasonInput, { description: 'The season.' }) input: RecordHeatingSeasonInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => HeatingSeasonService.record(ctx, em, input), { uniqueField: ['input', 'city'] });
    return { heatingSeason: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the season.' })
  city(@Root() x: HeatingSeason, @Ctx() ctx: RequestContext) {
    return HeatingSeasonService.cityOf(ctx, x);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign of the season.' })
  campaign(@Root() x: HeatingSeason, @Ctx() ctx: RequestContext) {
    return HeatingSeasonService.campaignOf(ctx, x);
  }
}
