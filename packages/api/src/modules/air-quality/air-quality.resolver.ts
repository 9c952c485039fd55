import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { HEAVY_POLLUTION_AQI_THRESHOLD, HEAVY_POLLUTION_PM25_THRESHOLD } from '@airledger/schema';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { AirQualityObservation, OutcomeTarget } from './air-quality.entity.js';
import { AirQualityService } from './air-quality.service.js';
import {
  AirQualityObservationConnection,
  AirQualityObservationFilter,
  AirQualityObservationOrder,
  AttainmentFilter,
  CampaignAttainment,
  MAX_OBSERVATIONS_PER_BATCH,
  OutcomeTargetConnection,
  OutcomeTargetFilter,
  OutcomeTargetOrder,
  RecordAirQualityObservationInput,
  RecordAirQualityObservationPayload,
  RecordAirQualityObservationsInput,
  RecordAirQualityObservationsPayload,
  SetOutcomeTargetInput,
  SetOutcomeTargetPayload,
} from './air-quality.types.js';

const CAMPAIGN_ARG = { description: 'Code of the campaign, e.g. "2023-2024-autumn-winter".' };
const REPLACES =
  'Recording an observation that exists for the same city, day and station replaces all its values (a correction: omitted pollutants become null, origin becomes RECORDED, updatedBy is the caller; createdBy is kept).';

@Resolver(() => AirQualityObservation)
export class AirQualityObservationResolver {
  @Query(() => AirQualityObservationConnection, {
    description: 'Daily air quality observations, filtered and sorted. Default: city-wide daily means, oldest day first.',
  })
  airQualityObservations(
    @Arg('filter', () => AirQualityObservationFilter, { nullable: true, description: 'Which observations to return.' }) filter: AirQualityObservationFilter | null,
    @Arg('orderBy', () => AirQualityObservationOrder, { nullable: true, description: 'Sort; default: by day, ascending.' }) orderBy: AirQualityObservationOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AirQualityService.observations(ctx, filter, orderBy, page);
  }

  @FieldResolver(() => City, { description: 'City of the observation.' })
  city(@Root() observation: AirQualityObservation, @Ctx() ctx: RequestContext) {
    return AirQualityService.cityOf(ctx, observation.cityId);
  }

  @Mutation(() => RecordAirQualityObservationPayload, {
    description: `Records a daily air quality observation of a city (city-wide mean, or one station with stationCode). ${REPLACES}`,
  })
  async recordAirQualityObservation(
    @Arg('input', () => RecordAirQualityObservationInput, { description: 'The observation.' }) input: RecordAirQualityObservationInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => AirQualityService.recordObservation(ctx, em, input));
    return { airQualityObservation: result, userErrors };
  }

  @Mutation(() => RecordAirQualityObservationsPayload, {
    description: `Records up to ${MAX_OBSERVATIONS_PER_BATCH.toLocaleString('en-US')} daily air quality observations at once, all or nothing: any problem with any item writes nothing and is reported with the item's path, e.g. ["input", "observations", "3", "pm25"]. ${REPLACES}`,
  })
  async recordAirQualityObservations(
    @Arg('input', () => RecordAirQualityObservationsInput, { description: 'The observations.' }) input: RecordAirQualityObservationsInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => AirQualityService.recordObservations(ctx, em, input.observations));
    return {
      airQualityObservations: result?.rows ?? null,
      insertedCount: result?.inserted ?? 0,
      replacedCount: result?.replaced ?? 0,
      userErrors,
    };
  }
}

@Resolver(() => OutcomeTarget)
export class OutcomeTargetResolver {
  @Query(() => OutcomeTargetConnection, { description: 'Outcome targets of cities per campaign. Default order: creation order.' })
  outcomeTargets(
    @Arg('filter', () => OutcomeTargetFilter, { nullable: true, description: 'Which targets to return.' }) filter: OutcomeTargetFilter | null,
    @Arg('orderBy', () => OutcomeTargetOrder, { nullable: true, description: 'Sort; default: creation order.' }) orderBy: OutcomeTargetOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AirQualityService.outcomeTargets(ctx, filter, orderBy, page);
  }

  @FieldResolver(() => City, { description: 'City the target is set for.' })
  city(@Root() target: OutcomeTarget, @Ctx() ctx: RequestContext) {
    return AirQualityService.cityOf(ctx, target.cityId);
  }

  @FieldResolver(() => Campaign, { description: 'Campaign the target is set for.' })
  campaign(@Root() target: OutcomeTarget, @Ctx() ctx: RequestContext) {
    return AirQualityService.campaignOf(ctx, target.campaignId);
  }

  @FieldResolver(() => CampaignAttainment, { description: 'How the city stands against this target, from its observations.' })
  attainment(@Root() target: OutcomeTarget, @Ctx() ctx: RequestContext) {
    return AirQualityService.attainmentOfTarget(ctx, target);
  }

  @Mutation(() => SetOutcomeTargetPayload, {
    description: 'Sets the outcome targets of a city for a campaign, creating them or replacing the existing ones (the version is incremented; origin becomes RECORDED).',
  })
  async setOutcomeTarget(
    @Arg('input', () => SetOutcomeTargetInput, { description: 'The city, the campaign and the targets.' }) input: SetOutcomeTargetInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await runMutation(ctx, (em) => AirQualityService.setOutcomeTarget(ctx, em, input));
    return { outcomeTarget: result, userErrors };
  }
}

@Resolver(() => City)
export class CityAirQualityResolver {
  @FieldResolver(() => CampaignAttainment, {
    description: `Attainment of the city's outcome targets over a campaign: mean PM2.5 and days of heavy-or-worse pollution (PM2.5 above ${HEAVY_POLLUTION_PM25_THRESHOLD} ug/m3 or AQI above ${HEAVY_POLLUTION_AQI_THRESHOLD}) from its city-wide daily observations.`,
  })
  attainment(@Root() city: City, @Arg('campaign', () => String, CAMPAIGN_ARG) campaign: string, @Ctx() ctx: RequestContext) {
    return AirQualityService.attainmentOfCity(ctx, city, campaign);
  }

  @FieldResolver(() => OutcomeTarget, { nullable: true, description: 'The city\'s outcome targets for a campaign; null when none are set.' })
  outcomeTarget(@Root() city: City, @Arg('campaign', () => String, CAMPAIGN_ARG) campaign: string, @Ctx() ctx: RequestContext) {
    return AirQualityService.outcomeTargetOf(ctx, city, campaign);
  }

  @FieldResolver(() => AirQualityObservationConnection, { description: 'The city\'s city-wide daily observations, oldest day first.' })
  airQualityObservations(
    @Root() city: City,
    @Arg('from', () => LocalDate, { nullable: true, description: 'Only observations on or after this day.' }) from: string | null,
    @Arg('to', () => LocalDate, { nullable: true, description: 'Only observations on or before this day.' }) to: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AirQualityService.cityObservations(ctx, city, from, to, page);
  }
}

@Resolver(() => Campaign)
export class CampaignAttainmentResolver {
  @FieldResolver(() => [CampaignAttainment], {
    description: 'Attainment of the campaign\'s outcome targets in each selected city (every city by default), in the plan\'s order of cities.',
  })
  attainments(
    @Root() campaign: Campaign,
    @Arg('filter', () => AttainmentFilter, { nullable: true, description: 'Which cities.' }) filter: AttainmentFilter | null,
    @Ctx() ctx: RequestContext,
  ) {
    return AirQualityService.attainmentsOfCampaign(ctx, campaign, filter);
  }
}
