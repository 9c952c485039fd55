import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { auditTriggers, cityScopedPolicies } from './Migration20261202120100Warning.js';

/** City-scoped tables of this migration. */
export const COMBUSTION_CITY_SCOPED_TABLES = ['combustion_unit'] as const;

/**
 * The combustion-unit inventory (锅炉炉窑清单): boilers, kilns, gas producers and coke ovens of a
 * city with fuel, capacity (t/h, boilers), coking-chamber height (m, coke ovens), status and the
 * retrofit project that eliminates it. The rules of modules/inventory/combustion.rules.ts are
 * checked by the service; the checks below hold the shape of a row (dates with their status).
 */
export class Migration20261202140102CombustionUnit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "combustion_unit" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "enterprise_id" integer references "enterprise" ("id"),
      "elimination_project_id" integer references "retrofit_project" ("id"),
      "kind" text not null check ("kind" in ('BOILER', 'KILN', 'GAS_PRODUCER', 'COKE_OVEN')),
      "name" text not null check (length(trim("name")) between 1 and 200),
      "fuel" text not null check ("fuel" in ('COAL', 'GAS', 'OIL', 'BIOMASS', 'ELECTRICITY', 'OTHER')),
      "capacity_tph" numeric(8, 2) check ("capacity_tph" > 0 and "capacity_tph" <= 5000),
      "chamber_height_m" numeric(4, 2) check ("chamber_height_m" > 0 and "chamber_height_m" <= 10),
      "industry" text,
      "central_heating" boolean not null default false,
      "new_build" boolean not null default false,
      "approved_exception" boolean not null default false,
      "status" text not null check ("status" in ('OPERATING', 'SCHEDULED_FOR_ELIMINATION', 'ELIMINATED')),
      "scheduled_elimination_by" date,
      "eliminated_on" date,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      check ("kind" <> 'BOILER' or "capacity_tph" is not null),
      check ("kind" <> 'COKE_OVEN' or "chamber_height_m" is not null),
      check (("status" = 'ELIMINATED') = ("eliminated_on" is not null)),
      check ("status" <> 'ELIMINATED' or "elimination_project_id" is not null),
      check ("status" <> 'SCHEDULED_FOR_ELIMINATION' or "scheduled_elimination_by" is not null))`);
    this.addSql(`create index "combustion_unit_city_id_index" on "combustion_unit" ("city_id", "id")`);
    this.addSql(`create index "combustion_unit_elimination_project_id_index" on "combustion_unit" ("elimination_project_id") where "elimination_project_id" is not null`);
    this.addSql(`create index "combustion_unit_enterprise_id_index" on "combustion_unit" ("enterprise_id") where "enterprise_id" is not null`);
    cityScopedPolicies((sql) => this.addSql(sql), COMBUSTION_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), [{ table: 'combustion_unit', entity: 'CombustionUnit' }]);
  }
}
