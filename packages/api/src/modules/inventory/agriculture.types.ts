import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AgriculturalFacilityKind, AgriculturalFacilityStatus, DataOrigin, HeatingSystem } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { AgriculturalCoalFacility, BanZone } from './agriculture.entity.js';

@ObjectType({ description: 'A page of agricultural coal facilities.' })
export class AgriculturalCoalFacilityConnection extends ConnectionType(AgriculturalCoalFacility) {}

@ObjectType({ description: 'A page of ban zones.' })
export class BanZoneConnection extends ConnectionType(BanZone) {}

@InputType({ description: 'Filter of agricultural-coal-facility collections. Conditions are combined with AND.' })
export class AgriculturalCoalFacilityFilter extends PlaceFilter {
  @Field(() => ID, { nullable: true, description: 'Only facilities in this locality: the village itself, or any village of this township or county.' })
  localityId?: string | null;

  @Field(() => [AgriculturalFacilityKind], { nullable: true, description: 'Only facilities of one of these kinds.' })
  kinds?: AgriculturalFacilityKind[] | null;

  @Field(() => [AgriculturalFacilityStatus], { nullable: true, description: 'Only facilities with one of these statuses.' })
  statuses?: AgriculturalFacilityStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only facilities replaced by this retrofit project.' })
  projectId?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only facilities of this origin.' })
  origin?: DataOrigin | null;
}

export enum AgriculturalCoalFacilityOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(AgriculturalCoalFacilityOrderField, {
  name: 'AgriculturalCoalFacilityOrderField',
  description: 'Fields agricultural coal facilities can be sorted by (ties are broken by id).',
  valuesConfig: { CREATED_AT: { description: 'When the facility was recorded.' }, NAME: { description: 'Name.' } },
});
export const AgriculturalCoalFacilityOrder = OrderInput<AgriculturalCoalFacilityOrderField>('AgriculturalCoalFacilityOrder', AgriculturalCoalFacilityOrderField, 'Sort of agricultural-coal-facility collections.');
export type AgriculturalCoalFacilityOrder = InstanceType<typeof AgriculturalCoalFacilityOrder>;

@InputType({ description: 'Filter of ban-zone collections. Conditions are combined with AND.' })
export class BanZoneFilter extends PlaceFilter {
  @Field(() => LocalDate, { nullable: true, description: 'Only zones designated on or before this day.' })
  designatedBy?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only zones of this origin.' })
  origin?: DataOrigin | null;
}

export enum BanZoneOrderField {
  CREATED_AT = 'CREATED_AT',
  DESIGNATED_ON = 'DESIGNATED_ON',
  AREA_KM2 = 'AREA_KM2',
}
registerEnumType(BanZoneOrderField, {
  name: 'BanZoneOrderField',
  description: 'Fields ban zones can be sorted by (ties are broken by id).',
  valuesConfig: { CREATED_AT: { description: 'When the zone was recorded.' }, DESIGNATED_ON: { description: 'Designation day.' }, AREA_KM2: { description: 'Area.' } },
});
export const BanZoneOrder = OrderInput<BanZoneOrderField>('BanZoneOrder', BanZoneOrderField, 'Sort of ban-zone collections.');
export type BanZoneOrder = InstanceType<typeof BanZoneOrder>;

@InputType({ description: 'An agricultural coal facility to add to a city\'s list.' })
export class CreateAgriculturalCoalFacilityInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => ID, { nullable: true, description: 'VILLAGE (a locality of the same city) where the facility stands.' })
  villageId?: string | null;

  @Field(() => String, { description: 'Name (1-200 characters).' })
  name!: string;

  @Field(() => AgriculturalFacilityKind, { description: 'Kind of facility.' })
  kind!: AgriculturalFacilityKind;

  @Field(() => AgriculturalFacilityStatus, { defaultValue: AgriculturalFacilityStatus.COAL, description: 'COAL, or REPLACED with replacedBy and replacedOn.' })
  status!: AgriculturalFacilityStatus;

  @Field(() => HeatingSystem, { nullable: true, description: 'Clean energy that replaced the coal; required with REPLACED.' })
  replacedBy?: HeatingSystem | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the coal was replaced; required with REPLACED, not in the future.' })
  replacedOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'AGRICULTURAL_COAL_REPLACEMENT project of the same city that replaced it.' })
  projectId?: string | null;
}

@InputType({ description: 'Changes to an agricultural coal facility: only the fields given change (the city cannot).' })
export class UpdateAgriculturalCoalFacilityInput {
  @Field(() => ID, { description: 'Id of the facility.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the facility is still at this version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => AgriculturalFacilityStatus, { nullable: true, description: 'New status.' })
  status?: AgriculturalFacilityStatus | null;

  @Field(() => HeatingSystem, { nullable: true, description: 'Clean energy that replaced the coal.' })
  replacedBy?: HeatingSystem | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the coal was replaced.' })
  replacedOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'Project that replaced it (null detaches it).' })
  projectId?: string | null;
}

@ObjectType({ description: 'Result of adding or changing an agricultural coal facility.' })
export class AgriculturalCoalFacilityPayload {
  @Field(() => AgriculturalCoalFacility, { nullable: true, description: 'The facility; null when the change was refused.' })
  agriculturalCoalFacility!: AgriculturalCoalFacility | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A ban zone to designate in a city.' })
export class CreateBanZoneInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => String, { description: 'Name (1-200 characters).' })
  name!: string;

  @Field(() => Float, { description: 'Area in km² (more than 0, at most 100,000).' })
  areaKm2!: number;

  @Field(() => LocalDate, { description: 'Day of designation (not in the future).' })
  designatedOn!: string;
}

@InputType({ description: 'Changes to a ban zone: only the fields given change.' })
export class UpdateBanZoneInput {
  @Field(() => ID, { description: 'Id of the zone.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the zone is still at this version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: 'New area in km².' })
  areaKm2?: number | null;

  @Field(() => LocalDate, { nullable: true, description: 'New designation day.' })
  designatedOn?: string | null;
}

@ObjectType({ description: 'Result of designating or changing a ban zone.' })
export class BanZonePayload {
  @Field(() => BanZone, { nullable: true, description: 'The zone; null when the change was refused.' })
  banZone!: BanZone | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
