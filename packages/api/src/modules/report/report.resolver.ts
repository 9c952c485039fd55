import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { ReportService } from './report.service.js';
import { requireSection, ScorecardService } from './scorecard.service.js';
import { CampaignScorecard, MonthlyPm25Ranking, RankingOrder, Report, ReportInput, ScorecardLevel, ScorecardSubsidies } from './report.types.js';
import { ClueStats } from '../supervision/supervision.types.js';

@Resolver()
export class ReportResolver {
  @Query(() => Report, {
    description:
      'A custom report: the records of a subject grouped by dimensions, with measures, subtotals and a grand total, computed in one SQL statement. An unsupported dimension, measure or aggregation of the subject is a BAD_USER_INPUT error naming the field (e.g. input.dimensions.1).',
  })
  report(@Arg('input', () => ReportInput, { description: 'Subject, dimensions, measures, filter and totals.' }) input: ReportInput, @Ctx() ctx: RequestContext) {
    return ReportService.report(ctx, input);
  }

  @Query(() => [CampaignScorecard], {
    description:
      'Campaign scorecards per city, province or region: outcome attainment, task targets, subsidies, grades, supervision (clues) and heavy-pollution response (emergency). Places in the plan\'s order (regions and provinces by id).',
  })
  campaignScorecards(
    @Arg('level', () => ScorecardLevel, { description: 'One scorecard per city, province or region.' }) level: ScorecardLevel,
    @Arg('campaign', () => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' }) campaign: string | null,
    @Arg('filter', () => PlaceFilter, { nullable: true, description: 'Only these cities (and the provinces and regions holding them).' }) filter: PlaceFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ScorecardService.scorecards(ctx, campaign, level, filter);
  }

  @Query(() => MonthlyPm25Ranking, {
    description:
      'Cities ranked by the mean of their city-wide daily PM2.5 of a month (rank 1: the lowest), with the change against the same month of the previous year, as in the monthly air quality notices.',
  })
  monthlyPm25Ranking(
    @Arg('month', () => String, { description: 'The month, YYYY-MM (e.g. "2024-01").' }) month: string,
    @Arg('filter', () => PlaceFilter, { nullable: true, description: 'Only these cities.' }) filter: PlaceFilter | null,
    @Arg('order', () => RankingOrder, { nullable: true, description: 'BEST_FIRST (default) or WORST_FIRST; ranks count from the best either way.' }) order: RankingOrder | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ScorecardService.monthlyRanking(ctx, month, filter, order);
  }
}

@Resolver(() => CampaignScorecard)
export class CampaignScorecardResolver {
  @FieldResolver(() => ScorecardSubsidies, {
    nullable: true,
    description:
      'Subsidies of the campaign\'s programs. Subsidy budgets and disbursements are not public: without an API key this field is null with an UNAUTHENTICATED error on it (the rest of the scorecard is public and answered).',
  })
  subsidies(@Root() card: CampaignScorecard, @Ctx() ctx: RequestContext): ScorecardSubsidies | null {
    requireSection(ctx, 'subsidies');
    return card.subsidies;
  }

  @FieldResolver(() => ClueStats, {
    nullable: true,
    description:
      'Supervision figures (clues, rates, watch list, spot checks, stage durations, actions, fines) of the campaign in the place. Clues are not public: without an API key this field is null with an UNAUTHENTICATED error on it.',
  })
  clues(@Root() card: CampaignScorecard, @Ctx() ctx: RequestContext): ClueStats | null {
    requireSection(ctx, 'clues');
    return card.clues;
  }
}
