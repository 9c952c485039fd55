import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, FundingSource, ProjectStatus, ProjectType } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { RetrofitProject } from './project.entity.js';
import { PROJECT_LIMITS } from './project.rules.js';

@ObjectType({ description: 'A page of retrofit projects.' })
export class RetrofitProjectConnection extends ConnectionType(RetrofitProject) {}

@InputType({ description: 'Filter of retrofit project collections. Conditions are combined with AND.' })
export class RetrofitProjectFilter extends PlaceFilter {
  @Field(() => [ProjectType], { nullable: true, description: 'Only projects of one of these types.' })
  types?: ProjectType[] | null;

  @Field(() => [ProjectStatus], { nullable: true, description: 'Only projects with one of these statuses.' })
  statuses?: ProjectStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Only projects counting toward the task target with this code (in `campaign`).' })
  taskTarget?: string | null;

  @Field(() => String, { nullable: true, description: 'Campaign of `taskTarget`; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only projects of this enterprise.' })
  enterpriseId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only projects planned to end on or after this date.' })
  plannedEndFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only projects planned to end on or before this date.' })
  plannedEndTo?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only projects that actually ended on or after this date.' })
  actualEndFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only projects that actually ended on or before this date.' })
  actualEndTo?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only projects of this origin (e.g. RECORDED to leave out demo data).' })
  origin?: DataOrigin | null;
}

export enum RetrofitProjectOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  NAME = 'NAME',
  PLANNED_START_DATE = 'PLANNED_START_DATE',
  PLANNED_END_DATE = 'PLANNED_END_DATE',
  INVESTMENT_YUAN = 'INVESTMENT_YUAN',
}
registerEnumType(RetrofitProjectOrderField, {
  name: 'RetrofitProjectOrderField',
  description: 'Fields retrofit projects can be sorted by (ties are broken by id).',
  valuesConfig: {
    CREATED_AT: { description: 'When the project was recorded.' },
    UPDATED_AT: { description: 'When the project last changed.' },
    NAME: { description: 'Name of the project.' },
    PLANNED_START_DATE: { description: 'Planned start date.' },
    PLANNED_END_DATE: { description: 'Planned end date.' },
    INVESTMENT_YUAN: { description: 'Total investment.' },
  },
});

export const RetrofitProjectOrder = OrderInput<RetrofitProjectOrderField>('RetrofitProjectOrder', RetrofitProjectOrderField, 'Sort of retrofit project collections.');
export type RetrofitProjectOrder = InstanceType<typeof RetrofitProjectOrder>;

@InputType({ description: 'An amount of a project\'s investment funded by one source.' })
export class ProjectFundingInput {
  @Field(() => FundingSource, { description: 'Source of the funds; each source at most once per project.' })
  source!: FundingSource;

  @Field(() => Float, { description: `Amount in yuan, more than 0, at most 2 decimals and ${PROJECT_LIMITS.investmentYuan}.` })
  amountYuan!: number;
}

@InputType({ description: 'A new retrofit project.' })
export class CreateRetrofitProjectInput {
  @Field(() => String, { description: 'Slug of the city of the project, e.g. "tangshan".' })
  city!: string;

  @Field(() => ID, { nullable: true, description: 'Enterprise the project is carried out at; must be in the same city.' })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the task target the project counts toward, e.g. "COAL_HOUSEHOLDS"; its type must fit the target and its city lie in the target\'s scope.' })
  taskTarget?: string | null;

  @Field(() => String, { nullable: true, description: 'Campaign of `taskTarget`; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => String, { description: `Name of the project (at most ${PROJECT_LIMITS.nameLength} characters).` })
  name!: string;

  @Field(() => ProjectType, { description: 'Type of the project.' })
  type!: ProjectType;

  @Field(() => ProjectStatus, {
    nullable: true,
    description: 'Status to register the project with: PLANNED (default), IN_PROGRESS or COMPLETED (a project is VERIFIED only by an update of a COMPLETED one).',
  })
  status?: ProjectStatus | null;

  @Field(() => LocalDate, { description: 'Planned start date.' })
  plannedStartDate!: string;

  @Field(() => LocalDate, { description: 'Planned end date, not before the planned start.' })
  plannedEndDate!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Actual start date; required from IN_PROGRESS on, not in the future.' })
  actualStartDate?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Actual end date; required from COMPLETED on, not in the future nor before the actual start.' })
  actualEndDate?: string | null;

  @Field(() => Int, { nullable: true, description: `Households converted (0 to ${PROJECT_LIMITS.households}); default 0.` })
  households?: number | null;

  @Field(() => Int, { nullable: true, description: `Units treated or eliminated (0 to ${PROJECT_LIMITS.units}); default 0.` })
  units?: number | null;

  @Field(() => Float, { nullable: true, description: `Capacity in tonnes (0 to ${PROJECT_LIMITS.capacityTonnes}, 2 decimals); default 0.` })
  capacityTonnes?: number | null;

  @Field(() => Float, { nullable: true, description: `Total investment in yuan (0 to ${PROJECT_LIMITS.investmentYuan}, 2 decimals); default 0.` })
  investmentYuan?: number | null;

  @Field(() => [ProjectFundingInput], { nullable: true, description: 'Funding by source; the amounts must not add up to more than the investment.' })
  fundingSources?: ProjectFundingInput[] | null;
}

@InputType({ description: 'Changes to a retrofit project. Omitted fields keep their value; null clears an optional one.' })
export class UpdateRetrofitProjectInput {
  @Field(() => ID, { description: 'Id of the project.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the change is based on; when given and the project changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'Slug of the new city.' })
  city?: string | null;

  @Field(() => ID, { nullable: true, description: 'Enterprise (same city); null detaches the project from its enterprise.' })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the task target; null unlinks the project.' })
  taskTarget?: string | null;

  @Field(() => String, { nullable: true, description: 'Campaign of `taskTarget`; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => ProjectType, { nullable: true, description: 'New type.' })
  type?: ProjectType | null;

  @Field(() => ProjectStatus, { nullable: true, description: 'New status: only the next step of PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED.' })
  status?: ProjectStatus | null;

  @Field(() => LocalDate, { nullable: true, description: 'New planned start date.' })
  plannedStartDate?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'New planned end date.' })
  plannedEndDate?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Actual start date (required from IN_PROGRESS on).' })
  actualStartDate?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Actual end date (required from COMPLETED on).' })
  actualEndDate?: string | null;

  @Field(() => Int, { nullable: true, description: 'Households converted.' })
  households?: number | null;

  @Field(() => Int, { nullable: true, description: 'Units treated or eliminated.' })
  units?: number | null;

  @Field(() => Float, { nullable: true, description: 'Capacity in tonnes.' })
  capacityTonnes?: number | null;

  @Field(() => Float, { nullable: true, description: 'Total investment in yuan.' })
  investmentYuan?: number | null;

  @Field(() => [ProjectFundingInput], { nullable: true, description: 'Replaces every funding source of the project (an empty list removes them).' })
  fundingSources?: ProjectFundingInput[] | null;
}

@ObjectType({ description: 'Result of createRetrofitProject.' })
export class CreateRetrofitProjectPayload {
  @Field(() => RetrofitProject, { nullable: true, description: 'The new project; null when there are user errors.' })
  retrofitProject!: RetrofitProject | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of updateRetrofitProject.' })
export class UpdateRetrofitProjectPayload {
  @Field(() => RetrofitProject, { nullable: true, description: 'The changed project; null when there are user errors.' })
  retrofitProject!: RetrofitProject | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
