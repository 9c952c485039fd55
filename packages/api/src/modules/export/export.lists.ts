/**
 * The lists that can be exported: each names the GraphQL input types of its collection's
 * `filter` and `orderBy` (the export coerces its JSON parameters with them), the function that
 * turns them into the collection's condition and sort (the very one the GraphQL connection uses),
 * and the columns of the file (constant SQL over the list's table, aliased as `alias`).
 */
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import type { OrderSpec } from '../../common/pagination.js';
import type { PersonalField } from '../../common/privacy.js';
import type { RequestContext } from '../../context.js';
import { CITY_COLUMNS as LEDGER_CITY_COLUMNS, CITY_JOIN, type ColumnType } from '../../common/columns.js';
import { OBSERVATION_COLUMNS } from '../air-quality/air-quality.columns.js';
import { ENTERPRISE_COLUMNS, GRADE_CHANGE_COLUMNS } from '../enterprise/enterprise.columns.js';
import { RETROFIT_PROJECT_COLUMNS } from '../project/project.columns.js';
import { DISBURSEMENT_COLUMNS } from '../subsidy/subsidy.columns.js';
import { AirQualityObservation, OutcomeTarget } from '../air-quality/air-quality.entity.js';
import { observationListQuery, outcomeTargetListQuery } from '../air-quality/air-quality.service.js';
import { AuditEvent } from '../audit/audit.entity.js';
import { auditEventListQuery, auditValues, changedFields } from '../audit/audit.service.js';
import { ApiKey } from '../auth/auth.entity.js';
import { apiKeyListQuery } from '../auth/auth.service.js';
import { keyStatusSql } from '../auth/auth.reads.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { campaignListQuery } from '../campaign/campaign.service.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import type { DeclaredQuery } from '../../common/compiled/declared.js';
import { enterpriseListQuery, gradeChangeListQuery } from '../enterprise/enterprise.service.js';
import { City, Province, Region } from '../geography/geography.entity.js';
import { cityListQuery, provinceListQuery, regionListQuery } from '../geography/geography.service.js';
import { RetrofitProject } from '../project/project.entity.js';
import { retrofitProjectListQuery } from '../project/project.service.js';
import { Disbursement, SubsidyProgram } from '../subsidy/subsidy.entity.js';
import { disbursementListQuery, subsidyProgramListQuery } from '../subsidy/subsidy.service.js';
import { Clue, FraudListEntry } from '../supervision/supervision.entity.js';
import { clueListQuery, fraudListQuery } from '../supervision/supervision.service.js';
import { daysOverdueSql } from '../supervision/supervision.figures.js';
import { TaskTarget } from '../target/target.entity.js';
import { ACHIEVED_SQL, COUNTING_SQL } from '../target/target.progress.js';
import { taskTargetListQuery } from '../target/target.service.js';
import { CombustionUnit } from '../inventory/combustion.entity.js';
import { COMBUSTION_UNIT_COLUMNS } from '../inventory/combustion.columns.js';
import { combustionUnitListQuery } from '../inventory/combustion.service.js';
import { HOUSEHOLD_CONVERSION_COLUMNS } from '../inventory/household.columns.js';
import { HouseholdConversion, Locality } from '../inventory/household.entity.js';
import { householdConversionListQuery, localityListQuery } from '../inventory/household.service.js';
import { AgriculturalCoalFacility, BanZone } from '../inventory/agriculture.entity.js';
import { agriculturalCoalFacilityListQuery, banZoneListQuery } from '../inventory/agriculture.service.js';
import { MeasureCheck, ReductionListEntry } from '../warning/reduction.entity.js';
import { REDUCTION_LIST_ENTRY_COLUMNS } from '../warning/reduction.columns.js';
import { Forecast, RegionalLinkage, Warning } from '../warning/warning.entity.js';
import { warningListQuery } from '../warning/warning.queries.js';
import { FreightRecord } from '../freight/freight.entity.js';
import { freightRecordListQuery } from '../freight/freight.service.js';

export type { ColumnType };

/**
 * A column of an export. The collections that can also be imported declare theirs once, with
 * Chinese headers and how an import writes them, in their module's `*.columns.ts` (LedgerColumn).
 */
export interface ExportColumn {
  header: string;
  /** Constant SQL of the value (dates and instants as ISO text). */
  sql: string;
  type: ColumnType;
  /** Personal data: read through its masking for the caller (LedgerColumn.personal), not `sql`. */
  personal?: PersonalField;
}

export interface ListExport {
  entity: ClassType<{ id: number }>;
  /** Alias of the list's table in the SQL. */
  alias: string;
  /** GraphQL input type of the `filter` parameter, when the collection has one. */
  filterType?: string;
  /** GraphQL input type of the `orderBy` parameter, when the collection has one. */
  orderType?: string;
  /** The collection's condition and sort for the caller: its declaration (DeclaredQuery, on `alias`) or a MikroORM filter. */
  query(ctx: RequestContext, filter: any, orderBy: any): Promise<{ where: FilterQuery<any>; order: OrderSpec } | DeclaredQuery>;
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

/** Index of a column of a list export, by header (for transforms). */
const columnIndex = (name: string, header: string): number => LIST_EXPORTS[name].columns.findIndex((c) => c.header === header);
/** A jsonb value as the driver returns it (parsed, or text). */
const jsonValue = (v: unknown): Record<string, unknown> | null => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : (v as Record<string, unknown>));

const CITY_COLUMNS: ExportColumn[] = LEDGER_CITY_COLUMNS;

export const LIST_EXPORTS: Record<string, ListExport> = {
  enterprises: {
    entity: Enterprise,
    ...ENTERPRISE_COLUMNS,
    filterType: 'EnterpriseFilter',
    orderType: 'EnterpriseOrder',
    query: (ctx, filter, orderBy) => enterpriseListQuery(ctx, filter, orderBy, 'x'),
  },
  'grade-changes': {
    entity: GradeChange,
    ...GRADE_CHANGE_COLUMNS,
    filterType: 'GradeChangeFilter',
    query: (ctx, filter) => gradeChangeListQuery(ctx, filter, 'x'),
  },
  'retrofit-projects': {
    entity: RetrofitProject,
    ...RETROFIT_PROJECT_COLUMNS,
    filterType: 'RetrofitProjectFilter',
    orderType: 'RetrofitProjectOrder',
    query: (ctx, filter, orderBy) => retrofitProjectListQuery(ctx, filter, orderBy, 'x'),
  },
  'combustion-units': {
    entity: CombustionUnit,
    ...COMBUSTION_UNIT_COLUMNS,
    filterType: 'CombustionUnitFilter',
    orderType: 'CombustionUnitOrder',
    query: (ctx, filter, orderBy) => combustionUnitListQuery(ctx, filter, orderBy, 'x'),
  },
  localities: {
    entity: Locality,
    alias: 'x',
    filterType: 'LocalityFilter',
    orderType: 'LocalityOrder',
    query: (ctx, filter, orderBy) => localityListQuery(ctx, filter, orderBy, 'x'),
    joins: [CITY_JOIN('x'), 'left join locality pl on pl.id = x.parent_id'],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      s('level', 'x.level'),
      s('name_zh', 'x.name_zh'),
      s('division_code', 'x.division_code'),
      n('parent_id', 'x.parent_id'),
      s('parent_name_zh', 'pl.name_zh'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
    ],
  },
  'household-conversions': {
    entity: HouseholdConversion,
    ...HOUSEHOLD_CONVERSION_COLUMNS,
    filterType: 'HouseholdConversionFilter',
    orderType: 'HouseholdConversionOrder',
    query: (ctx, filter, orderBy) => householdConversionListQuery(ctx, filter, orderBy, 'x'),
  },
  'agricultural-coal-facilities': {
    entity: AgriculturalCoalFacility,
    alias: 'x',
    filterType: 'AgriculturalCoalFacilityFilter',
    orderType: 'AgriculturalCoalFacilityOrder',
    query: (ctx, filter, orderBy) => agriculturalCoalFacilityListQuery(ctx, filter, orderBy, 'x'),
    joins: [CITY_JOIN('x'), 'left join locality v on v.id = x.village_id'],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      n('village_id', 'x.village_id'),
      s('village', 'v.name_zh'),
      s('name', 'x.name'),
      s('kind', 'x.kind'),
      s('status', 'x.status'),
      s('replaced_by', 'x.replaced_by'),
      day('replaced_on', 'x.replaced_on'),
      n('project_id', 'x.project_id'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
    ],
  },
  'ban-zones': {
    entity: BanZone,
    alias: 'x',
    filterType: 'BanZoneFilter',
    orderType: 'BanZoneOrder',
    query: (ctx, filter, orderBy) => banZoneListQuery(ctx, filter, orderBy, 'x'),
    joins: [CITY_JOIN('x')],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      s('name', 'x.name'),
      n('area_km2', 'x.area_km2'),
      day('designated_on', 'x.designated_on'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
    ],
  },
  'freight-records': {
    entity: FreightRecord,
    alias: 'x',
    filterType: 'FreightRecordFilter',
    orderType: 'FreightRecordOrder',
    query: (ctx, filter, orderBy) => freightRecordListQuery(ctx, filter, orderBy, 'x'),
    joins: [CITY_JOIN('x')],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      s('railway', 'x.railway'),
      s('month', 'x.month'),
      n('tonnes', 'x.tonnes'),
      s('source', 'x.source'),
      s('origin', 'x.origin'),
      n('version', 'x.version'),
      instant('created_at', 'x.created_at'),
      instant('updated_at', 'x.updated_at'),
    ],
  },
  disbursements: {
    entity: Disbursement,
    ...DISBURSEMENT_COLUMNS,
    filterType: 'DisbursementFilter',
    orderType: 'DisbursementOrder',
    query: (ctx, filter, orderBy) => disbursementListQuery(ctx, filter, orderBy, 'x'),
  },
  warnings: {
    entity: Warning,
    alias: 'x',
    filterType: 'WarningFilter',
    orderType: 'WarningOrder',
    query: (ctx, filter, orderBy) => warningListQuery(ctx, 'warnings', filter, orderBy, 'x'),
    joins: [CITY_JOIN('x')],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      s('level', 'x.level'),
      instant('issued_at', 'x.issued_at'),
      instant('effective_from', 'x.effective_from'),
      instant('planned_end', 'x.planned_end'),
      instant('lifted_at', 'x.lifted_at'),
      s('authority', 'x.authority'),
      n('forecast_id', 'x.forecast_id'),
      n('linkage_id', 'x.linkage_id'),
      s('flag_reasons', `array_to_string(x.flag_reasons, ',')`),
      n('changes', '(select count(*)::int from warning_change wc where wc.warning_id = x.id)'),
      s('note', 'x.note'),
      s('origin', 'x.origin'),
      n('version', 'x.version'),
    ],
  },
  forecasts: {
    entity: Forecast,
    alias: 'x',
    filterType: 'ForecastFilter',
    orderType: 'ForecastOrder',
    query: (ctx, filter, orderBy) => warningListQuery(ctx, 'forecasts', filter, orderBy, 'x'),
    joins: [CITY_JOIN('x')],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      instant('issued_at', 'x.issued_at'),
      s('source', 'x.source'),
      s('system_name', 'x.system_name'),
      // The days as day:aqi:pollutant, in day order.
      s('days', `(select string_agg(to_char(fd.day, 'YYYY-MM-DD') || ':' || fd.aqi || ':' || coalesce(fd.primary_pollutant, ''), ';' order by fd.day) from forecast_day fd where fd.forecast_id = x.id)`),
      n('max_aqi', '(select max(fd.aqi) from forecast_day fd where fd.forecast_id = x.id)'),
      s('origin', 'x.origin'),
    ],
  },
  'regional-linkages': {
    entity: RegionalLinkage,
    alias: 'x',
    filterType: 'RegionalLinkageFilter',
    orderType: 'RegionalLinkageOrder',
    query: (ctx, filter, orderBy) => warningListQuery(ctx, 'regionalLinkages', filter, orderBy, 'x'),
    joins: ['left join province pv on pv.id = x.province_id'],
    columns: [
      n('id', 'x.id'),
      s('level', 'x.level'),
      s('province', 'pv.slug'),
      s('authority', 'x.authority'),
      instant('issued_at', 'x.issued_at'),
      instant('effective_from', 'x.effective_from'),
      instant('planned_end', 'x.planned_end'),
      instant('lifted_at', 'x.lifted_at'),
      // Linked cities the caller may read (regional_linkage_city is city-scoped under row-level security).
      s('cities', '(select string_agg(lc.slug, \',\' order by lc.plan_order, lc.id) from regional_linkage_city rc join city lc on lc.id = rc.city_id where rc.linkage_id = x.id)'),
      s('note', 'x.note'),
      s('origin', 'x.origin'),
      n('version', 'x.version'),
    ],
  },
  'reduction-list-entries': {
    entity: ReductionListEntry,
    ...REDUCTION_LIST_ENTRY_COLUMNS,
    filterType: 'ReductionListEntryFilter',
    orderType: 'ReductionListEntryOrder',
    query: (ctx, filter, orderBy) => warningListQuery(ctx, 'reductionListEntries', filter, orderBy, 'x'),
  },
  'measure-checks': {
    entity: MeasureCheck,
    alias: 'x',
    filterType: 'MeasureCheckFilter',
    orderType: 'MeasureCheckOrder',
    query: (ctx, filter, orderBy) => warningListQuery(ctx, 'measureChecks', filter, orderBy, 'x'),
    joins: [CITY_JOIN('x'), 'join enterprise e on e.id = x.enterprise_id', 'join warning w on w.id = x.warning_id', 'left join grade_change g on g.id = x.grade_change_id'],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      n('warning_id', 'x.warning_id'),
      s('warning_level', 'w.level'),
      n('entry_id', 'x.entry_id'),
      n('enterprise_id', 'x.enterprise_id'),
      s('enterprise_name', 'e.name'),
      instant('checked_at', 'x.checked_at'),
      s('method', 'x.method'),
      s('result', 'x.result'),
      s('finding', 'x.finding'),
      s('inspector', 'x.inspector'),
      s('proposed_grade', 'x.proposed_grade'),
      s('proposal_status', 'x.proposal_status'),
      n('grade_change_id', 'x.grade_change_id'),
      s('grade_change_to', 'g.to_grade'),
      s('origin', 'x.origin'),
      n('version', 'x.version'),
    ],
  },
  'air-quality-observations': {
    entity: AirQualityObservation,
    ...OBSERVATION_COLUMNS,
    filterType: 'AirQualityObservationFilter',
    orderType: 'AirQualityObservationOrder',
    query: (ctx, filter, orderBy) => observationListQuery(ctx, filter, orderBy, 'o'),
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
         where p.task_target_id = t.id and ${COUNTING_SQL}) pr on true`,
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
    query: (ctx, filter, orderBy) => cityListQuery(ctx, filter, orderBy, 'c'),
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
  provinces: {
    entity: Province,
    alias: 'pv',
    query: (ctx) => provinceListQuery(ctx, 'pv'),
    joins: [],
    columns: [
      s('slug', 'pv.slug'),
      s('name_zh', 'pv.name_zh'),
      s('name_en', 'pv.name_en'),
      s('division_code', 'pv.division_code'),
      n('city_count', '(select count(*)::int from city pc where pc.province_id = pv.id)'),
    ],
  },
  regions: {
    entity: Region,
    alias: 'r',
    query: (ctx) => regionListQuery(ctx, 'r'),
    joins: [],
    columns: [
      s('code', 'r.code'),
      s('name_zh', 'r.name_zh'),
      s('name_en', 'r.name_en'),
      n('city_count', '(select count(*)::int from city rc where rc.region_code = r.code)'),
    ],
  },
  campaigns: {
    entity: Campaign,
    alias: 'cp',
    query: (ctx) => campaignListQuery(ctx, 'cp'),
    joins: [],
    columns: [
      s('code', 'cp.code'),
      s('name_zh', 'cp.name_zh'),
      s('name_en', 'cp.name_en'),
      day('period_start', 'cp.period_start'),
      day('period_end', 'cp.period_end'),
      s('origin', 'cp.origin'),
    ],
  },
  'outcome-targets': {
    entity: OutcomeTarget,
    alias: 'x',
    filterType: 'OutcomeTargetFilter',
    orderType: 'OutcomeTargetOrder',
    query: (ctx, filter, orderBy) => outcomeTargetListQuery(ctx, filter, orderBy, 'x'),
    joins: [CITY_JOIN('x'), 'join campaign cp on cp.id = x.campaign_id'],
    columns: [
      n('id', 'x.id'),
      s('campaign', 'cp.code'),
      ...CITY_COLUMNS,
      n('pm25_target', 'x.pm25_target'),
      n('heavy_days_target', 'x.heavy_days_target'),
      n('annual_pm25_target', 'x.annual_pm25_target'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
      instant('updated_at', 'x.updated_at'),
    ],
  },
  'subsidy-programs': {
    entity: SubsidyProgram,
    alias: 'x',
    filterType: 'SubsidyProgramFilter',
    query: (ctx, filter) => subsidyProgramListQuery(ctx, filter, 'x'),
    joins: ['join campaign cp on cp.id = x.campaign_id'],
    columns: [
      n('id', 'x.id'),
      s('code', 'x.code'),
      s('campaign', 'cp.code'),
      s('name_zh', 'x.name_zh'),
      s('name_en', 'x.name_en'),
      s('kind', 'x.kind'),
      s('description', 'x.description'),
      s('origin', 'x.origin'),
      instant('created_at', 'x.created_at'),
    ],
  },
  clues: {
    entity: Clue,
    alias: 'x',
    filterType: 'ClueFilter',
    orderType: 'ClueOrder',
    query: clueListQuery,
    joins: [CITY_JOIN('x'), 'join campaign cp on cp.id = x.campaign_id', 'left join supervision_round r on r.id = x.round_id', 'left join enterprise e on e.id = x.enterprise_id'],
    columns: [
      n('id', 'x.id'),
      ...CITY_COLUMNS,
      s('campaign', 'cp.code'),
      n('round_id', 'x.round_id'),
      s('round_title', 'r.title'),
      n('enterprise_id', 'x.enterprise_id'),
      s('enterprise_name', 'e.name'),
      s('location', 'x.location'),
      s('source', 'x.source'),
      s('topic', 'x.topic'),
      s('evidence', 'x.evidence'),
      s('stage', 'x.stage'),
      instant('identified_at', 'x.identified_at'),
      instant('investigating_at', 'x.investigating_at'),
      instant('rectifying_at', 'x.rectifying_at'),
      instant('supervised_at', 'x.supervised_at'),
      instant('spot_check_at', 'x.spot_check_at'),
      instant('closed_at', 'x.closed_at'),
      day('rectification_due', 'x.rectification_due'),
      n('days_overdue', daysOverdueSql('x')),
      b('confirmed', 'x.confirmed'),
      s('spot_check_result', 'x.spot_check_result'),
      b('spot_check_failed', 'x.spot_check_failed'),
      n('reopen_count', 'x.reopen_count'),
      s('origin', 'x.origin'),
    ],
  },
  'fraud-list': {
    entity: FraudListEntry,
    alias: 'x',
    filterType: 'FraudListFilter',
    query: (ctx, filter) => fraudListQuery(ctx, filter),
    joins: [CITY_JOIN('x'), 'join campaign cp on cp.id = x.campaign_id'],
    columns: [
      n('id', 'x.id'),
      s('kind', 'x.kind'),
      s('name', 'x.name'),
      s('credit_code', 'x.credit_code'),
      s('affiliation', 'x.affiliation'),
      ...CITY_COLUMNS,
      s('campaign', 'cp.code'),
      day('listed_on', 'x.listed_on'),
      s('origin', 'x.origin'),
    ],
  },
  'audit-events': {
    entity: AuditEvent,
    alias: 'x',
    filterType: 'AuditEventFilter',
    query: (ctx, filter) => auditEventListQuery(ctx, filter, 'x'),
    joins: ['left join city c on c.id = x.city_id'],
    columns: [
      n('id', 'x.id'),
      instant('occurred_at', 'x.occurred_at'),
      s('actor', 'x.actor_id'),
      n('key_id', 'x.key_id'),
      s('role', 'x.role'),
      s('operation', 'x.operation'),
      s('action', 'x.action'),
      s('entity', 'x.entity'),
      n('entity_id', 'x.entity_id'),
      n('city_id', 'x.city_id'),
      ...CITY_COLUMNS,
      s('changed_fields', 'null::text'),
      s('before', 'x.before'),
      s('after', 'x.after'),
    ],
    // before / after as AuditEvent.before / after show them (camelCase, personal data masked by the
    // same function), as JSON text; changed_fields as AuditEvent.changedFields, comma-separated.
    transform(ctx, row) {
      const at = (header: string) => columnIndex('audit-events', header);
      const cityId = row[at('city_id')];
      const event = {
        entity: row[at('entity')] as string,
        cityId: cityId === null || cityId === undefined ? null : Number(cityId),
        before: jsonValue(row[at('before')]),
        after: jsonValue(row[at('after')]),
      } as AuditEvent;
      const out = [...row];
      out[at('changed_fields')] = changedFields(event).join(',');
      const before = auditValues(ctx.actor, event, event.before);
      const after = auditValues(ctx.actor, event, event.after);
      out[at('before')] = before === null ? null : JSON.stringify(before);
      out[at('after')] = after === null ? null : JSON.stringify(after);
      return out;
    },
  },
  'api-keys': {
    entity: ApiKey,
    alias: 'x',
    filterType: 'ApiKeyFilter',
    query: (ctx, filter) => apiKeyListQuery(ctx, filter, 'x'),
    joins: ['left join province pv on pv.id = x.province_id', 'left join city c on c.id = x.city_id'],
    // Never the secret nor its hash.
    columns: [
      n('id', 'x.id'),
      s('name', 'x.name'),
      s('role', 'x.role'),
      s('status', keyStatusSql('x')),
      s('province', 'pv.slug'),
      s('city', 'c.slug'),
      s('prefix', 'x.prefix'),
      instant('expires_at', 'x.expires_at'),
      instant('revoked_at', 'x.revoked_at'),
      s('revoked_by', 'x.revoked_by'),
      instant('created_at', 'x.created_at'),
      s('created_by', 'x.created_by'),
    ],
  },
};
