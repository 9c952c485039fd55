import { Migration } from '@mikro-orm/migrations';

/**
 * Drops `retrofit_project_city_id_index`: `retrofit_project_city_id_created_at_index` (city_id,
 * created_at desc, id desc) leads with the same column and serves every look-up by city (the
 * foreign key included). With both, the planner took the plain one for a city's page newest first
 * (reading the whole city and sorting it) wherever it underestimated the city's rows, as it does
 * under row-level security, whose policy condition it cannot estimate: a PROVINCE key's page of
 * projects by status (bench Q4) read 21,463 rows for 101 (34 ms); without it, each city's part is
 * a range of the sort's index stopped after the page (5.8 ms; bench/RESULTS.md).
 */
export class Migration20261203160100RetrofitProjectCityIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "retrofit_project_city_id_index"`);
  }
}
