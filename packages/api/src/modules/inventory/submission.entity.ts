import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { DataOrigin, SubmissionKind, SubmissionStatus } from '@airledger/schema';
import { LocalDate } from '../../common/scalars.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Province } from '../geography/geography.entity.js';

registerEnumType(SubmissionKind, {
  name: 'SubmissionKind',
  description: 'What a province files (报送) for a campaign, and by when.',
  valuesConfig: {
    COMBUSTION_UNITS: { description: 'The combustion-unit inventory (锅炉炉窑清单), by 2023-12-31.' },
    VILLAGE_CONVERSIONS: { description: 'The village conversion list (村级散煤改造清单), by 2023-12-31.' },
    BAN_ZONES: { description: 'The designation of high-pollution-fuel ban zones (禁燃区), by 2023-12-31.' },
    CAMPAIGN_SUMMARY: { description: 'The campaign summary (总结), by 2024-04-15.' },
  },
});
registerEnumType(SubmissionStatus, {
  name: 'SubmissionStatus',
  description: 'Whether a province filed a kind of submission by its deadline (computed from its first filing).',
  valuesConfig: {
    ON_TIME: { description: 'First filed on or before the deadline (a day in China, UTC+8).' },
    LATE: { description: 'First filed after the deadline.' },
    MISSING: { description: 'Not filed (yet).' },
  },
});

@ObjectType({ description: 'What a province filed for a campaign: who filed it, when, and the figures it reported, frozen at filing (a later change of the ledger does not change it).' })
@Entity({ tableName: 'submission' })
export class Submission {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id' })
  provinceId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => SubmissionKind, { description: 'What was filed.' })
  @Enum({ items: () => SubmissionKind })
  kind!: SubmissionKind;

  @Field(() => LocalDate, { description: 'Deadline of this kind of submission (the plan\'s).' })
  @Property({ type: 'date' })
  deadline!: string;

  @Field(() => Date, { description: 'When it was filed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  filedAt!: Date;

  @Field(() => String, { description: 'Actor (API key) that filed it.' })
  @Property({ type: 'text' })
  filedBy!: string;

  @Field(() => String, { nullable: true, description: 'Name of the key that filed it.' })
  @Property({ type: 'text', nullable: true })
  filedByName!: string | null;

  @Field(() => String, { nullable: true, description: 'Note of the filer.' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'The figures reported, as frozen when filed (see the kinds for their keys).' })
  @Property({ type: 'json' })
  snapshot!: Record<string, unknown>;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for filings through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}
