import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, HeatingSystem, LocalityLevel } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';

registerEnumType(LocalityLevel, {
  name: 'LocalityLevel',
  description: 'Level of a place below the city.',
  valuesConfig: {
    COUNTY: { description: 'County, county-level city or district (县、县级市、区); directly under its city.' },
    TOWNSHIP: { description: 'Township, town or sub-district (乡、镇、街道); under a county.' },
    VILLAGE: { description: 'Village or community (村、社区); under a township. Household conversions are recorded by village.' },
  },
});
registerEnumType(HeatingSystem, {
  name: 'HeatingSystem',
  description: 'New heating system that replaces loose coal (散煤) in a household conversion.',
  valuesConfig: {
    GAS: { description: 'Natural gas (煤改气); its supply must be stable before the old heating goes.' },
    ELECTRICITY: { description: 'Electricity (煤改电: heat pumps, storage heaters); its power supply must be stable before the old heating goes.' },
    OTHER: { description: 'Another clean source (biomass, solar, geothermal, district heating).' },
  },
});

@ObjectType({ description: 'A county, township or village of a city (the place hierarchy below the city: 县、乡镇、村).' })
@Entity({ tableName: 'locality' })
export class Locality extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Locality, mapToPk: true, fieldName: 'parent_id', nullable: true })
  parentId!: number | null;

  @Field(() => LocalityLevel, { description: 'Level: COUNTY, TOWNSHIP or VILLAGE.' })
  @Enum({ items: () => LocalityLevel })
  level!: LocalityLevel;

  @Field(() => String, { description: 'Chinese name, e.g. "西柏坡镇" or "北庄村".' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: 'Administrative division code (6 digits for a county, 9 for a township, 12 for a village), when known.' })
  @Property({ type: 'text', nullable: true })
  divisionCode!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: "A city's heating season of a campaign: households converted off loose coal must heat with the new system from its start." })
@Entity({ tableName: 'heating_season' })
export class HeatingSeason extends LedgerEntity {
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => LocalDate, { description: 'First day of the heating season (供暖季开始).' })
  @Property({ type: 'date' })
  startsOn!: string;

  @Field(() => LocalDate, { description: 'Last day of the heating season.' })
  @Property({ type: 'date' })
  endsOn!: string;

  @Field(() => String, { description: 'Where the dates come from.' })
  @Property({ type: 'text' })
  source!: string;

  @Field(() => DataOrigin, { description: 'PLAN for the statutory periods loaded with the plan, RECORDED for seasons recorded or changed through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every change.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({
  description:
    'Households of one village converted from loose coal to clean heating in one batch (村级散煤改造清单; one household: households = 1), with the state of build before break (先立后破、不立不破).',
})
@Entity({ tableName: 'household_conversion' })
export class HouseholdConversion extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Locality, mapToPk: true, fieldName: 'village_id' })
  villageId!: number;

  @ManyToOne({ entity: () => RetrofitProject, mapToPk: true, fieldName: 'project_id', nullable: true })
  projectId!: number | null;

  @Field(() => Int, { description: 'Households converted (1 to 100,000).' })
  @Property({ type: 'integer' })
  households!: number;

  @Field(() => HeatingSystem, { description: 'New heating system.' })
  @Enum({ items: () => HeatingSystem })
  newSystem!: HeatingSystem;

  @Field(() => LocalDate, { description: 'Day the new system was put into use. The conversion counts toward COAL_HOUSEHOLDS when this is on or before its city\'s heating-season start (and after the previous one).' })
  @Property({ type: 'date' })
  convertedOn!: string;

  @Field(() => Boolean, { description: 'Whether the supply of the new system (gas, or power) is safe and stable (气源/电源稳定).' })
  @Property({ type: 'boolean' })
  supplyStable: boolean = false;

  @Field(() => LocalDate, { nullable: true, description: 'Day the first heating season of stable operation of the new system was completed.' })
  @Property({ type: 'date', nullable: true })
  firstSeasonCompletedOn!: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the old (coal) heating was removed; only after stable supply and a completed heating season (BUILD_BEFORE_BREAK).' })
  @Property({ type: 'date', nullable: true })
  oldHeatingRemovedOn!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
