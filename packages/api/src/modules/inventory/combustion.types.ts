import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CombustionFuel, CombustionUnitKind, CombustionUnitStatus, DataOrigin, Industry } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { CombustionUnit } from './combustion.entity.js';

@ObjectType({ description: 'A page of combustion units.' })
export class CombustionUnitConnection extends ConnectionType(CombustionUnit) {}

@InputType({ description: 'Filter of combustion-unit collections. Conditions are combined with AND.' })
export class CombustionUnitFilter extends PlaceFilter {
  @Field(() => ID, { nullable: true, description: 'Only units in this locality: the locality itself, or any place under it (a township\'s villages, a county\'s townships and villages).' })
  localityId?: string | null;

  @Field(() => [CombustionUnitKind], { nullable: true, description: 'Only units of one of these kinds.' })
  kinds?: CombustionUnitKind[] | null;

  @Field(() => [CombustionFuel], { nullable: true, description: 'Only units burning one of these fuels.' })
  fuels?: CombustionFuel[] | null;

  @Field(() => [CombustionUnitStatus], { nullable: true, description: 'Only units with one of these statuses.' })
  statuses?: CombustionUnitStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only units of this enterprise.' })
  enterpriseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only units eliminated by this retrofit project.' })
  eliminationProjectId?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only units of this origin.' })
  origin?: DataOrigin | null;
}

export enum CombustionUnitOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(CombustionUnitOrderField, {
  name: 'CombustionUnitOrderField',
  description: 'Fields combustion units can be sorted by (ties are broken by id).',
  valuesConfig: { CREATED_AT: { description: 'When the unit was recorded.' }, NAME: { description: 'Name of the unit.' } },
});

export const CombustionUnitOrder = OrderInput<CombustionUnitOrderField>('CombustionUnitOrder', CombustionUnitOrderField, 'Sort of combustion-unit collections.');
export type CombustionUnitOrder = InstanceType<typeof CombustionUnitOrder>;

@InputType({ description: 'A combustion unit to add to a city\'s inventory.' })
export class CreateCombustionUnitInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => ID, { nullable: true, description: 'The county, township or village (a locality of the same city) the unit stands in.' })
  localityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Enterprise operating the unit (in the same city).' })
  enterpriseId?: string | null;

  @Field(() => CombustionUnitKind, { description: 'Kind of unit.' })
  kind!: CombustionUnitKind;

  @Field(() => String, { description: 'Name or number of the unit (1-200 characters).' })
  name!: string;

  @Field(() => CombustionFuel, { description: 'Fuel.' })
  fuel!: CombustionFuel;

  @Field(() => Float, { nullable: true, description: 'Capacity in t/h; required for boilers.' })
  capacityTph?: number | null;

  @Field(() => Float, { nullable: true, description: 'Coking-chamber height in metres; required for coke ovens.' })
  chamberHeightM?: number | null;

  @Field(() => Industry, { nullable: true, description: 'Industry the unit serves.' })
  industry?: Industry | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether it serves central heating.' })
  centralHeating!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether it is newly built. A new coal boiler outside central heating is refused (NEW_COAL_BOILER_NOT_ALLOWED) unless `approvedException`.' })
  newBuild!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether a new coal boiler outside central heating was approved as an exception.' })
  approvedException!: boolean;

  @Field(() => CombustionUnitStatus, { defaultValue: CombustionUnitStatus.OPERATING, description: 'Status. A coal boiler of 35 t/h or less cannot be OPERATING (SMALL_COAL_BOILER_MUST_BE_ELIMINATED).' })
  status!: CombustionUnitStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Day by which it is to be eliminated; required with SCHEDULED_FOR_ELIMINATION.' })
  scheduledEliminationBy?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day it was eliminated; required with ELIMINATED, not in the future.' })
  eliminatedOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'Retrofit project that eliminates it (of the type that eliminates its kind, in its city); required with ELIMINATED.' })
  eliminationProjectId?: string | null;
}

@InputType({ description: 'Changes to a combustion unit: only the fields given change. City, kind and new-build cannot change. An ELIMINATED unit cannot change status.' })
export class UpdateCombustionUnitInput {
  @Field(() => ID, { description: 'Id of the unit.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the unit is still at this version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => ID, { nullable: true, description: 'The county, township or village (a locality of the unit\'s city) it stands in; null clears it.' })
  localityId?: string | null;

  @Field(() => CombustionFuel, { nullable: true, description: 'New fuel.' })
  fuel?: CombustionFuel | null;

  @Field(() => Float, { nullable: true, description: 'New capacity in t/h.' })
  capacityTph?: number | null;

  @Field(() => Float, { nullable: true, description: 'New coking-chamber height in metres.' })
  chamberHeightM?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it serves central heating.' })
  centralHeating?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it was approved as an exception.' })
  approvedException?: boolean | null;

  @Field(() => CombustionUnitStatus, { nullable: true, description: 'New status.' })
  status?: CombustionUnitStatus | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day by which it is to be eliminated.' })
  scheduledEliminationBy?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day it was eliminated (with ELIMINATED).' })
  eliminatedOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'Retrofit project that eliminates it.' })
  eliminationProjectId?: string | null;
}

@ObjectType({ description: 'Result of adding or changing a combustion unit.' })
export class CombustionUnitPayload {
  @Field(() => CombustionUnit, { nullable: true, description: 'The unit; null when the change was refused.' })
  combustionUnit!: CombustionUnit | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
