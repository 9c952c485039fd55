import { DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DataOrigin, FundingSource, ProjectStatus, ProjectType } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { TaskTarget } from '../target/target.entity.js';

registerEnumType(ProjectType, {
  name: 'ProjectType',
  description: 'Type of a retrofit project (改造项目 / 重大工程).',
  valuesConfig: {
    ULTRA_LOW_EMISSION_STEEL: { description: 'Full-process ultra-low-emission retrofit of a steel plant (contributes capacity tonnes).' },
    ULTRA_LOW_EMISSION_CEMENT: { description: 'Ultra-low-emission retrofit of a cement plant.' },
    ULTRA_LOW_EMISSION_COKING: { description: 'Ultra-low-emission retrofit of a coking plant.' },
    VOCS_SOURCE_SUBSTITUTION: { description: 'Substitution of low- or no-VOCs raw materials at the source.' },
    VOCS_STORAGE_TANKS: { description: 'Comprehensive treatment of storage tanks.' },
    VOCS_LOADING: { description: 'Collection and treatment of loading and unloading waste gas.' },
    VOCS_OPEN_LIQUID_SURFACES: { description: 'Treatment of fugitive gas from open liquid surfaces.' },
    VOCS_PETROL_STATION_VAPOUR_RECOVERY: { description: 'Vapour recovery at petrol stations.' },
    VOCS_END_OF_PIPE_UPGRADE: { description: 'Upgrade of organic waste-gas collection and treatment facilities.' },
    VOCS_GREEN_ISLAND: { description: 'A shared VOCs treatment centre ("green island").' },
    CLEAN_HEATING_COAL_TO_GAS: { description: 'Household clean heating: loose coal replaced by gas (contributes households).' },
    CLEAN_HEATING_COAL_TO_ELECTRICITY: { description: 'Household clean heating: loose coal replaced by electricity (contributes households).' },
    AGRICULTURAL_COAL_REPLACEMENT: { description: 'Clean-energy replacement of agricultural coal-using facilities (contributes units).' },
    BOILER_ELIMINATION: { description: 'Elimination of coal-fired boilers (contributes units).' },
    KILN_ELIMINATION: { description: 'Elimination of industrial kilns.' },
    GAS_GENERATOR_ELIMINATION: { description: 'Elimination of coal gas generators (contributes units).' },
    LOW_NOX_BURNER_RETROFIT: { description: 'Low-NOx burner retrofit of gas boilers.' },
    RAILWAY_SPUR_LINE: { description: 'Railway spur line for bulk freight (contributes tonnes of freight capacity).' },
    COKE_OVEN_CLOSURE: { description: 'Closure of coke ovens.' },
  },
});
registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Lifecycle status of a retrofit project; it moves one step at a time: PLANNED -> IN_PROGRESS -> COMPLETED -> VERIFIED.',
  valuesConfig: {
    PLANNED: { description: 'Planned; not started.' },
    IN_PROGRESS: { description: 'Started (has an actual start date).' },
    COMPLETED: { description: 'Completed (has an actual end date); counts toward its task target when completed by the deadline.' },
    VERIFIED: { description: 'Completion checked by the authority; counts toward its task target like COMPLETED.' },
  },
});
registerEnumType(FundingSource, { name: 'FundingSource', description: 'Source of a project\'s funding.' });

@ObjectType({ description: 'A retrofit project (改造项目 / 重大工程) of a city: what it contributes, when, at what cost, and which task target it counts toward.' })
@Entity({ tableName: 'retrofit_project' })
export class RetrofitProject extends LedgerEntity {
  /** City key (indexed by retrofit_project_city_id_created_at_index, which leads with it). */
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Index()
  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @ManyToOne({ entity: () => TaskTarget, mapToPk: true, fieldName: 'task_target_id', nullable: true })
  taskTargetId!: number | null;

  @Field(() => String, { description: 'Name of the project.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ProjectType, { description: 'Type of the project.' })
  @Enum({ items: () => ProjectType })
  type!: ProjectType;

  @Field(() => ProjectStatus, { description: 'Lifecycle status.' })
  @Enum({ items: () => ProjectStatus })
  status!: ProjectStatus;

  @Field(() => LocalDate, { description: 'Planned start date.' })
  @Property({ type: 'date' })
  plannedStartDate!: string;

  @Field(() => LocalDate, { description: 'Planned end date.' })
  @Property({ type: 'date' })
  plannedEndDate!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Actual start date; set from IN_PROGRESS on.' })
  @Property({ type: 'date', nullable: true })
  actualStartDate!: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Actual end date; set from COMPLETED on.' })
  @Property({ type: 'date', nullable: true })
  actualEndDate!: string | null;

  @Field(() => Int, { description: 'Households whose heating the project converts (clean-heating projects).' })
  @Property({ type: 'integer' })
  households: number = 0;

  @Field(() => Int, { description: 'Units (boilers, facilities, tanks, generators ...) the project treats or eliminates.' })
  @Property({ type: 'integer' })
  units: number = 0;

  @Field(() => Float, { description: 'Capacity in tonnes the project brings to the target standard (or freight tonnes for railway lines).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(14,2)', precision: 14, scale: 2 })
  capacityTonnes: number = 0;

  @Field(() => Float, { description: 'Total investment in yuan (2 decimals).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(16,2)', precision: 16, scale: 2 })
  investmentYuan: number = 0;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'An amount of a project\'s investment funded by one source.' })
@Entity({ tableName: 'project_funding' })
@Unique({ properties: ['projectId', 'source'] })
export class ProjectFunding extends LedgerEntity {
  @ManyToOne({ entity: () => RetrofitProject, mapToPk: true, fieldName: 'project_id' })
  projectId!: number;

  /** City key (the project's city). */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => FundingSource, { description: 'Source of the funds.' })
  @Enum({ items: () => FundingSource })
  source!: FundingSource;

  @Field(() => Float, { description: 'Amount in yuan (2 decimals).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(16,2)', precision: 16, scale: 2 })
  amountYuan!: number;
}
