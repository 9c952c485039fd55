/**
 * The bounded capacity of exports, apart from GraphQL's. An export streams for as long as its
 * client takes to download, so exports get:
 * - their own small pool of database connections (AIRLEDGER_EXPORT_CONCURRENCY connections,
 *   opened on demand with the one-hour statement_timeout of a cursor): the serving pool of
 *   GraphQL is never held by a cursor, whatever exports do;
 * - as many slots per process (more get 503 EXPORTS_BUSY) and
 *   AIRLEDGER_EXPORT_CONCURRENCY_PER_CLIENT per API key or, anonymous, per client IP (more get
 *   429 TOO_MANY_EXPORTS), both with Retry-After;
 * - an idle-client timeout: a client that takes nothing for AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS is
 *   cut, which releases its slot and connection.
 */
import type { ServerResponse } from 'node:http';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config.js';
import { loadConfig } from '../../config.js';

/** Codes in `extensions.code` of the answers of a full export capacity. */
export const ExportErrorCode = {
  /** Every export slot of the process is taken. HTTP 503 with Retry-After. */
  EXPORTS_BUSY: 'EXPORTS_BUSY',
  /** The caller (API key, or client IP without one) runs as many exports as it may at once. HTTP 429 with Retry-After. */
  TOO_MANY_EXPORTS: 'TOO_MANY_EXPORTS',
} as const;

/** statement_timeout of an export's connection: a cursor stays open as long as its client downloads. */
export const EXPORT_STATEMENT_TIMEOUT_MS = 60 * 60 * 1000;
/** Seconds a refused export is told to wait (Retry-After). */
export const EXPORT_RETRY_AFTER_SECONDS = 5;

export type ExportSettings = Pick<AppConfig, 'exportConcurrency' | 'exportConcurrencyPerClient' | 'exportIdleTimeoutMs' | 'idleInTransactionTimeoutMs'>;

/** A taken slot: give it back once, when the export is over. */
export interface ExportSlot {
  release(): void;
}

export class ExportCapacity {
  readonly settings: ExportSettings;
  private active = 0;
  /** Slots taken per client; at most `exportConcurrency` entries (one per running export at most). */
  private readonly perClient = new Map<string, number>();
  private pool: pg.Pool | null = null;

  constructor(
    private readonly orm: MikroORM,
    config: Partial<AppConfig>,
  ) {
    const defaults = loadConfig(process.env);
    this.settings = {
      exportConcurrency: Math.max(1, config.exportConcurrency ?? defaults.exportConcurrency),
      exportConcurrencyPerClient: config.exportConcurrencyPerClient ?? defaults.exportConcurrencyPerClient,
      exportIdleTimeoutMs: config.exportIdleTimeoutMs ?? defaults.exportIdleTimeoutMs,
      idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs ?? defaults.idleInTransactionTimeoutMs,
    };
  }

  /** Exports running now (for tests and diagnostics). */
  get running(): number {
    return this.active;
  }

  /** The exports' pool as it stands (null before the first export): connections open, idle, and requests waiting for one. */
  poolUse(): { total: number; idle: number; waiting: number } | null {
    return this.pool ? { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount } : null;
  }

  /** A slot for `client`, or why not: the process is full (503) or the client is (429). */
  take(client: string): ExportSlot | 'busy' | 'client' {
    if (this.active >= this.settings.exportConcurrency) return 'busy';
    const mine = this.perClient.get(client) ?? 0;
    if (this.settings.exportConcurrencyPerClient > 0 && mine >= this.settings.exportConcurrencyPerClient) return 'client';
    this.active++;
    this.perClient.set(client, mine + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        const left = (this.perClient.get(client) ?? 1) - 1;
        if (left > 0) this.perClient.set(client, left);
        else this.perClient.delete(client);
      },
    };
  }

  /**
   * The exports' own pool: the serving connections' settings with the cursor's statement_timeout,
   * at most one connection per slot (a slot holds one connection at most).
   */
  connections(): pg.Pool {
    if (!this.pool) {
      const knexOptions = (this.orm.em.getConnection() as unknown as { getKnexOptions(type: string): { connection: Record<string, unknown> } }).getKnexOptions('pg');
      const idle = this.settings.idleInTransactionTimeoutMs;
      this.pool = new pg.Pool({
        ...(knexOptions.connection as pg.PoolConfig),
        statement_timeout: EXPORT_STATEMENT_TIMEOUT_MS,
        ...(idle > 0 ? { idle_in_transaction_session_timeout: idle } : {}),
        max: this.settings.exportConcurrency,
        idleTimeoutMillis: 30_000,
        // A slot always finds a connection (one each); should one not come, the export fails instead of waiting for ever.
        connectionTimeoutMillis: 10_000,
        allowExitOnIdle: true,
      });
      // An idle pooled connection that fails (database restart) is dropped by the pool; nothing to do.
      this.pool.on('error', () => {});
    }
    return this.pool;
  }

  /**
   * Cuts the response when its client takes nothing for exportIdleTimeoutMs: while the response
   * waits for its client (writableNeedDrain) and stays stuck that long, it is destroyed, which
   * ends the export (its cursor, connection and slot). Returns the watchdog's stop.
   */
  watch(res: ServerResponse): () => void {
    const limit = this.settings.exportIdleTimeoutMs;
    if (limit <= 0) return () => {};
    let progress = Date.now();
    const timer = setInterval(() => {
      if (!res.writableNeedDrain) progress = Date.now();
      else if (Date.now() - progress >= limit) {
        clearInterval(timer);
        res.destroy();
      }
    }, Math.max(10, Math.min(1000, Math.floor(limit / 4))));
    timer.unref();
    const onDrain = () => (progress = Date.now());
    res.on('drain', onDrain);
    return () => {
      clearInterval(timer);
      res.off('drain', onDrain);
    };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.end().catch(() => {});
  }
}
