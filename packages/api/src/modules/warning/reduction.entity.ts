import { DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, EmergencyMeasure, GradeProposalStatus, MeasureCheckMethod, MeasureCheckResult, PerformanceGrade } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { Warning } from './warning.entity.js';

registerEnumType(EmergencyMeasure, {
  name: 'EmergencyMeasure',
  description: 'The measure a listed enterprise takes at a warning level (应急减排措施).',
  valuesConfig: {
    SELF_DETERMINED: { description: 'Self-determined cuts (自主减排): grades A and LEADING only.' },
    STAGGER: { description: 'Staggered production (错峰生产).' },
    LIMIT_PRODUCTION: { description: 'Production limited to a share of capacity (限产).' },
    STOP_LINES: { description: 'Some production lines stopped (停止部分生产线).' },
    STOP_PRODUCTION: { description: 'Production stopped (停产).' },
    PROTECTED_EXEMPT: { description: 'Protected-class exemption (保障类): needs the ministry filing of the enterprise on record.' },
  },
});
registerEnumType(MeasureCheckMethod, {
  name: 'MeasureCheckMethod',
  description: 'How a measure check (督查) was made.',
  valuesConfig: {
    ON_SITE: { description: 'On-site inspection.' },
    POWER_USE: { description: 'Power-use (用电量) monitoring.' },
    ONLINE_MONITORING: { description: 'Online emission monitoring.' },
  },
});
registerEnumType(MeasureCheckResult, {
  name: 'MeasureCheckResult',
  description: 'Outcome of a measure check.',
  valuesConfig: {
    PASSED: { description: 'The enterprise applied its measure.' },
    FAILED: { description: 'It did not (落实不到位): a grade change FAILED_EMERGENCY_CUTS is proposed.' },
  },
});
registerEnumType(GradeProposalStatus, {
  name: 'GradeProposalStatus',
  description: 'Where the grade change proposed by a failed check stands.',
  valuesConfig: {
    PROPOSED: { description: 'Proposed, not decided yet.' },
    ACCEPTED: { description: 'Accepted: the grade change (reason FAILED_EMERGENCY_CUTS) is recorded and linked.' },
    REJECTED: { description: 'Rejected by the deciding authority.' },
  },
});

const tonnes = (fieldName: string) => ({ fieldName, type: new DecimalType('number'), columnType: 'numeric(12,4)', precision: 12, scale: 4 });
const percent = () => ({ type: new DecimalType('number'), columnType: 'numeric(5,2)', precision: 5, scale: 2 });

@ObjectType({
  description:
    'An entry of the emergency reduction list (应急减排清单) of a city and campaign: one enterprise, its grade at listing, protected-class exemption, baseline emissions (t/day) and its measure and cut (percent of its baseline) at each warning level.',
})
@Entity({ tableName: 'reduction_list_entry' })
@Unique({ properties: ['campaignId', 'enterpriseId'] })
export class ReductionListEntry extends LedgerEntity {
  /** City key (the enterprise's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  @Field(() => PerformanceGrade, { nullable: true, description: 'The enterprise\'s grade when listed; null when ungraded (treated as D by the rules).' })
  @Enum({ items: () => PerformanceGrade, nullable: true })
  gradeAtListing!: PerformanceGrade | null;

  @Field(() => Boolean, { description: 'Whether the entry claims the protected-class exemption (needs the enterprise\'s ministry filing, MINISTRY_FILED).' })
  @Property({ type: 'boolean' })
  protectedExempt: boolean = false;

  @Field(() => Float, { description: 'Baseline SO2 emissions, t/day.' })
  @Property(tonnes('so2_baseline'))
  so2Baseline: number = 0;

  @Field(() => Float, { description: 'Baseline NOx emissions, t/day.' })
  @Property(tonnes('nox_baseline'))
  noxBaseline: number = 0;

  @Field(() => Float, { description: 'Baseline particulate matter emissions, t/day.' })
  @Property(tonnes('pm_baseline'))
  pmBaseline: number = 0;

  @Field(() => Float, { description: 'Baseline VOCs emissions, t/day.' })
  @Property(tonnes('vocs_baseline'))
  vocsBaseline: number = 0;

  @Field(() => EmergencyMeasure, { description: 'Measure under a YELLOW warning.' })
  @Enum({ items: () => EmergencyMeasure })
  yellowMeasure!: EmergencyMeasure;

  @Field(() => Float, { description: 'Cut under YELLOW, percent of the baseline (0-100).' })
  @Property(percent())
  yellowCutPercent: number = 0;

  @Field(() => EmergencyMeasure, { description: 'Measure under an ORANGE warning.' })
  @Enum({ items: () => EmergencyMeasure })
  orangeMeasure!: EmergencyMeasure;

  @Field(() => Float, { description: 'Cut under ORANGE, percent of the baseline (0-100).' })
  @Property(percent())
  orangeCutPercent: number = 0;

  @Field(() => EmergencyMeasure, { description: 'Measure under a RED warning.' })
  @Enum({ items: () => EmergencyMeasure })
  redMeasure!: EmergencyMeasure;

  @Field(() => Float, { description: 'Cut under RED, percent of the baseline (0-100).' })
  @Property(percent())
  redCutPercent: number = 0;

  @Field(() => String, { nullable: true, description: 'What the measures are concretely (lines, share of capacity, hours).' })
  @Property({ type: 'text', nullable: true })
  measureNote!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'A measure check (督查) of a listed enterprise during a warning: how, when, by whom, the result, and the grade change a failure proposes.' })
@Entity({ tableName: 'measure_check' })
export class MeasureCheck extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Warning, mapToPk: true, fieldName: 'warning_id' })
  warningId!: number;

  @ManyToOne({ entity: () => ReductionListEntry, mapToPk: true, fieldName: 'entry_id' })
  entryId!: number;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  @Field(() => Date, { description: 'When the check was made (while the warning was in force).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  checkedAt!: Date;

  @Field(() => MeasureCheckMethod, { description: 'How.' })
  @Enum({ items: () => MeasureCheckMethod })
  method!: MeasureCheckMethod;

  @Field(() => MeasureCheckResult, { description: 'Result.' })
  @Enum({ items: () => MeasureCheckResult })
  result!: MeasureCheckResult;

  @Field(() => String, { nullable: true, description: 'What was found.' })
  @Property({ type: 'text', nullable: true })
  finding!: string | null;

  @Field(() => String, { description: 'Inspecting team or person.' })
  @Property({ type: 'text' })
  inspector!: string;

  @Field(() => PerformanceGrade, { nullable: true, description: 'Grade a failure proposes (one step down from the grade at the check; D for an ungraded enterprise); null when passed or already D.' })
  @Enum({ items: () => PerformanceGrade, nullable: true })
  proposedGrade!: PerformanceGrade | null;

  @Field(() => GradeProposalStatus, { nullable: true, description: 'Where the proposal stands; null when there is none.' })
  @Enum({ items: () => GradeProposalStatus, nullable: true })
  proposalStatus!: GradeProposalStatus | null;

  @ManyToOne({ entity: () => GradeChange, mapToPk: true, fieldName: 'grade_change_id', nullable: true })
  gradeChangeId!: number | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
