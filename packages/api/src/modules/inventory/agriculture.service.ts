import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { AgriculturalFacilityStatus, DataOrigin, LocalityLevel, ProjectType, type HeatingSystem } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { idInto, parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { todayInChina } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { AgriculturalCoalFacility, BanZone } from './agriculture.entity.js';
import { AGRICULTURE_READS } from './agriculture.reads.js';
import type {
  AgriculturalCoalFacilityFilter,
  AgriculturalCoalFacilityOrder,
  BanZoneFilter,
  BanZoneOrder,
  CreateAgriculturalCoalFacilityInput,
  CreateBanZoneInput,
  UpdateAgriculturalCoalFacilityInput,
  UpdateBanZoneInput,
} from './agriculture.types.js';
import { Locality } from './household.entity.js';

const f = (name: string) => ['input', name];

function checkName(v: Violations, name: string): void {
  const n = name.trim();
  if (n.length < 1 || n.length > 200) v.add(f('name'), UserErrorCode.OUT_OF_RANGE, 'A name has 1 to 200 characters.');
}

async function cityOf(em: EntityManager, slug: string): Promise<City> {
  const city = await em.findOne(City, { slug });
  if (!city) throw LedgerError.of(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${slug}".`);
  return city;
}

/** The rules of a facility's state (fields are input field names). */
export function facilityViolations(s: { status: AgriculturalFacilityStatus; replacedBy: HeatingSystem | null; replacedOn: string | null; project: RetrofitProject | null; cityId: number }, today: string) {
  const v = new Violations();
  if (s.status === AgriculturalFacilityStatus.REPLACED) {
    if (s.replacedOn === null) v.add(f('replacedOn'), UserErrorCode.REQUIRED, 'A replaced facility needs the day its coal was replaced.');
    else if (s.replacedOn > today) v.add(f('replacedOn'), UserErrorCode.INVALID_DATE, 'Coal cannot be replaced in the future.');
    if (s.replacedBy === null) v.add(f('replacedBy'), UserErrorCode.REQUIRED, 'A replaced facility needs the energy that replaced the coal.');
  } else {
    if (s.replacedOn !== null) v.add(f('replacedOn'), UserErrorCode.NOT_ALLOWED, 'A facility still on coal has no replacement day.');
    if (s.replacedBy !== null) v.add(f('replacedBy'), UserErrorCode.NOT_ALLOWED, 'A facility still on coal has no replacement energy.');
  }
  if (s.project && s.project.type !== ProjectType.AGRICULTURAL_COAL_REPLACEMENT) v.add(f('projectId'), UserErrorCode.NOT_ALLOWED, `Coal of agricultural facilities is replaced by an AGRICULTURAL_COAL_REPLACEMENT project, not ${s.project.type}.`);
  if (s.project && s.project.cityId !== s.cityId) v.add(f('projectId'), UserErrorCode.NOT_ALLOWED, 'The project is in another city than the facility.');
  return v.issues;
}

function zoneViolations(v: Violations, s: { areaKm2: number; designatedOn: string }, today: string): void {
  if (!(s.areaKm2 > 0 && s.areaKm2 <= 100_000)) v.add(f('areaKm2'), UserErrorCode.OUT_OF_RANGE, 'More than 0 and at most 100,000 km².');
  if (s.designatedOn > today) v.add(f('designatedOn'), UserErrorCode.INVALID_DATE, 'A zone cannot be designated in the future.');
}

async function findProject(ctx: RequestContext, em: EntityManager, v: Violations, id: string): Promise<RetrofitProject | null> {
  const key = idInto(v, id, 'input.projectId');
  if (key === null) return null;
  const p = await em.findOne(RetrofitProject, { id: key, ...scopeCondition(ctx) });
  if (!p) v.add(f('projectId'), UserErrorCode.NOT_FOUND, `No retrofit project with id "${id}".`);
  return p;
}

export function agriculturalCoalFacilityListQuery(ctx: RequestContext, filter: AgriculturalCoalFacilityFilter | null | undefined, order: AgriculturalCoalFacilityOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.agriculturalCoalFacilities);
  return declaredRootQuery(ctx, [AGRICULTURE_READS], 'agriculturalCoalFacilities', { filter, orderBy: order }, t);
}

export function banZoneListQuery(ctx: RequestContext, filter: BanZoneFilter | null | undefined, order: BanZoneOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.banZones);
  return declaredRootQuery(ctx, [AGRICULTURE_READS], 'banZones', { filter, orderBy: order }, t);
}

export class AgricultureService {
  static facilities(ctx: RequestContext, filter: AgriculturalCoalFacilityFilter | null, orderBy: AgriculturalCoalFacilityOrder | null, page: PageArgs): Promise<Connection<AgriculturalCoalFacility>> {
    requireRead(ctx, READS.agriculturalCoalFacilities);
    return declaredPage(ctx, [AGRICULTURE_READS], 'agriculturalCoalFacilities', { filter, orderBy, ...page });
  }

  static async facility(ctx: RequestContext, id: string): Promise<AgriculturalCoalFacility> {
    requireRead(ctx, READS.agriculturalCoalFacilities);
    const x = await ctx.loaders.byId(AgriculturalCoalFacility).load(parseId(id, 'id'));
    if (!x || !inScope(ctx, x.cityId)) throw notFound('agricultural coal facility', 'id', id);
    return x;
  }

  static zones(ctx: RequestContext, filter: BanZoneFilter | null, orderBy: BanZoneOrder | null, page: PageArgs): Promise<Connection<BanZone>> {
    requireRead(ctx, READS.banZones);
    return declaredPage(ctx, [AGRICULTURE_READS], 'banZones', { filter, orderBy, ...page });
  }

  static async zone(ctx: RequestContext, id: string): Promise<BanZone> {
    requireRead(ctx, READS.banZones);
    const x = await ctx.loaders.byId(BanZone).load(parseId(id, 'id'));
    if (!x || !inScope(ctx, x.cityId)) throw notFound('ban zone', 'id', id);
    return x;
  }

  static villageOf(ctx: RequestContext, x: AgriculturalCoalFacility): Promise<Locality | null> {
    return x.villageId === null ? Promise.resolve(null) : ctx.loaders.byId(Locality).load(x.villageId);
  }

  static projectOf(ctx: RequestContext, x: AgriculturalCoalFacility): Promise<RetrofitProject | null> {
    return x.projectId === null || ctx.actor.role === 'ANONYMOUS' ? Promise.resolve(null) : ctx.loaders.byId(RetrofitProject).load(x.projectId);
  }

  static async createFacility(ctx: RequestContext, em: EntityManager, input: CreateAgriculturalCoalFacilityInput): Promise<AgriculturalCoalFacility> {
    const city = await cityOf(em, input.city);
    requireWritableCity(ctx, city.id, city.nameEn);
    const v = new Violations();
    checkName(v, input.name);
    let village: Locality | null = null;
    if (input.villageId != null) {
      village = await em.findOne(Locality, { id: parseId(input.villageId, 'input.villageId'), ...scopeCondition(ctx) });
      if (!village || village.cityId !== city.id) v.add(f('villageId'), UserErrorCode.NOT_FOUND, `No village with id "${input.villageId}" in ${city.slug}.`);
      else if (village.level !== LocalityLevel.VILLAGE) v.add(f('villageId'), UserErrorCode.NOT_ALLOWED, `A facility stands in a VILLAGE, not a ${village.level}.`);
    }
    const project = input.projectId != null ? await findProject(ctx, em, v, input.projectId) : null;
    const state = { status: input.status ?? AgriculturalFacilityStatus.COAL, replacedBy: input.replacedBy ?? null, replacedOn: input.replacedOn ?? null, project, cityId: city.id };
    v.issues.push(...facilityViolations(state, todayInChina()));
    v.throwIfAny();
    const x = em.create(AgriculturalCoalFacility, {
      cityId: city.id,
      villageId: village?.id ?? null,
      projectId: project?.id ?? null,
      name: input.name.trim(),
      kind: input.kind,
      status: state.status,
      replacedBy: state.replacedBy,
      replacedOn: state.replacedOn,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return x;
  }

  static async updateFacility(ctx: RequestContext, em: EntityManager, input: UpdateAgriculturalCoalFacilityInput): Promise<AgriculturalCoalFacility> {
    const x = await em.findOne(AgriculturalCoalFacility, { id: parseId(input.id, 'input.id'), ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!x) throw notFound('agricultural coal facility', 'input.id', input.id);
    const city = (await em.findOne(City, { id: x.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== x.version) throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The facility is at version ${x.version}, not ${input.version}: reload it and retry.`);
    const v = new Violations();
    if (input.name === null) v.add(f('name'), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    if (input.status === null) v.add(f('status'), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    if (input.name != null) checkName(v, input.name);
    const projectId = input.projectId !== undefined ? input.projectId : x.projectId === null ? null : String(x.projectId);
    const project = projectId != null ? await findProject(ctx, em, v, projectId) : null;
    const state = {
      status: input.status ?? x.status,
      replacedBy: input.replacedBy !== undefined ? input.replacedBy : x.replacedBy,
      replacedOn: input.replacedOn !== undefined ? input.replacedOn : x.replacedOn,
      project,
      cityId: x.cityId,
    };
    const refused = new Set(v.issues.map((i) => i.field.join('.')));
    v.issues.push(...facilityViolations(state, todayInChina()).filter((i) => !refused.has(i.field.join('.'))));
    v.throwIfAny();
    em.assign(x, { name: input.name?.trim() ?? x.name, status: state.status, replacedBy: state.replacedBy, replacedOn: state.replacedOn, projectId: project?.id ?? null, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return x;
  }

  static async createZone(ctx: RequestContext, em: EntityManager, input: CreateBanZoneInput): Promise<BanZone> {
    const city = await cityOf(em, input.city);
    requireWritableCity(ctx, city.id, city.nameEn);
    const v = new Violations();
    checkName(v, input.name);
    zoneViolations(v, input, todayInChina());
    v.throwIfAny();
    const z = em.create(BanZone, { cityId: city.id, name: input.name.trim(), areaKm2: input.areaKm2, designatedOn: input.designatedOn, origin: DataOrigin.RECORDED, version: 1, createdBy: ctx.actor.id, updatedBy: ctx.actor.id });
    await em.flush();
    return z;
  }

  static async updateZone(ctx: RequestContext, em: EntityManager, input: UpdateBanZoneInput): Promise<BanZone> {
    const z = await em.findOne(BanZone, { id: parseId(input.id, 'input.id'), ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!z) throw notFound('ban zone', 'input.id', input.id);
    const city = (await em.findOne(City, { id: z.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== z.version) throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The zone is at version ${z.version}, not ${input.version}: reload it and retry.`);
    const v = new Violations();
    for (const name of ['name', 'areaKm2', 'designatedOn'] as const) if (input[name] === null) v.add(f(name), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    if (input.name != null) checkName(v, input.name);
    const state = { areaKm2: input.areaKm2 ?? z.areaKm2, designatedOn: input.designatedOn ?? z.designatedOn };
    zoneViolations(v, state, todayInChina());
    v.throwIfAny();
    em.assign(z, { ...state, name: input.name?.trim() ?? z.name, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return z;
  }
}
