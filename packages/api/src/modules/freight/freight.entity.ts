import { DecimalType, Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DataOrigin } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { City } from '../geography/geography.entity.js';

@ObjectType({
  description:
    'The bulk freight a railway (or a station, or a route) of a city actually carried in one month (铁路货运量, monthly freight records), and where the figure comes from. Tangshan\'s Shuicao railway target (TANGSHAN_SHUICAO_RAIL_VOLUME) counts these tonnes.',
})
@Entity({ tableName: 'freight_record' })
export class FreightRecord extends LedgerEntity {
  /** City key. */
  @Index()
  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id' })
  cityId!: number;

  @Field(() => String, { description: 'The railway, station or route that carried the freight, by its Chinese name (e.g. "水曹铁路").' })
  @Property({ type: 'text' })
  railway!: string;

  @Field(() => String, { description: 'The month, YYYY-MM (e.g. "2023-11").' })
  @Property({ type: 'text' })
  month!: string;

  @Field(() => Float, { description: 'Tonnes of bulk freight carried in the month (2 decimals).' })
  @Property({ type: new DecimalType('number'), columnType: 'numeric(14,2)', precision: 14, scale: 2 })
  tonnes!: number;

  @Field(() => String, { description: 'Where the figure comes from (e.g. "国铁北京局货运统计月报", "唐山市交通运输局").' })
  @Property({ type: 'text' })
  source!: string;

  @Field(() => DataOrigin, { description: 'DEMO for generated demo data, RECORDED for data entered through the API.' })
  @Enum({ items: () => DataOrigin })
  origin!: DataOrigin;

  @Field(() => Int, { description: 'Revision number, incremented by every update.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
