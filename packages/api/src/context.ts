import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { RequestLoaders } from './common/loaders.js';
import type { RequestRecord } from './common/hooks/record.js';
import { ANONYMOUS_ACTOR, type Actor } from './common/actor.js';
import { applyScope, authenticate, isScoped } from './common/auth.js';

/** What every resolver and service receives: the request's own EntityManager, loaders and actor. */import type { LiveContext } from './modules/warning/warning.subscription.js';

export interface RequestContext {
  em: EntityManager;
  loaders: RequestLoaders;
  /** Who makes the request (common/auth.ts authenticates the API key). */
  actor: Actor;
  /** The request's Idempotency-Key header, when it has one. */
  idempotencyKey?: string | null;
  /** The root mutation field being resolved (name and arguments), for the audit trail and idempotency. */
  mutation?: { name: string; args: Record<string, unknown> } | null;
  /**
   * The request transaction of a caller restricted to some cities: every statement of the
   * request runs in it, as airledger_app under row-level security for the caller's cities.
   */
  scope?: Knex.Transaction | null;
  /**
   * The read-only transaction on the read replica of a national caller's query operation answered
   * by the resolvers (common/replica.ts openReplicaRead); `close` ends it and returns its connection.
   */
  replicaRead?: { close(): Promise<void> } | null;
  /** What the request hooks know of the HTTP request (common/hooks/record.ts), when it came through the server. */
  http?: RequestRecord;
  /** Set by endRequest: the request is over, no request transaction may be opened any more. */
  ended?: boolean;
  /** Subscriptions over WebSocket only (modules/warning/warning.subscription.ts). */
  live?: LiveContext;
}

export function createRequestContext(orm: MikroORM, actor: Actor = ANONYMOUS_ACTOR): RequestContext {
  const em = orm.em.fork();
  return { em, loaders: new RequestLoaders(em), actor, idempotencyKey: null, mutation: null, scope: null };
}

/**
 * The headers of an HTTP request, as either server hands them over: Apollo's HeaderMap (or any
 * `get(name)`), or Node's IncomingHttpHeaders (an Express `req.headers`). Names are lower case.
 */
export type HttpHeaders = { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>;

function header(headers: HttpHeaders, name: string): string | undefined {
  const value = typeof headers.get === 'function' ? (headers as { get(name: string): string | null | undefined }).get(name) : (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/**
 * Reads who makes an HTTP request into its context: the caller from the `Authorization: Bearer
 * <API key>` header (common/auth.ts authenticate: one SQL statement, none without the header)
 * and the `Idempotency-Key` header. The one way every HTTP entry point (GraphQL through the
 * access-control plugin, the export routes directly) authenticates.
 * Throws authenticate's UNAUTHENTICATED error for a bad key; the context then stays anonymous.
 */
export async function authenticateHttpRequest(ctx: RequestContext, headers: HttpHeaders): Promise<void> {
  const key = header(headers, 'idempotency-key')?.trim();
  ctx.idempotencyKey = key ? key : null;
  ctx.actor = await authenticate(ctx.em.getKnex(), header(headers, 'authorization'));
}

/**
 * The request context of an HTTP request served outside Apollo, set up with
 * the very steps of a GraphQL request: createRequestContext, authenticateHttpRequest, then
 * openRequestScope (the request transaction of a city-scoped caller). Close it with
 * closeHttpRequest once the response is done. A GraphQL request runs the same steps, split over
 * the hooks of the access-control plugin (common/auth-plugin.ts).
 */
export async function contextForHttpRequest(orm: MikroORM, headers: HttpHeaders): Promise<RequestContext> {
  const ctx = createRequestContext(orm);
  await authenticateHttpRequest(ctx, headers);
  await openRequestScope(ctx);
  return ctx;
}

/** Ends what contextForHttpRequest opened (commits the request transaction, if any): see closeRequestScope. */
export function closeHttpRequest(ctx: RequestContext): Promise<Error | null> {
  return closeRequestScope(ctx);
}

/**
 * The last step of every HTTP request, whatever happened before (it runs when the response closes,
 * finished or aborted: server.ts for GraphQL, the export routes for files): a request
 * transaction still open at that point was not committed by the normal path (closeRequestScope
 * before the response is sent), so it is rolled back and its connection goes back to the pool;
 * from then on openRequestScope refuses to open one for this context. Idempotent; never throws.
 */
export async function endRequest(ctx: RequestContext): Promise<void> {
  ctx.ended = true;
  await ctx.replicaRead?.close();
  const trx = ctx.scope;
  if (!trx) return;
  ctx.scope = null;
  // The EntityManager stays bound to the (now finished) transaction: a resolver still running
  // for an aborted request fails instead of reading outside row-level security.
  // ROLLBACK waits behind the statements already queued on the connection (queueQueries).
  if (!trx.isCompleted()) await trx.rollback().catch(() => {});
  restoreQueue.get(trx)?.();
}

/**
 * Opens the request transaction of a caller restricted to some cities (CITY, PROVINCE, scoped
 * READ_ONLY keys): BEGIN, then one statement (role airledger_app and the caller's cities; see
 * common/auth.ts scopeStatement). Every query of the request then runs in it: the EntityManager's
 * finds and query builders through its transaction context, and the set-based SQL of services
 * and loaders (`em.getKnex()`) because the request's EntityManager hands out the transaction.
 * Unrestricted callers (MINISTRY, national READ_ONLY, anonymous) need none for reads: the
 * policies would let every row through; their writes get the same set-up in runMutation.
 */
export async function openRequestScope(ctx: RequestContext): Promise<void> {
  if (ctx.scope || !isScoped(ctx.actor)) return;
  if (ctx.ended) throw new Error('The request has ended: no request transaction can be opened.');
  const trx = await ctx.em.getKnex().transaction();
  let restore = () => {};
  try {
    restore = queueQueries(await (trx as unknown as { client: { acquireConnection(): Promise<PgConnection> } }).client.acquireConnection());
    await applyScope(trx, ctx.actor, null);
    // The request ended (client gone, endRequest ran) while the transaction was being opened.
    if (ctx.ended) throw new Error('The request has ended: no request transaction can be opened.');
  } catch (error) {
    await trx.rollback().catch(() => {});
    restore();
    throw error;
  }
  ctx.em.setTransactionContext(trx);
  Object.defineProperty(ctx.em, 'getKnex', { value: () => trx, configurable: true, writable: true });
  ctx.scope = trx;
  restoreQueue.set(trx, restore);
}

type PgCallback = (error: unknown, result: unknown) => void;
interface PgConnection {
  query(...args: unknown[]): unknown;
}
const restoreQueue = new WeakMap<object, () => void>();

/**
 * The statements of a request's DataLoaders run concurrently; on the one connection of a request
 * transaction they must wait for each other. pg 8 queues them itself but deprecates it (pg 9
 * drops it), so the connection gets a queue of its own for the request; returns its undoing.
 */
function queueQueries(connection: PgConnection): () => void {
  const original = connection.query;
  let tail: Promise<void> = Promise.resolve();
  connection.query = function queued(this: PgConnection, ...args: unknown[]) {
    const callback = args.at(-1);
    // Knex sends every statement as query(config, callback); anything else passes through.
    if (args.length !== 2 || typeof callback !== 'function') return original.apply(connection, args);
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    void previous.then(() =>
      original.call(connection, args[0], (error: unknown, result: unknown) => {
        release();
        (callback as PgCallback)(error, result);
      }),
    );
    return undefined;
  };
  return () => {
    connection.query = original;
  };
}

/** Commits the request transaction, if any; returns the error when the commit failed (it is then rolled back). */
export async function closeRequestScope(ctx: RequestContext): Promise<Error | null> {
  const trx = ctx.scope;
  if (!trx) return null;
  ctx.scope = null;
  ctx.em.resetTransactionContext();
  delete (ctx.em as { getKnex?: unknown }).getKnex;
  // Every statement of the request has finished: the connection gets its own query method back
  // before it returns to the pool.
  restoreQueue.get(trx)?.();
  if (trx.isCompleted()) return null;
  try {
    await trx.commit();
    return null;
  } catch (error) {
    await trx.rollback().catch(() => {});
    return error as Error;
  }
}
