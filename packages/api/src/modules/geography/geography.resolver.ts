import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RegionCode } from '@airledger/schema';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City, Province, Region } from './geography.entity.js';
import { GeographyService } from './geography.service.js';
import { CityConnection, CityFilter, CityOrder, ProvinceConnection, RegionConnection } from './geography.types.js';

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => RegionConnection, { description: 'The key regions of the campaign.' })
  regions(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    return GeographyService.regions(ctx, page);
  }

  @Query(() => Region, { nullable: true, description: 'A region by code.' })
  region(@Arg('code', () => RegionCode, { description: 'Code of the region.' }) code: RegionCode, @Ctx() ctx: RequestContext) {
    return GeographyService.region(ctx, code);
  }

  @FieldResolver(() => [City], { description: 'Cities of the region, in the plan\'s order.' })
  cities(@Root() region: Region, @Ctx() ctx: RequestContext) {
    return GeographyService.citiesOfRegion(ctx, region.code);
  }
}

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => ProvinceConnection, { description: 'Provinces with cities in the campaign.' })
  provinces(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    return GeographyService.provinces(ctx, page);
  }

  @Query(() => Province, { nullable: true, description: 'A province by slug, e.g. "hebei".' })
  province(@Arg('slug', () => String, { description: 'Slug of the province.' }) slug: string, @Ctx() ctx: RequestContext) {
    return GeographyService.province(ctx, slug);
  }

  @FieldResolver(() => [City], { description: 'Cities of the province in the campaign, in the plan\'s order.' })
  cities(@Root() province: Province, @Ctx() ctx: RequestContext) {
    return GeographyService.citiesOfProvince(ctx, province.id);
  }
}

@Resolver(() => City)
export class CityResolver {
  @Query(() => CityConnection, { description: 'The 56 cities of the campaign, filtered and sorted.' })
  cities(
    @Arg('filter', () => CityFilter, { nullable: true, description: 'Which cities to return.' }) filter: CityFilter | null,
    @Arg('orderBy', () => CityOrder, { nullable: true, description: 'Sort; default: the plan\'s order.' }) orderBy: CityOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return GeographyService.cities(ctx, filter, orderBy, page);
  }

  @Query(() => City, { nullable: true, description: 'A city by slug, e.g. "shijiazhuang".' })
  city(@Arg('slug', () => String, { description: 'Slug of the city.' }) slug: string, @Ctx() ctx: RequestContext) {
    return GeographyService.city(ctx, slug);
  }

  @FieldResolver(() => Province, { description: 'Province of the city.' })
  province(@Root() city: City, @Ctx() ctx: RequestContext) {
    return GeographyService.provinceOf(ctx, city);
  }

  @FieldResolver(() => Region, { description: 'Region of the city.' })
  region(@Root() city: City, @Ctx() ctx: RequestContext) {
    return GeographyService.regionOf(ctx, city);
  }
}
