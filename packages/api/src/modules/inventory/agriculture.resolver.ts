import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { AgriculturalCoalFacility, BanZone } from './agriculture.entity.js';
import { AgricultureService } from './agriculture.service.js';
import {
  AgriculturalCoalFacilityConnection,
  AgriculturalCoalFacilityFilter,
  AgriculturalCoalFacilityOrder,
  AgriculturalCoalFacilityPayload,
  BanZoneConnection,
  BanZoneFilter,
  BanZoneOrder,
  BanZonePayload,
  CreateAgriculturalCoalFacilityInput,
  CreateBanZoneInput,
  UpdateAgriculturalCoalFacilityInput,
  UpdateBanZoneInput,
} from './agriculture.types.js';
import { Locality } from './household.entity.js';
import { LocalityService } from './household.service.js';

@Resolver(() => AgriculturalCoalFacility)
export class AgriculturalCoalFacilityResolver {
  @Query(() => AgriculturalCoalFacilityConnection, { description: 'The agricultural coal facility list (农业散煤设施清单), filtered and sorted (needs an API key; a CITY key sees its city\'s).' })
  agriculturalCoalFacilities(
    @Arg('filter', () => AgriculturalCoalFacilityFilter, { nullable: true, description: 'Which facilities to return.' }) filter: AgriculturalCoalFacilityFilter | null,
    @Arg('orderBy', () => AgriculturalCoalFacilityOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending.' }) orderBy: AgriculturalCoalFacilityOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AgricultureService.facilities(ctx, filter, orderBy, page);
  }

  @Query(() => AgriculturalCoalFacility, { nullable: true, description: 'An agricultural coal facility by id (needs an API key).' })
  agriculturalCoalFacility(@Arg('id', () => ID, { description: 'Id of the facility.' }) id: string, @Ctx() ctx: RequestContext) {
    return AgricultureService.facility(ctx, id);
  }

  @Mutation(() => AgriculturalCoalFacilityPayload, { description: 'Adds an agricultural coal facility to a city\'s list (origin RECORDED). A REPLACED facility names the day and the clean energy.' })
  async createAgriculturalCoalFacility(@Arg('input', () => CreateAgriculturalCoalFacilityInput, { description: 'The facility.' }) input: CreateAgriculturalCoalFacilityInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => AgricultureService.createFacility(ctx, em, input));
    return { agriculturalCoalFacility: result, userErrors };
  }

  @Mutation(() => AgriculturalCoalFacilityPayload, { description: 'Changes an agricultural coal facility (the same rules as createAgriculturalCoalFacility). Increments the version.' })
  async updateAgriculturalCoalFacility(@Arg('input', () => UpdateAgriculturalCoalFacilityInput, { description: 'The changes.' }) input: UpdateAgriculturalCoalFacilityInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => AgricultureService.updateFacility(ctx, em, input));
    return { agriculturalCoalFacility: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the facility.' })
  city(@Root() x: AgriculturalCoalFacility, @Ctx() ctx: RequestContext) {
    return LocalityService.cityOf(ctx, x.cityId);
  }

  @FieldResolver(() => Locality, { nullable: true, description: 'Village where the facility stands.' })
  village(@Root() x: AgriculturalCoalFacility, @Ctx() ctx: RequestContext) {
    return AgricultureService.villageOf(ctx, x);
  }

  @FieldResolver(() => RetrofitProject, { nullable: true, description: 'Retrofit project that replaced its coal.' })
  project(@Root() x: AgriculturalCoalFacility, @Ctx() ctx: RequestContext) {
    return AgricultureService.projectOf(ctx, x);
  }
}

@Resolver(() => BanZone)
export class BanZoneResolver {
  @Query(() => BanZoneConnection, { description: 'High-pollution-fuel ban zones (禁燃区), filtered and sorted (needs an API key; a CITY key sees its city\'s).' })
  banZones(
    @Arg('filter', () => BanZoneFilter, { nullable: true, description: 'Which zones to return.' }) filter: BanZoneFilter | null,
    @Arg('orderBy', () => BanZoneOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending.' }) orderBy: BanZoneOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AgricultureService.zones(ctx, filter, orderBy, page);
  }

  @Query(() => BanZone, { nullable: true, description: 'A ban zone by id (needs an API key).' })
  banZone(@Arg('id', () => ID, { description: 'Id of the zone.' }) id: string, @Ctx() ctx: RequestContext) {
    return AgricultureService.zone(ctx, id);
  }

  @Mutation(() => BanZonePayload, { description: 'Designates a ban zone in a city (origin RECORDED).' })
  async createBanZone(@Arg('input', () => CreateBanZoneInput, { description: 'The zone.' }) input: CreateBanZoneInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => AgricultureService.createZone(ctx, em, input));
    return { banZone: result, userErrors };
  }

  @Mutation(() => BanZonePayload, { description: 'Changes a ban zone. Increments the version.' })
  async updateBanZone(@Arg('input', () => UpdateBanZoneInput, { description: 'The changes.' }) input: UpdateBanZoneInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => AgricultureService.updateZone(ctx, em, input));
    return { banZone: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the zone.' })
  city(@Root() z: BanZone, @Ctx() ctx: RequestContext) {
    return LocalityService.cityOf(ctx, z.cityId);
  }
}
