import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, LocalityLevel } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { SortDirection, type Connection, type PageArgs } from '../../common/pagination.js';
import { todayInChina } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { campaignOrLatest } from '../target/target.service.js';
import { HeatingSeason, HouseholdConversion, Locality } from './household.entity.js';
import { HOUSEHOLD_READS } from './household.reads.js';
import { conversionViolations, type ConversionState } from './household.rules.js';
import type {
  CreateHouseholdConversionInput,
  CreateLocalityInput,
  HouseholdConversionFilter,
  HouseholdConversionOrder,
  LocalityFilter,
  LocalityOrder,
  UpdateHouseholdConversionInput,
  UpdateLocalityInput,
} from './household.types.js';

const f = (name: string) => ['input', name];

/** The level a locality's parent has (none for a county). */
const PARENT_LEVEL: Record<LocalityLevel, LocalityLevel | null> = {
  [LocalityLevel.COUNTY]: null,
  [LocalityLevel.TOWNSHIP]: LocalityLevel.COUNTY,
  [LocalityLevel.VILLAGE]: LocalityLevel.TOWNSHIP,
};
/** Digits of the division code at each level. */
const CODE_DIGITS: Record<LocalityLevel, number> = { [LocalityLevel.COUNTY]: 6, [LocalityLevel.TOWNSHIP]: 9, [LocalityLevel.VILLAGE]: 12 };

function checkNameZh(v: Violations, name: string): void {
  const n = name.trim();
  if (n.length < 1 || n.length > 100) v.add(f('nameZh'), UserErrorCode.OUT_OF_RANGE, 'A name has 1 to 100 characters.');
}

function checkDivisionCode(v: Violations, level: LocalityLevel, code: string | null | undefined): void {
  if (code == null) return;
  const digits = CODE_DIGITS[level];
  if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) v.add(f('divisionCode'), UserErrorCode.INVALID, `A ${level} has a division code of ${digits} digits.`);
}

async function findProject(ctx: RequestContext, em: EntityManager, v: Violations, id: string): Promise<RetrofitProject | null> {
  const key = await v.collect(() => parseId(id, 'input.projectId'));
  if (key === null) return null;
  const project = await em.findOne(RetrofitProject, { id: key, ...scopeCondition(ctx) });
  if (!project) v.add(f('projectId'), UserErrorCode.NOT_FOUND, `No retrofit project with id "${id}".`);
  return project;
}

/**
 * End of the city's first heating season after `day`: the recorded season starting on or after it
 * and less than a year later (null when none is recorded).
 */
async function firstSeasonEnd(em: EntityManager, cityId: number, day: string): Promise<string | null> {
  const knex = knexOf(em);
  const row = await knex('heating_season')
    .where('city_id', cityId)
    .where('starts_on', '>=', day)
    .whereRaw(`starts_on < ?::date + interval '1 year'`, [day])
    .orderBy('starts_on')
    .first(knex.raw(`to_char(ends_on, 'YYYY-MM-DD') as ends_on`));
  return (row?.ends_on as string | undefined) ?? null;
}

function addRules(v: Violations, state: ConversionState): void {
  // A field already refused (e.g. a project not found) gets no second error.
  const refused = new Set(v.issues.map((i) => i.field.join('.')));
  for (const r of conversionViolations(state, todayInChina())) if (!refused.has(`input.${r.field}`)) v.add(f(r.field), r.code, r.message);
}

/** The declared query of the localities collection (LocalityFilter, LocalityOrder) for exports and reports. */
export function localityListQuery(ctx: RequestContext, filter: LocalityFilter | null | undefined, order: LocalityOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.localities);
  return declaredRootQuery(ctx, [HOUSEHOLD_READS], 'localities', { filter, orderBy: order }, t);
}

/** The declared query of the household-conversion collection for exports and reports. */
export function householdConversionListQuery(
  ctx: RequestContext,
  filter: HouseholdConversionFilter | null | undefined,
  order: HouseholdConversionOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  requireRead(ctx, READS.householdConversions);
  return declaredRootQuery(ctx, [HOUSEHOLD_READS], 'householdConversions', { filter, orderBy: order }, t);
}

export class LocalityService {
  static localities(ctx: RequestContext, filter: LocalityFilter | null | undefined, orderBy: LocalityOrder | null | undefined, page: PageArgs): Promise<Connection<Locality>> {
    requireRead(ctx, READS.localities);
    return declaredPage(ctx, [HOUSEHOLD_READS], 'localities', { filter, orderBy, ...page });
  }

  static async locality(ctx: RequestContext, id: string): Promise<Locality> {
    requireRead(ctx, READS.localities);
    const l = await ctx.loaders.byId(Locality).load(parseId(id, 'id'));
    if (!l || !inScope(ctx, l.cityId)) throw notFound('locality', 'id', id);
    return l;
  }

  static cityOf(ctx: RequestContext, cityId: number): Promise<City> {
    return ctx.loaders.byId(City).load(cityId) as Promise<City>;
  }

  static parentOf(ctx: RequestContext, l: Locality): Promise<Locality | null> {
    return l.parentId === null ? Promise.resolve(null) : ctx.loaders.byId(Locality).load(l.parentId);
  }

  static childrenOf(ctx: RequestContext, l: Locality): Promise<Locality[]> {
    return ctx.loaders.manyBy(Locality, 'parentId', { property: 'nameZh', direction: SortDirection.ASC }).load(l.id);
  }

  static async create(ctx: RequestContext, em: EntityManager, input: CreateLocalityInput): Promise<Locality> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) throw LedgerError.of(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    requireWritableCity(ctx, city.id, city.nameEn);
    checkNameZh(v, input.nameZh);
    checkDivisionCode(v, input.level, input.divisionCode);
    const parentLevel = PARENT_LEVEL[input.level];
    let parent: Locality | null = null;
    if (parentLevel === null) {
      if (input.parentId != null) v.add(f('parentId'), UserErrorCode.NOT_ALLOWED, 'A county lies directly under its city.');
    } else if (input.parentId == null) {
      v.add(f('parentId'), UserErrorCode.REQUIRED, `A ${input.level} lies in a ${parentLevel}.`);
    } else {
      const key = await v.collect(() => parseId(input.parentId!, 'input.parentId'));
      if (key !== null) {
        parent = await em.findOne(Locality, { id: key, ...scopeCondition(ctx) });
        if (!parent || parent.cityId !== city.id) v.add(f('parentId'), UserErrorCode.NOT_FOUND, `No locality with id "${input.parentId}" in ${city.slug}.`);
        else if (parent.level !== parentLevel) v.add(f('parentId'), UserErrorCode.NOT_ALLOWED, `A ${input.level} lies in a ${parentLevel}, not a ${parent.level}.`);
      }
    }
    v.throwIfAny();
    const locality = em.create(Locality, {
      cityId: city.id,
      parentId: parent?.id ?? null,
      level: input.level,
      nameZh: input.nameZh.trim(),
      divisionCode: input.divisionCode ?? null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return locality;
  }

  static async update(ctx: RequestContext, em: EntityManager, input: UpdateLocalityInput): Promise<Locality> {
    const id = parseId(input.id, 'input.id');
    const l = await em.findOne(Locality, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!l) throw notFound('locality', 'input.id', input.id);
    const city = (await em.findOne(City, { id: l.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== l.version) {
      throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The locality is at version ${l.version}, not ${input.version}: reload it and retry.`);
    }
    const v = new Violations();
    if (input.nameZh === null) v.add(f('nameZh'), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    if (input.nameZh != null) checkNameZh(v, input.nameZh);
    checkDivisionCode(v, l.level, input.divisionCode);
    v.throwIfAny();
    em.assign(l, {
      nameZh: input.nameZh?.trim() ?? l.nameZh,
      divisionCode: input.divisionCode !== undefined ? input.divisionCode : l.divisionCode,
      updatedBy: ctx.actor.id,
      updatedAt: new Date(),
    });
    await em.flush();
    return l;
  }

  /** A city's heating season of a campaign (default: the latest campaign), or null when none is recorded. */
  static async heatingSeasonOf(ctx: RequestContext, city: City, campaign: string | null | undefined): Promise<HeatingSeason | null> {
    const c = await campaignOrLatest(ctx.em, campaign, 'campaign');
    const seasons = await ctx.loaders.manyBy(HeatingSeason, 'cityId').load(city.id);
    return seasons.find((s) => s.campaignId === c.id) ?? null;
  }
}

export class HouseholdConversionService {
  static conversions(
    ctx: RequestContext,
    filter: HouseholdConversionFilter | null | undefined,
    orderBy: HouseholdConversionOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<HouseholdConversion>> {
    requireRead(ctx, READS.householdConversions);
    return declaredPage(ctx, [HOUSEHOLD_READS], 'householdConversions', { filter, orderBy, ...page });
  }

  static async conversion(ctx: RequestContext, id: string): Promise<HouseholdConversion> {
    requireRead(ctx, READS.householdConversions);
    const c = await ctx.loaders.byId(HouseholdConversion).load(parseId(id, 'id'));
    if (!c || !inScope(ctx, c.cityId)) throw notFound('household conversion', 'id', id);
    return c;
  }

  static villageOf(ctx: RequestContext, c: HouseholdConversion): Promise<Locality> {
    return ctx.loaders.byId(Locality).load(c.villageId) as Promise<Locality>;
  }

  static projectOf(ctx: RequestContext, c: HouseholdConversion): Promise<RetrofitProject | null> {
    if (c.projectId === null || ctx.actor.role === 'ANONYMOUS') return Promise.resolve(null);
    return ctx.loaders.byId(RetrofitProject).load(c.projectId);
  }

  /** Conversions a project carried (batched over the projects of the request). */
  static conversionsOfProject(ctx: RequestContext, project: RetrofitProject): Promise<HouseholdConversion[]> {
    return ctx.loaders.manyBy(HouseholdConversion, 'projectId').load(project.id);
  }

  static async create(ctx: RequestContext, em: EntityManager, input: CreateHouseholdConversionInput): Promise<HouseholdConversion> {
    const v = new Violations();
    const villageKey = parseId(input.villageId, 'input.villageId');
    const village = await em.findOne(Locality, { id: villageKey, ...scopeCondition(ctx) });
    if (!village) throw notFound('village', 'input.villageId', input.villageId);
    const city = (await em.findOne(City, { id: village.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (village.level !== LocalityLevel.VILLAGE) v.add(f('villageId'), UserErrorCode.NOT_ALLOWED, `Conversions are recorded by VILLAGE, not ${village.level}.`);
    const project = input.projectId != null ? await findProject(ctx, em, v, input.projectId) : null;
    const state: ConversionState = {
      households: input.households,
      newSystem: input.newSystem,
      convertedOn: input.convertedOn,
      supplyStable: input.supplyStable ?? false,
      firstSeasonCompletedOn: input.firstSeasonCompletedOn ?? null,
      oldHeatingRemovedOn: input.oldHeatingRemovedOn ?? null,
      project: project ? { type: project.type, cityId: project.cityId } : null,
      cityId: city.id,
      firstSeasonEndsOn: await firstSeasonEnd(em, city.id, input.convertedOn),
    };
    addRules(v, state);
    v.throwIfAny();
    const { project: _p, firstSeasonEndsOn: _e, ...columns } = state;
    const conversion = em.create(HouseholdConversion, {
      ...columns,
      villageId: village.id,
      projectId: project?.id ?? null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return conversion;
  }

  static async update(ctx: RequestContext, em: EntityManager, input: UpdateHouseholdConversionInput): Promise<HouseholdConversion> {
    const id = parseId(input.id, 'input.id');
    const c = await em.findOne(HouseholdConversion, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!c) throw notFound('household conversion', 'input.id', input.id);
    const city = (await em.findOne(City, { id: c.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== c.version) {
      throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The conversion is at version ${c.version}, not ${input.version}: reload it and retry.`);
    }
    const v = new Violations();
    for (const name of ['households', 'newSystem', 'convertedOn', 'supplyStable'] as const) {
      if (input[name] === null) v.add(f(name), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    }
    const projectId = input.projectId !== undefined ? input.projectId : c.projectId === null ? null : String(c.projectId);
    const project = projectId != null ? await findProject(ctx, em, v, projectId) : null;
    const convertedOn = input.convertedOn ?? c.convertedOn;
    const state: ConversionState = {
      households: input.households ?? c.households,
      newSystem: input.newSystem ?? c.newSystem,
      convertedOn,
      supplyStable: input.supplyStable ?? c.supplyStable,
      firstSeasonCompletedOn: input.firstSeasonCompletedOn !== undefined ? input.firstSeasonCompletedOn : c.firstSeasonCompletedOn,
      oldHeatingRemovedOn: input.oldHeatingRemovedOn !== undefined ? input.oldHeatingRemovedOn : c.oldHeatingRemovedOn,
      project: project ? { type: project.type, cityId: project.cityId } : null,
      cityId: c.cityId,
      firstSeasonEndsOn: await firstSeasonEnd(em, c.cityId, convertedOn),
    };
    addRules(v, state);
    v.throwIfAny();
    const { project: _p, firstSeasonEndsOn: _e, cityId: _c, ...columns } = state;
    em.assign(c, { ...columns, projectId: project?.id ?? null, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return c;
  }
}
