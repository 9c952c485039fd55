import { Migration } from '@mikro-orm/migrations';

/** Tables that bulk imports write set-wise (COPY into a staging table, then one INSERT ... SELECT). */
export const BULK_IMPORTED_TABLES: { table: string; entity: string }[] = [{ table: 'air_quality_observation', entity: 'AirQualityObservation' }];

/**
 * Rows written by a bulk import say which import wrote them, and the import is audited as one
 * operation instead of one audit event per created row.
 *
 * - `import_id` on each table of BULK_IMPORTED_TABLES: the import (import_job.id) that last wrote
 *   the row; null for rows written by a mutation (which sets it back to null when it replaces an
 *   imported row). No foreign key: an import writes a million rows with the same id, and a
 *   reference check per row would cost a look-up per row; only the import sets it, to its own id.
 * - The row trigger of migration 20261129000800 is split by event: UPDATE and DELETE are audited
 *   per row as before (an import that replaces stored values keeps their before and after); an
 *   INSERT is audited per row only when `import_id` is null.
 * - Rows an import creates are audited by one statement-level trigger reading the transition
 *   table of the statement: one audit event per import and city (entity `ImportJob`, entity id
 *   the import, action CREATE, `after` = the import's kind, file name and hash, the entity and
 *   the number and id range of the rows it created in that city), so that a city's key sees the
 *   imports into its city in its audit trail. The event carries the import's operation
 *   (`import:<kind>#<id>`) and actor like any other.
 */
export class Migration20261202180100ImportedRows extends Migration {
  override async up(): Promise<void> {
    const operation = `coalesce(current_setting('app.operation', true), '') <> ''`;
    this.addSql(`create function "audit_imported_rows"() returns trigger language plpgsql security definer as $$
      declare
        operation text := current_setting('app.operation', true);
      begin
        if operation is null or operation = '' then
          return null;
        end if;
        insert into "audit_event" ("actor_id", "key_id", "role", "operation", "action", "entity", "entity_id", "city_id", "before", "after")
        select
          coalesce(nullif(current_setting('app.actor_id', true), ''), current_user),
          nullif(current_setting('app.key_id', true), '')::integer,
          coalesce(nullif(current_setting('app.role', true), ''), 'SYSTEM'),
          operation, 'CREATE', 'ImportJob', c.import_id, c.city_id, null,
          jsonb_build_object('import_id', c.import_id, 'kind', j.kind, 'file_name', j.file_name, 'file_hash', j.file_hash,
            'entity', TG_ARGV[0], 'rows_created', c.rows, 'first_id', c.first_id, 'last_id', c.last_id)
        from (select n.import_id, n.city_id, count(*)::integer as rows, min(n.id) as first_id, max(n.id) as last_id
              from created n where n.import_id is not null group by n.import_id, n.city_id) c
        left join "import_job" j on j.id = c.import_id
        order by c.city_id;
        return null;
      end $$`);
    this.addSql(`alter function "audit_imported_rows"() set search_path from current`);
    this.addSql(`revoke all on function "audit_imported_rows"() from public`);
    for (const { table, entity } of BULK_IMPORTED_TABLES) {
      this.addSql(`alter table "${table}" add column "import_id" integer null`);
      this.addSql(`drop trigger "${table}_audit" on "${table}"`);
      this.addSql(`create trigger "${table}_audit" after update or delete on "${table}"
        for each row when (${operation}) execute function "audit_row"('${entity}')`);
      this.addSql(`create trigger "${table}_audit_insert" after insert on "${table}"
        for each row when (${operation} and new."import_id" is null) execute function "audit_row"('${entity}')`);
      this.addSql(`create trigger "${table}_audit_imported" after insert on "${table}"
        referencing new table as created
        for each statement when (${operation}) execute function "audit_imported_rows"('${entity}')`);
    }
  }
}
