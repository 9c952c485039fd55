import { DecimalType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ClueSource, ClueStage, ClueTopic, DataOrigin, EnforcementActionKind, FraudListEntryKind, SpotCheckResult } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { City, Province } from '../geography/geography.entity.js';

registerEnumType(ClueStage, {
  name: 'ClueStage',
  description: 'Stage of a clue in the closed loop 识别线索、排查整改、调度督办、抽查复核; it moves one step at a time.',
  valuesConfig: {
    IDENTIFIED: { description: '识别线索: pushed to (or recorded by) the city; not yet investigated.' },
    INVESTIGATING: { description: '排查: the city is investigating on site.' },
    RECTIFYING: { description: '整改: the problem is confirmed and being rectified by a due date.' },
    SUPERVISED: { description: '调度督办: the city reported the rectification; the supervising level follows it up (closes it or selects it for a spot check).' },
    SPOT_CHECK: { description: '抽查复核: selected for a spot check; it cannot close without the result.' },
    CLOSED: { description: 'Closed: rectified (and, when spot-checked, the check passed).' },
    CLOSED_UNFOUNDED: { description: 'Closed after investigation: the clue was unfounded (no problem found).' },
  },
});
registerEnumType(ClueSource, {
  name: 'ClueSource',
  description: 'Where a clue came from.',
  valuesConfig: {
    SATELLITE_HOTSPOT: { description: 'Satellite remote-sensing hotspot (高值区、冒泡区).' },
    ONLINE_MONITORING_ANOMALY: { description: 'Anomaly of automatic online monitoring data (在线数据异常).' },
    POWER_USE_ANOMALY: { description: 'Anomaly of energy or power use (用能用电监控).' },
    STRAW_FIRE_POINT: { description: 'Straw fire point detected by satellite (秸秆焚烧火点).' },
    EMERGENCY_CHECK_FAILURE: { description: 'An enterprise found not applying its emergency emission cuts during a heavy-pollution warning.' },
    COMPLAINT: { description: 'Public complaint or report (信访举报).' },
    ON_SITE_FINDING: { description: 'Found by inspectors on site.' },
  },
});
registerEnumType(ClueTopic, {
  name: 'ClueTopic',
  description: 'What a clue is about: the differentiated supervision tasks of the plan.',
  valuesConfig: {
    HEAVY_POLLUTION_RESPONSE: { description: 'Heavy-pollution weather response (重污染天气应对).' },
    KEY_ENTERPRISE_GOVERNANCE: { description: 'Pollution control of key enterprises (重点企业治理).' },
    SELF_MONITORING_DATA: { description: 'Self-monitoring data (自行监测), including falsification.' },
    LOOSE_COAL: { description: 'Loose coal (散煤治理).' },
    DUST: { description: 'Dust control (扬尘管控).' },
    STRAW_BURNING: { description: 'Straw burning (秸秆焚烧).' },
  },
});
registerEnumType(SpotCheckResult, {
  name: 'SpotCheckResult',
  description: 'Result of the spot check (抽查复核) of a clue.',
  valuesConfig: {
    PASSED: { description: 'The investigation and rectification hold: the clue closes.' },
    NOT_REAL: { description: '排查不实: the investigation was not real; the clue reopens to INVESTIGATING.' },
    RECTIFICATION_FAILED: { description: '整改不力: the rectification failed; the clue reopens to RECTIFYING with a new due date.' },
  },
});
registerEnumType(EnforcementActionKind, {
  name: 'EnforcementActionKind',
  description: 'Kind of an enforcement action, from informal to formal (after the informal / formal split of EPA ICIS).',
  valuesConfig: {
    TOLERANT_CORRECTION: { description: '审慎包容: a minor violation corrected at once, no penalty (informal).' },
    CORRECTION_ORDER: { description: '责令改正: an order to correct.' },
    FINE: { description: '罚款: a fine, with its amount.' },
    PRODUCTION_RESTRICTION: { description: '限产停产: restriction or suspension of production.' },
    POLICE_TRANSFER: { description: '移送公安: the case is transferred to the police.' },
  },
});
registerEnumType(FraudListEntryKind, {
  name: 'FraudListEntryKind',
  description: 'Who an entry of the published list of falsified monitoring data names.',
  valuesConfig: {
    ENTERPRISE: { description: 'The enterprise (单位) whose monitoring data was falsified.' },
    INSTITUTION: { description: 'A monitoring or testing institution (机构) involved.' },
    PERSON: { description: 'A person (人员) involved.' },
  },
});

@ObjectType({ description: 'A round (轮次) of clues pushed by the ministry or a province to city inspection groups, with its dates.' })
@Entity({ tableName: 'supervision_round' })
export class SupervisionRound extends LedgerEntity {
  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  /** Province that pushed the round; null for a round of the ministry. */
  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id', nullable: true })
  provinceId!: number | null;

  @Field(() => Int, { description: 'Number of the round within the campaign and its pusher (1, 2, ...).' })
  @Property({ type: 'integer' })
  number!: number;

  @Field(() => String, { description: 'Title of the round, e.g. 第3轮 秋冬季攻坚监督帮扶.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => LocalDate, { description: 'Day the round was pushed.' })
  @Property({ type: 'date' })
  pushedOn!: string;

  @Field(() => LocalDate, { description: 'Day by which the cities must have investigated the round\'s clues (confirmed or found unfounded).' })
  @Property({ type: 'date' })
  dueOn!: string;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'An enforcement clue (线索) of a city: where it came from, what it is about, and its stage in the closed loop, each step dated and attributed.' })
@Entity({ tableName: 'clue' })
export class Clue extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @ManyToOne({ entity: () => SupervisionRound, mapToPk: true, fieldName: 'round_id', nullable: true })
  roundId!: number | null;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @Field(() => String, { nullable: true, description: 'Location of a clue without an enterprise (a village, a construction site, a field).' })
  @Property({ type: 'text', nullable: true })
  location!: string | null;

  @Field(() => ClueSource, { description: 'Where the clue came from.' })
  @Enum({ items: () => ClueSource })
  source!: ClueSource;

  @Field(() => ClueTopic, { description: 'What the clue is about.' })
  @Enum({ items: () => ClueTopic })
  topic!: ClueTopic;

  @Field(() => String, { description: 'Evidence note (what was observed, e.g. the anomaly of the monitoring data).' })
  @Property({ type: 'text' })
  evidence!: string;

  @Field(() => ClueStage, { description: 'Current stage.' })
  @Enum({ items: () => ClueStage })
  stage!: ClueStage;

  @Field(() => Date, { description: 'When the clue was identified (recorded or pushed).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  identifiedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the clue last entered INVESTIGATING.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  investigatingAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clue last entered RECTIFYING (confirmed, or reopened by a failed rectification).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  rectifyingAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clue last entered SUPERVISED (the rectification was reported).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  supervisedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clue last entered SPOT_CHECK.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  spotCheckAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clue was closed (CLOSED or CLOSED_UNFOUNDED); null while open.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  closedAt!: Date | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day by which the rectification is due (set on confirmation, renewed when a spot check finds it failed).' })
  @Property({ type: 'date', nullable: true })
  rectificationDue!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the investigation confirmed the problem; false: it was unfounded; null: not investigated yet.' })
  @Property({ type: 'boolean', nullable: true })
  confirmed!: boolean | null;

  @Field(() => SpotCheckResult, { nullable: true, description: 'Result of the latest spot check; null when never spot-checked.' })
  @Enum({ items: () => SpotCheckResult, nullable: true })
  spotCheckResult!: SpotCheckResult | null;

  @Field(() => Boolean, { description: 'Whether a spot check of the clue ever found it NOT_REAL or RECTIFICATION_FAILED.' })
  @Property({ type: 'boolean' })
  spotCheckFailed: boolean = false;

  @Field(() => Int, { description: 'How many times a failed spot check reopened the clue.' })
  @Property({ type: 'integer' })
  reopenCount: number = 0;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every step.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'One step of a clue from a stage to the next: when, by whom (createdBy and role) and why. Append-only.' })
@Entity({ tableName: 'clue_step' })
export class ClueStep extends LedgerEntity {
  @ManyToOne({ entity: () => Clue, mapToPk: true, fieldName: 'clue_id' })
  clueId!: number;

  /** City key (the clue's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => Int, { description: 'Position of the step in the clue\'s history (1: identification).' })
  @Property({ type: 'integer' })
  seq!: number;

  @Field(() => ClueStage, { nullable: true, description: 'Stage before the step; null for the identification.' })
  @Enum({ items: () => ClueStage, nullable: true })
  fromStage!: ClueStage | null;

  @Field(() => ClueStage, { description: 'Stage the step entered.' })
  @Enum({ items: () => ClueStage })
  toStage!: ClueStage;

  @Field(() => Date, { description: 'When the stage was entered.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  enteredAt!: Date;

  @Field(() => String, { description: 'Role of the actor who took the step (MINISTRY, PROVINCE, CITY, SYSTEM).' })
  @Property({ type: 'text' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'Note of the step (finding, reason, result).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => SpotCheckResult, { nullable: true, description: 'The spot-check result the step recorded, if any.' })
  @Enum({ items: () => SpotCheckResult, nullable: true })
  spotCheckResult!: SpotCheckResult | null;

  @Field(() => LocalDate, { nullable: true, description: 'Rectification due date the step set, if any.' })
  @Property({ type: 'date', nullable: true })
  rectificationDue!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType({ description: 'An enforcement action taken on a clue: from a tolerant correction to a transfer to the police; publicised or not.' })
@Entity({ tableName: 'enforcement_action' })
export class EnforcementAction extends LedgerEntity {
  @ManyToOne({ entity: () => Clue, mapToPk: true, fieldName: 'clue_id' })
  clueId!: number;

  /** City key (the clue's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @Field(() => EnforcementActionKind, { description: 'Kind of action.' })
  @Enum({ items: () => EnforcementActionKind })
  kind!: EnforcementActionKind;

  @Field(() => Float, { nullable: true, description: 'Amount of a FINE in yuan (2 decimals); null for other kinds.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(14,2)', nullable: true })
  fineYuan!: number | null;

  @Field(() => Boolean, { description: 'Whether the action was publicised (公开曝光).' })
  @Property({ type: 'boolean' })
  publicised: boolean = false;

  @Field(() => LocalDate, { description: 'Day of the decision.' })
  @Property({ type: 'date' })
  decidedOn!: string;

  @Field(() => String, { description: 'Authority that decided it.' })
  @Property({ type: 'text' })
  decidedBy!: string;

  @Field(() => String, { nullable: true, description: 'Note (the violation, the decision number).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({
  description:
    'A confirmed falsification of monitoring data found through a clue, and what it entailed in the same transaction: a grade change to D (FALSIFIED_MONITORING), benchmark and positive list withdrawn, new subsidy disbursements blocked, fraud list entries, and the city\'s assessment for the campaign marked unqualified.',
})
@Entity({ tableName: 'falsification_finding' })
export class FalsificationFinding extends LedgerEntity {
  @ManyToOne({ entity: () => Clue, mapToPk: true, fieldName: 'clue_id' })
  clueId!: number;

  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  @ManyToOne({ entity: () => GradeChange, mapToPk: true, fieldName: 'grade_change_id' })
  gradeChangeId!: number;

  @Field(() => Boolean, { description: 'Whether the enterprise lost its benchmark (标杆) status by it.' })
  @Property({ type: 'boolean' })
  benchmarkWithdrawn!: boolean;

  @Field(() => Boolean, { description: 'Whether the enterprise lost its place on the positive list (正面清单) by it.' })
  @Property({ type: 'boolean' })
  positiveListWithdrawn!: boolean;

  @Field(() => String, { description: 'Authority that decided the finding.' })
  @Property({ type: 'text' })
  decidedBy!: string;

  @Field(() => Date, { description: 'When the finding was recorded.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  decidedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Note (what was falsified, how).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType({ description: 'An entry of the published list of institutions, units and persons that interfered with, tampered with or forged monitoring data (依法公开名单).' })
@Entity({ tableName: 'fraud_list_entry' })
export class FraudListEntry extends LedgerEntity {
  @ManyToOne({ entity: () => FalsificationFinding, mapToPk: true, fieldName: 'finding_id' })
  findingId!: number;

  /** City key (the city of the case). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Field(() => FraudListEntryKind, { description: 'Whether the entry names the enterprise, an institution or a person.' })
  @Enum({ items: () => FraudListEntryKind })
  kind!: FraudListEntryKind;

  @Field(() => String, { description: 'Name of the enterprise, institution or person.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Unified social credit code of an enterprise or institution, where known.' })
  @Property({ type: 'text', nullable: true })
  creditCode!: string | null;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @Field(() => String, { nullable: true, description: 'For a person: the enterprise or institution they acted for.' })
  @Property({ type: 'text', nullable: true })
  affiliation!: string | null;

  @Field(() => LocalDate, { description: 'Day the entry was put on the list.' })
  @Property({ type: 'date' })
  listedOn!: string;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

/** A block of new subsidy disbursements to an enterprise (a consequence of a falsification finding). */
@Entity({ tableName: 'subsidy_block' })
export class SubsidyBlock extends LedgerEntity {
  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => FalsificationFinding, mapToPk: true, fieldName: 'finding_id' })
  findingId!: number;

  @Property({ type: 'date' })
  blockedOn!: string;

  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

/** A city's assessment for a campaign marked unqualified (考核结果直接认定为不合格). */
@Entity({ tableName: 'city_assessment_verdict' })
export class CityAssessmentVerdict extends LedgerEntity {
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @Property({ type: 'text' })
  verdict!: string;

  @Property({ type: 'text' })
  reason!: string;

  @ManyToOne({ entity: () => FalsificationFinding, mapToPk: true, fieldName: 'finding_id' })
  findingId!: number;

  @Property({ type: 'date' })
  decidedOn!: string;

  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}

@ObjectType({ description: 'An on-site inspection of an enterprise. A positive-list enterprise is inspected without a clue only with a reason (无事不扰), and such inspections are counted.' })
@Entity({ tableName: 'inspection' })
export class Inspection extends LedgerEntity {
  /** City key (the enterprise's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @ManyToOne({ entity: () => Campaign, mapToPk: true, fieldName: 'campaign_id' })
  campaignId!: number;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  @ManyToOne({ entity: () => Clue, mapToPk: true, fieldName: 'clue_id', nullable: true })
  clueId!: number | null;

  @Field(() => LocalDate, { description: 'Day of the inspection.' })
  @Property({ type: 'date' })
  inspectedOn!: string;

  @Field(() => Boolean, { description: 'Whether the enterprise was on the positive list at the time.' })
  @Property({ type: 'boolean' })
  positiveList!: boolean;

  @Field(() => String, { nullable: true, description: 'Why a positive-list enterprise was inspected without a clue (required then).' })
  @Property({ type: 'text', nullable: true })
  reasonWithoutClue!: string | null;

  @Field(() => String, { nullable: true, description: 'Note (findings).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}
