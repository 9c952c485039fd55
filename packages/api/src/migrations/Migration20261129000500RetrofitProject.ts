import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

const PROJECT_TYPES = `('ULTRA_LOW_EMISSION_STEEL', 'ULTRA_LOW_EMISSION_CEMENT', 'ULTRA_LOW_EMISSION_COKING',
  'VOCS_SOURCE_SUBSTITUTION', 'VOCS_STORAGE_TANKS', 'VOCS_LOADING', 'VOCS_OPEN_LIQUID_SURFACES',
  'VOCS_PETROL_STATION_VAPOUR_RECOVERY', 'VOCS_END_OF_PIPE_UPGRADE', 'VOCS_GREEN_ISLAND',
  'CLEAN_HEATING_COAL_TO_GAS', 'CLEAN_HEATING_COAL_TO_ELECTRICITY', 'AGRICULTURAL_COAL_REPLACEMENT',
  'BOILER_ELIMINATION', 'KILN_ELIMINATION', 'GAS_GENERATOR_ELIMINATION', 'LOW_NOX_BURNER_RETROFIT',
  'RAILWAY_SPUR_LINE', 'COKE_OVEN_CLOSURE')`;

/**
 * Retrofit projects (改造项目 / 重大工程) and their funding sources. The ranges here are the
 * caps of project.rules.ts (the service checks them first, with field-level errors).
 */
export class Migration20261129000500RetrofitProject extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "retrofit_project" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "enterprise_id" integer references "enterprise" ("id"),
      "task_target_id" integer references "task_target" ("id"),
      "name" text not null check (length(trim("name")) > 0 and length("name") <= 200),
      "type" text not null check ("type" in ${PROJECT_TYPES}),
      "status" text not null default 'PLANNED' check ("status" in ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'VERIFIED')),
      "planned_start_date" date not null,
      "planned_end_date" date not null,
      "actual_start_date" date,
      "actual_end_date" date,
      "households" integer not null default 0 check ("households" between 0 and 1000000),
      "units" integer not null default 0 check ("units" between 0 and 100000),
      "capacity_tonnes" numeric(14, 2) not null default 0 check ("capacity_tonnes" between 0 and 100000000),
      "investment_yuan" numeric(16, 2) not null default 0 check ("investment_yuan" between 0 and 100000000000),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      constraint "retrofit_project_id_city_id_unique" unique ("id", "city_id"),
      check ("planned_end_date" >= "planned_start_date"),
      check ("actual_end_date" is null or ("actual_start_date" is not null and "actual_end_date" >= "actual_start_date")),
      check ("status" <> 'PLANNED' or ("actual_start_date" is null and "actual_end_date" is null)),
      check ("status" = 'PLANNED' or "actual_start_date" is not null),
      check ("status" <> 'IN_PROGRESS' or "actual_end_date" is null),
      check ("status" not in ('COMPLETED', 'VERIFIED') or "actual_end_date" is not null))`);
    this.addSql(`create index "retrofit_project_city_id_index" on "retrofit_project" ("city_id")`);
    this.addSql(`create index "retrofit_project_enterprise_id_index" on "retrofit_project" ("enterprise_id")`);
    // Progress of task targets reads the counting projects of a target by status and end date.
    this.addSql(`create index "retrofit_project_task_target_id_status_index" on "retrofit_project" ("task_target_id", "status", "actual_end_date")`);
    this.addSql(`create index "retrofit_project_type_index" on "retrofit_project" ("type")`);
    this.addSql(`create index "retrofit_project_status_index" on "retrofit_project" ("status")`);
    this.addSql(`create index "retrofit_project_planned_end_date_index" on "retrofit_project" ("planned_end_date")`);
    this.addSql(`create index "retrofit_project_created_at_index" on "retrofit_project" ("created_at")`);

    // The city key is the project's city, kept equal by the composite foreign key.
    this.addSql(`create table "project_funding" (${LEDGER_COLUMNS_SQL},
      "project_id" integer not null,
      "city_id" integer not null references "city" ("id"),
      "source" text not null check ("source" in ('CENTRAL_AIR_POLLUTION_FUND', 'LOCAL_GOVERNMENT', 'ENTERPRISE_SELF_FUNDED', 'BANK_LOAN', 'OTHER')),
      "amount_yuan" numeric(16, 2) not null check ("amount_yuan" > 0 and "amount_yuan" <= 100000000000),
      constraint "project_funding_project_fk" foreign key ("project_id", "city_id")
        references "retrofit_project" ("id", "city_id") on update cascade on delete cascade,
      constraint "project_funding_project_id_source_unique" unique ("project_id", "source"))`);
    this.addSql(`create index "project_funding_city_id_index" on "project_funding" ("city_id")`);
  }
}
