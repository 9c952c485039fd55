import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, HeatingSystem, LocalityLevel } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { HouseholdConversion, Locality } from './household.entity.js';

@ObjectType({ description: 'A page of localities (counties, townships, villages).' })
export class LocalityConnection extends ConnectionType(Locality) {}

@ObjectType({ description: 'A page of household conversions.' })
export class HouseholdConversionConnection extends ConnectionType(HouseholdConversion) {}

@InputType({ description: 'Filter of locality collections. Conditions are combined with AND.' })
export class LocalityFilter extends PlaceFilter {
  @Field(() => [LocalityLevel], { nullable: true, description: 'Only localities of one of these levels.' })
  levels?: LocalityLevel[] | null;

  @Field(() => ID, { nullable: true, description: 'Only the localities directly under this one.' })
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only localities whose Chinese name contains this text.' })
  search?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only localities of this origin.' })
  origin?: DataOrigin | null;
}

export enum LocalityOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME_ZH = 'NAME_ZH',
}
registerEnumType(LocalityOrderField, {
  name: 'LocalityOrderField',
  description: 'Fields localities can be sorted by (ties are broken by id).',
  valuesConfig: { CREATED_AT: { description: 'When the locality was recorded.' }, NAME_ZH: { description: 'Chinese name.' } },
});
export const LocalityOrder = OrderInput<LocalityOrderField>('LocalityOrder', LocalityOrderField, 'Sort of locality collections.');
export type LocalityOrder = InstanceType<typeof LocalityOrder>;

@InputType({ description: 'Filter of household-conversion collections. Conditions are combined with AND.' })
export class HouseholdConversionFilter extends PlaceFilter {
  @Field(() => ID, { nullable: true, description: 'Only conversions in this locality: the village itself, or any village of this township or county.' })
  localityId?: string | null;

  @Field(() => [HeatingSystem], { nullable: true, description: 'Only conversions to one of these systems.' })
  newSystems?: HeatingSystem[] | null;

  @Field(() => ID, { nullable: true, description: 'Only conversions carried by this retrofit project.' })
  projectId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only conversions whose old heating was removed; false: only those that keep it.' })
  oldHeatingRemoved?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only conversions put into use on or after this day.' })
  convertedFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only conversions put into use on or before this day.' })
  convertedTo?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only conversions of this origin.' })
  origin?: DataOrigin | null;
}

export enum HouseholdConversionOrderField {
  CREATED_AT = 'CREATED_AT',
  CONVERTED_ON = 'CONVERTED_ON',
  HOUSEHOLDS = 'HOUSEHOLDS',
}
registerEnumType(HouseholdConversionOrderField, {
  name: 'HouseholdConversionOrderField',
  description: 'Fields household conversions can be sorted by (ties are broken by id).',
  valuesConfig: {
    CREATED_AT: { description: 'When the conversion was recorded.' },
    CONVERTED_ON: { description: 'Day the new system was put into use.' },
    HOUSEHOLDS: { description: 'Households converted.' },
  },
});
export const HouseholdConversionOrder = OrderInput<HouseholdConversionOrderField>('HouseholdConversionOrder', HouseholdConversionOrderField, 'Sort of household-conversion collections.');
export type HouseholdConversionOrder = InstanceType<typeof HouseholdConversionOrder>;

@InputType({ description: 'A county, township or village to add under a city.' })
export class CreateLocalityInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => LocalityLevel, { description: 'Level of the new locality.' })
  level!: LocalityLevel;

  @Field(() => ID, { nullable: true, description: 'The locality it lies in: none for a COUNTY, a COUNTY of the same city for a TOWNSHIP, a TOWNSHIP for a VILLAGE.' })
  parentId?: string | null;

  @Field(() => String, { description: 'Chinese name (1-100 characters), unique under its parent.' })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: 'Administrative division code: 6 digits (county), 9 (township) or 12 (village).' })
  divisionCode?: string | null;
}

@InputType({ description: 'Changes to a locality: only the fields given change (city, level and parent cannot).' })
export class UpdateLocalityInput {
  @Field(() => ID, { description: 'Id of the locality.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the locality is still at this version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'New Chinese name.' })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: 'New division code (null clears it).' })
  divisionCode?: string | null;
}

@ObjectType({ description: 'Result of adding or changing a locality.' })
export class LocalityPayload {
  @Field(() => Locality, { nullable: true, description: 'The locality; null when the change was refused.' })
  locality!: Locality | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: "A village's households converted off loose coal, to add to the village conversion list." })
export class CreateHouseholdConversionInput {
  @Field(() => ID, { description: 'The VILLAGE (a locality) the households live in; its city is the conversion\'s city.' })
  villageId!: string;

  @Field(() => ID, { nullable: true, description: 'The clean-heating retrofit project that carried the conversion (same city; CLEAN_HEATING_COAL_TO_GAS for GAS, CLEAN_HEATING_COAL_TO_ELECTRICITY for ELECTRICITY). Only conversions of a project count toward COAL_HOUSEHOLDS.' })
  projectId?: string | null;

  @Field(() => Int, { description: 'Households converted (1 to 100,000).' })
  households!: number;

  @Field(() => HeatingSystem, { description: 'New heating system.' })
  newSystem!: HeatingSystem;

  @Field(() => LocalDate, { description: 'Day the new system was put into use (not in the future).' })
  convertedOn!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether the supply of the new system is safe and stable.' })
  supplyStable!: boolean;

  @Field(() => LocalDate, { nullable: true, description: 'Day the first heating season of stable operation was completed: after convertedOn, not before the end of the city\'s first heating season after it.' })
  firstSeasonCompletedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the old heating was removed: refused (BUILD_BEFORE_BREAK) unless supplyStable and on or after firstSeasonCompletedOn.' })
  oldHeatingRemovedOn?: string | null;
}

@InputType({ description: 'Changes to a household conversion: only the fields given change (the village cannot).' })
export class UpdateHouseholdConversionInput {
  @Field(() => ID, { description: 'Id of the conversion.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the conversion is still at this version.' })
  version?: number | null;

  @Field(() => ID, { nullable: true, description: 'New project (null detaches it).' })
  projectId?: string | null;

  @Field(() => Int, { nullable: true, description: 'New number of households.' })
  households?: number | null;

  @Field(() => HeatingSystem, { nullable: true, description: 'New heating system.' })
  newSystem?: HeatingSystem | null;

  @Field(() => LocalDate, { nullable: true, description: 'New day the system was put into use.' })
  convertedOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the supply is safe and stable.' })
  supplyStable?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the first heating season of stable operation was completed (null clears it, unless the old heating is removed).' })
  firstSeasonCompletedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the old heating was removed (BUILD_BEFORE_BREAK applies).' })
  oldHeatingRemovedOn?: string | null;
}

@ObjectType({ description: 'Result of adding or changing a household conversion.' })
export class HouseholdConversionPayload {
  @Field(() => HouseholdConversion, { nullable: true, description: 'The conversion; null when the change was refused.' })
  householdConversion!: HouseholdConversion | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
