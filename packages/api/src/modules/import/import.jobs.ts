/**
 * Reading imports' records: `importJob(id)`, GET /imports/<id> and its rejects. A record is seen by
 * the key that started it and by unrestricted keys (MINISTRY, national READ_ONLY); to anybody
 * else it does not exist.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../../common/actor.js';
import { isScoped, requireKey } from '../../common/auth.js';
import { notFound } from '../../common/errors.js';
import { idOrNull } from '../../common/ids.js';
import { IMPORT_JOB_SQL, type ImportStatus } from './import.service.js';
import type { ImportJob } from './import.types.js';

function toJob(row: Record<string, unknown>): ImportJob {
  const bytes = Number(row.file_bytes);
  return {
    id: String(row.id),
    kind: String(row.kind),
    format: String(row.format),
    fileName: String(row.file_name),
    fileHash: String(row.file_hash),
    fileBytes: bytes,
    dryRun: Boolean(row.dry_run),
    skipInvalid: Boolean(row.skip_invalid),
    status: row.status as ImportStatus,
    rowsRead: Number(row.rows_read),
    rowsValid: Number(row.rows_valid),
    rowsRejected: Number(row.rows_rejected),
    rowsWritten: Number(row.rows_written),
    progress: bytes === 0 ? 1 : Math.min(1, Number(row.bytes_read) / bytes),
    message: (row.message as string | null) ?? null,
    duplicateOf: row.duplicate_of === null ? null : String(row.duplicate_of),
    createdBy: String(row.created_by),
    startedAt: new Date(row.started_at as string),
    finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
    rejectsUrl: row.rejects ? `/imports/${row.id}/rejects.csv` : null,
  };
}

export class ImportJobService {
  /** The record of import `id` if the actor may see it; NOT_FOUND otherwise. */
  static async record(knex: Knex, actor: Actor, id: string): Promise<ImportJob> {
    requireKey({ actor }, 'Imports');
    const key = idOrNull(id);
    const { rows } = key === null ? { rows: [] } : await knex.raw(IMPORT_JOB_SQL, [key]);
    const row = rows[0] as Record<string, unknown> | undefined;
    if (!row || (row.created_by !== actor.id && isScoped(actor))) throw notFound('import', 'id', id);
    return toJob(row);
  }

  /** The rejects CSV kept with an import (empty when none were refused). */
  static async rejects(knex: Knex, id: string): Promise<string> {
    const { rows } = await knex.raw(`select rejects from import_job where id = ?`, [Number(id)]);
    return (rows[0]?.rejects as string | null) ?? '';
  }
}
