import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, GradeChangeReason, ProtectedClassStatus, UltraLowEmissionStatus } from '@airledger/schema';
import { isIsoDate, todayInChina } from '../../common/scalars.js';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { checkName } from '../../common/text.js';
import { inScope, requireWritableCity, requireWriter, scopeCondition } from '../../common/auth.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { declaredChildPage, declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { GeographyService } from '../geography/geography.service.js';
import { ENTERPRISE_READS } from './enterprise.reads.js';
import { checkCreditCode, normalizeCreditCode } from './credit-code.js';
import { Enterprise, GradeChange } from './enterprise.entity.js';
import {
  type CityEnterpriseFilter,
  type CreateEnterpriseInput,
  type EnterpriseFilter,
  type EnterpriseOrder,
  type GradeChangeFilter,
  type RecordGradeChangeInput,
  type RecordProtectedClassStepInput,
  type UpdateEnterpriseInput,
} from './enterprise.types.js';
import { gradeChangeViolations, mayHoldGrade } from './grade-rules.js';
import { PROTECTED_CHAIN, protectedStepViolations } from './protected-chain.js';

/**
 * The condition and sort of the enterprises collection, from its declaration (ENTERPRISE_READS):
 * the connection and the exports (modules/export) both use it, so that a filter means the same in
 * both.
 */
export function enterpriseListQuery(
  ctx: RequestContext,
  filter: EnterpriseFilter | null | undefined,
  order: EnterpriseOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [ENTERPRISE_READS], 'enterprises', { filter, orderBy: order }, t);
}

/** The condition and sort of the grade-change history, from its declaration (shared by the connection and the exports). */
export function gradeChangeListQuery(ctx: RequestContext, filter: GradeChangeFilter | null | undefined, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [ENTERPRISE_READS], 'gradeChanges', { filter }, t);
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
    return declaredPage(ctx, [ENTERPRISE_READS], 'enterprises', { filter, orderBy: order, ...page });
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
    return declaredPage(ctx, [ENTERPRISE_READS], 'gradeChanges', { filter, ...page });
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
    return declaredChildPage(ctx, [ENTERPRISE_READS], 'Enterprise', 'gradeChanges', enterprise.id, { ...page });
  }

  /** A city's enterprises, batched over every city of the request. */
  static enterprisesOfCity(
    ctx: RequestContext,
    city: City,
    filter: CityEnterpriseFilter | null | undefined,
    order: EnterpriseOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Enterprise>> {
    return declaredChildPage(ctx, [ENTERPRISE_READS], 'City', 'enterprises', city.id, { filter, orderBy: order, ...page });
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
    if (input.protectedClass && input.protectedClass !== ProtectedClassStatus.NONE) {
      v.add(['input', 'protectedClass'], UserErrorCode.PROTECTED_CLASS_BY_CHAIN, 'A new enterprise is not protected: record the approval chain with recordProtectedClassStep.');
    }
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
      protectedClass: ProtectedClassStatus.NONE,
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
      protectedClass: e.protectedClass,
      benchmark: input.benchmark ?? e.benchmark,
      positiveList: input.positiveList ?? e.positiveList,
    };
    if (input.protectedClass != null && input.protectedClass !== e.protectedClass) {
      v.add(['input', 'protectedClass'], UserErrorCode.PROTECTED_CLASS_BY_CHAIN, `The protected class follows its approval chain (now ${e.protectedClass}): record steps with recordProtectedClassStep.`);
    }
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

  /**
   * Records a step of the protected class's approval chain (city consent, provincial review,
   * ministry filing): by its role only, after the step it follows and not dated before it. The
   * enterprise row is locked first, so that concurrent steps of one enterprise serialize.
   */
  static async recordProtectedClassStep(ctx: RequestContext, em: EntityManager, input: RecordProtectedClassStepInput): Promise<Enterprise> {
    requireWriter(ctx);
    const id = parseId(input.enterpriseId, 'input.enterpriseId');
    const e = await em.findOne(Enterprise, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!e) throw notFound('enterprise', 'input.enterpriseId', input.enterpriseId);
    if (input.version != null && input.version !== e.version) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The enterprise is at version ${e.version}, not ${input.version}; reload and retry.`);
    }
    const v = new Violations();
    if (!isIsoDate(input.decidedOn)) v.add(['input', 'decidedOn'], UserErrorCode.INVALID_DATE, 'Must be a date (YYYY-MM-DD).');
    else for (const x of protectedStepViolations(e, input.step, input.decidedOn, ctx.actor, todayInChina())) v.add(['input', x.field], x.code, x.message);
    v.throwIfAny();
    const s = PROTECTED_CHAIN.find((c) => c.step === input.step)!;
    e[s.on] = input.decidedOn;
    e[s.by] = ctx.actor.id;
    e.protectedClass = s.reaches;
    e.updatedBy = ctx.actor.id;
    await em.flush();
    return e;
  }
}
