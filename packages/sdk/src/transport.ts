/**
 * The transport: one GraphQL request over fetch (POST, JSON), with a time limit per attempt,
 * retries with exponential backoff and jitter, and typed errors. Uses only what browsers and
 * Node 20+ both have (fetch, AbortController, setTimeout).
 */
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AirledgerError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  errorFromResponse,
  userErrorsToValidationError,
  type GraphQLErrorShape,
  type UserErrorShape,
} from './errors.js';
import type { ClientOptions, FetchLike, RequestOptions } from './types.js';

export const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 2,
  retryDelayMs: 250,
  maxRetryDelayMs: 10_000,
  throwOnUserErrors: true,
} as const;

/** A document the client can send: a (typed) DocumentNode or the source text of one. */
export type AnyDocument<TResult = unknown, TVariables = unknown> = TypedDocumentNode<TResult, TVariables> | DocumentNode | string;

type OperationKind = 'query' | 'mutation' | 'subscription';

interface PreparedDocument {
  query: string;
  operationName?: string;
  kind: OperationKind;
}

const prepared = new WeakMap<object, PreparedDocument>();

/** Kind and name of the first operation of a document source (a small scan at brace depth 0). */
function scanSource(source: string): { kind: OperationKind; operationName?: string } {
  const text = source.replace(/#[^\n\r]*/g, '').replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"/g, '""');
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{') {
      if (depth === 0) return { kind: 'query' };
      depth++;
    } else if (ch === '}') depth--;
    else if (depth === 0 && /[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      if (word === 'query' || word === 'mutation' || word === 'subscription') {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i + word.length));
        return { kind: word, operationName: name?.[1] };
      }
      if (word === 'fragment') {
        // skip the fragment's body
        const open = text.indexOf('{', i);
        if (open < 0) break;
        let d = 0;
        let j = open;
        for (; j < text.length; j++) {
          if (text[j] === '{') d++;
          else if (text[j] === '}' && --d === 0) break;
        }
        i = j + 1;
        continue;
      }
      i += word.length;
      continue;
    }
    i++;
  }
  return { kind: 'query' };
}

export function prepareDocument(document: AnyDocument): PreparedDocument {
  if (typeof document === 'string') return { query: document, ...scanSource(document) };
  const cached = prepared.get(document);
  if (cached) return cached;
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
  const result: PreparedDocument = {
    query: print(document),
    operationName: operation && 'name' in operation ? operation.name?.value : undefined,
    kind: operation && 'operation' in operation ? (operation.operation as OperationKind) : 'query',
  };
  prepared.set(document, result);
  return result;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}

function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof RateLimitError) return true;
  return error instanceof ServerError && (error.status ?? 0) >= 500;
}

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLErrorShape[];
}

export interface TransportSettings {
  url: string;
  token?: string;
  fetch?: FetchLike;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  throwOnUserErrors: boolean;
}

export function settingsOf(options: ClientOptions): TransportSettings {
  if (!options || typeof options.url !== 'string' || !options.url) throw new TypeError('createClient: `url` is required.');
  return {
    url: options.url,
    token: options.token,
    fetch: options.fetch,
    headers: { ...(options.headers ?? {}) },
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    retries: Math.max(0, options.retries ?? DEFAULTS.retries),
    retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    throwOnUserErrors: options.throwOnUserErrors ?? DEFAULTS.throwOnUserErrors,
  };
}

/** One attempt: fetch, read, parse, map failures to typed errors. Returns the response's data. */
async function attempt(settings: TransportSettings, doc: PreparedDocument, variables: unknown, options: RequestOptions): Promise<unknown> {
  const fetchImpl: FetchLike = settings.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json;q=0.9',
    ...settings.headers,
    ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
    ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    ...(options.headers ?? {}),
  };
  const body = JSON.stringify({ query: doc.query, operationName: doc.operationName, ...(variables === undefined ? {} : { variables }) });
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = timeoutMs > 0 ? setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs) : undefined;
  const userSignal = options.signal;
  const onUserAbort = () => controller.abort(userSignal!.reason);
  if (userSignal?.aborted) throw userSignal.reason;
  userSignal?.addEventListener('abort', onUserAbort, { once: true });

  let status: number;
  let retryAfterHeader: string | null;
  let text: string;
  try {
    const response = await fetchImpl(settings.url, { method: 'POST', headers, body, signal: controller.signal });
    status = response.status;
    retryAfterHeader = response.headers.get('retry-after');
    text = await response.text();
  } catch (cause) {
    if (timedOut) throw new TimeoutError(`${doc.operationName ?? 'Request'} timed out after ${timeoutMs} ms`, timeoutMs, { code: 'TIMEOUT', operationName: doc.operationName, cause });
    if (userSignal?.aborted) throw userSignal.reason;
    const reason = (cause as { cause?: { code?: string; message?: string } })?.cause;
    const detail = reason?.code ?? reason?.message ?? (cause as Error)?.message ?? String(cause);
    throw new NetworkError(`${doc.operationName ?? 'Request'} failed: no response from ${settings.url} (${detail})`, { code: 'NETWORK_ERROR', operationName: doc.operationName, cause });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    userSignal?.removeEventListener('abort', onUserAbort);
  }

  let parsed: GraphQLBody | undefined;
  try {
    parsed = text ? (JSON.parse(text) as GraphQLBody) : undefined;
  } catch (cause) {
    if (status >= 200 && status < 300) {
      throw new ServerError(`${doc.operationName ?? 'Request'}: the response is not JSON (HTTP ${status})`, { code: 'INVALID_RESPONSE', status, operationName: doc.operationName, cause });
    }
  }
  const errors = Array.isArray(parsed?.errors) ? parsed!.errors : [];
  const data = parsed && typeof parsed === 'object' ? parsed.data : undefined;
  if (errors.length || status < 200 || status >= 300) {
    throw errorFromResponse({ status, errors, data, operationName: doc.operationName, retryAfterHeader, fallbackMessage: `${doc.operationName ?? 'Request'} failed with HTTP ${status}` });
  }
  if (data === undefined || data === null) {
    throw new ServerError(`${doc.operationName ?? 'Request'}: the response has no data`, { code: 'INVALID_RESPONSE', status, operationName: doc.operationName });
  }
  return data;
}

/** Throws ValidationError when a root field of a mutation's data carries non-empty `userErrors`. */
function checkUserErrors(data: unknown, operationName: string | undefined): void {
  if (!data || typeof data !== 'object') return;
  for (const payload of Object.values(data as Record<string, unknown>)) {
    const userErrors = (payload as { userErrors?: UserErrorShape[] } | null)?.userErrors;
    if (Array.isArray(userErrors) && userErrors.length) throw userErrorsToValidationError(userErrors, { operationName, data, status: 200 });
  }
}

/**
 * Sends a document with retries. Queries (and mutations carrying an idempotency key) are retried
 * on network failures, timeouts, HTTP 5xx and HTTP 429 (waiting Retry-After when the server sent
 * one, unless it exceeds maxRetryDelayMs); nothing else is retried.
 */
export async function send(settings: TransportSettings, document: AnyDocument, variables: unknown, options: RequestOptions = {}): Promise<unknown> {
  const doc = prepareDocument(document);
  if (doc.kind === 'subscription') throw new AirledgerError('Subscriptions are not supported by this client.', { code: 'UNSUPPORTED', operationName: doc.operationName });
  const retryable = doc.kind !== 'mutation' || Boolean(options.idempotencyKey);
  const retries = retryable ? Math.max(0, options.retries ?? settings.retries) : 0;
  for (let n = 0; ; n++) {
    try {
      const data = await attempt(settings, doc, variables, options);
      if (doc.kind === 'mutation' && (options.throwOnUserErrors ?? settings.throwOnUserErrors)) checkUserErrors(data, doc.operationName);
      return data;
    } catch (error) {
      if (n >= retries || !isRetryable(error)) throw error;
      let delay = backoffDelay(n, settings.retryDelayMs, settings.maxRetryDelayMs);
      if (error instanceof RateLimitError && error.retryAfter !== undefined) {
        if (error.retryAfter * 1000 > settings.maxRetryDelayMs) throw error;
        delay = Math.max(delay, error.retryAfter * 1000);
      }
      await sleep(delay, options.signal);
    }
  }
}
