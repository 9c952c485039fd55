import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, CITY_SCOPED_TABLES } from './Migration20261129000800AccessControl.js';

/** The role of unrestricted callers (MINISTRY, national READ_ONLY, the command line) inside transactions. */
export const NATIONAL_ROLE = 'airledger_national';

/**
 * Row-level security that PostgreSQL can answer from an index.
 *
 * Migration 0800 wrote one read policy for every caller: `current_setting('app.scope') = 'all'
 * or city_id = any(<ids parsed from app.city_ids>)`. The planner cannot turn an OR with a
 * setting into an index condition, so a city's page filtered every row of the country (the
 * enterprises of an industry, the observations of a day) before the city index could help.
 *
 * Now:
 * - callers restricted to some cities act as `airledger_app`, whose only read policy is
 *   `city_id = any((select app_city_ids())::integer[])`: a sub-select of a stable function is computed once
 *   per statement (an InitPlan), and `city_id = any($param)` is an index condition on every
 *   city_id index (the city indexes that lead each list's sort included);
 * - unrestricted callers act as `airledger_national`, whose read policy is `true` (nothing to
 *   filter, nothing to plan around);
 * - write policies keep `app.write` ('all', 'cities', 'none'), also read once per statement.
 * The settings a transaction sets (common/auth.ts scopeStatement) are unchanged; only the role
 * differs by caller. Both roles are NOLOGIN and own nothing, so both are subject to the policies.
 */
export class Migration20261202000100SargablePolicies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
      begin
        if not exists (select 1 from pg_roles where rolname = '${NATIONAL_ROLE}') then
          begin
            create role ${NATIONAL_ROLE} nologin;
          exception when duplicate_object then null; -- created concurrently by another database's migration
          end;
        end if;
        if not pg_has_role(current_user, '${NATIONAL_ROLE}', 'MEMBER') then
          execute format('grant ${NATIONAL_ROLE} to %I', current_user);
        end if;
        execute format('grant usage on schema %I to ${NATIONAL_ROLE}', current_schema());
        execute format('grant select, insert, update, delete on all tables in schema %I to ${NATIONAL_ROLE}', current_schema());
        execute format('grant usage, select on all sequences in schema %I to ${NATIONAL_ROLE}', current_schema());
        execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to ${NATIONAL_ROLE}', current_schema());
        execute format('alter default privileges in schema %I grant usage, select on sequences to ${NATIONAL_ROLE}', current_schema());
      end $$`);
    this.addSql(`revoke insert, update, delete, truncate on "audit_event" from ${NATIONAL_ROLE}`);
    this.addSql(`revoke insert, update, delete, truncate on "mikro_orm_migrations" from ${NATIONAL_ROLE}`);
    this.addSql(`revoke delete, truncate on "api_key" from ${NATIONAL_ROLE}`);

    // The caller's cities, parsed once per statement when called as a sub-select.
    this.addSql(`create function "app_city_ids"() returns integer[] language sql stable parallel safe as $$
      select coalesce(string_to_array(nullif(current_setting('app.city_ids', true), ''), ',')::integer[], '{}'::integer[])
    $$`);
    this.addSql(`grant execute on function "app_city_ids"() to ${APP_ROLE}, ${NATIONAL_ROLE}`);

    const mine = `"city_id" = any((select "app_city_ids"())::integer[])`;
    const write = `(select current_setting('app.write', true))`;
    for (const table of [...CITY_SCOPED_TABLES, 'audit_event']) {
      for (const action of ['read', 'insert', 'update', 'delete']) this.addSql(`drop policy if exists "${table}_${action}" on "${table}"`);
      this.addSql(`create policy "${table}_read" on "${table}" for select to ${APP_ROLE} using (${mine})`);
      this.addSql(`create policy "${table}_national_read" on "${table}" for select to ${NATIONAL_ROLE} using (true)`);
      if (table === 'audit_event') continue;
      const scoped = `(${write} = 'cities' and ${mine})`;
      const national = `(${write} = 'all')`;
      this.addSql(`create policy "${table}_insert" on "${table}" for insert to ${APP_ROLE} with check ${scoped}`);
      this.addSql(`create policy "${table}_update" on "${table}" for update to ${APP_ROLE} using ${scoped} with check ${scoped}`);
      this.addSql(`create policy "${table}_delete" on "${table}" for delete to ${APP_ROLE} using ${scoped}`);
      this.addSql(`create policy "${table}_national_insert" on "${table}" for insert to ${NATIONAL_ROLE} with check ${national}`);
      this.addSql(`create policy "${table}_national_update" on "${table}" for update to ${NATIONAL_ROLE} using ${national} with check ${national}`);
      this.addSql(`create policy "${table}_national_delete" on "${table}" for delete to ${NATIONAL_ROLE} using ${national}`);
    }
  }
}
