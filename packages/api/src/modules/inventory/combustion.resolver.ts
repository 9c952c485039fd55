import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { CombustionUnit } from './combustion.entity.js';
import { CombustionUnitService } from './combustion.service.js';
import { Locality } from './household.entity.js';
import { CombustionUnitConnection, CombustionUnitFilter, CombustionUnitOrder, CombustionUnitPayload, CreateCombustionUnitInput, UpdateCombustionUnitInput } from './combustion.types.js';

@Resolver(() => CombustionUnit)
export class CombustionUnitResolver {
  @Query(() => CombustionUnitConnection, { description: 'The combustion-unit inventory (锅炉炉窑清单), filtered and sorted (needs an API key).' })
  combustionUnits(
    @Arg('filter', () => CombustionUnitFilter, { nullable: true, description: 'Which units to return.' }) filter: CombustionUnitFilter | null,
    @Arg('orderBy', () => CombustionUnitOrder, { nullable: true, description: 'Sort; default: CREATED_AT ascending.' }) orderBy: CombustionUnitOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return CombustionUnitService.units(ctx, filter, orderBy, page);
  }

  @Query(() => CombustionUnit, { nullable: true, description: 'A combustion unit by id (needs an API key).' })
  combustionUnit(@Arg('id', () => ID, { description: 'Id of the unit.' }) id: string, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.unit(ctx, id);
  }

  @Mutation(() => CombustionUnitPayload, {
    description:
      'Adds a combustion unit to a city\'s inventory (origin RECORDED). Refused: an OPERATING coal boiler of 35 t/h or less (SMALL_COAL_BOILER_MUST_BE_ELIMINATED); a new coal boiler outside central heating without an approved exception (NEW_COAL_BOILER_NOT_ALLOWED).',
  })
  async createCombustionUnit(@Arg('input', () => CreateCombustionUnitInput, { description: 'The unit.' }) input: CreateCombustionUnitInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => CombustionUnitService.create(ctx, em, input));
    return { combustionUnit: result, userErrors };
  }

  @Mutation(() => CombustionUnitPayload, { description: 'Changes a combustion unit (the same rules as createCombustionUnit; ELIMINATED is final). Increments the version.' })
  async updateCombustionUnit(@Arg('input', () => UpdateCombustionUnitInput, { description: 'The changes.' }) input: UpdateCombustionUnitInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => CombustionUnitService.update(ctx, em, input));
    return { combustionUnit: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the unit.' })
  city(@Root() unit: CombustionUnit, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.cityOf(ctx, unit);
  }

  @FieldResolver(() => Locality, { nullable: true, description: 'The county, township or village of its city the unit stands in; null when not recorded.' })
  locality(@Root() unit: CombustionUnit, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.localityOf(ctx, unit);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'Enterprise operating the unit.' })
  enterprise(@Root() unit: CombustionUnit, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.enterpriseOf(ctx, unit);
  }

  @FieldResolver(() => RetrofitProject, { nullable: true, description: 'Retrofit project that eliminates the unit.' })
  eliminationProject(@Root() unit: CombustionUnit, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.eliminationProjectOf(ctx, unit);
  }
}

@Resolver(() => RetrofitProject)
export class RetrofitProjectEliminatedUnitsResolver {
  @FieldResolver(() => [CombustionUnit], { description: 'Combustion units the project eliminates (they count toward COAL_BOILERS_ELIMINATED and GAS_GENERATORS_ELIMINATED once eliminated).' })
  eliminatedUnits(@Root() project: RetrofitProject, @Ctx() ctx: RequestContext) {
    return CombustionUnitService.unitsOfProject(ctx, project);
  }
}
