import { cityIdsWhere } from '../geography/geography.service.js';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { ClueSource, ClueStage, DataOrigin, EnforcementActionKind, FraudListEntryKind, GradeChangeReason, PerformanceGrade, SpotCheckResult } from '@airledger/schema';
import { forbidden, inScope, READS, requireRead, requireWritableCity, requireWriter, scopeCityIds, scopeCondition } from '../../common/auth.js';
import { declaredChildPage, declaredPage, declaredRootQuery, declaredRows, type DeclaredQuery } from '../../common/compiled/declared.js';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { leanShape, SortDirection, type Connection, type OrderSpec, type PageArgs } from '../../common/pagination.js';
import { isIsoDate, todayInChina } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import { checkName } from '../../common/text.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { requireCampaign } from '../campaign/campaign.service.js';
import { checkCreditCode, normalizeCreditCode } from '../enterprise/credit-code.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { EnterpriseService } from '../enterprise/enterprise.service.js';
import { City, Province } from '../geography/geography.entity.js';
import { campaignOrLatest } from '../target/target.service.js';
import { MeasureCheck } from '../warning/reduction.entity.js';
import { clueStatsByPlace, daysOverdueSql, dueSql, emptyStats } from './supervision.figures.js';
import {
  CityAssessmentVerdict,
  Clue,
  ClueStep,
  EnforcementAction,
  FalsificationFinding,
  FraudListEntry,
  Inspection,
  SubsidyBlock,
  SupervisionRound,
} from './supervision.entity.js';
import { SUPERVISION_READS } from './supervision.reads.js';
import { actionViolations, CLUE_STEPS, ClueStepKind, isConfirmedStage, spotCheckOutcome, stepRefusal } from './supervision.rules.js';
import {
  type ClueFilter,
  type ClueOrder,
  type ClueStats,
  type ClueStepInput,
  type CloseClueUnfoundedInput,
  type ConfirmClueInput,
  type CreateSupervisionRoundInput,
  type EnforcementActionFilter,
  type EnterpriseClueFilter,
  type FraudListFilter,
  type InspectionFilter,
  type OverdueClue,
  type PubliciseEnforcementActionInput,
  type RecordClueInput,
  type RecordClueSpotCheckResultInput,
  type RecordEnforcementActionInput,
  type RecordFalsificationInput,
  type RecordInspectionInput,
  type SupervisionRoundFilter,
} from './supervision.types.js';

const NOTE_LIMIT = 4000;
const f = (name: string) => ['input', name];

// ------------------------------------------------------------------------------------- declared reads

/**
 * The conditions and sort of each collection, from its declaration (SUPERVISION_READS): the
 * connections, the exports (modules/export) and the watch list all read through these, so that a
 * filter means the same everywhere.
 */
export function clueListQuery(ctx: RequestContext, filter: ClueFilter | null | undefined, order: ClueOrder | null | undefined, t = 'x'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.clues);
  return declaredRootQuery(ctx, [SUPERVISION_READS], 'clues', { filter, orderBy: order }, t);
}

/** The published fraud list: public (anonymous callers read it), kept to a scoped key's cities like every city-scoped list. */
export function fraudListQuery(ctx: RequestContext, filter: FraudListFilter | null | undefined, t = 'x'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.fraudList);
  return declaredRootQuery(ctx, [SUPERVISION_READS], 'fraudList', { filter }, t);
}

/** Steps of a clue: in their order. */
export const STEP_ORDER: OrderSpec = { property: 'seq', direction: SortDirection.ASC };

/** Whether new subsidy disbursements to an enterprise are blocked (a confirmed falsification of its monitoring data). */
export async function subsidyBlockOf(em: EntityManager, enterpriseId: number): Promise<{ blockedOn: string } | null> {
  const block = await em.findOne(SubsidyBlock, { enterpriseId }, { orderBy: { id: 'asc' } });
  return block ? { blockedOn: block.blockedOn } : null;
}

// ------------------------------------------------------------------------------------- helpers

function noteOf(v: Violations, note: string | null | undefined, field: string[], required = false): string | null {
  const text = note?.trim() || null;
  if (!text && required) v.add(field, UserErrorCode.REQUIRED, 'A note is required.');
  if (text && text.length > NOTE_LIMIT) v.add(field, UserErrorCode.OUT_OF_RANGE, `At most ${NOTE_LIMIT} characters.`);
  return text;
}

/** The transaction's start (what the audit trail records as occurredAt), to the millisecond of the columns. */
async function transactionTime(em: EntityManager): Promise<Date> {
  const { rows } = await knexOf(em).raw(`select now()::timestamptz(3) as now`);
  return new Date(rows[0].now);
}

/** A clue of the caller's cities, locked for a step; NOT_FOUND outside them; CONFLICT on a stale version. */
async function lockClue(ctx: RequestContext, em: EntityManager, id: string, version: number | null | undefined, field = 'input.id'): Promise<Clue> {
  const key = parseId(id, field);
  const clue = await em.findOne(Clue, { id: key, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!clue) throw notFound('clue', field, id);
  if (version != null && version !== clue.version) {
    throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The clue is at version ${clue.version}, not ${version}; reload and retry.`);
  }
  return clue;
}

/** The stage machine's check of a step: FORBIDDEN for a role that may not take it, a user error naming the rule otherwise. */
function checkStep(ctx: RequestContext, clue: Clue, step: ClueStepKind): void {
  requireWriter(ctx);
  const refusal = stepRefusal(step, clue.stage, ctx.actor.role);
  if (!refusal) return;
  if (refusal.kind === 'ROLE') throw forbidden(refusal.message);
  const code = refusal.kind === 'SPOT_CHECK_RESULT_REQUIRED' ? UserErrorCode.SPOT_CHECK_RESULT_REQUIRED : UserErrorCode.INVALID_TRANSITION;
  throw LedgerError.of(['input', 'id'], code, refusal.message);
}

const STAGE_COLUMN: Partial<Record<ClueStage, keyof Clue>> = {
  [ClueStage.INVESTIGATING]: 'investigatingAt',
  [ClueStage.RECTIFYING]: 'rectifyingAt',
  [ClueStage.SUPERVISED]: 'supervisedAt',
  [ClueStage.SPOT_CHECK]: 'spotCheckAt',
  [ClueStage.CLOSED]: 'closedAt',
  [ClueStage.CLOSED_UNFOUNDED]: 'closedAt',
};

/** Moves a clue to `to` and appends the step (dated with the transaction's time, attributed to the actor). */
async function takeStep(
  ctx: RequestContext,
  em: EntityManager,
  clue: Clue,
  to: ClueStage,
  extra: { note: string | null; spotCheckResult?: SpotCheckResult | null; rectificationDue?: string | null },
): Promise<{ clue: Clue; step: ClueStep }> {
  const now = await transactionTime(em);
  const last = await em.findOne(ClueStep, { clueId: clue.id }, { orderBy: { seq: 'desc' } });
  const step = em.create(ClueStep, {
    clueId: clue.id,
    cityId: clue.cityId,
    seq: (last?.seq ?? 0) + 1,
    fromStage: clue.stage,
    toStage: to,
    enteredAt: now,
    role: ctx.actor.role,
    note: extra.note,
    spotCheckResult: extra.spotCheckResult ?? null,
    rectificationDue: extra.rectificationDue ?? null,
    origin: DataOrigin.RECORDED,
    createdBy: ctx.actor.id,
    updatedBy: ctx.actor.id,
  });
  const column = STAGE_COLUMN[to];
  if (column) (clue as unknown as Record<string, unknown>)[column] = now;
  clue.stage = to;
  clue.updatedBy = ctx.actor.id;
  await em.flush();
  return { clue, step };
}

function checkDay(v: Violations, field: string[], day: string, rule: 'notFuture' | 'notPast'): void {
  const today = todayInChina();
  if (!isIsoDate(day)) v.add(field, UserErrorCode.INVALID, 'Must be a day as YYYY-MM-DD.');
  else if (rule === 'notFuture' && day > today) v.add(field, UserErrorCode.INVALID_DATE, `Must not be in the future (today is ${today} in China).`);
  else if (rule === 'notPast' && day < today) v.add(field, UserErrorCode.INVALID_DATE, `Must not be in the past (today is ${today} in China).`);
}

export class SupervisionService {
  // ---------------------------------------------------------------- queries

  static rounds(ctx: RequestContext, filter: SupervisionRoundFilter | null | undefined, page: PageArgs): Promise<Connection<SupervisionRound>> {
    requireRead(ctx, READS.clues);
    return declaredPage(ctx, [SUPERVISION_READS], 'supervisionRounds', { filter, ...page });
  }

  static async round(ctx: RequestContext, id: string): Promise<SupervisionRound> {
    requireRead(ctx, READS.clues);
    const r = await ctx.loaders.byId(SupervisionRound).load(parseId(id, 'id'));
    if (!r) throw notFound('supervision round', 'id', id);
    return r;
  }

  static clues(ctx: RequestContext, filter: ClueFilter | null | undefined, order: ClueOrder | null | undefined, page: PageArgs): Promise<Connection<Clue>> {
    requireRead(ctx, READS.clues);
    return declaredPage(ctx, [SUPERVISION_READS], 'clues', { filter, orderBy: order, ...page });
  }

  static async clue(ctx: RequestContext, id: string): Promise<Clue> {
    requireRead(ctx, READS.clues);
    const c = await ctx.loaders.byId(Clue).load(parseId(id, 'id'));
    if (!c || !inScope(ctx, c.cityId)) throw notFound('clue', 'id', id);
    return c;
  }

  /** Clues of one parent (enterprise or round), batched over the parents of the request (the declared child connections). */
  static childClues(
    ctx: RequestContext,
    parentType: 'Enterprise' | 'SupervisionRound',
    parentId: number,
    filter: EnterpriseClueFilter | null | undefined,
    order: ClueOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Clue>> {
    requireRead(ctx, READS.clues);
    return declaredChildPage(ctx, [SUPERVISION_READS], parentType, 'clues', parentId, { filter, orderBy: order, ...page });
  }

  static stepsOf(ctx: RequestContext, clue: Clue): Promise<ClueStep[]> {
    return ctx.loaders.manyBy(ClueStep, 'clueId', STEP_ORDER).load(clue.id);
  }

  static actionsOf(ctx: RequestContext, clue: Clue): Promise<EnforcementAction[]> {
    return ctx.loaders.manyBy(EnforcementAction, 'clueId', { property: 'id', direction: SortDirection.ASC }).load(clue.id);
  }

  static async falsificationOf(ctx: RequestContext, clue: Clue): Promise<FalsificationFinding | null> {
    return ctx.loaders.byUnique<FalsificationFinding, number>(FalsificationFinding, 'clueId').load(clue.id);
  }

  static entriesOf(ctx: RequestContext, finding: FalsificationFinding): Promise<FraudListEntry[]> {
    return ctx.loaders.manyBy(FraudListEntry, 'findingId', { property: 'id', direction: SortDirection.ASC }).load(finding.id);
  }

  /** Days a clue is overdue today (supervision.figures.ts), batched over the clues of the request. */
  static async daysOverdue(ctx: RequestContext, clue: Clue): Promise<number> {
    return ctx.loaders
      .custom<number, number>('clueDaysOverdue', async (ids) => {
        const { rows } = await knexOf(ctx.em).raw(`select x.id, ${daysOverdueSql('x')}::int as days from clue x where x.id = any(?::int[])`, [[...ids]]);
        const byId = new Map((rows as { id: number; days: number }[]).map((r) => [r.id, r.days]));
        return ids.map((id) => byId.get(id) ?? 0);
      })
      .load(clue.id);
  }

  /**
   * The watch list: open clues past their due day, most overdue first (then by id), in one SQL
   * statement over the declared clue filter (and the caller's cities): the clues, their due day
   * and days overdue.
   */
  static async overdueClues(ctx: RequestContext, filter: ClueFilter | null | undefined, first: number | null | undefined): Promise<OverdueClue[]> {
    const limit = Math.min(Math.max(first ?? 100, 0), 500);
    const d = await clueListQuery(ctx, filter, null, 't');
    if (limit === 0) return [];
    const shape = leanShape(ctx.em, Clue);
    const found = await declaredRows(
      ctx.em,
      `select ${shape.columns('t')}, to_char(o.due, 'YYYY-MM-DD') as "overdue_due_on", o.days as "overdue_days"
       from clue "t" cross join lateral (select ${dueSql('t')} as due, (${daysOverdueSql('t')})::int as days) o
       where ${[...d.conditions, 'o.days > 0'].join(' and ')}
       order by o.days desc, t.id limit ${limit}`,
      d.values,
    );
    return found.map((r) => ({ clue: shape.map(r) as unknown as Clue, dueOn: r.overdue_due_on as string, daysOverdue: Number(r.overdue_days) }));
  }

  static actions(ctx: RequestContext, filter: EnforcementActionFilter | null | undefined, page: PageArgs): Promise<Connection<EnforcementAction>> {
    requireRead(ctx, READS.enforcementActions);
    return declaredPage(ctx, [SUPERVISION_READS], 'enforcementActions', { filter, ...page });
  }

  static fraudList(ctx: RequestContext, filter: FraudListFilter | null | undefined, page: PageArgs): Promise<Connection<FraudListEntry>> {
    requireRead(ctx, READS.fraudList);
    return declaredPage(ctx, [SUPERVISION_READS], 'fraudList', { filter, ...page });
  }

  static inspections(ctx: RequestContext, filter: InspectionFilter | null | undefined, page: PageArgs): Promise<Connection<Inspection>> {
    requireRead(ctx, READS.clues);
    return declaredPage(ctx, [SUPERVISION_READS], 'inspections', { filter, ...page });
  }

  /** A city's supervision figures for a campaign, batched over every city of the request (three statements). */
  static async clueStatsOfCity(ctx: RequestContext, city: City, campaignCode: string | null | undefined): Promise<ClueStats> {
    requireRead(ctx, READS.clues);
    const campaign = await campaignOrLatest(ctx.em, campaignCode, 'campaign');
    if (!inScope(ctx, city.id)) return emptyStats();
    return ctx.loaders
      .custom<number, ClueStats>(`clueStats:${campaign.id}`, async (ids) => {
        const stats = await clueStatsByPlace(knexOf(ctx.em), 'c.id::text', campaign.id, [...ids]);
        return ids.map((id) => stats.get(String(id)) ?? emptyStats());
      })
      .load(city.id);
  }

  /** A round's figures over the caller's cities. */
  static async clueStatsOfRound(ctx: RequestContext, round: SupervisionRound): Promise<ClueStats> {
    requireRead(ctx, READS.clues);
    const scope = scopeCityIds(ctx) ?? (await cityIdsWhere(ctx.em));
    const stats = await clueStatsByPlace(knexOf(ctx.em), `'round'`, round.campaignId, scope, round.id);
    return stats.get('round') ?? emptyStats();
  }

  static async subsidyBlocked(ctx: RequestContext, enterprise: Enterprise): Promise<boolean> {
    return ctx.loaders
      .custom<number, boolean>('subsidyBlocked', async (ids) => {
        const rows = await ctx.em.find(SubsidyBlock, { enterpriseId: { $in: [...ids] } }, { fields: ['enterpriseId'] });
        const blocked = new Set(rows.map((r) => r.enterpriseId));
        return ids.map((id) => blocked.has(id));
      })
      .load(enterprise.id);
  }

  // ---------------------------------------------------------------- rounds

  /** Pushes a round: the ministry for any city, a province for its own cities. */
  static async createRound(ctx: RequestContext, em: EntityManager, input: CreateSupervisionRoundInput): Promise<SupervisionRound> {
    requireWriter(ctx);
    if (ctx.actor.role === 'CITY') throw forbidden('Rounds are pushed by the ministry or a province; a CITY key acts on the clues pushed to it.');
    const v = new Violations();
    const campaign = await campaignOrLatest(em, input.campaign, 'input.campaign');
    let provinceId: number | null = null;
    if (input.province != null) {
      const p = await em.findOne(Province, { slug: input.province.trim() });
      if (!p) v.add(f('province'), UserErrorCode.NOT_FOUND, `No province with slug "${input.province}".`);
      else {
        if (ctx.actor.role === 'PROVINCE' && ctx.actor.provinceId !== p.id) throw forbidden(`Your PROVINCE key may push rounds of its own province only, not of ${p.nameEn}.`);
        provinceId = p.id;
      }
    } else if (ctx.actor.role === 'PROVINCE') {
      throw forbidden('A round without a province is the ministry\'s; a PROVINCE key pushes rounds of its own province (give `province`).');
    }
    if (!Number.isInteger(input.number) || input.number < 1 || input.number > 999) v.add(f('number'), UserErrorCode.OUT_OF_RANGE, 'Must be between 1 and 999.');
    const title = input.title.trim();
    if (!title) v.add(f('title'), UserErrorCode.REQUIRED, 'A round needs a title.');
    else if (title.length > 200) v.add(f('title'), UserErrorCode.OUT_OF_RANGE, 'At most 200 characters.');
    checkDay(v, f('pushedOn'), input.pushedOn, 'notFuture');
    if (input.dueOn < input.pushedOn) v.add(f('dueOn'), UserErrorCode.INVALID_DATE, 'Must not be before pushedOn.');
    if (v.empty && (await em.count(SupervisionRound, { campaignId: campaign.id, provinceId, number: input.number }))) {
      v.add(f('number'), UserErrorCode.TAKEN, `Round ${input.number} of this pusher already exists in ${campaign.code}.`);
    }
    v.throwIfAny();
    const round = em.create(SupervisionRound, {
      campaignId: campaign.id,
      provinceId,
      number: input.number,
      title,
      pushedOn: input.pushedOn,
      dueOn: input.dueOn,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return round;
  }

  // ---------------------------------------------------------------- clues

  /** Records a clue (stage IDENTIFIED). A clue of a round is added by the round's pusher; a clue without one by anyone writing for the city. */
  static async recordClue(ctx: RequestContext, em: EntityManager, input: RecordClueInput): Promise<{ clue: Clue; step: ClueStep }> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city.trim() });
    if (!city) throw LedgerError.of(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    requireWritableCity(ctx, city.id, city.nameEn);
    let campaign: Campaign;
    let roundId: number | null = null;
    if (input.roundId != null) {
      const round = await em.findOne(SupervisionRound, { id: parseId(input.roundId, 'input.roundId') });
      if (!round) throw notFound('supervision round', 'input.roundId', input.roundId);
      if (ctx.actor.role === 'CITY') throw forbidden('Clues of a round are pushed by its pusher (the ministry or the province); a CITY key records clues of its own without a round.');
      if (round.provinceId !== null && ctx.actor.role !== 'MINISTRY' && ctx.actor.role !== 'SYSTEM' && ctx.actor.provinceId !== round.provinceId) {
        throw forbidden('Only the province that pushed the round (or the ministry) adds clues to it.');
      }
      if (round.provinceId === null && ctx.actor.role === 'PROVINCE') throw forbidden('The round is the ministry\'s: only the ministry adds clues to it.');
      if (round.provinceId !== null && city.provinceId !== round.provinceId) v.add(f('city'), UserErrorCode.NOT_ALLOWED, `A round of a province pushes clues to its own cities; ${city.nameEn} is not one.`);
      if (input.campaign != null && (await requireCampaign(em, input.campaign, 'input.campaign')).id !== round.campaignId) {
        v.add(f('campaign'), UserErrorCode.INVALID, 'A clue of a round is of the round\'s campaign.');
      }
      campaign = (await em.findOne(Campaign, { id: round.campaignId }))!;
      roundId = round.id;
    } else {
      campaign = await campaignOrLatest(em, input.campaign, 'input.campaign');
    }
    let enterpriseId: number | null = null;
    let measureCheckId: number | null = null;
    if (input.measureCheckId != null) {
      const check = await em.findOne(MeasureCheck, { id: parseId(input.measureCheckId, 'input.measureCheckId'), ...scopeCondition(ctx) });
      if (!check) v.add(f('measureCheckId'), UserErrorCode.NOT_FOUND, `No measure check with id "${input.measureCheckId}".`);
      else if (String(check.result) !== 'FAILED') v.add(f('measureCheckId'), UserErrorCode.NOT_ALLOWED, 'The measure check passed: only a failed check opens a clue.');
      else if (check.cityId !== city.id) v.add(f('measureCheckId'), UserErrorCode.NOT_ALLOWED, `The measure check is not of ${city.nameEn}.`);
      else if (input.source !== ClueSource.EMERGENCY_CHECK_FAILURE) v.add(f('source'), UserErrorCode.INVALID, 'A clue from a failed measure check has source EMERGENCY_CHECK_FAILURE.');
      else if (input.enterpriseId != null && parseId(input.enterpriseId, 'input.enterpriseId') !== check.enterpriseId) {
        v.add(f('enterpriseId'), UserErrorCode.NOT_ALLOWED, 'The measure check is of another enterprise.');
      } else if (await em.count(Clue, { measureCheckId: check.id })) v.add(f('measureCheckId'), UserErrorCode.TAKEN, 'A clue was already opened from this measure check.');
      else {
        measureCheckId = check.id;
        if (input.enterpriseId == null) enterpriseId = check.enterpriseId;
      }
    }
    if (input.enterpriseId != null) {
      const e = await em.findOne(Enterprise, { id: parseId(input.enterpriseId, 'input.enterpriseId'), ...scopeCondition(ctx) });
      if (!e) v.add(f('enterpriseId'), UserErrorCode.NOT_FOUND, `No enterprise with id "${input.enterpriseId}".`);
      else if (e.cityId !== city.id) v.add(f('enterpriseId'), UserErrorCode.NOT_ALLOWED, `The enterprise is not in ${city.nameEn}.`);
      else enterpriseId = e.id;
    }
    const location = input.location?.trim() || null;
    if (location && location.length > 500) v.add(f('location'), UserErrorCode.OUT_OF_RANGE, 'At most 500 characters.');
    if (input.enterpriseId == null && input.measureCheckId == null && !location) v.add(f('location'), UserErrorCode.REQUIRED, 'A clue names an enterprise or a location.');
    const evidence = noteOf(v, input.evidence, f('evidence'), true);
    v.throwIfAny();
    const now = await transactionTime(em);
    const clue = em.create(Clue, {
      cityId: city.id,
      campaignId: campaign.id,
      roundId,
      enterpriseId,
      measureCheckId,
      location,
      source: input.source,
      topic: input.topic,
      evidence: evidence!,
      stage: ClueStage.IDENTIFIED,
      identifiedAt: now,
      investigatingAt: null,
      rectifyingAt: null,
      supervisedAt: null,
      spotCheckAt: null,
      closedAt: null,
      rectificationDue: null,
      confirmed: null,
      spotCheckResult: null,
      spotCheckFailed: false,
      reopenCount: 0,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    const step = em.create(ClueStep, {
      clueId: clue.id,
      cityId: clue.cityId,
      seq: 1,
      fromStage: null,
      toStage: ClueStage.IDENTIFIED,
      enteredAt: now,
      role: ctx.actor.role,
      note: null,
      spotCheckResult: null,
      rectificationDue: null,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return { clue, step };
  }

  static async startInvestigation(ctx: RequestContext, em: EntityManager, input: ClueStepInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.START_INVESTIGATION);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    return takeStep(ctx, em, clue, ClueStage.INVESTIGATING, { note });
  }

  static async confirm(ctx: RequestContext, em: EntityManager, input: ConfirmClueInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.CONFIRM);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    checkDay(v, f('rectificationDue'), input.rectificationDue, 'notPast');
    v.throwIfAny();
    clue.confirmed = true;
    clue.rectificationDue = input.rectificationDue;
    return takeStep(ctx, em, clue, ClueStage.RECTIFYING, { note, rectificationDue: input.rectificationDue });
  }

  static async closeUnfounded(ctx: RequestContext, em: EntityManager, input: CloseClueUnfoundedInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.CLOSE_UNFOUNDED);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'), true);
    v.throwIfAny();
    clue.confirmed = false;
    return takeStep(ctx, em, clue, ClueStage.CLOSED_UNFOUNDED, { note });
  }

  static async reportRectified(ctx: RequestContext, em: EntityManager, input: ClueStepInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.REPORT_RECTIFIED);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    return takeStep(ctx, em, clue, ClueStage.SUPERVISED, { note });
  }

  static async selectForSpotCheck(ctx: RequestContext, em: EntityManager, input: ClueStepInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.SELECT_FOR_SPOT_CHECK);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    return takeStep(ctx, em, clue, ClueStage.SPOT_CHECK, { note });
  }

  static async recordSpotCheckResult(ctx: RequestContext, em: EntityManager, input: RecordClueSpotCheckResultInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.RECORD_SPOT_CHECK_RESULT);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    const failed = input.result !== SpotCheckResult.PASSED;
    if (input.result === SpotCheckResult.RECTIFICATION_FAILED) {
      if (input.rectificationDue == null) v.add(f('rectificationDue'), UserErrorCode.REQUIRED, 'A failed rectification reopens the clue to RECTIFYING: give the new due day.');
      else checkDay(v, f('rectificationDue'), input.rectificationDue, 'notPast');
    } else if (input.rectificationDue != null) {
      v.add(f('rectificationDue'), UserErrorCode.INVALID, `Only RECTIFICATION_FAILED sets a new due day; ${input.result} does not.`);
    }
    v.throwIfAny();
    clue.spotCheckResult = input.result;
    if (failed) {
      clue.spotCheckFailed = true;
      clue.reopenCount += 1;
    }
    if (input.result === SpotCheckResult.RECTIFICATION_FAILED) clue.rectificationDue = input.rectificationDue!;
    return takeStep(ctx, em, clue, spotCheckOutcome(input.result), { note, spotCheckResult: input.result, rectificationDue: input.rectificationDue ?? null });
  }

  static async close(ctx: RequestContext, em: EntityManager, input: ClueStepInput) {
    const clue = await lockClue(ctx, em, input.id, input.version);
    checkStep(ctx, clue, ClueStepKind.CLOSE);
    const v = new Violations();
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    return takeStep(ctx, em, clue, CLUE_STEPS[ClueStepKind.CLOSE].to, { note });
  }

  // ---------------------------------------------------------------- falsification

  /**
   * Records a confirmed falsification of monitoring data and, in the same transaction, every
   * consequence: a grade change to D with reason FALSIFIED_MONITORING (also from D: the sanction is
   * recorded), benchmark and positive list withdrawn, new subsidy disbursements blocked, fraud list
   * entries for the enterprise and every institution and person named, and the city's assessment
   * for the campaign marked unqualified. Any failure rolls all of it back (runMutation).
   */
  static async recordFalsification(ctx: RequestContext, em: EntityManager, input: RecordFalsificationInput): Promise<{ finding: FalsificationFinding; enterprise: Enterprise }> {
    requireWriter(ctx);
    const clue = await lockClue(ctx, em, input.clueId, null, 'input.clueId');
    const v = new Violations();
    if (!isConfirmedStage(clue.stage)) {
      v.add(f('clueId'), UserErrorCode.INVALID_TRANSITION, `A falsification is recorded on a confirmed clue (RECTIFYING or later); this clue is ${clue.stage}.`);
    }
    if (clue.enterpriseId === null) v.add(f('clueId'), UserErrorCode.NOT_ALLOWED, 'The clue names no enterprise: a falsification of monitoring data is an enterprise\'s.');
    if (await em.count(FalsificationFinding, { clueId: clue.id })) v.add(f('clueId'), UserErrorCode.TAKEN, 'A falsification was already recorded on this clue.');
    const decidedBy = input.decidedBy.trim();
    if (!decidedBy) v.add(f('decidedBy'), UserErrorCode.REQUIRED, 'Who decided the finding is required.');
    else checkName(v, f('decidedBy'), decidedBy);
    const note = noteOf(v, input.note, f('note'));
    const institutions = (input.institutions ?? []).map((i, n) => {
      const at = ['input', 'institutions', String(n)];
      const name = i.name.trim();
      if (!name) v.add([...at, 'name'], UserErrorCode.REQUIRED, 'The institution\'s name is required.');
      else checkName(v, [...at, 'name'], name);
      let creditCode: string | null = null;
      if (i.creditCode != null && i.creditCode.trim()) {
        creditCode = normalizeCreditCode(i.creditCode);
        const check = checkCreditCode(creditCode);
        if (!check.valid) v.add([...at, 'creditCode'], UserErrorCode.INVALID, check.message);
      }
      return { name, creditCode };
    });
    const persons = (input.persons ?? []).map((p, n) => {
      const at = ['input', 'persons', String(n)];
      const name = p.name.trim();
      if (!name) v.add([...at, 'name'], UserErrorCode.REQUIRED, 'The person\'s name is required.');
      else checkName(v, [...at, 'name'], name);
      const affiliation = p.affiliation?.trim() || null;
      if (affiliation) checkName(v, [...at, 'affiliation'], affiliation);
      return { name, affiliation };
    });
    v.throwIfAny();

    const now = await transactionTime(em);
    const today = todayInChina(now);
    // 1. The grade change to D (locks the enterprise; withdraws benchmark and positive list).
    const before = await em.findOneOrFail(Enterprise, { id: clue.enterpriseId! }, { refresh: true });
    const hadBenchmark = before.benchmark;
    const hadPositiveList = before.positiveList;
    const { gradeChange, enterprise } = await EnterpriseService.recordGradeChange(ctx, em, {
      enterpriseId: String(clue.enterpriseId),
      toGrade: PerformanceGrade.D,
      reason: GradeChangeReason.FALSIFIED_MONITORING,
      decidedBy,
      note: note ?? `Falsified monitoring data (clue ${clue.id}).`,
      decidedAt: now,
    });
    // 2. The finding.
    const finding = em.create(FalsificationFinding, {
      clueId: clue.id,
      cityId: clue.cityId,
      campaignId: clue.campaignId,
      enterpriseId: enterprise.id,
      gradeChangeId: (gradeChange as GradeChange).id,
      benchmarkWithdrawn: hadBenchmark,
      positiveListWithdrawn: hadPositiveList,
      decidedBy,
      decidedAt: now,
      note,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    const common = { findingId: finding.id, cityId: clue.cityId, origin: DataOrigin.RECORDED, createdBy: ctx.actor.id, updatedBy: ctx.actor.id };
    // 3. New subsidy disbursements blocked.
    em.create(SubsidyBlock, { ...common, enterpriseId: enterprise.id, blockedOn: today });
    // 4. The fraud list: the enterprise, the institutions and the persons.
    const entry = (kind: FraudListEntryKind, name: string, extra: Partial<FraudListEntry> = {}) =>
      em.create(FraudListEntry, { ...common, campaignId: clue.campaignId, kind, name, creditCode: null, enterpriseId: null, affiliation: null, listedOn: today, ...extra });
    entry(FraudListEntryKind.ENTERPRISE, enterprise.name, { creditCode: enterprise.creditCode, enterpriseId: enterprise.id });
    for (const i of institutions) entry(FraudListEntryKind.INSTITUTION, i.name, { creditCode: i.creditCode });
    for (const p of persons) entry(FraudListEntryKind.PERSON, p.name, { affiliation: p.affiliation ?? enterprise.name });
    await em.flush();
    // 5. The city's assessment for the campaign: unqualified (the first case decides; later ones keep it).
    await knexOf(em).raw(
      `insert into city_assessment_verdict (city_id, campaign_id, verdict, reason, finding_id, decided_on, origin, created_by, updated_by)
       values (?, ?, 'UNQUALIFIED', 'FALSIFIED_MONITORING', ?, ?, 'RECORDED', ?, ?)
       on conflict (city_id, campaign_id) do nothing`,
      [clue.cityId, clue.campaignId, finding.id, today, ctx.actor.id, ctx.actor.id],
    );
    return { finding, enterprise };
  }

  // ---------------------------------------------------------------- enforcement actions

  static async recordAction(ctx: RequestContext, em: EntityManager, input: RecordEnforcementActionInput): Promise<EnforcementAction> {
    requireWriter(ctx);
    const clue = await lockClue(ctx, em, input.clueId, null, 'input.clueId');
    const v = new Violations();
    if (!isConfirmedStage(clue.stage)) {
      v.add(f('clueId'), UserErrorCode.INVALID_TRANSITION, `Enforcement actions follow a confirmed clue (RECTIFYING or later); this clue is ${clue.stage}.`);
    }
    const falsified = (await em.count(FalsificationFinding, { clueId: clue.id })) > 0;
    for (const rule of actionViolations({ kind: input.kind, fineYuan: input.fineYuan, falsified })) {
      v.add(f(rule.field), rule.field === 'kind' ? UserErrorCode.NOT_ALLOWED : input.fineYuan == null ? UserErrorCode.REQUIRED : UserErrorCode.INVALID, rule.message);
    }
    checkDay(v, f('decidedOn'), input.decidedOn, 'notFuture');
    const decidedBy = input.decidedBy.trim();
    if (!decidedBy) v.add(f('decidedBy'), UserErrorCode.REQUIRED, 'Who decided the action is required.');
    else checkName(v, f('decidedBy'), decidedBy);
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    const action = em.create(EnforcementAction, {
      clueId: clue.id,
      cityId: clue.cityId,
      enterpriseId: clue.enterpriseId,
      kind: input.kind,
      fineYuan: input.kind === EnforcementActionKind.FINE ? input.fineYuan! : null,
      publicised: input.publicised ?? false,
      decidedOn: input.decidedOn,
      decidedBy,
      note,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return action;
  }

  /** Publicises an action (公开曝光); publicising a publicised one changes nothing. */
  static async publiciseAction(ctx: RequestContext, em: EntityManager, input: PubliciseEnforcementActionInput): Promise<EnforcementAction> {
    requireWriter(ctx);
    const action = await em.findOne(EnforcementAction, { id: parseId(input.id, 'input.id'), ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!action) throw notFound('enforcement action', 'input.id', input.id);
    if (!action.publicised) {
      action.publicised = true;
      action.updatedBy = ctx.actor.id;
      await em.flush();
    }
    return action;
  }

  // ---------------------------------------------------------------- inspections

  /** Records an inspection; 无事不扰: a positive-list enterprise without a clue needs a reason. */
  static async recordInspection(ctx: RequestContext, em: EntityManager, input: RecordInspectionInput): Promise<Inspection> {
    requireWriter(ctx);
    const e = await em.findOne(Enterprise, { id: parseId(input.enterpriseId, 'input.enterpriseId'), ...scopeCondition(ctx) });
    if (!e) throw notFound('enterprise', 'input.enterpriseId', input.enterpriseId);
    requireWritableCity(ctx, e.cityId, `city ${e.cityId}`);
    const v = new Violations();
    let clue: Clue | null = null;
    if (input.clueId != null) {
      clue = await em.findOne(Clue, { id: parseId(input.clueId, 'input.clueId'), ...scopeCondition(ctx) });
      if (!clue) v.add(f('clueId'), UserErrorCode.NOT_FOUND, `No clue with id "${input.clueId}".`);
      else if (clue.enterpriseId !== e.id) v.add(f('clueId'), UserErrorCode.NOT_ALLOWED, 'The clue is not about this enterprise.');
    }
    checkDay(v, f('inspectedOn'), input.inspectedOn, 'notFuture');
    const reason = noteOf(v, input.reasonWithoutClue, f('reasonWithoutClue'));
    if (input.clueId == null && e.positiveList && !reason) {
      v.add(
        f('reasonWithoutClue'),
        UserErrorCode.REASON_REQUIRED_WITHOUT_CLUE,
        '无事不扰: the enterprise is on the positive list; inspect it without a clue only with a reason (it is counted).',
      );
    }
    if (input.clueId != null && reason) v.add(f('reasonWithoutClue'), UserErrorCode.INVALID, 'An inspection following a clue needs no reason without one.');
    const note = noteOf(v, input.note, f('note'));
    v.throwIfAny();
    const campaign = clue ? clue.campaignId : (await campaignOrLatest(em, null, 'input')).id;
    const inspection = em.create(Inspection, {
      cityId: e.cityId,
      campaignId: campaign,
      enterpriseId: e.id,
      clueId: clue?.id ?? null,
      inspectedOn: input.inspectedOn,
      positiveList: e.positiveList,
      reasonWithoutClue: reason,
      note,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return inspection;
  }
}

export { CityAssessmentVerdict };
