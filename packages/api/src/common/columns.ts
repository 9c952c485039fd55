/**
 * The columns of a ledger file, declared once per collection (in its module's `*.columns.ts`):
 * each with its English header (what the export writes), its Chinese header, how the export reads
 * it (constant SQL over the collection's table and joins) and, for a column an import takes, how it
 * is written (the mutation input field it fills, or the record it names by code). The export list
 * (export.lists.ts) and the import kind (import.kinds.ts) of a collection both use the one
 * declaration, so an export can be edited and imported back by construction.
 */

import type { PersonalField } from './privacy.js';

/** Type of a column's values: decides how xlsx cells are typed (CSV writes text). */
export type ColumnType = 'string' | 'number' | 'boolean';

/** A record a row names by a code (a credit code, a program code), resolved to its id and city. */
export interface Reference {
  /** Input field that receives the id. */
  field: string;
  /** SQL returning `id` and `city_id` of the record with code `?`. */
  sql: string;
  /** What the code names, for messages. */
  names: string;
}

/** How an import writes a column: the input field it fills, or the record it names by code. */
export type ColumnWrite = { field: string; reference?: undefined } | { reference: Reference; field?: undefined };

export interface LedgerColumn {
  /** Header as the export writes it (English, snake_case); an import accepts it. */
  header: string;
  /** Chinese header an import accepts in its place. */
  zh: string;
  /** How the export reads it: constant SQL of the value (dates and instants as ISO text). */
  sql: string;
  type: ColumnType;
  /** Input field of the mutation it fills; absent for a column an import does not take. */
  field?: string;
  /** A column naming a record by code: the lookup that turns it into `field` of `reference`. */
  reference?: Reference;
  /**
   * Personal data (common/privacy.ts): the export reads it through the field's masking for the
   * caller (personalSql on the list's declared query) instead of `sql`; an import writes it as given.
   */
  personal?: PersonalField;
}

/** The columns of one collection's files, with the table alias and joins their SQL is written on. */
export interface LedgerColumns {
  /** Alias of the collection's table in the SQL. */
  alias: string;
  /** Constant joins the columns need. */
  joins: string[];
  columns: LedgerColumn[];
}

const column =
  (type: ColumnType, wrap: (sql: string) => string = (sql) => sql) =>
  (header: string, zh: string, sql: string, write?: ColumnWrite): LedgerColumn => ({ header, zh, sql: wrap(sql), type, ...(write?.field ? { field: write.field } : {}), ...(write?.reference ? { reference: write.reference } : {}) });

/** Column builders: text, number, boolean, a date (YYYY-MM-DD) and an instant (ISO, UTC). */
export const col = {
  text: column('string'),
  number: column('number'),
  boolean: column('boolean'),
  day: column('string', (sql) => `to_char(${sql}, 'YYYY-MM-DD')`),
  instant: column('string', (sql) => `to_char(${sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
};

/** The column `column` as personal data `field`: masked by the export for whoever may not see it. */
export const personal = (column: LedgerColumn, field: PersonalField): LedgerColumn => ({ ...column, personal: field });

/** Shorthand of a column an import writes into input field `field`. */
export const into = (field: string): ColumnWrite => ({ field });

/** The join of a collection's city (alias c) for CITY_COLUMNS. */
export const CITY_JOIN = (alias: string): string => `join city c on c.id = ${alias}.city_id`;

/** The city of a row: its slug (the `city` an import names, the scope checked on it) and its names. */
export const CITY_COLUMNS: LedgerColumn[] = [
  col.text('city', '城市', 'c.slug', into('city')),
  col.text('city_name_zh', '城市名称', 'c.name_zh'),
  col.text('city_name_en', '城市英文名称', 'c.name_en'),
];

/** The city of a row, read only: for a collection whose rows name their city through another record (a village). */
export const CITY_NAME_COLUMNS: LedgerColumn[] = CITY_COLUMNS.map(({ field: _field, ...read }) => read);

/** The columns an import takes (those with a field or a reference). */
export function writableColumns(columns: LedgerColumns): (LedgerColumn & ({ field: string } | { reference: Reference }))[] {
  return columns.columns.filter((c): c is LedgerColumn & ({ field: string } | { reference: Reference }) => c.field !== undefined || c.reference !== undefined);
}
