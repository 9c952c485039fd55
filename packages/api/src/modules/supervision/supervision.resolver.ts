import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { City, Province } from '../geography/geography.entity.js';
import { MeasureCheck } from '../warning/reduction.entity.js';
import { Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, Inspection, SupervisionRound } from './supervision.entity.js';
import { SupervisionService } from './supervision.service.js';
import {
  ClueConnection,
  ClueFilter,
  ClueOrder,
  CluePayload,
  ClueStats,
  ClueStepInput,
  CloseClueUnfoundedInput,
  ConfirmClueInput,
  CreateSupervisionRoundInput,
  CreateSupervisionRoundPayload,
  EnforcementActionConnection,
  EnforcementActionFilter,
  EnforcementActionPayload,
  EnterpriseClueFilter,
  FraudListEntryConnection,
  FraudListFilter,
  InspectionConnection,
  InspectionFilter,
  OverdueClue,
  PubliciseEnforcementActionInput,
  RecordClueInput,
  RecordClueSpotCheckResultInput,
  RecordEnforcementActionInput,
  RecordFalsificationInput,
  RecordFalsificationPayload,
  RecordInspectionInput,
  RecordInspectionPayload,
  SupervisionRoundConnection,
  SupervisionRoundFilter,
} from './supervision.types.js';

const CLUE_FILTER = 'Which clues to return.';
const CLUE_ORDER = 'Sort; default: IDENTIFIED_AT descending (newest first).';

/** Runs a clue step as a mutation and shapes its payload. */
async function step(ctx: RequestContext, work: (em: EntityManager) => Promise<{ clue: Clue; step: ClueStep }>) {
  const { result, userErrors } = await runMutation(ctx, work);
  return { clue: result?.clue ?? null, step: result?.step ?? null, userErrors };
}

@Resolver(() => SupervisionRound)
export class SupervisionRoundResolver {
  @Query(() => SupervisionRoundConnection, { description: 'Supervision rounds (轮次), newest pushed first (needs an API key).' })
  supervisionRounds(
    @Arg('filter', () => SupervisionRoundFilter, { nullable: true, description: 'Which rounds to return.' }) filter: SupervisionRoundFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.rounds(ctx, filter, page);
  }

  @Query(() => SupervisionRound, { nullable: true, description: 'A supervision round by id (needs an API key).' })
  supervisionRound(@Arg('id', () => ID, { description: 'Id of the round.' }) id: string, @Ctx() ctx: RequestContext) {
    return SupervisionService.round(ctx, id);
  }

  @Mutation(() => CreateSupervisionRoundPayload, { description: 'Pushes a supervision round: the ministry for any city, a PROVINCE key for its own province\'s cities.' })
  async createSupervisionRound(@Arg('input', () => CreateSupervisionRoundInput, { description: 'The round.' }) input: CreateSupervisionRoundInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SupervisionService.createRound(ctx, em, input), { uniqueField: ['input', 'number'] });
    return { supervisionRound: result, userErrors };
  }

  @FieldResolver(() => Campaign, { description: 'Campaign of the round.' })
  campaign(@Root() round: SupervisionRound, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Campaign).load(round.campaignId);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Province that pushed the round; null for a round of the ministry.' })
  province(@Root() round: SupervisionRound, @Ctx() ctx: RequestContext) {
    return round.provinceId === null ? null : ctx.loaders.byId(Province).load(round.provinceId);
  }

  @FieldResolver(() => ClueConnection, { description: 'Clues of the round within the caller\'s cities.' })
  clues(
    @Root() round: SupervisionRound,
    @Arg('filter', () => EnterpriseClueFilter, { nullable: true, description: CLUE_FILTER }) filter: EnterpriseClueFilter | null,
    @Arg('orderBy', () => ClueOrder, { nullable: true, description: CLUE_ORDER }) orderBy: ClueOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.childClues(ctx, 'SupervisionRound', round.id, filter, orderBy, page);
  }

  @FieldResolver(() => ClueStats, { description: 'Figures of the round\'s clues within the caller\'s cities.' })
  stats(@Root() round: SupervisionRound, @Ctx() ctx: RequestContext) {
    return SupervisionService.clueStatsOfRound(ctx, round);
  }
}

@Resolver(() => Clue)
export class ClueResolver {
  @Query(() => ClueConnection, { description: 'Enforcement clues, filtered and sorted, within the caller\'s cities (needs an API key).' })
  clues(
    @Arg('filter', () => ClueFilter, { nullable: true, description: CLUE_FILTER }) filter: ClueFilter | null,
    @Arg('orderBy', () => ClueOrder, { nullable: true, description: CLUE_ORDER }) orderBy: ClueOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.clues(ctx, filter, orderBy, page);
  }

  @Query(() => Clue, { nullable: true, description: 'A clue by id (needs an API key).' })
  clue(@Arg('id', () => ID, { description: 'Id of the clue.' }) id: string, @Ctx() ctx: RequestContext) {
    return SupervisionService.clue(ctx, id);
  }

  @Query(() => [OverdueClue], {
    description: 'The watch list: open clues past their due day (the round\'s due day while investigated, the rectification due day while RECTIFYING), most days overdue first (needs an API key).',
  })
  overdueClues(
    @Arg('filter', () => ClueFilter, { nullable: true, description: CLUE_FILTER }) filter: ClueFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many entries (default 100, at most 500).' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.overdueClues(ctx, filter, first);
  }

  @Mutation(() => CluePayload, { description: 'Records a clue (stage IDENTIFIED): of a round by its pusher, or of a city\'s own.' })
  recordClue(@Arg('input', () => RecordClueInput, { description: 'The clue.' }) input: RecordClueInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.recordClue(ctx, em, input));
  }

  @Mutation(() => CluePayload, { description: 'IDENTIFIED -> INVESTIGATING (排查). CITY (its own clues) or MINISTRY.' })
  startClueInvestigation(@Arg('input', () => ClueStepInput, { description: 'The clue.' }) input: ClueStepInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.startInvestigation(ctx, em, input));
  }

  @Mutation(() => CluePayload, { description: 'INVESTIGATING -> RECTIFYING (整改) with a due day: the problem is confirmed. CITY or MINISTRY.' })
  confirmClue(@Arg('input', () => ConfirmClueInput, { description: 'The clue and its rectification due day.' }) input: ConfirmClueInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.confirm(ctx, em, input));
  }

  @Mutation(() => CluePayload, { description: 'INVESTIGATING -> CLOSED_UNFOUNDED, with the reason. CITY or MINISTRY.' })
  closeClueUnfounded(@Arg('input', () => CloseClueUnfoundedInput, { description: 'The clue and why it is unfounded.' }) input: CloseClueUnfoundedInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.closeUnfounded(ctx, em, input));
  }

  @Mutation(() => CluePayload, { description: 'RECTIFYING -> SUPERVISED (调度督办): the city reports the rectification done. CITY or MINISTRY.' })
  reportClueRectified(@Arg('input', () => ClueStepInput, { description: 'The clue.' }) input: ClueStepInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.reportRectified(ctx, em, input));
  }

  @Mutation(() => CluePayload, { description: 'SUPERVISED -> SPOT_CHECK (抽查复核). PROVINCE (its cities) or MINISTRY.' })
  selectClueForSpotCheck(@Arg('input', () => ClueStepInput, { description: 'The clue.' }) input: ClueStepInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.selectForSpotCheck(ctx, em, input));
  }

  @Mutation(() => CluePayload, {
    description: 'SPOT_CHECK -> CLOSED (PASSED), INVESTIGATING (NOT_REAL) or RECTIFYING (RECTIFICATION_FAILED, with a new due day). PROVINCE (its cities) or MINISTRY.',
  })
  recordClueSpotCheckResult(@Arg('input', () => RecordClueSpotCheckResultInput, { description: 'The clue and the result.' }) input: RecordClueSpotCheckResultInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.recordSpotCheckResult(ctx, em, input));
  }

  @Mutation(() => CluePayload, {
    description: 'SUPERVISED -> CLOSED. PROVINCE (its cities) or MINISTRY. A clue in SPOT_CHECK closes only with its result (SPOT_CHECK_RESULT_REQUIRED).',
  })
  closeClue(@Arg('input', () => ClueStepInput, { description: 'The clue.' }) input: ClueStepInput, @Ctx() ctx: RequestContext) {
    return step(ctx, (em) => SupervisionService.close(ctx, em, input));
  }

  @Mutation(() => RecordFalsificationPayload, {
    description:
      'Records a confirmed falsification of monitoring data on a confirmed clue and, in one transaction, its consequences: grade change to D (FALSIFIED_MONITORING, also from D), benchmark and positive list withdrawn, new subsidy disbursements to the enterprise blocked, the enterprise and the named institutions and persons put on the fraud list, and the city\'s assessment for the campaign marked unqualified.',
  })
  async recordFalsification(@Arg('input', () => RecordFalsificationInput, { description: 'The finding.' }) input: RecordFalsificationInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SupervisionService.recordFalsification(ctx, em, input));
    return { falsificationFinding: result?.finding ?? null, enterprise: result?.enterprise ?? null, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the clue.' })
  city(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(City).load(clue.cityId);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign of the clue.' })
  campaign(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Campaign).load(clue.campaignId);
  }

  @FieldResolver(() => SupervisionRound, { nullable: true, description: 'Round that pushed the clue; null for a clue of the city\'s own.' })
  round(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return clue.roundId === null ? null : ctx.loaders.byId(SupervisionRound).load(clue.roundId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Enterprise the clue is about; null for a clue of a location.' })
  enterprise(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return clue.enterpriseId === null ? null : ctx.loaders.byId(Enterprise).load(clue.enterpriseId);
  }

  @FieldResolver(() => MeasureCheck, { nullable: true, description: 'The failed measure check the clue comes from (source EMERGENCY_CHECK_FAILURE); null when none is named.' })
  measureCheck(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return clue.measureCheckId === null ? null : ctx.loaders.byId(MeasureCheck).load(clue.measureCheckId);
  }

  @FieldResolver(() => [ClueStep], { description: 'Every step of the clue, in order: each dated (enteredAt) and attributed (createdBy, role).' })
  steps(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return SupervisionService.stepsOf(ctx, clue);
  }

  @FieldResolver(() => [EnforcementAction], { description: 'Enforcement actions taken on the clue, in the order recorded.' })
  actions(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return SupervisionService.actionsOf(ctx, clue);
  }

  @FieldResolver(() => FalsificationFinding, { nullable: true, description: 'The falsification of monitoring data found through the clue, if any.' })
  falsification(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return SupervisionService.falsificationOf(ctx, clue);
  }

  @FieldResolver(() => Int, { description: 'Days the clue is overdue today (0 when it is not on the watch list).' })
  daysOverdue(@Root() clue: Clue, @Ctx() ctx: RequestContext) {
    return SupervisionService.daysOverdue(ctx, clue);
  }
}

@Resolver(() => FalsificationFinding)
export class FalsificationFindingResolver {
  @FieldResolver(() => Enterprise, { description: 'The enterprise whose monitoring data was falsified.' })
  enterprise(@Root() finding: FalsificationFinding, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Enterprise).load(finding.enterpriseId);
  }

  @FieldResolver(() => GradeChange, { description: 'The grade change to D it recorded.' })
  gradeChange(@Root() finding: FalsificationFinding, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(GradeChange).load(finding.gradeChangeId);
  }

  @FieldResolver(() => [FraudListEntry], { description: 'The fraud list entries it made.' })
  fraudListEntries(@Root() finding: FalsificationFinding, @Ctx() ctx: RequestContext) {
    return SupervisionService.entriesOf(ctx, finding);
  }

  @FieldResolver(() => City, { description: 'City of the case (its assessment for the campaign is unqualified).' })
  city(@Root() finding: FalsificationFinding, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(City).load(finding.cityId);
  }
}

@Resolver(() => EnforcementAction)
export class EnforcementActionResolver {
  @Query(() => EnforcementActionConnection, { description: 'Enforcement actions, newest decision first, within the caller\'s cities (needs an API key).' })
  enforcementActions(
    @Arg('filter', () => EnforcementActionFilter, { nullable: true, description: 'Which actions to return.' }) filter: EnforcementActionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.actions(ctx, filter, page);
  }

  @Mutation(() => EnforcementActionPayload, { description: 'Records an enforcement action on a confirmed clue.' })
  async recordEnforcementAction(@Arg('input', () => RecordEnforcementActionInput, { description: 'The action.' }) input: RecordEnforcementActionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SupervisionService.recordAction(ctx, em, input));
    return { enforcementAction: result, userErrors };
  }

  @Mutation(() => EnforcementActionPayload, { description: 'Publicises an enforcement action (公开曝光); an action already publicised stays as it is.' })
  async publiciseEnforcementAction(@Arg('input', () => PubliciseEnforcementActionInput, { description: 'The action.' }) input: PubliciseEnforcementActionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SupervisionService.publiciseAction(ctx, em, input));
    return { enforcementAction: result, userErrors };
  }

  @FieldResolver(() => Clue, { description: 'The clue the action follows.' })
  clue(@Root() action: EnforcementAction, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Clue).load(action.clueId);
  }

  @FieldResolver(() => City, { description: 'City of the action.' })
  city(@Root() action: EnforcementAction, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(City).load(action.cityId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Enterprise the action is against (the clue\'s).' })
  enterprise(@Root() action: EnforcementAction, @Ctx() ctx: RequestContext) {
    return action.enterpriseId === null ? null : ctx.loaders.byId(Enterprise).load(action.enterpriseId);
  }
}

@Resolver(() => FraudListEntry)
export class FraudListResolver {
  @Query(() => FraudListEntryConnection, {
    description: 'The published list of institutions, units and persons that falsified monitoring data (public), newest first. Scoped keys see their own cities\' entries, as in every city-scoped list.',
  })
  fraudList(
    @Arg('filter', () => FraudListFilter, { nullable: true, description: 'Which entries to return.' }) filter: FraudListFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.fraudList(ctx, filter, page);
  }

  @FieldResolver(() => City, { description: 'City of the case.' })
  city(@Root() entry: FraudListEntry, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(City).load(entry.cityId);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign of the case.' })
  campaign(@Root() entry: FraudListEntry, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Campaign).load(entry.campaignId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise, for an ENTERPRISE entry.' })
  enterprise(@Root() entry: FraudListEntry, @Ctx() ctx: RequestContext) {
    return entry.enterpriseId === null ? null : ctx.loaders.byId(Enterprise).load(entry.enterpriseId);
  }
}

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => InspectionConnection, { description: 'Inspections of enterprises, newest first, within the caller\'s cities (needs an API key).' })
  inspections(
    @Arg('filter', () => InspectionFilter, { nullable: true, description: 'Which inspections to return.' }) filter: InspectionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.inspections(ctx, filter, page);
  }

  @Mutation(() => RecordInspectionPayload, {
    description: 'Records an inspection. 无事不扰: a positive-list enterprise is inspected without a clue only with reasonWithoutClue (REASON_REQUIRED_WITHOUT_CLUE otherwise); such inspections are counted.',
  })
  async recordInspection(@Arg('input', () => RecordInspectionInput, { description: 'The inspection.' }) input: RecordInspectionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SupervisionService.recordInspection(ctx, em, input));
    return { inspection: result, userErrors };
  }

  @FieldResolver(() => Enterprise, { description: 'The enterprise inspected.' })
  enterprise(@Root() inspection: Inspection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(Enterprise).load(inspection.enterpriseId);
  }

  @FieldResolver(() => Clue, { nullable: true, description: 'The clue the inspection follows; null without one.' })
  clue(@Root() inspection: Inspection, @Ctx() ctx: RequestContext) {
    return inspection.clueId === null ? null : ctx.loaders.byId(Clue).load(inspection.clueId);
  }

  @FieldResolver(() => City, { description: 'City of the inspection.' })
  city(@Root() inspection: Inspection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.byId(City).load(inspection.cityId);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseCluesResolver {
  @FieldResolver(() => ClueConnection, { description: 'Enforcement clues about the enterprise, newest first (needs an API key).' })
  clues(
    @Root() enterprise: Enterprise,
    @Arg('filter', () => EnterpriseClueFilter, { nullable: true, description: CLUE_FILTER }) filter: EnterpriseClueFilter | null,
    @Arg('orderBy', () => ClueOrder, { nullable: true, description: CLUE_ORDER }) orderBy: ClueOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.childClues(ctx, 'Enterprise', enterprise.id, filter, orderBy, page);
  }

  @FieldResolver(() => Boolean, { description: 'Whether new subsidy disbursements to the enterprise are blocked (a confirmed falsification of its monitoring data).' })
  subsidyBlocked(@Root() enterprise: Enterprise, @Ctx() ctx: RequestContext) {
    return SupervisionService.subsidyBlocked(ctx, enterprise);
  }
}

@Resolver(() => City)
export class CityClueStatsResolver {
  @FieldResolver(() => ClueStats, { description: 'Supervision figures of the city for a campaign (needs an API key).' })
  clueStats(
    @Root() city: City,
    @Arg('campaign', () => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' }) campaign: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return SupervisionService.clueStatsOfCity(ctx, city, campaign);
  }
}
