import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentSqlCounter } from '../sql-counter.js';

/** Which engine answered a GraphQL request: one compiled statement, or Apollo and the resolvers. */
export type ExecutionPath = 'compiled' | 'resolvers';

/**
 * What the request hooks know of one HTTP request, from its arrival to its end. Made by the
 * server's request listener (hooks.ts) before the compiled lane or express sees the request;
 * filled in by whichever path answers it (the compiled lane, Apollo through its one plugin, the
 * export routes); read by the hooks (logs, metrics). It holds no request data beyond these
 * fields: no variables, no query text, no headers.
 */
export interface RequestRecord {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request id: the client's `x-request-id` when it is a plausible id, else a generated UUID. */
  id: string;
  /** process.hrtime.bigint() at arrival. */
  readonly startedAt: bigint;
  readonly method: string;
  /** The URL's path, without its query string (which can carry export parameters). */
  readonly path: string;
  /** The path as a bounded label: /graphql, /console, /exports/:file, /healthz, /readyz, /metrics or other. */
  readonly route: string;
  /** The GraphQL operation's name (null: anonymous operation, or no operation). */
  operationName: string | null;
  /** query / mutation, or null when no operation was resolved. */
  operationType: string | null;
  execution: ExecutionPath | null;
  /** The caller's API key id and role (null: anonymous, or the key was not found). */
  keyId: number | null;
  role: string | null;
  /** The rate limiter refused the request (429 RATE_LIMITED). */
  rateLimited: boolean;
  /** SQL statements sent for this request so far (rate-limit counting excluded). */
  sql: { statements: number };
}

const records = new WeakMap<IncomingMessage, RequestRecord>();
/** Records by their SQL counter: the counter is the request's asynchronous context (sql-counter.ts). */
const byCounter = new WeakMap<object, RequestRecord>();
/** Extensions the hooks add to every error of a response about a request (request id...). */
const errorExtensions = new WeakMap<RequestRecord, () => Record<string, unknown>>();

export function setRequestRecord(record: RequestRecord, errors: () => Record<string, unknown>): void {
  records.set(record.req, record);
  byCounter.set(record.sql, record);
  errorExtensions.set(record, errors);
}

/** The record of a request (undefined for a request that did not come through the server's listener, e.g. in a unit test). */
export function requestRecord(req: IncomingMessage): RequestRecord | undefined {
  return records.get(req);
}

/** The record of the request whose asynchronous context this is (for code that gets no request, such as Apollo's formatError). */
export function currentRequestRecord(): RequestRecord | undefined {
  const counter = currentSqlCounter();
  return counter ? byCounter.get(counter) : undefined;
}

/** The extensions every error about `req` carries (the request id), for error bodies written outside GraphQL execution. */
export function errorExtensionsOf(req: IncomingMessage): Record<string, unknown> {
  const record = records.get(req);
  return record ? (errorExtensions.get(record)?.() ?? {}) : {};
}

/** Records who made the request (paths that authenticate outside the GraphQL hooks: exports). */
export function noteCaller(req: IncomingMessage, actor: { keyId?: number | null; role: string }): void {
  const record = records.get(req);
  if (!record) return;
  record.keyId = actor.keyId ?? null;
  record.role = actor.keyId ? actor.role : null;
}

/** The bounded label of a path (metrics must not get one series per URL). */
export function routeOf(path: string): string {
  if (path === '/graphql' || path === '/healthz' || path === '/readyz' || path === '/metrics') return path;
  if (path.startsWith('/exports/')) return '/exports/:file';
  if (path === '/console' || path.startsWith('/console/')) return '/console';
  return 'other';
}
