import type { EntityManager, FilterQuery, QBFilterQuery } from '@mikro-orm/postgresql';
import { notFound } from '../../common/errors.js';
import { SortDirection, type Connection, type PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { City, Province, Region } from './geography.entity.js';
import { GEOGRAPHY_READS } from './geography.reads.js';
import type { CityFilter, CityOrder, PlaceFilter } from './geography.types.js';

/**
 * Resolves a place filter (region / province slug / city slug) into the ids of the cities it
 * selects, or undefined when it selects every city. Unknown slugs are NOT_FOUND errors naming
 * `<fieldPrefix>.province` or `<fieldPrefix>.city`. Every city-scoped collection uses this, so
 * that filtering by place means the same everywhere.
 */
export async function resolvePlaceFilter(em: EntityManager, filter: PlaceFilter | null | undefined, fieldPrefix = 'filter'): Promise<number[] | undefined> {
  if (!filter || (!filter.region && !filter.province && !filter.city)) return undefined;
  const where: FilterQuery<City> = {};
  if (filter.region) where.regionCode = filter.region;
  if (filter.province) {
    const province = await em.findOne(Province, { slug: filter.province });
    if (!province) throw notFound('province', `${fieldPrefix}.province`, filter.province);
    where.provinceId = province.id;
  }
  if (filter.city) {
    const city = await em.findOne(City, { slug: filter.city });
    if (!city) throw notFound('city', `${fieldPrefix}.city`, filter.city);
    where.id = city.id;
  }
  return cityIdsWhere(em, where);
}

/**
 * The ids of the cities `where` selects, in id order, read as plain rows: an `em.find` with
 * `fields: ['id']` would leave id-only City entities in the request's identity map, and a later
 * read of those cities in the same request would answer their other fields as null.
 */
export async function cityIdsWhere(em: EntityManager, where: QBFilterQuery<City> = {}): Promise<number[]> {
  const rows = await em.createQueryBuilder(City).select('id').where(where).orderBy({ id: 'asc' }).execute('all');
  return (rows as { id: number }[]).map((r) => r.id);
}

/** A city-scoped filter condition on `cityId` for a place filter. */
export async function placeCondition(em: EntityManager, filter: PlaceFilter | null | undefined, fieldPrefix = 'filter'): Promise<{ cityId?: { $in: number[] } }> {
  const ids = await resolvePlaceFilter(em, filter, fieldPrefix);
  return ids ? { cityId: { $in: ids } } : {};
}

/** Looks up a city by slug or throws NOT_FOUND naming `field`. */
export async function requireCityBySlug(em: EntityManager, slug: string, field: string): Promise<City> {
  const city = await em.findOne(City, { slug });
  if (!city) throw notFound('city', field, slug);
  return city;
}

/** The condition and sort of the cities collection (exports): its declaration (geography.reads.ts) on alias `t`. */
export function cityListQuery(ctx: RequestContext, filter: CityFilter | null | undefined, order: CityOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [GEOGRAPHY_READS], 'cities', { filter, orderBy: order }, t);
}

/** The sort of the regions collection (exports): its declaration (geography.reads.ts) on alias `t`. */
export function regionListQuery(ctx: RequestContext, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [GEOGRAPHY_READS], 'regions', {}, t);
}

/** The sort of the provinces collection (exports): its declaration (geography.reads.ts) on alias `t`. */
export function provinceListQuery(ctx: RequestContext, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [GEOGRAPHY_READS], 'provinces', {}, t);
}

export class GeographyService {
  static regions(ctx: RequestContext, page: PageArgs): Promise<Connection<Region>> {
    return declaredPage(ctx, [GEOGRAPHY_READS], 'regions', { ...page });
  }

  static provinces(ctx: RequestContext, page: PageArgs): Promise<Connection<Province>> {
    return declaredPage(ctx, [GEOGRAPHY_READS], 'provinces', { ...page });
  }

  static async cities(ctx: RequestContext, filter: CityFilter | null | undefined, order: CityOrder | null | undefined, page: PageArgs): Promise<Connection<City>> {
    return declaredPage<City>(ctx, [GEOGRAPHY_READS], 'cities', { filter, orderBy: order, ...page });
  }

  static async province(ctx: RequestContext, slug: string): Promise<Province> {
    const p = await ctx.loaders.byUnique<Province, string>(Province, 'slug').load(slug);
    if (!p) throw notFound('province', 'slug', slug);
    return p;
  }

  static async city(ctx: RequestContext, slug: string): Promise<City> {
    const c = await ctx.loaders.byUnique<City, string>(City, 'slug').load(slug);
    if (!c) throw notFound('city', 'slug', slug);
    return c;
  }

  static async region(ctx: RequestContext, code: string): Promise<Region> {
    const r = await ctx.loaders.byUnique<Region, string>(Region, 'code').load(code);
    if (!r) throw notFound('region', 'code', code);
    return r;
  }

  static citiesOfProvince(ctx: RequestContext, provinceId: number): Promise<City[]> {
    return ctx.loaders.manyBy(City, 'provinceId', { property: 'planOrder', direction: SortDirection.ASC }).load(provinceId);
  }

  static citiesOfRegion(ctx: RequestContext, code: string): Promise<City[]> {
    return ctx.loaders
      .custom<string, City[]>('citiesOfRegion', async (codes) => {
        const rows = await ctx.em.find(City, { regionCode: { $in: [...codes] } } as FilterQuery<City>, { orderBy: { planOrder: 'asc' } });
        return codes.map((c) => rows.filter((r) => r.regionCode === c));
      })
      .load(code);
  }

  static provinceOf(ctx: RequestContext, city: City): Promise<Province> {
    return ctx.loaders.byId(Province).load(city.provinceId) as Promise<Province>;
  }

  static regionOf(ctx: RequestContext, city: City): Promise<Region> {
    return ctx.loaders.byUnique<Region, string>(Region, 'code').load(city.regionCode) as Promise<Region>;
  }

  /** The city of any city-scoped record, batched. */
  static cityById(ctx: RequestContext, cityId: number): Promise<City> {
    return ctx.loaders.byId(City).load(cityId) as Promise<City>;
  }
}
