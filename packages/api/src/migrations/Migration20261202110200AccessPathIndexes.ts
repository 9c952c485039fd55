import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the access paths of the city-scoped lists: each leads with `city_id` (the scope,
 * an index condition under the `city_id = any(...)` policy and the compiled scope predicate),
 * then the list's usual filter, then its sort, so that a city's page is an index range in the
 * order of the page (no sort of the city's rows, no rows of other cities).
 *
 * - enterprises of one industry / one grade in a city, by name (bench Q1 CITY, enterprise filters);
 * - grade changes of a city and of an enterprise, latest first (bench Q1/Q2 nested lists);
 * - retrofit projects of a city, newest first, alone and by status (bench Q4, project lists);
 * - disbursements of a city by id (bench Q6) and by approval date;
 * - subsidy budgets of a city by id.
 */
export class Migration20261202110200AccessPathIndexes extends Migration {
  override async up(): Promise<void> {
    const indexes: [string, string, string][] = [
      ['enterprise_city_id_industry_name_index', 'enterprise', '"city_id", "industry", "name", "id"'],
      ['enterprise_city_id_current_grade_name_index', 'enterprise', '"city_id", "current_grade", "name", "id"'],
      ['grade_change_city_id_decided_at_index', 'grade_change', '"city_id", "decided_at" desc, "id" desc'],
      ['grade_change_enterprise_id_decided_at_id_index', 'grade_change', '"enterprise_id", "decided_at" desc, "id" desc'],
      ['retrofit_project_city_id_created_at_index', 'retrofit_project', '"city_id", "created_at" desc, "id" desc'],
      ['retrofit_project_city_id_status_created_at_index', 'retrofit_project', '"city_id", "status", "created_at" desc, "id" desc'],
      ['disbursement_city_id_id_index', 'disbursement', '"city_id", "id"'],
      ['disbursement_city_id_approved_on_index', 'disbursement', '"city_id", "approved_on", "id"'],
      ['subsidy_budget_city_id_id_index', 'subsidy_budget', '"city_id", "id"'],
    ];
    for (const [name, table, columns] of indexes) this.addSql(`create index "${name}" on "${table}" (${columns})`);
    // Superseded: every list that used them now has an index that leads with the same columns.
    this.addSql(`drop index if exists "grade_change_enterprise_id_decided_at_index"`);
    this.addSql(`drop index if exists "disbursement_city_id_index"`);
    this.addSql(`drop index if exists "subsidy_budget_city_id_index"`);
  }
}
