import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { CityKind, DataOrigin, RegionCode } from '@airledger/schema';
import { LedgerEntity } from '../../common/base.entity.js';
import { markReferenceData } from '../../common/loaders.js';

registerEnumType(RegionCode, { name: 'RegionCode', description: 'Key region of the campaign (重点区域).' });
registerEnumType(CityKind, { name: 'CityKind', description: 'Administrative kind of a city-level unit.' });
registerEnumType(DataOrigin, {
  name: 'DataOrigin',
  description: 'Where a record comes from: PLAN (quoted from the campaign plan), DEMO (generated demo data) or RECORDED (entered through the API).',
});

@ObjectType({ description: 'A key region of the campaign: Jing-Jin-Ji and surrounding areas, or the Fenwei Plain.' })
@Entity({ tableName: 'region' })
export class Region extends LedgerEntity {
  @Field(() => RegionCode, { description: 'Stable code of the region.' })
  @Enum({ items: () => RegionCode, unique: true })
  code!: RegionCode;

  @Field(() => String, { description: 'Chinese name, as in the plan.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English name.' })
  @Property({ type: 'text' })
  nameEn!: string;
}

@ObjectType({ description: 'A province-level division with cities in the campaign.' })
@Entity({ tableName: 'province' })
export class Province extends LedgerEntity {
  @Field(() => String, { description: 'URL-safe key, e.g. "hebei".' })
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field(() => String, { description: 'Chinese name, e.g. 河北省.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English name, e.g. Hebei.' })
  @Property({ type: 'text' })
  nameEn!: string;

  @Field(() => String, { description: 'National administrative division code (GB/T 2260).' })
  @Property({ type: 'text' })
  divisionCode!: string;
}

@ObjectType({ description: 'One of the 56 city-level units of the campaign. Every city-scoped record hangs off a city.' })
@Entity({ tableName: 'city' })
export class City extends LedgerEntity {
  @Field(() => String, { description: 'URL-safe key, e.g. "shijiazhuang".' })
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field(() => String, { description: 'Chinese name, e.g. 石家庄市.' })
  @Property({ type: 'text' })
  nameZh!: string;

  @Field(() => String, { description: 'English name, e.g. Shijiazhuang.' })
  @Property({ type: 'text' })
  nameEn!: string;

  @Field(() => CityKind, { description: 'Administrative kind.' })
  @Enum({ items: () => CityKind })
  kind!: CityKind;

  @Field(() => String, { nullable: true, description: 'National administrative division code; null where the unit has none of its own (Xiong\'an New Area).' })
  @Property({ type: 'text', nullable: true })
  divisionCode!: string | null;

  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id' })
  provinceId!: number;

  @Field(() => RegionCode, { description: 'Code of the region the city belongs to.' })
  @Enum({ items: () => RegionCode })
  regionCode!: RegionCode;

  /** Position in the plan's list of cities (stable default order). */
  @Property({ type: 'integer' })
  planOrder!: number;
}

// Small tables read whole once per request (see common/loaders.ts).
markReferenceData(Region, Province, City);
