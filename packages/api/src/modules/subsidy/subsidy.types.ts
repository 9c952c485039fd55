import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, RecipientKind, SubsidyProgramKind } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { Disbursement, SubsidyBudget, SubsidyProgram } from './subsidy.entity.js';

@ObjectType({ description: 'A page of subsidy programs.' })
export class SubsidyProgramConnection extends ConnectionType(SubsidyProgram) {}

@ObjectType({ description: 'A page of disbursements.' })
export class DisbursementConnection extends ConnectionType(Disbursement) {}

/**
 * Measures of a set of budgets and their disbursements (one budget, or a program over every city).
 * Every recorded disbursement is a commitment, paid or not.
 */
@ObjectType({
  description:
    'Measures of a subsidy program over every city: budgets, commitments (every recorded disbursement, paid or not), payments, the share to low-income households and the days from approval to payment.',
})
export class SubsidyTotals {
  @Field(() => Float, { description: 'Sum of the city budgets, in yuan.' })
  amount!: number;

  @Field(() => Int, { description: 'Number of cities with a budget.' })
  budgetCount!: number;

  @Field(() => Float, { description: 'Sum of every recorded disbursement, paid or not (each is a commitment against its budget), in yuan.' })
  committedAmount!: number;

  @Field(() => Float, { description: 'Sum of the disbursements already paid, in yuan.' })
  paidAmount!: number;

  @Field(() => Float, { description: 'Budget not yet committed: amount minus committedAmount, in yuan.' })
  remainingAmount!: number;

  @Field(() => Int, { description: 'Number of recorded disbursements, paid or not.' })
  disbursementCount!: number;

  @Field(() => Int, { description: 'Number of disbursements already paid.' })
  paidCount!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share (0..1) of the amount committed to households that goes to low-income households; null without household disbursements.',
  })
  lowIncomeShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median days from approval to payment over the paid disbursements (interpolated); null when none is paid.' })
  medianDaysToPayment!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from approval to payment over the paid disbursements; null when none is paid.' })
  meanDaysToPayment!: number | null;
}

@InputType({ description: 'Filter of the subsidy programs collection. Combined with AND.' })
export class SubsidyProgramFilter {
  @Field(() => String, { nullable: true, description: 'Only programs of the campaign with this code, e.g. "2023-2024-autumn-winter".' })
  campaign?: string | null;

  @Field(() => [SubsidyProgramKind], { nullable: true, description: 'Only programs of these kinds.' })
  kinds?: SubsidyProgramKind[] | null;
}

@InputType({ description: 'Filter of a program\'s disbursements. Combined with AND.' })
export class ProgramDisbursementFilter extends PlaceFilter {
  @Field(() => RecipientKind, { nullable: true, description: 'Only disbursements to this kind of recipient.' })
  recipientKind?: RecipientKind | null;

  @Field(() => ID, { nullable: true, description: 'Only disbursements to the enterprise with this id.' })
  enterpriseId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only disbursements to low-income households; false: only to other households. Enterprises match neither.',
  })
  lowIncome?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only paid disbursements; false: only those approved and not yet paid.' })
  paid?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only disbursements approved on or after this day.' })
  approvedFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only disbursements approved on or before this day.' })
  approvedTo?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only disbursements paid on or after this day (implies paid).' })
  paidFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only disbursements paid on or before this day (implies paid).' })
  paidTo?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin (e.g. DEMO).' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Filter of the disbursements collection. Combined with AND.' })
export class DisbursementFilter extends ProgramDisbursementFilter {
  @Field(() => ID, { nullable: true, description: 'Only disbursements of the subsidy program with this id.' })
  programId?: string | null;
}

export enum DisbursementOrderField {
  ID = 'ID',
  APPROVED_ON = 'APPROVED_ON',
  AMOUNT = 'AMOUNT',
}
registerEnumType(DisbursementOrderField, {
  name: 'DisbursementOrderField',
  description: 'Fields disbursements can be sorted by (the id breaks ties).',
  valuesConfig: {
    ID: { description: 'The order in which they were recorded.' },
    APPROVED_ON: { description: 'Day of approval.' },
    AMOUNT: { description: 'Amount in yuan.' },
  },
});

export const DisbursementOrder = OrderInput<DisbursementOrderField>('DisbursementOrder', DisbursementOrderField, 'Sort of a disbursements collection.');
export type DisbursementOrder = InstanceType<typeof DisbursementOrder>;

// ---- mutations ----

@InputType({ description: 'A new subsidy program.' })
export class CreateSubsidyProgramInput {
  @Field(() => String, { description: 'Code of the campaign the program belongs to, e.g. "2023-2024-autumn-winter".' })
  campaign!: string;

  @Field(() => String, { description: 'Unique code: lowercase letters, digits and single hyphens, at most 64 characters.' })
  code!: string;

  @Field(() => String, { description: 'Chinese name.' })
  nameZh!: string;

  @Field(() => String, { description: 'English name.' })
  nameEn!: string;

  @Field(() => SubsidyProgramKind, { description: 'Kind of program. Clean-heating programs pay households, air-pollution funds pay enterprises.' })
  kind!: SubsidyProgramKind;

  @Field(() => String, { nullable: true, description: 'What the program pays for and on what terms.' })
  description?: string | null;
}

@ObjectType({ description: 'Result of createSubsidyProgram.' })
export class CreateSubsidyProgramPayload {
  @Field(() => SubsidyProgram, { nullable: true, description: 'The new program; null when there are user errors.' })
  subsidyProgram!: SubsidyProgram | null;

  @Field(() => [UserError], { description: 'Problems with the input; nothing was written when not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The budget of a program in a city: creates it, or changes its amount.' })
export class SetSubsidyBudgetInput {
  @Field(() => ID, { description: 'Id of the subsidy program.' })
  programId!: string;

  @Field(() => String, { description: 'Slug of the city, e.g. "shijiazhuang".' })
  city!: string;

  @Field(() => Float, {
    description: 'Budget in yuan (two decimals at most, 0 or more). It may not be lower than what is already committed (every recorded disbursement, paid or not).',
  })
  amount!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The version of the budget the change is based on (optimistic locking): when given and the budget changed since, or does not exist yet, CONFLICT.',
  })
  version?: number | null;
}

@ObjectType({ description: 'Result of setSubsidyBudget.' })
export class SetSubsidyBudgetPayload {
  @Field(() => SubsidyBudget, { nullable: true, description: 'The created or changed budget; null when there are user errors.' })
  subsidyBudget!: SubsidyBudget | null;

  @Field(() => [UserError], { description: 'Problems with the input; nothing was written when not empty.' })
  userErrors!: UserError[];
}

@InputType({
  description:
    'A disbursement approved for a household or an enterprise. It counts against the city\'s budget of the program as soon as it is recorded, paid or not.',
})
export class RecordDisbursementInput {
  @Field(() => ID, { description: 'Id of the subsidy program.' })
  programId!: string;

  @Field(() => String, { description: 'Slug of the city whose budget pays it.' })
  city!: string;

  @Field(() => RecipientKind, { description: 'HOUSEHOLD (clean-heating programs) or ENTERPRISE (air-pollution funds).' })
  recipientKind!: RecipientKind;

  @Field(() => String, { nullable: true, description: 'Households: name of the head of the household. Must be empty for enterprises.' })
  householdName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Households: 18-character resident identity number of the head of the household (a final x is read as X). Must be empty for enterprises.',
  })
  householdIdNumber?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Households: whether it is a rural low-income household. Must be empty for enterprises.' })
  lowIncome?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Enterprises: id of the receiving enterprise, which must be in the same city. Must be empty for households.' })
  enterpriseId?: string | null;

  @Field(() => Float, { description: `Amount in yuan: more than 0, at most 100,000,000, two decimals at most.` })
  amount!: number;

  @Field(() => LocalDate, { description: 'Day of approval; not in the future (China time).' })
  approvedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Day of payment when already paid: not before approvedOn, not in the future.' })
  paidOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text note (e.g. the approval document number).' })
  note?: string | null;
}

@ObjectType({ description: 'Result of recordDisbursement.' })
export class RecordDisbursementPayload {
  @Field(() => Disbursement, { nullable: true, description: 'The recorded disbursement; null when there are user errors.' })
  disbursement!: Disbursement | null;

  @Field(() => [UserError], { description: 'Problems with the input; nothing was written when not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The payment of an approved disbursement.' })
export class MarkDisbursementPaidInput {
  @Field(() => ID, { description: 'Id of the disbursement (approved, not yet paid).' })
  id!: string;

  @Field(() => LocalDate, { description: 'Day of payment: not before the approval, not in the future.' })
  paidOn!: string;
}

@ObjectType({ description: 'Result of markDisbursementPaid.' })
export class MarkDisbursementPaidPayload {
  @Field(() => Disbursement, { nullable: true, description: 'The paid disbursement; null when there are user errors.' })
  disbursement!: Disbursement | null;

  @Field(() => [UserError], { description: 'Problems with the input; nothing was written when not empty.' })
  userErrors!: UserError[];
}
