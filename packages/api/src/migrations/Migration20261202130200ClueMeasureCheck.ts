import { Migration } from '@mikro-orm/migrations';

/**
 * A clue of source EMERGENCY_CHECK_FAILURE may name the failed measure check (warning module) it
 * comes from: one clue per check, of the check's city.
 */
export class Migration20261202130200ClueMeasureCheck extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "clue" add column "measure_check_id" integer references "measure_check" ("id")`);
    this.addSql(`alter table "clue" add constraint "clue_measure_check_source_check" check ("measure_check_id" is null or "source" = 'EMERGENCY_CHECK_FAILURE')`);
    this.addSql(`create unique index "clue_measure_check_id_unique" on "clue" ("measure_check_id") where "measure_check_id" is not null`);
  }
}
