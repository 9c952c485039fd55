import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { DataOrigin } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { markReferenceData } from '../../common/loaders.js';
import { LocalDate } from '../../common/scalars.js';

@ObjectType({ description: 'An autumn-winter campaign (one per year). Targets, tasks and reports are per campaign.' })
@Entity({ tableName: 'campaign' })
export class Campaign extends LedgerEntity {
  @Field(() => String, { description: 'Stable code, e.g. "2023-2024-autumn-winter".' })
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String, { description: 'Chinese title of the plan.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English title.' })
  @Property({ type: 'text' })
  nameEn!: string;

  @Field(() => LocalDate, { description: 'First day of the campaign period.' })
  @Property({ type: 'date' })
  periodStart!: string;

  @Field(() => LocalDate, { description: 'Last day of the campaign period (inclusive).' })
  @Property({ type: 'date' })
  periodEnd!: string;

  @Field(() => DataOrigin, { description: 'PLAN when quoted from the campaign plan.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

// A small table read whole once per request (see common/loaders.ts).
markReferenceData(Campaign);
