/**
 * The lists that can be exported: each names the GraphQL input types of its collection's
 * `filter` and `orderBy` (the export coerces its JSON parameters with them), the function that
 * turns them into the collection's condition and sort (the very one the GraphQL connection uses),
 * and the columns of the file (constant SQL over the list's table, aliased as `alias`).
 */
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import type { OrderSpec } from '../../common/pagination.js';
import { maskIdNumber, maskName, seesPersonalData } from '../../common/auth.js';
import type { RequestContext } from '../../context.js';
import { AirQualityObservation } from '../air-quality/air-quality.entity.js';
import { HEAVY_DAY_SQL, observationListQuery } from '../air-quality/air-quality.service.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { enterpriseListQuery, gradeChangeListQuery } from '../enterprise/enterprise.service.js';
import { City } from '../geography/geography.entity.js';
import { cityListQuery } from '../geography/geography.service.js';
import { RetrofitProject } from '../project/project.entity.js';
import { retrofitProjectListQuery } from '../project/project.service.js';
import { Disbursement } from '../subsidy/subsidy.entity.js';
import { disbursementListQuery } from '../subsidy/subsidy.service.js';
import { TaskTarget } from '../target/target.entity.js';
import { ACHIEVED_SQL, COUNTING_STATUSES } from '../target/target.progress.js';
import { taskTargetListQuery } from '../target/target.service.js';

/** Type of a column's values: decides how xlsx cells are typed (CSV writes text). */
export type ColumnType = 'string' | 'number' | 'boolean';

export interface ExportColumn {
  header: string;
  /** Constant SQL of the value (dates and instants as ISO text). */
  sql: string;
  type: ColumnType;
}

export interface ListExport {
  entity: ClassType<{ id: number }>;
  /** Alias of the list's table in the SQL. */
  alias: string;
  /** GraphQL input type of the `filter` parameter. */
  filterType: string;
  /** GraphQL input type of the `orderBy` parameter, when the collection has one. */
  orderType?: string;
  query(ctx: RequestContext, filter: any, orderBy: any): Promise<{ where: FilterQuery<any>; order: OrderSpec }>;
  /** Constant joins the columns need. */
  joins: string[];
  columns: ExportColumn[];
  /** Changes a row before it is written (e.g. masks personal data the caller may not see). */
  transform?(ctx: RequestContext, row: unknown[]): unknown[];
}

const s = (header: string, sql: string): ExportColumn => ({ header, sql, type: 'string' });
const n = (header: string, sql: string): ExportColumn => ({ header, sql, type: 'number' });
const b = (header: string, sql: string): ExportColumn => ({ header, sql, type: 'boolean' });
const day = (header: string, sql: string): ExportColumn => s(header, `to_char(${sql}, 'YYYY-MM-DD')`);
const instant = (header: string, sql: string): ExportColumn => s(header, `to_char(${sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const CITY_JOIN = (alias: string) => `join city c on c.id = ${alias}.city_id`;
const CITY_COLUMNS = [s('city', 'c.slug'), s('city_name_zh', 'c.name_zh'), s('city_name_en', 'c.name_en')];

export const LIST_EXPORTS: Record<string, ListExport> = {
  enterprises: {
    entity: Enterprise,
    alias: 'x',
    filterType: 'EnterpriseFilter',
    orderType: 'EnterpriseOrder',
    query: enterpriseListQuery,
    joins: [CITY_JOIN('x')],
    columns: [
      n('id', 'x.id'),
      s('name', 'x.name'),
      s('credit_code', 'x.credit_code'),
      ...CITY_COLUMNS,
      s('industry', 'x.industry'),
      s('size', 'x.size'),
      s('current_grade', 'x.current_grade'),
      b('key_discharger', 'x.key_discharger'),
      b('online_monitoring', 'x.online_monitoring'),
      s('ultra_low_emission_status', 'x.ultra_low_emission_status'),
      s('protected_class', 'x.protected_class'),
      b('benchmark', 'x.benchmark'),
      b('positive_list', 'x.positive_list'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
      instant('updated_at', 'x.updated_at'),
    ],
  },
  'grade-changes': {
    entity: GradeChange,
    alias: 'x',
    filterType: 'GradeChangeFilter',
    query: (ctx, filter) => gradeChangeListQuery(ctx, filter),
    joins: [CITY_JOIN('x'), 'join enterprise e on e.id = x.enterprise_id'],
    columns: [
      n('id', 'x.id'),
      n('enterprise_id', 'x.enterprise_id'),
      s('enterprise_name', 'e.name'),
      s('credit_code', 'e.credit_code'),
      ...CITY_COLUMNS,
      s('from_grade', 'x.from_grade'),
      s('to_grade', 'x.to_grade'),
      s('reason', 'x.reason'),
      s('note', 'x.note'),
      s('decided_by', 'x.decided_by'),
      instant('decided_at', 'x.decided_at'),
      s('origin', 'x.origin'),
    ],
  },
  'retrofit-projects': {
    entity: RetrofitProject,
    alias: 'x',
    filterType: 'RetrofitProjectFilter',
    orderType: 'RetrofitProjectOrder',
    query: retrofitProjectListQuery,
    joins: [CITY_JOIN('x'), 'left join enterprise e on e.id = x.enterprise_id', 'left join task_target t on t.id = x.task_target_id'],
    columns: [
      n('id', 'x.id'),
      s('name', 'x.name'),
      ...CITY_COLUMNS,
      s('type', 'x.type'),
      s('status', 'x.status'),
      n('enterprise_id', 'x.enterprise_id'),
      s('enterprise_name', 'e.name'),
      s('task_target', 't.code'),
      day('planned_start_date', 'x.planned_start_date'),
      day('planned_end_date', 'x.planned_end_date'),
      day('actual_start_date', 'x.actual_start_date'),
      day('actual_end_date', 'x.actual_end_date'),
      n('households', 'x.households'),
      n('units', 'x.units'),
      n('capacity_tonnes', 'x.capacity_tonnes'),
      n('investment_yuan', 'x.investment_yuan'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
    ],
  },
  disbursements: {
    entity: Disbursement,
    alias: 'x',
    filterType: 'DisbursementFilter',
    orderType: 'DisbursementOrder',
    query: disbursementListQuery,
    joins: [CITY_JOIN('x'), 'join subsidy_program sp on sp.id = x.program_id', 'left join enterprise e on e.id = x.enterprise_id'],
    columns: [
      n('id', 'x.id'),
      s('program', 'sp.code'),
      n('city_id', 'x.city_id'),
      ...CITY_COLUMNS,
      s('recipient_kind', 'x.recipient_kind'),
      s('household_name', 'x.household_name'),
      s('household_id_number', 'x.household_id_number'),
      b('low_income', 'x.low_income'),
      n('enterprise_id', 'x.enterprise_id'),
      s('enterprise_name', 'e.name'),
      n('amount_yuan', 'x.amount_yuan'),
      day('approved_on', 'x.approved_on'),
      day('paid_on', 'x.paid_on'),
      n('days_to_payment', 'x.paid_on - x.approved_on'),
      s('note', 'x.note'),
      s('origin', 'x.origin'),
    ],
    // Household names and identity numbers are masked as in the API (Disbursement.householdName).
    transform(ctx, row) {
      const at = (header: string) => LIST_EXPORTS.disbursements.columns.findIndex((c) => c.header === header);
      if (seesPersonalData(ctx.actor, Number(row[at('city_id')]))) return row;
      const out = [...row];
      out[at('household_name')] = maskName(out[at('household_name')] as string | null);
      out[at('household_id_number')] = maskIdNumber(out[at('household_id_number')] as string | null);
      return out;
    },
  },
  'air-quality-observations': {
    entity: AirQualityObservation,
    // HEAVY_DAY_SQL of the air-quality module is written on the alias o.
    alias: 'o',
    filterType: 'AirQualityObservationFilter',
    orderType: 'AirQualityObservationOrder',
    query: observationListQuery,
    joins: [CITY_JOIN('o')],
    columns: [
      n('id', 'o.id'),
      ...CITY_COLUMNS,
      day('observed_on', 'o.observed_on'),
      s('station_code', 'o.station_code'),
      n('pm25', 'o.pm25'),
      n('pm10', 'o.pm10'),
      n('o3', 'o.o3'),
      n('no2', 'o.no2'),
      n('so2', 'o.so2'),
      n('co', 'o.co'),
      n('aqi', 'o.aqi'),
      b('heavy_pollution', `coalesce(${HEAVY_DAY_SQL}, false)`),
      s('origin', 'o.origin'),
    ],
  },
  'task-targets': {
    entity: TaskTarget,
    // ACHIEVED_SQL of the target module is written on the aliases t (target) and p (projects).
    alias: 't',
    filterType: 'TaskTargetFilter',
    orderType: 'TaskTargetOrder',
    query: taskTargetListQuery,
    joins: [
      'join campaign cp on cp.id = t.campaign_id',
      'left join province tp on tp.id = t.province_id',
      'left join city c on c.id = t.city_id',
      `left join lateral (select count(p.id)::int as counted, (${ACHIEVED_SQL})::float8 as achieved
         from retrofit_project p
         where p.task_target_id = t.id and p.status in (${COUNTING_STATUSES.map((st) => `'${st}'`).join(', ')}) and p.actual_end_date <= t.deadline) pr on true`,
    ],
    columns: [
      s('code', 't.code'),
      s('campaign', 'cp.code'),
      s('name_zh', 't.name_zh'),
      s('name_en', 't.name_en'),
      s('comparator', 't.comparator'),
      n('quantity', 't.quantity'),
      s('unit', 't.unit'),
      day('deadline', 't.deadline'),
      s('scope', 't.scope'),
      s('province', 'tp.slug'),
      s('city', 'c.slug'),
      n('achieved', 'pr.achieved'),
      n('counted_projects', 'pr.counted'),
      s('origin', 't.origin'),
    ],
  },
  cities: {
    entity: City,
    alias: 'c',
    filterType: 'CityFilter',
    orderType: 'CityOrder',
    query: cityListQuery,
    joins: ['join province pv on pv.id = c.province_id'],
    columns: [
      s('slug', 'c.slug'),
      s('name_zh', 'c.name_zh'),
      s('name_en', 'c.name_en'),
      s('kind', 'c.kind'),
      s('division_code', 'c.division_code'),
      s('province', 'pv.slug'),
      s('province_name_zh', 'pv.name_zh'),
      s('region', 'c.region_code'),
    ],
  },
};
