import { ArrayType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AirPollutant, DataOrigin, ForecastSource, WarningChangeKind, WarningFlagReason, WarningLevel } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { City, Province } from '../geography/geography.entity.js';

registerEnumType(WarningLevel, {
  name: 'WarningLevel',
  description: 'Level of a heavy-pollution warning (重污染天气预警级别), from the least to the most severe.',
  valuesConfig: {
    YELLOW: { description: 'Yellow (黄色预警): forecast daily AQI > 200 for 2 days or more.' },
    ORANGE: { description: 'Orange (橙色预警): forecast daily AQI > 200 for 3 days or more, with AQI > 300 on at least 1 day.' },
    RED: { description: 'Red (红色预警): forecast daily AQI > 200 for 4 days or more with AQI > 300 on at least 2 days, or AQI reaching 500 on any day.' },
  },
});
registerEnumType(WarningChangeKind, {
  name: 'WarningChangeKind',
  description: 'Kind of a dated change of a warning.',
  valuesConfig: {
    ISSUED: { description: 'The warning was issued (启动).' },
    RAISED: { description: 'Its level was raised (提高级别).' },
    LOWERED: { description: 'Its level was lowered (降低级别).' },
    EXTENDED: { description: 'Its planned end was moved later (延长).' },
    LIFTED: { description: 'It was lifted (解除).' },
  },
});
registerEnumType(AirPollutant, {
  name: 'AirPollutant',
  description: 'A pollutant that can be the primary pollutant of a day (HJ 633-2012).',
  valuesConfig: {
    PM25: { description: 'Fine particulate matter PM2.5.' },
    PM10: { description: 'Particulate matter PM10.' },
    O3: { description: 'Ozone (maximum 8-hour mean).' },
    NO2: { description: 'Nitrogen dioxide.' },
    SO2: { description: 'Sulphur dioxide.' },
    CO: { description: 'Carbon monoxide.' },
  },
});
registerEnumType(ForecastSource, {
  name: 'ForecastSource',
  description: 'Who produced a forecast.',
  valuesConfig: {
    CITY: { description: 'The city\'s own forecasting office.' },
    PROVINCE: { description: 'The provincial forecasting centre.' },
    REGIONAL_CENTRE: { description: 'The regional air quality forecasting centre.' },
    THIRD_PARTY: { description: 'A third-party forecasting system writing through the API.' },
  },
});
registerEnumType(WarningFlagReason, {
  name: 'WarningFlagReason',
  description: 'Why a warning is flagged (the plan forbids issuing without basis, raising the level or extending the response at will).',
  valuesConfig: {
    NO_FORECAST: { description: 'The warning rests on no forecast.' },
    FORECAST_BELOW_WARNING: { description: 'Its forecast implies no warning at all (fewer than 2 days with AQI > 200).' },
    LEVEL_ABOVE_FORECAST: { description: 'Its level is above the level its forecast implies.' },
    LONGER_THAN_FORECAST: { description: 'It lasts (planned end) beyond the last forecast day with AQI > 200, by more than a day.' },
    LINKAGE_LEVEL_NOT_FOLLOWED: { description: 'It belongs to a regional linkage but holds another level than the linkage.' },
  },
});

@ObjectType({ description: 'A forecast (预测预报) of a city, issued at a time: the daily AQI of the coming days.' })
@Entity({ tableName: 'forecast' })
@Unique({ properties: ['cityId', 'source', 'issuedAt'] })
export class Forecast extends LedgerEntity {
  /** City key. */
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => Date, { description: 'When the forecast was issued.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  issuedAt!: Date;

  @Field(() => ForecastSource, { description: 'Who produced it.' })
  @Enum({ items: () => ForecastSource })
  source!: ForecastSource;

  @Field(() => String, { nullable: true, description: 'Name of the forecasting system (for THIRD_PARTY and centres).' })
  @Property({ type: 'text', nullable: true })
  systemName!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType({ description: 'One forecast day: the daily AQI a forecast expects on a day.' })
@Entity({ tableName: 'forecast_day' })
@Unique({ properties: ['forecastId', 'day'] })
export class ForecastDay {
  @Property({ type: 'integer', primary: true, autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => Forecast, mapToPk: true, fieldName: 'forecast_id' })
  forecastId!: number;

  /** City key (the forecast's city). */
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => LocalDate, { description: 'The day (China Standard Time).' })
  @Property({ type: 'date' })
  day!: string;

  @Field(() => Int, { description: 'Forecast daily AQI, 0-500.' })
  @Property({ type: 'integer' })
  aqi!: number;

  @Field(() => AirPollutant, { nullable: true, description: 'Forecast primary pollutant; null when AQI <= 50 or not forecast.' })
  @Enum({ items: () => AirPollutant, nullable: true })
  primaryPollutant!: AirPollutant | null;
}

@ObjectType({ description: 'A regional emergency linkage (区域应急联动): the ministry, or a province for its cities, asks a set of cities to hold a warning level.' })
@Entity({ tableName: 'regional_linkage' })
export class RegionalLinkage extends LedgerEntity {
  /** The province that issued it; null when the ministry did. */
  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id', nullable: true })
  provinceId!: number | null;

  @Field(() => WarningLevel, { description: 'Level the linked cities are asked to hold.' })
  @Enum({ items: () => WarningLevel })
  level!: WarningLevel;

  @Field(() => String, { description: 'Issuing authority (e.g. 生态环境部).' })
  @Property({ type: 'text' })
  authority!: string;

  @Field(() => Date, { description: 'When the linkage was issued.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  issuedAt!: Date;

  @Field(() => Date, { description: 'When the linked cities\' response starts.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  effectiveFrom!: Date;

  @Field(() => Date, { description: 'Planned end of the response.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  plannedEnd!: Date;

  @Field(() => Date, { nullable: true, description: 'When the linkage was lifted; null while it stands.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  liftedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Free text.' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** A city of a regional linkage. */
@Entity({ tableName: 'regional_linkage_city' })
@Unique({ properties: ['linkageId', 'cityId'] })
export class RegionalLinkageCity {
  @Property({ type: 'integer', primary: true, autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => RegionalLinkage, mapToPk: true, fieldName: 'linkage_id' })
  linkageId!: number;

  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;
}

@ObjectType({
  description:
    'A heavy-pollution warning (重污染天气预警) of a city: its level, when it was issued and takes effect, its planned end, when it was lifted, the forecast it rests on and its dated changes. One open (not lifted) warning per city.',
})
@Entity({ tableName: 'warning' })
export class Warning extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => WarningLevel, { description: 'Current level.' })
  @Enum({ items: () => WarningLevel })
  level!: WarningLevel;

  @Field(() => Date, { description: 'When the warning was issued.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  issuedAt!: Date;

  @Field(() => Date, { description: 'When the emergency response starts.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  effectiveFrom!: Date;

  @Field(() => Date, { description: 'Planned end of the response (moved by extensions).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  plannedEnd!: Date;

  @Field(() => Date, { nullable: true, description: 'When the warning was lifted; null while it is open.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  liftedAt!: Date | null;

  @ManyToOne({ entity: () => Forecast, mapToPk: true, fieldName: 'forecast_id', nullable: true })
  forecastId!: number | null;

  @Field(() => String, { description: 'Issuing authority (e.g. 石家庄市重污染天气应急指挥部).' })
  @Property({ type: 'text' })
  authority!: string;

  @ManyToOne({ entity: () => RegionalLinkage, mapToPk: true, fieldName: 'linkage_id', nullable: true })
  linkageId!: number | null;

  @Field(() => [WarningFlagReason], { description: 'Why the warning is flagged (empty when it is not): computed from its forecast and linkage at each change.' })
  @Property({ type: ArrayType, columnType: 'text[]' })
  flagReasons: WarningFlagReason[] = [];

  @Field(() => String, { nullable: true, description: 'Free text.' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every change.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'A dated change of a warning (its history): issue, raise, lower, extension, lifting.' })
@Entity({ tableName: 'warning_change' })
@Index({ properties: ['warningId', 'effectiveAt'] })
export class WarningChange extends LedgerEntity {
  @ManyToOne({ entity: () => Warning, mapToPk: true, fieldName: 'warning_id' })
  warningId!: number;

  /** City key (the warning's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => WarningChangeKind, { description: 'Kind of change.' })
  @Enum({ items: () => WarningChangeKind })
  kind!: WarningChangeKind;

  @Field(() => Date, { description: 'When the change takes effect.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  effectiveAt!: Date;

  @Field(() => WarningLevel, { description: 'Level after the change.' })
  @Enum({ items: () => WarningLevel })
  level!: WarningLevel;

  @Field(() => WarningLevel, { nullable: true, description: 'Level before the change; null for ISSUED.' })
  @Enum({ items: () => WarningLevel, nullable: true })
  previousLevel!: WarningLevel | null;

  @Field(() => Date, { description: 'Planned end after the change.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  plannedEnd!: Date;

  @Field(() => Date, { nullable: true, description: 'Planned end before the change; null for ISSUED.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  previousPlannedEnd!: Date | null;

  @ManyToOne({ entity: () => Forecast, mapToPk: true, fieldName: 'forecast_id', nullable: true })
  forecastId!: number | null;

  @Field(() => String, { nullable: true, description: 'Free text (why the change).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}
