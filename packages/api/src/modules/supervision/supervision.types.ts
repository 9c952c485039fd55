import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ClueSource, ClueStage, ClueTopic, DataOrigin, EnforcementActionKind, FraudListEntryKind, SpotCheckResult } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, Inspection, SupervisionRound } from './supervision.entity.js';

// ------------------------------------------------------------------ connections

@ObjectType({ description: 'A page of supervision rounds.' })
export class SupervisionRoundConnection extends ConnectionType(SupervisionRound) {}

@ObjectType({ description: 'A page of clues.' })
export class ClueConnection extends ConnectionType(Clue) {}

@ObjectType({ description: 'A page of enforcement actions.' })
export class EnforcementActionConnection extends ConnectionType(EnforcementAction) {}

@ObjectType({ description: 'A page of the published fraud list.' })
export class FraudListEntryConnection extends ConnectionType(FraudListEntry) {}

@ObjectType({ description: 'A page of inspections.' })
export class InspectionConnection extends ConnectionType(Inspection) {}

// ------------------------------------------------------------------ filters and sorts

@InputType({ description: 'Filter of supervision rounds. Combined with AND.' })
export class SupervisionRoundFilter {
  @Field(() => String, { nullable: true, description: 'Only rounds of the campaign with this code.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rounds pushed by the province with this slug.' })
  province?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only rounds of the ministry; false: only rounds of provinces.' })
  ministry?: boolean | null;
}

@InputType({ description: 'Filter of clue collections. Combined with AND.' })
export class ClueFilter extends PlaceFilter {
  @Field(() => [ClueStage], { nullable: true, description: 'Only clues at one of these stages.' })
  stages?: ClueStage[] | null;

  @Field(() => [ClueSource], { nullable: true, description: 'Only clues from one of these sources.' })
  sources?: ClueSource[] | null;

  @Field(() => [ClueTopic], { nullable: true, description: 'Only clues about one of these topics.' })
  topics?: ClueTopic[] | null;

  @Field(() => ID, { nullable: true, description: 'Only clues of this round.' })
  roundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only clues of this enterprise.' })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only clues of the campaign with this code.' })
  campaign?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only overdue clues (the watch list: not investigated by the round\'s due day, or not rectified by the rectification due day, China time); false: only the others.' })
  overdue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only clues whose spot check ever failed.' })
  spotCheckFailed?: boolean | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only clues of this origin (e.g. RECORDED to leave out demo data).' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Filter of the clues of one enterprise. Combined with AND.' })
export class EnterpriseClueFilter {
  @Field(() => [ClueStage], { nullable: true, description: 'Only clues at one of these stages.' })
  stages?: ClueStage[] | null;
}

export enum ClueOrderField {
  IDENTIFIED_AT = 'IDENTIFIED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ClueOrderField, {
  name: 'ClueOrderField',
  description: 'Fields clues can be sorted by (ties are broken by id).',
  valuesConfig: {
    IDENTIFIED_AT: { description: 'When the clue was identified.' },
    UPDATED_AT: { description: 'When the clue last changed.' },
  },
});
export const ClueOrder = OrderInput<ClueOrderField>('ClueOrder', ClueOrderField, 'Sort of clue collections.');
export type ClueOrder = InstanceType<typeof ClueOrder>;

@InputType({ description: 'Filter of enforcement actions. Combined with AND.' })
export class EnforcementActionFilter extends PlaceFilter {
  @Field(() => [EnforcementActionKind], { nullable: true, description: 'Only actions of these kinds.' })
  kinds?: EnforcementActionKind[] | null;

  @Field(() => ID, { nullable: true, description: 'Only actions on this clue.' })
  clueId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only publicised (true) or unpublicised (false) actions.' })
  publicised?: boolean | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only actions of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Filter of the published fraud list. Combined with AND.' })
export class FraudListFilter extends PlaceFilter {
  @Field(() => [FraudListEntryKind], { nullable: true, description: 'Only entries of these kinds.' })
  kinds?: FraudListEntryKind[] | null;

  @Field(() => String, { nullable: true, description: 'Only entries of the campaign with this code.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'Only entries whose name contains this text (case-insensitive).' })
  search?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only entries of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Filter of inspections. Combined with AND.' })
export class InspectionFilter extends PlaceFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: only inspections without a clue; false: only inspections following a clue.' })
  withoutClue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Only inspections of enterprises on (true) or off (false) the positive list at the time.' })
  positiveList?: boolean | null;
}

// ------------------------------------------------------------------ computed figures

@ObjectType({ description: 'Supervision figures of a city, province or region for a campaign, computed in SQL from the clues, their steps and actions.' })
export class ClueStats {
  @Field(() => Int, { description: 'Clues pushed or recorded.' })
  cluesPushed!: number;

  @Field(() => Int, { description: 'Clues still open (not CLOSED nor CLOSED_UNFOUNDED).' })
  openClues!: number;

  @Field(() => Float, { nullable: true, description: 'Confirmed clues / investigated clues (confirmed or found unfounded), 0..1; null before any investigation ended.' })
  confirmationRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Rectifications reported by their due day / rectifications due by today or reported, 0..1; null when none is due.' })
  onTimeRectificationRate!: number | null;

  @Field(() => Int, { description: 'Clues overdue today (the watch list).' })
  overdueClues!: number;

  @Field(() => Int, { nullable: true, description: 'Most days overdue among the overdue clues; null when none is overdue.' })
  maxDaysOverdue!: number | null;

  @Field(() => Int, { description: 'Clues with a spot-check result.' })
  spotChecked!: number;

  @Field(() => Float, { nullable: true, description: 'Spot-checked clues whose spot check ever failed (NOT_REAL, RECTIFICATION_FAILED) / spot-checked clues, 0..1; null without spot checks. Cities with a high rate get more spot checks.' })
  spotCheckFailureRate!: number | null;

  @Field(() => [StageDuration], { description: 'Median days spent in each stage, over the completed stays in it (stages before a closing), in the order of the loop.' })
  medianDaysPerStage!: StageDuration[];

  @Field(() => [ActionCount], { description: 'Enforcement actions by kind, every kind listed (zeros included).' })
  actionsByKind!: ActionCount[];

  @Field(() => Float, { description: 'Sum of the fines in yuan.' })
  finesYuan!: number;

  @Field(() => Int, { description: 'Inspections of positive-list enterprises without a clue (无事不扰: each needed a reason).' })
  positiveListInspectionsWithoutClue!: number;

  @Field(() => Int, { description: 'Confirmed falsifications of monitoring data.' })
  falsifications!: number;

  @Field(() => Boolean, { description: 'Whether the assessment of the city (province, region: of any of its cities) for the campaign is marked unqualified (考核结果直接认定为不合格) for falsified monitoring data.' })
  assessmentUnqualified!: boolean;
}

@ObjectType({ description: 'An entry of the watch list of overdue clues: past its due day and not closed.' })
export class OverdueClue {
  @Field(() => Clue, { description: 'The clue.' })
  clue!: Clue;

  @Field(() => LocalDate, { description: 'The day it was due: the round\'s due day while investigated, the rectification due day while RECTIFYING.' })
  dueOn!: string;

  @Field(() => Int, { description: 'Days past the due day (today in China minus dueOn).' })
  daysOverdue!: number;
}

@ObjectType({ description: 'Median days a clue spends in a stage.' })
export class StageDuration {
  @Field(() => ClueStage, { description: 'The stage.' })
  stage!: ClueStage;

  @Field(() => Float, { nullable: true, description: 'Median days (interpolated) over the completed stays in the stage; null without one.' })
  medianDays!: number | null;

  @Field(() => Int, { description: 'Completed stays in the stage counted.' })
  stays!: number;
}

@ObjectType({ description: 'Number of enforcement actions of a kind.' })
export class ActionCount {
  @Field(() => EnforcementActionKind, { description: 'The kind.' })
  kind!: EnforcementActionKind;

  @Field(() => Int, { description: 'Number of actions.' })
  count!: number;
}

// ------------------------------------------------------------------ inputs

@InputType({ description: 'A new supervision round. The ministry pushes rounds to any city; a province to its own cities.' })
export class CreateSupervisionRoundInput {
  @Field(() => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the pushing province; omitted: a round of the ministry. A PROVINCE key pushes rounds of its own province only.' })
  province?: string | null;

  @Field(() => Int, { description: 'Number of the round (1 to 999), unique per campaign and pusher.' })
  number!: number;

  @Field(() => String, { description: 'Title (at most 200 characters).' })
  title!: string;

  @Field(() => LocalDate, { description: 'Day the round is pushed (not in the future).' })
  pushedOn!: string;

  @Field(() => LocalDate, { description: 'Day by which its clues must be investigated (not before pushedOn).' })
  dueOn!: string;
}

@InputType({ description: 'A new clue (stage IDENTIFIED).' })
export class RecordClueInput {
  @Field(() => String, { description: 'Slug of the city of the clue.' })
  city!: string;

  @Field(() => ID, { nullable: true, description: 'Round that pushes the clue; only its pusher (the ministry, or the province for its cities) adds clues to it. Omitted: a clue of the city\'s own (e.g. a complaint).' })
  roundId?: string | null;

  @Field(() => String, { nullable: true, description: 'Campaign of a clue without a round (code); default: the latest campaign. A clue in a round has the round\'s campaign.' })
  campaign?: string | null;

  @Field(() => ID, { nullable: true, description: 'Enterprise the clue is about (same city); give it or a location.' })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Location of a clue without an enterprise (at most 500 characters).' })
  location?: string | null;

  @Field(() => ClueSource, { description: 'Where the clue came from.' })
  source!: ClueSource;

  @Field(() => ClueTopic, { description: 'What it is about.' })
  topic!: ClueTopic;

  @Field(() => String, { description: 'Evidence note (at most 4,000 characters).' })
  evidence!: string;
}

@InputType({ description: 'A step of a clue that needs nothing but an optional note.' })
export class ClueStepInput {
  @Field(() => ID, { description: 'Id of the clue.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the step is based on; when given and the clue changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'Note of the step (at most 4,000 characters).' })
  note?: string | null;
}

@InputType({ description: 'Confirmation of a clue after investigation: the problem is real and must be rectified by a day.' })
export class ConfirmClueInput extends ClueStepInput {
  @Field(() => LocalDate, { description: 'Day by which the rectification is due (not before today, China time).' })
  rectificationDue!: string;
}

@InputType({ description: 'Closing of a clue found unfounded after investigation.' })
export class CloseClueUnfoundedInput {
  @Field(() => ID, { description: 'Id of the clue.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the step is based on; when given and the clue changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => String, { description: 'Why the clue is unfounded (required, at most 4,000 characters).' })
  note!: string;
}

@InputType({ description: 'The result of a clue\'s spot check.' })
export class RecordClueSpotCheckResultInput extends ClueStepInput {
  @Field(() => SpotCheckResult, { description: 'PASSED closes the clue; NOT_REAL reopens it to INVESTIGATING; RECTIFICATION_FAILED reopens it to RECTIFYING.' })
  result!: SpotCheckResult;

  @Field(() => LocalDate, { nullable: true, description: 'New rectification due day; required with RECTIFICATION_FAILED, refused otherwise.' })
  rectificationDue?: string | null;
}

@InputType({ description: 'An institution named by a falsification finding.' })
export class FraudInstitutionInput {
  @Field(() => String, { description: 'Name of the monitoring or testing institution.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its unified social credit code, where known.' })
  creditCode?: string | null;
}

@InputType({ description: 'A person named by a falsification finding.' })
export class FraudPersonInput {
  @Field(() => String, { description: 'Name of the person.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The enterprise or institution they acted for.' })
  affiliation?: string | null;
}

@InputType({ description: 'A confirmed falsification of monitoring data found through a confirmed clue of an enterprise.' })
export class RecordFalsificationInput {
  @Field(() => ID, { description: 'Id of the clue (confirmed, with an enterprise; one finding per clue).' })
  clueId!: string;

  @Field(() => String, { description: 'Authority that decided the finding (at most 500 characters).' })
  decidedBy!: string;

  @Field(() => String, { nullable: true, description: 'Note (what was falsified, how).' })
  note?: string | null;

  @Field(() => [FraudInstitutionInput], { nullable: true, description: 'Monitoring or testing institutions named (each goes on the fraud list).' })
  institutions?: FraudInstitutionInput[] | null;

  @Field(() => [FraudPersonInput], { nullable: true, description: 'Persons named (each goes on the fraud list).' })
  persons?: FraudPersonInput[] | null;
}

@InputType({ description: 'An enforcement action on a confirmed clue.' })
export class RecordEnforcementActionInput {
  @Field(() => ID, { description: 'Id of the clue (confirmed: RECTIFYING or later, not unfounded).' })
  clueId!: string;

  @Field(() => EnforcementActionKind, { description: 'Kind of action; TOLERANT_CORRECTION is refused for a clue with a falsification finding.' })
  kind!: EnforcementActionKind;

  @Field(() => Float, { nullable: true, description: 'Amount of a FINE in yuan (more than 0, at most 100,000,000, 2 decimals); refused for other kinds.' })
  fineYuan?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the action is publicised (公开曝光); default false.' })
  publicised?: boolean | null;

  @Field(() => LocalDate, { description: 'Day of the decision (not in the future).' })
  decidedOn!: string;

  @Field(() => String, { description: 'Authority that decided it (at most 500 characters).' })
  decidedBy!: string;

  @Field(() => String, { nullable: true, description: 'Note (violation, decision number).' })
  note?: string | null;
}

@InputType({ description: 'Publicising an enforcement action.' })
export class PubliciseEnforcementActionInput {
  @Field(() => ID, { description: 'Id of the action.' })
  id!: string;
}

@InputType({ description: 'An on-site inspection of an enterprise.' })
export class RecordInspectionInput {
  @Field(() => ID, { description: 'Id of the enterprise.' })
  enterpriseId!: string;

  @Field(() => ID, { nullable: true, description: 'Clue the inspection follows (of the same enterprise).' })
  clueId?: string | null;

  @Field(() => LocalDate, { description: 'Day of the inspection (not in the future).' })
  inspectedOn!: string;

  @Field(() => String, { nullable: true, description: '无事不扰: why a positive-list enterprise is inspected without a clue; required then.' })
  reasonWithoutClue?: string | null;

  @Field(() => String, { nullable: true, description: 'Note (findings).' })
  note?: string | null;
}

// ------------------------------------------------------------------ payloads

@ObjectType({ description: 'Result of createSupervisionRound.' })
export class CreateSupervisionRoundPayload {
  @Field(() => SupervisionRound, { nullable: true, description: 'The new round; null when there are user errors.' })
  supervisionRound!: SupervisionRound | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a clue mutation (recording or a step).' })
export class CluePayload {
  @Field(() => Clue, { nullable: true, description: 'The clue after the change; null when there are user errors.' })
  clue!: Clue | null;

  @Field(() => ClueStep, { nullable: true, description: 'The step recorded; null when there are user errors.' })
  step!: ClueStep | null;

  @Field(() => [UserError], { description: 'Problems with the input, naming the rule broken; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of recordFalsification.' })
export class RecordFalsificationPayload {
  @Field(() => FalsificationFinding, { nullable: true, description: 'The finding; null when there are user errors (then nothing of it was written).' })
  falsificationFinding!: FalsificationFinding | null;

  @Field(() => Enterprise, { nullable: true, description: 'The enterprise after the consequences (grade D, benefits withdrawn).' })
  enterprise!: Enterprise | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of an enforcement action mutation.' })
export class EnforcementActionPayload {
  @Field(() => EnforcementAction, { nullable: true, description: 'The action; null when there are user errors.' })
  enforcementAction!: EnforcementAction | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of recordInspection.' })
export class RecordInspectionPayload {
  @Field(() => Inspection, { nullable: true, description: 'The inspection; null when there are user errors.' })
  inspection!: Inspection | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
