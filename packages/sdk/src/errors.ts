/**
 * Typed errors of the SDK. Every failure the client reports is an AirledgerError; the subclass
 * tells what happened, from the GraphQL `extensions.code` of the response's first error when there
 * is one, else from the HTTP status, else from the transport (network failure, timeout).
 *
 *   extensions.code          HTTP status   class
 *   UNAUTHENTICATED          401           AuthenticationError
 *   FORBIDDEN                403           PermissionError
 *   BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED, BAD_REQUEST
 *                            400, 422      ValidationError (field paths in `fields`)
 *   NOT_FOUND                404           NotFoundError
 *   CONFLICT                 409           ConflictError
 *   RATE_LIMITED             429           RateLimitError (`retryAfter` seconds from Retry-After)
 *   INTERNAL_SERVER_ERROR    5xx           ServerError
 *   (no response)                          NetworkError; TimeoutError (a NetworkError) when the time limit ran out
 */

/** One error of a GraphQL response, as the server sent it. */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** An input field a ValidationError is about. */
export interface FieldError {
  /** Path of the input field, e.g. `['input', 'creditCode']` or `['filter', 'province']`. */
  path: string[];
  /** Machine-readable reason when the server gave one (a UserErrorCode such as `REQUIRED`, `TAKEN`). */
  code?: string;
  /** Human-readable explanation. */
  message: string;
}

/** What every error of the SDK may carry. */
export interface AirledgerErrorDetails {
  /** GraphQL `extensions.code` of the first error, or a code of the SDK (NETWORK_ERROR, TIMEOUT, USER_ERRORS, HTTP_<status>). */
  code?: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** Name of the operation that failed. */
  operationName?: string;
  /** Every GraphQL error of the response. */
  errors?: readonly GraphQLErrorShape[];
  /** Data the server returned along with the errors (partial results), when any. */
  data?: unknown;
  /** The underlying error (a fetch TypeError, a JSON SyntaxError...). */
  cause?: unknown;
}

const BRAND = Symbol.for('@airledger/sdk:AirledgerError');

/** Base class of every error the SDK throws. */
export class AirledgerError extends Error {
  override name = 'AirledgerError';
  readonly code?: string;
  readonly status?: number;
  readonly operationName?: string;
  readonly errors: readonly GraphQLErrorShape[];
  /** Partial data the server returned with the errors (null/undefined when there was none). */
  readonly data?: unknown;

  constructor(message: string, details: AirledgerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.status = details.status;
    this.operationName = details.operationName;
    this.errors = details.errors ?? [];
    this.data = details.data;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The request was not authenticated (missing, invalid or expired token). */
export class AuthenticationError extends AirledgerError {
  override name = 'AuthenticationError';
}

/** The authenticated actor may not do this. */
export class PermissionError extends AirledgerError {
  override name = 'PermissionError';
}

/**
 * The input is invalid: a query argument (GraphQL `BAD_USER_INPUT` with `extensions.field`), a
 * document the schema rejects, or a mutation whose payload carries `userErrors`.
 */
export class ValidationError extends AirledgerError {
  override name = 'ValidationError';
  /** Every input field at fault, with its path. */
  readonly fields: FieldError[];

  constructor(message: string, fields: FieldError[], details: AirledgerErrorDetails = {}) {
    super(message, details);
    this.fields = fields;
  }

  /** Path of the first field at fault, dot-joined (`'filter.province'`), if any. */
  get field(): string | undefined {
    return this.fields[0]?.path.join('.');
  }
}

/** The record asked for does not exist (e.g. an unknown slug). */
export class NotFoundError extends AirledgerError {
  override name = 'NotFoundError';
}

/** The write conflicts with the current state (a concurrent change, a duplicate). */
export class ConflictError extends AirledgerError {
  override name = 'ConflictError';
}

/** Too many requests. `retryAfter` is the server's Retry-After in seconds, when it sent one. */
export class RateLimitError extends AirledgerError {
  override name = 'RateLimitError';
  readonly retryAfter?: number;

  constructor(message: string, retryAfter: number | undefined, details: AirledgerErrorDetails = {}) {
    super(message, details);
    this.retryAfter = retryAfter;
  }
}

/** No response: the server is unreachable, the connection broke, or the body could not be read. */
export class NetworkError extends AirledgerError {
  override name = 'NetworkError';
}

/** The attempt took longer than `timeoutMs` and was aborted. A NetworkError. */
export class TimeoutError extends NetworkError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, details: AirledgerErrorDetails = {}) {
    super(message, details);
    this.timeoutMs = timeoutMs;
  }
}

/** The server failed (HTTP 5xx, `INTERNAL_SERVER_ERROR`, or a response that is not GraphQL). */
export class ServerError extends AirledgerError {
  override name = 'ServerError';
}

/**
 * True for any error of this SDK, also across copies of it (ESM and CommonJS builds loaded side by
 * side, where `instanceof` does not hold).
 */
export function isAirledgerError(error: unknown): error is AirledgerError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** A user error of a mutation payload (`{ field, code, message }`). */
export interface UserErrorShape {
  field?: readonly string[] | null;
  code?: string | null;
  message: string;
}

/**
 * Throws a ValidationError when a mutation payload carries `userErrors`, else returns the payload.
 * Use it with `throwOnUserErrors: false` to decide per call.
 */
export function assertNoUserErrors<T extends { userErrors?: readonly UserErrorShape[] | null }>(payload: T, details: AirledgerErrorDetails = {}): T {
  const userErrors = payload?.userErrors ?? [];
  if (userErrors.length) throw userErrorsToValidationError(userErrors, { ...details, data: details.data ?? payload });
  return payload;
}

export function userErrorsToValidationError(userErrors: readonly UserErrorShape[], details: AirledgerErrorDetails = {}): ValidationError {
  const fields = userErrors.map((e) => ({ path: [...(e.field ?? [])], code: e.code ?? undefined, message: e.message }));
  const message = fields.map((f) => (f.path.length ? `${f.path.join('.')}: ${f.message}` : f.message)).join('; ');
  return new ValidationError(message, fields, { code: 'USER_ERRORS', ...details });
}

/** Parses Retry-After (delay in seconds, or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function fieldPath(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value) return value.split('.');
  return undefined;
}

/** Field errors of a GraphQL error: `extensions.issues[]` when present, else `extensions.field`. */
function fieldErrorsOf(errors: readonly GraphQLErrorShape[]): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const ext = error.extensions ?? {};
    const issues = Array.isArray(ext.issues) ? (ext.issues as Record<string, unknown>[]) : [];
    if (issues.length) {
      for (const issue of issues) {
        const path = fieldPath(issue.field);
        if (path) out.push({ path, code: typeof issue.code === 'string' ? issue.code : undefined, message: String(issue.message ?? error.message) });
      }
      continue;
    }
    const path = fieldPath(ext.field);
    if (path) out.push({ path, code: typeof ext.reason === 'string' ? ext.reason : undefined, message: error.message });
  }
  return out;
}

const CODE_TO_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  BAD_REQUEST: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * The error for a response: by `extensions.code` of the first error that has a known one, else by
 * HTTP status. `retryAfterHeader` is the response's Retry-After.
 */
export function errorFromResponse(input: {
  status: number;
  errors: readonly GraphQLErrorShape[];
  data?: unknown;
  operationName?: string;
  retryAfterHeader?: string | null;
  fallbackMessage?: string;
}): AirledgerError {
  const { status, errors } = input;
  const known = errors.find((e) => typeof e.extensions?.code === 'string' && CODE_TO_STATUS[e.extensions.code as string] !== undefined);
  const first = known ?? errors[0];
  const code = (first?.extensions?.code as string | undefined) ?? (status >= 400 ? `HTTP_${status}` : undefined);
  const kind = known ? CODE_TO_STATUS[known.extensions!.code as string] : status;
  const message = errors.length ? errors.map((e) => e.message).join('; ') : (input.fallbackMessage ?? `HTTP ${status}`);
  const details: AirledgerErrorDetails = { code, status, operationName: input.operationName, errors, data: input.data ?? undefined };

  if (kind === 401) return new AuthenticationError(message, details);
  if (kind === 403) return new PermissionError(message, details);
  if (kind === 400 || kind === 422) return new ValidationError(message, fieldErrorsOf(errors), details);
  if (kind === 404) return new NotFoundError(message, details);
  if (kind === 409) return new ConflictError(message, details);
  if (kind === 429) {
    const fromExtension = first?.extensions?.retryAfter;
    const retryAfter = parseRetryAfter(input.retryAfterHeader) ?? (typeof fromExtension === 'number' ? fromExtension : undefined);
    return new RateLimitError(message, retryAfter, details);
  }
  if (kind >= 500) return new ServerError(message, details);
  return new AirledgerError(message, details);
}
