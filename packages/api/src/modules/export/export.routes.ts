/**
 * GET /exports/<name>.csv and /exports/<name>.xlsx: every list and every report of the API as a
 * file, with the same filters as the GraphQL query (JSON `filter` / `orderBy` / `input`
 * parameters, coerced with the same GraphQL input types and turned into SQL by the same service
 * functions), authenticated exactly like GraphQL (Authorization: Bearer <API key>, context.ts
 * authenticateHttpRequest; the request transaction of a scoped caller only while the rows are
 * chosen, never while the client downloads) and streamed from a database cursor within the
 * exports' bounded capacity (export.capacity.ts).
 */
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { LedgerError, toGraphQLError, UserErrorCode } from '../../common/errors.js';
import type { AppConfig } from '../../config.js';
import { authenticateHttpRequest, closeRequestScope, createRequestContext, endRequest, openRequestScope, type RequestContext } from '../../context.js';
import { errorExtensionsOf, noteCaller } from '../../common/hooks/record.js';
import { createLogger, safeError, type Logger } from '../../common/log.js';
import { EXPORT_RETRY_AFTER_SECONDS, ExportCapacity, ExportErrorCode, type ExportSlot } from './export.capacity.js';
import { buildLedgerSchema } from '../../schema.js';
import { coerceParam, LIST_EXPORTS, openWriter, REPORT_EXPORTS, reportTable, streamList, type ReportExportName } from './export.service.js';
import { CONTENT_TYPES, type ExportFormat } from './export.writer.js';

const FILE = /^([a-z0-9-]+)\.(csv|xlsx)$/;

/** Maps an error raised before the first byte to an HTTP status and a GraphQL-style error body. */
function sendError(res: express.Response, error: unknown, logger: Logger): void {
  // Every error body carries the request hooks' error extensions (the request id).
  const json = res.json.bind(res);
  res.json = (body: { errors: { extensions?: Record<string, unknown> }[] }) => json({ errors: body.errors.map((e) => ({ ...e, extensions: { ...e.extensions, ...errorExtensionsOf(res.req) } })) });
  if (error instanceof LedgerError) {
    const e = toGraphQLError(error);
    const status = e.extensions.code === 'NOT_FOUND' ? 404 : 400;
    res.status(status).json({ errors: [{ message: e.message, extensions: e.extensions }] });
    return;
  }
  if (error instanceof GraphQLError) {
    const http = (error.extensions.http as { status?: number } | undefined)?.status;
    const code = error.extensions.code;
    const status = http ?? (code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : 400);
    res.status(status).json({ errors: [{ message: error.message, extensions: { code, ...error.extensions, http: undefined } }] });
    return;
  }
  logger.error({ error: safeError(error) }, 'export failed');
  res.status(500).json({ errors: [{ message: 'The export failed.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

function unknownExport(name: string): LedgerError {
  const names = [...Object.keys(LIST_EXPORTS), ...REPORT_EXPORTS].join(', ');
  return LedgerError.of('name', UserErrorCode.NOT_FOUND, `No export named "${name}"; exports are ${names}, as .csv or .xlsx.`);
}

async function handle(orm: MikroORM, capacity: ExportCapacity, req: express.Request, res: express.Response, logger: Logger): Promise<void> {
  const match = FILE.exec(String(req.params.file));
  const name = match?.[1] ?? String(req.params.file);
  const format = match?.[2] as ExportFormat | undefined;
  const list = match ? LIST_EXPORTS[name] : undefined;
  const isReport = (REPORT_EXPORTS as readonly string[]).includes(name);
  if (!format || (!list && !isReport)) return sendError(res, unknownExport(name), logger);

  const ctx: RequestContext = createRequestContext(orm);
  let slot: ExportSlot | null = null;
  let stopWatch = () => {};
  let started = false;
  const aborted = { aborted: false, handlers: [] as (() => void)[] };
  res.on('close', () => {
    if (!res.writableFinished) {
      aborted.aborted = true;
      aborted.handlers.forEach((h) => h());
    }
    // Whatever the export was doing, its slot is free once its response is gone.
    slot?.release();
  });
  try {
    // Authenticated by the very function GraphQL requests go through.
    await authenticateHttpRequest(ctx, req.headers);
    noteCaller(req, ctx.actor);
    const taken = capacity.take(ctx.actor.keyId ? `key:${ctx.actor.keyId}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`);
    if (taken === 'busy' || taken === 'client') return sendBusy(res, taken, capacity);
    slot = taken;
    if (aborted.aborted) return;
    stopWatch = capacity.watch(res);
    const schema = await buildLedgerSchema();
    const begin = (headers: string[], types: Parameters<typeof openWriter>[4]) => {
      res.status(200);
      res.setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
      res.setHeader('Cache-Control', 'no-store');
      started = true;
      return openWriter(format, res, name, headers, types);
    };
    // The rows are chosen in the request transaction of a scoped caller (as a GraphQL request),
    // committed before the first byte: nothing of the request holds a serving connection while
    // the client downloads.
    await openRequestScope(ctx);
    if (list) {
      if (req.query.filter !== undefined && !list.filterType) throw LedgerError.of('filter', UserErrorCode.INVALID, `The ${name} export has no filter.`);
      const filter = list.filterType ? coerceParam(schema, 'filter', req.query.filter, list.filterType) : null;
      if (req.query.orderBy !== undefined && !list.orderType) throw LedgerError.of('orderBy', UserErrorCode.INVALID, `The ${name} export has no orderBy.`);
      const orderBy = list.orderType ? coerceParam(schema, 'orderBy', req.query.orderBy, list.orderType) : null;
      // Validates the filter (and resolves its places) before the first byte, so that problems are a 400.
      const q = await list.query(ctx, filter, orderBy);
      await closeScope(ctx);
      const writer = await begin(
        list.columns.map((c) => c.header),
        list.columns.map((c) => c.type),
      );
      await streamList(
        ctx,
        list,
        q,
        list.transform ? wrapTransform(writer, ctx, list.transform) : writer,
        {
          get aborted() {
            return aborted.aborted;
          },
          onAbort: (fn) => aborted.handlers.push(fn),
        },
        capacity.connections(),
      );
    } else {
      const table = await reportTable(ctx, schema, name as ReportExportName, req.query.input);
      await closeScope(ctx);
      const writer = await begin(table.headers, table.types);
      for (const row of table.rows) await writer.row(row);
      await writer.end();
    }
  } catch (error) {
    if (!started && !aborted.aborted) sendError(res, error, logger);
    else {
      if (!aborted.aborted) logger.error({ error: safeError(error) }, 'export failed while streaming');
      // Without an error argument: an 'error' event on the response has no listener.
      res.destroy();
    }
  } finally {
    stopWatch();
    // Rolls back a request transaction an error left open.
    await endRequest(ctx);
    slot?.release();
  }
}

/** Commits the request transaction of a scoped caller (a failed commit fails the export before its first byte). */
async function closeScope(ctx: RequestContext): Promise<void> {
  const error = await closeRequestScope(ctx);
  if (error) throw error;
}

/** 503 EXPORTS_BUSY (every slot of the process taken) or 429 TOO_MANY_EXPORTS (the caller's), with Retry-After. */
function sendBusy(res: express.Response, why: 'busy' | 'client', capacity: ExportCapacity): void {
  const { exportConcurrency, exportConcurrencyPerClient } = capacity.settings;
  res.setHeader('Retry-After', String(EXPORT_RETRY_AFTER_SECONDS));
  if (why === 'busy') {
    res.status(503).json({
      errors: [{ message: `This server is running its ${exportConcurrency} exports at once; retry in ${EXPORT_RETRY_AFTER_SECONDS} s.`, extensions: { code: ExportErrorCode.EXPORTS_BUSY, limit: exportConcurrency, retryAfter: EXPORT_RETRY_AFTER_SECONDS } }],
    });
  } else {
    res.status(429).json({
      errors: [{ message: `You are running ${exportConcurrencyPerClient} exports at once, as many as one caller may; retry in ${EXPORT_RETRY_AFTER_SECONDS} s.`, extensions: { code: ExportErrorCode.TOO_MANY_EXPORTS, limit: exportConcurrencyPerClient, retryAfter: EXPORT_RETRY_AFTER_SECONDS } }],
    });
  }
}

function wrapTransform(writer: Awaited<ReturnType<typeof openWriter>>, ctx: RequestContext, transform: (ctx: RequestContext, row: unknown[]) => unknown[]) {
  return { row: (values: unknown[]) => writer.row(transform(ctx, values)), end: () => writer.end() };
}

/** Registers GET /exports/:file; returns the exports' capacity (close it when the server stops: it owns the exports' pool). */
export function registerExportRoutes(app: express.Express, orm: MikroORM, config: Partial<AppConfig> = {}, logger: Logger = createLogger({ logLevel: 'info', logFormat: 'json' })): ExportCapacity {
  const capacity = new ExportCapacity(orm, config);
  app.get('/exports/:file', (req, res) => {
    void handle(orm, capacity, req, res, logger);
  });
  return capacity;
}
