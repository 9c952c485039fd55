import { Migration } from '@mikro-orm/migrations';

/**
 * Request counters of the rate limiter (common/hardening/rate-limit.ts), shared by every API
 * process on the database. One row per bucket (an API key's sha256 or a client IP) holding the
 * current fixed window; each request is one upsert on its row. UNLOGGED: counters need no
 * durability (a crash empties the table, which only resets the current minute) and skip the WAL.
 */
export class Migration20261129000900RateLimit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table "rate_limit_bucket" (
      "bucket" text primary key check (length("bucket") between 1 and 200),
      "window_start" timestamptz not null,
      "hits" integer not null check ("hits" >= 0))`);
    // For the occasional sweep of buckets whose window ended long ago.
    this.addSql(`create index "rate_limit_bucket_window_start_index" on "rate_limit_bucket" ("window_start")`);
  }
}
