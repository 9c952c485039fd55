/**
 * COPY FROM STDIN (pg-copy-streams) on the connection of an import's transaction: into the
 * import's staging table (a temporary table dropped at the end of the transaction, committed or
 * not, that the kind then moves into the ledger with one statement), or straight into a ledger
 * table. Rows are encoded straight into a block of 256 KB (no string per block to flatten and
 * convert) and sent a block at a time, waiting while PostgreSQL catches up: memory stays bounded
 * whatever the size of the file.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { from as copyFrom } from 'pg-copy-streams';
import { knexOf } from '../../common/sql.js';

/** Name of the staging table (temporary: one per session, and the import's transaction is the session's only one). */
export const STAGING_TABLE = 'import_staging';
/** Bytes of COPY text sent at once. */
const BLOCK_BYTES = 256 * 1024;

export interface CopyWriter {
  /**
   * Adds one row: the values of `values`, then those of `more` (in the order of the columns).
   * Returns a promise to wait for when a block was sent, null otherwise (no promise per row).
   */
  add(values: readonly unknown[], more?: readonly unknown[]): Promise<void> | null;
  /** Ends the COPY; resolves once PostgreSQL has every row (rejects with its error otherwise). */
  finish(): Promise<void>;
  /** Abandons the COPY (PostgreSQL undoes it); never throws. */
  abort(): void;
}

/** A value in COPY's text format: \N for null, backslash, tab and line breaks escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

/**
 * Opens `copy <table> (<columns>) from stdin` in the transaction of `em`. No other statement may
 * run on the transaction until `finish` or `abort` (the connection is in COPY mode).
 */
export async function openCopy(em: EntityManager, table: string, columns: readonly string[]): Promise<CopyWriter> {
  const knex = knexOf(em);
  const connection = await (knex as unknown as { client: { acquireConnection(): Promise<{ query(q: unknown): Writable }> } }).client.acquireConnection();
  const stream = connection.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  let failure: Error | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  finished.catch(() => {});
  let block = Buffer.allocUnsafe(BLOCK_BYTES);
  let used = 0;
  const send = async () => {
    if (failure) throw failure;
    if (!used) return;
    const full = block.subarray(0, used);
    block = Buffer.allocUnsafe(BLOCK_BYTES);
    used = 0;
    if (!stream.write(full)) await Promise.race([once(stream, 'drain'), finished]);
  };
  /** Writes a row's text into the block (a row longer than the room left goes into a block of its own). */
  const put = (text: string) => {
    if (used + text.length * 3 > block.length) {
      if (used) {
        // Keep what is there for the next send: a new block of at least the row's size.
        const next = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, used + text.length * 3));
        block.copy(next, 0, 0, used);
        block = next;
      } else block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, text.length * 3));
    }
    used += block.write(text, used);
  };
  return {
    add(values, more) {
      let text = copyText(values[0]);
      for (let i = 1; i < values.length; i++) text += '\t' + copyText(values[i]);
      if (more) for (let i = 0; i < more.length; i++) text += '\t' + copyText(more[i]);
      put(text + '\n');
      return used >= BLOCK_BYTES - 4096 ? send() : null;
    },
    async finish() {
      await send();
      stream.end();
      await finished;
    },
    abort() {
      if (!stream.writableFinished && !stream.destroyed) stream.destroy();
    },
  };
}

/**
 * Creates the staging table (`line integer`, the row's line in the file, then `columns`, SQL
 * column definitions) in the transaction of `em` and opens the COPY into it: rows are added as
 * [line, ...values].
 */
export async function openStaging(em: EntityManager, columns: string): Promise<CopyWriter> {
  await knexOf(em).raw(`create temporary table ${STAGING_TABLE} (line integer not null, ${columns}) on commit drop`);
  const names = ['line', ...columns.split(',').map((c) => c.trim().split(/\s+/)[0])];
  return openCopy(em, STAGING_TABLE, names);
}
