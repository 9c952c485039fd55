import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * Columns every ledger table has: a numeric id (exposed as an opaque `ID`), timestamps and the
 * actor of the first and the latest write (the audit trail's "who").
 */
@ObjectType()
export abstract class LedgerEntity {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => Date, { description: 'When the record was created.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date, { description: 'When the record was last changed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Field(() => String, { description: 'Actor (API key or system) that created the record.' })
  @Property({ type: 'text' })
  createdBy!: string;

  @Field(() => String, { description: 'Actor (API key or system) that last changed the record.' })
  @Property({ type: 'text' })
  updatedBy!: string;
}

/**
 * SQL for the columns of LedgerEntity, for use in migrations. Timestamps keep milliseconds, the
 * precision of JavaScript dates, so that cursors built from them are exact.
 */
export const LEDGER_COLUMNS_SQL = `
  "id" serial primary key,
  "created_at" timestamptz(3) not null default now(),
  "updated_at" timestamptz(3) not null default now(),
  "created_by" text not null,
  "updated_by" text not null`;
