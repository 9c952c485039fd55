import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { Forecast, ForecastDay, RegionalLinkage, Warning, WarningChange } from './warning.entity.js';
import { ForecastService, RegionalLinkageService, WarningService } from './warning.service.js';
import {
  ChangeWarningInput,
  IssueRegionalLinkageInput,
  IssueWarningInput,
  LiftRegionalLinkageInput,
  LiftWarningInput,
  LinkedCity,
  RecordForecastsInput,
  RecordForecastsPayload,
  RegionalLinkagePayload,
  WarningPayload,
} from './warning.types.js';

@Resolver(() => Warning)
export class WarningResolver {
  @Query(() => Warning, { nullable: true, description: 'A heavy-pollution warning by id.' })
  warning(@Arg('id', () => ID, { description: 'Id of the warning.' }) id: string, @Ctx() ctx: RequestContext) {
    return WarningService.warning(ctx, id);
  }

  @Mutation(() => WarningPayload, {
    description:
      'Issues a heavy-pollution warning of a city (origin RECORDED); one open warning per city. A warning whose level or length exceeds what its forecast implies is stored, flagged with reason codes (flagReasons).',
  })
  async issueWarning(@Arg('input', () => IssueWarningInput, { description: 'The warning.' }) input: IssueWarningInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => WarningService.issue(ctx, em, input), { uniqueField: ['input', 'city'] });
    return { warning: result, userErrors };
  }

  @Mutation(() => WarningPayload, {
    description: 'Raises or lowers the level of an open warning and/or extends it, as dated changes of its history; its flags are recomputed. Increments the version.',
  })
  async changeWarning(@Arg('input', () => ChangeWarningInput, { description: 'The change.' }) input: ChangeWarningInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => WarningService.change(ctx, em, input));
    return { warning: result, userErrors };
  }

  @Mutation(() => WarningPayload, { description: 'Lifts (解除) an open warning, as the last dated change of its history. Increments the version.' })
  async liftWarning(@Arg('input', () => LiftWarningInput, { description: 'The lifting.' }) input: LiftWarningInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => WarningService.lift(ctx, em, input));
    return { warning: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the warning.' })
  city(@Root() warning: Warning, @Ctx() ctx: RequestContext) {
    return WarningService.cityOf(ctx, warning);
  }

  @FieldResolver(() => Forecast, { nullable: true, description: 'The forecast the warning rests on; null when none was given (then it is flagged NO_FORECAST).' })
  forecast(@Root() warning: Warning, @Ctx() ctx: RequestContext) {
    return WarningService.forecastOf(ctx, warning);
  }

  @FieldResolver(() => RegionalLinkage, { nullable: true, description: 'The regional linkage the warning answers; null for a warning of the city alone.' })
  linkage(@Root() warning: Warning, @Ctx() ctx: RequestContext) {
    return WarningService.linkageOf(ctx, warning);
  }

  @FieldResolver(() => [WarningChange], { description: 'Its history: the dated changes, oldest first (ISSUED first, LIFTED last when lifted).' })
  changes(@Root() warning: Warning, @Ctx() ctx: RequestContext) {
    return WarningService.changesOf(ctx, warning);
  }
}

@Resolver(() => Forecast)
export class ForecastResolver {
  @Mutation(() => RecordForecastsPayload, {
    description: 'Records forecasts (by a city or a forecasting system) all or nothing: any problem with any item writes nothing and is reported with the item\'s path. A forecast of the same city, source and instant is replaced, its days with it.',
  })
  async recordForecasts(@Arg('input', () => RecordForecastsInput, { description: 'The forecasts.' }) input: RecordForecastsInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => ForecastService.record(ctx, em, input.forecasts));
    return { forecasts: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the forecast.' })
  city(@Root() forecast: Forecast, @Ctx() ctx: RequestContext) {
    return WarningService.cityOf(ctx, forecast);
  }

  @FieldResolver(() => [ForecastDay], { description: 'Its days, in order.' })
  days(@Root() forecast: Forecast, @Ctx() ctx: RequestContext) {
    return ForecastService.daysOf(ctx, forecast);
  }
}

@Resolver(() => RegionalLinkage)
export class RegionalLinkageResolver {
  @Query(() => RegionalLinkage, { nullable: true, description: 'A regional emergency linkage by id.' })
  regionalLinkage(@Arg('id', () => ID, { description: 'Id of the linkage.' }) id: string, @Ctx() ctx: RequestContext) {
    return RegionalLinkageService.linkage(ctx, id);
  }

  @Mutation(() => RegionalLinkagePayload, {
    description: 'Issues a regional emergency linkage (区域应急联动) over cities and a level: MINISTRY over any cities, PROVINCE over cities of its province. Cities answer it with issueWarning(linkageId); a city that does not follow at the same level is flagged.',
  })
  async issueRegionalLinkage(@Arg('input', () => IssueRegionalLinkageInput, { description: 'The linkage.' }) input: IssueRegionalLinkageInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => RegionalLinkageService.issue(ctx, em, input));
    return { regionalLinkage: result, userErrors };
  }

  @Mutation(() => RegionalLinkagePayload, { description: 'Lifts a regional linkage (by the authority that issued it). Increments the version.' })
  async liftRegionalLinkage(@Arg('input', () => LiftRegionalLinkageInput, { description: 'The lifting.' }) input: LiftRegionalLinkageInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => RegionalLinkageService.lift(ctx, em, input));
    return { regionalLinkage: result, userErrors };
  }

  @FieldResolver(() => [LinkedCity], { description: 'The linked cities (those within the caller\'s cities) and whether each follows the linkage.' })
  cities(@Root() linkage: RegionalLinkage, @Ctx() ctx: RequestContext) {
    return RegionalLinkageService.citiesOf(ctx, linkage);
  }
}
