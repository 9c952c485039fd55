/**
 * Read replica (DATABASE_READ_URL): a streaming replica (hot standby) that serves the reads of
 * national callers (anonymous, MINISTRY, national READ_ONLY keys): the compiled lane's statements
 * (one statement, no transaction, no row-level security set-up) and the query operations the
 * resolvers answer (openReplicaRead: the request's EntityManager bound to a read-only transaction
 * on a replica connection). Everything else stays on the primary: mutations, callers restricted
 * to some cities (their read transaction sets row-level security), the API key look-up, exports,
 * imports, the rate limiter, subscriptions.
 *
 * Read-your-writes, without state in the process: every mutation's response carries the
 * primary's WAL position after its commit in the `airledger-read-after` header (a pg_lsn such as
 * `0/3A1B2C8`); a client that sends it back on its next requests is read from the replica only
 * once the replica has replayed that far (`pg_last_wal_replay_lsn() >= position`, asked on the
 * replica connection before the read, one more statement), else from the primary. The position
 * is no secret and needs no signature: a client that sends a made-up one only sends its own
 * reads to the primary. Any process behind the load balancer applies the rule the same way.
 *
 * A replica that does not answer (refused or failed connection) is left alone for
 * REPLICA_RETRY_MS and the primary serves its reads meanwhile; a statement that fails on the
 * replica (say, cancelled by a conflict with recovery) is run again on the primary, and so are
 * the rest of that request's statements.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import { countSqlStatement } from './sql-counter.js';
import { safeError, type Logger } from './log.js';
import { HardeningErrorCode, isStatementTimeout, sendHttpError } from './hardening/errors.js';
import { isScoped } from './auth.js';
import type { RequestContext } from '../context.js';

/** The request and response header of read-your-writes. */
export const READ_AFTER_HEADER = 'airledger-read-after';
/** How long a replica that failed is not tried again. */
export const REPLICA_RETRY_MS = 5_000;

/** A WAL position as PostgreSQL writes a pg_lsn: two hexadecimal numbers of up to 8 digits. */
const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

/**
 * The position a request asks to read after: the header's value when it is a pg_lsn, null when
 * absent; `invalid` when it is something else (the request is refused: rejectInvalidReadAfter).
 */
export function readAfterOf(header: string | string[] | undefined): string | null | 'invalid' {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  return LSN.test(value.trim()) ? value.trim().toUpperCase() : 'invalid';
}

/**
 * Refuses a request whose `airledger-read-after` header is not a WAL position: 400
 * INVALID_READ_AFTER (naming the header), on both paths (the compiled lane and the route before
 * Apollo call this), with or without a replica, so that a client's broken read-your-writes shows
 * at once instead of reading silently elsewhere. Returns whether it answered the request.
 */
export function rejectInvalidReadAfter(req: IncomingMessage, res: ServerResponse): boolean {
  if (readAfterOf(req.headers[READ_AFTER_HEADER]) !== 'invalid') return false;
  sendHttpError(
    req,
    res,
    400,
    HardeningErrorCode.INVALID_READ_AFTER,
    `The ${READ_AFTER_HEADER} header must be a WAL position as a mutation's response gives it (such as 0/3A1B2C8), or be left out.`,
    { header: READ_AFTER_HEADER },
  );
  return true;
}

/** A replica connection lent to one statement. */
export interface ReplicaLease {
  connection: pg.PoolClient;
  /** Returns the connection; with an error, the connection is discarded (and a lost replica left alone for a while). */
  release(error?: unknown): void;
}

/** Connection failures (the replica is down or unreachable), as opposed to a statement's own error. */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return true;
  // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash); Node's E* codes.
  return code.startsWith('08') || code.startsWith('57P') || code.startsWith('E');
}

export class ReadReplica {
  private readonly pool: pg.Pool;
  private downUntil = 0;
  /**
   * Reads served by the replica (a compiled statement, or a request of the resolvers) and reads
   * handed to the primary (the replica behind the caller's position, or down or failing), for
   * metrics and tests.
   */
  readonly counts = { replica: 0, stale: 0, unavailable: 0 };

  /**
   * `connection`: the serving connections' settings (statement_timeout...), taken from the ORM's,
   * with the replica's address; `max`: its pool size.
   */
  constructor(url: string, connection: pg.PoolConfig, max: number) {
    const u = new URL(url);
    const { connectionString: _ignored, ...settings } = connection as pg.PoolConfig & { connectionString?: string };
    this.pool = new pg.Pool({
      ...settings,
      host: decodeURIComponent(u.hostname),
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username) || settings.user,
      password: u.password ? decodeURIComponent(u.password) : settings.password,
      database: decodeURIComponent(u.pathname.slice(1)) || settings.database,
      max,
      idleTimeoutMillis: 30_000,
      // An unreachable replica costs a request at most this long, then the primary answers.
      connectionTimeoutMillis: 2_000,
      allowExitOnIdle: true,
    });
    // An idle connection that dies (replica restarted) is dropped by the pool; the next use reconnects.
    this.pool.on('error', () => {});
  }

  /** The replica of DATABASE_READ_URL with the connection settings of `orm`'s pool (null when unset). */
  static forOrm(orm: MikroORM, url: string | undefined, max: number): ReadReplica | null {
    if (!url) return null;
    const knexOptions = (orm.em.getConnection() as unknown as { getKnexOptions(type: string): { connection: Record<string, unknown> } }).getKnexOptions('pg');
    return new ReadReplica(url, knexOptions.connection as pg.PoolConfig, max);
  }

  /** Whether the replica is being tried (false for REPLICA_RETRY_MS after it failed). */
  get available(): boolean {
    return Date.now() >= this.downUntil;
  }

  /**
   * A replica connection for one read, or null when the primary must serve it: the replica is
   * left alone after a failure, it cannot be reached, or it has not replayed `readAfter` yet.
   */
  async acquire(readAfter: string | null): Promise<ReplicaLease | null> {
    if (!this.available) {
      this.counts.unavailable++;
      return null;
    }
    let connection: pg.PoolClient;
    try {
      connection = await this.pool.connect();
    } catch {
      this.markDown();
      this.counts.unavailable++;
      return null;
    }
    const lease: ReplicaLease = {
      connection,
      release: (error?: unknown) => {
        const lost = error !== undefined && isConnectionFailure(error);
        if (lost) this.markDown();
        connection.release(lost ? (error as Error) : undefined);
      },
    };
    if (readAfter) {
      try {
        countSqlStatement();
        const { rows } = await connection.query<{ fresh: boolean | null }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as fresh', [readAfter]);
        // null: not a standby (nothing replayed), the caller's write cannot be known to be there.
        if (rows[0]?.fresh !== true) {
          lease.release();
          this.counts.stale++;
          return null;
        }
      } catch (error) {
        lease.release(error);
        this.counts.unavailable++;
        return null;
      }
    }
    return lease;
  }

  /** Connections of the replica's pool: open, idle, and requests waiting for one. */
  poolUse(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  markDown(): void {
    this.downUntil = Date.now() + REPLICA_RETRY_MS;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** The primary's WAL position now (after a commit: at or past the commit's record), as the `airledger-read-after` value. */
export async function primaryPosition(orm: MikroORM): Promise<string> {
  const rows = (await orm.em.getConnection().execute('select pg_current_wal_lsn()::text as lsn')) as { lsn: string }[];
  return rows[0].lsn;
}

/**
 * With a read replica: every mutation's response gets the primary's WAL position after the
 * mutation's work (its transaction is committed by then) in the `airledger-read-after` header,
 * which the client sends back on its next reads (read-your-writes on the replica).
 */
export function readYourWritesPlugin(orm: MikroORM, logger: Logger): ApolloServerPlugin<object> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ operation, response }) => {
        if (operation?.operation !== 'mutation') return;
        try {
          response.http.headers.set(READ_AFTER_HEADER, await primaryPosition(orm));
        } catch (error) {
          // Without the header the client's next reads may come from the replica, a little behind: logged, not failed.
          logger.warn({ error: safeError(error) }, 'could not read the WAL position after a mutation');
        }
      },
    }),
  };
}

interface PgQueryable {
  query(...args: unknown[]): unknown;
}
interface KnexPool {
  acquireConnection(): Promise<PgQueryable>;
  releaseConnection(connection: PgQueryable): Promise<unknown>;
}
type PgCallback = (error: unknown, result?: unknown) => void;
/** What a transaction-control statement answers when it is not sent (after the replica failed). */
const NOT_SENT = { command: 'ROLLBACK', rowCount: null, rows: [], fields: [] };
const CONTROL = /^\s*(begin|commit|rollback)\b/i;

/**
 * The reads of a query operation the resolvers answer for a national caller, on the replica:
 * a replica connection (ReadReplica.acquire: not while the replica is down, nor before it has
 * replayed `readAfter`), a read-only transaction on it (BEGIN ... COMMIT: the request's
 * statements see one replica, and the knex transaction is how the request's EntityManager, its
 * loaders and the services' `em.getKnex()` all reach one connection, as for the row-level-security
 * transaction of scoped callers, context.ts openRequestScope), and the request's EntityManager
 * bound to it. Statements of the request's DataLoaders wait for each other on that connection.
 *
 * A statement that fails there (the connection lost, a conflict with recovery, anything that
 * cannot run on a standby) runs again on a connection of the primary's pool, and so does every
 * later statement of the request: its answer comes from the primary. One that hits
 * statement_timeout fails as it would on the primary (the rest of the request then goes to the
 * primary too). Nothing is opened for a scoped caller (its transaction is on the primary), when
 * the request already has a transaction, or when the replica cannot serve it: the primary does.
 * Closed by closeReplicaRead (before the response is sent) or context.ts endRequest (when the
 * response closes, whatever happened). Returns whether the request reads from the replica.
 */
export async function openReplicaRead(ctx: RequestContext, replica: ReadReplica, readAfter: string | null | 'invalid'): Promise<boolean> {
  if (ctx.scope || ctx.replicaRead || ctx.ended || readAfter === 'invalid' || isScoped(ctx.actor)) return false;
  const lease = await replica.acquire(readAfter);
  if (!lease) return false;
  const knex = ctx.em.getKnex();
  const primary = (knex as unknown as { client: KnexPool }).client;
  const connection = lease.connection as unknown as PgQueryable;
  const original = connection.query;
  /** The first failure on the replica: from then on the request's statements run on the primary. */
  let failure: unknown = undefined;
  let closed = false;
  let tail: Promise<void> = Promise.resolve();

  const onPrimary = async (config: unknown, callback: PgCallback): Promise<void> => {
    let c: PgQueryable;
    try {
      c = await primary.acquireConnection();
    } catch (error) {
      return callback(error);
    }
    countSqlStatement();
    c.query(config, (error: unknown, result: unknown) => {
      void primary.releaseConnection(c).finally(() => callback(error, result));
    });
  };
  const onReplica = (config: unknown, control: boolean, callback: PgCallback): void => {
    original.call(connection, config, (error: unknown, result: unknown) => {
      if (!error) return callback(null, result);
      const first = failure === undefined;
      failure ??= error;
      if (control) return callback(null, NOT_SENT);
      if (isStatementTimeout(error)) return callback(error);
      if (first) replica.counts.unavailable++;
      void onPrimary(config, callback);
    });
  };
  connection.query = function replicaOrPrimary(...args: unknown[]) {
    const callback = args.at(-1);
    // Knex sends every statement as query(config, callback); anything else passes through.
    if (args.length !== 2 || typeof callback !== 'function') return original.apply(connection, args);
    const config = args[0] as { text?: unknown } | string;
    const text = typeof config === 'string' ? config : String(config?.text ?? '');
    const control = CONTROL.test(text);
    const previous = tail;
    let done!: () => void;
    tail = new Promise<void>((resolve) => (done = resolve));
    const finish: PgCallback = (error, result) => {
      done();
      (callback as PgCallback)(error, result);
    };
    void previous.then(() => {
      if (failure === undefined && !closed) return onReplica(config, control, finish);
      // After a failure the replica's transaction is aborted (or its connection gone): ended
      // with ROLLBACK (its error ignored), and the other statements go to the primary.
      if (control) return original.call(connection, { text: 'rollback', values: [] }, () => finish(null, NOT_SENT));
      void onPrimary(config, finish);
    });
    return undefined;
  };

  let trx: Knex.Transaction;
  try {
    trx = await knex.transaction(undefined, { connection } as unknown as Knex.TransactionConfig);
  } catch (error) {
    connection.query = original;
    lease.release(failure ?? error);
    replica.counts.unavailable++;
    return false;
  }
  replica.counts.replica++;
  ctx.em.setTransactionContext(trx);
  Object.defineProperty(ctx.em, 'getKnex', { value: () => trx, configurable: true, writable: true });
  ctx.replicaRead = {
    close: async () => {
      if (closed) return;
      ctx.replicaRead = null;
      ctx.em.resetTransactionContext();
      delete (ctx.em as { getKnex?: unknown }).getKnex;
      // A read-only transaction: COMMIT (waiting behind the statements queued before it).
      if (!trx.isCompleted()) await trx.commit().catch(() => {});
      closed = true;
      await tail;
      connection.query = original;
      // A lost connection is discarded (and the replica left alone for a while); after another
      // failure the ROLLBACK above ended its transaction and it goes back to the pool.
      lease.release(failure !== undefined && !isStatementTimeout(failure) ? failure : undefined);
    },
  };
  return true;
}

/** Ends the request's replica transaction, if any (context.ts endRequest calls it too). */
export async function closeReplicaRead(ctx: RequestContext): Promise<void> {
  await ctx.replicaRead?.close();
}
