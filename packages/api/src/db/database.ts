import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '../mikro-orm.config.js';
import { startEmbeddedPostgres } from './embedded.js';
import type { AppConfig } from '../config.js';

export const EMBEDDED_DATABASE_NAME = 'airledger';

/** Creates database `name` on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface Database {
  url: string;
  /** Where the data lives, for the start-up message. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in config.dataDir. */
export async function openDatabase(config: AppConfig, log: (line: string) => void = () => {}, notice: (line: string) => void = log): Promise<Database> {
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    return { url: config.databaseUrl, description: `PostgreSQL at ${u.host}${u.pathname}`, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log, notice });
  const url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
  return { url, description: `embedded PostgreSQL 17 in ${config.dataDir}`, stop: () => embedded.stop() };
}

/**
 * Connects MikroORM and applies every pending migration. With a statement timeout, migrations run
 * first on a connection without it (a long index build must not be cut off), then the returned
 * ORM's connections carry it.
 */
export async function connectAndMigrate(url: string, poolMax = 20, statementTimeoutMs = 0): Promise<MikroORM> {
  if (statementTimeoutMs > 0) {
    const migrator = await connectAndMigrate(url, 1);
    await migrator.close(true);
    return MikroORM.init(createOrmConfig({ clientUrl: url, poolMax, statementTimeoutMs }));
  }
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: url, poolMax }));
  await orm.getMigrator().up();
  return orm;
}
