import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { auditTriggers, cityScopedPolicies } from './Migration20261202120100Warning.js';

/** City-scoped tables of this migration. */
export const HOUSEHOLD_CITY_SCOPED_TABLES = ['locality', 'household_conversion'] as const;

/**
 * Places below the city and the village conversion list (村级散煤改造清单).
 *
 * - `locality`: the counties (县/区), townships (乡镇/街道) and villages (村/社区) of a city, each
 *   under its parent of the level above in the same city (a county has none); every row carries
 *   its city key.
 * - `heating_season`: each city's heating season of a campaign (its start is when households must
 *   heat with the new system; the COAL_HOUSEHOLDS target counts conversions by it). Reference
 *   data loaded with the plan (modules/inventory/heating-season.seed.ts), readable by everyone.
 * - `household_conversion`: households of one village converted in one batch from loose coal to
 *   a new system (GAS, ELECTRICITY, OTHER), with the clean-heating project that did it. Build
 *   before break (先立后破、不立不破) is held here too: the old heating may only be recorded as
 *   removed once the new supply is stable and has run through a heating season.
 */
export class Migration20261202184100HouseholdConversion extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "locality" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "parent_id" integer references "locality" ("id"),
      "level" text not null check ("level" in ('COUNTY', 'TOWNSHIP', 'VILLAGE')),
      "name_zh" text not null check (length(trim("name_zh")) between 1 and 100),
      "division_code" text check ("division_code" ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      check (("level" = 'COUNTY') = ("parent_id" is null)))`);
    this.addSql(`create index "locality_city_id_index" on "locality" ("city_id", "id")`);
    this.addSql(`create index "locality_parent_id_index" on "locality" ("parent_id") where "parent_id" is not null`);
    this.addSql(`create unique index "locality_name_unique" on "locality" ("city_id", coalesce("parent_id", 0), "name_zh")`);

    this.addSql(`create table "heating_season" (
      "id" serial primary key,
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "starts_on" date not null,
      "ends_on" date not null,
      "source" text not null,
      check ("ends_on" > "starts_on"),
      unique ("city_id", "campaign_id"))`);

    this.addSql(`create table "household_conversion" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "village_id" integer not null references "locality" ("id"),
      "project_id" integer references "retrofit_project" ("id"),
      "households" integer not null check ("households" between 1 and 100000),
      "new_system" text not null check ("new_system" in ('GAS', 'ELECTRICITY', 'OTHER')),
      "converted_on" date not null,
      "supply_stable" boolean not null default false,
      "first_season_completed_on" date,
      "old_heating_removed_on" date,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      check ("first_season_completed_on" is null or "first_season_completed_on" > "converted_on"),
      check ("old_heating_removed_on" is null or ("supply_stable" and "first_season_completed_on" is not null and "old_heating_removed_on" >= "first_season_completed_on")))`);
    this.addSql(`create index "household_conversion_city_id_index" on "household_conversion" ("city_id", "id")`);
    this.addSql(`create index "household_conversion_project_id_index" on "household_conversion" ("project_id") where "project_id" is not null`);
    this.addSql(`create index "household_conversion_village_id_index" on "household_conversion" ("village_id")`);
    cityScopedPolicies((sql) => this.addSql(sql), HOUSEHOLD_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), [
      { table: 'locality', entity: 'Locality' },
      { table: 'household_conversion', entity: 'HouseholdConversion' },
    ]);
  }
}
