import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CityKind, RegionCode } from '@airledger/schema';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { City, Province, Region } from './geography.entity.js';

@ObjectType({ description: 'A page of regions.' })
export class RegionConnection extends ConnectionType(Region) {}

@ObjectType({ description: 'A page of provinces.' })
export class ProvinceConnection extends ConnectionType(Province) {}

@ObjectType({ description: 'A page of cities.' })
export class CityConnection extends ConnectionType(City) {}

/** Filters that select cities by where they are; shared by every city-scoped collection. */
@InputType({ description: 'Selects cities by region, province or city. Combined with AND.' })
export class PlaceFilter {
  @Field(() => RegionCode, { nullable: true, description: 'Only cities of this region.' })
  region?: RegionCode | null;

  @Field(() => String, { nullable: true, description: 'Only cities of the province with this slug.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the city with this slug.' })
  city?: string | null;
}

@InputType({ description: 'Filter of the cities collection.' })
export class CityFilter extends PlaceFilter {
  @Field(() => CityKind, { nullable: true, description: 'Only cities of this kind.' })
  kind?: CityKind | null;
}

export enum CityOrderField {
  PLAN_ORDER = 'PLAN_ORDER',
  SLUG = 'SLUG',
  NAME_EN = 'NAME_EN',
}
registerEnumType(CityOrderField, {
  name: 'CityOrderField',
  description: 'Fields cities can be sorted by.',
  valuesConfig: { PLAN_ORDER: { description: 'The order of the plan\'s list (grouped by province).' } },
});

export const CityOrder = OrderInput<CityOrderField>('CityOrder', CityOrderField, 'Sort of the cities collection.');
export type CityOrder = InstanceType<typeof CityOrder>;
