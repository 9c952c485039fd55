import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

const GRADES = `('LEADING', 'A', 'B', 'C', 'D')`;

export class Migration20261129000300Enterprise extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "enterprise" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "name" text not null check (length(trim("name")) > 0),
      "credit_code" text not null unique check ("credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
      "industry" text not null check ("industry" in ('STEEL', 'CEMENT', 'COKING', 'GLASS', 'FOUNDRY', 'BRICK_AND_TILE',
        'NONFERROUS_SMELTING', 'COAL_WASHING', 'LIME', 'REFRACTORY', 'PETROCHEMICAL', 'CHEMICAL', 'INDUSTRIAL_COATING',
        'PACKAGING_AND_PRINTING', 'OIL_STORAGE_AND_DISTRIBUTION', 'POWER', 'HEATING_BOILER', 'OTHER')),
      "size" text not null check ("size" in ('LARGE', 'MEDIUM', 'SMALL', 'MICRO')),
      "key_discharger" boolean not null default false,
      "online_monitoring" boolean not null default false,
      "ultra_low_emission_status" text not null default 'NOT_STARTED'
        check ("ultra_low_emission_status" in ('NOT_STARTED', 'RETROFITTING', 'COMPLETED', 'ASSESSED_AND_PUBLICISED')),
      "protected_class" text not null default 'NONE'
        check ("protected_class" in ('NONE', 'CITY_CONSENTED', 'PROVINCE_REVIEWED', 'MINISTRY_FILED')),
      "benchmark" boolean not null default false,
      "positive_list" boolean not null default false,
      "current_grade" text check ("current_grade" in ${GRADES}),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      -- Steel, cement and coking hold LEADING, A or B only with assessed-and-publicised ultra-low emission.
      constraint "enterprise_ultra_low_emission_grade_check" check (not (
        "industry" in ('STEEL', 'CEMENT', 'COKING') and "current_grade" in ('LEADING', 'A', 'B')
        and "ultra_low_emission_status" <> 'ASSESSED_AND_PUBLICISED')))`);
    this.addSql(`create index "enterprise_city_id_index" on "enterprise" ("city_id")`);
    this.addSql(`create index "enterprise_industry_index" on "enterprise" ("industry")`);
    this.addSql(`create index "enterprise_current_grade_index" on "enterprise" ("current_grade")`);
    this.addSql(`create index "enterprise_name_index" on "enterprise" ("name", "id")`);
    this.addSql(`create index "enterprise_city_id_name_index" on "enterprise" ("city_id", "name", "id")`);

    this.addSql(`create table "grade_change" (${LEDGER_COLUMNS_SQL},
      "enterprise_id" integer not null references "enterprise" ("id"),
      "city_id" integer not null references "city" ("id"),
      "from_grade" text check ("from_grade" in ${GRADES}),
      "to_grade" text not null check ("to_grade" in ${GRADES}),
      "reason" text not null check ("reason" in ('ASSESSMENT', 'UPGRADE_ON_IMPROVEMENT', 'DOWNGRADE_FOR_VIOLATION',
        'FALSIFIED_MONITORING', 'FAILED_EMERGENCY_CUTS')),
      "note" text,
      "decided_by" text not null check (length(trim("decided_by")) > 0),
      "decided_at" timestamptz(3) not null,
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      check ("reason" <> 'FALSIFIED_MONITORING' or "to_grade" = 'D'),
      check ("from_grade" is distinct from "to_grade"))`);
    this.addSql(`create index "grade_change_enterprise_id_decided_at_index" on "grade_change" ("enterprise_id", "decided_at")`);
    this.addSql(`create index "grade_change_city_id_index" on "grade_change" ("city_id")`);
    this.addSql(`create index "grade_change_decided_at_id_index" on "grade_change" ("decided_at", "id")`);
  }
}
