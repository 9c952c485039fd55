import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './Migration20261129000800AccessControl.js';
import { NATIONAL_ROLE } from './Migration20261202000100SargablePolicies.js';

/**
 * Bulk imports of ledger files (modules/import): one row per import, written outside the import's
 * own transaction while it runs (progress, heartbeat) and set to its final status inside it, so
 * that "SUCCEEDED" and the rows it wrote commit together. The file hash makes an import
 * idempotent: a kind's file that already succeeded is not written twice (partial unique index).
 * The rejects of an import (input rows that failed, with the field and reason) are kept as CSV
 * text, at most the first rejects_kept rows.
 */
export class Migration20261202170100Import extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "import_job" (
      "id" serial primary key,
      "kind" text not null check (length("kind") between 1 and 60),
      "format" text not null check ("format" in ('csv', 'xlsx')),
      "file_name" text not null check (length("file_name") between 1 and 300),
      "file_hash" text not null check ("file_hash" ~ '^[0-9a-f]{64}$'),
      "file_bytes" bigint not null check ("file_bytes" >= 0),
      "dry_run" boolean not null default false,
      "skip_invalid" boolean not null default false,
      "status" text not null check ("status" in ('RUNNING', 'SUCCEEDED', 'FAILED', 'REFUSED', 'VALIDATED', 'DUPLICATE')),
      "rows_read" integer not null default 0,
      "rows_valid" integer not null default 0,
      "rows_rejected" integer not null default 0,
      "rows_written" integer not null default 0,
      "bytes_read" bigint not null default 0,
      "message" text null,
      "rejects" text null,
      "duplicate_of" integer null references "import_job" ("id"),
      "created_by" text not null,
      "key_id" integer null,
      "started_at" timestamptz(3) not null default now(),
      "heartbeat_at" timestamptz(3) not null default now(),
      "finished_at" timestamptz(3) null)`);
    this.addSql(`create unique index "import_job_succeeded_file_unique" on "import_job" ("kind", "file_hash") where "status" = 'SUCCEEDED' and not "dry_run"`);
    this.addSql(`create index "import_job_created_by_index" on "import_job" ("created_by", "id")`);
    this.addSql(`grant select, insert, update on "import_job" to ${APP_ROLE}, ${NATIONAL_ROLE}`);
    this.addSql(`grant usage, select on sequence "import_job_id_seq" to ${APP_ROLE}, ${NATIONAL_ROLE}`);
  }
}
