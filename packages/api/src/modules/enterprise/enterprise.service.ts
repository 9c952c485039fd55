import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { DataOrigin, GradeChangeReason, UltraLowEmissionStatus } from '@airledger/schema';
import { todayInChina } from '../../common/scalars.js';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { likeLiteral } from '../../common/sql.js';
import { checkName } from '../../common/text.js';
import { inScope, requireWritableCity, scopeCondition, scopeWhere } from '../../common/auth.js';
import { paginate, SortDirection, type Connection, type OrderSpec, type PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { GeographyService, placeCondition } from '../geography/geography.service.js';
import { checkCreditCode, normalizeCreditCode } from './credit-code.js';
import { Enterprise, GradeChange } from './enterprise.entity.js';
import {
  EnterpriseOrderField,
  type CityEnterpriseFilter,
  type CreateEnterpriseInput,
  type EnterpriseFilter,
  type EnterpriseOrder,
  type GradeChangeFilter,
  type RecordGradeChangeInput,
  type UpdateEnterpriseInput,
} from './enterprise.types.js';
import { gradeChangeViolations, mayHoldGrade } from './grade-rules.js';

const ENTERPRISE_ORDER: Record<EnterpriseOrderField, keyof Enterprise & string> = {
  [EnterpriseOrderField.NAME]: 'name',
  [EnterpriseOrderField.CREDIT_CODE]: 'creditCode',
  [EnterpriseOrderField.CREATED_AT]: 'createdAt',
};

/** Default sort of enterprise collections: by name, A to Z (id breaks ties). */
const DEFAULT_ENTERPRISE_ORDER: OrderSpec = { property: 'name', direction: SortDirection.ASC };

/** Grade changes are always listed newest first (decision time, then id). */
export const GRADE_CHANGE_ORDER: OrderSpec = { property: 'decidedAt', direction: SortDirection.DESC };

function enterpriseOrder(order: EnterpriseOrder | null | undefined): OrderSpec {
  if (!order) return DEFAULT_ENTERPRISE_ORDER;
  return { property: ENTERPRISE_ORDER[order.field], direction: order.direction ?? SortDirection.ASC };
}


/** The SQL condition of the attribute filters of enterprises (everything but place). */
export function enterpriseAttributeCondition(filter: CityEnterpriseFilter | null | undefined): FilterQuery<Enterprise> {
  if (!filter) return {};
  const and: FilterQuery<Enterprise>[] = [];
  if (filter.industries) and.push({ industry: { $in: filter.industries } });
  if (filter.sizes) and.push({ size: { $in: filter.sizes } });
  if (filter.grades) and.push({ currentGrade: { $in: filter.grades } });
  if (filter.graded === true) and.push({ currentGrade: { $ne: null } });
  if (filter.graded === false) and.push({ currentGrade: null });
  if (filter.ultraLowEmissionStatuses) and.push({ ultraLowEmissionStatus: { $in: filter.ultraLowEmissionStatuses } });
  if (filter.keyDischarger != null) and.push({ keyDischarger: filter.keyDischarger });
  if (filter.onlineMonitoring != null) and.push({ onlineMonitoring: filter.onlineMonitoring });
  if (filter.protectedClasses) and.push({ protectedClass: { $in: filter.protectedClasses } });
  if (filter.benchmark != null) and.push({ benchmark: filter.benchmark });
  if (filter.positiveList != null) and.push({ positiveList: filter.positiveList });
  if (filter.origin) and.push({ origin: filter.origin });
  const search = filter.search?.trim();
  if (search) {
    and.push({
      $or: [{ name: { $ilike: `%${likeLiteral(search)}%` } }, { creditCode: { $like: `${likeLiteral(search.toUpperCase())}%` } }],
    });
  }
  return and.length ? { $and: and } : {};
}

/** Start of a China Standard Time day (UTC+8) as an instant. */
export function chinaDayStart(day: string, plusDays = 0): Date {
  const d = new Date(`${day}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d;
}

/**
 * The condition and sort of the enterprises collection. The connection and the exports
 * (modules/export) both use it, so that a filter means the same in both.
 */
export async function enterpriseListQuery(
  ctx: RequestContext,
  filter: EnterpriseFilter | null | undefined,
  order: EnterpriseOrder | null | undefined,
): Promise<{ where: FilterQuery<Enterprise>; order: OrderSpec }> {
  const place = await placeCondition(ctx.em, filter);
  return { where: { $and: [place, enterpriseAttributeCondition(filter), scopeWhere(ctx)] } as FilterQuery<Enterprise>, order: enterpriseOrder(order) };
}

/** The condition and sort of the grade-change history (shared by the connection and the exports). */
export async function gradeChangeListQuery(
  ctx: RequestContext,
  filter: GradeChangeFilter | null | undefined,
): Promise<{ where: FilterQuery<GradeChange>; order: OrderSpec }> {
  const and: FilterQuery<GradeChange>[] = [scopeWhere(ctx)];
  if (filter?.enterpriseId != null) and.push({ enterpriseId: parseId(filter.enterpriseId, 'filter.enterpriseId') });
  if (filter?.decidedFrom && filter.decidedTo && filter.decidedFrom > filter.decidedTo) {
    throw LedgerError.of('filter.decidedTo', UserErrorCode.INVALID_DATE, 'decidedTo is before decidedFrom.');
  }
  and.push(await placeCondition(ctx.em, filter));
  if (filter?.reasons) and.push({ reason: { $in: filter.reasons } });
  if (filter?.toGrades) and.push({ toGrade: { $in: filter.toGrades } });
  if (filter?.decidedFrom) and.push({ decidedAt: { $gte: chinaDayStart(filter.decidedFrom) } });
  if (filter?.decidedTo) and.push({ decidedAt: { $lt: chinaDayStart(filter.decidedTo, 1) } });
  if (filter?.origin) and.push({ origin: filter.origin });
  return { where: { $and: and } as FilterQuery<GradeChange>, order: GRADE_CHANGE_ORDER };
}

/**
 * The publicity date of an ultra-low-emission assessment: only an ASSESSED_AND_PUBLICISED
 * enterprise has one (NOT_ALLOWED otherwise), and it is not in the future (INVALID_DATE).
 */
function checkPublicity(v: Violations, status: UltraLowEmissionStatus, publicisedOn: string | null): void {
  if (publicisedOn === null) return;
  const field = ['input', 'ultraLowEmissionPublicisedOn'];
  if (status !== UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED) {
    v.add(field, UserErrorCode.NOT_ALLOWED, `Only an ASSESSED_AND_PUBLICISED enterprise has a publicity date (status ${status}).`);
  } else if (publicisedOn > todayInChina()) {
    v.add(field, UserErrorCode.INVALID_DATE, 'A publicity date cannot be in the future.');
  }
}

export class EnterpriseService {
  // ---------------------------------------------------------------- queries

  static async enterprises(
    ctx: RequestContext,
    filter: EnterpriseFilter | null | undefined,
    order: EnterpriseOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Enterprise>> {
    const q = await enterpriseListQuery(ctx, filter, order);
    return paginate(ctx.em, Enterprise, q.where, q.order, page);
  }

  static async enterprise(ctx: RequestContext, id: string): Promise<Enterprise> {
    const e = await ctx.loaders.byId(Enterprise).load(parseId(id, 'id'));
    if (!e || !inScope(ctx, e.cityId)) throw notFound('enterprise', 'id', id);
    return e;
  }

  static async enterpriseByCreditCode(ctx: RequestContext, creditCode: string): Promise<Enterprise> {
    const code = normalizeCreditCode(creditCode);
    const check = checkCreditCode(code);
    if (!check.valid) throw LedgerError.of('creditCode', UserErrorCode.INVALID, check.message);
    const e = await ctx.loaders.byUnique<Enterprise, string>(Enterprise, 'creditCode').load(code);
    if (!e || !inScope(ctx, e.cityId)) throw notFound('enterprise', 'creditCode', code);
    return e;
  }

  static async gradeChanges(ctx: RequestContext, filter: GradeChangeFilter | null | undefined, page: PageArgs): Promise<Connection<GradeChange>> {
    const q = await gradeChangeListQuery(ctx, filter);
    return paginate(ctx.em, GradeChange, q.where, q.order, page);
  }

  // -------------------------------------------------------------- relations

  static cityOf(ctx: RequestContext, record: { cityId: number }): Promise<City> {
    return GeographyService.cityById(ctx, record.cityId);
  }

  static enterpriseOf(ctx: RequestContext, change: GradeChange): Promise<Enterprise> {
    return ctx.loaders.byId(Enterprise).load(change.enterpriseId) as Promise<Enterprise>;
  }

  /** An enterprise's grade changes, newest first, batched over every enterprise of the request. */
  static gradeChangesOf(ctx: RequestContext, enterprise: Enterprise, page: PageArgs): Promise<Connection<GradeChange>> {
    return ctx.loaders.childConnection(GradeChange, 'enterpriseId', enterprise.id, scopeWhere(ctx), GRADE_CHANGE_ORDER, page);
  }

  /** A city's enterprises, batched over every city of the request. */
  static enterprisesOfCity(
    ctx: RequestContext,
    city: City,
    filter: CityEnterpriseFilter | null | undefined,
    order: EnterpriseOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Enterprise>> {
    const where = { $and: [enterpriseAttributeCondition(filter), scopeWhere(ctx)] } as FilterQuery<Enterprise>;
    return ctx.loaders.childConnection(Enterprise, 'cityId', city.id, where, enterpriseOrder(order), page);
  }

  // -------------------------------------------------------------- mutations

  /** Registers an enterprise (ungraded, origin RECORDED). */
  static async create(ctx: RequestContext, em: EntityManager, input: CreateEnterpriseInput): Promise<Enterprise> {
    const v = new Violations();
    const name = input.name.trim();
    if (!name) v.add(['input', 'name'], UserErrorCode.REQUIRED, 'The name is required.');
    else checkName(v, ['input', 'name'], name);
    const creditCode = normalizeCreditCode(input.creditCode);
    if (!creditCode) {
      v.add(['input', 'creditCode'], UserErrorCode.REQUIRED, 'The unified social credit code is required.');
    } else {
      const check = checkCreditCode(creditCode);
      if (!check.valid) v.add(['input', 'creditCode'], UserErrorCode.INVALID, check.message);
      else if (await em.count(Enterprise, { creditCode })) {
        v.add(['input', 'creditCode'], UserErrorCode.TAKEN, `An enterprise with credit code ${creditCode} is already registered.`);
      }
    }
    checkPublicity(v, input.ultraLowEmissionStatus, input.ultraLowEmissionPublicisedOn ?? null);
    const city = await em.findOne(City, { slug: input.city.trim() });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    v.throwIfAny();

    const enterprise = Object.assign(new Enterprise(), {
      cityId: city!.id,
      name,
      creditCode,
      industry: input.industry,
      size: input.size,
      keyDischarger: input.keyDischarger ?? false,
      onlineMonitoring: input.onlineMonitoring ?? false,
      ultraLowEmissionStatus: input.ultraLowEmissionStatus,
      ultraLowEmissionPublicisedOn: input.ultraLowEmissionPublicisedOn ?? null,
      protectedClass: input.protectedClass,
      benchmark: input.benchmark ?? false,
      positiveList: input.positiveList ?? false,
      currentGrade: null,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.persist(enterprise).flush();
    return enterprise;
  }

  /** Changes the given attributes of an enterprise; bumps its version when anything changed. */
  static async update(ctx: RequestContext, em: EntityManager, input: UpdateEnterpriseInput): Promise<Enterprise> {
    const id = parseId(input.id, 'input.id');
    const e = await em.findOne(Enterprise, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!e) throw notFound('enterprise', 'input.id', input.id);
    if (input.version != null && input.version !== e.version) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The enterprise is at version ${e.version}, not ${input.version}; reload and retry.`);
    }

    const v = new Violations();
    const next = {
      name: e.name,
      industry: input.industry ?? e.industry,
      size: input.size ?? e.size,
      keyDischarger: input.keyDischarger ?? e.keyDischarger,
      onlineMonitoring: input.onlineMonitoring ?? e.onlineMonitoring,
      ultraLowEmissionStatus: input.ultraLowEmissionStatus ?? e.ultraLowEmissionStatus,
      ultraLowEmissionPublicisedOn: input.ultraLowEmissionPublicisedOn !== undefined ? input.ultraLowEmissionPublicisedOn : e.ultraLowEmissionPublicisedOn,
      protectedClass: input.protectedClass ?? e.protectedClass,
      benchmark: input.benchmark ?? e.benchmark,
      positiveList: input.positiveList ?? e.positiveList,
    };
    if (input.name != null) {
      next.name = input.name.trim();
      if (!next.name) v.add(['input', 'name'], UserErrorCode.REQUIRED, 'The name cannot be empty.');
      else checkName(v, ['input', 'name'], next.name);
    }
    // A status below ASSESSED_AND_PUBLICISED withdraws the publicity unless a date is given with it.
    if (next.ultraLowEmissionStatus !== UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED && input.ultraLowEmissionPublicisedOn === undefined) next.ultraLowEmissionPublicisedOn = null;
    checkPublicity(v, next.ultraLowEmissionStatus, next.ultraLowEmissionPublicisedOn);
    if (!mayHoldGrade(next.industry, next.ultraLowEmissionStatus, e.currentGrade)) {
      const field = next.ultraLowEmissionStatus !== e.ultraLowEmissionStatus ? 'ultraLowEmissionStatus' : 'industry';
      v.add(
        ['input', field],
        UserErrorCode.NOT_ALLOWED,
        `The enterprise holds grade ${e.currentGrade}, which in ${next.industry} requires assessed-and-publicised ultra-low emission; record a downgrade first.`,
      );
    }
    v.throwIfAny();

    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== e[k]);
    if (changed.length === 0) return e;
    Object.assign(e, next);
    e.updatedBy = ctx.actor.id;
    await em.flush();
    return e;
  }

  /**
   * Records a grade change and makes its to-grade the enterprise's current grade. The enterprise row
   * is locked first, so concurrent changes of one enterprise serialize and each sees the grade the
   * previous one left. Falsified monitoring also withdraws the preferential listings (benchmark,
   * positive list).
   */
  static async recordGradeChange(
    ctx: RequestContext,
    em: EntityManager,
    input: RecordGradeChangeInput,
  ): Promise<{ gradeChange: GradeChange; enterprise: Enterprise }> {
    const id = parseId(input.enterpriseId, 'input.enterpriseId');
    const e = await em.findOne(Enterprise, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!e) throw notFound('enterprise', 'input.enterpriseId', input.enterpriseId);

    const v = new Violations();
    const decidedBy = input.decidedBy.trim();
    if (!decidedBy) v.add(['input', 'decidedBy'], UserErrorCode.REQUIRED, 'Who decided the change is required.');
    else checkName(v, ['input', 'decidedBy'], decidedBy);
    for (const rule of gradeChangeViolations({
      industry: e.industry,
      ultraLowEmissionStatus: e.ultraLowEmissionStatus,
      currentGrade: e.currentGrade,
      toGrade: input.toGrade,
      reason: input.reason,
    })) {
      v.add(['input', rule.field], UserErrorCode.NOT_ALLOWED, rule.message);
    }
    const now = new Date();
    const decidedAt = input.decidedAt ?? now;
    if (decidedAt.getTime() > now.getTime()) {
      v.add(['input', 'decidedAt'], UserErrorCode.INVALID_DATE, 'A grade change cannot be decided in the future.');
    } else {
      const latest = await em.findOne(GradeChange, { enterpriseId: id }, { orderBy: { decidedAt: 'desc', id: 'desc' } });
      if (latest && decidedAt.getTime() < latest.decidedAt.getTime()) {
        v.add(
          ['input', 'decidedAt'],
          UserErrorCode.INVALID_DATE,
          `The enterprise's latest grade change was decided at ${latest.decidedAt.toISOString()}; a new one cannot precede it.`,
        );
      }
    }
    v.throwIfAny();

    const gradeChange = Object.assign(new GradeChange(), {
      enterpriseId: e.id,
      cityId: e.cityId,
      fromGrade: e.currentGrade,
      toGrade: input.toGrade,
      reason: input.reason,
      note: input.note?.trim() || null,
      decidedBy,
      decidedAt,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    em.persist(gradeChange);
    e.currentGrade = input.toGrade;
    if (input.reason === GradeChangeReason.FALSIFIED_MONITORING) {
      e.benchmark = false;
      e.positiveList = false;
    }
    e.updatedBy = ctx.actor.id;
    await em.flush();
    return { gradeChange, enterprise: e };
  }
}
