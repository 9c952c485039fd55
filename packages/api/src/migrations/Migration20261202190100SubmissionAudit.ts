import { Migration } from '@mikro-orm/migrations';
import { auditTriggers } from './Migration20261202120100Warning.js';

/**
 * A province's filing (submission) is audited like every other write: who filed which kind, when,
 * and the frozen snapshot, in the filing's transaction. The table keeps no city (a province
 * files), so its events carry no city_id.
 */
export class Migration20261202190100SubmissionAudit extends Migration {
  override async up(): Promise<void> {
    auditTriggers((sql) => this.addSql(sql), [{ table: 'submission', entity: 'Submission' }]);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "submission_audit" on "submission"`);
  }
}
