/**
 * What can be imported, declared once per kind: the file's columns (the writable columns of the
 * collection's one declaration, `*.columns.ts`, the very columns its export writes, so that an
 * export can be edited and imported back; English or Chinese headers), the GraphQL input type
 * each row is coerced with (the mutation's own type: its enums, scalars and required fields), the
 * references a row names by code rather than by id, and the service function that writes it (the
 * mutation's own, with every rule it checks). Nothing here validates a value itself.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { writableColumns, type LedgerColumn, type Reference } from '../../common/columns.js';
import type { Issue } from '../../common/errors.js';
import { LedgerError, UserErrorCode, Violations } from '../../common/errors.js';
import type { RequestContext } from '../../context.js';
import {
  AirQualityService,
  checkObservationItem,
  OBSERVATION_RECORD_COLUMNS,
  observationCopy,
  observationRecord,
  sameObservationMessage,
} from '../air-quality/air-quality.service.js';
import { OBSERVATION_COLUMNS } from '../air-quality/air-quality.columns.js';
import type { AirQualityObservationInput } from '../air-quality/air-quality.types.js';
import { ENTERPRISE_COLUMNS, GRADE_CHANGE_COLUMNS } from '../enterprise/enterprise.columns.js';
import { EnterpriseService } from '../enterprise/enterprise.service.js';
import { COMBUSTION_UNIT_COLUMNS } from '../inventory/combustion.columns.js';
import { CombustionUnitService } from '../inventory/combustion.service.js';
import { HOUSEHOLD_CONVERSION_COLUMNS } from '../inventory/household.columns.js';
import { HouseholdConversionService } from '../inventory/household.service.js';
import { RETROFIT_PROJECT_COLUMNS } from '../project/project.columns.js';
import { RetrofitProjectService } from '../project/project.service.js';
import { DISBURSEMENT_COLUMNS } from '../subsidy/subsidy.columns.js';
import { SubsidyService } from '../subsidy/subsidy.service.js';
import { REDUCTION_LIST_ENTRY_COLUMNS } from '../warning/reduction.columns.js';
import { ReductionService } from '../warning/reduction.service.js';
import { MAX_ENTRIES_PER_LIST_IMPORT, type SetReductionListEntriesInput } from '../warning/reduction.types.js';

/**
 * A column an import takes: a column of the collection's one declaration (its module's
 * `*.columns.ts`, shared with the export) that names the input field it fills or the record it
 * names by code.
 */
export type ImportColumn = Pick<LedgerColumn, 'header' | 'zh' | 'field' | 'reference'>;
export type { Reference };

export interface ImportKind {
  name: string;
  description: string;
  /** GraphQL input type a row is coerced with. */
  inputType: string;
  /** The columns of the file: the writable ones of the collection's declaration (writableColumns). */
  columns: ImportColumn[];
  /** Whether a row names its city in the `city` column (the scope is checked on it before any write). */
  cityColumn: boolean;
  /** Rows written per call of `write` (Infinity: every row of the file in one call). */
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

/**
 * One mutation call per list, for a mutation whose rules hold across the items of a list (a
 * city's reduction list of a campaign): a row is one item of the input's list field `list` with
 * the fields that name its list (every other field of the input), coerced as an input of one
 * item. The rows of one list, wherever they are in the file, go in one call, in a savepoint of the
 * import's transaction. When the rules refuse items, those rows are refused and the call is made
 * again with the rest (the rules over the list then judge the list that would be written), until
 * it passes or no row is left; an issue that names no item (the list's city or campaign) refuses
 * every row of the list.
 */
function byList<I>(list: string, mutation: (ctx: RequestContext, em: EntityManager, input: I) => Promise<unknown>): ImportKind['write'] {
  return async (ctx, em, inputs) => {
    const issues = new Map<number, Issue[]>();
    const lists = new Map<string, number[]>();
    inputs.forEach((input, i) => {
      const { [list]: _items, ...names } = input;
      const key = JSON.stringify(names);
      lists.set(key, [...(lists.get(key) ?? []), i]);
    });
    for (const [key, rows] of lists) {
      let left = rows;
      while (left.length) {
        const input = { ...JSON.parse(key), [list]: left.map((i) => (inputs[i][list] as unknown[])[0]) } as I;
        try {
          await em.transactional((inner) => mutation(ctx, inner as EntityManager, input));
          break;
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error;
          const refused = new Set<number>();
          for (const issue of error.issues) {
            const at = issue.field.map(String);
            const item = at[at.indexOf(list) + 1];
            const rowsOf = at.includes(list) && item !== undefined && /^\d+$/.test(item) ? [left[Number(item)]] : left;
            for (const row of rowsOf) {
              refused.add(row);
              issues.set(row, [...(issues.get(row) ?? []), issue]);
            }
          }
          left = refused.size ? left.filter((row) => !refused.has(row)) : [];
        }
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
    columns: writableColumns(ENTERPRISE_COLUMNS),
    write: rowByRow(EnterpriseService.create),
  },
  'grade-changes': {
    name: 'grade-changes',
    description: 'Performance-grade decisions (recordGradeChange), the enterprise named by its credit code.',
    inputType: 'RecordGradeChangeInput',
    cityColumn: false,
    chunk: 500,
    columns: writableColumns(GRADE_CHANGE_COLUMNS),
    write: rowByRow(EnterpriseService.recordGradeChange),
  },
  'retrofit-projects': {
    name: 'retrofit-projects',
    description: 'Retrofit projects (createRetrofitProject); an enterprise named by its credit code, a task target by its code.',
    inputType: 'CreateRetrofitProjectInput',
    cityColumn: true,
    chunk: 500,
    columns: writableColumns(RETROFIT_PROJECT_COLUMNS),
    write: rowByRow(RetrofitProjectService.create),
  },
  'combustion-units': {
    name: 'combustion-units',
    description: 'The combustion-unit inventory (createCombustionUnit, with its rules: small coal boilers, new coal boilers, elimination); an enterprise named by its credit code.',
    inputType: 'CreateCombustionUnitInput',
    cityColumn: true,
    chunk: 500,
    columns: writableColumns(COMBUSTION_UNIT_COLUMNS),
    write: rowByRow(CombustionUnitService.create),
  },
  'household-conversions': {
    name: 'household-conversions',
    description: 'The village conversion list (createHouseholdConversion, with its rules: build before break, the first heating season); the village named by its id.',
    inputType: 'CreateHouseholdConversionInput',
    cityColumn: false,
    chunk: 500,
    columns: writableColumns(HOUSEHOLD_CONVERSION_COLUMNS),
    write: rowByRow(HouseholdConversionService.create),
  },
  'reduction-list-entries': {
    name: 'reduction-list-entries',
    description:
      'Emergency reduction list entries (setReductionListEntries), the enterprise named by its credit code: each city\'s list of a campaign written by one call, so the rules over a list (the cut never shrinks as the grade worsens within an industry) judge the whole list.',
    inputType: 'SetReductionListEntriesInput',
    cityColumn: true,
    // The rows of a list may be anywhere in the file: every row is held, the lists written at the end.
    chunk: Number.POSITIVE_INFINITY,
    columns: writableColumns(REDUCTION_LIST_ENTRY_COLUMNS),
    write: byList('entries', (ctx, em, input: SetReductionListEntriesInput) => ReductionService.setEntries(ctx, em, input, MAX_ENTRIES_PER_LIST_IMPORT)),
  },
  disbursements: {
    name: 'disbursements',
    description: 'Subsidy disbursement lists (recordDisbursement), the program named by its code.',
    inputType: 'RecordDisbursementInput',
    cityColumn: true,
    chunk: 500,
    columns: writableColumns(DISBURSEMENT_COLUMNS),
    write: rowByRow(SubsidyService.recordDisbursement),
  },
  'air-quality-observations': {
    name: 'air-quality-observations',
    description: 'Daily air-quality observations (recordAirQualityObservations), checked by its rules and written set-wise.',
    inputType: 'AirQualityObservationInput',
    cityColumn: true,
    chunk: 5000,
    columns: writableColumns(OBSERVATION_COLUMNS),
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

/**
 * The id and city of the record a reference column names, or null. Read on `knex`, a connection
 * outside the import's row-level security: a record of a city the caller may not change must be
 * found, so that its row refuses the whole file, not read as missing and skipped.
 */
export async function lookUp(knex: Knex, reference: Reference, code: string): Promise<{ id: number; cityId: number | null } | null> {
  const { rows } = await knex.raw(reference.sql, [code]);
  const row = rows[0] as { id: number; city_id: number | null } | undefined;
  return row ? { id: row.id, cityId: row.city_id } : null;
}
