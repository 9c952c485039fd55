import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LedgerEntity } from '../../common/base.entity.js';
import { City, Province } from '../geography/geography.entity.js';

/** Role of an API key. */
export enum ApiKeyRole {
  /** The Ministry: reads and changes everything, issues any key. */
  MINISTRY = 'MINISTRY',
  /** A provincial department: reads and changes the records of its province's cities. */
  PROVINCE = 'PROVINCE',
  /** A city bureau: reads and changes the records of its city. */
  CITY = 'CITY',
  /** Reads everything of its scope (every city, or a province or city) except personal data; changes nothing. */
  READ_ONLY = 'READ_ONLY',
}
registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  description: 'Role of an API key: what its holder may read and change.',
  valuesConfig: {
    MINISTRY: { description: 'The Ministry: reads and changes everything, issues any key.' },
    PROVINCE: { description: 'A provincial department: reads and changes the records of its province\'s cities.' },
    CITY: { description: 'A city bureau: reads and changes the records of its city.' },
    READ_ONLY: { description: 'Reads everything of its scope (every city, or one province or city) except personal data; changes nothing.' },
  },
});

/** Whether a key can be used. */
export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether an API key can be used.',
  valuesConfig: {
    ACTIVE: { description: 'Usable.' },
    EXPIRED: { description: 'Past its expiry time.' },
    REVOKED: { description: 'Revoked; it never works again.' },
  },
});

@ObjectType({
  description:
    'An API key of a person or a third-party system. The secret is shown once, when the key is created; the API keeps only its SHA-256.',
})
@Entity({ tableName: 'api_key' })
export class ApiKey extends LedgerEntity {
  @Field(() => String, { description: 'Who holds the key (a person, an office or a system).' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ApiKeyRole, { description: 'What the key may read and change.' })
  @Enum({ items: () => ApiKeyRole })
  role!: ApiKeyRole;

  @ManyToOne({ entity: () => Province, mapToPk: true, fieldName: 'province_id', nullable: true })
  provinceId!: number | null;

  @ManyToOne({ entity: () => City, mapToPk: true, fieldName: 'city_id', nullable: true })
  cityId!: number | null;

  /**
   * The key that issued this one (null: issued on the command line or by the system). A key works
   * only while every key above it works (common/auth.ts authenticate).
   */
  @ManyToOne({ entity: () => ApiKey, mapToPk: true, fieldName: 'issuer_id', nullable: true })
  issuerId!: number | null;

  @Field(() => String, { description: 'The first characters of the key, to recognise it (e.g. "airl_Q3x9Tz").' })
  @Property({ type: 'text' })
  prefix!: string;

  /** SHA-256 (hex) of the key; never exposed. */
  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null: never.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while not revoked.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Actor that revoked the key.' })
  @Property({ type: 'text', nullable: true })
  revokedBy!: string | null;
}
