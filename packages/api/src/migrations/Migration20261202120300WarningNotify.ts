import { Migration } from '@mikro-orm/migrations';

/**
 * Every committed change of a warning (a row of warning_change: issued, raised, lowered, extended,
 * lifted) notifies the channel airledger_warning with the warning, its city and the kind of change;
 * PostgreSQL delivers it at commit, to every API process listening (warningChanged subscriptions).
 */
export class Migration20261202120300WarningNotify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "warning_change_notify"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('airledger_warning', json_build_object('warningId', new."warning_id", 'cityId', new."city_id", 'kind', new."kind")::text);
        return null;
      end $$`);
    this.addSql(`create trigger "warning_change_notify" after insert on "warning_change" for each row execute function "warning_change_notify"()`);
  }
}
