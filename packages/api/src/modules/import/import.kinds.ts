/**
 * What can be imported, declared once per kind: the file's columns (the export's English header,
 * so that an export can be edited and imported back, and a Chinese header), the GraphQL input type
 * each row is coerced with (the mutation's own type: its enums, scalars and required fields), the
 * references a row names by code rather than by id, and the service function that writes it (the
 * mutation's own, with every rule it checks). Nothing here validates a value itself.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Issue } from '../../common/errors.js';
import { LedgerError, UserErrorCode, Violations } from '../../common/errors.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import {
  AirQualityService,
  checkObservationItem,
  OBSERVATION_RECORD_COLUMNS,
  observationCopy,
  observationRecord,
  sameObservationMessage,
} from '../air-quality/air-quality.service.js';
import type { AirQualityObservationInput } from '../air-quality/air-quality.types.js';
import { EnterpriseService } from '../enterprise/enterprise.service.js';
import { RetrofitProjectService } from '../project/project.service.js';
import { SubsidyService } from '../subsidy/subsidy.service.js';

export interface ImportColumn {
  /** Header as the export writes it (English, snake_case). */
  header: string;
  /** Chinese header accepted in its place. */
  zh: string;
  /** Field of the input type it fills; absent for a reference column. */
  field?: string;
  /** A column naming a record by code: the lookup that turns it into `field` of `reference`. */
  reference?: Reference;
}

/** A record a row names by a code (a credit code, a program code), resolved to its id and city. */
export interface Reference {
  /** Input field that receives the id. */
  field: string;
  /** SQL returning `id` and `city_id` of the record with code `?`. */
  sql: string;
  /** What the code names, for messages. */
  names: string;
}

export interface ImportKind {
  name: string;
  description: string;
  /** GraphQL input type a row is coerced with. */
  inputType: string;
  columns: ImportColumn[];
  /** Whether a row names its city in the `city` column (the scope is checked on it before any write). */
  cityColumn: boolean;
  /** Rows written per call of `write`. */
  chunk: number;
  /**
   * Writes the valid rows of one chunk in the import's transaction; returns the issues of the rows
   * that the mutation's rules refused, by index in `inputs`. Any other error ends the import.
   * A kind has either `write` or `bulk`.
   */
  write?(ctx: RequestContext, em: EntityManager, inputs: Record<string, unknown>[]): Promise<Map<number, Issue[]>>;
  /** How a kind of many rows is written set-wise instead (see BulkWrite). */
  bulk?: BulkWrite;
}

/**
 * A kind written set-wise, for files of a million rows: every row is checked one by one with the
 * mutation's rules (`check`, the same functions the mutation calls), the valid ones are streamed
 * with COPY into the import's staging table (import.staging.ts) and `move` writes them all with
 * one statement of the mutation's own SQL. The rule that a batch names each record once is
 * checked on the staging table (`key`). A bulk kind has no reference columns: nothing else may
 * run on the transaction while the COPY streams.
 */
export interface BulkWrite {
  /** SQL column definitions of the staging table: the records `record` returns, in order. */
  columns: string;
  /** The mutation's rules for one coerced row (`cityId`: the city its `city` names, if it names one); issue fields are input fields. */
  check(input: Record<string, unknown>, cityId: number | undefined, today: string): Issue[];
  /** A checked row as the staging table's values, in the order of `columns`. */
  record(input: Record<string, unknown>, cityId: number): unknown[];
  /** SQL expressions over the staging table of what a batch may give only once, and why a later row that repeats it is refused. */
  key: { sql: string; field: string; code: UserErrorCode; message(firstLine: number): string };
  /** Writes every row of the staging table `staging` marked with `importId`; resolves with the rows written. */
  move(ctx: RequestContext, em: EntityManager, staging: string, importId: number): Promise<number>;
  /**
   * What the mutation's statement writes for a new row, for a COPY straight into its table when
   * no stored row is replaced: the table, its columns (the record's, then the fixed ones) and
   * the fixed values (who wrote it, the import).
   */
  direct?(ctx: RequestContext, importId: number): { table: string; columns: string[]; fixed: unknown[] };
}

const ENTERPRISE_BY_CREDIT_CODE: Reference = {
  field: 'enterpriseId',
  sql: 'select id, city_id from enterprise where credit_code = upper(trim(?))',
  names: 'enterprise with this credit code',
};

/**
 * One mutation call per row, each in a savepoint of the import's transaction: a row the rules
 * refuse leaves nothing behind and the rows around it stand.
 */
function rowByRow<I>(mutation: (ctx: RequestContext, em: EntityManager, input: I) => Promise<unknown>): ImportKind['write'] {
  return async (ctx, em, inputs) => {
    const issues = new Map<number, Issue[]>();
    for (let i = 0; i < inputs.length; i++) {
      try {
        await em.transactional((inner) => mutation(ctx, inner as EntityManager, inputs[i] as I));
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        issues.set(i, error.issues);
      }
    }
    return issues;
  };
}

export const IMPORT_KINDS: Record<string, ImportKind> = {
  enterprises: {
    name: 'enterprises',
    description: 'The enterprise register (createEnterprise): one enterprise a row, ungraded.',
    inputType: 'CreateEnterpriseInput',
    cityColumn: true,
    chunk: 500,
    columns: [
      { header: 'city', zh: '城市', field: 'city' },
      { header: 'name', zh: '企业名称', field: 'name' },
      { header: 'credit_code', zh: '统一社会信用代码', field: 'creditCode' },
      { header: 'industry', zh: '行业', field: 'industry' },
      { header: 'size', zh: '规模', field: 'size' },
      { header: 'key_discharger', zh: '重点排污单位', field: 'keyDischarger' },
      { header: 'online_monitoring', zh: '在线监测联网', field: 'onlineMonitoring' },
      { header: 'ultra_low_emission_status', zh: '超低排放改造状态', field: 'ultraLowEmissionStatus' },
      { header: 'protected_class', zh: '保障类', field: 'protectedClass' },
      { header: 'benchmark', zh: '标杆企业', field: 'benchmark' },
      { header: 'positive_list', zh: '正面清单', field: 'positiveList' },
    ],
    write: rowByRow(EnterpriseService.create),
  },
  'grade-changes': {
    name: 'grade-changes',
    description: 'Performance-grade decisions (recordGradeChange), the enterprise named by its credit code.',
    inputType: 'RecordGradeChangeInput',
    cityColumn: false,
    chunk: 500,
    columns: [
      { header: 'credit_code', zh: '统一社会信用代码', reference: ENTERPRISE_BY_CREDIT_CODE },
      { header: 'to_grade', zh: '绩效等级', field: 'toGrade' },
      { header: 'reason', zh: '调整原因', field: 'reason' },
      { header: 'decided_by', zh: '决定机关', field: 'decidedBy' },
      { header: 'decided_at', zh: '决定时间', field: 'decidedAt' },
      { header: 'note', zh: '备注', field: 'note' },
    ],
    write: rowByRow(EnterpriseService.recordGradeChange),
  },
  'retrofit-projects': {
    name: 'retrofit-projects',
    description: 'Retrofit projects (createRetrofitProject); an enterprise named by its credit code, a task target by its code.',
    inputType: 'CreateRetrofitProjectInput',
    cityColumn: true,
    chunk: 500,
    columns: [
      { header: 'city', zh: '城市', field: 'city' },
      { header: 'name', zh: '项目名称', field: 'name' },
      { header: 'type', zh: '项目类型', field: 'type' },
      { header: 'status', zh: '状态', field: 'status' },
      { header: 'enterprise_credit_code', zh: '企业统一社会信用代码', reference: ENTERPRISE_BY_CREDIT_CODE },
      { header: 'task_target', zh: '任务目标', field: 'taskTarget' },
      { header: 'planned_start_date', zh: '计划开工日期', field: 'plannedStartDate' },
      { header: 'planned_end_date', zh: '计划完工日期', field: 'plannedEndDate' },
      { header: 'actual_start_date', zh: '实际开工日期', field: 'actualStartDate' },
      { header: 'actual_end_date', zh: '实际完工日期', field: 'actualEndDate' },
      { header: 'households', zh: '户数', field: 'households' },
      { header: 'units', zh: '台(套)数', field: 'units' },
      { header: 'capacity_tonnes', zh: '产能(万吨)', field: 'capacityTonnes' },
      { header: 'investment_yuan', zh: '投资(元)', field: 'investmentYuan' },
    ],
    write: rowByRow(RetrofitProjectService.create),
  },
  disbursements: {
    name: 'disbursements',
    description: 'Subsidy disbursement lists (recordDisbursement), the program named by its code.',
    inputType: 'RecordDisbursementInput',
    cityColumn: true,
    chunk: 500,
    columns: [
      {
        header: 'program',
        zh: '补贴项目',
        reference: { field: 'programId', sql: 'select id, null::integer as city_id from subsidy_program where code = trim(?)', names: 'subsidy program with this code' },
      },
      { header: 'city', zh: '城市', field: 'city' },
      { header: 'recipient_kind', zh: '对象类型', field: 'recipientKind' },
      { header: 'household_name', zh: '户主姓名', field: 'householdName' },
      { header: 'household_id_number', zh: '身份证号', field: 'householdIdNumber' },
      { header: 'low_income', zh: '低收入户', field: 'lowIncome' },
      { header: 'enterprise_credit_code', zh: '企业统一社会信用代码', reference: ENTERPRISE_BY_CREDIT_CODE },
      { header: 'amount_yuan', zh: '金额(元)', field: 'amount' },
      { header: 'approved_on', zh: '批准日期', field: 'approvedOn' },
      { header: 'paid_on', zh: '拨付日期', field: 'paidOn' },
      { header: 'note', zh: '备注', field: 'note' },
    ],
    write: rowByRow(SubsidyService.recordDisbursement),
  },
  'air-quality-observations': {
    name: 'air-quality-observations',
    description: 'Daily air-quality observations (recordAirQualityObservations), checked by its rules and written set-wise.',
    inputType: 'AirQualityObservationInput',
    cityColumn: true,
    chunk: 5000,
    columns: [
      { header: 'city', zh: '城市', field: 'city' },
      { header: 'observed_on', zh: '日期', field: 'observedOn' },
      { header: 'station_code', zh: '站点编码', field: 'stationCode' },
      { header: 'pm25', zh: 'PM2.5', field: 'pm25' },
      { header: 'pm10', zh: 'PM10', field: 'pm10' },
      { header: 'o3', zh: 'O3', field: 'o3' },
      { header: 'no2', zh: 'NO2', field: 'no2' },
      { header: 'so2', zh: 'SO2', field: 'so2' },
      { header: 'co', zh: 'CO', field: 'co' },
      { header: 'aqi', zh: 'AQI', field: 'aqi' },
    ],
    // A million rows a file: checked row by row with recordAirQualityObservations' rules, written by
    // its upsert in one statement (COPY into the staging table first).
    bulk: {
      columns: OBSERVATION_RECORD_COLUMNS,
      check(input, cityId, today) {
        const v = new Violations();
        checkObservationItem(v, [], input as unknown as AirQualityObservationInput, cityId !== undefined, today);
        return v.issues;
      },
      record: (input, cityId) => Object.values(observationRecord(cityId, input as unknown as AirQualityObservationInput)),
      key: {
        sql: `city_id, observed_on, coalesce(station_code, '')`,
        field: 'observedOn',
        code: UserErrorCode.INVALID,
        message: (line) => sameObservationMessage(`line ${line}`),
      },
      move: async (ctx, em, staging, importId) => (await AirQualityService.upsertStagedObservations(ctx, em, staging, importId)).written,
      direct: (ctx, importId) => observationCopy(ctx.actor.id, importId),
    },
  },
};

/** The id and city of the record a reference column names, or null. */
export async function lookUp(em: EntityManager, reference: Reference, code: string): Promise<{ id: number; cityId: number | null } | null> {
  const { rows } = await knexOf(em).raw(reference.sql, [code]);
  const row = rows[0] as { id: number; city_id: number | null } | undefined;
  return row ? { id: row.id, cityId: row.city_id } : null;
}
