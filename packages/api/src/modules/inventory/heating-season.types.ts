import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { HeatingSeason } from './household.entity.js';

@ObjectType({ description: 'A page of heating seasons.' })
export class HeatingSeasonConnection extends ConnectionType(HeatingSeason) {}

@InputType({ description: 'Filter of heating-season collections. Conditions are combined with AND.' })
export class HeatingSeasonFilter extends PlaceFilter {
  @Field(() => String, { nullable: true, description: 'Only seasons of the campaign with this code.' })
  campaign?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only seasons of this origin (PLAN: the statutory periods loaded with the plan; RECORDED: recorded through the API).' })
  origin?: DataOrigin | null;
}

export enum HeatingSeasonOrderField {
  STARTS_ON = 'STARTS_ON',
  ENDS_ON = 'ENDS_ON',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(HeatingSeasonOrderField, {
  name: 'HeatingSeasonOrderField',
  description: 'Fields heating seasons can be sorted by (ties are broken by id).',
  valuesConfig: {
    STARTS_ON: { description: 'First day of the season.' },
    ENDS_ON: { description: 'Last day of the season.' },
    UPDATED_AT: { description: 'When the season was last recorded or changed.' },
  },
});
export const HeatingSeasonOrder = OrderInput<HeatingSeasonOrderField>('HeatingSeasonOrder', HeatingSeasonOrderField, 'Sort of heating-season collections.');
export type HeatingSeasonOrder = InstanceType<typeof HeatingSeasonOrder>;

@InputType({ description: "A city's heating season of a campaign: a new one, or (with `version`) new dates for the recorded one." })
export class RecordHeatingSeasonInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => LocalDate, { description: "First day of the season, within the campaign's months. COAL_HOUSEHOLDS counts the city's conversions put into use by this day." })
  startsOn!: string;

  @Field(() => LocalDate, { description: "Last day of the season: after startsOn and within the campaign's months." })
  endsOn!: string;

  @Field(() => String, { description: 'Where the dates come from, e.g. the city\'s heating notice (1-200 characters).' })
  source!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Omitted: records the season of a city and campaign that has none yet (a recorded one is refused with TAKEN). Given: changes the recorded season, which must still be at this version (else CONFLICT).',
  })
  version?: number | null;
}

@ObjectType({ description: 'Result of recording a heating season.' })
export class RecordHeatingSeasonPayload {
  @Field(() => HeatingSeason, { nullable: true, description: 'The season; null when the change was refused.' })
  heatingSeason!: HeatingSeason | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
