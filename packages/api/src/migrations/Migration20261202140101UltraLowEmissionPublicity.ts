import { Migration } from '@mikro-orm/migrations';

/**
 * The day an enterprise's ultra-low-emission assessment was publicised (公示). The plan counts
 * steel capacity "完成……改造并公示" by the deadline, so STEEL_ULTRA_LOW_CAPACITY counts a project
 * only when its enterprise was publicised on or before the target's deadline
 * (modules/target/target.progress.ts COUNTING_SQL). Only an ASSESSED_AND_PUBLICISED enterprise
 * carries a date; existing rows have none (not known), so they do not count until it is recorded.
 */
export class Migration20261202140101UltraLowEmissionPublicity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "enterprise" add column "ultra_low_emission_publicised_on" date`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_publicised_on_status_check"
      check ("ultra_low_emission_publicised_on" is null or "ultra_low_emission_status" = 'ASSESSED_AND_PUBLICISED')`);
  }
}
