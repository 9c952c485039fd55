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
}

/** The one MikroORM configuration of the API, used by the server, the tests and the CLI. */
export function createOrmConfig({ clientUrl, poolMax = 20, debug = false, statementTimeoutMs }: OrmOptions): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    pool: { min: 0, max: poolMax },
    ...(statementTimeoutMs ? { driverOptions: { connection: { statement_timeout: statementTimeoutMs } } } : {}),
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
