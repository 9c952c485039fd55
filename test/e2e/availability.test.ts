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
import { postJson as post } from '../helpers/http.js';

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

/** Sessions of the test database whose transaction is idle (what a leaked request transaction looks like), but the test's own `blocker`. */
async function idleInTransaction(blocker?: pg.Client): Promise<number> {
  const except = blocker ? (await blocker.query('select pg_backend_pid() as pid')).rows[0].pid : 0;
  const rows = await app.sql<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and pid <> ?`,
    [except],
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
    // The other availability settings and their defaults.
    expect(loadConfig({})).toMatchObject({ exportConcurrency: 4, exportConcurrencyPerClient: 2, exportIdleTimeoutMs: 30_000, compiledCacheMb: 32 });
    expect(
      loadConfig({ AIRLEDGER_EXPORT_CONCURRENCY: '8', AIRLEDGER_EXPORT_CONCURRENCY_PER_CLIENT: '0', AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS: '5000', AIRLEDGER_COMPILED_CACHE_MB: '64' }),
    ).toMatchObject({ exportConcurrency: 8, exportConcurrencyPerClient: 0, exportIdleTimeoutMs: 5000, compiledCacheMb: 64 });
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
      // The same request id on both servers: errors carry it (extensions.requestId).
      const slow = await post(urlOf(compiled), { query: Q }, { 'x-request-id': 'slow' });
      expect(slow.status).toBe(200);
      expect(slow.headers.get('airledger-execution')).toBe('compiled');
      // One statement: the compiled one, not run again by the resolvers.
      expect(slow.body.extensions).toEqual({ sqlStatements: 1 });
      expect(slow.body.errors.map((e: any) => e.extensions.code)).toEqual(['STATEMENT_TIMEOUT']);
      const reference = await post(urlOf(resolvers.server), { query: Q }, { 'x-request-id': 'slow' });
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

describe('exports have a bounded capacity of their own', () => {
  const EXPORT = '/exports/air-quality-observations.csv';
  const fromIp = (n: number) => ({ 'x-forwarded-for': `192.0.2.${n}` });

  it('runs AIRLEDGER_EXPORT_CONCURRENCY exports at once (503 past it), two per client (429), on their own pool: GraphQL keeps answering', async () => {
    const { url, origin, server, orm } = await startServer({ trustProxy: true });
    expect(server.exports.settings).toMatchObject({ exportConcurrency: 4, exportConcurrencyPerClient: 2, exportIdleTimeoutMs: 30_000 });
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    const running: Promise<Response>[] = [];
    try {
      // Exports whose cursor waits (a lock here; a client that reads slowly holds them the same way).
      await blocker.query('begin');
      await blocker.query('lock table air_quality_observation in access exclusive mode');
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const pending = fetch(`${origin}${EXPORT}`, { headers: fromIp(i + 1) });
          const settled = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
          if (!settled) running.push(pending);
          return settled;
        }),
      );
      const refused = answers.filter((a): a is Response => a !== null);
      expect(running).toHaveLength(4);
      expect(refused).toHaveLength(16);
      for (const a of refused) {
        expect(a.status).toBe(503);
        expect(a.headers.get('retry-after')).toBe('5');
        const body = await a.json();
        expect(body.errors[0].extensions).toEqual({ code: 'EXPORTS_BUSY', limit: 4, retryAfter: 5 });
      }
      expect(server.exports.running).toBe(4);
      // GraphQL's pool is untouched: reads answer at once, anonymous and keyed.
      const signal = () => AbortSignal.timeout(5000);
      const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ cities(first: 2) { nodes { slug } } }' }), signal: signal() });
      expect(anonymous.status).toBe(200);
      const ministry = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(app.ministryToken) }, body: JSON.stringify({ query: '{ enterprises(first: 1) { totalCount } }' }), signal: signal() });
      expect(ministry.status).toBe(200);
      const knex = orm.em.getKnex() as unknown as { client: { pool: { numUsed(): number } } };
      expect(knex.client.pool.numUsed()).toBe(0);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    for (const r of await Promise.all(running)) {
      expect(r.status).toBe(200);
      await r.text();
    }
    expect(await eventually(async () => server.exports.running === 0)).toBe(true);

    // Per client: two at once; the third of the same IP gets 429 with its own code.
    const lock = new pg.Client({ connectionString: app.databaseUrl });
    await lock.connect();
    try {
      await lock.query('begin');
      await lock.query('lock table air_quality_observation in access exclusive mode');
      const two = [fetch(`${origin}${EXPORT}`, { headers: fromIp(99) }), fetch(`${origin}${EXPORT}`, { headers: fromIp(99) })];
      expect(await eventually(async () => server.exports.running === 2)).toBe(true);
      const third = await fetch(`${origin}${EXPORT}`, { headers: fromIp(99) });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('5');
      expect((await third.json()).errors[0].extensions.code).toBe('TOO_MANY_EXPORTS');
      await lock.query('rollback');
      for (const r of await Promise.all(two)) {
        expect(r.status).toBe(200);
        await r.text();
      }
    } finally {
      await lock.end();
    }
  });

  it('keeps a scoped caller’s request transaction off the serving pool while its export streams', async () => {
    const { origin, server, orm } = await startServer({});
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table air_quality_observation in access exclusive mode');
      const pending = fetch(`${origin}${EXPORT}`, { headers: bearer(cityKey.secret) });
      expect(await eventually(async () => server.exports.running === 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      const knex = orm.em.getKnex() as unknown as { client: { pool: { numUsed(): number } } };
      expect(knex.client.pool.numUsed()).toBe(0);
      expect(await idleInTransaction(blocker)).toBe(0);
      await blocker.query('rollback');
      const r = await pending;
      expect(r.status).toBe(200);
      const lines = (await r.text()).trim().split('\r\n');
      // Only Tangshan's rows (row-level security on the export's own connection as well).
      expect(lines.slice(1).every((l) => l.split(',')[1] === 'tangshan')).toBe(true);
    } finally {
      await blocker.end();
    }
  });

  it('cuts a client that reads nothing for AIRLEDGER_EXPORT_IDLE_TIMEOUT_MS, freeing its slot and connection', async () => {
    // Enough rows that the file does not fit in the sockets' buffers.
    await app.sql(
      `insert into air_quality_observation (city_id, observed_on, station_code, pm25, pm10, o3, no2, so2, co, aqi, origin, created_by, updated_by)
       select c.id, date '1990-01-01' + g, null, 35.5, 60, 80, 30, 10, 0.8, 50, 'RECORDED', 'system:test', 'system:test'
       from (select id from city order by id limit 50) c cross join generate_series(0, 1999) g`,
    );
    const { origin, server } = await startServer({ exportIdleTimeoutMs: 400 });
    const { port } = new URL(origin);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET ${EXPORT} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.pause(); // never reads
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      expect(await eventually(async () => server.exports.running === 1)).toBe(true);
      // Cut after the idle timeout: slot free, the export's connection gone from its pool.
      expect(await eventually(async () => server.exports.running === 0, 10_000)).toBe(true);
      const pool = server.exports.connections();
      expect(await eventually(async () => pool.totalCount - pool.idleCount === 0)).toBe(true);
      socket.resume();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
      expect(socket.destroyed || socket.readableEnded).toBe(true);
    } finally {
      socket.destroy();
    }
  });
});

describe('caches of compiled reads are bounded by bytes', () => {
  it('keeps parsed documents and statements within AIRLEDGER_COMPILED_CACHE_MB however many distinct large documents come', async () => {
    const { url, server } = await startServer({ compiledCacheMb: 1 });
    const budget = 1024 * 1024;
    // Distinct documents of about 800 characters (about 80 KB each parsed), each a query the lane compiles.
    const doc = (i: number) => `query Big${i} { cities(first: ${1 + (i % 5)}) { nodes { ${'slug '.repeat(150)} } } }`;
    expect(doc(0).length).toBeGreaterThan(750);
    for (let i = 0; i < 60; i++) {
      const a = await post(url, { query: doc(i) });
      expect(a.body.errors).toBeUndefined();
      expect(a.status).toBe(200);
      const caches = server.compiledCaches()!;
      expect(caches.documents.budgetBytes).toBe(budget);
      expect(caches.documents.bytes).toBeLessThanOrEqual(budget);
      expect(caches.statements.bytes).toBeLessThanOrEqual(budget);
      expect(caches.tokens.bytes).toBeLessThanOrEqual(caches.tokens.budgetBytes);
      // Apollo's own cache of parsed documents (these documents are answered by the resolvers) too.
      const apollo = server.apolloDocumentCache();
      expect(apollo.budgetBytes).toBe(budget);
      expect(apollo.bytes).toBeLessThanOrEqual(budget);
    }
    expect(server.apolloDocumentCache().entries).toBeGreaterThan(0);
    expect(server.apolloDocumentCache().entries).toBeLessThan(20);

    // 15 KB documents (graphql-js refuses documents that repeat one field a thousand times, so the
    // bulk is a comment here; the estimate goes by the text): a budget of 1 MB keeps none of them
    // whole, so the cache holds nothing larger than its budget.
    for (let i = 0; i < 30; i++) {
      const big = `# ${'x'.repeat(15_000)}\nquery Commented${i} { cities(first: ${1 + (i % 5)}) { nodes { slug } } }`;
      const a = await post(url, { query: big });
      expect(a.status).toBe(200);
      expect(a.headers.get('airledger-execution')).toBe('compiled');
      expect(server.compiledCaches()!.documents.bytes).toBeLessThanOrEqual(budget);
      expect(server.compiledCaches()!.statements.bytes).toBeLessThanOrEqual(budget);
    }
    const { documents } = server.compiledCaches()!;
    // A document's plan is estimated at ~100 bytes per character of its text: a handful fit.
    expect(documents.entries).toBeGreaterThan(0);
    expect(documents.entries).toBeLessThan(20);
  });
});

describe('after hostile requests of every kind', () => {
  it('still answers an anonymous and a MINISTRY read, with no connection idle in transaction', async () => {
    const orm = await MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 4, statementTimeoutMs: 300 }));
    orms.push(orm);
    const { url, origin, server } = await startServer(
      { rateLimit: true, rateLimitAnonymousPerMinute: 10, rateLimitPerMinute: 1000, trustProxy: true, exportIdleTimeoutMs: 500, compiledCacheMb: 1 },
      orm,
    );
    let ip = 0;
    const nextIp = () => ({ 'x-forwarded-for': `10.9.${Math.floor(++ip / 250)}.${ip % 250}` });
    const N = 50;

    // 1. Requests that used to leave their transaction open: unknown operation names, ambiguous documents.
    for (let i = 0; i < N; i++) {
      const body = i % 2 ? { query: '{ __typename }', operationName: 'Nope' } : { query: 'query A { __typename } query B { __typename }' };
      expect((await post(url, body, bearer(i % 4 ? cityKey.secret : provinceKey.secret))).status).toBe(400);
    }

    // 2. Exports whose clients never read (enough rows not to fit in the sockets' buffers).
    await app.sql(
      `insert into air_quality_observation (city_id, observed_on, station_code, pm25, pm10, o3, no2, so2, co, aqi, origin, created_by, updated_by)
       select c.id, date '1990-01-01' + g, null, 35.5, 60, 80, 30, 10, 0.8, 50, 'RECORDED', 'system:test', 'system:test'
       from (select id from city order by id limit 50) c cross join generate_series(0, 1999) g
       on conflict do nothing`,
    );
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < N; i++) {
        const socket = net.connect(Number(new URL(origin).port), '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.on('error', () => {});
        const from = nextIp()['x-forwarded-for'];
        socket.write(`GET /exports/air-quality-observations.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${from}\r\n\r\n`);
        socket.pause();
        sockets.push(socket);
      }
      expect(server.exports.running).toBeLessThanOrEqual(4);
      // Every stalled export is cut after the idle timeout.
      expect(await eventually(async () => server.exports.running === 0, 15_000)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }

    // 3. Compiled reads that run past the statement timeout (answered once each).
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table city in access exclusive mode');
      for (let batch = 0; batch < N / 10; batch++) {
        const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, { query: '{ cities(first: 3) { nodes { slug } } }' }, nextIp())));
        for (const a of answers) {
          expect(a.status).toBe(200);
          expect(a.body.errors[0].extensions.code).toBe('STATEMENT_TIMEOUT');
          expect(a.body.extensions.sqlStatements).toBe(1);
        }
      }
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }

    // 4. Distinct large documents.
    for (let i = 0; i < N; i++) {
      const a = await post(url, { query: `query Hostile${i} { cities(first: 2) { nodes { ${'slug '.repeat(150)} } } }` }, nextIp());
      expect(a.status).toBe(200);
    }
    const caches = server.compiledCaches()!;
    expect(caches.documents.bytes).toBeLessThanOrEqual(caches.documents.budgetBytes);
    expect(caches.statements.bytes).toBeLessThanOrEqual(caches.statements.budgetBytes);

    // 5. Random bearer tokens from one IP: 401 up to the anonymous limit, then 429.
    const hostile = nextIp();
    const statuses = new Set<number>();
    for (let i = 0; i < N; i++) statuses.add((await post(url, { query: '{ __typename }' }, { ...bearer(`airl_hostile_${i}_${Math.random()}`), ...hostile })).status);
    expect([...statuses].sort()).toEqual([401, 429]);

    // The server still answers, and nothing holds a connection in an idle transaction.
    const anonymous = await post(url, { query: '{ cities(first: 2) { nodes { slug } } }' }, nextIp());
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data.cities.nodes).toHaveLength(2);
    const ministry = await post(url, { query: '{ enterprises(first: 1) { totalCount } }' }, { ...bearer(app.ministryToken), ...nextIp() });
    expect(ministry.status).toBe(200);
    expect(ministry.body.errors).toBeUndefined();
    const scoped = await post(url, { query: '{ enterprises(first: 1) { totalCount } }' }, { ...bearer(cityKey.secret), ...nextIp() });
    expect(scoped.status).toBe(200);
    expect(await idleInTransaction()).toBe(0);
    const knex = orm.em.getKnex() as unknown as { client: { pool: { numUsed(): number } } };
    expect(await eventually(async () => knex.client.pool.numUsed() === 0)).toBe(true);
  });
});
