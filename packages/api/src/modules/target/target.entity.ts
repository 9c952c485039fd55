import { DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, TargetComparator, TaskTargetScope } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City, Province } from '../geography/geography.entity.js';

registerEnumType(TargetComparator, {
  name: 'TargetComparator',
  description: 'How the progress of a task target is compared with its quantity.',
  valuesConfig: {
    AT_LEAST: { description: 'Met when the achieved quantity is at least the target quantity.' },
    MORE_THAN: { description: 'Met when the achieved quantity is more than the target quantity.' },
    AT_MOST: { description: 'Met when the achieved quantity is at most the target quantity.' },
    DONE: { description: 'A task without a quantity: met once at least one counting project exists.' },
  },
});
registerEnumType(TaskTargetScope, {
  name: 'TaskTargetScope',
  description: 'Where a task target applies: the whole campaign area, one province or one city.',
});

/** Units a task target is measured in, and what of a project each one sums. */
export const TARGET_UNITS = ['household', 'unit', 'tonne', 'enterprise'] as const;
export type TargetUnit = (typeof TARGET_UNITS)[number];

@ObjectType({
  description:
    'A quantified task of a campaign with a deadline (e.g. 787,000 coal households before the heating season). Progress is computed from the retrofit projects linked to it, never typed in.',
})
@Entity({ tableName: 'task_target' })
@Unique({ properties: ['campaignId', 'code'] })
export class TaskTarget extends LedgerEntity {
  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => String, { description: 'Stable code, unique within the campaign, e.g. "COAL_HOUSEHOLDS".' })
  @Property({ type: 'text' })
  code!: string;

  @Field(() => String, { description: 'Chinese name, as in the plan.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English name.' })
  @Property({ type: 'text' })
  nameEn!: string;

  @Field(() => TargetComparator, { description: 'How progress is compared with the quantity.' })
  @Enum({ items: () => TargetComparator })
  comparator!: TargetComparator;

  @Field(() => Float, { nullable: true, description: 'Target quantity in `unit`; null for DONE targets.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(16,2)', precision: 16, scale: 2, nullable: true })
  quantity!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Unit of the quantity: "household" (sums households of projects), "unit" (sums units), "tonne" (sums capacity tonnes) or "enterprise" (counts distinct enterprises); null for DONE targets.',
  })
  @Property({ type: 'text', nullable: true })
  unit!: TargetUnit | null;

  @Field(() => LocalDate, { description: 'Last day a project may be completed on to count toward the target.' })
  @Property({ type: 'date' })
  deadline!: string;

  @Field(() => String, { nullable: true, description: 'How the plan words the deadline, where it says more than a date.' })
  @Property({ type: 'text', nullable: true })
  deadlineNote!: string | null;

  @Field(() => TaskTargetScope, { description: 'Where the target applies.' })
  @Enum({ items: () => TaskTargetScope })
  scope!: TaskTargetScope;

  @Index()
  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id', nullable: true })
  provinceId!: number | null;

  /** City key of city-scoped targets. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id', nullable: true })
  cityId!: number | null;

  @Field(() => DataOrigin, { description: 'PLAN when quoted from the campaign plan.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType('TaskTargetBreakdownItem', { description: 'The share of a task target assigned to one province or city, with its own progress.' })
@Entity({ tableName: 'task_target_breakdown' })
export class TaskTargetBreakdown extends LedgerEntity {
  @ManyToOne({ entity: () => TaskTarget, mapToPk: true, fieldName: 'task_target_id' })
  taskTargetId!: number;

  @Index()
  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id', nullable: true })
  provinceId!: number | null;

  /** City key where the share is a city's. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id', nullable: true })
  cityId!: number | null;

  @Field(() => Float, { description: 'Quantity assigned to the place, in the unit of the target.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(16,2)', precision: 16, scale: 2 })
  quantity!: number;
}
