/**
 * Bulk import of a ledger file (import.kinds.ts says what can be imported): every row coerced with
 * the mutation's GraphQL input type and checked by the mutation's rules, in ONE transaction acting
 * as the caller (row-level security, the audit trail naming the import as the operation). Kinds
 * of a few thousand rows are written by the mutation's service function in chunks; bulk kinds
 * (observations) are streamed with COPY: straight into the table for an unrestricted writer
 * while no stored row is replaced, otherwise into a staging table moved by the mutation's upsert
 * in one statement (writeStaged). Rows a bulk import creates carry its id and are audited as one
 * event per import and city (migration 20261202180100). All or nothing by default: one refused row and nothing is
 * written; with `skipInvalid` the valid rows are written and the refused ones reported. A row of a
 * city outside the caller's scope refuses the whole import. The file's SHA-256 makes it idempotent:
 * a file of a kind that already succeeded is not written again (status DUPLICATE).
 *
 * The import's record (`import_job`) is written on another connection while it runs (progress,
 * heartbeat), and its final status SUCCEEDED in the import's own transaction, so both commit or
 * neither. A process killed mid-import leaves its transaction to PostgreSQL's rollback and its
 * record RUNNING with a stale heartbeat, which reads as INTERRUPTED.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  GraphQLError,
  isLeafType,
  type GraphQLEnumType,
  type GraphQLScalarType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLInputObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Actor } from '../../common/actor.js';
import { applyScope, AuthError, inScope, isScoped, mayWrite } from '../../common/auth.js';
import { UserErrorCode, type Issue } from '../../common/errors.js';
import { todayInChina } from '../../common/scalars.js';
import { RequestLoaders } from '../../common/loaders.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { buildLedgerSchema } from '../../schema.js';
import { IMPORT_KINDS, lookUp, type ImportColumn, type ImportKind } from './import.kinds.js';
import { csvField } from '../export/export.writer.js';
import { readRows, type ImportFormat, type TextEncoding } from './import.reader.js';
import { openCopy, openStaging, STAGING_TABLE, type CopyWriter } from './import.staging.js';

/** Final and running states of an import. */
export type ImportStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'REFUSED' | 'VALIDATED' | 'DUPLICATE' | 'INTERRUPTED';

/** Rejected rows kept with the import's record (all of them go to the caller's rejects stream). */
export const REJECTS_KEPT = 1000;
/** How often a running import writes its progress and heartbeat. */
const PROGRESS_EVERY_MS = 1000;
/** A RUNNING import whose heartbeat is older than this reads as INTERRUPTED. */
export const HEARTBEAT_STALE_SECONDS = 30;
/** References resolved once per import and kept (a bounded map, cleared when full). */
const REFERENCE_CACHE = 10_000;

export interface ImportRequest {
  kind: string;
  /** Path of the file on this machine (the API streams uploads to a temporary file first). */
  file: string;
  fileName: string;
  format: ImportFormat;
  /** CSV encoding; detected when absent. */
  encoding?: TextEncoding;
  skipInvalid?: boolean;
  dryRun?: boolean;
  /** City slug used for rows that leave the `city` column empty (or a file without one). */
  defaultCity?: string | null;
}

export interface ImportCounts {
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rowsWritten: number;
  bytesRead: number;
  fileBytes: number;
}

export interface ImportOutcome extends ImportCounts {
  id: number;
  status: ImportStatus;
  message: string | null;
  duplicateOf: number | null;
}

export interface ImportHooks {
  onStart?(id: number, fileBytes: number): void;
  /** The file's header row as read. */
  onHeader?(cells: string[]): void;
  onProgress?(counts: ImportCounts): void;
  /** A refused row: its line, its cells as read, and the issues. */
  onReject?(line: number, cells: string[], issues: RejectIssue[]): void;
}

/** Why a row was refused: the column (header of the file) and the reason. */
export interface RejectIssue {
  column: string;
  code: string;
  reason: string;
}

/** Ends the import's transaction with a status other than SUCCEEDED. */
class ImportStop extends Error {
  constructor(
    readonly status: Exclude<ImportStatus, 'RUNNING' | 'SUCCEEDED' | 'INTERRUPTED'>,
    message: string,
  ) {
    super(message);
  }
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ hash: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), bytes };
}

/** The kind of a name, or a clear refusal naming the kinds there are. */
export function importKind(name: string): ImportKind {
  const kind = IMPORT_KINDS[name];
  if (!kind) throw new ImportStop('FAILED', `No import kind "${name}"; kinds are ${Object.keys(IMPORT_KINDS).join(', ')}.`);
  return kind;
}

export { ImportStop };

/**
 * The input field a column's field names: a name of the input type, or a dotted path into its
 * input-object fields (`entries.yellow.measure`: a row of a kind whose mutation takes a list is
 * one item of that list).
 */
function fieldAt(type: GraphQLInputObjectType, path: string): GraphQLInputField | undefined {
  let at: GraphQLInputObjectType | undefined = type;
  let field: GraphQLInputField | undefined;
  for (const name of path.split('.')) {
    field = at?.getFields()[name];
    if (!field) return undefined;
    const named: GraphQLNamedType = getNamedType(field.type);
    at = isInputObjectType(named) ? named : undefined;
  }
  return field;
}

/** Sets a column's value into a row's input: by name, or along a dotted path (a list field holds the row's one item). */
function setField(type: GraphQLInputObjectType, raw: Record<string, unknown>, path: string, value: unknown): void {
  if (!path.includes('.')) {
    raw[path] = value;
    return;
  }
  const names = path.split('.');
  let at: GraphQLInputObjectType = type;
  let target = raw;
  for (const name of names.slice(0, -1)) {
    const field = at.getFields()[name];
    const list = isListType(getNullableType(field.type));
    let next = target[name] as Record<string, unknown> | Record<string, unknown>[] | undefined;
    if (next === undefined) next = target[name] = list ? [{}] : {};
    target = Array.isArray(next) ? next[0] : next;
    at = getNamedType(field.type) as GraphQLInputObjectType;
  }
  target[names.at(-1)!] = value;
}

/** The file's header mapped to the kind's columns (English or Chinese), by cell position. */
function mapHeader(kind: ImportKind, header: string[], input: GraphQLInputObjectType, defaultCity: string | null | undefined): { columns: (ImportColumn | null)[]; ignored: string[] } {
  const byName = new Map<string, ImportColumn>();
  for (const c of kind.columns) {
    byName.set(c.header, c);
    byName.set(c.zh, c);
  }
  const seen = new Set<ImportColumn>();
  const ignored: string[] = [];
  const columns = header.map((raw) => {
    const name = raw.trim();
    const column = byName.get(name) ?? byName.get(name.toLowerCase()) ?? null;
    if (!column) {
      if (name) ignored.push(name);
      return null;
    }
    if (seen.has(column)) throw new ImportStop('FAILED', `The header names column "${column.header}" (${column.zh}) twice.`);
    seen.add(column);
    return column;
  });
  // Columns the mutation requires (non-null without a default) must be in the file.
  const given = new Set([...seen].map((c) => c.field ?? c.reference!.field));
  if (defaultCity) given.add('city');
  const missing = kind.columns.filter((c) => {
    const field = fieldAt(input, c.field ?? c.reference!.field);
    return field && isNonNullType(field.type) && field.defaultValue === undefined && !given.has(c.field ?? c.reference!.field);
  });
  if (missing.length) {
    throw new ImportStop('FAILED', `The file lacks required columns: ${missing.map((c) => `${c.header} (${c.zh})`).join(', ')}. The first row must be the header.`);
  }
  return { columns, ignored };
}

type CoerceError = (path: readonly (string | number)[], value: unknown, error: GraphQLError) => void;

/**
 * coerceInputValue for an input type whose fields are scalars and enums (a ledger row), decided
 * once per import: each present value through its type's own parseValue, defaults and required
 * fields as coerceInputValue has them. A row it cannot take as it is (a required field missing,
 * a value refused) is handed to coerceInputValue itself, whose errors are the reasons reported.
 * An input type with list or object fields is always coerced by coerceInputValue.
 */
function inputCoercer(type: GraphQLInputObjectType): (raw: Record<string, unknown>, onError: CoerceError) => unknown {
  const general = (raw: Record<string, unknown>, onError: CoerceError) => coerceInputValue(raw, type, onError);
  const fields = Object.values(type.getFields()).map((f) => ({ name: f.name, leaf: getNullableType(f.type), nonNull: isNonNullType(f.type), defaultValue: f.defaultValue }));
  if (!fields.every((f) => isLeafType(f.leaf))) return general;
  const known = new Set(fields.map((f) => f.name));
  return (raw, onError) => {
    for (const key in raw) if (!known.has(key)) return general(raw, onError);
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const value = raw[f.name];
      if (value === undefined) {
        if (f.defaultValue !== undefined) out[f.name] = f.defaultValue;
        else if (f.nonNull) return general(raw, onError);
        continue;
      }
      if (value === null) {
        if (f.nonNull) return general(raw, onError);
        out[f.name] = null;
        continue;
      }
      let parsed: unknown;
      try {
        parsed = (f.leaf as GraphQLScalarType | GraphQLEnumType).parseValue(value);
      } catch {
        return general(raw, onError);
      }
      if (parsed === undefined) return general(raw, onError);
      out[f.name] = parsed;
    }
    return out;
  };
}

const TRUE = new Set(['true', '1', 'yes', 'y', '是', '有', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '无', 'f']);

/** A cell as the JSON value of its input field's type (what a client would send); coercion checks it. */
function cellValue(cell: string, typeName: string, isEnum: boolean): unknown {
  const text = cell.trim();
  if (typeName === 'Boolean') {
    const lower = text.toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
  }
  if (typeName === 'Int' || typeName === 'Float') return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : text;
  if (isEnum) return text.toUpperCase();
  return text;
}

/**
 * The column header an issue's field path names: the input field (`['input', 'creditCode']`), or
 * the path into a list item (`['input', 'entries', '3', 'yellow', 'cutPercent']`, list indexes
 * left out), else its first field.
 */
function columnOf(kind: ImportKind, field: readonly (string | number)[]): string {
  const names = field.filter((p) => p !== 'input' && !/^\d+$/.test(String(p))).map(String);
  const named = (name: string) => kind.columns.find((c) => c.field === name || c.reference?.field === name);
  const column = named(names.join('.')) ?? named(names[0] ?? '');
  return column?.header ?? names.join('.');
}

/** A line of the rejects CSV, written as the exports write CSV (formulas neutralised). */
function rejectsCsvLine(cells: string[]): string {
  return cells.map((c) => csvField(c, 'number')).join(',');
}

async function insertJob(orm: MikroORM, actor: Actor, req: ImportRequest, file: { hash: string; bytes: number }): Promise<number> {
  const { rows } = await orm.em.getKnex().raw(
    `insert into import_job (kind, format, file_name, file_hash, file_bytes, dry_run, skip_invalid, status, created_by, key_id)
     values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?) returning id`,
    [req.kind, req.format, req.fileName.slice(0, 300) || 'upload', file.hash, file.bytes, Boolean(req.dryRun), Boolean(req.skipInvalid), actor.id, actor.keyId ?? null],
  );
  return rows[0].id as number;
}

async function writeProgress(orm: MikroORM, id: number, c: ImportCounts): Promise<void> {
  await orm.em.getKnex().raw(
    `update import_job set rows_read = ?, rows_valid = ?, rows_rejected = ?, rows_written = ?, bytes_read = ?, heartbeat_at = now() where id = ? and status = 'RUNNING'`,
    [c.rowsRead, c.rowsValid, c.rowsRejected, c.rowsWritten, c.bytesRead, id],
  );
}

async function finishJob(knex: Knex, id: number, status: ImportStatus, c: ImportCounts, message: string | null, rejects: string | null, duplicateOf: number | null = null): Promise<void> {
  await knex.raw(
    `update import_job set status = ?, rows_read = ?, rows_valid = ?, rows_rejected = ?, rows_written = ?, bytes_read = ?,
       message = ?, rejects = ?, duplicate_of = ?, heartbeat_at = now(), finished_at = now() where id = ?`,
    [status, c.rowsRead, c.rowsValid, c.rowsRejected, c.rowsWritten, c.bytesRead, message, rejects, duplicateOf, id],
  );
}

/** Whether an error is PostgreSQL refusing a write of row-level security or privileges. */
function isPrivilegeError(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === '42501';
}

/** PostgreSQL's "ON CONFLICT DO UPDATE command cannot affect row a second time": the staged rows repeat a key. */
const REPEATED_KEY = '21000';
/** unique_violation: a row COPYed straight into a table is stored already, or repeated. */
const UNIQUE_VIOLATION = '23505';

/**
 * Writes the staging table of a bulk kind (or, when `move` is false, only checks it): the rows
 * that repeat the key of an earlier row are refused (`refuse`, with the line of the first) and
 * left out. The move runs first and is undone to a savepoint when PostgreSQL finds a repeated
 * key, so that a file without repeats (the usual case) costs no extra pass. Returns the rows written.
 */
async function writeStaged(
  kind: ImportKind,
  ctx: RequestContext,
  em: EntityManager,
  id: number,
  options: { move: boolean; skipInvalid: boolean },
  refuse: (repeated: { line: number; first: number }[]) => Promise<void>,
): Promise<number> {
  const bulk = kind.bulk!;
  const knex = knexOf(em);
  const repeats = async () => {
    const { rows } = await knex.raw(
      `select line, first from (select line, min(line) over (partition by ${bulk.key.sql}) as first from ${STAGING_TABLE}) s where line <> first order by line`,
    );
    const repeated = rows as { line: number; first: number }[];
    if (repeated.length) {
      await refuse(repeated);
      await knex.raw(`delete from ${STAGING_TABLE} where line = any(?::integer[])`, [repeated.map((r) => r.line)]);
    }
    return repeated.length;
  };
  if (!options.move) {
    await repeats();
    return 0;
  }
  await knex.raw('savepoint import_move');
  try {
    const written = await bulk.move(ctx, em, STAGING_TABLE, id);
    await knex.raw('release savepoint import_move');
    return written;
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code !== REPEATED_KEY) throw error;
    await knex.raw('rollback to savepoint import_move');
  }
  // All or nothing: a refused repeat and nothing is written.
  if ((await repeats()) && !options.skipInvalid) return 0;
  return bulk.move(ctx, em, STAGING_TABLE, id);
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

/**
 * Imports a file as `actor`; resolves with the outcome once it is over (the API starts it without
 * waiting and answers with its id). Refusals of the file itself (unknown kind, missing columns)
 * and of rows are outcomes, not exceptions.
 */
export async function importFile(orm: MikroORM, actor: Actor, req: ImportRequest, hooks: ImportHooks = {}): Promise<ImportOutcome> {
  const file = await hashFile(req.file);
  const id = await insertJob(orm, actor, req, file);
  hooks.onStart?.(id, file.bytes);
  const counts: ImportCounts = { rowsRead: 0, rowsValid: 0, rowsRejected: 0, rowsWritten: 0, bytesRead: 0, fileBytes: file.bytes };
  /** Rejected rows kept with the record, with their line (kept in line order). */
  const rejects: [number, string][] = [];
  const outcome = (status: ImportStatus, message: string | null, duplicateOf: number | null = null): ImportOutcome => ({ id, status, message, duplicateOf, ...counts });

  if (!req.dryRun) {
    const { rows } = await orm.em.getKnex().raw(`select id from import_job where kind = ? and file_hash = ? and status = 'SUCCEEDED' and not dry_run limit 1`, [req.kind, file.hash]);
    if (rows[0]) {
      const message = `This file was imported already (import ${rows[0].id}); nothing was written.`;
      await finishJob(orm.em.getKnex(), id, 'DUPLICATE', counts, message, null, rows[0].id);
      return outcome('DUPLICATE', message, rows[0].id);
    }
  }

  let lastProgress = 0;
  let progressWrite: Promise<void> = Promise.resolve();
  const progress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    hooks.onProgress?.({ ...counts });
    const snapshot = { ...counts };
    progressWrite = progressWrite.then(() => writeProgress(orm, id, snapshot)).catch(() => {});
  };

  try {
    const kind = importKind(req.kind);
    const schema = await (schemaPromise ??= buildLedgerSchema());
    const inputType = schema.getType(kind.inputType);
    if (!isInputObjectType(inputType)) throw new Error(`Import kind ${kind.name}: ${kind.inputType} is not an input type`);
    const coerce = inputCoercer(inputType);

    await orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const operation = `import:${kind.name}#${id}`;
      await applyScope(knexOf(em), actor, operation);
      // The import is one statement or a few of any length: the serving connections' timeouts do not apply.
      await knexOf(em).raw(`select set_config('statement_timeout', '0', true)`);
      const ctx: RequestContext = { em, loaders: new RequestLoaders(em), actor, idempotencyKey: null, mutation: { name: `import:${kind.name}`, args: {} }, scope: null };
      const { rows: cityRows } = await orm.em.getKnex().raw(`select id, slug, name_en from city`);
      const cities = new Map<string, { id: number; nameEn: string }>((cityRows as { id: number; slug: string; name_en: string }[]).map((c) => [c.slug, { id: c.id, nameEn: c.name_en }]));
      const references = new Map<string, { id: number; cityId: number | null } | null>();
      const today = todayInChina();

      let header: { columns: (ImportColumn | null)[]; ignored: string[] } | null = null;
      /** Per cell position: the named type of its input field (null for ignored and reference columns). */
      let cellTypes: ({ name: string; isEnum: boolean } | null)[] = [];
      let headerCells: string[] = [];
      let chunk: { line: number; cells: string[]; input: Record<string, unknown> }[] = [];
      /** Rows up to this line were reported to hooks.onReject by an earlier pass over the file. */
      let reported = 0;

      const reject = (line: number, cells: string[], issues: RejectIssue[]) => {
        counts.rowsRejected++;
        if (line > reported) hooks.onReject?.(line, cells, issues);
        if (rejects.length < REJECTS_KEPT) rejects.push([line, rejectsCsvLine([String(line), ...cells, issues.map((i) => i.column).join('; '), issues.map((i) => `${i.code}: ${i.reason}`).join('; ')])]);
      };
      const asRejects = (issues: Issue[]): RejectIssue[] => issues.map((i) => ({ column: columnOf(kind, i.field), code: i.code, reason: i.message }));
      const flush = async () => {
        if (!chunk.length) return;
        const refused = await kind.write!(ctx, em, chunk.map((r) => r.input));
        for (const [index, issues] of [...refused].sort((a, b) => a[0] - b[0])) {
          const r = chunk[index];
          counts.rowsValid--;
          reject(r.line, r.cells, asRejects(issues));
        }
        counts.rowsWritten += chunk.length - refused.size;
        chunk = [];
        em.clear();
      };

      /**
       * One pass over the file: every row coerced and checked; the valid ones written by chunks
       * (`write` kinds) or sent to `sink` (bulk kinds: the staging table, or the ledger table
       * itself with the `fixed` values appended).
       */
      const pass = async (sink: { copy: CopyWriter; line: boolean; fixed: unknown[] } | null) => {
        header = null;
        for await (const batch of readRows(req.file, req.format, req.encoding)) for (const row of batch) {
          counts.bytesRead = row.bytesRead;
          if (!header) {
            header = mapHeader(kind, row.cells, inputType, req.defaultCity);
            cellTypes = header.columns.map((c) => {
              if (!c?.field) return null;
              const type = getNamedType(fieldAt(inputType, c.field)!.type);
              return { name: type.name, isEnum: isEnumType(type) };
            });
            if (!headerCells.length) hooks.onHeader?.(row.cells);
            headerCells = row.cells;
            continue;
          }
          counts.rowsRead++;
          const issues: RejectIssue[] = [];
          const raw: Record<string, unknown> = {};
          for (let i = 0; i < header.columns.length; i++) {
            const column = header.columns[i];
            const cell = (row.cells[i] ?? '').trim();
            if (!column || cell === '') continue;
            if (column.reference) {
              const key = `${column.header}\u0000${cell}`;
              let found = references.get(key);
              if (found === undefined) {
                if (references.size >= REFERENCE_CACHE) references.clear();
                found = await lookUp(orm.em.getKnex(), column.reference, cell);
                references.set(key, found);
              }
              if (!found) issues.push({ column: column.header, code: UserErrorCode.NOT_FOUND, reason: `No ${column.reference.names} "${cell}".` });
              else {
                if (found.cityId !== null && !inScope(ctx, found.cityId)) {
                  throw new ImportStop('REFUSED', `Line ${row.line}: ${column.header} "${cell}" is a record of a city your ${actor.role} key may not change; nothing was written.`);
                }
                setField(inputType, raw, column.reference.field, String(found.id));
              }
              continue;
            }
            const type = cellTypes[i]!;
            setField(inputType, raw, column.field!, cellValue(cell, type.name, type.isEnum));
          }
          let cityId: number | undefined;
          if (kind.cityColumn) {
            if (raw.city === undefined && req.defaultCity) raw.city = req.defaultCity;
            const city = cities.get(String(raw.city ?? ''));
            if (city && !inScope(ctx, city.id)) {
              throw new ImportStop('REFUSED', `Line ${row.line}: your ${actor.role} key may not change records of ${city.nameEn}; nothing was written.`);
            }
            cityId = city?.id;
          }
          const unresolved = issues.map((i) => i.column);
          const coerced = coerce(raw, (path, _value, error: GraphQLError) => {
            const missing = /of required type .* was not provided/.test(error.message);
            // A reference that named nothing was reported already.
            if (missing && unresolved.some((c) => error.message.includes(`"${kind.columns.find((k) => k.header === c)?.reference?.field.split('.').at(-1)}"`))) return;
            // A missing field is reported on its parent's path (none for a field of the row itself).
            const named = String(/"([^"]+)"/.exec(error.message)?.[1] ?? '');
            issues.push({ column: columnOf(kind, missing ? [...path, named] : path.length ? path : [named]), code: missing ? UserErrorCode.REQUIRED : UserErrorCode.INVALID, reason: error.message });
          }) as Record<string, unknown>;
          if (!issues.length && kind.bulk) issues.push(...asRejects(kind.bulk.check(coerced, cityId, today)));
          if (issues.length) {
            reject(row.line, row.cells, issues);
          } else if (sink) {
            counts.rowsValid++;
            const record = kind.bulk!.record(coerced, cityId!);
            const sent = sink.line ? sink.copy.add([row.line], record) : sink.copy.add(record, sink.fixed);
            if (sent) await sent;
          } else {
            counts.rowsValid++;
            chunk.push({ line: row.line, cells: row.cells, input: { ...coerced } });
            if (chunk.length >= kind.chunk) await flush();
          }
          progress();
        }
        if (sink) await sink.copy.finish();
        else await flush();
      };

      /** Runs a pass into `sink`, abandoning its COPY when the pass fails. */
      const passInto = async (copy: CopyWriter, line: boolean, fixed: unknown[]) => {
        try {
          await pass({ copy, line, fixed });
        } catch (error) {
          copy.abort();
          throw error;
        }
      };

      const bulk = kind.bulk;
      let copied = false;
      if (bulk?.direct && !req.dryRun && !isScoped(actor) && mayWrite(actor)) {
        // Straight into the ledger table (COPY's speed), as the table's owner: COPY cannot run
        // under row-level security, whose write policy lets an unrestricted writer through anyway.
        // A row that is stored already (the upsert would replace it) or repeated makes
        // PostgreSQL refuse the COPY: undone to the savepoint, the file is read again, staged.
        const direct = bulk.direct(ctx, id);
        const knex = knexOf(em);
        await knex.raw('savepoint import_copy');
        await knex.raw(`select set_config('role', 'none', true)`);
        try {
          await passInto(await openCopy(em, direct.table, direct.columns), false, direct.fixed);
          await applyScope(knex, actor, operation);
          await knex.raw('release savepoint import_copy');
          counts.rowsWritten = counts.rowsValid;
          copied = true;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== UNIQUE_VIOLATION) throw error;
          await knex.raw('rollback to savepoint import_copy');
          reported = Math.max(reported, ...rejects.map((r) => r[0]));
          Object.assign(counts, { rowsRead: 0, rowsValid: 0, rowsRejected: 0, rowsWritten: 0, bytesRead: 0 });
          rejects.length = 0;
        }
      }
      if (bulk && !copied) await passInto(await openStaging(em, bulk.columns), true, []);
      else if (!bulk) await pass(null);
      if (!header) throw new ImportStop('FAILED', 'The file is empty: the first row must be the header.');
      const { ignored: ignoredColumns } = header as { ignored: string[] };
      if (bulk && !copied) {
        const move = !req.dryRun && !(counts.rowsRejected && !req.skipInvalid);
        counts.rowsWritten = await writeStaged(kind, ctx, em, id, { move, skipInvalid: Boolean(req.skipInvalid) }, async (repeated) => {
          // The rows that repeat an earlier row's key, with the cells of the file (read again for them).
          const lines = new Map(repeated.map((r) => [r.line, r.first]));
          for await (const batch of readRows(req.file, req.format, req.encoding)) for (const row of batch) {
            const first = lines.get(row.line);
            if (first === undefined) continue;
            counts.rowsValid--;
            reject(row.line, row.cells, [{ column: columnOf(kind, [bulk.key.field]), code: bulk.key.code, reason: bulk.key.message(first) }]);
          }
        });
      }
      const rejectsText = rejects.length ? [rejectsCsvLine(['line', ...headerCells, 'rejected_column', 'rejected_reason']), ...rejects.sort((a, b) => a[0] - b[0]).map((r) => r[1])].join('\r\n') + '\r\n' : null;
      const ignored = ignoredColumns.length ? ` Columns not imported: ${ignoredColumns.join(', ')}.` : '';
      if (counts.rowsRejected && !req.skipInvalid) {
        counts.rowsWritten = 0;
        throw Object.assign(new ImportStop('FAILED', `${counts.rowsRejected} of ${counts.rowsRead} rows were refused; nothing was written (see the rejects).${ignored}`), { rejects: rejectsText });
      }
      if (req.dryRun) {
        counts.rowsWritten = 0;
        throw Object.assign(new ImportStop('VALIDATED', `Dry run: ${counts.rowsValid} of ${counts.rowsRead} rows are valid; nothing was written.${ignored}`), { rejects: rejectsText });
      }
      await progressWrite;
      const message = `${counts.rowsWritten} rows written${counts.rowsRejected ? `, ${counts.rowsRejected} refused rows skipped` : ''}.${ignored}`;
      await finishJob(knexOf(em), id, 'SUCCEEDED', counts, message, rejectsText);
    });
    await progressWrite;
    hooks.onProgress?.({ ...counts });
    const { rows } = await orm.em.getKnex().raw(`select message from import_job where id = ?`, [id]);
    return outcome('SUCCEEDED', rows[0].message);
  } catch (error) {
    await progressWrite;
    let stop: ImportStop;
    if (error instanceof ImportStop) stop = error;
    else if (error instanceof AuthError) stop = new ImportStop('REFUSED', `${error.message} Nothing was written.`);
    else if (isPrivilegeError(error)) stop = new ImportStop('REFUSED', 'A row is outside what your key may change; nothing was written.');
    else if ((error as { code?: string }).code === '23505' && /import_job_succeeded_file_unique/.test(String((error as Error).message))) {
      stop = new ImportStop('DUPLICATE', 'This file was imported at the same time by another import; nothing was written.');
    } else {
      await finishJob(orm.em.getKnex(), id, 'FAILED', { ...counts, rowsWritten: 0 }, 'The import failed on the server; nothing was written.', null).catch(() => {});
      throw error;
    }
    if (stop.status !== 'VALIDATED') counts.rowsWritten = 0;
    await finishJob(orm.em.getKnex(), id, stop.status, counts, stop.message, (stop as ImportStop & { rejects?: string | null }).rejects ?? null);
    return outcome(stop.status, stop.message);
  }
}

/** An import's record as `importJob` shows it (a RUNNING one with a stale heartbeat is INTERRUPTED). */
export const IMPORT_JOB_SQL = `select id, kind, format, file_name, file_hash, file_bytes, dry_run, skip_invalid,
    case when status = 'RUNNING' and heartbeat_at < now() - interval '${HEARTBEAT_STALE_SECONDS} seconds' then 'INTERRUPTED' else status end as status,
    rows_read, rows_valid, rows_rejected,
    case when status = 'RUNNING' and heartbeat_at < now() - interval '${HEARTBEAT_STALE_SECONDS} seconds' then 0 else rows_written end as rows_written, bytes_read, message, duplicate_of, created_by, key_id,
    started_at, finished_at, rejects
  from import_job where id = ?`;
