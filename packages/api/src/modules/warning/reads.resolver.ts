import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { READS, requireRead, type ReadRule } from '../../common/auth.js';
import { declaredPage } from '../../common/compiled/declared.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { WARNING_READS } from './warning.reads.js';
import {
  ForecastConnection, ForecastFilter, ForecastOrder, MeasureCheckConnection, MeasureCheckFilter, MeasureCheckOrder, ReductionListEntryConnection,
  ReductionListEntryFilter, ReductionListEntryOrder, RegionalLinkageConnection, RegionalLinkageFilter, RegionalLinkageOrder, WarningConnection, WarningFilter, WarningOrder,
} from './reads.types.js';

const page = (ctx: RequestContext, rule: ReadRule, root: string, args: Record<string, unknown>) => {
  requireRead(ctx, rule);
  return declaredPage(ctx, [WARNING_READS], root, args);
};

@Resolver()
export class WarningReadsResolver {
  @Query(() => WarningConnection, { description: 'Heavy-pollution warnings, filtered and sorted (declared in warning.reads.ts).' })
  warnings(
    @Arg('filter', () => WarningFilter, { nullable: true, description: 'Which warnings.' }) filter: WarningFilter | null,
    @Arg('orderBy', () => WarningOrder, { nullable: true, description: 'Sort; default EFFECTIVE_FROM descending.' }) orderBy: WarningOrder | null,
    @Args(() => PageArgs) p: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return page(ctx, READS.warnings, 'warnings', { filter, orderBy, ...p });
  }

  @Query(() => ForecastConnection, { description: 'Forecasts, filtered and sorted.' })
  forecasts(
    @Arg('filter', () => ForecastFilter, { nullable: true, description: 'Which forecasts.' }) filter: ForecastFilter | null,
    @Arg('orderBy', () => ForecastOrder, { nullable: true, description: 'Sort; default ISSUED_AT descending.' }) orderBy: ForecastOrder | null,
    @Args(() => PageArgs) p: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return page(ctx, READS.forecasts, 'forecasts', { filter, orderBy, ...p });
  }

  @Query(() => RegionalLinkageConnection, { description: 'Regional emergency linkages, filtered and sorted.' })
  regionalLinkages(
    @Arg('filter', () => RegionalLinkageFilter, { nullable: true, description: 'Which linkages.' }) filter: RegionalLinkageFilter | null,
    @Arg('orderBy', () => RegionalLinkageOrder, { nullable: true, description: 'Sort; default EFFECTIVE_FROM descending.' }) orderBy: RegionalLinkageOrder | null,
    @Args(() => PageArgs) p: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return page(ctx, READS.regionalLinkages, 'regionalLinkages', { filter, orderBy, ...p });
  }

  @Query(() => ReductionListEntryConnection, { description: 'Entries of the emergency reduction lists, filtered and sorted (needs an API key).' })
  reductionListEntries(
    @Arg('filter', () => ReductionListEntryFilter, { nullable: true, description: 'Which entries.' }) filter: ReductionListEntryFilter | null,
    @Arg('orderBy', () => ReductionListEntryOrder, { nullable: true, description: 'Sort; default CREATED_AT ascending.' }) orderBy: ReductionListEntryOrder | null,
    @Args(() => PageArgs) p: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return page(ctx, READS.reductionLists, 'reductionListEntries', { filter, orderBy, ...p });
  }

  @Query(() => MeasureCheckConnection, { description: 'Measure checks, filtered and sorted (needs an API key).' })
  measureChecks(
    @Arg('filter', () => MeasureCheckFilter, { nullable: true, description: 'Which checks.' }) filter: MeasureCheckFilter | null,
    @Arg('orderBy', () => MeasureCheckOrder, { nullable: true, description: 'Sort; default CHECKED_AT descending.' }) orderBy: MeasureCheckOrder | null,
    @Args(() => PageArgs) p: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return page(ctx, READS.measureChecks, 'measureChecks', { filter, orderBy, ...p });
  }
}
