import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City, Province } from '../geography/geography.entity.js';
import { TaskTarget, TaskTargetBreakdown } from './target.entity.js';
import { TaskTargetService } from './target.service.js';
import { TaskTargetConnection, TaskTargetFilter, TaskTargetOrder, TaskTargetProgress } from './target.types.js';

@Resolver(() => TaskTarget)
export class TaskTargetResolver {
  @Query(() => TaskTargetConnection, { description: 'Task targets of the campaigns, filtered and sorted (default: the plan\'s order).' })
  taskTargets(
    @Arg('filter', () => TaskTargetFilter, { nullable: true, description: 'Which targets to return.' }) filter: TaskTargetFilter | null,
    @Arg('orderBy', () => TaskTargetOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending (the plan\'s order).' }) orderBy: TaskTargetOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return TaskTargetService.taskTargets(ctx, filter, orderBy, page);
  }

  @Query(() => TaskTarget, { nullable: true, description: 'A task target by code, e.g. "COAL_HOUSEHOLDS".' })
  taskTarget(
    @Arg('code', () => String, { description: 'Code of the target.' }) code: string,
    @Arg('campaign', () => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' }) campaign: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return TaskTargetService.taskTarget(ctx, code, campaign);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign the target belongs to.' })
  campaign(@Root() target: TaskTarget, @Ctx() ctx: RequestContext) {
    return TaskTargetService.campaignOf(ctx, target);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Province of a PROVINCE-scoped target; null otherwise.' })
  province(@Root() target: TaskTarget, @Ctx() ctx: RequestContext) {
    return TaskTargetService.provinceOf(ctx, target.provinceId);
  }

  @FieldResolver(() => City, { nullable: true, description: 'City of a CITY-scoped target; null otherwise.' })
  city(@Root() target: TaskTarget, @Ctx() ctx: RequestContext) {
    return TaskTargetService.cityOf(ctx, target.cityId);
  }

  @FieldResolver(() => [TaskTargetBreakdown], { description: 'Shares of the target assigned to provinces or cities; empty when the plan gives none.' })
  breakdown(@Root() target: TaskTarget, @Ctx() ctx: RequestContext) {
    return TaskTargetService.breakdownOf(ctx, target);
  }

  @FieldResolver(() => TaskTargetProgress, { description: 'Progress computed from the projects that count toward the target.' })
  progress(@Root() target: TaskTarget, @Ctx() ctx: RequestContext) {
    return TaskTargetService.progressOf(ctx, target);
  }
}

@Resolver(() => TaskTargetBreakdown)
export class TaskTargetBreakdownResolver {
  @FieldResolver(() => Province, { nullable: true, description: 'Province of the share (null for a city share).' })
  province(@Root() share: TaskTargetBreakdown, @Ctx() ctx: RequestContext) {
    return TaskTargetService.provinceOf(ctx, share.provinceId);
  }

  @FieldResolver(() => City, { nullable: true, description: 'City of the share (null for a province share).' })
  city(@Root() share: TaskTargetBreakdown, @Ctx() ctx: RequestContext) {
    return TaskTargetService.cityOf(ctx, share.cityId);
  }

  @FieldResolver(() => TaskTargetProgress, { description: 'Progress of the projects located in the share\'s province or city against its quantity.' })
  progress(@Root() share: TaskTargetBreakdown, @Ctx() ctx: RequestContext) {
    return TaskTargetService.breakdownProgressOf(ctx, share);
  }
}

@Resolver(() => Campaign)
export class CampaignTaskTargetsResolver {
  @FieldResolver(() => [TaskTarget], { description: 'Task targets of the campaign, in the plan\'s order.' })
  taskTargets(@Root() campaign: Campaign, @Ctx() ctx: RequestContext) {
    return TaskTargetService.targetsOfCampaign(ctx, campaign.id);
  }
}
