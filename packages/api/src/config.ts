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
  /** AIRLEDGER_COMPILED_READS: answer queries over the declared read models with one SQL statement (common/compiled). Default true. */
  compiledReads: boolean;
  /**
   * AIRLEDGER_PREPARED_STATEMENTS: distinct compiled reads a process runs as named prepared
   * statements (each takes about 100-200 KB of PostgreSQL memory per pooled connection that ran
   * it); 0 = none (PgBouncer before 1.21 in transaction mode). Default 100.
   */
  preparedStatements: number;
  /** AIRLEDGER_INTROSPECTION: allow introspection and the landing page. Default true unless NODE_ENV=production. */
  introspection: boolean;
  /** AIRLEDGER_FIELD_SUGGESTIONS: keep "Did you mean ...?" hints in error messages. Default true unless NODE_ENV=production. */
  fieldSuggestions: boolean;
  /** AIRLEDGER_MAX_DEPTH: deepest field nesting of an operation (fragments do not add a level); 0 = no limit. Default 15. */
  maxDepth: number;
  /** AIRLEDGER_MAX_ALIASES: aliased fields per operation; 0 = no limit. Default 30. */
  maxAliases: number;
  /** AIRLEDGER_MAX_COST: worst-case list items an operation can return (product of `first` along each path, summed); 0 = no limit. Default 2000000. */
  maxCost: number;
  /** AIRLEDGER_MAX_TOKENS: lexical tokens per document (the parser stops there); 0 = no limit. Default 5000. */
  maxTokens: number;
  /** AIRLEDGER_MAX_DIRECTIVES: directives per operation; 0 = no limit. Default 50. */
  maxDirectives: number;
  /** AIRLEDGER_EXPOSE_LIMITS: name the limit and the measured value in limit errors. Default true (the limits are documented). */
  exposeLimits: boolean;
  /** AIRLEDGER_MAX_BODY_BYTES: largest request body in bytes. Default 2097152 (2 MiB). */
  maxBodyBytes: number;
  /** AIRLEDGER_STATEMENT_TIMEOUT_MS: PostgreSQL statement_timeout of the serving connections, 0 = none. Default 15000. */
  statementTimeoutMs: number;
  /** AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS: PostgreSQL idle_in_transaction_session_timeout of the API's connections (a transaction left idle that long is ended by the server), 0 = none. Default 30000. */
  idleInTransactionTimeoutMs: number;
  /** AIRLEDGER_RATE_LIMIT: enforce the per-minute request limits (false for benchmarks). Default true. */
  rateLimit: boolean;
  /** AIRLEDGER_RATE_LIMIT_PER_MINUTE: requests per minute per API key (bearer token); 0 = unlimited. Default 1200. */
  rateLimitPerMinute: number;
  /** AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE: requests per minute per client IP without a bearer token; 0 = unlimited. Default 600. */
  rateLimitAnonymousPerMinute: number;
  /** AIRLEDGER_TRUST_PROXY: express "trust proxy" (true, a hop count or a subnet list) so client IPs come from X-Forwarded-For. Default false. */
  trustProxy: boolean | number | string;
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

/** express "trust proxy": unset or false = off, true, a hop count, or a list of trusted subnets. */
function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
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
    compiledReads: bool(env.AIRLEDGER_COMPILED_READS, true),
    preparedStatements: int('AIRLEDGER_PREPARED_STATEMENTS', env.AIRLEDGER_PREPARED_STATEMENTS, 100),
    introspection: bool(env.AIRLEDGER_INTROSPECTION, env.NODE_ENV !== 'production'),
    fieldSuggestions: bool(env.AIRLEDGER_FIELD_SUGGESTIONS, env.NODE_ENV !== 'production'),
    maxDepth: int('AIRLEDGER_MAX_DEPTH', env.AIRLEDGER_MAX_DEPTH, 15),
    maxAliases: int('AIRLEDGER_MAX_ALIASES', env.AIRLEDGER_MAX_ALIASES, 30),
    maxCost: int('AIRLEDGER_MAX_COST', env.AIRLEDGER_MAX_COST, 2_000_000),
    maxTokens: int('AIRLEDGER_MAX_TOKENS', env.AIRLEDGER_MAX_TOKENS, 5000),
    maxDirectives: int('AIRLEDGER_MAX_DIRECTIVES', env.AIRLEDGER_MAX_DIRECTIVES, 50),
    exposeLimits: bool(env.AIRLEDGER_EXPOSE_LIMITS, true),
    maxBodyBytes: int('AIRLEDGER_MAX_BODY_BYTES', env.AIRLEDGER_MAX_BODY_BYTES, 2 * 1024 * 1024),
    statementTimeoutMs: int('AIRLEDGER_STATEMENT_TIMEOUT_MS', env.AIRLEDGER_STATEMENT_TIMEOUT_MS, 15_000),
    idleInTransactionTimeoutMs: int('AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS', env.AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS, 30_000),
    rateLimit: bool(env.AIRLEDGER_RATE_LIMIT, true),
    rateLimitPerMinute: int('AIRLEDGER_RATE_LIMIT_PER_MINUTE', env.AIRLEDGER_RATE_LIMIT_PER_MINUTE, 1200),
    rateLimitAnonymousPerMinute: int('AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE', env.AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE, 600),
    trustProxy: trustProxy(env.AIRLEDGER_TRUST_PROXY),
  };
}
