import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, ProjectStatus, TaskTargetScope, type ProjectType } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { declaredChildPage, declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { todayInChina } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { TaskTarget, TaskTargetBreakdown } from '../target/target.entity.js';
import { requireTaskTarget } from '../target/target.service.js';
import { ProjectFunding, RetrofitProject } from './project.entity.js';
import { PROJECT_READS } from './project.reads.js';
import { canTransition, CREATABLE_STATUSES, hasAtMostTwoDecimals, PROJECT_LIMITS, TARGET_PROJECT_TYPES, typeFitsTarget } from './project.rules.js';
import {
  type CreateRetrofitProjectInput,
  type ProjectFundingInput,
  type RetrofitProjectFilter,
  type RetrofitProjectOrder,
  type UpdateRetrofitProjectInput,
} from './project.types.js';

/** Fields of a project the validation looks at: the state after the change. */
interface ProjectState {
  name: string;
  type: ProjectType;
  status: ProjectStatus;
  plannedStartDate: string;
  plannedEndDate: string;
  actualStartDate: string | null;
  actualEndDate: string | null;
  households: number;
  units: number;
  capacityTonnes: number;
  investmentYuan: number;
}

interface ProjectRefs {
  city: City | null;
  enterprise: Enterprise | null;
  target: TaskTarget | null;
}

const f = (name: string) => ['input', name];

/** Every rule of a project's own fields and references, on the state after the change. */
async function checkState(em: EntityManager, v: Violations, s: ProjectState, refs: ProjectRefs, statusRules = true): Promise<void> {
  const today = todayInChina();
  if (!s.name.trim()) v.add(f('name'), UserErrorCode.REQUIRED, 'A project needs a name.');
  else if (s.name.length > PROJECT_LIMITS.nameLength) v.add(f('name'), UserErrorCode.OUT_OF_RANGE, `At most ${PROJECT_LIMITS.nameLength} characters.`);

  if (s.plannedEndDate < s.plannedStartDate) v.add(f('plannedEndDate'), UserErrorCode.INVALID_DATE, 'The planned end is before the planned start.');
  if (s.actualStartDate && s.actualStartDate > today) v.add(f('actualStartDate'), UserErrorCode.INVALID_DATE, `The actual start ${s.actualStartDate} is in the future (today is ${today} in China).`);
  if (s.actualEndDate && s.actualEndDate > today) v.add(f('actualEndDate'), UserErrorCode.INVALID_DATE, `The actual end ${s.actualEndDate} is in the future (today is ${today} in China).`);
  if (s.actualStartDate && s.actualEndDate && s.actualEndDate < s.actualStartDate) {
    v.add(f('actualEndDate'), UserErrorCode.INVALID_DATE, 'The actual end is before the actual start.');
  }

  if (statusRules) checkStatusDates(v, s);
  checkFigures(v, s);
  await checkRefs(em, v, s, refs);
}

/** The actual dates a status needs, and the ones it cannot have yet. */
function checkStatusDates(v: Violations, s: ProjectState): void {
  const started = s.status !== ProjectStatus.PLANNED;
  const ended = s.status === ProjectStatus.COMPLETED || s.status === ProjectStatus.VERIFIED;
  if (started && !s.actualStartDate) v.add(f('actualStartDate'), UserErrorCode.REQUIRED, `A project ${s.status} needs its actual start date.`);
  if (!started && s.actualStartDate) v.add(f('actualStartDate'), UserErrorCode.NOT_ALLOWED, 'A PLANNED project has not started: move it to IN_PROGRESS with its actual start date.');
  if (ended && !s.actualEndDate) v.add(f('actualEndDate'), UserErrorCode.REQUIRED, `A project ${s.status} needs its actual end date.`);
  if (!ended && s.actualEndDate) v.add(f('actualEndDate'), UserErrorCode.NOT_ALLOWED, `A ${s.status} project has not ended: move it to COMPLETED with its actual end date.`);
}

/** Ranges and precision of the figures. */
function checkFigures(v: Violations, s: ProjectState): void {
  const range = (name: keyof typeof PROJECT_LIMITS & keyof ProjectState, value: number, integer: boolean) => {
    const cap = PROJECT_LIMITS[name];
    if (value < 0 || value > cap) v.add(f(name), UserErrorCode.OUT_OF_RANGE, `Must be between 0 and ${cap}.`);
    else if (!integer && !hasAtMostTwoDecimals(value)) v.add(f(name), UserErrorCode.INVALID, 'At most 2 decimals.');
  };
  range('households', s.households, true);
  range('units', s.units, true);
  range('capacityTonnes', s.capacityTonnes, false);
  range('investmentYuan', s.investmentYuan, false);
}

/** The enterprise's city, and the target's fit and scope. */
async function checkRefs(em: EntityManager, v: Violations, s: ProjectState, refs: ProjectRefs): Promise<void> {
  const { city, enterprise, target } = refs;
  if (city && enterprise && enterprise.cityId !== city.id) {
    v.add(f('enterpriseId'), UserErrorCode.NOT_ALLOWED, `The enterprise is in another city than the project (${city.slug}).`);
  }
  if (target) {
    if (TARGET_PROJECT_TYPES[target.code]?.length === 0) {
      v.add(f('taskTarget'), UserErrorCode.NOT_ALLOWED, `${target.code} counts records, not projects (the tonnes of the monthly rail freight records for a railway target): no project counts toward it.`);
    } else if (!typeFitsTarget(s.type, target.code)) v.add(f('type'), UserErrorCode.NOT_ALLOWED, `A ${s.type} project does not count toward ${target.code}.`);
    if (city && !(await cityInScope(em, city, target))) {
      v.add(f('city'), UserErrorCode.NOT_ALLOWED, `${city.slug} is outside the scope of ${target.code}.`);
    }
  }
}

/**
 * Whether a city lies in a target's scope: the target's province or city, and, when the target
 * has a breakdown, one of the provinces or cities of its shares.
 */
async function cityInScope(em: EntityManager, city: City, target: TaskTarget): Promise<boolean> {
  if (target.scope === TaskTargetScope.PROVINCE && target.provinceId !== city.provinceId) return false;
  if (target.scope === TaskTargetScope.CITY && target.cityId !== city.id) return false;
  const shares = await em.find(TaskTargetBreakdown, { taskTargetId: target.id });
  return shares.length === 0 || shares.some((b) => (b.cityId !== null ? b.cityId === city.id : b.provinceId === city.provinceId));
}

/** Checks a funding list: positive amounts of distinct sources adding up to at most the investment. */
function checkFunding(v: Violations, funding: ProjectFundingInput[], investmentYuan: number): void {
  const seen = new Set<string>();
  let total = 0;
  funding.forEach((item, i) => {
    const at = ['input', 'fundingSources', String(i)];
    if (seen.has(item.source)) v.add([...at, 'source'], UserErrorCode.INVALID, `${item.source} is listed twice.`);
    seen.add(item.source);
    if (!(item.amountYuan > 0) || item.amountYuan > PROJECT_LIMITS.investmentYuan) {
      v.add([...at, 'amountYuan'], UserErrorCode.OUT_OF_RANGE, `Must be more than 0 and at most ${PROJECT_LIMITS.investmentYuan}.`);
    } else if (!hasAtMostTwoDecimals(item.amountYuan)) v.add([...at, 'amountYuan'], UserErrorCode.INVALID, 'At most 2 decimals.');
    total += item.amountYuan;
  });
  // An investment out of range has its own error already.
  if (investmentYuan >= 0 && investmentYuan <= PROJECT_LIMITS.investmentYuan && Math.round(total * 100) > Math.round(investmentYuan * 100)) {
    v.add(['input', 'fundingSources'], UserErrorCode.OUT_OF_RANGE, `The funding (${total.toFixed(2)} yuan) exceeds the investment (${investmentYuan.toFixed(2)} yuan).`);
  }
}

async function findCity(em: EntityManager, v: Violations, slug: string): Promise<City | null> {
  const city = await em.findOne(City, { slug });
  if (!city) v.add(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${slug}".`);
  return city;
}

async function findEnterprise(em: EntityManager, v: Violations, id: string, scope: { cityId?: { $in: number[] } } = {}): Promise<Enterprise | null> {
  const key = await v.collect(async () => parseId(id, 'input.enterpriseId'));
  if (key === null) return null;
  const enterprise = await em.findOne(Enterprise, { id: key, ...scope });
  if (!enterprise) v.add(f('enterpriseId'), UserErrorCode.NOT_FOUND, `No enterprise with id "${id}".`);
  return enterprise;
}

async function findTarget(em: EntityManager, v: Violations, code: string, campaign: string | null | undefined): Promise<TaskTarget | null> {
  return v.collect(() => requireTaskTarget(em, code, campaign, 'input.taskTarget', 'input.campaign'));
}

async function writeFunding(ctx: RequestContext, em: EntityManager, project: RetrofitProject, funding: ProjectFundingInput[]): Promise<void> {
  for (const item of funding) {
    em.create(ProjectFunding, {
      projectId: project.id,
      cityId: project.cityId,
      source: item.source,
      amountYuan: item.amountYuan,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
  }
  await em.flush();
}

/** The condition and sort of the retrofit projects collection, from its declaration (shared by the connection and the exports). */
export function retrofitProjectListQuery(
  ctx: RequestContext,
  filter: RetrofitProjectFilter | null | undefined,
  order: RetrofitProjectOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  requireRead(ctx, READS.retrofitProjects);
  return declaredRootQuery(ctx, [PROJECT_READS], 'retrofitProjects', { filter, orderBy: order }, t);
}

/** The declared connection (PROJECT_READS) of each parent's projects. */
const CHILD_CONNECTIONS = { cityId: ['City', 'retrofitProjects'], enterpriseId: ['Enterprise', 'retrofitProjects'], taskTargetId: ['TaskTarget', 'projects'] } as const;

export class RetrofitProjectService {
  static async projects(ctx: RequestContext, filter: RetrofitProjectFilter | null | undefined, order: RetrofitProjectOrder | null | undefined, page: PageArgs): Promise<Connection<RetrofitProject>> {
    requireRead(ctx, READS.retrofitProjects);
    return declaredPage(ctx, [PROJECT_READS], 'retrofitProjects', { filter, orderBy: order, ...page });
  }

  static async project(ctx: RequestContext, id: string): Promise<RetrofitProject> {
    requireRead(ctx, READS.retrofitProjects);
    const project = await ctx.loaders.byId(RetrofitProject).load(parseId(id, 'id'));
    if (!project || !inScope(ctx, project.cityId)) throw notFound('retrofit project', 'id', id);
    return project;
  }

  /**
   * A page of the projects of one parent (city, enterprise or task target), batched over every
   * parent of the request. The filter is resolved once per request, not once per parent.
   */
  static async childProjects(
    ctx: RequestContext,
    fk: 'cityId' | 'enterpriseId' | 'taskTargetId',
    parentId: number,
    filter: RetrofitProjectFilter | null | undefined,
    order: RetrofitProjectOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<RetrofitProject>> {
    requireRead(ctx, READS.retrofitProjects);
    const [parentType, field] = CHILD_CONNECTIONS[fk];
    return declaredChildPage(ctx, [PROJECT_READS], parentType, field, parentId, { filter, orderBy: order, ...page });
  }

  static cityOf(ctx: RequestContext, project: RetrofitProject): Promise<City> {
    return ctx.loaders.byId(City).load(project.cityId) as Promise<City>;
  }

  static enterpriseOf(ctx: RequestContext, project: RetrofitProject): Promise<Enterprise | null> {
    return project.enterpriseId === null ? Promise.resolve(null) : ctx.loaders.byId(Enterprise).load(project.enterpriseId);
  }

  static taskTargetOf(ctx: RequestContext, project: RetrofitProject): Promise<TaskTarget | null> {
    return project.taskTargetId === null ? Promise.resolve(null) : ctx.loaders.byId(TaskTarget).load(project.taskTargetId);
  }

  static fundingOf(ctx: RequestContext, project: RetrofitProject): Promise<ProjectFunding[]> {
    return ctx.loaders.manyBy(ProjectFunding, 'projectId').load(project.id);
  }

  static async create(ctx: RequestContext, em: EntityManager, input: CreateRetrofitProjectInput): Promise<RetrofitProject> {
    const v = new Violations();
    const city = await findCity(em, v, input.city);
    if (city) requireWritableCity(ctx, city.id, city.nameEn);
    const enterprise = input.enterpriseId != null ? await findEnterprise(em, v, input.enterpriseId, scopeCondition(ctx)) : null;
    const target = input.taskTarget != null ? await findTarget(em, v, input.taskTarget, input.campaign) : null;
    const status = input.status ?? ProjectStatus.PLANNED;
    if (!CREATABLE_STATUSES.includes(status)) {
      v.add(f('status'), UserErrorCode.INVALID_TRANSITION, 'A project is VERIFIED only after it was COMPLETED: register it COMPLETED, then verify it.');
    }
    const state: ProjectState = {
      name: input.name,
      type: input.type,
      status,
      plannedStartDate: input.plannedStartDate,
      plannedEndDate: input.plannedEndDate,
      actualStartDate: input.actualStartDate ?? null,
      actualEndDate: input.actualEndDate ?? null,
      households: input.households ?? 0,
      units: input.units ?? 0,
      capacityTonnes: input.capacityTonnes ?? 0,
      investmentYuan: input.investmentYuan ?? 0,
    };
    await checkState(em, v, state, { city, enterprise, target });
    const funding = input.fundingSources ?? [];
    checkFunding(v, funding, state.investmentYuan);
    v.throwIfAny();

    const project = em.create(RetrofitProject, {
      ...state,
      name: state.name.trim(),
      cityId: city!.id,
      enterpriseId: enterprise?.id ?? null,
      taskTargetId: target?.id ?? null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    await writeFunding(ctx, em, project, funding);
    return project;
  }

  static async update(ctx: RequestContext, em: EntityManager, input: UpdateRetrofitProjectInput): Promise<RetrofitProject> {
    const id = parseId(input.id, 'input.id');
    const project = await em.findOne(RetrofitProject, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!project) throw notFound('retrofit project', 'input.id', input.id);
    if (input.version != null && input.version !== project.version) {
      throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The project is at version ${project.version}, not ${input.version}: reload it and retry.`);
    }

    const v = new Violations();
    // Fields that cannot be cleared.
    for (const name of ['city', 'name', 'type', 'status', 'plannedStartDate', 'plannedEndDate', 'households', 'units', 'capacityTonnes', 'investmentYuan'] as const) {
      if (input[name] === null) v.add(f(name), UserErrorCode.REQUIRED, 'Cannot be cleared.');
    }
    const city = input.city != null ? await findCity(em, v, input.city) : await em.findOne(City, { id: project.cityId });
    if (city) requireWritableCity(ctx, city.id, city.nameEn);
    const enterprise =
      input.enterpriseId !== undefined
        ? input.enterpriseId === null
          ? null
          : await findEnterprise(em, v, input.enterpriseId, scopeCondition(ctx))
        : project.enterpriseId !== null
          ? await em.findOne(Enterprise, { id: project.enterpriseId })
          : null;
    const target =
      input.taskTarget !== undefined
        ? input.taskTarget === null
          ? null
          : await findTarget(em, v, input.taskTarget, input.campaign)
        : project.taskTargetId !== null
          ? await em.findOne(TaskTarget, { id: project.taskTargetId })
          : null;

    const status = input.status ?? project.status;
    const refused = status !== project.status && !canTransition(project.status, status);
    if (refused) {
      v.add(f('status'), UserErrorCode.INVALID_TRANSITION, `A ${project.status} project cannot move to ${status} (one step at a time: PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED).`);
    }
    const state: ProjectState = {
      name: input.name ?? project.name,
      type: input.type ?? project.type,
      status,
      plannedStartDate: input.plannedStartDate ?? project.plannedStartDate,
      plannedEndDate: input.plannedEndDate ?? project.plannedEndDate,
      actualStartDate: input.actualStartDate !== undefined ? input.actualStartDate : project.actualStartDate,
      actualEndDate: input.actualEndDate !== undefined ? input.actualEndDate : project.actualEndDate,
      households: input.households ?? project.households,
      units: input.units ?? project.units,
      capacityTonnes: input.capacityTonnes ?? project.capacityTonnes,
      investmentYuan: input.investmentYuan ?? project.investmentYuan,
    };
    // A refused transition is the one error about the status: its dates are not checked against it.
    await checkState(em, v, state, { city, enterprise, target }, !refused);
    if (input.fundingSources != null) {
      checkFunding(v, input.fundingSources, state.investmentYuan);
    } else {
      const [{ total }] = await knexOf(em)('project_funding').where({ project_id: project.id }).sum({ total: 'amount_yuan' });
      if (total !== null && Math.round(Number(total) * 100) > Math.round(state.investmentYuan * 100)) {
        v.add(f('investmentYuan'), UserErrorCode.OUT_OF_RANGE, `The investment is less than the funding already recorded (${Number(total).toFixed(2)} yuan).`);
      }
    }
    v.throwIfAny();

    em.assign(project, {
      ...state,
      name: state.name.trim(),
      cityId: city!.id,
      enterpriseId: enterprise?.id ?? null,
      taskTargetId: target?.id ?? null,
      updatedBy: ctx.actor.id,
      // Every update is a new revision (version + 1), even when only the funding changed.
      updatedAt: new Date(),
    });
    await em.flush();
    if (input.fundingSources != null) {
      await em.nativeDelete(ProjectFunding, { projectId: project.id });
      await writeFunding(ctx, em, project, input.fundingSources);
    }
    return project;
  }
}
