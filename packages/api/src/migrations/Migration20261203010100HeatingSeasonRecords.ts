import { Migration } from '@mikro-orm/migrations';
import { SEED_ACTOR } from '../common/actor.js';
import { APP_ROLE } from './Migration20261129000800AccessControl.js';
import { NATIONAL_ROLE } from './Migration20261202000100SargablePolicies.js';
import { auditTriggers } from './Migration20261202120100Warning.js';

/**
 * Heating seasons become records the cities, provinces and the ministry keep (recordHeatingSeason),
 * no longer reference data of the seed alone: `heating_season` gains the ledger columns (who made
 * and last changed a row, when), a version for optimistic locking and an origin (the seeded
 * statutory periods are PLAN; seasons recorded through the API RECORDED), and is audited like
 * every other write. The table stays readable by every caller and is not city-scoped: the
 * COAL_HOUSEHOLDS progress of any caller reads every city's start (target.progress.ts
 * HEATING_START_SQL); writes are kept to the caller's cities by the service and, as a second
 * wall, by row-level security on writes only (the policies of cityScopedPolicies for insert,
 * update and delete; every row readable).
 */
export class Migration20261203010100HeatingSeasonRecords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "heating_season"
      add column "created_at" timestamptz(3) not null default now(),
      add column "updated_at" timestamptz(3) not null default now(),
      add column "created_by" text not null default '${SEED_ACTOR.id}',
      add column "updated_by" text not null default '${SEED_ACTOR.id}',
      add column "origin" text not null default 'PLAN' check ("origin" in ('PLAN', 'DEMO', 'RECORDED')),
      add column "version" integer not null default 1,
      add constraint "heating_season_source_length" check (length(trim("source")) between 1 and 200)`);
    // Existing rows got the seed's actor and PLAN; new rows name their own.
    this.addSql(`alter table "heating_season" alter column "created_by" drop default, alter column "updated_by" drop default, alter column "origin" drop default`);
    const mine = `"city_id" = any((select "app_city_ids"())::integer[])`;
    const write = `(select current_setting('app.write', true))`;
    const scoped = `(${write} = 'cities' and ${mine})`;
    const national = `(${write} = 'all')`;
    const t = 'heating_season';
    this.addSql(`alter table "${t}" enable row level security`);
    this.addSql(`create policy "${t}_read" on "${t}" for select to ${APP_ROLE} using (true)`);
    this.addSql(`create policy "${t}_national_read" on "${t}" for select to ${NATIONAL_ROLE} using (true)`);
    this.addSql(`create policy "${t}_insert" on "${t}" for insert to ${APP_ROLE} with check ${scoped}`);
    this.addSql(`create policy "${t}_update" on "${t}" for update to ${APP_ROLE} using ${scoped} with check ${scoped}`);
    this.addSql(`create policy "${t}_delete" on "${t}" for delete to ${APP_ROLE} using ${scoped}`);
    this.addSql(`create policy "${t}_national_insert" on "${t}" for insert to ${NATIONAL_ROLE} with check ${national}`);
    this.addSql(`create policy "${t}_national_update" on "${t}" for update to ${NATIONAL_ROLE} using ${national} with check ${national}`);
    this.addSql(`create policy "${t}_national_delete" on "${t}" for delete to ${NATIONAL_ROLE} using ${national}`);
    auditTriggers((sql) => this.addSql(sql), [{ table: 'heating_season', entity: 'HeatingSeason' }]);
  }
}
