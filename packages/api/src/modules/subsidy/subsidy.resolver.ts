import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { GeographyService } from '../geography/geography.service.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { Disbursement, SubsidyBudget, SubsidyProgram } from './subsidy.entity.js';
import { SubsidyService } from './subsidy.service.js';
import {
  CreateSubsidyProgramInput,
  CreateSubsidyProgramPayload,
  DisbursementConnection,
  DisbursementFilter,
  DisbursementOrder,
  MarkDisbursementPaidInput,
  MarkDisbursementPaidPayload,
  ProgramDisbursementFilter,
  RecordDisbursementInput,
  RecordDisbursementPayload,
  SetSubsidyBudgetInput,
  SetSubsidyBudgetPayload,
  SubsidyProgramConnection,
  SubsidyProgramFilter,
  SubsidyTotals,
} from './subsidy.types.js';

@Resolver(() => SubsidyProgram)
export class SubsidyProgramResolver {
  @Query(() => SubsidyProgramConnection, { description: 'Subsidy programs, in the order they were created.' })
  subsidyPrograms(
    @Arg('filter', () => SubsidyProgramFilter, { nullable: true, description: 'Which programs to return.' }) filter: SubsidyProgramFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SubsidyService.programs(ctx, filter, page);
  }

  @Query(() => SubsidyProgram, { nullable: true, description: 'A subsidy program by id.' })
  subsidyProgram(@Arg('id', () => ID, { description: 'Id of the program.' }) id: string, @Ctx() ctx: RequestContext) {
    return SubsidyService.program(ctx, id);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign the program belongs to.' })
  campaign(@Root() program: SubsidyProgram, @Ctx() ctx: RequestContext) {
    return SubsidyService.campaignOf(ctx, program);
  }

  @FieldResolver(() => SubsidyTotals, { description: 'Budgets, commitments, payments, low-income share and days to payment over every city.' })
  totals(@Root() program: SubsidyProgram, @Ctx() ctx: RequestContext) {
    return SubsidyService.programTotals(ctx, program.id);
  }

  @FieldResolver(() => [SubsidyBudget], { description: 'Budgets of the program per city, in the plan\'s order of cities.' })
  budgets(
    @Root() program: SubsidyProgram,
    @Arg('filter', () => PlaceFilter, { nullable: true, description: 'Only budgets of the cities this selects.' }) filter: PlaceFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    return SubsidyService.budgetsOfProgram(ctx, program.id, filter);
  }

  @FieldResolver(() => DisbursementConnection, { description: 'Disbursements of the program, filtered and sorted.' })
  disbursements(
    @Root() program: SubsidyProgram,
    @Arg('filter', () => ProgramDisbursementFilter, { nullable: true, description: 'Which disbursements to return.' }) filter: ProgramDisbursementFilter | null,
    @Arg('orderBy', () => DisbursementOrder, { nullable: true, description: 'Sort; default: the order they were recorded.' }) orderBy: DisbursementOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SubsidyService.disbursementsOfProgram(ctx, program.id, filter, orderBy, page);
  }

  @Mutation(() => CreateSubsidyProgramPayload, { description: 'Creates a subsidy program of a campaign. Budgets per city follow with setSubsidyBudget.' })
  async createSubsidyProgram(
    @Arg('input', () => CreateSubsidyProgramInput, { description: 'The program.' }) input: CreateSubsidyProgramInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateSubsidyProgramPayload> {
    const { result, userErrors } = await runMutation(ctx, (em) => SubsidyService.createProgram(ctx, em, input), { uniqueField: ['input', 'code'] });
    return { subsidyProgram: result, userErrors };
  }
}

@Resolver(() => SubsidyBudget)
export class SubsidyBudgetResolver {
  @FieldResolver(() => SubsidyProgram, { description: 'Program of the budget.' })
  program(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return SubsidyService.programById(ctx, budget.programId);
  }

  @FieldResolver(() => City, { description: 'City of the budget.' })
  city(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return GeographyService.cityById(ctx, budget.cityId);
  }

  @FieldResolver(() => Float, { description: 'Sum of every recorded disbursement of the budget, paid or not (each is a commitment), in yuan.' })
  async committedAmount(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).committedAmount;
  }

  @FieldResolver(() => Float, { description: 'Sum of the disbursements already paid, in yuan.' })
  async paidAmount(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).paidAmount;
  }

  @FieldResolver(() => Float, { description: 'Budget not yet committed: amount minus committedAmount, in yuan.' })
  async remainingAmount(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).remainingAmount;
  }

  @FieldResolver(() => Int, { description: 'Number of recorded disbursements, paid or not.' })
  async disbursementCount(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).disbursementCount;
  }

  @FieldResolver(() => Int, { description: 'Number of disbursements already paid.' })
  async paidCount(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).paidCount;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Share (0..1) of the amount committed to households that goes to low-income households; null without household disbursements.',
  })
  async lowIncomeShare(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).lowIncomeShare;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Median days from approval to payment over the paid disbursements (interpolated); null when none is paid.' })
  async medianDaysToPayment(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).medianDaysToPayment;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Mean days from approval to payment over the paid disbursements; null when none is paid.' })
  async meanDaysToPayment(@Root() budget: SubsidyBudget, @Ctx() ctx: RequestContext) {
    return (await SubsidyService.budgetMeasures(ctx, budget.id)).meanDaysToPayment;
  }

  @Mutation(() => SetSubsidyBudgetPayload, {
    description:
      'Creates a city\'s budget of a subsidy program, or changes its amount. It may not be set below what is committed (every recorded disbursement, paid or not): BUDGET_EXCEEDED.',
  })
  async setSubsidyBudget(
    @Arg('input', () => SetSubsidyBudgetInput, { description: 'Program, city and amount.' }) input: SetSubsidyBudgetInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetSubsidyBudgetPayload> {
    const { result, userErrors } = await runMutation(ctx, (em) => SubsidyService.setBudget(ctx, em, input));
    return { subsidyBudget: result, userErrors };
  }
}

@Resolver(() => Disbursement)
export class DisbursementResolver {
  @Query(() => DisbursementConnection, { description: 'Subsidy disbursements of every program, filtered and sorted.' })
  disbursements(
    @Arg('filter', () => DisbursementFilter, { nullable: true, description: 'Which disbursements to return.' }) filter: DisbursementFilter | null,
    @Arg('orderBy', () => DisbursementOrder, { nullable: true, description: 'Sort; default: the order they were recorded.' }) orderBy: DisbursementOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SubsidyService.disbursements(ctx, filter, orderBy, page);
  }

  @FieldResolver(() => SubsidyProgram, { description: 'Program that pays it.' })
  program(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return SubsidyService.programById(ctx, d.programId);
  }

  @FieldResolver(() => SubsidyBudget, { description: 'Budget (of the program in the city) it counts against.' })
  budget(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return SubsidyService.budgetById(ctx, d.budgetId);
  }

  @FieldResolver(() => City, { description: 'City whose budget pays it.' })
  city(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return GeographyService.cityById(ctx, d.cityId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Receiving enterprise; null for households.' })
  enterprise(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return SubsidyService.enterpriseOf(ctx, d);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Days from approval to payment; null while not paid.' })
  daysToPayment(@Root() d: Disbursement) {
    return SubsidyService.daysToPayment(d);
  }

  @Mutation(() => RecordDisbursementPayload, {
    description:
      'Records an approved (and possibly already paid) disbursement. It counts against the city\'s budget of the program at once, paid or not; BUDGET_EXCEEDED when the budget cannot hold it.',
  })
  async recordDisbursement(
    @Arg('input', () => RecordDisbursementInput, { description: 'The disbursement.' }) input: RecordDisbursementInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RecordDisbursementPayload> {
    const { result, userErrors } = await runMutation(ctx, (em) => SubsidyService.recordDisbursement(ctx, em, input));
    return { disbursement: result, userErrors };
  }

  @Mutation(() => MarkDisbursementPaidPayload, { description: 'Records the payment of an approved disbursement. A disbursement is paid once.' })
  async markDisbursementPaid(
    @Arg('input', () => MarkDisbursementPaidInput, { description: 'Which disbursement and when it was paid.' }) input: MarkDisbursementPaidInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MarkDisbursementPaidPayload> {
    const { result, userErrors } = await runMutation(ctx, (em) => SubsidyService.markPaid(ctx, em, input));
    return { disbursement: result, userErrors };
  }
}

@Resolver(() => City)
export class CitySubsidyResolver {
  @FieldResolver(() => [SubsidyBudget], { description: 'The city\'s budgets of every subsidy program, in the order the programs were created.' })
  subsidyBudgets(@Root() city: City, @Ctx() ctx: RequestContext) {
    return SubsidyService.budgetsOfCity(ctx, city.id);
  }
}
