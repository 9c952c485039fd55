import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

/** The role the API acts as while it reads or writes for a caller (it owns no table). */
export const APP_ROLE = 'airledger_app';

/** Tables whose rows belong to one city (`city_id`): row-level security restricts them to the caller's cities. */
export const CITY_SCOPED_TABLES = [
  'enterprise',
  'grade_change',
  'retrofit_project',
  'project_funding',
  'subsidy_budget',
  'disbursement',
  'air_quality_observation',
  'outcome_target',
] as const;

/** Audited tables and the entity name their audit events carry (and columns never copied into the trail). */
export const AUDITED_TABLES: { table: string; entity: string; exclude?: string[] }[] = [
  { table: 'enterprise', entity: 'Enterprise' },
  { table: 'grade_change', entity: 'GradeChange' },
  { table: 'retrofit_project', entity: 'RetrofitProject' },
  { table: 'project_funding', entity: 'ProjectFunding' },
  { table: 'subsidy_program', entity: 'SubsidyProgram' },
  { table: 'subsidy_budget', entity: 'SubsidyBudget' },
  { table: 'disbursement', entity: 'Disbursement' },
  { table: 'air_quality_observation', entity: 'AirQualityObservation' },
  { table: 'outcome_target', entity: 'OutcomeTarget' },
  { table: 'api_key', entity: 'ApiKey', exclude: ['secret_hash'] },
];

/**
 * Access control: API keys, the audit trail, idempotency keys, and the second wall of
 * authorization, PostgreSQL row-level security.
 *
 * The API connects as the owner of the tables (the migration user). For every write, and for
 * every request of a caller restricted to some cities, it switches inside the transaction to the
 * NOLOGIN role airledger_app (`set_config('role', 'airledger_app', true)`), which owns nothing and
 * so is subject to the policies below, with the caller's scope in `app.*` settings:
 *   app.scope     'all' (read every city) or 'cities' (read app.city_ids only)
 *   app.write     'all', 'cities' (write app.city_ids only) or 'none'
 *   app.city_ids  comma-separated city ids
 *   app.actor_id, app.key_id, app.role, app.operation: the "who" and "what" of the audit trail
 *
 * The role is cluster-wide: creating it needs CREATEROLE (or superuser) the first time; on a
 * server where the migration user may not create roles, an administrator runs
 * `create role airledger_app nologin; grant airledger_app to <migration user>;` beforehand.
 */
export class Migration20261129000800AccessControl extends Migration {
  override async up(): Promise<void> {
    // ---------------------------------------------------------------- the role
    this.addSql(`do $$
      begin
        if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
          begin
            create role ${APP_ROLE} nologin;
          exception when duplicate_object then null; -- created concurrently by another database's migration
          end;
        end if;
        if not pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') then
          execute format('grant ${APP_ROLE} to %I', current_user);
        end if;
      end $$`);

    // ---------------------------------------------------------------- API keys
    this.addSql(`create table "api_key" (${LEDGER_COLUMNS_SQL},
      "name" text not null check (length(trim("name")) between 1 and 200),
      "role" text not null check ("role" in ('MINISTRY', 'PROVINCE', 'CITY', 'READ_ONLY')),
      "province_id" integer references "province" ("id"),
      "city_id" integer references "city" ("id"),
      "prefix" text not null check (length("prefix") between 8 and 16),
      "secret_hash" text not null unique check ("secret_hash" ~ '^[0-9a-f]{64}$'),
      "expires_at" timestamptz(3),
      "revoked_at" timestamptz(3),
      "revoked_by" text,
      check ("role" <> 'MINISTRY' or ("province_id" is null and "city_id" is null)),
      check ("role" <> 'PROVINCE' or ("province_id" is not null and "city_id" is null)),
      check ("role" <> 'CITY' or ("city_id" is not null and "province_id" is null)),
      check ("role" <> 'READ_ONLY' or "province_id" is null or "city_id" is null),
      check (("revoked_at" is null) = ("revoked_by" is null)))`);
    this.addSql(`create index "api_key_province_id_index" on "api_key" ("province_id")`);
    this.addSql(`create index "api_key_city_id_index" on "api_key" ("city_id")`);

    // ---------------------------------------------------------------- audit trail
    this.addSql(`create table "audit_event" (
      "id" serial primary key,
      "occurred_at" timestamptz(3) not null default now(),
      "actor_id" text not null,
      "key_id" integer,
      "role" text not null,
      "operation" text not null,
      "action" text not null check ("action" in ('CREATE', 'UPDATE', 'DELETE')),
      "entity" text not null,
      "entity_id" integer not null,
      "city_id" integer references "city" ("id"),
      "before" jsonb,
      "after" jsonb,
      check (("action" = 'CREATE') = ("before" is null)),
      check (("action" = 'DELETE') = ("after" is null)))`);
    this.addSql(`create index "audit_event_entity_entity_id_index" on "audit_event" ("entity", "entity_id", "occurred_at", "id")`);
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at", "id")`);
    this.addSql(`create index "audit_event_city_id_index" on "audit_event" ("city_id")`);
    this.addSql(`create index "audit_event_actor_id_index" on "audit_event" ("actor_id")`);
    this.addSql(`create index "audit_event_key_id_index" on "audit_event" ("key_id")`);

    // Audit rows are written by the trigger below (as the table owner) and never changed.
    this.addSql(`create function "audit_event_immutable"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit events cannot be changed or deleted' using errcode = 'insufficient_privilege';
      end $$`);
    this.addSql(`create trigger "audit_event_immutable" before update or delete or truncate on "audit_event"
      for each statement execute function "audit_event_immutable"()`);

    // One audit row per changed row, in the changing transaction. Writes outside the API
    // (migrations, plan and demo seeding) set no app.operation and are not audited.
    this.addSql(`create function "audit_row"() returns trigger language plpgsql security definer as $$
      declare
        operation text := current_setting('app.operation', true);
        excluded text[] := case when TG_NARGS > 1 then TG_ARGV[1:TG_NARGS - 1] else '{}'::text[] end;
        old_row jsonb;
        new_row jsonb;
        subject jsonb;
      begin
        if operation is null or operation = '' then
          return null;
        end if;
        if TG_OP <> 'INSERT' then old_row := to_jsonb(OLD) - excluded; end if;
        if TG_OP <> 'DELETE' then new_row := to_jsonb(NEW) - excluded; end if;
        if TG_OP = 'UPDATE' and old_row = new_row then
          return null;
        end if;
        subject := coalesce(new_row, old_row);
        insert into "audit_event" ("actor_id", "key_id", "role", "operation", "action", "entity", "entity_id", "city_id", "before", "after")
        values (
          coalesce(nullif(current_setting('app.actor_id', true), ''), current_user),
          nullif(current_setting('app.key_id', true), '')::integer,
          coalesce(nullif(current_setting('app.role', true), ''), 'SYSTEM'),
          operation,
          case TG_OP when 'INSERT' then 'CREATE' when 'UPDATE' then 'UPDATE' else 'DELETE' end,
          TG_ARGV[0],
          (subject ->> 'id')::integer,
          (subject ->> 'city_id')::integer,
          old_row,
          new_row);
        return null;
      end $$`);
    // security definer: a fixed search path, so that callers cannot substitute objects.
    this.addSql(`alter function "audit_row"() set search_path from current`);
    this.addSql(`revoke all on function "audit_row"() from public`);
    for (const { table, entity, exclude = [] } of AUDITED_TABLES) {
      const args = [entity, ...exclude].map((a) => `'${a}'`).join(', ');
      // The WHEN clause spares bulk loads without an operation (seeding) even the function call.
      this.addSql(`create trigger "${table}_audit" after insert or update or delete on "${table}"
        for each row when (coalesce(current_setting('app.operation', true), '') <> '') execute function "audit_row"(${args})`);
    }

    // ---------------------------------------------------------------- idempotency keys
    this.addSql(`create table "idempotency_key" (
      "actor_id" text not null,
      "key" text not null check (length("key") between 1 and 255),
      "operation" text not null,
      "request_hash" text not null,
      "response" jsonb,
      "created_at" timestamptz(3) not null default now(),
      primary key ("actor_id", "key", "operation"))`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at")`);

    // ---------------------------------------------------------------- grants
    this.addSql(`do $$
      begin
        execute format('grant usage on schema %I to ${APP_ROLE}', current_schema());
        execute format('grant select, insert, update, delete on all tables in schema %I to ${APP_ROLE}', current_schema());
        execute format('grant usage, select on all sequences in schema %I to ${APP_ROLE}', current_schema());
        -- Tables of later migrations (created by the same user) get the same grants.
        execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to ${APP_ROLE}', current_schema());
        execute format('alter default privileges in schema %I grant usage, select on sequences to ${APP_ROLE}', current_schema());
      end $$`);
    // The trail is read-only to the API; migrations' bookkeeping is not the API's business.
    this.addSql(`revoke insert, update, delete, truncate on "audit_event" from ${APP_ROLE}`);
    this.addSql(`revoke insert, update, delete, truncate on "mikro_orm_migrations" from ${APP_ROLE}`);
    this.addSql(`revoke delete, truncate on "api_key" from ${APP_ROLE}`);

    // ---------------------------------------------------------------- row-level security
    const ids = `string_to_array(nullif(current_setting('app.city_ids', true), ''), ',')::integer[]`;
    const readable = `(current_setting('app.scope', true) = 'all' or "city_id" = any(${ids}))`;
    const writable = `(current_setting('app.write', true) = 'all' or (current_setting('app.write', true) = 'cities' and "city_id" = any(${ids})))`;
    for (const table of CITY_SCOPED_TABLES) {
      this.addSql(`alter table "${table}" enable row level security`);
      this.addSql(`create policy "${table}_read" on "${table}" for select to ${APP_ROLE} using ${readable}`);
      this.addSql(`create policy "${table}_insert" on "${table}" for insert to ${APP_ROLE} with check ${writable}`);
      this.addSql(`create policy "${table}_update" on "${table}" for update to ${APP_ROLE} using ${writable} with check ${writable}`);
      this.addSql(`create policy "${table}_delete" on "${table}" for delete to ${APP_ROLE} using ${writable}`);
    }
    this.addSql(`alter table "audit_event" enable row level security`);
    this.addSql(`create policy "audit_event_read" on "audit_event" for select to ${APP_ROLE} using ${readable}`);
  }
}
