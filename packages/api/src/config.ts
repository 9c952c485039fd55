import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * Every setting of the API server, with its environment variable and default. loadConfig() reads
 * them with zod schemas: a value that is not understood stops the start with a message naming
 * the variable.
 */
export interface AppConfig {
  /** PORT: HTTP port. Default 4000. */
  port: number;
  /** HOST: interface to listen on. Default 0.0.0.0. */
  host: string;
  /** DATABASE_URL: PostgreSQL to use. Unset: an embedded PostgreSQL is started in dataDir. */
  databaseUrl?: string;
  /**
   * DATABASE_READ_URL: a streaming replica (hot standby) of DATABASE_URL's database. Set, the
   * queries of national callers (anonymous, MINISTRY, national READ_ONLY; compiled reads and the
   * resolvers' query operations alike) run there, except
   * for a caller that sends the `airledger-read-after` position of its last write when the replica
   * has not replayed it yet, and while the replica does not answer (then the primary serves them).
   * Default unset (everything on the primary).
   */
  databaseReadUrl?: string;
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
  /** AIRLEDGER_INTROSPECTION: allow introspection. Default true unless NODE_ENV=production (and true when the console is on). */
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
  /** AIRLEDGER_EXPORT_CONCURRENCY: exports a process streams at once, each on a connection of the exports' own pool (GraphQL's pool is never used for them); more get 503. Default 4. */
  exportConcurrency: number;
  /** AIRLEDGER_EXPORT_CONCURRENCY_PER_CLIENT: exports one API key (or, anonymous, one client IP) runs at once per process; more get 429; 0 = no per-client cap. Default 2. */
  exportConcurrencyPerClient: number;
  /** AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS: an export whose client reads nothing for this long is cut and its connection released; 0 = never. Default 30000. */
  exportIdleTimeoutMs: number;
  /** AIRLEDGER_IMPORT_MAX_MB: largest file POST /imports/<kind> accepts, in MiB; larger gets 413. Default 200. */
  importMaxMb: number;
  /** AIRLEDGER_IMPORT_CONCURRENCY: imports a process runs at once (each holds one connection for its transaction); more get 503. Default 2. */
  importConcurrency: number;
  /** AIRLEDGER_COMPILED_CACHE_MB: memory budget of each cache of documents and statements (compiled reads' parsed documents and compiled statements, Apollo's parsed documents), estimated from the query and SQL text sizes; least recently used entries go first. Default 32. */
  compiledCacheMb: number;
  /** AIRLEDGER_RATE_LIMIT: enforce the per-minute request limits (false for benchmarks). Default true. */
  rateLimit: boolean;
  /** AIRLEDGER_RATE_LIMIT_PER_MINUTE: requests per minute per API key (bearer token); 0 = unlimited. Default 1200. */
  rateLimitPerMinute: number;
  /** AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE: requests per minute per client IP without a bearer token; 0 = unlimited. Default 600. */
  rateLimitAnonymousPerMinute: number;
  /** AIRLEDGER_TRUST_PROXY: express "trust proxy" (true, a hop count or a subnet list) so client IPs come from X-Forwarded-For. Default false. */
  trustProxy: boolean | number | string;
  /** AIRLEDGER_DEBUG_ERRORS: add stack traces (with server paths) to error responses, for debugging only. Default false. */
  debugErrors: boolean;
  /** AIRLEDGER_CONSOLE: serve the query console (GraphiQL, built into packages/console) at GET /graphql for browsers. Default true unless NODE_ENV=production. */
  console: boolean;
  /** AIRLEDGER_DASHBOARD: serve the campaign dashboard and report builder (built into packages/dashboard) at GET /dashboard. Default true unless NODE_ENV=production. */
  dashboard: boolean;
  /** AIRLEDGER_CORS_ORIGINS: origins (scheme://host[:port], comma-separated, or `*`) whose browser pages may call the API; empty = none. Default none. */
  corsOrigins: string[];
  /** AIRLEDGER_LOG_LEVEL: pino level of the server's logs (fatal, error, warn, info, debug, trace, silent). Default info. */
  logLevel: LogLevel;
  /** AIRLEDGER_LOG_FORMAT: `json` (one JSON object per line) or `pretty` (pino-pretty, when installed). Default pretty when NODE_ENV=development, else json. */
  logFormat: 'json' | 'pretty';
  /** AIRLEDGER_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <this token>`. Default unset (open). */
  metricsToken?: string;
  /** AIRLEDGER_LISTEN_URL: PostgreSQL address of the connection that LISTENs for warning changes (subscriptions); a direct address of the primary when DATABASE_URL goes through PgBouncer in transaction mode. Default: the database's own address. */
  listenUrl?: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: OTLP/HTTP collector (e.g. http://collector:4318); set, the API sends OpenTelemetry traces there (GraphQL and pg spans). Default unset (no tracing). */
  otlpEndpoint?: string;
}

/** Levels of the server's logger. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * `config` completed with the environment's settings (loadConfig) for every field it leaves out,
 * so that callers passing a partial config (tests, benchmarks) get the documented defaults.
 */
export function withDefaults<T extends Partial<AppConfig>>(config: T): AppConfig & T {
  const defaults = loadConfig(process.env);
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out as unknown as AppConfig & T;
}

/** The configuration does not hold: every problem, one per line, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Where warnings go (unknown AIRLEDGER_* variables): default console.warn, once per variable and process; false: no report (the variables are reported by a later read). */
  warn?: ((message: string) => void) | false;
}

/** AIRLEDGER_* variables read by the SDK's examples and the test runner, not by the server. */
const OTHER_VARIABLES = ['AIRLEDGER_URL', 'AIRLEDGER_TOKEN', 'AIRLEDGER_TEST_CANARY'];

/** The variables read and the problems found by the loadConfig() call under way. */
let reading: { known: Set<string>; problems: string[] } | null = null;

/** One variable: unset or empty gives the default; anything the schema does not accept is a problem naming it. */
function setting<T>(name: string, schema: z.ZodType<T, string>, value: string | undefined, fallback: T, shown: (v: string) => string = (v) => JSON.stringify(v)): T {
  reading?.known.add(name);
  if (value === undefined || value === '') return fallback;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = `${name} ${result.error.issues[0]?.message ?? 'is not valid'}, got ${shown(value)}`;
  if (!reading) throw new ConfigError([problem]);
  reading.problems.push(problem);
  return fallback;
}

const TRUTHY = ['1', 'true', 'yes', 'on'];
const FALSY = ['0', 'false', 'no', 'off'];
const BOOLEAN = z.stringbool({ truthy: TRUTHY, falsy: FALSY, case: 'insensitive', error: 'must be true or false (also 1/0, yes/no, on/off)' });

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  return setting(name, BOOLEAN, value?.trim(), fallback);
}

const integer = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message });
const NON_NEGATIVE = integer(0, Number.MAX_SAFE_INTEGER, 'must be a non-negative integer');
const PORT = integer(1, 65535, 'must be a TCP port, an integer from 1 to 65535');

function int(name: string, value: string | undefined, fallback: number): number {
  return setting(name, NON_NEGATIVE, value, fallback);
}

function port(name: string, value: string | undefined, fallback: number): number {
  return setting(name, PORT, value, fallback);
}

function text(name: string, value: string | undefined, fallback: string): string {
  return setting(name, z.string().trim().min(1, { error: 'must not be blank' }), value, fallback);
}

const HOST = z.string().trim().regex(/^[^\s/]+$/, { error: 'must be a host name or an IP address to listen on' });

const POSTGRES_URL = z.string().refine(
  (v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      return false;
    }
  },
  { error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/airledger' },
);

/** DATABASE_URL (or DATABASE_READ_URL), never echoed in messages (it may hold a password). */
function databaseUrl(value: string | undefined, name = 'DATABASE_URL'): string | undefined {
  return setting<string | undefined>(name, POSTGRES_URL, value, undefined, () => 'a value that is not one');
}

/** express "trust proxy": unset or false = off, true, a hop count, or a list of trusted subnets. */
const TRUST_PROXY = z.string().transform((v, ctx): boolean | number | string => {
  const s = v.trim();
  if (/^(false|off|no)$/i.test(s)) return false;
  if (/^(true|on|yes)$/i.test(s)) return true;
  if (/^\d+$/.test(s)) return Number(s);
  try {
    proxyaddr.compile(s.split(',').map((p) => p.trim()));
    return s;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count, or trusted addresses/subnets separated by commas (e.g. loopback, 10.0.0.0/8)' });
    return z.NEVER;
  }
});

function trustProxy(value: string | undefined): boolean | number | string {
  return setting('AIRLEDGER_TRUST_PROXY', TRUST_PROXY, value, false);
}

/** An origin as browsers send it: scheme, host, optional port, nothing else. */
const ORIGINS = z.string().transform((v, ctx): string[] => {
  const list = v.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin === '*') continue;
    let ok = false;
    try {
      const url = new URL(origin);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: `must list origins such as https://ledger.example.gov.cn or http://localhost:5173 (scheme, host and port, no path or trailing slash) or *; "${origin}" is not one` });
      return z.NEVER;
    }
  }
  return list;
});

const HTTP_URL = z.string().trim().refine(
  (v) => {
    try {
      const url = new URL(v);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: 'must be an http:// or https:// URL such as http://collector:4318' },
);

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** AIRLEDGER_* variables of `env` that no setting reads, each with the known names close to it. */
export function unknownVariables(env: NodeJS.ProcessEnv, known: Iterable<string> = knownVariables()): { name: string; closest: string[] }[] {
  const names = [...known];
  return Object.keys(env)
    .filter((name) => name.startsWith('AIRLEDGER_') && !names.includes(name))
    .sort()
    .map((name) => {
      const scored = names.map((k) => ({ k, d: distance(name, k) })).filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 5)) || k.includes(name) || name.includes(k));
      return { name, closest: scored.sort((x, y) => x.d - y.d).slice(0, 3).map(({ k }) => k) };
    });
}

/** Every variable loadConfig reads (and the other AIRLEDGER_* names of the project). */
export function knownVariables(): string[] {
  const previous = reading;
  reading = { known: new Set(OTHER_VARIABLES), problems: [] };
  try {
    build({});
    return [...reading.known];
  } finally {
    reading = previous;
  }
}

const warned = new Set<string>();

/**
 * The settings of `env` (process.env by default). A value that is not understood (a boolean
 * other than true/false/1/0/yes/no/on/off, a port outside 1-65535, a DATABASE_URL that is no
 * PostgreSQL URL...) throws a ConfigError naming every such variable; AIRLEDGER_* variables no
 * setting reads are reported as a warning, with the known names close to them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  const previous = reading;
  reading = { known: new Set(OTHER_VARIABLES), problems: [] };
  try {
    const config = build(env);
    if (reading.problems.length) throw new ConfigError(reading.problems);
    const unknown = unknownVariables(env, reading.known).filter((u) => !warned.has(u.name));
    // warn: false reads the settings without reporting (and without marking them reported).
    if (unknown.length && options.warn !== false) {
      for (const u of unknown) warned.add(u.name);
      const list = unknown.map((u) => (u.closest.length ? `${u.name} (did you mean ${u.closest.join(' or ')}?)` : u.name)).join(', ');
      (options.warn ?? ((m: string) => console.warn(m)))(`[airledger] ignoring unknown setting${unknown.length > 1 ? 's' : ''} ${list}`);
    }
    return config;
  } finally {
    reading = previous;
  }
}

function build(env: NodeJS.ProcessEnv): AppConfig {
  const consoleOn = bool('AIRLEDGER_CONSOLE', env.AIRLEDGER_CONSOLE, env.NODE_ENV !== 'production');
  return {
    port: port('PORT', env.PORT, 4000),
    host: setting('HOST', HOST, env.HOST, '0.0.0.0'),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    databaseReadUrl: databaseUrl(env.DATABASE_READ_URL, 'DATABASE_READ_URL'),
    dataDir: path.resolve(text('AIRLEDGER_DATA_DIR', env.AIRLEDGER_DATA_DIR, path.join(repoRoot, '.data', 'postgres'))),
    embeddedPgPort: port('AIRLEDGER_EMBEDDED_PG_PORT', env.AIRLEDGER_EMBEDDED_PG_PORT, 54329),
    seedDemo: bool('AIRLEDGER_SEED_DEMO', env.AIRLEDGER_SEED_DEMO, true),
    demoSeed: int('AIRLEDGER_DEMO_SEED', env.AIRLEDGER_DEMO_SEED, 20231001),
    poolMax: int('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 20),
    exposeSqlCount: bool('AIRLEDGER_EXPOSE_SQL_COUNT', env.AIRLEDGER_EXPOSE_SQL_COUNT, false),
    compiledReads: bool('AIRLEDGER_COMPILED_READS', env.AIRLEDGER_COMPILED_READS, true),
    preparedStatements: int('AIRLEDGER_PREPARED_STATEMENTS', env.AIRLEDGER_PREPARED_STATEMENTS, 100),
    // The console's docs explorer and completion read the schema by introspection.
    introspection: bool('AIRLEDGER_INTROSPECTION', env.AIRLEDGER_INTROSPECTION, env.NODE_ENV !== 'production' || consoleOn),
    fieldSuggestions: bool('AIRLEDGER_FIELD_SUGGESTIONS', env.AIRLEDGER_FIELD_SUGGESTIONS, env.NODE_ENV !== 'production'),
    maxDepth: int('AIRLEDGER_MAX_DEPTH', env.AIRLEDGER_MAX_DEPTH, 15),
    maxAliases: int('AIRLEDGER_MAX_ALIASES', env.AIRLEDGER_MAX_ALIASES, 30),
    maxCost: int('AIRLEDGER_MAX_COST', env.AIRLEDGER_MAX_COST, 2_000_000),
    maxTokens: int('AIRLEDGER_MAX_TOKENS', env.AIRLEDGER_MAX_TOKENS, 5000),
    maxDirectives: int('AIRLEDGER_MAX_DIRECTIVES', env.AIRLEDGER_MAX_DIRECTIVES, 50),
    exposeLimits: bool('AIRLEDGER_EXPOSE_LIMITS', env.AIRLEDGER_EXPOSE_LIMITS, true),
    maxBodyBytes: int('AIRLEDGER_MAX_BODY_BYTES', env.AIRLEDGER_MAX_BODY_BYTES, 2 * 1024 * 1024),
    statementTimeoutMs: int('AIRLEDGER_STATEMENT_TIMEOUT_MS', env.AIRLEDGER_STATEMENT_TIMEOUT_MS, 15_000),
    idleInTransactionTimeoutMs: int('AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS', env.AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS, 30_000),
    exportConcurrency: int('AIRLEDGER_EXPORT_CONCURRENCY', env.AIRLEDGER_EXPORT_CONCURRENCY, 4),
    exportConcurrencyPerClient: int('AIRLEDGER_EXPORT_CONCURRENCY_PER_CLIENT', env.AIRLEDGER_EXPORT_CONCURRENCY_PER_CLIENT, 2),
    exportIdleTimeoutMs: int('AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS', env.AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS, 30_000),
    importMaxMb: int('AIRLEDGER_IMPORT_MAX_MB', env.AIRLEDGER_IMPORT_MAX_MB, 200),
    importConcurrency: int('AIRLEDGER_IMPORT_CONCURRENCY', env.AIRLEDGER_IMPORT_CONCURRENCY, 2),
    compiledCacheMb: int('AIRLEDGER_COMPILED_CACHE_MB', env.AIRLEDGER_COMPILED_CACHE_MB, 32),
    rateLimit: bool('AIRLEDGER_RATE_LIMIT', env.AIRLEDGER_RATE_LIMIT, true),
    rateLimitPerMinute: int('AIRLEDGER_RATE_LIMIT_PER_MINUTE', env.AIRLEDGER_RATE_LIMIT_PER_MINUTE, 1200),
    rateLimitAnonymousPerMinute: int('AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE', env.AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE, 600),
    trustProxy: trustProxy(env.AIRLEDGER_TRUST_PROXY),
    debugErrors: bool('AIRLEDGER_DEBUG_ERRORS', env.AIRLEDGER_DEBUG_ERRORS, false),
    console: consoleOn,
    dashboard: bool('AIRLEDGER_DASHBOARD', env.AIRLEDGER_DASHBOARD, env.NODE_ENV !== 'production'),
    corsOrigins: setting('AIRLEDGER_CORS_ORIGINS', ORIGINS, env.AIRLEDGER_CORS_ORIGINS, []),
    logLevel: setting('AIRLEDGER_LOG_LEVEL', z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })), env.AIRLEDGER_LOG_LEVEL, 'info'),
    logFormat: setting('AIRLEDGER_LOG_FORMAT', z.string().trim().toLowerCase().pipe(z.enum(['json', 'pretty'], { error: 'must be json or pretty' })), env.AIRLEDGER_LOG_FORMAT, env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    listenUrl: setting<string | undefined>('AIRLEDGER_LISTEN_URL', z.string().trim().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' }), env.AIRLEDGER_LISTEN_URL, undefined, () => 'a postgres:// URL'),
    metricsToken: setting<string | undefined>('AIRLEDGER_METRICS_TOKEN', z.string().trim().min(16, { error: 'must be at least 16 characters' }), env.AIRLEDGER_METRICS_TOKEN, undefined, () => 'a value that is not one'),
    otlpEndpoint: setting<string | undefined>('OTEL_EXPORTER_OTLP_ENDPOINT', HTTP_URL, env.OTEL_EXPORTER_OTLP_ENDPOINT, undefined),
  };
}
