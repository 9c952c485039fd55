/**
 * Availability on a real server and PostgreSQL: nothing a client sends may hold database
 * connections. Request transactions are released on every path (unknown operation names,
 * ambiguous documents, aborted requests) and PostgreSQL ends idle transactions; exports have a
 * bounded capacity of their own and cut clients that stop reading; a compiled read that hits the
 * statement timeout is answered at once (not run again); the compiled reads' caches stay within
 * their byte budgets; random bearer tokens count against the client IP. Loopback only, bounded loops.
 */
import 'reflect-metadata';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { createOrmConfig } from '../../packages/api/src/mikro-orm.config.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { loadConfig, type AppConfig } from '../../packages/api/src/config.js';

let app: TestApp;
let cityKey: TestKey;
let provinceKey: TestKey;
const extra: { server: LedgerServer; orm?: MikroORM }[] = [];
/** ORMs of servers started on them, closed after the servers. */
const orms: MikroORM[] = [];

beforeAll(async () => {
  app = await startTestApp();
  cityKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
  provinceKey = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
});
afterAll(async () => {
  for (const e of extra) {
    await e.server.stop();
    if (e.orm) await e.orm.close(true);
  }
  for (const orm of orms) await orm.close(true);
  await app?.close();
});

interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Another server with its own settings, on its own pool of `poolMax` connections to the test database. */
async function startServer(config: Partial<AppConfig>, orm?: MikroORM): Promise<{ url: string; origin: string; server: LedgerServer; orm: MikroORM }> {
  const own = orm ?? (await MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 4 })));
  const server = await createServer(own, { exposeSqlCount: true, introspection: true, rateLimit: false, ...config });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  extra.push({ server, orm: orm ? undefined : own });
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, origin: `http://127.0.0.1:${port}`, server, orm: own };
}

/** Sessions of the test database whose transaction is idle (what a leaked request transaction looks like). */
async function idleInTransaction(): Promise<number> {
  const rows = await app.sql<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
  );
  return rows[0].n;
}

/** Waits (bounded) until `check` holds. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('request transactions are released on every path', () => {
  it('answers an unknown operationName and an ambiguous document with 400, leaving no transaction open', async () => {
    // A pool of 4: a leak per request would exhaust it within the loop.
    const { url } = await startServer({});
    for (const key of [cityKey, provinceKey]) {
      for (let i = 0; i < 12; i++) {
        const unknown = await post(url, { query: '{ __typename }', operationName: 'Nope' }, bearer(key.secret));
        expect(unknown.status).toBe(400);
        expect(unknown.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
        const ambiguous = await post(url, { query: 'query A { __typename } query B { __typename }' }, bearer(key.secret));
        expect(ambiguous.status).toBe(400);
        expect(ambiguous.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
      }
    }
    expect(await idleInTransaction()).toBe(0);
    // The pool still serves the scoped caller.
    const ok = await post(url, { query: '{ enterprises(first: 1) { totalCount } }' }, bearer(cityKey.secret));
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('rolls back the request transaction of a request whose client goes away mid-execution', async () => {
    const { url, orm } = await startServer({});
    // A lock makes the scoped read wait inside its request transaction; the client then aborts.
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table enterprise in access exclusive mode');
      const controller = new AbortController();
      const pending = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(cityKey.secret) },
        body: JSON.stringify({ query: '{ enterprises(first: 1) { totalCount } }' }),
        signal: controller.signal,
      }).catch(() => null);
      expect(
        await eventually(async () => (await app.sql<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].n > 0),
      ).toBe(true);
      controller.abort();
      await pending;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    expect(await eventually(async () => (await idleInTransaction()) === 0)).toBe(true);
    // Every connection of the server's pool is free again.
    const knex = orm.em.getKnex() as unknown as { client: { pool: { numUsed(): number } } };
    expect(await eventually(async () => knex.client.pool.numUsed() === 0)).toBe(true);
  });

  it('opens serving connections with idle_in_transaction_session_timeout (AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS)', async () => {
    expect(loadConfig({}).idleInTransactionTimeoutMs).toBe(30_000);
    expect(loadConfig({ AIRLEDGER_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1500' }).idleInTransactionTimeoutMs).toBe(1500);
    expect(await app.sql(`show idle_in_transaction_session_timeout`)).toEqual([{ idle_in_transaction_session_timeout: '30s' }]);
    const orm = await MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 1, idleInTransactionTimeoutMs: 200 }));
    try {
      const knex = orm.em.getKnex();
      const trx = await knex.transaction();
      await trx.raw('select 1');
      await new Promise((r) => setTimeout(r, 600));
      // PostgreSQL ended the session: the transaction's next statement fails, the pool recovers.
      await expect(trx.raw('select 1')).rejects.toThrow();
      await trx.rollback().catch(() => {});
      expect(await orm.em.getConnection().execute('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await orm.close(true);
    }
  });
});

describe('bearer tokens that are no working key count against the client IP', () => {
  it('gives random, revoked and expired tokens the anonymous limit of their IP (429 past it) and no bucket of their own', async () => {
    const { url } = await startServer({ rateLimit: true, rateLimitPerMinute: 100, rateLimitAnonymousPerMinute: 5, trustProxy: true });
    const from = { 'x-forwarded-for': '198.51.100.77' };
    const expired = await app.createKey({ role: 'MINISTRY', expiresAt: new Date(Date.now() - 60_000) });
    const revoked = await app.createKey({ role: 'MINISTRY' });
    await app.sql(`update api_key set revoked_at = now(), revoked_by = 'system:test' where id = ?`, [revoked.id]);
    const buckets = async () => (await app.sql<{ n: number }>(`select count(*)::int as n from rate_limit_bucket`))[0].n;
    const before = await buckets();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const token = i === 1 ? expired.secret : i === 2 ? revoked.secret : `airl_${Math.random().toString(36).slice(2)}${i}`;
      const a = await post(url, { query: '{ __typename }' }, { ...bearer(token), ...from });
      statuses.push(a.status);
      if (a.status === 429) expect(a.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      if (a.status === 429) expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(25).fill(429));
    // One bucket for all 30 tokens: the IP's.
    expect((await buckets()) - before).toBe(1);
    expect(await app.sql(`select hits from rate_limit_bucket where bucket = 'ip:198.51.100.77'`)).toEqual([{ hits: 30 }]);
    // Anonymous requests of that IP share the limit; a working key from the same IP has its own bucket.
    expect((await post(url, { query: '{ __typename }' }, from)).status).toBe(429);
    const ministry = await post(url, { query: '{ __typename }' }, { ...bearer(app.ministryToken), ...from });
    expect(ministry.status).toBe(200);
    expect(ministry.headers.get('ratelimit-limit')).toBe('100');
  });
});

describe('a compiled read that hits the statement timeout', () => {
  it('is answered STATEMENT_TIMEOUT at once, in one statement, with the body the resolvers give', async () => {
    const compiledOrm = await MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 3, statementTimeoutMs: 300 }));
    const resolverOrm = await MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 3, statementTimeoutMs: 300 }));
    orms.push(compiledOrm, resolverOrm);
    const compiled = (await startServer({}, compiledOrm)).server;
    const resolvers = await startServer({ compiledReads: false }, resolverOrm);
    const urlOf = (s: LedgerServer) => `http://127.0.0.1:${(s.httpServer.address() as AddressInfo).port}/graphql`;
    const Q = `query Slow { cities(first: 3) { nodes { slug } } typeName: __typename }`;
    // The statement is fine when nothing blocks it: compiled, one statement.
    const fine = await post(urlOf(compiled), { query: Q });
    expect(fine.headers.get('airledger-execution')).toBe('compiled');

    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table city in access exclusive mode');
      const slow = await post(urlOf(compiled), { query: Q });
      expect(slow.status).toBe(200);
      expect(slow.headers.get('airledger-execution')).toBe('compiled');
      // One statement: the compiled one, not run again by the resolvers.
      expect(slow.body.extensions).toEqual({ sqlStatements: 1 });
      expect(slow.body.errors.map((e: any) => e.extensions.code)).toEqual(['STATEMENT_TIMEOUT']);
      const reference = await post(urlOf(resolvers.server), { query: Q });
      expect(reference.status).toBe(200);
      const { extensions: _a, ...compiledBody } = slow.body;
      const { extensions: _b, ...resolverBody } = reference.body;
      expect(compiledBody).toEqual(resolverBody);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
  });
});
