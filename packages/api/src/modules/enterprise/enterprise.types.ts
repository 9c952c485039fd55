import { Field, ID, InputType, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import {
  DataOrigin,
  EnterpriseSize,
  GradeChangeReason,
  Industry,
  PerformanceGrade,
  ProtectedClassStatus,
  UltraLowEmissionStatus,
} from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { ConnectionType, OrderInput } from '../../common/pagination.js';
import { LocalDate } from '../../common/scalars.js';
import { PlaceFilter } from '../geography/geography.types.js';
import { Enterprise, GradeChange } from './enterprise.entity.js';

@ObjectType({ description: 'A page of enterprises.' })
export class EnterpriseConnection extends ConnectionType(Enterprise) {}

@ObjectType({ description: 'A page of grade changes.' })
export class GradeChangeConnection extends ConnectionType(GradeChange) {}

/** The attribute filters of enterprises, shared by the root collection and City.enterprises. */
function withEnterpriseAttributeFilters<TBase extends ClassType>(Base: TBase) {
  // Abstract: only reachable through its subclasses, so never printed in the schema itself.
  @InputType('EnterpriseAttributeFilters', { description: 'Attribute filters of enterprises.' })
  abstract class EnterpriseAttributeFilters extends Base {
    @Field(() => [Industry], { nullable: true, description: 'Only enterprises of these industries (an empty list matches nothing).' })
    industries?: Industry[] | null;

    @Field(() => [EnterpriseSize], { nullable: true, description: 'Only enterprises of these size classes.' })
    sizes?: EnterpriseSize[] | null;

    @Field(() => [PerformanceGrade], { nullable: true, description: 'Only enterprises whose current grade is one of these (ungraded enterprises never match).' })
    grades?: PerformanceGrade[] | null;

    @Field(() => Boolean, { nullable: true, description: 'true: only enterprises with a current grade; false: only enterprises never graded.' })
    graded?: boolean | null;

    @Field(() => [UltraLowEmissionStatus], { nullable: true, description: 'Only enterprises with one of these ultra-low-emission statuses.' })
    ultraLowEmissionStatuses?: UltraLowEmissionStatus[] | null;

    @Field(() => Boolean, { nullable: true, description: 'Only key pollutant discharge units (true) or only the others (false).' })
    keyDischarger?: boolean | null;

    @Field(() => Boolean, { nullable: true, description: 'Only enterprises with (true) or without (false) automatic online monitoring.' })
    onlineMonitoring?: boolean | null;

    @Field(() => [ProtectedClassStatus], { nullable: true, description: 'Only enterprises with one of these protected-class statuses.' })
    protectedClasses?: ProtectedClassStatus[] | null;

    @Field(() => Boolean, { nullable: true, description: 'Only benchmark enterprises (true) or only the others (false).' })
    benchmark?: boolean | null;

    @Field(() => Boolean, { nullable: true, description: 'Only enterprises on (true) or off (false) the positive list.' })
    positiveList?: boolean | null;

    @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin (e.g. RECORDED to leave out demo data).' })
    origin?: DataOrigin | null;

    @Field(() => String, {
      nullable: true,
      description: 'Free text: enterprises whose name contains it (case-insensitive) or whose credit code starts with it.',
    })
    search?: string | null;
  }
  return EnterpriseAttributeFilters;
}

@InputType({ description: 'Filter of the enterprises of one city. Conditions combine with AND; an absent condition does not filter.' })
export class CityEnterpriseFilter extends withEnterpriseAttributeFilters(class {}) {}

@InputType({ description: 'Filter of the enterprises collection: place (region, province, city) and attributes. Conditions combine with AND.' })
export class EnterpriseFilter extends withEnterpriseAttributeFilters(PlaceFilter) {}

export enum EnterpriseOrderField {
  NAME = 'NAME',
  CREDIT_CODE = 'CREDIT_CODE',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(EnterpriseOrderField, {
  name: 'EnterpriseOrderField',
  description: 'Fields enterprises can be sorted by (the id breaks ties).',
  valuesConfig: {
    NAME: { description: 'Registered name (the database collation).' },
    CREDIT_CODE: { description: 'Unified social credit code.' },
    CREATED_AT: { description: 'When the record was created in the ledger.' },
  },
});

export const EnterpriseOrder = OrderInput<EnterpriseOrderField>('EnterpriseOrder', EnterpriseOrderField, 'Sort of an enterprise collection.');
export type EnterpriseOrder = InstanceType<typeof EnterpriseOrder>;

@InputType({ description: 'Filter of the grade-change history. Conditions combine with AND.' })
export class GradeChangeFilter extends PlaceFilter {
  @Field(() => ID, { nullable: true, description: 'Only changes of this enterprise.' })
  enterpriseId?: string | null;

  @Field(() => [GradeChangeReason], { nullable: true, description: 'Only changes for one of these reasons.' })
  reasons?: GradeChangeReason[] | null;

  @Field(() => [PerformanceGrade], { nullable: true, description: 'Only changes to one of these grades.' })
  toGrades?: PerformanceGrade[] | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only changes decided on or after this day (China Standard Time).' })
  decidedFrom?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Only changes decided on or before this day (China Standard Time).' })
  decidedTo?: string | null;

  @Field(() => DataOrigin, { nullable: true, description: 'Only records of this origin.' })
  origin?: DataOrigin | null;
}

@InputType({ description: 'A new enterprise. It starts ungraded: grades come from recordGradeChange.' })
export class CreateEnterpriseInput {
  @Field(() => String, { description: 'Slug of the city the enterprise is regulated in, e.g. "tangshan".' })
  city!: string;

  @Field(() => String, { description: 'Registered name.' })
  name!: string;

  @Field(() => String, { description: 'Unified social credit code (18 characters, GB 32100-2015); trimmed and upper-cased.' })
  creditCode!: string;

  @Field(() => Industry, { description: 'Industry.' })
  industry!: Industry;

  @Field(() => EnterpriseSize, { description: 'Size class.' })
  size!: EnterpriseSize;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether it is a key pollutant discharge unit.' })
  keyDischarger!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether its automatic online monitoring is connected.' })
  onlineMonitoring!: boolean;

  @Field(() => UltraLowEmissionStatus, { defaultValue: UltraLowEmissionStatus.NOT_STARTED, description: 'Ultra-low-emission retrofit status.' })
  ultraLowEmissionStatus!: UltraLowEmissionStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Day the ultra-low-emission assessment was publicised; only with ASSESSED_AND_PUBLICISED, not in the future.' })
  ultraLowEmissionPublicisedOn?: string | null;

  @Field(() => ProtectedClassStatus, {
    defaultValue: ProtectedClassStatus.NONE,
    description: 'Protected class (保障类): only NONE (PROTECTED_CLASS_BY_CHAIN otherwise); the class follows its approval chain, recorded step by step with recordProtectedClassStep.',
  })
  protectedClass!: ProtectedClassStatus;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether it is a benchmark enterprise.' })
  benchmark!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Whether it is on the positive list.' })
  positiveList!: boolean;
}

@InputType({ description: 'Changes to an enterprise: only the fields given change. City, credit code and grade cannot change here.' })
export class UpdateEnterpriseInput {
  @Field(() => ID, { description: 'Id of the enterprise.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'If given, the update fails with CONFLICT unless the enterprise is still at this version.' })
  version?: number | null;

  @Field(() => String, { nullable: true, description: 'New registered name.' })
  name?: string | null;

  @Field(() => Industry, { nullable: true, description: 'New industry.' })
  industry?: Industry | null;

  @Field(() => EnterpriseSize, { nullable: true, description: 'New size class.' })
  size?: EnterpriseSize | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it is a key pollutant discharge unit.' })
  keyDischarger?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether its automatic online monitoring is connected.' })
  onlineMonitoring?: boolean | null;

  @Field(() => UltraLowEmissionStatus, {
    nullable: true,
    description: 'New ultra-low-emission status. Steel, cement and coking enterprises graded LEADING, A or B must be downgraded before it drops below ASSESSED_AND_PUBLICISED.',
  })
  ultraLowEmissionStatus?: UltraLowEmissionStatus | null;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'Day the ultra-low-emission assessment was publicised; only with ASSESSED_AND_PUBLICISED, not in the future. Null clears it; a status below ASSESSED_AND_PUBLICISED clears it too.',
  })
  ultraLowEmissionPublicisedOn?: string | null;

  @Field(() => ProtectedClassStatus, {
    nullable: true,
    description: 'Only the current protected class (a no-op); any other is PROTECTED_CLASS_BY_CHAIN: the class follows its approval chain (recordProtectedClassStep).',
  })
  protectedClass?: ProtectedClassStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it is a benchmark enterprise.' })
  benchmark?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether it is on the positive list.' })
  positiveList?: boolean | null;
}

@InputType({ description: 'A decided change of an enterprise\'s performance grade.' })
export class RecordGradeChangeInput {
  @Field(() => ID, { description: 'Id of the enterprise.' })
  enterpriseId!: string;

  @Field(() => PerformanceGrade, { description: 'The new grade.' })
  toGrade!: PerformanceGrade;

  @Field(() => GradeChangeReason, { description: 'Why the grade changes.' })
  reason!: GradeChangeReason;

  @Field(() => String, { description: 'Authority or person who decided the change, e.g. 唐山市生态环境局.' })
  decidedBy!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'When the change was decided (default: now). Not in the future, and not before the enterprise\'s latest change.',
  })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Free-text justification (e.g. the inspection finding).' })
  note?: string | null;
}

@ObjectType({ description: 'Result of createEnterprise.' })
export class CreateEnterprisePayload {
  @Field(() => Enterprise, { nullable: true, description: 'The new enterprise; null when there are user errors.' })
  enterprise!: Enterprise | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of updateEnterprise.' })
export class UpdateEnterprisePayload {
  @Field(() => Enterprise, { nullable: true, description: 'The updated enterprise; null when there are user errors.' })
  enterprise!: Enterprise | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of recordGradeChange.' })
export class RecordGradeChangePayload {
  @Field(() => GradeChange, { nullable: true, description: 'The recorded change; null when there are user errors.' })
  gradeChange!: GradeChange | null;

  @Field(() => Enterprise, { nullable: true, description: 'The enterprise with its new current grade; null when there are user errors.' })
  enterprise!: Enterprise | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

/** A step of the approval chain of the protected class (保障类), in its order. */
export enum ProtectedClassStep {
  CITY_CONSENT = 'CITY_CONSENT',
  PROVINCE_REVIEW = 'PROVINCE_REVIEW',
  MINISTRY_FILING = 'MINISTRY_FILING',
}
registerEnumType(ProtectedClassStep, {
  name: 'ProtectedClassStep',
  description: 'A step of the approval chain of the protected class (保障类), in its order; each is recorded by one role.',
  valuesConfig: {
    CITY_CONSENT: { description: 'The city government consents (recorded by a CITY key of the city); the class becomes CITY_CONSENTED.' },
    PROVINCE_REVIEW: { description: 'The province reviews (a PROVINCE key of its province), after the consent; PROVINCE_REVIEWED.' },
    MINISTRY_FILING: { description: 'Filed with the Ministry (a MINISTRY key), after the review; MINISTRY_FILED.' },
  },
});

@InputType({ description: 'Input of recordProtectedClassStep.' })
export class RecordProtectedClassStepInput {
  @Field(() => ID, { description: 'The enterprise.' })
  enterpriseId!: string;

  @Field(() => ProtectedClassStep, { description: 'The step: the next one of the chain (PROTECTED_CHAIN_ORDER otherwise), by its role (PROTECTED_STEP_ROLE otherwise).' })
  step!: ProtectedClassStep;

  @Field(() => LocalDate, { description: 'Day of the decision: not in the future, not before the step it follows.' })
  decidedOn!: string;

  @Field(() => Int, { nullable: true, description: 'The version of the enterprise the step is based on (optimistic locking): CONFLICT when it changed since.' })
  version?: number | null;
}

@ObjectType({ description: 'Result of recordProtectedClassStep.' })
export class RecordProtectedClassStepPayload {
  @Field(() => Enterprise, { nullable: true, description: 'The enterprise with the step recorded; null when there are user errors.' })
  enterprise!: Enterprise | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
