import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, ForecastSource, GradeProposalStatus, MeasureCheckMethod, MeasureCheckResult, PerformanceGrade, WarningLevel } from '@airledger/schema';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { MeasureCheck, ReductionListEntry } from './reduction.entity.js';
import { Forecast, RegionalLinkage, Warning } from './warning.entity.js';

@ObjectType({ description: 'A page of warnings.' })
export class WarningConnection extends ConnectionType(Warning) {}
@ObjectType({ description: 'A page of forecasts.' })
export class ForecastConnection extends ConnectionType(Forecast) {}
@ObjectType({ description: 'A page of regional linkages.' })
export class RegionalLinkageConnection extends ConnectionType(RegionalLinkage) {}
@ObjectType({ description: 'A page of reduction list entries.' })
export class ReductionListEntryConnection extends ConnectionType(ReductionListEntry) {}
@ObjectType({ description: 'A page of measure checks.' })
export class MeasureCheckConnection extends ConnectionType(MeasureCheck) {}

export enum WarningOrderField { EFFECTIVE_FROM = 'EFFECTIVE_FROM', ISSUED_AT = 'ISSUED_AT' }
registerEnumType(WarningOrderField, { name: 'WarningOrderField', description: 'Sort key of warnings.', valuesConfig: { EFFECTIVE_FROM: { description: 'Start of the response.' }, ISSUED_AT: { description: 'Issue instant.' } } });
export const WarningOrder = OrderInput<WarningOrderField>('WarningOrder', WarningOrderField, 'Sort of warnings; default EFFECTIVE_FROM descending.');
export type WarningOrder = InstanceType<typeof WarningOrder>;

export enum ForecastOrderField { ISSUED_AT = 'ISSUED_AT' }
registerEnumType(ForecastOrderField, { name: 'ForecastOrderField', description: 'Sort key of forecasts.', valuesConfig: { ISSUED_AT: { description: 'Issue instant.' } } });
export const ForecastOrder = OrderInput<ForecastOrderField>('ForecastOrder', ForecastOrderField, 'Sort of forecasts; default ISSUED_AT descending.');
export type ForecastOrder = InstanceType<typeof ForecastOrder>;

export enum RegionalLinkageOrderField { EFFECTIVE_FROM = 'EFFECTIVE_FROM' }
registerEnumType(RegionalLinkageOrderField, { name: 'RegionalLinkageOrderField', description: 'Sort key of regional linkages.', valuesConfig: { EFFECTIVE_FROM: { description: 'Start of the response.' } } });
export const RegionalLinkageOrder = OrderInput<RegionalLinkageOrderField>('RegionalLinkageOrder', RegionalLinkageOrderField, 'Sort of linkages; default EFFECTIVE_FROM descending.');
export type RegionalLinkageOrder = InstanceType<typeof RegionalLinkageOrder>;

export enum ReductionListEntryOrderField { CREATED_AT = 'CREATED_AT' }
registerEnumType(ReductionListEntryOrderField, { name: 'ReductionListEntryOrderField', description: 'Sort key of list entries.', valuesConfig: { CREATED_AT: { description: 'When listed.' } } });
export const ReductionListEntryOrder = OrderInput<ReductionListEntryOrderField>('ReductionListEntryOrder', ReductionListEntryOrderField, 'Sort of list entries; default CREATED_AT ascending.');
export type ReductionListEntryOrder = InstanceType<typeof ReductionListEntryOrder>;

export enum MeasureCheckOrderField { CHECKED_AT = 'CHECKED_AT' }
registerEnumType(MeasureCheckOrderField, { name: 'MeasureCheckOrderField', description: 'Sort key of measure checks.', valuesConfig: { CHECKED_AT: { description: 'When checked.' } } });
export const MeasureCheckOrder = OrderInput<MeasureCheckOrderField>('MeasureCheckOrder', MeasureCheckOrderField, 'Sort of checks; default CHECKED_AT descending.');
export type MeasureCheckOrder = InstanceType<typeof MeasureCheckOrder>;

@InputType({ description: 'Which warnings to return.' })
export class WarningFilter extends PlaceFilter {
  @Field(() => [WarningLevel], { nullable: true, description: 'Only warnings at one of these levels.' })
  levels?: WarningLevel[] | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only flagged warnings; false: only unflagged ones.' })
  flagged?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only open (not lifted) warnings; false: only lifted ones.' })
  open?: boolean | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only warnings whose response starts on or after this day (China Standard Time).' })
  effectiveFrom?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only warnings whose response starts on or before this day.' })
  effectiveTo?: string | null;
  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Which forecasts to return.' })
export class ForecastFilter extends PlaceFilter {
  @Field(() => [ForecastSource], { nullable: true, description: 'Only forecasts of these sources.' })
  sources?: ForecastSource[] | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only forecasts issued on or after this day.' })
  issuedFrom?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only forecasts issued on or before this day.' })
  issuedTo?: string | null;
  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Which regional linkages to return.' })
export class RegionalLinkageFilter {
  @Field(() => [WarningLevel], { nullable: true, description: 'Only linkages at one of these levels.' })
  levels?: WarningLevel[] | null;
  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Which reduction list entries to return.' })
export class ReductionListEntryFilter extends PlaceFilter {
  @Field(() => String, { nullable: true, description: 'Only entries of the campaign of this code.' })
  campaign?: string | null;
  @Field(() => [PerformanceGrade], { nullable: true, description: 'Only entries of these grades at listing.' })
  gradesAtListing?: PerformanceGrade[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Only entries that claim (true) or do not claim (false) the protected-class exemption.' })
  protectedExempt?: boolean | null;
  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'Which measure checks to return.' })
export class MeasureCheckFilter extends PlaceFilter {
  @Field(() => [MeasureCheckResult], { nullable: true, description: 'Only checks with these results.' })
  results?: MeasureCheckResult[] | null;
  @Field(() => [MeasureCheckMethod], { nullable: true, description: 'Only checks made these ways.' })
  methods?: MeasureCheckMethod[] | null;
  @Field(() => [GradeProposalStatus], { nullable: true, description: 'Only checks whose proposal is in one of these statuses.' })
  proposalStatuses?: GradeProposalStatus[] | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only checks on or after this day.' })
  checkedFrom?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Only checks on or before this day.' })
  checkedTo?: string | null;
}
