import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AirPollutant, ForecastSource, WarningLevel } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { LocalDate } from '../../common/scalars.js';
import { City } from '../geography/geography.entity.js';
import { Forecast, RegionalLinkage, Warning, WarningChange } from './warning.entity.js';

export { Warning, WarningChange };

@InputType({ description: 'Input of issueWarning.' })
export class IssueWarningInput {
  @Field(() => String, { description: 'Slug of the city, e.g. "shijiazhuang".' })
  city!: string;

  @Field(() => WarningLevel, { description: 'Level of the warning.' })
  level!: WarningLevel;

  @Field(() => Date, { nullable: true, description: 'When it was issued; default: now. Not in the future.' })
  issuedAt?: Date | null;

  @Field(() => Date, { description: 'When the emergency response starts (not before the issue).' })
  effectiveFrom!: Date;

  @Field(() => Date, { description: 'Planned end of the response (after its start).' })
  plannedEnd!: Date;

  @Field(() => ID, { nullable: true, description: 'Id of the forecast of the city the warning rests on; without one the warning is flagged NO_FORECAST.' })
  forecastId?: string | null;

  @Field(() => String, { description: 'Issuing authority (e.g. 石家庄市重污染天气应急指挥部), 1-200 characters.' })
  authority!: string;

  @Field(() => ID, { nullable: true, description: 'Id of the regional linkage the warning answers; the city must be one of its cities.' })
  linkageId?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text, at most 4,000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Input of changeWarning: a raise, a lowering or an extension of an open warning, dated by when it takes effect.' })
export class ChangeWarningInput {
  @Field(() => ID, { description: 'Id of the warning.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the change is based on (optimistic locking): when given and the warning changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => WarningLevel, { nullable: true, description: 'New level (a raise or a lowering); null or absent keeps the level.' })
  level?: WarningLevel | null;

  @Field(() => Date, { nullable: true, description: 'New planned end; later than the current one is an extension, earlier is refused (lift the warning instead).' })
  plannedEnd?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the change takes effect; default: now. Not before the latest change of the warning, not in the future.' })
  effectiveAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Id of a newer forecast of the city the change rests on; absent keeps the warning\'s forecast.' })
  forecastId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the change, at most 4,000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Input of liftWarning.' })
export class LiftWarningInput {
  @Field(() => ID, { description: 'Id of the warning.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the lifting is based on (optimistic locking): when given and the warning changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the warning is lifted; default: now. Not before its latest change, not in the future.' })
  liftedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it is lifted, at most 4,000 characters.' })
  note?: string | null;
}

@ObjectType({ description: 'Result of issueWarning, changeWarning and liftWarning.' })
export class WarningPayload {
  @Field(() => Warning, { nullable: true, description: 'The warning as stored; null when there are user errors.' })
  warning!: Warning | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

// ------------------------------------------------------------------------------------- forecasts

/** Forecasts per call of recordForecasts. */
export const MAX_FORECASTS_PER_BATCH = 1000;
/** Days per forecast. */
export const MAX_FORECAST_DAYS = 15;

@InputType({ description: 'One day of a forecast.' })
export class ForecastDayInput {
  @Field(() => LocalDate, { description: 'The day (China Standard Time), at most 14 days after the issue.' })
  day!: string;

  @Field(() => Int, { description: 'Forecast daily AQI, 0-500.' })
  aqi!: number;

  @Field(() => AirPollutant, { nullable: true, description: 'Forecast primary pollutant.' })
  primaryPollutant?: AirPollutant | null;
}

@InputType({ description: 'A forecast of a city: who issued it when, and its days.' })
export class ForecastInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => Date, { description: 'When it was issued (not in the future). A forecast of the same city, source and instant is replaced.' })
  issuedAt!: Date;

  @Field(() => ForecastSource, { description: 'Who produced it.' })
  source!: ForecastSource;

  @Field(() => String, { nullable: true, description: 'Name of the forecasting system, at most 200 characters.' })
  systemName?: string | null;

  @Field(() => [ForecastDayInput], { description: `Its days, 1 to ${MAX_FORECAST_DAYS}, each once, from the day of issue on.` })
  days!: ForecastDayInput[];
}

@InputType({ description: 'Input of recordForecasts.' })
export class RecordForecastsInput {
  @Field(() => [ForecastInput], { description: `The forecasts, 1 to ${MAX_FORECASTS_PER_BATCH}; at most one per city, source and instant.` })
  forecasts!: ForecastInput[];
}

@ObjectType({ description: 'Result of recordForecasts.' })
export class RecordForecastsPayload {
  @Field(() => [Forecast], { nullable: true, description: 'The forecasts as stored, in the order of the input; null when there are user errors (then nothing was written).' })
  forecasts!: Forecast[] | null;

  @Field(() => [UserError], { description: 'Problems with the input, each naming its item, e.g. ["input", "forecasts", "3", "days", "0", "aqi"]; empty on success.' })
  userErrors!: UserError[];
}

// ------------------------------------------------------------------------------------- regional linkages

@InputType({ description: 'Input of issueRegionalLinkage.' })
export class IssueRegionalLinkageInput {
  @Field(() => [String], { description: 'Slugs of the linked cities (1 to 60, each once); a PROVINCE key links cities of its province only.' })
  cities!: string[];

  @Field(() => WarningLevel, { description: 'Level the linked cities are asked to hold.' })
  level!: WarningLevel;

  @Field(() => String, { description: 'Issuing authority (e.g. 生态环境部), 1-200 characters.' })
  authority!: string;

  @Field(() => Date, { nullable: true, description: 'When it was issued; default: now. Not in the future.' })
  issuedAt?: Date | null;

  @Field(() => Date, { description: 'When the linked response starts (not before the issue).' })
  effectiveFrom!: Date;

  @Field(() => Date, { description: 'Planned end of the response (after its start).' })
  plannedEnd!: Date;

  @Field(() => String, { nullable: true, description: 'Free text, at most 4,000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Input of liftRegionalLinkage.' })
export class LiftRegionalLinkageInput {
  @Field(() => ID, { description: 'Id of the linkage.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the lifting is based on (optimistic locking).' })
  version?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it is lifted; default: now. Not before its issue, not in the future.' })
  liftedAt?: Date | null;
}

@ObjectType({ description: 'Result of issueRegionalLinkage and liftRegionalLinkage.' })
export class RegionalLinkagePayload {
  @Field(() => RegionalLinkage, { nullable: true, description: 'The linkage as stored; null when there are user errors.' })
  regionalLinkage!: RegionalLinkage | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

/** Whether a linked city follows its linkage. */
export enum LinkageFollowing {
  FOLLOWING = 'FOLLOWING',
  OTHER_LEVEL = 'OTHER_LEVEL',
  NO_WARNING = 'NO_WARNING',
}
registerEnumType(LinkageFollowing, {
  name: 'LinkageFollowing',
  description: 'Whether a linked city follows its regional linkage ("省内应急联动城市原则上启动同一级别预警").',
  valuesConfig: {
    FOLLOWING: { description: 'The city holds a warning of the linkage at the linkage\'s level.' },
    OTHER_LEVEL: { description: 'Flagged: the city answered the linkage with another level.' },
    NO_WARNING: { description: 'Flagged: the city issued no warning for the linkage.' },
  },
});

@ObjectType({ description: 'A city of a regional linkage and whether it follows.' })
export class LinkedCity {
  @Field(() => City, { description: 'The city.' })
  city!: City;

  @Field(() => Warning, { nullable: true, description: 'The city\'s warning answering the linkage; null when it issued none (or it is outside the caller\'s cities).' })
  warning!: Warning | null;

  @Field(() => LinkageFollowing, { description: 'Whether it follows; OTHER_LEVEL and NO_WARNING are flags.' })
  following!: LinkageFollowing;
}
