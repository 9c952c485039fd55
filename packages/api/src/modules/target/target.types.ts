import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TaskTargetScope } from '@airledger/schema';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { TaskTarget } from './target.entity.js';

@ObjectType({ description: 'A page of task targets.' })
export class TaskTargetConnection extends ConnectionType(TaskTarget) {}

@ObjectType({
  description:
    'Progress toward a task target (or one share of its breakdown), computed from the projects linked to it that were COMPLETED or VERIFIED with an actual end date on or before the deadline.',
})
export class TaskTargetProgress {
  @Field(() => Float, {
    description:
      'Achieved quantity in the unit of the target: households, units or tonnes summed over the counting projects, or distinct enterprises (a project without an enterprise counts as one). For DONE targets, the number of counting projects.',
  })
  achieved!: number;

  @Field(() => Float, { nullable: true, description: 'achieved / quantity * 100, rounded to 2 decimals; null for DONE targets.' })
  percent!: number | null;

  @Field(() => Boolean, { description: 'Whether the target is met under its comparator (DONE: at least one counting project).' })
  met!: boolean;

  @Field(() => Int, { description: 'Number of projects that count toward the target.' })
  countedProjects!: number;
}

@InputType({ description: 'Filter of the task targets collection. Conditions are combined with AND.' })
export class TaskTargetFilter {
  @Field(() => String, { nullable: true, description: 'Only targets of the campaign with this code; default: every campaign.' })
  campaign?: string | null;

  @Field(() => [TaskTargetScope], { nullable: true, description: 'Only targets with one of these scopes.' })
  scopes?: TaskTargetScope[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only targets assigned to the province with this slug: province-scoped targets of the province, city-scoped targets of its cities, and targets whose breakdown gives it a share.',
  })
  province?: string | null;
}

export enum TaskTargetOrderField {
  CREATED_AT = 'CREATED_AT',
  CODE = 'CODE',
  DEADLINE = 'DEADLINE',
}
registerEnumType(TaskTargetOrderField, {
  name: 'TaskTargetOrderField',
  description: 'Fields task targets can be sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'When the target was recorded (the plan\'s targets keep the plan\'s order).' },
    CODE: { description: 'Code of the target.' },
    DEADLINE: { description: 'Deadline of the target.' },
  },
});

export const TaskTargetOrder = OrderInput<TaskTargetOrderField>('TaskTargetOrder', TaskTargetOrderField, 'Sort of the task targets collection.');
export type TaskTargetOrder = InstanceType<typeof TaskTargetOrder>;
