import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

/**
 * Task targets of a campaign (quantified tasks with a deadline: coal households, steel capacity,
 * VOCs enterprises, ...) and their breakdown by province or city. Progress is never stored: it is
 * computed from the retrofit projects that count toward a target.
 */
export class Migration20261129000400TaskTarget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "task_target" (${LEDGER_COLUMNS_SQL},
      "campaign_id" integer not null references "campaign" ("id"),
      "code" text not null check ("code" ~ '^[A-Z][A-Z0-9_]*$'),
      "name_zh" text not null check (length(trim("name_zh")) > 0),
      "name_en" text not null check (length(trim("name_en")) > 0),
      "comparator" text not null check ("comparator" in ('AT_LEAST', 'MORE_THAN', 'AT_MOST', 'DONE')),
      "quantity" numeric(16, 2) check ("quantity" >= 0),
      "unit" text check ("unit" in ('household', 'unit', 'tonne', 'enterprise')),
      "deadline" date not null,
      "deadline_note" text,
      "scope" text not null check ("scope" in ('CAMPAIGN', 'PROVINCE', 'CITY')),
      "province_id" integer references "province" ("id"),
      "city_id" integer references "city" ("id"),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      constraint "task_target_campaign_id_code_unique" unique ("campaign_id", "code"),
      check (("comparator" = 'DONE') = ("quantity" is null)),
      check (("comparator" = 'DONE') = ("unit" is null)),
      check ("scope" <> 'CAMPAIGN' or ("province_id" is null and "city_id" is null)),
      check ("scope" <> 'PROVINCE' or ("province_id" is not null and "city_id" is null)),
      check ("scope" <> 'CITY' or "city_id" is not null))`);
    // campaign_id is covered by the leading column of the unique index.
    this.addSql(`create index "task_target_province_id_index" on "task_target" ("province_id")`);
    this.addSql(`create index "task_target_city_id_index" on "task_target" ("city_id")`);

    this.addSql(`create table "task_target_breakdown" (${LEDGER_COLUMNS_SQL},
      "task_target_id" integer not null references "task_target" ("id") on delete cascade,
      "province_id" integer references "province" ("id"),
      "city_id" integer references "city" ("id"),
      "quantity" numeric(16, 2) not null check ("quantity" >= 0),
      check ("province_id" is not null or "city_id" is not null),
      constraint "task_target_breakdown_place_unique" unique nulls not distinct ("task_target_id", "province_id", "city_id"))`);
    this.addSql(`create index "task_target_breakdown_province_id_index" on "task_target_breakdown" ("province_id")`);
    this.addSql(`create index "task_target_breakdown_city_id_index" on "task_target_breakdown" ("city_id")`);
  }
}
