/**
 * POST /imports/<kind>: a ledger file as the request body (CSV or XLSX; `Content-Type` text/csv or
 * the XLSX type, or `?format=csv|xlsx`), authenticated and scoped like every write (Authorization:
 * Bearer <API key> of a writing role). The body is streamed to a temporary file (at most
 * AIRLEDGER_IMPORT_MAX_MB) and the import started; the answer is 202 with the import's id, whose
 * progress and outcome `importJob(id)` and GET /imports/<id> show. `?wait=true` answers once the
 * import is over instead (200 with the same record). GET /imports/<id>/rejects.csv gives the
 * refused rows kept with the record.
 *
 * Options (query string): skipInvalid=true, dryRun=true, city=<slug> (for rows with no city),
 * encoding=utf-8|gb18030 (CSV; detected otherwise), fileName=<name> (for the record).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { requireWriter } from '../../common/auth.js';
import { LedgerError, toGraphQLError, UserErrorCode } from '../../common/errors.js';
import type { AppConfig } from '../../config.js';
import { authenticateHttpRequest, createRequestContext } from '../../context.js';
import { IMPORT_KINDS } from './import.kinds.js';
import type { ImportFormat, TextEncoding } from './import.reader.js';
import { importFile } from './import.service.js';
import { ImportJobService } from './import.jobs.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function send(res: express.Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

function sendError(res: express.Response, error: unknown): void {
  if (error instanceof LedgerError) {
    const e = toGraphQLError(error);
    res.status(e.extensions.code === 'NOT_FOUND' ? 404 : 400).json({ errors: [{ message: e.message, extensions: e.extensions }] });
    return;
  }
  if (error instanceof GraphQLError) {
    const code = String(error.extensions.code);
    const http = (error.extensions.http as { status?: number } | undefined)?.status;
    send(res, http ?? (code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : 400), code, error.message);
    return;
  }
  console.error('[airledger] import failed:', error);
  send(res, 500, 'INTERNAL_SERVER_ERROR', 'The import failed.');
}

function formatOfRequest(req: express.Request): ImportFormat | null {
  const q = String(req.query.format ?? '').toLowerCase();
  if (q === 'csv' || q === 'xlsx') return q;
  if (q) return null;
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  return null;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw LedgerError.of(name, UserErrorCode.INVALID, `${name} must be true or false.`);
}

/** Stops the upload with 413 once it passes `limit` bytes. */
function sizeLimit(limit: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limit) done(Object.assign(new Error('too large'), { tooLarge: true }));
      else done(null, chunk);
    },
  });
}

/** Imports running in this process (each holds one connection for its transaction). */
let running = 0;

async function upload(orm: MikroORM, config: Partial<AppConfig>, req: express.Request, res: express.Response): Promise<void> {
  const ctx = createRequestContext(orm);
  let tmp: string | null = null;
  let handedOver = false;
  try {
    await authenticateHttpRequest(ctx, req.headers);
    requireWriter(ctx);
    const kind = String(req.params.kind);
    if (!IMPORT_KINDS[kind]) throw LedgerError.of('kind', UserErrorCode.NOT_FOUND, `No import kind "${kind}"; kinds are ${Object.keys(IMPORT_KINDS).join(', ')}.`);
    const format = formatOfRequest(req);
    if (!format) throw LedgerError.of('format', UserErrorCode.INVALID, `Send the file as text/csv or ${XLSX_TYPE}, or say ?format=csv|xlsx.`);
    const encoding = req.query.encoding === undefined ? undefined : String(req.query.encoding).toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'gb18030') throw LedgerError.of('encoding', UserErrorCode.INVALID, 'encoding must be utf-8 or gb18030.');
    const options = { skipInvalid: flag(req.query.skipInvalid, 'skipInvalid'), dryRun: flag(req.query.dryRun, 'dryRun'), wait: flag(req.query.wait, 'wait') };
    const concurrency = config.importConcurrency ?? 2;
    if (running >= concurrency) {
      res.setHeader('Retry-After', '5');
      return send(res, 503, 'IMPORTS_BUSY', `This server is running its ${concurrency} imports at once; retry later.`, { limit: concurrency });
    }
    running++;
    handedOver = true;
    try {
      tmp = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'airledger-import-')), `upload.${format}`);
      const limit = (config.importMaxMb ?? 200) * 1024 * 1024;
      try {
        await pipeline(req, sizeLimit(limit), fs.createWriteStream(tmp));
      } catch (error) {
        if ((error as { tooLarge?: boolean }).tooLarge) return send(res, 413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${config.importMaxMb ?? 200} MiB (AIRLEDGER_IMPORT_MAX_MB).`);
        throw error;
      }
      const fileName = String(req.query.fileName ?? `${kind}.${format}`).slice(0, 300);
      const file = tmp;
      const job = importFile(orm, ctx.actor, {
        kind,
        file,
        fileName,
        format,
        encoding: encoding as TextEncoding | undefined,
        skipInvalid: options.skipInvalid,
        dryRun: options.dryRun,
        defaultCity: req.query.city === undefined ? null : String(req.query.city),
      }, {
        onStart: (id) => {
          if (!options.wait) res.status(202).json({ id: String(id), status: 'RUNNING' });
        },
      });
      const done = job.finally(async () => {
        running--;
        await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
      });
      tmp = null;
      if (options.wait) {
        const outcome = await done;
        res.status(200).json(await ImportJobService.record(orm.em.getKnex(), ctx.actor, String(outcome.id)));
      } else {
        done.catch((error) => console.error('[airledger] import failed:', error));
      }
    } finally {
      if (tmp) {
        running--;
        await fs.promises.rm(path.dirname(tmp), { recursive: true, force: true });
      }
    }
  } catch (error) {
    if (!res.headersSent) sendError(res, error);
  } finally {
    if (!handedOver) req.resume();
  }
}

async function show(orm: MikroORM, req: express.Request, res: express.Response, rejects: boolean): Promise<void> {
  const ctx = createRequestContext(orm);
  try {
    await authenticateHttpRequest(ctx, req.headers);
    const record = await ImportJobService.record(orm.em.getKnex(), ctx.actor, String(req.params.id));
    if (!rejects) {
      res.json(record);
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${record.id}-rejects.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send('\uFEFF' + (await ImportJobService.rejects(orm.em.getKnex(), record.id)));
  } catch (error) {
    sendError(res, error);
  }
}

/** Registers POST /imports/:kind, GET /imports/:id and GET /imports/:id/rejects.csv. */
export function registerImportRoutes(app: express.Express, orm: MikroORM, config: Partial<AppConfig> = {}): void {
  app.post('/imports/:kind', (req, res) => void upload(orm, config, req, res));
  app.get('/imports/:id/rejects.csv', (req, res) => void show(orm, req, res, true));
  app.get('/imports/:id', (req, res) => void show(orm, req, res, false));
}
