import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

export class Migration20261129000100Geography extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "region" (${LEDGER_COLUMNS_SQL},
      "code" text not null unique check ("code" in ('JJJ_SURROUNDING', 'FENWEI_PLAIN')),
      "name_zh" text not null,
      "name_en" text not null)`);
    this.addSql(`create table "province" (${LEDGER_COLUMNS_SQL},
      "slug" text not null unique check ("slug" ~ '^[a-z0-9-]+$'),
      "name_zh" text not null,
      "name_en" text not null,
      "division_code" text not null check ("division_code" ~ '^[0-9]{6}$'))`);
    this.addSql(`create table "city" (${LEDGER_COLUMNS_SQL},
      "slug" text not null unique check ("slug" ~ '^[a-z0-9-]+$'),
      "name_zh" text not null,
      "name_en" text not null,
      "kind" text not null check ("kind" in ('MUNICIPALITY', 'PREFECTURE_CITY', 'NEW_AREA', 'COUNTY_LEVEL_CITY', 'DEMONSTRATION_ZONE')),
      "division_code" text check ("division_code" ~ '^[0-9]{6}$'),
      "province_id" integer not null references "province" ("id"),
      "region_code" text not null references "region" ("code"),
      "plan_order" integer not null)`);
    this.addSql(`create index "city_province_id_index" on "city" ("province_id")`);
    this.addSql(`create index "city_region_code_index" on "city" ("region_code")`);
  }
}
