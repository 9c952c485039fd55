import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every setting of the API server, with its environment variable and default. */
export interface AppConfig {
  /** PORT: HTTP port. Default 4000. */
  port: number;
  /** HOST: interface to listen on. Default 0.0.0.0. */
  host: string;
  /** DATABASE_URL: PostgreSQL to use. Unset: an embedded PostgreSQL is started in dataDir. */
  databaseUrl?: string;
  /** AIRLEDGER_DATA_DIR: data folder of the embedded PostgreSQL. Default <repo>/.data/postgres. */
  dataDir: string;
  /** AIRLEDGER_EMBEDDED_PG_PORT: port of the embedded PostgreSQL. Default 54329. */
  embeddedPgPort: number;
  /** AIRLEDGER_SEED_DEMO: seed the demo dataset into an empty database. Default true. */
  seedDemo: boolean;
  /** AIRLEDGER_DEMO_SEED: seed of the demo data generator. Default 20231001. */
  demoSeed: number;
  /** DATABASE_POOL_MAX: connections per API process. Default 20. */
  poolMax: number;
  /** AIRLEDGER_EXPOSE_SQL_COUNT: add extensions.sqlStatements to responses. Default false. */
  exposeSqlCount: boolean;
  /** AIRLEDGER_INTROSPECTION: allow introspection and the landing page. Default true unless NODE_ENV=production. */
  introspection: boolean;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: int('PORT', env.PORT, 4000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.AIRLEDGER_DATA_DIR || path.join(repoRoot, '.data', 'postgres')),
    embeddedPgPort: int('AIRLEDGER_EMBEDDED_PG_PORT', env.AIRLEDGER_EMBEDDED_PG_PORT, 54329),
    seedDemo: bool(env.AIRLEDGER_SEED_DEMO, true),
    demoSeed: int('AIRLEDGER_DEMO_SEED', env.AIRLEDGER_DEMO_SEED, 20231001),
    poolMax: int('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 20),
    exposeSqlCount: bool(env.AIRLEDGER_EXPOSE_SQL_COUNT, false),
    introspection: bool(env.AIRLEDGER_INTROSPECTION, env.NODE_ENV !== 'production'),
  };
}
