import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { APP_ROLE } from './Migration20261129000800AccessControl.js';
import { NATIONAL_ROLE } from './Migration20261202000100SargablePolicies.js';

const LEVELS = `('YELLOW', 'ORANGE', 'RED')`;
const POLLUTANTS = `('PM25', 'PM10', 'O3', 'NO2', 'SO2', 'CO')`;
const ORIGINS = `('PLAN', 'DEMO', 'RECORDED')`;

/** City-scoped tables of this migration (row-level security as in migration 20261202000100). */
export const WARNING_CITY_SCOPED_TABLES = ['forecast', 'forecast_day', 'regional_linkage_city', 'warning', 'warning_change'] as const;

/** Audited tables of this migration and the entity names of their audit events. */
export const WARNING_AUDITED_TABLES: { table: string; entity: string }[] = [
  { table: 'forecast', entity: 'Forecast' },
  { table: 'forecast_day', entity: 'ForecastDay' },
  { table: 'regional_linkage', entity: 'RegionalLinkage' },
  { table: 'regional_linkage_city', entity: 'RegionalLinkageCity' },
  { table: 'warning', entity: 'Warning' },
  { table: 'warning_change', entity: 'WarningChange' },
];

/** Writes the row-level-security policies of city-scoped tables, the way migration 20261202000100 does. */
export function cityScopedPolicies(addSql: (sql: string) => void, tables: readonly string[]): void {
  const mine = `"city_id" = any((select "app_city_ids"())::integer[])`;
  const write = `(select current_setting('app.write', true))`;
  const scoped = `(${write} = 'cities' and ${mine})`;
  const national = `(${write} = 'all')`;
  for (const table of tables) {
    addSql(`alter table "${table}" enable row level security`);
    addSql(`create policy "${table}_read" on "${table}" for select to ${APP_ROLE} using (${mine})`);
    addSql(`create policy "${table}_national_read" on "${table}" for select to ${NATIONAL_ROLE} using (true)`);
    addSql(`create policy "${table}_insert" on "${table}" for insert to ${APP_ROLE} with check ${scoped}`);
    addSql(`create policy "${table}_update" on "${table}" for update to ${APP_ROLE} using ${scoped} with check ${scoped}`);
    addSql(`create policy "${table}_delete" on "${table}" for delete to ${APP_ROLE} using ${scoped}`);
    addSql(`create policy "${table}_national_insert" on "${table}" for insert to ${NATIONAL_ROLE} with check ${national}`);
    addSql(`create policy "${table}_national_update" on "${table}" for update to ${NATIONAL_ROLE} using ${national} with check ${national}`);
    addSql(`create policy "${table}_national_delete" on "${table}" for delete to ${NATIONAL_ROLE} using ${national}`);
  }
}

/** Writes the audit triggers of tables (the function audit_row of migration 20261129000800). */
export function auditTriggers(addSql: (sql: string) => void, tables: { table: string; entity: string }[]): void {
  for (const { table, entity } of tables) {
    addSql(`create trigger "${table}_audit" after insert or update or delete on "${table}"
      for each row when (coalesce(current_setting('app.operation', true), '') <> '') execute function "audit_row"('${entity}')`);
  }
}

/**
 * Forecasts (预测预报), regional emergency linkages (区域应急联动) and heavy-pollution warnings
 * (重污染天气预警) with their dated changes.
 *
 * A warning is open from its issue until it is lifted; one open warning per city (a partial
 * unique index). Its changes (ISSUED, RAISED, LOWERED, EXTENDED, LIFTED) are rows of
 * warning_change, each dated by when it takes effect, and, being audited, in the trail too.
 */
export class Migration20261202120100Warning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "forecast" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "issued_at" timestamptz(3) not null,
      "source" text not null check ("source" in ('CITY', 'PROVINCE', 'REGIONAL_CENTRE', 'THIRD_PARTY')),
      "system_name" text check (length("system_name") <= 200),
      "origin" text not null check ("origin" in ${ORIGINS}),
      constraint "forecast_id_city_id_unique" unique ("id", "city_id"),
      constraint "forecast_city_id_source_issued_at_unique" unique ("city_id", "source", "issued_at"))`);
    this.addSql(`create index "forecast_issued_at_index" on "forecast" ("issued_at")`);

    this.addSql(`create table "forecast_day" (
      "id" serial primary key,
      "forecast_id" integer not null,
      "city_id" integer not null references "city" ("id"),
      "day" date not null,
      "aqi" integer not null check ("aqi" between 0 and 500),
      "primary_pollutant" text check ("primary_pollutant" in ${POLLUTANTS}),
      constraint "forecast_day_forecast_fk" foreign key ("forecast_id", "city_id")
        references "forecast" ("id", "city_id") on update cascade on delete cascade,
      constraint "forecast_day_forecast_id_day_unique" unique ("forecast_id", "day"))`);
    this.addSql(`create index "forecast_day_city_id_day_index" on "forecast_day" ("city_id", "day")`);

    this.addSql(`create table "regional_linkage" (${LEDGER_COLUMNS_SQL},
      "province_id" integer references "province" ("id"),
      "level" text not null check ("level" in ${LEVELS}),
      "authority" text not null check (length(trim("authority")) between 1 and 200),
      "issued_at" timestamptz(3) not null,
      "effective_from" timestamptz(3) not null,
      "planned_end" timestamptz(3) not null,
      "lifted_at" timestamptz(3),
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      check ("planned_end" > "effective_from"),
      check ("lifted_at" is null or "lifted_at" >= "issued_at"))`);
    this.addSql(`create index "regional_linkage_effective_from_index" on "regional_linkage" ("effective_from")`);

    this.addSql(`create table "regional_linkage_city" (
      "id" serial primary key,
      "linkage_id" integer not null references "regional_linkage" ("id") on delete cascade,
      "city_id" integer not null references "city" ("id"),
      constraint "regional_linkage_city_linkage_id_city_id_unique" unique ("linkage_id", "city_id"))`);
    this.addSql(`create index "regional_linkage_city_city_id_index" on "regional_linkage_city" ("city_id")`);

    this.addSql(`create table "warning" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "level" text not null check ("level" in ${LEVELS}),
      "issued_at" timestamptz(3) not null,
      "effective_from" timestamptz(3) not null,
      "planned_end" timestamptz(3) not null,
      "lifted_at" timestamptz(3),
      "forecast_id" integer,
      "authority" text not null check (length(trim("authority")) between 1 and 200),
      "linkage_id" integer references "regional_linkage" ("id"),
      "flag_reasons" text[] not null default '{}',
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      constraint "warning_id_city_id_unique" unique ("id", "city_id"),
      constraint "warning_forecast_fk" foreign key ("forecast_id", "city_id") references "forecast" ("id", "city_id"),
      check ("planned_end" > "effective_from"),
      check ("lifted_at" is null or "lifted_at" >= "issued_at"))`);
    // One open (not lifted) warning per city.
    this.addSql(`create unique index "warning_one_open_per_city" on "warning" ("city_id") where "lifted_at" is null`);
    this.addSql(`create index "warning_city_id_effective_from_index" on "warning" ("city_id", "effective_from")`);
    this.addSql(`create index "warning_effective_from_index" on "warning" ("effective_from")`);
    this.addSql(`create index "warning_linkage_id_index" on "warning" ("linkage_id")`);

    this.addSql(`create table "warning_change" (${LEDGER_COLUMNS_SQL},
      "warning_id" integer not null,
      "city_id" integer not null references "city" ("id"),
      "kind" text not null check ("kind" in ('ISSUED', 'RAISED', 'LOWERED', 'EXTENDED', 'LIFTED')),
      "effective_at" timestamptz(3) not null,
      "level" text not null check ("level" in ${LEVELS}),
      "previous_level" text check ("previous_level" in ${LEVELS}),
      "planned_end" timestamptz(3) not null,
      "previous_planned_end" timestamptz(3),
      "forecast_id" integer,
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}),
      constraint "warning_change_warning_fk" foreign key ("warning_id", "city_id")
        references "warning" ("id", "city_id") on update cascade on delete cascade,
      constraint "warning_change_forecast_fk" foreign key ("forecast_id", "city_id") references "forecast" ("id", "city_id"))`);
    this.addSql(`create index "warning_change_warning_id_effective_at_index" on "warning_change" ("warning_id", "effective_at", "id")`);
    this.addSql(`create index "warning_change_city_id_index" on "warning_change" ("city_id")`);

    cityScopedPolicies((sql) => this.addSql(sql), WARNING_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), WARNING_AUDITED_TABLES);
  }
}
