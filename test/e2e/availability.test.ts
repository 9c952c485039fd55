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
