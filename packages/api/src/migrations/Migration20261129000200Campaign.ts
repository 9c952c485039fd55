import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

export class Migration20261129000200Campaign extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "campaign" (${LEDGER_COLUMNS_SQL},
      "code" text not null unique,
      "name_zh" text not null,
      "name_en" text not null,
      "period_start" date not null,
      "period_end" date not null,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      check ("period_end" > "period_start"))`);
    // Which generated datasets have been loaded, so that start-up seeds an empty database once.
    this.addSql(`create table "dataset_seed" (
      "name" text primary key,
      "seed" integer not null,
      "seeded_at" timestamptz not null default now())`);
  }
}
