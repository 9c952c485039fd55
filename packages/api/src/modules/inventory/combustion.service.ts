import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { CombustionUnitStatus, DataOrigin } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { idInto, parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { type Connection, type PageArgs } from '../../common/pagination.js';
import { todayInChina } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { CombustionUnit } from './combustion.entity.js';
import { INVENTORY_READS } from './combustion.reads.js';
import { combustionViolations, type CombustionState } from './combustion.rules.js';
import { Locality } from './household.entity.js';
import { type CombustionUnitFilter, type CombustionUnitOrder, type CreateCombustionUnitInput, type UpdateCombustionUnitInput } from './combustion.types.js';

const f = (name: string) => ['input', name];

function addRules(v: Violations, state: CombustionState): void {
  // A field already refused (e.g. an elimination project not found) gets no second error.
  const refused = new Set(v.issues.map((i) => i.field.join('.')));
  for (const r of combustionViolations(state, todayInChina())) if (!refused.has(`input.${r.field}`)) v.add(f(r.field), r.code, r.message);
}

async function findProject(em: EntityManager, v: Violations, id: string, ctx: RequestContext): Promise<RetrofitProject | null> {
  const key = idInto(v, id, 'input.eliminationProjectId');
  if (key === null) return null;
  const project = await em.findOne(RetrofitProject, { id: key, ...scopeCondition(ctx) });
  if (!project) v.add(f('eliminationProjectId'), UserErrorCode.NOT_FOUND, `No retrofit project with id "${id}".`);
  return project;
}

function checkName(v: Violations, name: string): void {
  const n = name.trim();
  if (n.length < 1 || n.length > 200) v.add(f('name'), UserErrorCode.OUT_OF_RANGE, 'A name has 1 to 200 characters.');
}

/**
 * The place a unit stands in (`id` of a locality), checked to be a county, township or village of
 * the unit's city the caller may read; null clears it.
 */
async function findLocality(em: EntityManager, v: Violations, ctx: RequestContext, id: string | null | undefined, cityId: number, citySlug: string): Promise<Locality | null> {
  if (id == null) return null;
  const key = idInto(v, id, 'input.localityId');
  if (key === null) return null;
  const locality = await em.findOne(Locality, { id: key, ...scopeCondition(ctx) });
  if (!locality || locality.cityId !== cityId) v.add(f('localityId'), UserErrorCode.NOT_FOUND, `No locality with id "${id}" in ${citySlug}.`);
  return locality && locality.cityId === cityId ? locality : null;
}

/** The declared query of the combustion-unit collection (CombustionUnitFilter, CombustionUnitOrder) for exports and reports. */
export function combustionUnitListQuery(ctx: RequestContext, filter: CombustionUnitFilter | null | undefined, order: CombustionUnitOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.combustionUnits);
  return declaredRootQuery(ctx, [INVENTORY_READS], 'combustionUnits', { filter, orderBy: order }, t);
}

export class CombustionUnitService {
  static units(ctx: RequestContext, filter: CombustionUnitFilter | null | undefined, orderBy: CombustionUnitOrder | null | undefined, page: PageArgs): Promise<Connection<CombustionUnit>> {
    requireRead(ctx, READS.combustionUnits);
    return declaredPage(ctx, [INVENTORY_READS], 'combustionUnits', { filter, orderBy, ...page });
  }

  static async unit(ctx: RequestContext, id: string): Promise<CombustionUnit> {
    requireRead(ctx, READS.combustionUnits);
    const unit = await ctx.loaders.byId(CombustionUnit).load(parseId(id, 'id'));
    if (!unit || !inScope(ctx, unit.cityId)) throw notFound('combustion unit', 'id', id);
    return unit;
  }

  static cityOf(ctx: RequestContext, unit: CombustionUnit): Promise<City> {
    return ctx.loaders.byId(City).load(unit.cityId) as Promise<City>;
  }

  static localityOf(ctx: RequestContext, unit: CombustionUnit): Promise<Locality | null> {
    return unit.localityId === null ? Promise.resolve(null) : ctx.loaders.byId(Locality).load(unit.localityId);
  }

  static enterpriseOf(ctx: RequestContext, unit: CombustionUnit): Promise<Enterprise | null> {
    return unit.enterpriseId === null ? Promise.resolve(null) : ctx.loaders.byId(Enterprise).load(unit.enterpriseId);
  }

  static async eliminationProjectOf(ctx: RequestContext, unit: CombustionUnit): Promise<RetrofitProject | null> {
    if (unit.eliminationProjectId === null || ctx.actor.role === 'ANONYMOUS') return null;
    return ctx.loaders.byId(RetrofitProject).load(unit.eliminationProjectId);
  }

  /** Units a project eliminates (batched over the projects of the request). */
  static unitsOfProject(ctx: RequestContext, project: RetrofitProject): Promise<CombustionUnit[]> {
    return ctx.loaders.manyBy(CombustionUnit, 'eliminationProjectId').load(project.id);
  }

  static async create(ctx: RequestContext, em: EntityManager, input: CreateCombustionUnitInput): Promise<CombustionUnit> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) throw LedgerError.of(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    requireWritableCity(ctx, city.id, city.nameEn);
    checkName(v, input.name);
    let enterprise: Enterprise | null = null;
    if (input.enterpriseId != null) {
      enterprise = await em.findOne(Enterprise, { id: parseId(input.enterpriseId, 'input.enterpriseId') });
      if (!enterprise || enterprise.cityId !== city.id) v.add(f('enterpriseId'), UserErrorCode.NOT_FOUND, `No enterprise with id "${input.enterpriseId}" in ${city.slug}.`);
    }
    const locality = await findLocality(em, v, ctx, input.localityId, city.id, city.slug);
    const project = input.eliminationProjectId != null ? await findProject(em, v, input.eliminationProjectId, ctx) : null;
    const state: CombustionState = {
      kind: input.kind,
      fuel: input.fuel,
      capacityTph: input.capacityTph ?? null,
      chamberHeightM: input.chamberHeightM ?? null,
      centralHeating: input.centralHeating ?? false,
      newBuild: input.newBuild ?? false,
      approvedException: input.approvedException ?? false,
      status: input.status ?? CombustionUnitStatus.OPERATING,
      scheduledEliminationBy: input.scheduledEliminationBy ?? null,
      eliminatedOn: input.eliminatedOn ?? null,
      eliminationProject: project ? { type: project.type, cityId: project.cityId } : null,
      cityId: city.id,
    };
    addRules(v, state);
    v.throwIfAny();
    const { eliminationProject: _p, ...columns } = state;
    const unit = em.create(CombustionUnit, {
      ...columns,
      name: input.name.trim(),
      industry: input.industry ?? null,
      enterpriseId: enterprise?.id ?? null,
      localityId: locality?.id ?? null,
      eliminationProjectId: project?.id ?? null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return unit;
  }

  static async update(ctx: RequestContext, em: EntityManager, input: UpdateCombustionUnitInput): Promise<CombustionUnit> {
    const id = parseId(input.id, 'input.id');
    const unit = await em.findOne(CombustionUnit, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!unit) throw notFound('combustion unit', 'input.id', input.id);
    const city = (await em.findOne(City, { id: unit.cityId }))!;
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== unit.version) {
      throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The unit is at version ${unit.version}, not ${input.version}: reload it and retry.`);
    }
    const v = new Violations();
    for (const name of ['name', 'fuel', 'centralHeating', 'approvedException', 'status'] as const) {
      if (input[name] === null) v.add(f(name), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    }
    if (input.name != null) checkName(v, input.name);
    const locality = input.localityId !== undefined ? await findLocality(em, v, ctx, input.localityId, city.id, city.slug) : undefined;
    const status = input.status ?? unit.status;
    if (unit.status === CombustionUnitStatus.ELIMINATED && status !== CombustionUnitStatus.ELIMINATED) {
      v.add(f('status'), UserErrorCode.INVALID_TRANSITION, 'An eliminated unit stays eliminated.');
    }
    const projectId = input.eliminationProjectId !== undefined ? input.eliminationProjectId : unit.eliminationProjectId === null ? null : String(unit.eliminationProjectId);
    const project = projectId != null ? await findProject(em, v, projectId, ctx) : null;
    const state: CombustionState = {
      kind: unit.kind,
      fuel: input.fuel ?? unit.fuel,
      capacityTph: input.capacityTph !== undefined ? input.capacityTph : unit.capacityTph,
      chamberHeightM: input.chamberHeightM !== undefined ? input.chamberHeightM : unit.chamberHeightM,
      centralHeating: input.centralHeating ?? unit.centralHeating,
      newBuild: unit.newBuild,
      approvedException: input.approvedException ?? unit.approvedException,
      status,
      scheduledEliminationBy: input.scheduledEliminationBy !== undefined ? input.scheduledEliminationBy : unit.scheduledEliminationBy,
      eliminatedOn: input.eliminatedOn !== undefined ? input.eliminatedOn : unit.eliminatedOn,
      eliminationProject: project ? { type: project.type, cityId: project.cityId } : null,
      cityId: unit.cityId,
    };
    addRules(v, state);
    v.throwIfAny();
    const { eliminationProject: _p, ...columns } = state;
    em.assign(unit, { ...columns, name: input.name?.trim() ?? unit.name, localityId: locality === undefined ? unit.localityId : (locality?.id ?? null), eliminationProjectId: project?.id ?? null, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return unit;
  }
}
