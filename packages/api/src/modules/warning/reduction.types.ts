import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { EmergencyMeasure, MeasureCheckMethod, MeasureCheckResult, WarningLevel } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { GradeChange } from '../enterprise/enterprise.entity.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { Warning } from './warning.entity.js';

/** Entries per call of setReductionListEntries. */
export const MAX_ENTRIES_PER_BATCH = 2000;
/** Entries of one list (a city and campaign) an import writes with one call (the list's rules judge it whole). */
export const MAX_ENTRIES_PER_LIST_IMPORT = 20000;

@InputType({ description: 'The measure and cut of an entry at one warning level.' })
export class LevelMeasureInput {
  @Field(() => EmergencyMeasure, { description: 'The measure; SELF_DETERMINED for grades A and LEADING only (and always for them unless exempt).' })
  measure!: EmergencyMeasure;

  @Field(() => Float, { description: 'Planned cut, percent of the entry\'s baseline emissions (0-100, 2 decimals).' })
  cutPercent!: number;
}

@InputType({ description: 'An entry of an emergency reduction list: one enterprise of the list\'s city.' })
export class ReductionListEntryInput {
  @Field(() => ID, { description: 'Id of the enterprise; its current grade is recorded as the grade at listing.' })
  enterpriseId!: string;

  @Field(() => Int, { nullable: true, description: 'When the enterprise is listed already: the version the change is based on (optimistic locking).' })
  version?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Claims the protected-class exemption (needs the enterprise\'s ministry filing, MINISTRY_FILED); default false.' })
  protectedExempt?: boolean | null;

  @Field(() => Float, { description: 'Baseline SO2, t/day (0-100,000).' })
  so2Baseline!: number;

  @Field(() => Float, { description: 'Baseline NOx, t/day (0-100,000).' })
  noxBaseline!: number;

  @Field(() => Float, { description: 'Baseline particulate matter, t/day (0-100,000).' })
  pmBaseline!: number;

  @Field(() => Float, { description: 'Baseline VOCs, t/day (0-100,000).' })
  vocsBaseline!: number;

  @Field(() => LevelMeasureInput, { description: 'Measure under YELLOW.' })
  yellow!: LevelMeasureInput;

  @Field(() => LevelMeasureInput, { description: 'Measure under ORANGE (cuts at least YELLOW\'s).' })
  orange!: LevelMeasureInput;

  @Field(() => LevelMeasureInput, { description: 'Measure under RED (cuts at least ORANGE\'s).' })
  red!: LevelMeasureInput;

  @Field(() => String, { nullable: true, description: 'What the measures are concretely, at most 4,000 characters.' })
  measureNote?: string | null;
}

@InputType({ description: 'Input of setReductionListEntries: entries of one city\'s list for one campaign, added or replaced all or nothing.' })
export class SetReductionListEntriesInput {
  @Field(() => String, { description: 'Slug of the city.' })
  city!: string;

  @Field(() => String, { description: 'Code of the campaign, e.g. "2023-2024-autumn-winter".' })
  campaign!: string;

  @Field(() => [ReductionListEntryInput], { description: `The entries, 1 to ${MAX_ENTRIES_PER_BATCH}, each enterprise once.` })
  entries!: ReductionListEntryInput[];
}

@ObjectType({ description: 'Result of setReductionListEntries.' })
export class SetReductionListEntriesPayload {
  @Field(() => [ReductionListEntry], { nullable: true, description: 'The entries as stored, in the order of the input; null when there are user errors (then nothing was written).' })
  entries!: ReductionListEntry[] | null;

  @Field(() => [UserError], { description: 'Problems with the input, each naming its item, e.g. ["input", "entries", "3", "yellow", "measure"]; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Input of recordMeasureCheck.' })
export class RecordMeasureCheckInput {
  @Field(() => ID, { description: 'Id of the warning in force during the check.' })
  warningId!: string;

  @Field(() => ID, { description: 'Id of the checked enterprise: of the warning\'s city, listed for the campaign of the check.' })
  enterpriseId!: string;

  @Field(() => Date, { description: 'When the check was made: while the warning was in force, not in the future.' })
  checkedAt!: Date;

  @Field(() => MeasureCheckMethod, { description: 'How.' })
  method!: MeasureCheckMethod;

  @Field(() => MeasureCheckResult, { description: 'Result; FAILED proposes a grade change FAILED_EMERGENCY_CUTS.' })
  result!: MeasureCheckResult;

  @Field(() => String, { nullable: true, description: 'What was found, at most 4,000 characters.' })
  finding?: string | null;

  @Field(() => String, { description: 'Inspecting team or person, 1-200 characters.' })
  inspector!: string;
}

@ObjectType({ description: 'Result of recordMeasureCheck and decideGradeProposal.' })
export class MeasureCheckPayload {
  @Field(() => MeasureCheck, { nullable: true, description: 'The check as stored; null when there are user errors.' })
  measureCheck!: MeasureCheck | null;

  @Field(() => GradeChange, { nullable: true, description: 'The grade change recorded when a proposal was accepted.' })
  gradeChange!: GradeChange | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Input of decideGradeProposal: accept or reject the grade change a failed check proposes.' })
export class DecideGradeProposalInput {
  @Field(() => ID, { description: 'Id of the check.' })
  checkId!: string;

  @Field(() => Int, { nullable: true, description: 'The version of the check the decision is based on (optimistic locking).' })
  version?: number | null;

  @Field(() => Boolean, { description: 'true records the grade change (reason FAILED_EMERGENCY_CUTS) and links it to the check; false rejects the proposal.' })
  accept!: boolean;

  @Field(() => String, { description: 'Authority or person who decided, 1-500 characters.' })
  decidedBy!: string;

  @Field(() => Date, { nullable: true, description: 'When it was decided; default: now. Not in the future.' })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Justification, at most 4,000 characters.' })
  note?: string | null;
}

@ObjectType({ description: 'What an enterprise must do at an instant: the warning in force in its city, its level then, and the measure of its list entry at that level.' })
export class RequiredMeasure {
  @Field(() => Date, { description: 'The instant asked about.' })
  at!: Date;

  @Field(() => Warning, { nullable: true, description: 'The warning in force in the enterprise\'s city at that instant; null when none.' })
  warning!: Warning | null;

  @Field(() => WarningLevel, { nullable: true, description: 'Its level at that instant (from its dated changes); null when no warning is in force.' })
  level!: WarningLevel | null;

  @Field(() => ReductionListEntry, { nullable: true, description: 'The enterprise\'s entry of the list of the campaign of that instant; null when unlisted, and for callers without an API key (the lists need a key; measure and cutPercent are public).' })
  entry!: ReductionListEntry | null;

  @Field(() => EmergencyMeasure, { nullable: true, description: 'The measure to take now; null when no warning is in force or the enterprise is unlisted.' })
  measure!: EmergencyMeasure | null;

  @Field(() => Float, { nullable: true, description: 'The planned cut, percent of its baseline; null like measure.' })
  cutPercent!: number | null;

  @Field(() => Boolean, { description: 'Whether a warning is in force and the enterprise is not listed: a gap of the list ("涉气企业全覆盖").' })
  unlisted!: boolean;
}
