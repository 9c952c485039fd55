import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { auditTriggers, cityScopedPolicies } from './Migration20261202120100Warning.js';

/** City-scoped tables of this migration. */
export const AGRICULTURE_CITY_SCOPED_TABLES = ['agricultural_coal_facility', 'ban_zone'] as const;

/**
 * The agricultural coal facility list (农业散煤设施清单), the high-pollution-fuel ban zones
 * (高污染燃料禁燃区) and the provinces' submissions (报送).
 *
 * - `agricultural_coal_facility`: greenhouses, grain dryers, livestock houses... of a city burning
 *   loose coal, and when and by which project each was switched to clean energy.
 * - `ban_zone`: a designated zone with its area (km²) and designation day.
 * - `submission`: what a province filed for a campaign (the combustion-unit inventory, the village
 *   conversion list, the ban-zone designation, the campaign summary), by whom and when, with a
 *   frozen snapshot (jsonb) of the figures it reports. Province-keyed (not city-scoped): readable
 *   by every key, written by the province's own keys only (checked by the service). Never updated
 *   or deleted (a trigger refuses it): a later filing is a new row.
 */
export class Migration20261202184200InventoriesSubmissions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "agricultural_coal_facility" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "village_id" integer references "locality" ("id"),
      "project_id" integer references "retrofit_project" ("id"),
      "name" text not null check (length(trim("name")) between 1 and 200),
      "kind" text not null check ("kind" in ('GREENHOUSE', 'GRAIN_DRYER', 'LIVESTOCK', 'TOBACCO_CURING', 'OTHER')),
      "status" text not null check ("status" in ('COAL', 'REPLACED')),
      "replaced_by" text check ("replaced_by" in ('GAS', 'ELECTRICITY', 'OTHER')),
      "replaced_on" date,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      check (("status" = 'REPLACED') = ("replaced_on" is not null)),
      check (("status" = 'REPLACED') = ("replaced_by" is not null)))`);
    this.addSql(`create index "agricultural_coal_facility_city_id_index" on "agricultural_coal_facility" ("city_id", "id")`);
    this.addSql(`create index "agricultural_coal_facility_project_id_index" on "agricultural_coal_facility" ("project_id") where "project_id" is not null`);

    this.addSql(`create table "ban_zone" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "name" text not null check (length(trim("name")) between 1 and 200),
      "area_km2" numeric(10, 2) not null check ("area_km2" > 0 and "area_km2" <= 100000),
      "designated_on" date not null,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1)`);
    this.addSql(`create index "ban_zone_city_id_index" on "ban_zone" ("city_id", "id")`);
    cityScopedPolicies((sql) => this.addSql(sql), AGRICULTURE_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), [
      { table: 'agricultural_coal_facility', entity: 'AgriculturalCoalFacility' },
      { table: 'ban_zone', entity: 'BanZone' },
    ]);

    this.addSql(`create table "submission" (
      "id" serial primary key,
      "province_id" integer not null references "province" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "kind" text not null check ("kind" in ('COMBUSTION_UNITS', 'VILLAGE_CONVERSIONS', 'BAN_ZONES', 'CAMPAIGN_SUMMARY')),
      "deadline" date not null,
      "filed_at" timestamptz(3) not null default now(),
      "filed_by" text not null,
      "filed_by_name" text,
      "note" text check (length("note") <= 4000),
      "snapshot" jsonb not null,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')))`);
    this.addSql(`create index "submission_province_index" on "submission" ("province_id", "campaign_id", "kind", "filed_at")`);
    this.addSql(`create function "submission_frozen"() returns trigger language plpgsql as $$
      begin raise exception 'A submission is frozen: it cannot be changed or deleted'; end $$`);
    this.addSql(`create trigger "submission_frozen" before update or delete on "submission" for each row execute function "submission_frozen"()`);
  }
}
