import type { IncomingMessage, ServerResponse } from 'node:http';
import accepts from 'accepts';
import { errorExtensionsOf } from '../hooks/record.js';

/** Stable codes in `extensions.code` of the errors the hardening layer answers with. */
export const HardeningErrorCode = {
  /** The operation nests fields deeper than AIRLEDGER_MAX_DEPTH. HTTP 400. */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  /** The operation has more aliases than AIRLEDGER_MAX_ALIASES. HTTP 400. */
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  /** The operation could return more nodes than AIRLEDGER_MAX_COST. HTTP 400. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The document has more tokens than AIRLEDGER_MAX_TOKENS. HTTP 400. */
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  /** The operation has more directives than AIRLEDGER_MAX_DIRECTIVES. HTTP 400. */
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  /** The request body is larger than AIRLEDGER_MAX_BODY_BYTES. HTTP 413. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** The request body is not valid JSON (or not readable). HTTP 400. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The `airledger-read-after` header is not a WAL position (a pg_lsn such as `0/3A1B2C8`). HTTP 400. */
  INVALID_READ_AFTER: 'INVALID_READ_AFTER',
  /** Too many requests for this API key or client IP in the current minute. HTTP 429 with Retry-After. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The operation is a subscription, which this API does not offer. HTTP 400. */
  SUBSCRIPTIONS_NOT_SUPPORTED: 'SUBSCRIPTIONS_NOT_SUPPORTED',
  /** A database statement ran longer than AIRLEDGER_STATEMENT_TIMEOUT_MS and was cancelled. */
  STATEMENT_TIMEOUT: 'STATEMENT_TIMEOUT',
} as const;
export type HardeningErrorCode = (typeof HardeningErrorCode)[keyof typeof HardeningErrorCode];

/** PostgreSQL's query_canceled, raised by statement_timeout. */
const QUERY_CANCELED = '57014';

/** Whether an error (or one it wraps: originalError, cause) is a statement cancelled by statement_timeout. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; originalError?: unknown; cause?: unknown } | undefined, i = 0; e && i < 8; i++) {
    if (e.code === QUERY_CANCELED && typeof e.message === 'string' && e.message.includes('statement timeout')) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** The message of STATEMENT_TIMEOUT errors, on both paths (Apollo's limits plugin, the compiled lane). */
export const STATEMENT_TIMEOUT_MESSAGE = 'A database statement took longer than the statement timeout and was cancelled. Narrow the query (filters, smaller pages) and retry.';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * Answers a request that never reaches Apollo (body too large, rate limited, unreadable body)
 * with a GraphQL-shaped error body, in the media type the client asked for.
 */
export function sendHttpError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: HardeningErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  const type = accepts(req).type(['application/json', GRAPHQL_RESPONSE]) === GRAPHQL_RESPONSE ? GRAPHQL_RESPONSE : 'application/json';
  res.statusCode = status;
  res.setHeader('content-type', `${type}; charset=utf-8`);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions, ...errorExtensionsOf(req) } }] }));
}
