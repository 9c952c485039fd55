import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { PageIterator } from './paginate.js';

/**
 * The subset of the Fetch API the client uses. `globalThis.fetch` (Node 20+, browsers, Deno, Bun),
 * undici's fetch and most fetch wrappers satisfy it.
 */
export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<FetchResponseLike>;

/** The subset of a fetch Response the client reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Options of `createClient`. Every option is documented with its default. */
export interface ClientOptions {
  /** GraphQL endpoint, e.g. `https://airledger.example.org/graphql`. Required. */
  url: string;
  /** API token, sent as `Authorization: Bearer <token>`. Default: none (anonymous). */
  token?: string;
  /** Fetch implementation. Default: `globalThis.fetch`, looked up at each request. */
  fetch?: FetchLike;
  /** Headers sent with every request (per-request `headers` override them). Default: none. */
  headers?: Record<string, string>;
  /** Time limit of one attempt in milliseconds, enforced with an AbortSignal; 0 disables it. Default: 30000. */
  timeoutMs?: number;
  /**
   * Retries after a failed attempt (network failure, timeout, HTTP 5xx, HTTP 429) with exponential
   * backoff and jitter. Queries only: a mutation is retried only when it carries an
   * `idempotencyKey`. Default: 2.
   */
  retries?: number;
  /** Base delay of the backoff in milliseconds (attempt n waits about base * 2^n, with jitter). Default: 250. */
  retryDelayMs?: number;
  /** Upper bound of one backoff delay, and of a `Retry-After` the client is willing to wait for. Default: 10000. */
  maxRetryDelayMs?: number;
  /**
   * When a mutation payload carries `userErrors`, throw a `ValidationError` naming their field
   * paths (true) or return the payload as the server sent it (false). Default: true.
   */
  throwOnUserErrors?: boolean;
  /**
   * WebSocket implementation for subscriptions. Default: `globalThis.WebSocket` (browsers, Node 22+);
   * on Node 20 pass the `ws` package's (`import WebSocket from 'ws'`).
   */
  webSocketImpl?: unknown;
  /** Times the subscription socket is reopened after it drops, with graphql-ws's backoff. Default: 10. */
  subscriptionRetries?: number;
}

/** Options of one request; they override the client's options for that request. */
export interface RequestOptions {
  /** Cancels the request (and its retries); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** Time limit of one attempt in milliseconds; 0 disables it. */
  timeoutMs?: number;
  /** Retries of this request (see `ClientOptions.retries`). */
  retries?: number;
  /**
   * Sends `Idempotency-Key: <key>`: the server applies a mutation with the same key once, which makes
   * the mutation safe to retry. Without it a mutation is sent exactly once.
   */
  idempotencyKey?: string;
  /** See `ClientOptions.throwOnUserErrors`. */
  throwOnUserErrors?: boolean;
}

/** Options of a paginator: request options plus a cap on the number of items. */
export interface PaginateOptions extends RequestOptions {
  /** Stop after this many items (the iterator ends; `all()` returns at most this many). Default: no cap for iteration, 10000 for `all()`. */
  max?: number;
}

/** A page of a Relay connection as the SDK's operations select it. */
export interface ConnectionPage<TNode> {
  nodes: readonly TNode[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Variables of an operation that pages with `after`. */
export type PagedVariables = { after?: string | null };

/** Sends one operation: typed variables in, typed data out. */
export type OperationRequester = <TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
  options?: RequestOptions,
) => Promise<TResult>;

/** Iterates the connection a query returns, following `pageInfo.endCursor` while `hasNextPage`. */
export type ConnectionPaginator = <TResult, TVariables extends PagedVariables, TNode>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: Omit<TVariables, 'after'> | undefined,
  select: (data: TResult) => ConnectionPage<TNode>,
  options?: PaginateOptions,
) => PageIterator<TNode>;
