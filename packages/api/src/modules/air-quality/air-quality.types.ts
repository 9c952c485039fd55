import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  AttainmentStatus,
  DataOrigin,
  HEAVY_POLLUTION_AQI_THRESHOLD,
  HEAVY_POLLUTION_PM25_THRESHOLD,
  VALID_DAILY_VALUES_FEBRUARY,
  VALID_DAILY_VALUES_PER_MONTH,
  VALID_DAILY_VALUES_PER_YEAR,
} from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { City } from '../geography/geography.entity.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { AirQualityObservation, OutcomeTarget } from './air-quality.entity.js';

/** Most observations one recordAirQualityObservations call takes. */
export const MAX_OBSERVATIONS_PER_BATCH = 5000;

const HEAVY_RULE = `PM2.5 above ${HEAVY_POLLUTION_PM25_THRESHOLD} ug/m3 or AQI above ${HEAVY_POLLUTION_AQI_THRESHOLD}`;

@ObjectType({ description: 'A page of air quality observations.' })
export class AirQualityObservationConnection extends ConnectionType(AirQualityObservation) {}

@ObjectType({ description: 'A page of outcome targets.' })
export class OutcomeTargetConnection extends ConnectionType(OutcomeTarget) {}

@InputType({ description: 'Filter of the air quality observations collection. Conditions combine with AND.' })
export class AirQualityObservationFilter extends PlaceFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Only observations on or after this day.' })
  from?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only observations on or before this day.' })
  to?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the observations of the monitoring station with this code.' })
  stationCode?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Only city-wide daily means (true) or only station observations (false). Default: true, unless stationCode is given (then station observations).',
  })
  cityWideOnly?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: `Only days of heavy-or-worse pollution (${HEAVY_RULE}).` })
  heavyPollutionOnly?: boolean | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only observations of this origin.' })
  origin?: DataOrigin | null;
}

export enum AirQualityObservationOrderField {
  OBSERVED_ON = 'OBSERVED_ON',
  PM25 = 'PM25',
}
registerEnumType(AirQualityObservationOrderField, {
  name: 'AirQualityObservationOrderField',
  description: 'Fields air quality observations can be sorted by (the id breaks ties).',
  valuesConfig: {
    OBSERVED_ON: { description: 'Day of the observation.' },
    PM25: { description: 'PM2.5 concentration.' },
  },
});

export const AirQualityObservationOrder = OrderInput<AirQualityObservationOrderField>('AirQualityObservationOrder', AirQualityObservationOrderField, 'Sort of the air quality observations collection.');
export type AirQualityObservationOrder = InstanceType<typeof AirQualityObservationOrder>;

@InputType({ description: 'Filter of the outcome targets collection. Conditions combine with AND.' })
export class OutcomeTargetFilter extends PlaceFilter {
  @Field(() => String, { nullable: true, description: 'Only the targets of the campaign with this code.' })
  campaign?: string | null;
}

export enum OutcomeTargetOrderField {
  PM25_TARGET = 'PM25_TARGET',
  HEAVY_DAYS_TARGET = 'HEAVY_DAYS_TARGET',
}
registerEnumType(OutcomeTargetOrderField, {
  name: 'OutcomeTargetOrderField',
  description: 'Fields outcome targets can be sorted by (the id breaks ties).',
  valuesConfig: {
    PM25_TARGET: { description: 'Campaign-mean PM2.5 target.' },
    HEAVY_DAYS_TARGET: { description: 'Target days of heavy-or-worse pollution.' },
  },
});

export const OutcomeTargetOrder = OrderInput<OutcomeTargetOrderField>('OutcomeTargetOrder', OutcomeTargetOrderField, 'Sort of the outcome targets collection.');
export type OutcomeTargetOrder = InstanceType<typeof OutcomeTargetOrder>;

const VALIDITY_RULE = `GB 3095-2012 data validity (section 8.3; HJ 663-2013 repeats it): a month needs ${VALID_DAILY_VALUES_PER_MONTH} city-wide daily means (February ${VALID_DAILY_VALUES_FEBRUARY}), a month only partly in the period its days less the days the whole month may miss; a calendar year also needs ${VALID_DAILY_VALUES_PER_YEAR} in all`;

registerEnumType(AttainmentStatus, {
  name: 'AttainmentStatus',
  description: `Whether an outcome target is met, judged only on observations complete enough (${VALIDITY_RULE}).`,
  valuesConfig: {
    MET: { description: 'The observations are complete enough and the figure meets the target.' },
    NOT_MET: {
      description: 'The observations are complete enough and the figure misses the target; for heavy-pollution days also when more heavy days than the target are observed, however many days are missing.',
    },
    INSUFFICIENT_DATA: { description: 'A target is set but the observations are not complete enough to judge it (see coverage).' },
    NO_TARGET: { description: 'No target is set.' },
  },
});

@ObjectType({ description: 'Coverage of one calendar month by city-wide daily observations.' })
export class MonthCoverage {
  @Field(() => String, { description: 'The month, YYYY-MM.' })
  month!: string;

  @Field(() => Int, { description: 'Days of the month inside the period (a daily value is expected for each).' })
  expectedCount!: number;

  @Field(() => Int, { description: 'Days of the month inside the period with a city-wide daily observation.' })
  observedCount!: number;

  @Field(() => Int, { description: `Daily observations the month needs: ${VALID_DAILY_VALUES_PER_MONTH} (February ${VALID_DAILY_VALUES_FEBRUARY}) for a whole month, fewer for a month only partly in the period.` })
  requiredCount!: number;

  @Field(() => Boolean, { description: 'Whether observedCount reaches requiredCount.' })
  complete!: boolean;
}

@ObjectType({
  description: `Coverage of a period by city-wide daily observations, like OpenAQ's coverage (expected and observed counts), with the validity rule applied (${VALIDITY_RULE}).`,
})
export class ObservationCoverage {
  @Field(() => LocalDate, { description: 'First day of the period.' })
  from!: string;

  @Field(() => LocalDate, { description: 'Last day of the period.' })
  to!: string;

  @Field(() => Int, { description: 'Days of the period: one daily value is expected for each.' })
  expectedCount!: number;

  @Field(() => Int, { description: 'Days of the period with a city-wide daily observation.' })
  observedCount!: number;

  @Field(() => Int, { description: 'Daily observations the period needs in all (the sum over its months, and at least 324 for a calendar year); each month must also reach its own requiredCount.' })
  requiredCount!: number;

  @Field(() => Float, { description: 'observedCount / expectedCount x 100, rounded to two decimals.' })
  percentComplete!: number;

  @Field(() => Boolean, { description: 'Whether the observations are complete enough: every month reaches its requiredCount and the period its total.' })
  complete!: boolean;

  @Field(() => [MonthCoverage], { description: 'Coverage of each calendar month of the period, oldest first.' })
  months!: MonthCoverage[];
}

@ObjectType({
  description:
    'Attainment of the city\'s annual PM2.5 target (annualPm25Target) over the calendar year in which the campaign starts (the plan: "2023年底前，各城市确保完成上级人民政府下达的2023年空气质量改善目标"), computed from city-wide daily observations of that year.',
})
export class AnnualAttainment {
  @Field(() => Int, { description: 'The calendar year, e.g. 2023.' })
  year!: number;

  @Field(() => Float, { nullable: true, description: 'Mean of the daily city-wide PM2.5 over the observed days of the year (ug/m3), not rounded; null without observations.' })
  pm25Mean!: number | null;

  @Field(() => Float, { nullable: true, description: 'The annual PM2.5 target (annualPm25Target, ug/m3); null when none is set.' })
  pm25Target!: number | null;

  @Field(() => AttainmentStatus, { description: 'MET or NOT_MET only when the year\'s observations are complete enough; INSUFFICIENT_DATA otherwise; NO_TARGET without an annual target.' })
  status!: AttainmentStatus;

  @Field(() => Boolean, { nullable: true, description: 'true for MET, false for NOT_MET, null otherwise.' })
  met!: boolean | null;

  @Field(() => ObservationCoverage, { description: 'Coverage of the calendar year by city-wide daily observations.' })
  coverage!: ObservationCoverage;
}

/** Attainment of a city's outcome targets over a campaign, computed from its city-wide daily observations. */
@ObjectType({
  description:
    'Attainment of a city\'s outcome targets over a campaign, computed from its city-wide daily observations (stationCode null) on the days of the campaign period, first and last day included. A target is said met or not met only when the observations are complete enough (coverage); before that (e.g. while the campaign runs) the status is INSUFFICIENT_DATA.',
})
export class CampaignAttainment {
  @Field(() => Campaign, { description: 'The campaign.' })
  campaign!: Campaign;

  @Field(() => City, { description: 'The city.' })
  city!: City;

  @Field(() => Int, { description: 'Number of days of the campaign period, first and last day included.' })
  periodDays!: number;

  @Field(() => Int, { description: 'Number of days of the period with a city-wide observation.' })
  observedDays!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean of the daily city-wide PM2.5 over the observed days (ug/m3), not rounded; null without observations.',
  })
  pm25Mean!: number | null;

  @Field(() => Float, { nullable: true, description: 'The PM2.5 target of the city for the campaign (ug/m3); null when none is set.' })
  pm25Target!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the PM2.5 mean is at most the target: true only for pm25Status MET, false only for NOT_MET; null without a target or without observations complete enough (INSUFFICIENT_DATA).',
  })
  pm25Met!: boolean | null;

  @Field(() => AttainmentStatus, { description: 'The PM2.5 target judged on complete observations: MET, NOT_MET, INSUFFICIENT_DATA (see coverage) or NO_TARGET.' })
  pm25Status!: AttainmentStatus;

  @Field(() => Int, { description: `Number of observed days of heavy-or-worse pollution (${HEAVY_RULE}).` })
  heavyPollutionDays!: number;

  @Field(() => Int, { nullable: true, description: 'The target for days of heavy-or-worse pollution; null when none is set.' })
  heavyDaysTarget!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the days of heavy-or-worse pollution are at most the target: true only for heavyDaysStatus MET, false only for NOT_MET; null without a target or, unless more heavy days than the target are observed, without observations complete enough.',
  })
  heavyDaysMet!: boolean | null;

  @Field(() => AttainmentStatus, {
    description: 'The heavy-days target judged on complete observations: MET, NOT_MET (also as soon as more heavy days than the target are observed), INSUFFICIENT_DATA or NO_TARGET.',
  })
  heavyDaysStatus!: AttainmentStatus;

  @Field(() => ObservationCoverage, { description: 'Coverage of the campaign period by city-wide daily observations (expected, observed and required counts, per month).' })
  coverage!: ObservationCoverage;

  @Field(() => AnnualAttainment, { description: 'The city\'s annual PM2.5 target for the calendar year in which the campaign starts, against that year\'s observations.' })
  annual!: AnnualAttainment;
}

@InputType({ description: 'Filter of a campaign\'s attainments: which cities. Conditions combine with AND.' })
export class AttainmentFilter extends PlaceFilter {}

@InputType({ description: 'One daily air quality observation. Concentrations in ug/m3 except CO (mg/m3).' })
export class AirQualityObservationInput {
  @Field(() => String, { description: 'Slug of the city, e.g. "shijiazhuang".' })
  city!: string;

  @Field(() => LocalDate, { description: 'Day of the observation (China Standard Time); not in the future.' })
  observedOn!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Code of the monitoring station (letters, digits, "-" and "_", up to 32); omit or null for the city-wide daily mean.',
  })
  stationCode?: string | null;

  @Field(() => Float, { description: 'Daily mean PM2.5 concentration, 0 to 2,000 ug/m3.' })
  pm25!: number;

  @Field(() => Float, { nullable: true, description: 'Daily mean PM10 concentration, 0 to 2,000 ug/m3.' })
  pm10?: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily maximum 8-hour mean ozone concentration, 0 to 1,000 ug/m3.' })
  o3?: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean NO2 concentration, 0 to 1,000 ug/m3.' })
  no2?: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean SO2 concentration, 0 to 3,000 ug/m3.' })
  so2?: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean CO concentration, 0 to 100 mg/m3.' })
  co?: number | null;

  @Field(() => Int, { nullable: true, description: 'Daily air quality index (HJ 633-2012), 0 to 500.' })
  aqi?: number | null;
}

@InputType({ description: 'Input of recordAirQualityObservation.' })
export class RecordAirQualityObservationInput extends AirQualityObservationInput {}

@InputType({ description: 'Input of recordAirQualityObservations.' })
export class RecordAirQualityObservationsInput {
  @Field(() => [AirQualityObservationInput], {
    description: `The observations, 1 to ${MAX_OBSERVATIONS_PER_BATCH.toLocaleString('en-US')}; at most one per city, day and station.`,
  })
  observations!: AirQualityObservationInput[];
}

@InputType({ description: 'Input of setOutcomeTarget.' })
export class SetOutcomeTargetInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => String, { description: 'Code of the campaign, e.g. "2023-2024-autumn-winter".' })
  campaign!: string;

  @Field(() => Float, { description: 'Target campaign-mean PM2.5 (ug/m3), above 0 and at most 500.' })
  pm25Target!: number;

  @Field(() => Int, { description: 'Target days of heavy-or-worse pollution, from 0 to the number of days of the campaign period.' })
  heavyDaysTarget!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'The city\'s annual PM2.5 target (ug/m3) for the calendar year in which the campaign starts, above 0 and at most 500; null for none.',
  })
  annualPm25Target?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The version of the targets the change is based on (optimistic locking): when given and the targets changed since, or are not set yet, CONFLICT.',
  })
  version?: number | null;
}

@ObjectType({ description: 'Result of recordAirQualityObservation.' })
export class RecordAirQualityObservationPayload {
  @Field(() => AirQualityObservation, { nullable: true, description: 'The observation as stored; null when there are user errors.' })
  airQualityObservation!: AirQualityObservation | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of recordAirQualityObservations.' })
export class RecordAirQualityObservationsPayload {
  @Field(() => [AirQualityObservation], {
    nullable: true,
    description: 'The observations as stored, in the order of the input; null when there are user errors (then nothing was written).',
  })
  airQualityObservations!: AirQualityObservation[] | null;

  @Field(() => Int, { description: 'How many observations were new.' })
  insertedCount!: number;

  @Field(() => Int, { description: 'How many observations replaced an existing one of the same city, day and station.' })
  replacedCount!: number;

  @Field(() => [UserError], { description: 'Problems with the input, each naming its item, e.g. ["input", "observations", "3", "pm25"]; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setOutcomeTarget.' })
export class SetOutcomeTargetPayload {
  @Field(() => OutcomeTarget, { nullable: true, description: 'The target as stored; null when there are user errors.' })
  outcomeTarget!: OutcomeTarget | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
