import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { SubmissionKind, SubmissionStatus } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { Province } from '../geography/geography.entity.js';
import { Submission } from './submission.entity.js';

@ObjectType({ description: 'A page of submissions.' })
export class SubmissionConnection extends ConnectionType(Submission) {}

@InputType({ description: 'Filter of submission collections. Conditions are combined with AND.' })
export class SubmissionFilter {
  @Field(() => String, { nullable: true, description: 'Only submissions of the province with this slug.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only submissions for the campaign with this code.' })
  campaign?: string | null;

  @Field(() => [SubmissionKind], { nullable: true, description: 'Only submissions of one of these kinds.' })
  kinds?: SubmissionKind[] | null;
}

export enum SubmissionOrderField {
  FILED_AT = 'FILED_AT',
}
registerEnumType(SubmissionOrderField, {
  name: 'SubmissionOrderField',
  description: 'Fields submissions can be sorted by (ties are broken by id).',
  valuesConfig: { FILED_AT: { description: 'When it was filed.' } },
});
export const SubmissionOrder = OrderInput<SubmissionOrderField>('SubmissionOrder', SubmissionOrderField, 'Sort of submission collections.');
export type SubmissionOrder = InstanceType<typeof SubmissionOrder>;

@InputType({ description: 'A submission a province files.' })
export class FileSubmissionInput {
  @Field(() => String, { description: 'Slug of the filing province (a PROVINCE key of that province files).' })
  province!: string;

  @Field(() => SubmissionKind, { description: 'What is filed.' })
  kind!: SubmissionKind;

  @Field(() => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'Note of the filer (up to 4,000 characters).' })
  note?: string | null;
}

@ObjectType({ description: 'Result of filing a submission.' })
export class FileSubmissionPayload {
  @Field(() => Submission, { nullable: true, description: 'The submission with its frozen snapshot; null when refused.' })
  submission!: Submission | null;

  @Field(() => [UserError], { description: 'Why the filing was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Whether a province filed one kind of submission of a campaign by its deadline.' })
export class ProvinceSubmissionStatus {
  @Field(() => Province, { description: 'The province.' })
  province!: Province;

  @Field(() => SubmissionKind, { description: 'What is to be filed.' })
  kind!: SubmissionKind;

  @Field(() => LocalDate, { description: 'The plan\'s deadline.' })
  deadline!: string;

  @Field(() => SubmissionStatus, { description: 'ON_TIME, LATE or MISSING, from the first filing.' })
  status!: SubmissionStatus;

  @Field(() => Date, { nullable: true, description: 'When it was first filed.' })
  firstFiledAt!: Date | null;

  @Field(() => Submission, { nullable: true, description: 'The latest filing.' })
  latest!: Submission | null;
}
