import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { HeatingSeason, HouseholdConversion, Locality } from './household.entity.js';
import { HouseholdConversionService, LocalityService } from './household.service.js';
import {
  CreateHouseholdConversionInput,
  CreateLocalityInput,
  HouseholdConversionConnection,
  HouseholdConversionFilter,
  HouseholdConversionOrder,
  HouseholdConversionPayload,
  LocalityConnection,
  LocalityFilter,
  LocalityOrder,
  LocalityPayload,
  UpdateHouseholdConversionInput,
  UpdateLocalityInput,
} from './household.types.js';

@Resolver(() => Locality)
export class LocalityResolver {
  @Query(() => LocalityConnection, { description: 'Counties, townships and villages below the cities (needs an API key; a CITY key sees its city\'s).' })
  localities(
    @Arg('filter', () => LocalityFilter, { nullable: true, description: 'Which localities to return.' }) filter: LocalityFilter | null,
    @Arg('orderBy', () => LocalityOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending.' }) orderBy: LocalityOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return LocalityService.localities(ctx, filter, orderBy, page);
  }

  @Query(() => Locality, { nullable: true, description: 'A locality by id (needs an API key).' })
  locality(@Arg('id', () => ID, { description: 'Id of the locality.' }) id: string, @Ctx() ctx: RequestContext) {
    return LocalityService.locality(ctx, id);
  }

  @Mutation(() => LocalityPayload, { description: 'Adds a county (under its city), a township (under a county) or a village (under a township) of the same city (origin RECORDED).' })
  async createLocality(@Arg('input', () => CreateLocalityInput, { description: 'The locality.' }) input: CreateLocalityInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => LocalityService.create(ctx, em, input), { uniqueField: ['input', 'nameZh'] });
    return { locality: result, userErrors };
  }

  @Mutation(() => LocalityPayload, { description: 'Renames a locality or changes its division code. Increments the version.' })
  async updateLocality(@Arg('input', () => UpdateLocalityInput, { description: 'The changes.' }) input: UpdateLocalityInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => LocalityService.update(ctx, em, input), { uniqueField: ['input', 'nameZh'] });
    return { locality: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City the locality belongs to.' })
  city(@Root() l: Locality, @Ctx() ctx: RequestContext) {
    return LocalityService.cityOf(ctx, l.cityId);
  }

  @FieldResolver(() => Locality, { nullable: true, description: 'The locality it lies in (none for a county).' })
  parent(@Root() l: Locality, @Ctx() ctx: RequestContext) {
    return LocalityService.parentOf(ctx, l);
  }

  @FieldResolver(() => [Locality], { description: 'The localities directly under it (townships of a county, villages of a township), by name.' })
  children(@Root() l: Locality, @Ctx() ctx: RequestContext) {
    return LocalityService.childrenOf(ctx, l);
  }
}

@Resolver(() => HouseholdConversion)
export class HouseholdConversionResolver {
  @Query(() => HouseholdConversionConnection, { description: 'The village conversion list (村级散煤改造清单), filtered and sorted (needs an API key; a CITY key sees its city\'s).' })
  householdConversions(
    @Arg('filter', () => HouseholdConversionFilter, { nullable: true, description: 'Which conversions to return.' }) filter: HouseholdConversionFilter | null,
    @Arg('orderBy', () => HouseholdConversionOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending.' }) orderBy: HouseholdConversionOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return HouseholdConversionService.conversions(ctx, filter, orderBy, page);
  }

  @Query(() => HouseholdConversion, { nullable: true, description: 'A household conversion by id (needs an API key).' })
  householdConversion(@Arg('id', () => ID, { description: 'Id of the conversion.' }) id: string, @Ctx() ctx: RequestContext) {
    return HouseholdConversionService.conversion(ctx, id);
  }

  @Mutation(() => HouseholdConversionPayload, {
    description:
      'Adds households of a village converted off loose coal (origin RECORDED). Refused: an old heating removed before the new supply is stable and has run through a heating season (BUILD_BEFORE_BREAK, 先立后破、不立不破).',
  })
  async createHouseholdConversion(@Arg('input', () => CreateHouseholdConversionInput, { description: 'The conversion.' }) input: CreateHouseholdConversionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => HouseholdConversionService.create(ctx, em, input));
    return { householdConversion: result, userErrors };
  }

  @Mutation(() => HouseholdConversionPayload, { description: 'Changes a household conversion (the same rules as createHouseholdConversion). Increments the version.' })
  async updateHouseholdConversion(@Arg('input', () => UpdateHouseholdConversionInput, { description: 'The changes.' }) input: UpdateHouseholdConversionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => HouseholdConversionService.update(ctx, em, input));
    return { householdConversion: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the conversion.' })
  city(@Root() c: HouseholdConversion, @Ctx() ctx: RequestContext) {
    return LocalityService.cityOf(ctx, c.cityId);
  }

  @FieldResolver(() => Locality, { description: 'Village of the converted households.' })
  village(@Root() c: HouseholdConversion, @Ctx() ctx: RequestContext) {
    return HouseholdConversionService.villageOf(ctx, c);
  }

  @FieldResolver(() => RetrofitProject, { nullable: true, description: 'Clean-heating retrofit project that carried the conversion.' })
  project(@Root() c: HouseholdConversion, @Ctx() ctx: RequestContext) {
    return HouseholdConversionService.projectOf(ctx, c);
  }
}

@Resolver(() => RetrofitProject)
export class RetrofitProjectConversionsResolver {
  @FieldResolver(() => [HouseholdConversion], { description: 'Household conversions the project carried (they count toward COAL_HOUSEHOLDS by their city\'s heating-season start).' })
  householdConversions(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return HouseholdConversionService.conversionsOfProject(ctx, project);
  }
}

@Resolver(() => City)
export class CityHeatingSeasonResolver {
  @FieldResolver(() => HeatingSeason, { nullable: true, description: "The city's heating season of a campaign: COAL_HOUSEHOLDS counts the city's conversions put into use by its start." })
  heatingSeason(
    @Root() city: City,
    @Arg('campaign', () => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' }) campaign: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return LocalityService.heatingSeasonOf(ctx, city, campaign);
  }
}
