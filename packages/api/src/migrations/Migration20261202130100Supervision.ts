import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';
import { APP_ROLE } from './Migration20261129000800AccessControl.js';
import { NATIONAL_ROLE } from './Migration20261202000100SargablePolicies.js';

const ORIGINS = `('PLAN', 'DEMO', 'RECORDED')`;
const STAGES = `('IDENTIFIED', 'INVESTIGATING', 'RECTIFYING', 'SUPERVISED', 'SPOT_CHECK', 'CLOSED', 'CLOSED_UNFOUNDED')`;
const RESULTS = `('PASSED', 'NOT_REAL', 'RECTIFICATION_FAILED')`;

/** Tables of supervision whose rows belong to one city (row-level security, compiled reads' scope predicate). */
export const SUPERVISION_CITY_SCOPED_TABLES = [
  'clue',
  'clue_step',
  'enforcement_action',
  'falsification_finding',
  'fraud_list_entry',
  'subsidy_block',
  'city_assessment_verdict',
  'inspection',
] as const;

/** Audited tables of supervision and the entity name of their audit events. */
export const SUPERVISION_AUDITED_TABLES: { table: string; entity: string }[] = [
  { table: 'supervision_round', entity: 'SupervisionRound' },
  { table: 'clue', entity: 'Clue' },
  { table: 'clue_step', entity: 'ClueStep' },
  { table: 'enforcement_action', entity: 'EnforcementAction' },
  { table: 'falsification_finding', entity: 'FalsificationFinding' },
  { table: 'fraud_list_entry', entity: 'FraudListEntry' },
  { table: 'subsidy_block', entity: 'SubsidyBlock' },
  { table: 'city_assessment_verdict', entity: 'CityAssessmentVerdict' },
  { table: 'inspection', entity: 'Inspection' },
];

/**
 * Supervision (plan section 八): rounds of clues pushed by the ministry or a province, clues and
 * their stage steps, enforcement actions, the consequences of a confirmed falsification of
 * monitoring data (finding, fraud list entries, subsidy block, the city's assessment verdict)
 * and inspections (无事不扰 for positive-list enterprises).
 *
 * A falsification is sanctioned with a grade change to D even when the enterprise already holds D:
 * the grade change table's "from differs from to" check now spares reason FALSIFIED_MONITORING.
 */
export class Migration20261202130100Supervision extends Migration {
  override async up(): Promise<void> {
    // ---------------------------------------------------------------- grade change D -> D for falsification
    this.addSql(`do $$
      declare c text;
      begin
        for c in select conname from pg_constraint
          where conrelid = 'grade_change'::regclass and contype = 'c' and pg_get_constraintdef(oid) ilike '%from_grade%is distinct from%to_grade%'
        loop
          execute format('alter table grade_change drop constraint %I', c);
        end loop;
      end $$`);
    this.addSql(`alter table "grade_change" add constraint "grade_change_changes_grade_check"
      check ("from_grade" is distinct from "to_grade" or "reason" = 'FALSIFIED_MONITORING')`);

    // ---------------------------------------------------------------- rounds
    this.addSql(`create table "supervision_round" (${LEDGER_COLUMNS_SQL},
      "campaign_id" integer not null references "campaign" ("id"),
      "province_id" integer references "province" ("id"),
      "number" integer not null check ("number" between 1 and 999),
      "title" text not null check (length(trim("title")) between 1 and 200),
      "pushed_on" date not null,
      "due_on" date not null,
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      check ("due_on" >= "pushed_on"))`);
    this.addSql(`create unique index "supervision_round_number_unique" on "supervision_round" ("campaign_id", coalesce("province_id", 0), "number")`);
    this.addSql(`create index "supervision_round_province_id_index" on "supervision_round" ("province_id")`);

    // ---------------------------------------------------------------- clues
    this.addSql(`create table "clue" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "round_id" integer references "supervision_round" ("id"),
      "enterprise_id" integer references "enterprise" ("id"),
      "location" text check (length(trim("location")) between 1 and 500),
      "source" text not null check ("source" in ('SATELLITE_HOTSPOT', 'ONLINE_MONITORING_ANOMALY', 'POWER_USE_ANOMALY',
        'STRAW_FIRE_POINT', 'EMERGENCY_CHECK_FAILURE', 'COMPLAINT', 'ON_SITE_FINDING')),
      "topic" text not null check ("topic" in ('HEAVY_POLLUTION_RESPONSE', 'KEY_ENTERPRISE_GOVERNANCE', 'SELF_MONITORING_DATA',
        'LOOSE_COAL', 'DUST', 'STRAW_BURNING')),
      "evidence" text not null check (length(trim("evidence")) between 1 and 4000),
      "stage" text not null check ("stage" in ${STAGES}),
      "identified_at" timestamptz(3) not null,
      "investigating_at" timestamptz(3),
      "rectifying_at" timestamptz(3),
      "supervised_at" timestamptz(3),
      "spot_check_at" timestamptz(3),
      "closed_at" timestamptz(3),
      "rectification_due" date,
      "confirmed" boolean,
      "spot_check_result" text check ("spot_check_result" in ${RESULTS}),
      "spot_check_failed" boolean not null default false,
      "reopen_count" integer not null default 0 check ("reopen_count" >= 0),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      check ("enterprise_id" is not null or "location" is not null),
      check ("stage" <> 'RECTIFYING' or "rectification_due" is not null),
      check (("stage" in ('CLOSED', 'CLOSED_UNFOUNDED')) = ("closed_at" is not null)),
      check ("stage" <> 'CLOSED_UNFOUNDED' or "confirmed" = false),
      check ("stage" not in ('RECTIFYING', 'SUPERVISED', 'SPOT_CHECK', 'CLOSED') or "confirmed" = true))`);
    this.addSql(`create index "clue_city_id_index" on "clue" ("city_id", "identified_at", "id")`);
    this.addSql(`create index "clue_round_id_index" on "clue" ("round_id")`);
    this.addSql(`create index "clue_campaign_id_index" on "clue" ("campaign_id")`);
    this.addSql(`create index "clue_enterprise_id_index" on "clue" ("enterprise_id") where "enterprise_id" is not null`);
    this.addSql(`create index "clue_stage_index" on "clue" ("stage")`);
    this.addSql(`create index "clue_identified_at_index" on "clue" ("identified_at", "id")`);

    this.addSql(`create table "clue_step" (${LEDGER_COLUMNS_SQL},
      "clue_id" integer not null references "clue" ("id"),
      "city_id" integer not null references "city" ("id"),
      "seq" integer not null check ("seq" >= 1),
      "from_stage" text check ("from_stage" in ${STAGES}),
      "to_stage" text not null check ("to_stage" in ${STAGES}),
      "entered_at" timestamptz(3) not null,
      "role" text not null,
      "note" text check (length("note") <= 4000),
      "spot_check_result" text check ("spot_check_result" in ${RESULTS}),
      "rectification_due" date,
      "origin" text not null check ("origin" in ${ORIGINS}),
      unique ("clue_id", "seq"))`);
    this.addSql(`create index "clue_step_city_id_index" on "clue_step" ("city_id")`);

    // ---------------------------------------------------------------- enforcement actions
    this.addSql(`create table "enforcement_action" (${LEDGER_COLUMNS_SQL},
      "clue_id" integer not null references "clue" ("id"),
      "city_id" integer not null references "city" ("id"),
      "enterprise_id" integer references "enterprise" ("id"),
      "kind" text not null check ("kind" in ('TOLERANT_CORRECTION', 'CORRECTION_ORDER', 'FINE', 'PRODUCTION_RESTRICTION', 'POLICE_TRANSFER')),
      "fine_yuan" numeric(14, 2) check ("fine_yuan" > 0 and "fine_yuan" <= 100000000),
      "publicised" boolean not null default false,
      "decided_on" date not null,
      "decided_by" text not null check (length(trim("decided_by")) between 1 and 500),
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      check (("kind" = 'FINE') = ("fine_yuan" is not null)))`);
    this.addSql(`create index "enforcement_action_clue_id_index" on "enforcement_action" ("clue_id")`);
    this.addSql(`create index "enforcement_action_city_id_index" on "enforcement_action" ("city_id", "decided_on", "id")`);

    // ---------------------------------------------------------------- falsification and its consequences
    this.addSql(`create table "falsification_finding" (${LEDGER_COLUMNS_SQL},
      "clue_id" integer not null unique references "clue" ("id"),
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "enterprise_id" integer not null references "enterprise" ("id"),
      "grade_change_id" integer not null references "grade_change" ("id"),
      "benchmark_withdrawn" boolean not null,
      "positive_list_withdrawn" boolean not null,
      "decided_by" text not null check (length(trim("decided_by")) between 1 and 500),
      "decided_at" timestamptz(3) not null,
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}))`);
    this.addSql(`create index "falsification_finding_city_id_index" on "falsification_finding" ("city_id")`);
    this.addSql(`create index "falsification_finding_enterprise_id_index" on "falsification_finding" ("enterprise_id")`);

    this.addSql(`create table "fraud_list_entry" (${LEDGER_COLUMNS_SQL},
      "finding_id" integer not null references "falsification_finding" ("id"),
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "kind" text not null check ("kind" in ('ENTERPRISE', 'INSTITUTION', 'PERSON')),
      "name" text not null check (length(trim("name")) between 1 and 500),
      "credit_code" text check ("credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
      "enterprise_id" integer references "enterprise" ("id"),
      "affiliation" text check (length(trim("affiliation")) between 1 and 500),
      "listed_on" date not null,
      "origin" text not null check ("origin" in ${ORIGINS}),
      check (("kind" = 'ENTERPRISE') = ("enterprise_id" is not null)))`);
    this.addSql(`create index "fraud_list_entry_city_id_index" on "fraud_list_entry" ("city_id", "listed_on", "id")`);
    this.addSql(`create index "fraud_list_entry_finding_id_index" on "fraud_list_entry" ("finding_id")`);
    this.addSql(`create index "fraud_list_entry_listed_on_index" on "fraud_list_entry" ("listed_on", "id")`);

    this.addSql(`create table "subsidy_block" (${LEDGER_COLUMNS_SQL},
      "enterprise_id" integer not null references "enterprise" ("id"),
      "city_id" integer not null references "city" ("id"),
      "finding_id" integer not null unique references "falsification_finding" ("id"),
      "blocked_on" date not null,
      "origin" text not null check ("origin" in ${ORIGINS}))`);
    this.addSql(`create index "subsidy_block_enterprise_id_index" on "subsidy_block" ("enterprise_id")`);
    this.addSql(`create index "subsidy_block_city_id_index" on "subsidy_block" ("city_id")`);

    this.addSql(`create table "city_assessment_verdict" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "verdict" text not null check ("verdict" = 'UNQUALIFIED'),
      "reason" text not null check ("reason" = 'FALSIFIED_MONITORING'),
      "finding_id" integer not null references "falsification_finding" ("id"),
      "decided_on" date not null,
      "origin" text not null check ("origin" in ${ORIGINS}),
      unique ("city_id", "campaign_id"))`);

    // ---------------------------------------------------------------- inspections (无事不扰)
    this.addSql(`create table "inspection" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "enterprise_id" integer not null references "enterprise" ("id"),
      "clue_id" integer references "clue" ("id"),
      "inspected_on" date not null,
      "positive_list" boolean not null,
      "reason_without_clue" text check (length(trim("reason_without_clue")) between 1 and 4000),
      "note" text check (length("note") <= 4000),
      "origin" text not null check ("origin" in ${ORIGINS}),
      check ("clue_id" is not null or not "positive_list" or "reason_without_clue" is not null))`);
    this.addSql(`create index "inspection_city_id_index" on "inspection" ("city_id", "inspected_on", "id")`);
    this.addSql(`create index "inspection_enterprise_id_index" on "inspection" ("enterprise_id")`);

    // ---------------------------------------------------------------- row-level security (as Migration20261202000100SargablePolicies)
    const mine = `"city_id" = any((select "app_city_ids"())::integer[])`;
    const write = `(select current_setting('app.write', true))`;
    for (const table of SUPERVISION_CITY_SCOPED_TABLES) {
      this.addSql(`alter table "${table}" enable row level security`);
      this.addSql(`create policy "${table}_read" on "${table}" for select to ${APP_ROLE} using (${mine})`);
      this.addSql(`create policy "${table}_national_read" on "${table}" for select to ${NATIONAL_ROLE} using (true)`);
      const scoped = `(${write} = 'cities' and ${mine})`;
      const national = `(${write} = 'all')`;
      this.addSql(`create policy "${table}_insert" on "${table}" for insert to ${APP_ROLE} with check ${scoped}`);
      this.addSql(`create policy "${table}_update" on "${table}" for update to ${APP_ROLE} using ${scoped} with check ${scoped}`);
      this.addSql(`create policy "${table}_delete" on "${table}" for delete to ${APP_ROLE} using ${scoped}`);
      this.addSql(`create policy "${table}_national_insert" on "${table}" for insert to ${NATIONAL_ROLE} with check ${national}`);
      this.addSql(`create policy "${table}_national_update" on "${table}" for update to ${NATIONAL_ROLE} using ${national} with check ${national}`);
      this.addSql(`create policy "${table}_national_delete" on "${table}" for delete to ${NATIONAL_ROLE} using ${national}`);
    }

    // ---------------------------------------------------------------- audit trail (the trigger function of migration 0800)
    for (const { table, entity } of SUPERVISION_AUDITED_TABLES) {
      this.addSql(`create trigger "${table}_audit" after insert or update or delete on "${table}"
        for each row when (coalesce(current_setting('app.operation', true), '') <> '') execute function "audit_row"('${entity}')`);
    }
  }
}
