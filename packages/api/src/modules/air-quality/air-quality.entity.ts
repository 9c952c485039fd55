import { DecimalType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DataOrigin, HEAVY_POLLUTION_AQI_THRESHOLD, HEAVY_POLLUTION_PM25_THRESHOLD } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { City } from '../geography/geography.entity.js';
import { Campaign } from '../campaign/campaign.entity.js';

/**
 * A daily air quality observation of a city: the city-wide daily mean (no station code) or the
 * daily value of one monitoring station. One row per city, day and station.
 */
@ObjectType({
  description:
    'A daily air quality observation of a city: the city-wide daily mean (stationCode null), which attainment is computed from, or the daily value of one monitoring station. Concentrations are in ug/m3 except CO (mg/m3).',
})
@Entity({ tableName: 'air_quality_observation' })
export class AirQualityObservation extends LedgerEntity {
  /** City key (indexed through the unique index that leads with it). */
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => LocalDate, { description: 'Day of the observation (China Standard Time).' })
  @Property({ type: 'date' })
  observedOn!: string;

  @Field(() => String, { nullable: true, description: 'Code of the monitoring station; null for the city-wide daily mean.' })
  @Property({ type: 'text', nullable: true })
  stationCode!: string | null;

  @Field(() => Float, { description: 'Daily mean PM2.5 concentration (ug/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric' })
  pm25!: number;

  @Field(() => Float, { nullable: true, description: 'Daily mean PM10 concentration (ug/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true })
  pm10!: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily maximum 8-hour mean ozone concentration (ug/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true })
  o3!: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean NO2 concentration (ug/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true })
  no2!: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean SO2 concentration (ug/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true })
  so2!: number | null;

  @Field(() => Float, { nullable: true, description: 'Daily mean CO concentration (mg/m3).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true })
  co!: number | null;

  @Field(() => Int, { nullable: true, description: 'Daily air quality index (AQI, HJ 633-2012), 0-500.' })
  @Property({ type: 'integer', nullable: true })
  aqi!: number | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => ID, {
    nullable: true,
    description: 'The bulk import (importJob) that last wrote this observation; null when a mutation or the demo data wrote it. Rows an import creates are audited as the import (one audit event per import and city, entity ImportJob).',
  })
  @Property({ type: 'integer', nullable: true })
  importId!: number | null;

  @Field(() => Boolean, {
    description: `Whether the day counts as heavy-or-worse pollution: PM2.5 above ${HEAVY_POLLUTION_PM25_THRESHOLD} ug/m3 or AQI above ${HEAVY_POLLUTION_AQI_THRESHOLD}.`,
  })
  get heavyPollution(): boolean {
    return isHeavyPollutionDay(this.pm25, this.aqi);
  }
}

/** The rule of a heavy-or-worse pollution day (the SQL of the attainment repeats it). */
export function isHeavyPollutionDay(pm25: number, aqi: number | null | undefined): boolean {
  return pm25 > HEAVY_POLLUTION_PM25_THRESHOLD || (aqi !== null && aqi !== undefined && aqi > HEAVY_POLLUTION_AQI_THRESHOLD);
}

/**
 * The outcome targets of a city for a campaign: campaign-mean PM2.5, days of heavy-or-worse
 * pollution, and the city's annual PM2.5 target for the calendar year.
 */
@ObjectType({ description: 'The outcome targets of a city for a campaign, against which its attainment is computed.' })
@Entity({ tableName: 'outcome_target' })
@Index({ properties: ['campaignId'] })
export class OutcomeTarget extends LedgerEntity {
  /** City key (indexed through the unique constraint that leads with it). */
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => Float, { description: 'Target for the mean PM2.5 concentration over the campaign period (ug/m3): met when the mean is at most this.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', fieldName: 'pm25_target' })
  pm25Target!: number;

  @Field(() => Int, { description: 'Target for the number of days of heavy-or-worse pollution in the campaign period: met when at most this many.' })
  @Property({ type: 'integer' })
  heavyDaysTarget!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'The city\'s annual PM2.5 target (ug/m3) for the calendar year in which the campaign starts; null when not set.',
  })
  @Property({ type: new DecimalType('number'), columnType: 'numeric', nullable: true, fieldName: 'annual_pm25_target' })
  annualPm25Target!: number | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every change.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
