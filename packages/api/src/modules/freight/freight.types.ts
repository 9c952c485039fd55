import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { FreightRecord } from './freight.entity.js';

@ObjectType({ description: 'A page of monthly rail freight records.' })
export class FreightRecordConnection extends ConnectionType(FreightRecord) {}

@InputType({ description: 'Filter of rail-freight-record collections. Conditions are combined with AND.' })
export class FreightRecordFilter extends PlaceFilter {
  @Field(() => String, { nullable: true, description: 'Only records of this railway, station or route (its exact name, e.g. "水曹铁路").' })
  railway?: string | null;

  @Field(() => String, { nullable: true, description: 'Only months from this one on, YYYY-MM (inclusive).' })
  fromMonth?: string | null;

  @Field(() => String, { nullable: true, description: 'Only months up to this one, YYYY-MM (inclusive; not before fromMonth).' })
  toMonth?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

export enum FreightRecordOrderField {
  MONTH = 'MONTH',
  TONNES = 'TONNES',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(FreightRecordOrderField, {
  name: 'FreightRecordOrderField',
  description: 'Fields rail freight records can be sorted by (ties are broken by id).',
  valuesConfig: {
    MONTH: { description: 'The month carried in.' },
    TONNES: { description: 'Tonnes carried.' },
    CREATED_AT: { description: 'When the record was made.' },
  },
});
export const FreightRecordOrder = OrderInput<FreightRecordOrderField>('FreightRecordOrder', FreightRecordOrderField, 'Sort of rail-freight-record collections.');
export type FreightRecordOrder = InstanceType<typeof FreightRecordOrder>;

@InputType({ description: 'The freight a railway of a city carried in one month: a new record, or (with `version`) the new figure of the month\'s record.' })
export class RecordFreightMonthInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => String, { description: 'The railway, station or route, by its Chinese name (1-100 characters, e.g. "水曹铁路"; surrounding spaces are dropped).' })
  railway!: string;

  @Field(() => String, { description: 'The month, YYYY-MM: a month of a campaign of the ledger that has begun (in China).' })
  month!: string;

  @Field(() => Float, { description: 'Tonnes carried in the month: 0 or more, at most 100,000,000, at most 2 decimals.' })
  tonnes!: number;

  @Field(() => String, { description: 'Where the figure comes from (1-200 characters).' })
  source!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Omitted: records a month not recorded yet for the railway (a recorded one is refused with TAKEN). Given: changes the month\'s record, which must still be at this version (else CONFLICT).',
  })
  version?: number | null;
}

@ObjectType({ description: 'Result of recording a month of rail freight.' })
export class RecordFreightMonthPayload {
  @Field(() => FreightRecord, { nullable: true, description: 'The month\'s record; null when the change was refused.' })
  freightRecord!: FreightRecord | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
