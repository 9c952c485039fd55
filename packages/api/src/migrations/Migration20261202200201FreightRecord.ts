import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { auditTriggers, cityScopedPolicies } from './Migration20261202120100Warning.js';

/** City-scoped tables of this migration (row-level security as in migration 20261202000100). */
export const FREIGHT_CITY_SCOPED_TABLES = ['freight_record'] as const;

/**
 * Monthly rail freight records (铁路货运量): the tonnes of bulk freight a railway (or a station, or
 * a route) of a city actually carried in a month, where the figure comes from (the railway
 * operator's statistics, the city's transport bureau), one row per city, railway and month.
 * Tangshan's Shuicao railway target (TANGSHAN_SHUICAO_RAIL_VOLUME, "大宗物料运输量达到0.2亿吨")
 * counts these tonnes (modules/target/target.progress.ts FREIGHT_COUNTED_TARGETS), not the
 * capacity of spur-line projects.
 *
 * `month` is the text YYYY-MM (it sorts as it reads, and compares with to_char of a date).
 */
export class Migration20261202200201FreightRecord extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "freight_record" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "railway" text not null check (length(trim("railway")) between 1 and 100 and "railway" = trim("railway")),
      "month" text not null check ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      "tonnes" numeric(14, 2) not null check ("tonnes" >= 0 and "tonnes" <= 100000000),
      "source" text not null check (length(trim("source")) between 1 and 200),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      constraint "freight_record_city_id_railway_month_unique" unique ("city_id", "railway", "month"))`);
    this.addSql(`create index "freight_record_city_id_index" on "freight_record" ("city_id", "id")`);
    this.addSql(`create index "freight_record_month_index" on "freight_record" ("month")`);
    cityScopedPolicies((sql) => this.addSql(sql), FREIGHT_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), [{ table: 'freight_record', entity: 'FreightRecord' }]);
  }
}
