import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { MeasureCheckService, ReductionService } from './reduction.service.js';
import {
  DecideGradeProposalInput,
  MeasureCheckPayload,
  RecordMeasureCheckInput,
  RequiredMeasure,
  SetReductionListEntriesInput,
  SetReductionListEntriesPayload,
} from './reduction.types.js';
import { Warning } from './warning.entity.js';
import { WarningService } from './warning.service.js';

@Resolver(() => ReductionListEntry)
export class ReductionListEntryResolver {
  @Query(() => ReductionListEntry, { nullable: true, description: 'An entry of an emergency reduction list by id (needs an API key).' })
  reductionListEntry(@Arg('id', () => ID, { description: 'Id of the entry.' }) id: string, @Ctx() ctx: RequestContext) {
    return ReductionService.entry(ctx, id);
  }

  @Mutation(() => SetReductionListEntriesPayload, {
    description:
      'Adds or replaces entries of a city\'s emergency reduction list for a campaign, all or nothing. Rules: A and LEADING are SELF_DETERMINED; the cut never shrinks as the level rises (YELLOW <= ORANGE <= RED) nor, within an industry of the list, as the grade worsens (LEADING/A <= B <= C <= D, ungraded as D); a protected-class exemption needs the ministry filing (MINISTRY_FILED).',
  })
  async setReductionListEntries(
    @Arg('input', () => SetReductionListEntriesInput, { description: 'The entries.' }) input: SetReductionListEntriesInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => ReductionService.setEntries(ctx, em, input));
    return { entries: result, userErrors };
  }

  @FieldResolver(() => Enterprise, { description: 'The listed enterprise.' })
  enterprise(@Root() entry: ReductionListEntry, @Ctx() ctx: RequestContext) {
    return ReductionService.enterpriseOf(ctx, entry);
  }

  @FieldResolver(() => City, { description: 'City of the list.' })
  city(@Root() entry: ReductionListEntry, @Ctx() ctx: RequestContext) {
    return WarningService.cityOf(ctx, entry);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign of the list.' })
  campaign(@Root() entry: ReductionListEntry, @Ctx() ctx: RequestContext) {
    return ReductionService.campaignOf(ctx, entry);
  }
}

@Resolver(() => MeasureCheck)
export class MeasureCheckResolver {
  @Query(() => MeasureCheck, { nullable: true, description: 'A measure check by id (needs an API key).' })
  measureCheck(@Arg('id', () => ID, { description: 'Id of the check.' }) id: string, @Ctx() ctx: RequestContext) {
    return MeasureCheckService.check(ctx, id);
  }

  @Mutation(() => MeasureCheckPayload, {
    description: 'Records a measure check (督查) of a listed enterprise during a warning of its city; a FAILED check proposes a grade change FAILED_EMERGENCY_CUTS (one grade down).',
  })
  async recordMeasureCheck(@Arg('input', () => RecordMeasureCheckInput, { description: 'The check.' }) input: RecordMeasureCheckInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => MeasureCheckService.record(ctx, em, input));
    return { measureCheck: result, gradeChange: null, userErrors };
  }

  @Mutation(() => MeasureCheckPayload, {
    description: 'Accepts the grade change a failed check proposes (recorded with reason FAILED_EMERGENCY_CUTS and linked to the check) or rejects it. Increments the check\'s version.',
  })
  async decideGradeProposal(@Arg('input', () => DecideGradeProposalInput, { description: 'The decision.' }) input: DecideGradeProposalInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => MeasureCheckService.decide(ctx, em, input));
    return { measureCheck: result?.check ?? null, gradeChange: result?.gradeChange ?? null, userErrors };
  }

  @FieldResolver(() => Warning, { description: 'The warning in force during the check.' })
  warning(@Root() check: MeasureCheck, @Ctx() ctx: RequestContext) {
    return WarningService.warning(ctx, check.warningId);
  }

  @FieldResolver(() => Enterprise, { description: 'The checked enterprise.' })
  enterprise(@Root() check: MeasureCheck, @Ctx() ctx: RequestContext) {
    return ReductionService.enterpriseOf(ctx, check);
  }

  @FieldResolver(() => ReductionListEntry, { description: 'Its list entry (the measure it had to apply).' })
  entry(@Root() check: MeasureCheck, @Ctx() ctx: RequestContext) {
    return ReductionService.entry(ctx, String(check.entryId));
  }

  @FieldResolver(() => City, { description: 'City of the check.' })
  city(@Root() check: MeasureCheck, @Ctx() ctx: RequestContext) {
    return WarningService.cityOf(ctx, check);
  }

  @FieldResolver(() => GradeChange, { nullable: true, description: 'The grade change that followed (an accepted proposal); null otherwise.' })
  gradeChange(@Root() check: MeasureCheck, @Ctx() ctx: RequestContext) {
    return MeasureCheckService.gradeChangeOf(ctx, check);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseRequiredMeasureResolver {
  @FieldResolver(() => RequiredMeasure, { description: 'What the enterprise must do at an instant (default: now): the warning in force in its city, its level then, and the measure of its reduction list entry.' })
  requiredMeasure(
    @Root() enterprise: Enterprise,
    @Arg('at', () => Date, { nullable: true, description: 'The instant; default: now.' }) at: Date | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ReductionService.requiredMeasure(ctx, enterprise, at ?? new Date());
  }
}
