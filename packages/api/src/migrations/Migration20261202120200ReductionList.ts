import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { auditTriggers, cityScopedPolicies } from './Migration20261202120100Warning.js';

const GRADES = `('LEADING', 'A', 'B', 'C', 'D')`;
const MEASURES = `('SELF_DETERMINED', 'STAGGER', 'LIMIT_PRODUCTION', 'STOP_LINES', 'STOP_PRODUCTION', 'PROTECTED_EXEMPT')`;
const TONNES = (c: string) => `"${c}" numeric(12, 4) not null default 0 check ("${c}" between 0 and 100000)`;
const PERCENT = (c: string) => `"${c}" numeric(5, 2) not null default 0 check ("${c}" between 0 and 100)`;

/** City-scoped tables of this migration. */
export const REDUCTION_CITY_SCOPED_TABLES = ['reduction_list_entry', 'measure_check'] as const;

/**
 * The emergency reduction list (应急减排清单) per city and campaign, one entry per enterprise
 * with its grade at listing, protected-class exemption, baseline emissions and the measure and
 * cut (percent of its baseline) at each warning level; and measure checks (督查) of listed
 * enterprises during a warning, a failed one proposing a FAILED_EMERGENCY_CUTS grade change.
 */
export class Migration20261202120200ReductionList extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "reduction_list_entry" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "enterprise_id" integer not null references "enterprise" ("id"),
      "grade_at_listing" text check ("grade_at_listing" in ${GRADES}),
      "protected_exempt" boolean not null default false,
      ${TONNES('so2_baseline')}, ${TONNES('nox_baseline')}, ${TONNES('pm_baseline')}, ${TONNES('vocs_baseline')},
      "yellow_measure" text not null check ("yellow_measure" in ${MEASURES}),
      ${PERCENT('yellow_cut_percent')},
      "orange_measure" text not null check ("orange_measure" in ${MEASURES}),
      ${PERCENT('orange_cut_percent')},
      "red_measure" text not null check ("red_measure" in ${MEASURES}),
      ${PERCENT('red_cut_percent')},
      "measure_note" text check (length("measure_note") <= 4000),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      constraint "reduction_list_entry_id_city_id_unique" unique ("id", "city_id"),
      constraint "reduction_list_entry_campaign_id_enterprise_id_unique" unique ("campaign_id", "enterprise_id"),
      check ("yellow_cut_percent" <= "orange_cut_percent" and "orange_cut_percent" <= "red_cut_percent"))`);
    this.addSql(`create index "reduction_list_entry_city_id_campaign_id_index" on "reduction_list_entry" ("city_id", "campaign_id")`);
    this.addSql(`create index "reduction_list_entry_enterprise_id_index" on "reduction_list_entry" ("enterprise_id")`);

    this.addSql(`create table "measure_check" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "warning_id" integer not null,
      "entry_id" integer not null,
      "enterprise_id" integer not null references "enterprise" ("id"),
      "checked_at" timestamptz(3) not null,
      "method" text not null check ("method" in ('ON_SITE', 'POWER_USE', 'ONLINE_MONITORING')),
      "result" text not null check ("result" in ('PASSED', 'FAILED')),
      "finding" text check (length("finding") <= 4000),
      "inspector" text not null check (length(trim("inspector")) between 1 and 200),
      "proposed_grade" text check ("proposed_grade" in ${GRADES}),
      "proposal_status" text check ("proposal_status" in ('PROPOSED', 'ACCEPTED', 'REJECTED')),
      "grade_change_id" integer references "grade_change" ("id"),
      "origin" text not null check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      "version" integer not null default 1,
      constraint "measure_check_warning_fk" foreign key ("warning_id", "city_id") references "warning" ("id", "city_id"),
      constraint "measure_check_entry_fk" foreign key ("entry_id", "city_id") references "reduction_list_entry" ("id", "city_id"),
      check ("result" = 'FAILED' or "proposal_status" is null),
      check (("proposal_status" = 'ACCEPTED') = ("grade_change_id" is not null)))`);
    this.addSql(`create index "measure_check_city_id_checked_at_index" on "measure_check" ("city_id", "checked_at")`);
    this.addSql(`create index "measure_check_warning_id_index" on "measure_check" ("warning_id")`);
    this.addSql(`create index "measure_check_entry_id_index" on "measure_check" ("entry_id")`);

    cityScopedPolicies((sql) => this.addSql(sql), REDUCTION_CITY_SCOPED_TABLES);
    auditTriggers((sql) => this.addSql(sql), [
      { table: 'reduction_list_entry', entity: 'ReductionListEntry' },
      { table: 'measure_check', entity: 'MeasureCheck' },
    ]);
  }
}
