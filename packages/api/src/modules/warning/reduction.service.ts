import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, GradeChangeReason, GradeProposalStatus, MeasureCheckResult, WarningLevel } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { idInto, parseId } from '../../common/ids.js';
import { inScope, mayRead, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { requireCampaign } from '../campaign/campaign.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { EnterpriseService } from '../enterprise/enterprise.service.js';
import { City } from '../geography/geography.entity.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { entryViolations, gradeMonotonicViolations, proposedDowngrade, type ListedCut } from './reduction.rules.js';
import {
  MAX_ENTRIES_PER_BATCH,
  type DecideGradeProposalInput,
  type RecordMeasureCheckInput,
  type RequiredMeasure,
  type SetReductionListEntriesInput,
} from './reduction.types.js';
import { Warning } from './warning.entity.js';

const TONNES_CAP = 100000;
const hasAtMost = (value: number, decimals: number) => Math.abs(Math.round(value * 10 ** decimals) - value * 10 ** decimals) < 1e-6;
const LEVEL_KEYS = { [WarningLevel.YELLOW]: 'yellow', [WarningLevel.ORANGE]: 'orange', [WarningLevel.RED]: 'red' } as const;

function cutsOf(e: Pick<ReductionListEntry, 'yellowCutPercent' | 'orangeCutPercent' | 'redCutPercent'>): Record<WarningLevel, number> {
  return { YELLOW: Number(e.yellowCutPercent), ORANGE: Number(e.orangeCutPercent), RED: Number(e.redCutPercent) };
}

export class ReductionService {
  static async entry(ctx: RequestContext, id: string): Promise<ReductionListEntry> {
    requireRead(ctx, READS.reductionLists);
    const entry = await ctx.loaders.byId(ReductionListEntry).load(parseId(id, 'id'));
    if (!entry || !inScope(ctx, entry.cityId)) throw notFound('reduction list entry', 'id', id);
    return entry;
  }

  /**
   * Adds or replaces entries of one city's list for one campaign, all or nothing. Each entry is
   * checked by itself (reduction.rules.ts entryViolations) and against the rest of the list
   * after the change (the cut never shrinks as the grade worsens, within an industry). `maxEntries`:
   * entries per call (an import writes a whole list at once, MAX_ENTRIES_PER_LIST_IMPORT).
   */
  static async setEntries(ctx: RequestContext, em: EntityManager, input: SetReductionListEntriesInput, maxEntries = MAX_ENTRIES_PER_BATCH): Promise<ReductionListEntry[]> {
    const path = ['input', 'entries'];
    const city = await em.findOne(City, { slug: input.city });
    if (!city) throw LedgerError.of(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    requireWritableCity(ctx, city.id, city.nameEn);
    const campaign = await requireCampaign(em, input.campaign, 'input.campaign');
    if (!input.entries.length) throw LedgerError.of(path, UserErrorCode.REQUIRED, 'Give at least one entry.');
    if (input.entries.length > maxEntries) throw LedgerError.of(path, UserErrorCode.OUT_OF_RANGE, `At most ${maxEntries} entries per call.`);

    const v = new Violations();
    const ids = input.entries.map((e, i) => idInto(v, e.enterpriseId, `input.entries.${i}.enterpriseId`) ?? -1);
    const enterprises = new Map((await em.find(Enterprise, { id: { $in: ids.filter((id) => id > 0) } })).map((e) => [e.id, e]));
    // Lock the list of the city and campaign: concurrent changes of one list are checked one after the other.
    const existing = await em.find(ReductionListEntry, { cityId: city.id, campaignId: campaign.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const existingBy = new Map(existing.map((e) => [e.enterpriseId, e]));
    const seen = new Map<number, number>();
    input.entries.forEach((item, i) => {
      const at = [...path, String(i)];
      const id = ids[i]!;
      if (id < 0) return;
      const e = enterprises.get(id);
      if (!e || e.cityId !== city.id) {
        v.add([...at, 'enterpriseId'], UserErrorCode.NOT_FOUND, `No enterprise with id "${item.enterpriseId}" in ${city.slug}.`);
        return;
      }
      const first = seen.get(id);
      if (first !== undefined) v.add([...at, 'enterpriseId'], UserErrorCode.INVALID, `Same enterprise as item ${first}: give each entry once.`);
      seen.set(id, i);
      const old = existingBy.get(id);
      if (item.version != null && item.version !== (old?.version ?? null)) {
        v.add([...at, 'version'], UserErrorCode.CONFLICT, old ? `The entry is at version ${old.version}, not ${item.version}: reload it and retry.` : 'The enterprise is not listed yet: give no version.');
      }
      for (const k of ['so2Baseline', 'noxBaseline', 'pmBaseline', 'vocsBaseline'] as const) {
        const x = item[k];
        if (!(x >= 0 && x <= TONNES_CAP)) v.add([...at, k], UserErrorCode.OUT_OF_RANGE, `Must be between 0 and ${TONNES_CAP} t/day.`);
        else if (!hasAtMost(x, 4)) v.add([...at, k], UserErrorCode.INVALID, 'At most 4 decimals.');
      }
      for (const level of Object.values(LEVEL_KEYS)) {
        if (!hasAtMost(item[level].cutPercent, 2)) v.add([...at, level, 'cutPercent'], UserErrorCode.INVALID, 'At most 2 decimals.');
      }
      if (item.measureNote && item.measureNote.length > 4000) v.add([...at, 'measureNote'], UserErrorCode.OUT_OF_RANGE, 'At most 4,000 characters.');
      for (const rule of entryViolations({
        gradeAtListing: e.currentGrade,
        protectedExempt: item.protectedExempt ?? false,
        protectedClass: e.protectedClass,
        ministryFiledOn: e.protectedMinistryFiledOn,
        measures: { YELLOW: item.yellow, ORANGE: item.orange, RED: item.red },
      })) {
        v.add([...at, ...rule.field], rule.rule === 'OUT_OF_RANGE' ? UserErrorCode.OUT_OF_RANGE : UserErrorCode.NOT_ALLOWED, rule.message);
      }
    });
    v.throwIfAny();

    // The list after the change, for the cross-grade rule.
    const industries = new Map<number, string>();
    for (const e of enterprises.values()) industries.set(e.id, e.industry);
    const missing = existing.filter((x) => !industries.has(x.enterpriseId)).map((x) => x.enterpriseId);
    if (missing.length) for (const e of await em.find(Enterprise, { id: { $in: missing } })) industries.set(e.id, e.industry);
    const changed: ListedCut[] = input.entries.map((item, i) => ({
      key: item.enterpriseId,
      industry: industries.get(ids[i]!)!,
      gradeAtListing: enterprises.get(ids[i]!)!.currentGrade,
      protectedExempt: item.protectedExempt ?? false,
      cuts: { YELLOW: item.yellow.cutPercent, ORANGE: item.orange.cutPercent, RED: item.red.cutPercent },
    }));
    const changedIds = new Set(ids);
    const all = [
      ...changed,
      ...existing
        .filter((x) => !changedIds.has(x.enterpriseId))
        .map((x) => ({ key: String(x.enterpriseId), industry: industries.get(x.enterpriseId)!, gradeAtListing: x.gradeAtListing, protectedExempt: x.protectedExempt, cuts: cutsOf(x) })),
    ];
    for (const bad of gradeMonotonicViolations(changed, all)) {
      const i = changed.findIndex((c) => c.key === bad.key);
      v.add([...path, String(i), LEVEL_KEYS[bad.level], 'cutPercent'], UserErrorCode.NOT_ALLOWED, bad.message);
    }
    v.throwIfAny();

    const out: ReductionListEntry[] = [];
    input.entries.forEach((item, i) => {
      const e = enterprises.get(ids[i]!)!;
      const values = {
        gradeAtListing: e.currentGrade,
        protectedExempt: item.protectedExempt ?? false,
        so2Baseline: item.so2Baseline,
        noxBaseline: item.noxBaseline,
        pmBaseline: item.pmBaseline,
        vocsBaseline: item.vocsBaseline,
        yellowMeasure: item.yellow.measure,
        yellowCutPercent: item.yellow.cutPercent,
        orangeMeasure: item.orange.measure,
        orangeCutPercent: item.orange.cutPercent,
        redMeasure: item.red.measure,
        redCutPercent: item.red.cutPercent,
        measureNote: item.measureNote ?? null,
        updatedBy: ctx.actor.id,
      };
      const old = existingBy.get(e.id);
      if (old) {
        em.assign(old, { ...values, origin: DataOrigin.RECORDED, updatedAt: new Date() });
        out.push(old);
      } else {
        out.push(em.create(ReductionListEntry, { ...values, cityId: city.id, campaignId: campaign.id, enterpriseId: e.id, origin: DataOrigin.RECORDED, version: 1, createdBy: ctx.actor.id }));
      }
    });
    await em.flush();
    return out;
  }

  static enterpriseOf(ctx: RequestContext, row: { enterpriseId: number }): Promise<Enterprise | null> {
    return ctx.loaders.byId(Enterprise).load(row.enterpriseId);
  }

  static campaignOf(ctx: RequestContext, row: { campaignId: number }): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(row.campaignId);
  }

  /**
   * What an enterprise must do at an instant: the warning in force in its city, its level then
   * (from the dated changes) and the measure of its entry of the campaign of that day. One
   * statement for every enterprise of the request.
   */
  static async requiredMeasure(ctx: RequestContext, enterprise: Enterprise, at: Date): Promise<RequiredMeasure> {
    const row = await ctx.loaders
      .custom<string, { warning_id: number | null; level: WarningLevel | null; entry_id: number | null }>('requiredMeasure', async (keys) => {
        const pairs = keys.map((k, i) => ({ i, enterprise_id: Number(k.split('|')[0]), at: k.split('|')[1] }));
        const { rows } = await knexOf(ctx.em).raw(
          `select x.i, w.id as warning_id, c.level, r.id as entry_id
           from json_to_recordset(?::json) as x(i int, enterprise_id int, at timestamptz)
           join enterprise e on e.id = x.enterprise_id
           left join lateral (select w.id from warning w where w.city_id = e.city_id and w.effective_from <= x.at and (w.lifted_at is null or w.lifted_at > x.at)
                              order by w.effective_from desc, w.id desc limit 1) w on true
           left join lateral (select c.level from warning_change c where c.warning_id = w.id and c.effective_at <= x.at
                              order by c.effective_at desc, c.id desc limit 1) c on true
           left join lateral (select r.id from reduction_list_entry r join campaign k on k.id = r.campaign_id
                              where r.enterprise_id = e.id and (x.at at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end
                              order by k.period_start desc limit 1) r on true`,
          [JSON.stringify(pairs)],
        );
        const byI = new Map((rows as { i: number; warning_id: number | null; level: WarningLevel | null; entry_id: number | null }[]).map((r) => [r.i, r]));
        return keys.map((_k, i) => byI.get(i) ?? { warning_id: null, level: null, entry_id: null });
      })
      .load(`${enterprise.id}|${at.toISOString()}`);
    const [warning, entry] = await Promise.all([
      row.warning_id === null ? null : ctx.loaders.byId(Warning).load(row.warning_id),
      row.entry_id === null ? null : ctx.loaders.byId(ReductionListEntry).load(row.entry_id),
    ]);
    const level = warning ? row.level : null;
    const listed = row.entry_id !== null;
    const key = level ? LEVEL_KEYS[level] : null;
    const fromEntry = key && entry ? { measure: entry[`${key}Measure`], cutPercent: Number(entry[`${key}CutPercent`]) } : null;
    // The measure is public like the enterprise; the entry itself (baselines) is read like the lists.
    return { at, warning, level, entry: mayRead(ctx, READS.reductionLists) ? entry : null, measure: fromEntry?.measure ?? null, cutPercent: fromEntry?.cutPercent ?? null, unlisted: level !== null && !listed };
  }
}

export class MeasureCheckService {
  static async check(ctx: RequestContext, id: string): Promise<MeasureCheck> {
    requireRead(ctx, READS.measureChecks);
    const check = await ctx.loaders.byId(MeasureCheck).load(parseId(id, 'id'));
    if (!check || !inScope(ctx, check.cityId)) throw notFound('measure check', 'id', id);
    return check;
  }

  static gradeChangeOf(ctx: RequestContext, check: MeasureCheck): Promise<GradeChange | null> {
    return check.gradeChangeId === null ? Promise.resolve(null) : ctx.loaders.byId(GradeChange).load(check.gradeChangeId);
  }

  static async record(ctx: RequestContext, em: EntityManager, input: RecordMeasureCheckInput): Promise<MeasureCheck> {
    const v = new Violations();
    const warning = await em.findOne(Warning, { id: parseId(input.warningId, 'input.warningId'), ...scopeCondition(ctx) });
    if (!warning) throw notFound('warning', 'input.warningId', input.warningId);
    const city = await em.findOneOrFail(City, { id: warning.cityId });
    requireWritableCity(ctx, city.id, city.nameEn);
    const enterprise = await em.findOne(Enterprise, { id: parseId(input.enterpriseId, 'input.enterpriseId') });
    if (!enterprise || enterprise.cityId !== warning.cityId) throw LedgerError.of(['input', 'enterpriseId'], UserErrorCode.NOT_FOUND, `No enterprise with id "${input.enterpriseId}" in ${city.slug}.`);
    const at = input.checkedAt;
    if (at.getTime() > Date.now()) v.add(['input', 'checkedAt'], UserErrorCode.INVALID_DATE, `${at.toISOString()} is in the future.`);
    else if (at < warning.effectiveFrom || (warning.liftedAt && at >= warning.liftedAt)) {
      v.add(['input', 'checkedAt'], UserErrorCode.INVALID_DATE, 'A measure check is made while its warning is in force (from its start until it is lifted).');
    }
    if (!input.inspector.trim() || input.inspector.length > 200) v.add(['input', 'inspector'], UserErrorCode.REQUIRED, 'The inspector: 1 to 200 characters.');
    if (input.finding && input.finding.length > 4000) v.add(['input', 'finding'], UserErrorCode.OUT_OF_RANGE, 'At most 4,000 characters.');
    const { rows } = await knexOf(em).raw(
      `select r.id from reduction_list_entry r join campaign k on k.id = r.campaign_id
       where r.enterprise_id = ? and (?::timestamptz at time zone 'Asia/Shanghai')::date between k.period_start and k.period_end limit 1`,
      [enterprise.id, at.toISOString()],
    );
    const entryId = (rows as { id: number }[])[0]?.id ?? null;
    if (entryId === null) v.add(['input', 'enterpriseId'], UserErrorCode.NOT_ALLOWED, 'The enterprise is not on the reduction list of the campaign of the check: list it first.');
    v.throwIfAny();
    const failed = input.result === MeasureCheckResult.FAILED;
    const proposed = failed ? proposedDowngrade(enterprise.currentGrade) : null;
    const check = em.create(MeasureCheck, {
      cityId: warning.cityId,
      warningId: warning.id,
      entryId: entryId!,
      enterpriseId: enterprise.id,
      checkedAt: at,
      method: input.method,
      result: input.result,
      finding: input.finding ?? null,
      inspector: input.inspector.trim(),
      proposedGrade: proposed,
      proposalStatus: proposed ? GradeProposalStatus.PROPOSED : null,
      gradeChangeId: null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return check;
  }

  /** Accepts (records the grade change FAILED_EMERGENCY_CUTS, linked to the check) or rejects a proposal. */
  static async decide(ctx: RequestContext, em: EntityManager, input: DecideGradeProposalInput): Promise<{ check: MeasureCheck; gradeChange: GradeChange | null }> {
    const check = await em.findOne(MeasureCheck, { id: parseId(input.checkId, 'input.checkId'), ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!check) throw notFound('measure check', 'input.checkId', input.checkId);
    const city = await em.findOneOrFail(City, { id: check.cityId });
    requireWritableCity(ctx, city.id, city.nameEn);
    if (input.version != null && input.version !== check.version) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The check is at version ${check.version}, not ${input.version}: reload it and retry.`);
    }
    if (check.proposalStatus !== GradeProposalStatus.PROPOSED) {
      throw LedgerError.of(['input', 'checkId'], UserErrorCode.INVALID_TRANSITION, check.proposalStatus ? `The proposal is ${check.proposalStatus} already.` : 'The check proposes no grade change.');
    }
    let gradeChange: GradeChange | null = null;
    if (input.accept) {
      const recorded = await EnterpriseService.recordGradeChange(ctx, em, {
        enterpriseId: String(check.enterpriseId),
        toGrade: check.proposedGrade!,
        reason: GradeChangeReason.FAILED_EMERGENCY_CUTS,
        decidedBy: input.decidedBy,
        decidedAt: input.decidedAt ?? null,
        note: input.note ?? `Measure check ${check.id}: ${check.finding ?? 'emergency measure not applied'}`,
      });
      gradeChange = recorded.gradeChange;
    } else {
      const v = new Violations();
      if (!input.decidedBy.trim()) v.add(['input', 'decidedBy'], UserErrorCode.REQUIRED, 'Who decided is required.');
      v.throwIfAny();
    }
    em.assign(check, {
      proposalStatus: input.accept ? GradeProposalStatus.ACCEPTED : GradeProposalStatus.REJECTED,
      gradeChangeId: gradeChange?.id ?? null,
      updatedBy: ctx.actor.id,
      updatedAt: new Date(),
    });
    await em.flush();
    return { check, gradeChange };
  }
}
