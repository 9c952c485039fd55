import { DecimalType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgriculturalFacilityKind, AgriculturalFacilityStatus, DataOrigin, HeatingSystem } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { Locality } from './household.entity.js';

registerEnumType(AgriculturalFacilityKind, {
  name: 'AgriculturalFacilityKind',
  description: 'Kind of an agricultural coal-using facility (农业散煤设施).',
  valuesConfig: {
    GREENHOUSE: { description: 'Heated greenhouse (温室大棚).' },
    GRAIN_DRYER: { description: 'Grain dryer (粮食烘干).' },
    LIVESTOCK: { description: 'Livestock or poultry house (畜禽养殖).' },
    TOBACCO_CURING: { description: 'Tobacco curing barn (烤烟房).' },
    OTHER: { description: 'Any other agricultural use of coal.' },
  },
});
registerEnumType(AgriculturalFacilityStatus, {
  name: 'AgriculturalFacilityStatus',
  description: 'Whether an agricultural facility still burns coal.',
  valuesConfig: { COAL: { description: 'Still burns loose coal.' }, REPLACED: { description: 'Switched to clean energy on `replacedOn` (清洁能源替代).' } },
});

@ObjectType({ description: 'An agricultural facility of a city that burns, or burned, loose coal (农业散煤设施清单), and its clean-energy replacement.' })
@Entity({ tableName: 'agricultural_coal_facility' })
export class AgriculturalCoalFacility extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Locality, mapToPk: true, fieldName: 'village_id', nullable: true })
  villageId!: number | null;

  @ManyToOne({ entity: () => RetrofitProject, mapToPk: true, fieldName: 'project_id', nullable: true })
  projectId!: number | null;

  @Field(() => String, { description: 'Name of the facility (e.g. "北庄村3号温室").' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => AgriculturalFacilityKind, { description: 'Kind of facility.' })
  @Enum({ items: () => AgriculturalFacilityKind })
  kind!: AgriculturalFacilityKind;

  @Field(() => AgriculturalFacilityStatus, { description: 'COAL or REPLACED.' })
  @Enum({ items: () => AgriculturalFacilityStatus })
  status!: AgriculturalFacilityStatus;

  @Field(() => HeatingSystem, { nullable: true, description: 'Clean energy that replaced the coal (with REPLACED).' })
  @Enum({ items: () => HeatingSystem, nullable: true })
  replacedBy!: HeatingSystem | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the coal was replaced (with REPLACED).' })
  @Property({ type: 'date', nullable: true })
  replacedOn!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'A high-pollution-fuel ban zone (高污染燃料禁燃区) of a city, with its area and designation day.' })
@Entity({ tableName: 'ban_zone' })
export class BanZone extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => String, { description: 'Name of the zone (e.g. "主城区禁燃区").' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Float, { description: 'Area in km².' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(10,2)', precision: 10, scale: 2 })
  areaKm2!: number;

  @Field(() => LocalDate, { description: 'Day the zone was designated (划定).' })
  @Property({ type: 'date' })
  designatedOn!: string;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
