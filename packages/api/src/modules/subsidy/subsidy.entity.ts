import { DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, RecipientKind, SubsidyProgramKind } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';

registerEnumType(SubsidyProgramKind, {
  name: 'SubsidyProgramKind',
  description: 'Kind of a subsidy program.',
  valuesConfig: {
    CLEAN_HEATING_OPERATING: { description: 'Clean-heating operating subsidy to households (gas or electricity bills of the heating season).' },
    CLEAN_HEATING_EQUIPMENT: { description: 'Clean-heating equipment purchase subsidy to households (heat pumps, gas wall boilers, electric heaters).' },
    CENTRAL_AIR_POLLUTION_FUND: { description: 'Central air-pollution prevention fund for major projects of enterprises.' },
    LOCAL_AIR_POLLUTION_FUND: { description: 'Local air-pollution fund, e.g. rewards to benchmark enterprises.' },
  },
});
registerEnumType(RecipientKind, {
  name: 'RecipientKind',
  description: 'Who receives a disbursement: a household or an enterprise.',
  valuesConfig: {
    HOUSEHOLD: { description: 'A household, identified by the resident identity number of its head.' },
    ENTERPRISE: { description: 'An enterprise of the ledger.' },
  },
});

@ObjectType({ description: 'A subsidy program of a campaign (e.g. the clean-heating operating subsidy), with a budget per city.' })
@Entity({ tableName: 'subsidy_program' })
export class SubsidyProgram extends LedgerEntity {
  @Index()
  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => String, { description: 'Stable code: lowercase letters, digits and hyphens, e.g. "2023-2024-clean-heating-operating".' })
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String, { description: 'Chinese name, e.g. 清洁取暖运行补贴.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English name.' })
  @Property({ type: 'text' })
  nameEn!: string;

  @Field(() => SubsidyProgramKind, { description: 'Kind of program; it decides who may receive its disbursements.' })
  @Enum({ items: () => SubsidyProgramKind })
  kind!: SubsidyProgramKind;

  @Field(() => String, { nullable: true, description: 'What the program pays for and on what terms.' })
  @Property({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType({
  description:
    'The budget of a subsidy program in one city. Every recorded disbursement of the program in the city, paid or not, is a commitment against it; commitments never exceed the budget.',
})
@Entity({ tableName: 'subsidy_budget' })
@Unique({ properties: ['programId', 'cityId'] })
export class SubsidyBudget extends LedgerEntity {
  @ManyToOne({ entity: () => SubsidyProgram, mapToPk: true, fieldName: 'program_id' })
  programId!: number;

  /** City key: every city-scoped row carries it (authorization, row-level security, sharding). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => Float, { description: 'Allocated budget in yuan (two decimals).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(16,2)', fieldName: 'amount_yuan' })
  amount!: number;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every change of the amount.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({
  description:
    'A subsidy disbursement to a household or an enterprise: approved on a date, paid on a later one. Counts against its city\'s budget of the program from the moment it is recorded.',
})
@Entity({ tableName: 'disbursement' })
export class Disbursement extends LedgerEntity {
  @Index()
  @ManyToOne({ entity: () => SubsidyProgram, mapToPk: true, fieldName: 'program_id' })
  programId!: number;

  @Index()
  @ManyToOne({ entity: () => SubsidyBudget, mapToPk: true, fieldName: 'budget_id' })
  budgetId!: number;

  /** City key: every city-scoped row carries it (authorization, row-level security, sharding). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => RecipientKind, { description: 'Whether a household or an enterprise receives it.' })
  @Enum({ items: () => RecipientKind })
  recipientKind!: RecipientKind;

  @Field(() => String, { nullable: true, description: 'Name of the head of the receiving household; null for enterprises.' })
  @Property({ type: 'text', nullable: true })
  householdName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Resident identity number (18 characters, GB 11643) of the head of the receiving household; null for enterprises. Personal data.',
  })
  @Property({ type: 'text', nullable: true })
  householdIdNumber!: string | null;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the receiving household is a rural low-income household; null for enterprises.' })
  @Property({ type: 'boolean', nullable: true })
  lowIncome!: boolean | null;

  @Field(() => Float, { description: 'Amount in yuan (two decimals).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(14,2)', fieldName: 'amount_yuan' })
  amount!: number;

  @Field(() => LocalDate, { description: 'Day the disbursement was approved.' })
  @Property({ type: 'date' })
  approvedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Day it was paid; null while approved but not yet paid.' })
  @Property({ type: 'date', nullable: true })
  paidOn!: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text note (e.g. the approval document number).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}
