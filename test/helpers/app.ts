/**
 * A real API server on a real PostgreSQL database of its own (cloned from the run's template,
 * which holds every migration and the plan's data), listening on a free port.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '../../packages/api/src/mikro-orm.config.js';
import { ensureDatabase } from '../../packages/api/src/db/database.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { Writable } from 'node:stream';
import type { AppConfig } from '../../packages/api/src/config.js';
import { createLogger, type Logger } from '../../packages/api/src/common/log.js';
import { API_KEY_PREFIX_LENGTH, generateApiKey, hashApiKey } from '../../packages/api/src/common/auth.js';

/**
 * The MINISTRY API key every test app has (inserted by startTestApp): `app.gql` and `app.data`
 * send it by default. Pass it as the SDK's `token` option.
 */
export const ministryToken = 'airl_test-ministry-key-for-the-test-suite-only';

/** Who a request is made as: an API key's secret, or null for anonymous. */
export type Token = string | null;

/** A GraphQL client bound to one API key (or none). */
export interface GraphQLClient {
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  data<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  /** Like gql, with the HTTP status. */
  request<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: GraphQLResponse<T> }>;
}

/** An API key issued straight into the test database. */
export interface TestKey {
  id: number;
  secret: string;
  actorId: string;
}

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface TestApp extends GraphQLClient {
  url: string;
  orm: MikroORM;
  server: LedgerServer;
  databaseUrl: string;
  /** The MINISTRY key that gql and data send (same as the exported ministryToken). */
  ministryToken: string;
  /** Actor id ("key:<id>") of the MINISTRY key: createdBy/updatedBy of what app.gql writes. */
  ministryActorId: string;
  /** A client sending another key (null: anonymous). */
  as(token: Token): GraphQLClient;
  /** A client sending no key. */
  anonymous: GraphQLClient;
  /** Issues an API key straight into the database (no audit row), e.g. `app.createKey({ role: 'CITY', city: 'tangshan' })`. */
  createKey(options: { role: 'MINISTRY' | 'PROVINCE' | 'CITY' | 'READ_ONLY'; province?: string; city?: string; name?: string; expiresAt?: Date }): Promise<TestKey>;
  /** Runs SQL on the test database. */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let counter = 0;

/** Options of startTestApp: settings beyond the suite's (AppConfig fields) and where the server's logs go. */
export interface TestAppOptions {
  poolMax?: number;
  config?: Partial<AppConfig>;
  /** Collects the server's log lines (parsed JSON) instead of printing them. */
  logs?: Record<string, any>[];
  /**
   * Where the API (its ORM, the exports' pool, createKey and sql) connects instead of the test
   * database's own server, e.g. a PgBouncer in front of it: host, port, and optionally the user and
   * password; the database name stays the test database's.
   */
  connectThrough?: { host: string; port: number; user?: string; password?: string };
  /** A database of another server to use as it is (migrated and seeded by the caller) instead of a clone of the suite's template. */
  databaseUrl?: string;
}

/** A pino logger writing each JSON line it logs into `lines`. */
export function collectingLogger(lines: Record<string, any>[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push({ ...JSON.parse(line), raw: line });
      callback();
    },
  });
  return createLogger({ logLevel: 'info', logFormat: 'json' }, sink);
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const adminUrl = inject('adminUrl');
  const name = `airledger_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const databaseUrl = options.databaseUrl ?? (await ensureDatabase(adminUrl, name, inject('templateDb')));
  let clientUrl = databaseUrl;
  if (options.connectThrough) {
    const u = new URL(databaseUrl);
    u.hostname = options.connectThrough.host;
    u.port = String(options.connectThrough.port);
    if (options.connectThrough.user) u.username = options.connectThrough.user;
    if (options.connectThrough.password) u.password = options.connectThrough.password;
    clientUrl = u.toString();
  }
  const orm = await MikroORM.init(createOrmConfig({ clientUrl, poolMax: options.poolMax ?? 10 }));
  // The suite's logs are silent unless a test collects them.
  const logger = options.logs ? collectingLogger(options.logs) : createLogger({ logLevel: (process.env.TEST_LOG_LEVEL as "silent") ?? "silent", logFormat: 'json' });
  const server = await createServer(orm, { exposeSqlCount: true, introspection: true, ...options.config }, { logger });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;

  // The suite's MINISTRY key (no audit row: written outside the API).
  await orm.em.getConnection().execute(
    `insert into api_key (name, role, prefix, secret_hash, created_by, updated_by) values ('test suite', 'MINISTRY', ?, ?, 'system:test', 'system:test')
     on conflict (secret_hash) do nothing`,
    [ministryToken.slice(0, API_KEY_PREFIX_LENGTH), hashApiKey(ministryToken)],
  );
  const [ministryKey] = (await orm.em.getConnection().execute(`select id from api_key where secret_hash = ?`, [hashApiKey(ministryToken)])) as { id: number }[];

  const client = (token: Token): GraphQLClient => {
    const request = async <T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLResponse<T> };
    };
    const gql = async <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => (await request<T>(query, variables, headers)).body;
    return {
      request,
      gql,
      async data<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
        const body = await gql<T>(query, variables, headers);
        if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors, null, 2)}`);
        return body.data as T;
      },
    };
  };
  const ministry = client(ministryToken);

  return {
    url,
    orm,
    server,
    databaseUrl,
    ...ministry,
    ministryToken,
    ministryActorId: `key:${ministryKey.id}`,
    as: client,
    anonymous: client(null),
    async createKey({ role, province, city, name, expiresAt }) {
      const { secret, prefix, hash } = generateApiKey();
      const rows = (await orm.em.getConnection().execute(
        `insert into api_key (name, role, province_id, city_id, prefix, secret_hash, expires_at, created_by, updated_by)
         values (?, ?, (select id from province where slug = ?), (select id from city where slug = ?), ?, ?, ?, 'system:test', 'system:test')
         returning id`,
        [name ?? `test ${role} ${province ?? city ?? ''}`.trim(), role, province ?? null, city ?? null, prefix, hash, expiresAt ?? null],
      )) as { id: number }[];
      return { id: rows[0].id, secret, actorId: `key:${rows[0].id}` };
    },
    async sql<T>(query: string, params: unknown[] = []) {
      return (await orm.em.getConnection().execute(query, params)) as T[];
    },
    async close() {
      await server.stop();
      await orm.close(true);
    },
  };
}
