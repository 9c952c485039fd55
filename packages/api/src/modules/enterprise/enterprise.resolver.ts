import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { Enterprise, GradeChange } from './enterprise.entity.js';
import { EnterpriseService } from './enterprise.service.js';
import {
  CityEnterpriseFilter,
  CreateEnterpriseInput,
  CreateEnterprisePayload,
  EnterpriseConnection,
  EnterpriseFilter,
  EnterpriseOrder,
  GradeChangeConnection,
  GradeChangeFilter,
  RecordGradeChangeInput,
  RecordGradeChangePayload,
  RecordProtectedClassStepInput,
  RecordProtectedClassStepPayload,
  UpdateEnterpriseInput,
  UpdateEnterprisePayload,
} from './enterprise.types.js';

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => EnterpriseConnection, { description: 'Air-polluting enterprises, filtered and sorted (default: by name).' })
  enterprises(
    @Arg('filter', () => EnterpriseFilter, { nullable: true, description: 'Which enterprises to return.' }) filter: EnterpriseFilter | null,
    @Arg('orderBy', () => EnterpriseOrder, { nullable: true, description: 'Sort; default: name ascending.' }) orderBy: EnterpriseOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return EnterpriseService.enterprises(ctx, filter, orderBy, page);
  }

  @Query(() => Enterprise, { nullable: true, description: 'An enterprise by id.' })
  enterprise(@Arg('id', () => ID, { description: 'Id of the enterprise.' }) id: string, @Ctx() ctx: RequestContext) {
    return EnterpriseService.enterprise(ctx, id);
  }

  @Query(() => Enterprise, { nullable: true, description: 'An enterprise by unified social credit code.' })
  enterpriseByCreditCode(
    @Arg('creditCode', () => String, { description: 'Unified social credit code (18 characters; case-insensitive).' }) creditCode: string,
    @Ctx() ctx: RequestContext,
  ) {
    return EnterpriseService.enterpriseByCreditCode(ctx, creditCode);
  }

  @FieldResolver(() => City, { description: 'City the enterprise is regulated in.' })
  city(@Root() enterprise: Enterprise, @Ctx() ctx: RequestContext) {
    return EnterpriseService.cityOf(ctx, enterprise);
  }

  @FieldResolver(() => GradeChangeConnection, { description: 'History of the enterprise\'s performance grade, newest first.' })
  gradeChanges(@Root() enterprise: Enterprise, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    return EnterpriseService.gradeChangesOf(ctx, enterprise, page);
  }

  @Mutation(() => CreateEnterprisePayload, { description: 'Registers an enterprise. It starts ungraded; grades come from recordGradeChange.' })
  async createEnterprise(
    @Arg('input', () => CreateEnterpriseInput, { description: 'The enterprise to register.' }) input: CreateEnterpriseInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => EnterpriseService.create(ctx, em, input), { uniqueField: ['input', 'creditCode'] });
    return { enterprise: result, userErrors };
  }

  @Mutation(() => UpdateEnterprisePayload, { description: 'Changes attributes of an enterprise (not its city, credit code or grade).' })
  async updateEnterprise(
    @Arg('input', () => UpdateEnterpriseInput, { description: 'The enterprise and the attributes to change.' }) input: UpdateEnterpriseInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => EnterpriseService.update(ctx, em, input));
    return { enterprise: result, userErrors };
  }

  @Mutation(() => RecordProtectedClassStepPayload, {
    description:
      'Records a step of the approval chain of an enterprise\'s protected class (保障类): the city government\'s consent (CITY key), then the province\'s review (PROVINCE key), then the filing with the Ministry (MINISTRY key), each dated and attributed. Refused: a step out of order, twice or dated before the one it follows (PROTECTED_CHAIN_ORDER), by another role (PROTECTED_STEP_ROLE), a day in the future (INVALID_DATE).',
  })
  async recordProtectedClassStep(
    @Arg('input', () => RecordProtectedClassStepInput, { description: 'The enterprise, the step and its day.' }) input: RecordProtectedClassStepInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => EnterpriseService.recordProtectedClassStep(ctx, em, input));
    return { enterprise: result, userErrors };
  }

  @Mutation(() => RecordGradeChangePayload, {
    description: 'Records a decided change of an enterprise\'s performance grade; the new grade becomes its current grade.',
  })
  async recordGradeChange(
    @Arg('input', () => RecordGradeChangeInput, { description: 'The grade change.' }) input: RecordGradeChangeInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => EnterpriseService.recordGradeChange(ctx, em, input));
    return { gradeChange: result?.gradeChange ?? null, enterprise: result?.enterprise ?? null, userErrors };
  }
}

@Resolver(() => GradeChange)
export class GradeChangeResolver {
  @Query(() => GradeChangeConnection, { description: 'Performance-grade changes of every enterprise, newest first.' })
  gradeChanges(
    @Arg('filter', () => GradeChangeFilter, { nullable: true, description: 'Which grade changes to return.' }) filter: GradeChangeFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return EnterpriseService.gradeChanges(ctx, filter, page);
  }

  @FieldResolver(() => Enterprise, { description: 'The enterprise whose grade changed.' })
  enterprise(@Root() change: GradeChange, @Ctx() ctx: RequestContext) {
    return EnterpriseService.enterpriseOf(ctx, change);
  }

  @FieldResolver(() => City, { description: 'City of the enterprise.' })
  city(@Root() change: GradeChange, @Ctx() ctx: RequestContext) {
    return EnterpriseService.cityOf(ctx, change);
  }
}

/** Adds City.enterprises (type-graphql merges it with the geography module's City fields). */
@Resolver(() => City)
export class CityEnterprisesResolver {
  @FieldResolver(() => EnterpriseConnection, { description: 'Enterprises regulated in the city, filtered and sorted (default: by name).' })
  enterprises(
    @Root() city: City,
    @Arg('filter', () => CityEnterpriseFilter, { nullable: true, description: 'Which enterprises to return.' }) filter: CityEnterpriseFilter | null,
    @Arg('orderBy', () => EnterpriseOrder, { nullable: true, description: 'Sort; default: name ascending.' }) orderBy: EnterpriseOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return EnterpriseService.enterprisesOfCity(ctx, city, filter, orderBy, page);
  }
}
