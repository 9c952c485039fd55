import 'reflect-metadata';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './modules/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  debug?: boolean;
  /** PostgreSQL statement_timeout of every pooled connection in ms (sent at connect, no extra statement); 0 or unset = none. */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL idle_in_transaction_session_timeout of every pooled connection in ms (sent at
   * connect, like statement_timeout): the server ends a session whose transaction stays idle that
   * long, so a transaction left open by mistake cannot hold its connection for ever. 0 = none;
   * unset: AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS (config.ts, default 30000).
   */
  idleInTransactionTimeoutMs?: number;
}

/**
 * AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS when it is a valid count of milliseconds, else the
 * default (30000): read here alone, not through loadConfig, so that importing this module never
 * fails (loadConfig reports a bad value when the server starts).
 */
function idleInTransactionDefault(): number {
  const raw = process.env.AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 30_000;
}

/** The one MikroORM configuration of the API, used by the server, the tests and the CLI. */
export function createOrmConfig({ clientUrl, poolMax = 20, debug = false, statementTimeoutMs, idleInTransactionTimeoutMs }: OrmOptions): Options {
  const idleInTransaction = idleInTransactionTimeoutMs ?? idleInTransactionDefault();
  const connection = {
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    ...(idleInTransaction ? { idle_in_transaction_session_timeout: idleInTransaction } : {}),
  };
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    pool: { min: 0, max: poolMax },
    ...(Object.keys(connection).length ? { driverOptions: { connection } } : {}),
    debug,
    // Requests fork their own EntityManager; the global one is never used for work.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

export default createOrmConfig({ clientUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/airledger' });
