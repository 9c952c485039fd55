import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  DataOrigin,
  EnterpriseSize,
  GradeChangeReason,
  Industry,
  PerformanceGrade,
  ProtectedClassStatus,
  UltraLowEmissionStatus,
} from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { City } from '../geography/geography.entity.js';

registerEnumType(Industry, { name: 'Industry', description: 'Industry of an air-polluting enterprise (涉气企业).' });
registerEnumType(EnterpriseSize, { name: 'EnterpriseSize', description: 'Size class of an enterprise (MICRO and SMALL are 小微).' });
registerEnumType(UltraLowEmissionStatus, { name: 'UltraLowEmissionStatus', description: 'Ultra-low-emission retrofit status.' });
registerEnumType(ProtectedClassStatus, {
  name: 'ProtectedClassStatus',
  description: 'Protected class (保障类) and its approval chain: city consent, provincial review, filing with the Ministry.',
});
registerEnumType(PerformanceGrade, { name: 'PerformanceGrade', description: 'Environmental performance grade (绩效分级); LEADING is 引领性.' });
registerEnumType(GradeChangeReason, { name: 'GradeChangeReason', description: 'Why a performance grade changed.' });

@ObjectType({ description: 'An air-polluting enterprise (涉气企业) regulated in a city of the campaign.' })
@Entity({ tableName: 'enterprise' })
export class Enterprise extends LedgerEntity {
  /** City key: every city-scoped row carries it (authorization, row-level security, sharding). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => String, { description: 'Registered name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Unified social credit code (统一社会信用代码, 18 characters, GB 32100-2015).' })
  @Property({ type: 'text', unique: true })
  creditCode!: string;

  @Field(() => Industry, { description: 'Industry.' })
  @Enum({ items: () => Industry })
  industry!: Industry;

  @Field(() => EnterpriseSize, { description: 'Size class.' })
  @Enum({ items: () => EnterpriseSize })
  size!: EnterpriseSize;

  @Field(() => Boolean, { description: 'Whether it is a key pollutant discharge unit (重点排污单位).' })
  @Property({ type: 'boolean' })
  keyDischarger!: boolean;

  @Field(() => Boolean, { description: 'Whether its automatic online monitoring is connected.' })
  @Property({ type: 'boolean' })
  onlineMonitoring!: boolean;

  @Field(() => UltraLowEmissionStatus, { description: 'Ultra-low-emission retrofit status.' })
  @Enum({ items: () => UltraLowEmissionStatus })
  ultraLowEmissionStatus!: UltraLowEmissionStatus;

  @Field(() => LocalDate, {
    nullable: true,
    description:
      'Day the ultra-low-emission assessment was publicised (公示); only with ASSESSED_AND_PUBLICISED. Steel capacity counts toward STEEL_ULTRA_LOW_CAPACITY only when publicised by the target\'s deadline.',
  })
  @Property({ type: 'date', nullable: true })
  ultraLowEmissionPublicisedOn: string | null = null;

  @Field(() => ProtectedClassStatus, { description: 'Protected class (保障类): the step its approval chain has reached (NONE, CITY_CONSENTED, PROVINCE_REVIEWED, MINISTRY_FILED); set only through recordProtectedClassStep.' })
  @Enum({ items: () => ProtectedClassStatus })
  protectedClass!: ProtectedClassStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Day the city government consented to the protected class (保障类), step 1 of its chain; set by a CITY key of the city (recordProtectedClassStep).' })
  @Property({ type: 'date', nullable: true })
  protectedCityConsentedOn: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who recorded the consent of the city (actor id, key:<id>).' })
  @Property({ type: 'text', nullable: true })
  protectedCityConsentedBy: string | null = null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the province reviewed the protected class, step 2; set by a PROVINCE key of its province, only after the consent of the city and not before it.' })
  @Property({ type: 'date', nullable: true })
  protectedProvinceReviewedOn: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who recorded the review of the province (actor id).' })
  @Property({ type: 'text', nullable: true })
  protectedProvinceReviewedBy: string | null = null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the protected class was filed with the Ministry, step 3; set by a MINISTRY key, only after the review of the province and not before it. Only a filed enterprise may claim the exemption of the emergency reduction list.' })
  @Property({ type: 'date', nullable: true })
  protectedMinistryFiledOn: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who recorded the ministry filing (actor id).' })
  @Property({ type: 'text', nullable: true })
  protectedMinistryFiledBy: string | null = null;

  @Field(() => Boolean, { description: 'Whether it is a benchmark enterprise of air pollution control (标杆企业).' })
  @Property({ type: 'boolean' })
  benchmark!: boolean;

  @Field(() => Boolean, { description: 'Whether it is on the positive list (正面清单) of enforcement.' })
  @Property({ type: 'boolean' })
  positiveList!: boolean;

  @Field(() => PerformanceGrade, {
    nullable: true,
    description: 'Current performance grade: the to-grade of the latest grade change; null before any assessment. Never set directly.',
  })
  @Enum({ items: () => PerformanceGrade, nullable: true })
  currentGrade!: PerformanceGrade | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'A dated change of an enterprise\'s performance grade. The history is append-only; the current grade derives from it.' })
@Entity({ tableName: 'grade_change' })
@Index({ properties: ['enterpriseId', 'decidedAt'] })
export class GradeChange extends LedgerEntity {
  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id' })
  enterpriseId!: number;

  /** City key (the enterprise's city), for scoping and sharding. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => PerformanceGrade, { nullable: true, description: 'Grade before the change; null for a first assessment.' })
  @Enum({ items: () => PerformanceGrade, nullable: true })
  fromGrade!: PerformanceGrade | null;

  @Field(() => PerformanceGrade, { description: 'Grade after the change.' })
  @Enum({ items: () => PerformanceGrade })
  toGrade!: PerformanceGrade;

  @Field(() => GradeChangeReason, { description: 'Why the grade changed.' })
  @Enum({ items: () => GradeChangeReason })
  reason!: GradeChangeReason;

  @Field(() => String, { nullable: true, description: 'Free-text justification (e.g. the inspection finding).' })
  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => String, { description: 'Authority or person who decided the change (e.g. 唐山市生态环境局).' })
  @Property({ type: 'text' })
  decidedBy!: string;

  @Field(() => Date, { description: 'When the change was decided.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  decidedAt!: Date;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;
}
