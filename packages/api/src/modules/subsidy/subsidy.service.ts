import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, RecipientKind } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { idInto, parseId } from '../../common/ids.js';
import { inScope, READS, requireMinistry, requireRead, requireWritableCity, scopeCityIds, scopeCondition } from '../../common/auth.js';
import { SortDirection, type Connection, type PageArgs } from '../../common/pagination.js';
import { daysBetween, todayInChina } from '../../common/scalars.js';
import { checkName } from '../../common/text.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { subsidyBlockOf } from '../supervision/supervision.service.js';
import { City } from '../geography/geography.entity.js';
import { resolvePlaceFilter } from '../geography/geography.service.js';
import type { PlaceFilter } from '../geography/geography.types.js';
import { Disbursement, SubsidyBudget, SubsidyProgram } from './subsidy.entity.js';
import { SUBSIDY_READS } from './subsidy.reads.js';
import { declaredChildPage, declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import {
  hasAtMostTwoDecimals,
  MAX_BUDGET_YUAN,
  MAX_DISBURSEMENT_YUAN,
  normalizeResidentIdNumber,
  RECIPIENT_OF_PROGRAM,
  residentIdProblem,
  yuanLiteral,
} from './subsidy.rules.js';
import {
  type CreateSubsidyProgramInput,
  type DisbursementFilter,
  type DisbursementOrder,
  type MarkDisbursementPaidInput,
  type ProgramDisbursementFilter,
  type RecordDisbursementInput,
  type SetSubsidyBudgetInput,
  type SubsidyProgramFilter,
  type SubsidyTotals,
} from './subsidy.types.js';

const PROGRAM_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Measures of one budget, or of a program over every city (SubsidyTotals has the same shape). */
export type SubsidyMeasures = SubsidyTotals;

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/**
 * Aggregate SQL of the disbursement measures, over rows of "disbursement" (unqualified column
 * names). The budget measures below and the campaign scorecards (modules/report) share them.
 */
export const DISBURSEMENT_MEASURES_SQL = {
  /** Every recorded disbursement, paid or not, is a commitment. */
  committed: `sum("amount_yuan")`,
  paid: `sum("amount_yuan") filter (where "paid_on" is not null)`,
  count: `count(*)`,
  paidCount: `count("paid_on")`,
  /** Share of the amount committed to households that goes to low-income households. */
  lowIncomeShare: `coalesce(sum("amount_yuan") filter (where "recipient_kind" = 'HOUSEHOLD' and "low_income"), 0)
            / nullif(sum("amount_yuan") filter (where "recipient_kind" = 'HOUSEHOLD'), 0)`,
  /** Share of the amount paid to households that was paid to low-income households. */
  lowIncomePaidShare: `coalesce(sum("amount_yuan") filter (where "recipient_kind" = 'HOUSEHOLD' and "low_income" and "paid_on" is not null), 0)
            / nullif(sum("amount_yuan") filter (where "recipient_kind" = 'HOUSEHOLD' and "paid_on" is not null), 0)`,
  medianDaysToPayment: `percentile_cont(0.5) within group (order by "paid_on" - "approved_on") filter (where "paid_on" is not null)`,
  meanDaysToPayment: `avg("paid_on" - "approved_on") filter (where "paid_on" is not null)`,
} as const;

/**
 * Measures of budgets grouped by `level`: per budget (key: budget id) or per program over every
 * city (key: program id). One statement for any number of keys.
 */
async function loadMeasures(em: EntityManager, level: 'budget' | 'program', keys: readonly number[]): Promise<SubsidyMeasures[]> {
  const budgetKey = level === 'budget' ? 'id' : 'program_id';
  const disbursementKey = level === 'budget' ? 'budget_id' : 'program_id';
  const ids = [...keys];
  const { rows } = await em.getKnex().raw(
    `select k.id,
        coalesce(b.amount, 0) as amount,
        coalesce(b.n, 0) as budget_count,
        coalesce(d.committed, 0) as committed,
        coalesce(d.paid, 0) as paid,
        coalesce(b.amount, 0) - coalesce(d.committed, 0) as remaining,
        coalesce(d.n, 0) as n,
        coalesce(d.paid_n, 0) as paid_n,
        d.low_income_share,
        d.median_days,
        d.mean_days
      from unnest(?::int[]) as k(id)
      left join (
        select "${budgetKey}" as id, sum("amount_yuan") as amount, count(*) as n
        from "subsidy_budget" where "${budgetKey}" = any(?::int[]) group by 1
      ) b on b.id = k.id
      left join (
        select "${disbursementKey}" as id,
          ${DISBURSEMENT_MEASURES_SQL.committed} as committed,
          ${DISBURSEMENT_MEASURES_SQL.paid} as paid,
          ${DISBURSEMENT_MEASURES_SQL.count} as n,
          ${DISBURSEMENT_MEASURES_SQL.paidCount} as paid_n,
          ${DISBURSEMENT_MEASURES_SQL.lowIncomeShare} as low_income_share,
          ${DISBURSEMENT_MEASURES_SQL.medianDaysToPayment} as median_days,
          ${DISBURSEMENT_MEASURES_SQL.meanDaysToPayment} as mean_days
        from "disbursement" where "${disbursementKey}" = any(?::int[]) group by 1
      ) d on d.id = k.id`,
    [ids, ids, ids],
  );
  const byId = new Map<number, SubsidyMeasures>();
  for (const r of rows as Record<string, unknown>[]) {
    byId.set(Number(r.id), {
      amount: num(r.amount),
      budgetCount: num(r.budget_count),
      committedAmount: num(r.committed),
      paidAmount: num(r.paid),
      remainingAmount: num(r.remaining),
      disbursementCount: num(r.n),
      paidCount: num(r.paid_n),
      lowIncomeShare: numOrNull(r.low_income_share),
      medianDaysToPayment: numOrNull(r.median_days),
      meanDaysToPayment: numOrNull(r.mean_days),
    });
  }
  return keys.map((k) => byId.get(k)!);
}

/** The city ids a place filter selects (null: every city), resolved once per request and filter. */
function placeIds(ctx: RequestContext, place: PlaceFilter | null | undefined, fieldPrefix: string): Promise<number[] | null> {
  const key = JSON.stringify([fieldPrefix, place?.region ?? null, place?.province ?? null, place?.city ?? null]);
  return ctx.loaders
    .custom<string, number[] | null>('subsidy:placeIds', (keys) =>
      Promise.all(
        keys.map((k) => {
          const [prefix, region, province, city] = JSON.parse(k) as [string, PlaceFilter['region'], string | null, string | null];
          return resolvePlaceFilter(ctx.em, { region, province, city }, prefix).then(
            (ids) => ids ?? null,
            (error: unknown) => error as Error,
          );
        }),
      ) as Promise<(number[] | null)[]>,
    )
    .load(key);
}

/** The condition and sort of the disbursements collection (SUBSIDY_READS), for the connection and the exports. */
export function disbursementListQuery(
  ctx: RequestContext,
  filter: DisbursementFilter | null | undefined,
  order: DisbursementOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  requireRead(ctx, READS.disbursements);
  return declaredRootQuery(ctx, [SUBSIDY_READS], 'disbursements', { filter, orderBy: order }, t);
}

/** Parses an id of the input, adding INVALID to `v` (and returning undefined) when malformed. */
function idOf(v: Violations, value: string | number, field: string[]): number | undefined {
  return idInto(v, value, field.join('.')) ?? undefined;
}

/** Checks an amount of yuan: finite, at most two decimals, within (or from) 0 and `max`. */
function checkAmount(v: Violations, amount: number, field: string[], { max, allowZero }: { max: number; allowZero: boolean }): boolean {
  if (!Number.isFinite(amount)) {
    v.add(field, UserErrorCode.INVALID, 'Must be a number.');
    return false;
  }
  if (allowZero ? amount < 0 : amount <= 0) {
    v.add(field, UserErrorCode.OUT_OF_RANGE, allowZero ? 'Must be 0 or more.' : 'Must be more than 0.');
    return false;
  }
  if (amount > max) {
    v.add(field, UserErrorCode.OUT_OF_RANGE, `Must be at most ${max.toLocaleString('en-US')} yuan.`);
    return false;
  }
  if (!hasAtMostTwoDecimals(amount)) {
    v.add(field, UserErrorCode.INVALID, 'Must have at most two decimals (fen).');
    return false;
  }
  return true;
}

function trimmed(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

/** The condition and sort of the subsidy-programs collection (SUBSIDY_READS), for the connection and the exports; needs an API key. */
export function subsidyProgramListQuery(ctx: RequestContext, filter: SubsidyProgramFilter | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.subsidyPrograms);
  return declaredRootQuery(ctx, [SUBSIDY_READS], 'subsidyPrograms', { filter }, t);
}

export class SubsidyService {
  // ---- queries ----

  static programs(ctx: RequestContext, filter: SubsidyProgramFilter | null | undefined, page: PageArgs): Promise<Connection<SubsidyProgram>> {
    requireRead(ctx, READS.subsidyPrograms);
    return declaredPage(ctx, [SUBSIDY_READS], 'subsidyPrograms', { filter, ...page });
  }

  static async program(ctx: RequestContext, id: string): Promise<SubsidyProgram> {
    requireRead(ctx, READS.subsidyPrograms);
    const program = await ctx.loaders.byId(SubsidyProgram).load(parseId(id, 'id'));
    if (!program) throw notFound('subsidy program', 'id', id);
    return program;
  }

  static async disbursements(
    ctx: RequestContext,
    filter: DisbursementFilter | null | undefined,
    order: DisbursementOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Disbursement>> {
    requireRead(ctx, READS.disbursements);
    return declaredPage(ctx, [SUBSIDY_READS], 'disbursements', { filter, orderBy: order, ...page });
  }

  /** A page of one program's disbursements, batched over every program of the request. */
  static disbursementsOfProgram(
    ctx: RequestContext,
    programId: number,
    filter: ProgramDisbursementFilter | null | undefined,
    order: DisbursementOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<Disbursement>> {
    requireRead(ctx, READS.disbursements);
    return declaredChildPage(ctx, [SUBSIDY_READS], 'SubsidyProgram', 'disbursements', programId, { filter, orderBy: order, ...page });
  }

  /** A program's budgets in the cities a place filter selects, in the plan's order of cities; batched. */
  static async budgetsOfProgram(ctx: RequestContext, programId: number, place: PlaceFilter | null | undefined): Promise<SubsidyBudget[]> {
    requireRead(ctx, READS.subsidyBudgets);
    const cityIds = await placeIds(ctx, place, 'filter');
    const scope = scopeCityIds(ctx);
    return ctx.loaders
      .custom<number, SubsidyBudget[]>(`subsidy:budgetsOfProgram:${JSON.stringify(cityIds)}`, async (programIds) => {
        const q = ctx.em
          .getKnex()
          .select('b.*')
          .from('subsidy_budget as b')
          .join('city as c', 'c.id', 'b.city_id')
          .whereIn('b.program_id', [...programIds])
          .orderBy([{ column: 'c.plan_order' }, { column: 'b.id' }]);
        if (cityIds) q.whereIn('b.city_id', cityIds);
        if (scope) q.whereIn('b.city_id', scope);
        const rows: Record<string, unknown>[] = await q;
        const groups = new Map<number, SubsidyBudget[]>();
        for (const row of rows) {
          const budget = ctx.em.map(SubsidyBudget, row as never);
          let g = groups.get(budget.programId);
          if (!g) groups.set(budget.programId, (g = []));
          g.push(budget);
        }
        return programIds.map((id) => groups.get(id) ?? []);
      })
      .load(programId);
  }

  /** A city's budgets of every program, in the order the programs were created; batched. */
  static budgetsOfCity(ctx: RequestContext, cityId: number): Promise<SubsidyBudget[]> {
    requireRead(ctx, READS.subsidyBudgets);
    if (!inScope(ctx, cityId)) return Promise.resolve([]);
    return ctx.loaders.manyBy(SubsidyBudget, 'cityId', { property: 'programId', direction: SortDirection.ASC }).load(cityId);
  }

  /** Measures of one budget (commitments, payments, low-income share, days to payment); batched. */
  static budgetMeasures(ctx: RequestContext, budgetId: number): Promise<SubsidyMeasures> {
    return ctx.loaders.custom<number, SubsidyMeasures>('subsidy:budgetMeasures', (ids) => loadMeasures(ctx.em, 'budget', ids)).load(budgetId);
  }

  /** The same measures of a program over every city; batched. */
  static programTotals(ctx: RequestContext, programId: number): Promise<SubsidyMeasures> {
    return ctx.loaders.custom<number, SubsidyMeasures>('subsidy:programTotals', (ids) => loadMeasures(ctx.em, 'program', ids)).load(programId);
  }

  static programById(ctx: RequestContext, id: number): Promise<SubsidyProgram> {
    return ctx.loaders.byId(SubsidyProgram).load(id) as Promise<SubsidyProgram>;
  }

  static budgetById(ctx: RequestContext, id: number): Promise<SubsidyBudget> {
    return ctx.loaders.byId(SubsidyBudget).load(id) as Promise<SubsidyBudget>;
  }

  static campaignOf(ctx: RequestContext, program: SubsidyProgram): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(program.campaignId) as Promise<Campaign>;
  }

  static enterpriseOf(ctx: RequestContext, d: Disbursement): Promise<Enterprise | null> {
    return d.enterpriseId === null ? Promise.resolve(null) : ctx.loaders.byId(Enterprise).load(d.enterpriseId);
  }

  static daysToPayment(d: Disbursement): number | null {
    return d.paidOn ? daysBetween(d.approvedOn, d.paidOn) : null;
  }

  // ---- mutations (run inside runMutation's transaction) ----

  static async createProgram(ctx: RequestContext, em: EntityManager, input: CreateSubsidyProgramInput): Promise<SubsidyProgram> {
    requireMinistry(ctx, 'create subsidy programs');
    const v = new Violations();
    const code = input.code.trim();
    if (!code) v.add(['input', 'code'], UserErrorCode.REQUIRED, 'Must not be empty.');
    else if (!PROGRAM_CODE.test(code) || code.length > 64) {
      v.add(['input', 'code'], UserErrorCode.INVALID, 'Must be lowercase letters, digits and single hyphens, at most 64 characters.');
    } else if (await em.findOne(SubsidyProgram, { code })) v.add(['input', 'code'], UserErrorCode.TAKEN, `A program with code "${code}" exists.`);
    const nameZh = trimmed(input.nameZh);
    const nameEn = trimmed(input.nameEn);
    if (!nameZh) v.add(['input', 'nameZh'], UserErrorCode.REQUIRED, 'Must not be empty.');
    if (!nameEn) v.add(['input', 'nameEn'], UserErrorCode.REQUIRED, 'Must not be empty.');
    const campaign = await em.findOne(Campaign, { code: input.campaign });
    if (!campaign) v.add(['input', 'campaign'], UserErrorCode.NOT_FOUND, `No campaign with code "${input.campaign}".`);
    v.throwIfAny();
    const program = em.create(SubsidyProgram, {
      campaignId: campaign!.id,
      code,
      nameZh: nameZh!,
      nameEn: nameEn!,
      kind: input.kind,
      description: trimmed(input.description),
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return program;
  }

  /**
   * Creates a city's budget of a program, or changes its amount. Lowering it below what is
   * committed (every recorded disbursement, paid or not) is BUDGET_EXCEEDED. The budget row is
   * locked before the commitments are summed, like recordDisbursement does.
   */
  static async setBudget(ctx: RequestContext, em: EntityManager, input: SetSubsidyBudgetInput): Promise<SubsidyBudget> {
    const v = new Violations();
    const programId = idOf(v, input.programId, ['input', 'programId']);
    const program = programId === undefined ? null : await em.findOne(SubsidyProgram, programId);
    if (programId !== undefined && !program) v.add(['input', 'programId'], UserErrorCode.NOT_FOUND, `No subsidy program with id "${input.programId}".`);
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    checkAmount(v, input.amount, ['input', 'amount'], { max: MAX_BUDGET_YUAN, allowZero: true });
    v.throwIfAny();

    const knex = knexOf(em);
    const amount = yuanLiteral(input.amount);
    const actor = ctx.actor.id;
    const inserted = await knex.raw(
      `insert into "subsidy_budget" ("program_id", "city_id", "amount_yuan", "origin", "created_by", "updated_by")
       values (?, ?, ?::numeric, ?, ?, ?) on conflict ("program_id", "city_id") do nothing returning "id"`,
      [program!.id, city!.id, amount, DataOrigin.RECORDED, actor, actor],
    );
    let id: number | undefined = inserted.rows[0]?.id;
    if (id !== undefined && input.version !== null && input.version !== undefined) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `${city!.nameEn} has no budget of this program yet (version ${input.version} expected); omit version to create it.`);
    }
    if (id === undefined) {
      const locked = await knex.raw(`select "id", "amount_yuan", "version" from "subsidy_budget" where "program_id" = ? and "city_id" = ? for update`, [
        program!.id,
        city!.id,
      ]);
      id = locked.rows[0].id as number;
      if (input.version !== null && input.version !== undefined && input.version !== locked.rows[0].version) {
        throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The budget is at version ${locked.rows[0].version}, not ${input.version}; reload it and retry.`);
      }
      // A statement of its own after the lock: under READ COMMITTED it sees every commitment
      // committed before the lock was granted.
      const sum = await knex.raw(
        `select coalesce(sum("amount_yuan"), 0)::text as committed, coalesce(sum("amount_yuan"), 0) <= ?::numeric as fits
         from "disbursement" where "budget_id" = ?`,
        [amount, id],
      );
      const { committed, fits } = sum.rows[0] as { committed: string; fits: boolean };
      if (!fits) {
        throw LedgerError.of(
          ['input', 'amount'],
          UserErrorCode.BUDGET_EXCEEDED,
          `${committed} yuan are already committed (recorded disbursements, paid or not); the budget cannot be lower.`,
        );
      }
      if (locked.rows[0].amount_yuan !== amount) {
        await knex.raw(
          `update "subsidy_budget" set "amount_yuan" = ?::numeric, "version" = "version" + 1, "updated_by" = ?, "updated_at" = now() where "id" = ?`,
          [amount, actor, id],
        );
      }
    }
    return em.findOneOrFail(SubsidyBudget, id, { refresh: true });
  }

  /**
   * Records a disbursement. Validates the whole input, then locks the city's budget row of the
   * program (select ... for update) and sums its commitments in a statement of its own, so that
   * concurrent recordings are serialized on the budget and can never take it over.
   */
  static async recordDisbursement(ctx: RequestContext, em: EntityManager, input: RecordDisbursementInput): Promise<Disbursement> {
    const v = new Violations();
    const today = todayInChina();
    const programId = idOf(v, input.programId, ['input', 'programId']);
    const program = programId === undefined ? null : await em.findOne(SubsidyProgram, programId);
    if (programId !== undefined && !program) v.add(['input', 'programId'], UserErrorCode.NOT_FOUND, `No subsidy program with id "${input.programId}".`);
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);

    const kind = input.recipientKind;
    if (program && RECIPIENT_OF_PROGRAM[program.kind] !== kind) {
      v.add(
        ['input', 'recipientKind'],
        UserErrorCode.NOT_ALLOWED,
        `Programs of kind ${program.kind} pay ${RECIPIENT_OF_PROGRAM[program.kind].toLowerCase()}s, not ${kind.toLowerCase()}s.`,
      );
    }
    let householdName: string | null = null;
    let householdIdNumber: string | null = null;
    let enterpriseId: number | null = null;
    if (kind === RecipientKind.HOUSEHOLD) {
      householdName = trimmed(input.householdName);
      if (!householdName) v.add(['input', 'householdName'], UserErrorCode.REQUIRED, 'A household needs the name of its head.');
      else checkName(v, ['input', 'householdName'], householdName);
      const raw = trimmed(input.householdIdNumber);
      if (!raw) v.add(['input', 'householdIdNumber'], UserErrorCode.REQUIRED, 'A household needs the identity number of its head.');
      else {
        householdIdNumber = normalizeResidentIdNumber(raw);
        const problem = residentIdProblem(householdIdNumber, today);
        if (problem) v.add(['input', 'householdIdNumber'], UserErrorCode.INVALID, `Not a valid resident identity number: ${problem}`);
      }
      if (input.lowIncome === null || input.lowIncome === undefined) {
        v.add(['input', 'lowIncome'], UserErrorCode.REQUIRED, 'Say whether the household is a low-income household.');
      }
      if (input.enterpriseId !== null && input.enterpriseId !== undefined) {
        v.add(['input', 'enterpriseId'], UserErrorCode.INVALID, 'Must be empty for a household recipient.');
      }
    } else {
      if (input.enterpriseId === null || input.enterpriseId === undefined) {
        v.add(['input', 'enterpriseId'], UserErrorCode.REQUIRED, 'An enterprise recipient needs the enterprise\'s id.');
      } else {
        const id = idOf(v, input.enterpriseId, ['input', 'enterpriseId']);
        if (id !== undefined) {
          const enterprise = await em.findOne(Enterprise, { id, ...scopeCondition(ctx) });
          if (!enterprise) v.add(['input', 'enterpriseId'], UserErrorCode.NOT_FOUND, `No enterprise with id "${input.enterpriseId}".`);
          else if (city && enterprise.cityId !== city.id) {
            v.add(['input', 'enterpriseId'], UserErrorCode.NOT_ALLOWED, `The enterprise is not in ${city.nameEn}; a city's budget pays only its own enterprises.`);
          } else {
            const block = await subsidyBlockOf(em, enterprise.id);
            if (block) {
              v.add(
                ['input', 'enterpriseId'],
                UserErrorCode.SUBSIDY_BLOCKED,
                `New subsidy disbursements to ${enterprise.name} are blocked since ${block.blockedOn}: its monitoring data was found falsified (preferential policies withdrawn).`,
              );
            } else enterpriseId = enterprise.id;
          }
        }
      }
      for (const field of ['householdName', 'householdIdNumber', 'lowIncome'] as const) {
        if (input[field] !== null && input[field] !== undefined) v.add(['input', field], UserErrorCode.INVALID, 'Must be empty for an enterprise recipient.');
      }
    }

    checkAmount(v, input.amount, ['input', 'amount'], { max: MAX_DISBURSEMENT_YUAN, allowZero: false });
    if (input.approvedOn > today) v.add(['input', 'approvedOn'], UserErrorCode.INVALID_DATE, `Must not be in the future (today is ${today} in China).`);
    const paidOn = input.paidOn ?? null;
    if (paidOn !== null) {
      if (paidOn < input.approvedOn) v.add(['input', 'paidOn'], UserErrorCode.INVALID_DATE, `Must not be before the approval (${input.approvedOn}).`);
      else if (paidOn > today) v.add(['input', 'paidOn'], UserErrorCode.INVALID_DATE, `Must not be in the future (today is ${today} in China).`);
    }
    v.throwIfAny();

    const knex = knexOf(em);
    const amount = yuanLiteral(input.amount);
    const budget = await knex.raw(`select "id", "amount_yuan"::text as amount from "subsidy_budget" where "program_id" = ? and "city_id" = ? for update`, [
      program!.id,
      city!.id,
    ]);
    if (!budget.rows.length) {
      throw LedgerError.of(
        ['input', 'city'],
        UserErrorCode.NOT_FOUND,
        `Program "${program!.code}" has no budget in ${city!.nameEn}; set one with setSubsidyBudget first.`,
      );
    }
    const { id: budgetId, amount: budgetAmount } = budget.rows[0] as { id: number; amount: string };
    // A statement of its own after the lock: under READ COMMITTED it sees every commitment
    // committed before the lock was granted (a subquery of the locking statement would not).
    const sum = await knex.raw(
      `select (?::numeric - coalesce(sum("amount_yuan"), 0))::text as remaining, coalesce(sum("amount_yuan"), 0) + ?::numeric <= ?::numeric as fits
       from "disbursement" where "budget_id" = ?`,
      [budgetAmount, amount, budgetAmount, budgetId],
    );
    const { remaining, fits } = sum.rows[0] as { remaining: string; fits: boolean };
    if (!fits) {
      throw LedgerError.of(
        ['input', 'amount'],
        UserErrorCode.BUDGET_EXCEEDED,
        `Only ${remaining} yuan of the ${budgetAmount} yuan budget of ${city!.nameEn} are not yet committed (recorded disbursements count, paid or not).`,
      );
    }

    const disbursement = em.create(Disbursement, {
      programId: program!.id,
      budgetId,
      cityId: city!.id,
      recipientKind: kind,
      householdName,
      householdIdNumber,
      enterpriseId,
      lowIncome: kind === RecipientKind.HOUSEHOLD ? input.lowIncome! : null,
      amount: Number(amount),
      approvedOn: input.approvedOn,
      paidOn,
      note: trimmed(input.note),
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return disbursement;
  }

  /** Records the payment of an approved disbursement (once: a paid one is NOT_ALLOWED). */
  static async markPaid(ctx: RequestContext, em: EntityManager, input: MarkDisbursementPaidInput): Promise<Disbursement> {
    const id = parseId(input.id, 'input.id');
    const d = await em.findOne(Disbursement, { id, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!d) throw notFound('disbursement', 'input.id', input.id);
    if (d.paidOn !== null) throw LedgerError.of(['input', 'id'], UserErrorCode.NOT_ALLOWED, `The disbursement was already paid on ${d.paidOn}.`);
    const today = todayInChina();
    if (input.paidOn < d.approvedOn) throw LedgerError.of(['input', 'paidOn'], UserErrorCode.INVALID_DATE, `Must not be before the approval (${d.approvedOn}).`);
    if (input.paidOn > today) throw LedgerError.of(['input', 'paidOn'], UserErrorCode.INVALID_DATE, `Must not be in the future (today is ${today} in China).`);
    d.paidOn = input.paidOn;
    d.updatedBy = ctx.actor.id;
    await em.flush();
    return d;
  }
}
