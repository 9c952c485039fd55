import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { TaskTarget } from '../target/target.entity.js';
import { ProjectFunding, RetrofitProject } from './project.entity.js';
import { RetrofitProjectService } from './project.service.js';
import {
  CreateRetrofitProjectInput,
  CreateRetrofitProjectPayload,
  RetrofitProjectConnection,
  RetrofitProjectFilter,
  RetrofitProjectOrder,
  UpdateRetrofitProjectInput,
  UpdateRetrofitProjectPayload,
} from './project.types.js';

const FILTER_DESCRIPTION = 'Which projects to return.';
const ORDER_DESCRIPTION = 'Sort; default: CREATED_AT descending (newest first).';

@Resolver(() => RetrofitProject)
export class RetrofitProjectResolver {
  @Query(() => RetrofitProjectConnection, { description: 'Retrofit projects, filtered and sorted.' })
  retrofitProjects(
    @Arg('filter', () => RetrofitProjectFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: RetrofitProjectFilter | null,
    @Arg('orderBy', () => RetrofitProjectOrder, { nullable: true, description: ORDER_DESCRIPTION }) orderBy: RetrofitProjectOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return RetrofitProjectService.projects(ctx, filter, orderBy, page);
  }

  @Query(() => RetrofitProject, { nullable: true, description: 'A retrofit project by id.' })
  retrofitProject(@Arg('id', () => ID, { description: 'Id of the project.' }) id: string, @Ctx() ctx: RequestContext) {
    return RetrofitProjectService.project(ctx, id);
  }

  @Mutation(() => CreateRetrofitProjectPayload, { description: 'Registers a retrofit project (origin RECORDED).' })
  async createRetrofitProject(
    @Arg('input', () => CreateRetrofitProjectInput, { description: 'The project.' }) input: CreateRetrofitProjectInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => RetrofitProjectService.create(ctx, em, input));
    return { retrofitProject: result, userErrors };
  }

  @Mutation(() => UpdateRetrofitProjectPayload, {
    description: 'Changes a retrofit project; its status moves at most one step (PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED). Every update increments the version.',
  })
  async updateRetrofitProject(
    @Arg('input', () => UpdateRetrofitProjectInput, { description: 'The changes.' }) input: UpdateRetrofitProjectInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => RetrofitProjectService.update(ctx, em, input));
    return { retrofitProject: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the project.' })
  city(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return RetrofitProjectService.cityOf(ctx, project);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Enterprise the project is carried out at; null for projects of households or the public.' })
  enterprise(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return RetrofitProjectService.enterpriseOf(ctx, project);
  }

  @FieldResolver(() => TaskTarget, { nullable: true, description: 'Task target the project counts toward.' })
  taskTarget(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return RetrofitProjectService.taskTargetOf(ctx, project);
  }

  @FieldResolver(() => [ProjectFunding], { description: 'Funding by source; the amounts add up to at most the investment.' })
  fundingSources(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return RetrofitProjectService.fundingOf(ctx, project);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseRetrofitProjectsResolver {
  @FieldResolver(() => RetrofitProjectConnection, { description: 'Retrofit projects carried out at the enterprise.' })
  retrofitProjects(
    @Root() enterprise: Enterprise,
    @Arg('filter', () => RetrofitProjectFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: RetrofitProjectFilter | null,
    @Arg('orderBy', () => RetrofitProjectOrder, { nullable: true, description: ORDER_DESCRIPTION }) orderBy: RetrofitProjectOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return RetrofitProjectService.childProjects(ctx, 'enterpriseId', enterprise.id, filter, orderBy, page);
  }
}

@Resolver(() => City)
export class CityRetrofitProjectsResolver {
  @FieldResolver(() => RetrofitProjectConnection, { description: 'Retrofit projects of the city.' })
  retrofitProjects(
    @Root() city: City,
    @Arg('filter', () => RetrofitProjectFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: RetrofitProjectFilter | null,
    @Arg('orderBy', () => RetrofitProjectOrder, { nullable: true, description: ORDER_DESCRIPTION }) orderBy: RetrofitProjectOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return RetrofitProjectService.childProjects(ctx, 'cityId', city.id, filter, orderBy, page);
  }
}

@Resolver(() => TaskTarget)
export class TaskTargetProjectsResolver {
  @FieldResolver(() => RetrofitProjectConnection, { description: 'Projects linked to the target, whether they count toward it yet or not.' })
  projects(
    @Root() target: TaskTarget,
    @Arg('filter', () => RetrofitProjectFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: RetrofitProjectFilter | null,
    @Arg('orderBy', () => RetrofitProjectOrder, { nullable: true, description: ORDER_DESCRIPTION }) orderBy: RetrofitProjectOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return RetrofitProjectService.childProjects(ctx, 'taskTargetId', target.id, filter, orderBy, page);
  }
}
