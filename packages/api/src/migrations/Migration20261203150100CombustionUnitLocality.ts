import { Migration } from '@mikro-orm/migrations';

/**
 * A combustion unit stands in a place below its city: `locality_id`, a county, township or village
 * (a boiler of a county's industrial park names the county; one of a village workshop, the
 * village). The composite key to `locality (id, city_id)` keeps the place in the unit's own city,
 * so that the unit's city scope is also its place's. Optional: inventories filed before places
 * were kept have none.
 */
export class Migration20261203150100CombustionUnitLocality extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unique index "locality_id_city_id_unique" on "locality" ("id", "city_id")`);
    this.addSql(`alter table "combustion_unit" add column "locality_id" integer,
      add constraint "combustion_unit_locality_in_city" foreign key ("locality_id", "city_id") references "locality" ("id", "city_id")`);
    this.addSql(`create index "combustion_unit_locality_id_index" on "combustion_unit" ("locality_id") where "locality_id" is not null`);
  }
}
