import { DecimalType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CombustionFuel, CombustionUnitKind, CombustionUnitStatus, DataOrigin, Industry } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { LocalDate } from '../../common/scalars.js';
import { Enterprise } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { Locality } from './household.entity.js';

registerEnumType(CombustionUnitKind, {
  name: 'CombustionUnitKind',
  description: 'Kind of a combustion unit of the inventory (锅炉炉窑清单).',
  valuesConfig: {
    BOILER: { description: 'Boiler (锅炉); capacity in t/h (蒸吨/小时).' },
    KILN: { description: 'Industrial kiln (工业炉窑).' },
    GAS_PRODUCER: { description: 'Coal gas producer (煤气发生炉).' },
    COKE_OVEN: { description: 'Coke oven (焦炉); with its coking-chamber height.' },
  },
});
registerEnumType(CombustionFuel, {
  name: 'CombustionFuel',
  description: 'Fuel of a combustion unit.',
  valuesConfig: {
    COAL: { description: 'Coal (燃煤).' },
    GAS: { description: 'Natural gas or other gas.' },
    OIL: { description: 'Fuel oil.' },
    BIOMASS: { description: 'Biomass.' },
    ELECTRICITY: { description: 'Electricity.' },
    OTHER: { description: 'Any other fuel.' },
  },
});
registerEnumType(CombustionUnitStatus, {
  name: 'CombustionUnitStatus',
  description: 'Where a combustion unit stands. ELIMINATED is final.',
  valuesConfig: {
    OPERATING: { description: 'Operating. Not allowed for a coal boiler of 35 t/h or less.' },
    SCHEDULED_FOR_ELIMINATION: { description: 'Scheduled for elimination by `scheduledEliminationBy`.' },
    ELIMINATED: { description: 'Eliminated on `eliminatedOn` by its elimination project.' },
  },
});

@ObjectType({
  description:
    'A boiler, kiln, gas producer or coke oven of the combustion-unit inventory (锅炉炉窑清单) of a city, with its status and the project that eliminates it.',
})
@Entity({ tableName: 'combustion_unit' })
export class CombustionUnit extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  /** The county, township or village of the unit's city it stands in (null when not recorded). */
  @ManyToOne({ entity: () => Locality, mapToPk: true, fieldName: 'locality_id', nullable: true })
  localityId!: number | null;

  @ManyToOne({ entity: () => Enterprise, mapToPk: true, fieldName: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  @ManyToOne({ entity: () => RetrofitProject, mapToPk: true, fieldName: 'elimination_project_id', nullable: true })
  eliminationProjectId!: number | null;

  @Field(() => CombustionUnitKind, { description: 'Kind of unit.' })
  @Enum({ items: () => CombustionUnitKind })
  kind!: CombustionUnitKind;

  @Field(() => String, { description: 'Name or number of the unit (e.g. "1号燃煤锅炉").' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => CombustionFuel, { description: 'Fuel.' })
  @Enum({ items: () => CombustionFuel })
  fuel!: CombustionFuel;

  @Field(() => Float, { nullable: true, description: 'Capacity in t/h (蒸吨/小时); required for boilers.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(8,2)', precision: 8, scale: 2, nullable: true })
  capacityTph!: number | null;

  @Field(() => Float, { nullable: true, description: 'Height of the coking chamber in metres (炭化室高度); required for coke ovens.' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(4,2)', precision: 4, scale: 2, nullable: true })
  chamberHeightM!: number | null;

  @Field(() => Industry, { nullable: true, description: 'Industry the unit serves.' })
  @Enum({ items: () => Industry, nullable: true })
  industry!: Industry | null;

  @Field(() => Boolean, { description: 'Whether the unit serves central heating (集中供暖).' })
  @Property({ type: 'boolean' })
  centralHeating: boolean = false;

  @Field(() => Boolean, { description: 'Whether the unit is newly built (新建).' })
  @Property({ type: 'boolean' })
  newBuild: boolean = false;

  @Field(() => Boolean, { description: 'Whether a new coal boiler outside central heating was approved as an exception.' })
  @Property({ type: 'boolean' })
  approvedException: boolean = false;

  @Field(() => CombustionUnitStatus, { description: 'Status.' })
  @Enum({ items: () => CombustionUnitStatus })
  status!: CombustionUnitStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Day by which a scheduled unit is to be eliminated.' })
  @Property({ type: 'date', nullable: true })
  scheduledEliminationBy!: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Day the unit was eliminated; set with ELIMINATED only.' })
  @Property({ type: 'date', nullable: true })
  eliminatedOn!: string | null;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
