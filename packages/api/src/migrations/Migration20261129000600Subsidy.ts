import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

const ORIGINS = `('PLAN', 'DEMO', 'RECORDED')`;

/**
 * Subsidy programs, their budget per city and the disbursements paid from them. The budget rule
 * (a city's disbursements of a program never exceed its budget) is enforced by the service under
 * a row lock on the budget; the tables guarantee everything that one row can express.
 */
export class Migration20261129000600Subsidy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "subsidy_program" (${LEDGER_COLUMNS_SQL},
      "campaign_id" integer not null references "campaign" ("id"),
      "code" text not null unique check ("code" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length("code") <= 64),
      "name_zh" text not null check (length(trim("name_zh")) > 0),
      "name_en" text not null check (length(trim("name_en")) > 0),
      "kind" text not null check ("kind" in ('CLEAN_HEATING_OPERATING', 'CLEAN_HEATING_EQUIPMENT',
        'CENTRAL_AIR_POLLUTION_FUND', 'LOCAL_AIR_POLLUTION_FUND')),
      "description" text,
      "origin" text not null check ("origin" in ${ORIGINS}))`);
    this.addSql(`create index "subsidy_program_campaign_id_index" on "subsidy_program" ("campaign_id")`);
    this.addSql(`create index "subsidy_program_kind_index" on "subsidy_program" ("kind")`);

    this.addSql(`create table "subsidy_budget" (${LEDGER_COLUMNS_SQL},
      "program_id" integer not null references "subsidy_program" ("id"),
      "city_id" integer not null references "city" ("id"),
      "amount_yuan" numeric(16, 2) not null check ("amount_yuan" >= 0),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      constraint "subsidy_budget_program_id_city_id_unique" unique ("program_id", "city_id"),
      -- Target of the disbursement's composite key: a disbursement's budget is of its program and city.
      constraint "subsidy_budget_id_program_id_city_id_unique" unique ("id", "program_id", "city_id"))`);
    this.addSql(`create index "subsidy_budget_city_id_index" on "subsidy_budget" ("city_id")`);

    this.addSql(`create table "disbursement" (${LEDGER_COLUMNS_SQL},
      "program_id" integer not null references "subsidy_program" ("id"),
      "budget_id" integer not null references "subsidy_budget" ("id"),
      "city_id" integer not null references "city" ("id"),
      "recipient_kind" text not null check ("recipient_kind" in ('HOUSEHOLD', 'ENTERPRISE')),
      "household_name" text check (length(trim("household_name")) > 0),
      "household_id_number" text check ("household_id_number" ~ '^[1-9][0-9]{16}[0-9X]$'),
      "enterprise_id" integer references "enterprise" ("id"),
      "low_income" boolean,
      "amount_yuan" numeric(14, 2) not null check ("amount_yuan" > 0 and "amount_yuan" <= 100000000),
      "approved_on" date not null,
      "paid_on" date,
      "note" text,
      "origin" text not null check ("origin" in ${ORIGINS}),
      constraint "disbursement_budget_fk" foreign key ("budget_id", "program_id", "city_id")
        references "subsidy_budget" ("id", "program_id", "city_id"),
      constraint "disbursement_recipient_check" check (
        ("recipient_kind" = 'HOUSEHOLD' and "household_name" is not null and "household_id_number" is not null
          and "low_income" is not null and "enterprise_id" is null)
        or ("recipient_kind" = 'ENTERPRISE' and "enterprise_id" is not null and "household_name" is null
          and "household_id_number" is null and "low_income" is null)),
      constraint "disbursement_paid_on_check" check ("paid_on" is null or "paid_on" >= "approved_on"))`);
    this.addSql(`create index "disbursement_program_id_index" on "disbursement" ("program_id")`);
    this.addSql(`create index "disbursement_budget_id_index" on "disbursement" ("budget_id")`);
    this.addSql(`create index "disbursement_city_id_index" on "disbursement" ("city_id")`);
    this.addSql(`create index "disbursement_enterprise_id_index" on "disbursement" ("enterprise_id") where "enterprise_id" is not null`);
    this.addSql(`create index "disbursement_approved_on_index" on "disbursement" ("approved_on")`);
  }
}
