/**
 * Hardening of the HTTP API on a real PostgreSQL: operation limits (depth, aliases, directives,
 * cost, tokens) and request size with HTTP status and code, batching and CSRF refused,
 * introspection and field suggestions toggles, statement timeout, per-key rate limiting shared
 * by two server instances, /healthz and /readyz.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createOrmConfig } from '../../packages/api/src/mikro-orm.config.js';
import { connectAndMigrate } from '../../packages/api/src/db/database.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { loadConfig, type AppConfig } from '../../packages/api/src/config.js';
import { MIGRATIONS } from '../../packages/api/src/migrations/index.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { PostgresRateLimitStore } from '../../packages/api/src/common/hardening/index.js';

let app: TestApp;
const extra: { server: LedgerServer; orm?: MikroORM }[] = [];

beforeAll(async () => {
  app = await startTestApp();
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

async function answer(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** POSTs a JSON body (any value, or a raw string) to a GraphQL URL. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return answer(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const query = (url: string, q: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  post(url, { query: q, variables }, headers);

/** Another server on the test database (or on `orm`), with its own settings. */
async function startServer(config: Partial<AppConfig>, orm: MikroORM = app.orm): Promise<string> {
  const server = await createServer(orm, { exposeSqlCount: true, introspection: true, ...config });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  extra.push({ server, orm: orm === app.orm ? undefined : orm });
  const { port } = server.httpServer.address() as AddressInfo;
  return `http://127.0.0.1:${port}/graphql`;
}

async function openOrm(options: { statementTimeoutMs?: number } = {}): Promise<MikroORM> {
  return MikroORM.init(createOrmConfig({ clientUrl: app.databaseUrl, poolMax: 4, ...options }));
}

function codes(a: HttpAnswer): string[] {
  return (a.body.errors ?? []).map((e: any) => e.extensions?.code);
}

// The nested query of the batching tests: 100 cities > 100 enterprises > 100 grade changes.
const NESTED = `query($n: Int) { cities(first: $n) { nodes { slug enterprises(first: $n) { totalCount nodes { name gradeChanges(first: $n) { totalCount nodes { toGrade enterprise { name } } } } } } } }`;

describe('settings', () => {
  it('has documented defaults, production turns introspection and suggestions off, every limit is an env var', () => {
    const d = loadConfig({});
    expect(d).toMatchObject({
      introspection: true,
      fieldSuggestions: true,
      maxDepth: 15,
      maxAliases: 30,
      maxCost: 2_000_000,
      maxTokens: 5000,
      maxDirectives: 50,
      exposeLimits: true,
      maxBodyBytes: 2 * 1024 * 1024,
      statementTimeoutMs: 15_000,
      rateLimit: true,
      rateLimitPerMinute: 1200,
      rateLimitAnonymousPerMinute: 600,
      trustProxy: false,
    });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, fieldSuggestions: false });
    expect(loadConfig({ NODE_ENV: 'production', AIRLEDGER_INTROSPECTION: 'true', AIRLEDGER_FIELD_SUGGESTIONS: '1' })).toMatchObject({
      introspection: true,
      fieldSuggestions: true,
    });
    const env = loadConfig({
      AIRLEDGER_MAX_DEPTH: '4',
      AIRLEDGER_MAX_ALIASES: '5',
      AIRLEDGER_MAX_COST: '600',
      AIRLEDGER_MAX_TOKENS: '70',
      AIRLEDGER_MAX_DIRECTIVES: '2',
      AIRLEDGER_EXPOSE_LIMITS: 'false',
      AIRLEDGER_MAX_BODY_BYTES: '1000',
      AIRLEDGER_STATEMENT_TIMEOUT_MS: '0',
      AIRLEDGER_RATE_LIMIT: 'off',
      AIRLEDGER_RATE_LIMIT_PER_MINUTE: '7',
      AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3',
      AIRLEDGER_TRUST_PROXY: '1',
    });
    expect(env).toMatchObject({
      maxDepth: 4,
      maxAliases: 5,
      maxCost: 600,
      maxTokens: 70,
      maxDirectives: 2,
      exposeLimits: false,
      maxBodyBytes: 1000,
      statementTimeoutMs: 0,
      rateLimit: false,
      rateLimitPerMinute: 7,
      rateLimitAnonymousPerMinute: 3,
      trustProxy: 1,
    });
    expect(() => loadConfig({ AIRLEDGER_MAX_DEPTH: 'deep' })).toThrow(/AIRLEDGER_MAX_DEPTH/);
  });
});

describe('operation limits: HTTP 400 with a stable code, nothing executed', () => {
  it('lets the API\'s legitimate nested queries through with the default limits', async () => {
    const a = await query(app.url, NESTED, { n: 100 });
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.cities.nodes).toHaveLength(56);
  });

  it('refuses a query nested deeper than the depth limit (QUERY_TOO_DEEP); fragments add no level', async () => {
    const url = await startServer({ maxDepth: 4 });
    // depth 4: city > region > cities > slug
    const ok = await query(url, `{ city(slug: "tangshan") { region { cities { slug } } } }`);
    expect(ok.status).toBe(200);
    expect(ok.body.data.city.region.cities).toHaveLength(40);
    const withFragment = await query(url, `{ city(slug: "tangshan") { ...R } } fragment R on City { region { cities { slug } } }`);
    expect(withFragment.status).toBe(200);
    expect(withFragment.body.errors).toBeUndefined();

    const deep = await query(url, `{ city(slug: "tangshan") { region { cities { province { slug } } } } }`);
    expect(deep.status).toBe(400);
    expect(deep.body.data).toBeUndefined();
    expect(deep.body.errors).toHaveLength(1);
    expect(deep.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    expect(deep.body.errors[0].message).toBe('Query depth limit of 4 exceeded, found 5.');
    expect(deep.body.errors[0].extensions.http).toBeUndefined();

    // The default (15) is far from the API's deepest real queries (8 in the test suite).
    const hidden = await startServer({ maxDepth: 4, exposeLimits: false });
    const d2 = await query(hidden, `{ city(slug: "tangshan") { region { cities { province { slug } } } } }`);
    expect(d2.status).toBe(400);
    expect(d2.body.errors[0]).toMatchObject({ message: 'The query is nested too deeply.', extensions: { code: 'QUERY_TOO_DEEP' } });
  });

  it('refuses more aliases than the limit (TOO_MANY_ALIASES), also in a mutation, which then writes nothing', async () => {
    const url = await startServer({ maxAliases: 3 });
    const three = await query(url, `{ a: city(slug: "tangshan") { slug } b: city(slug: "handan") { slug } c: city(slug: "xian") { slug } }`);
    expect(three.status).toBe(200);
    expect(three.body.data).toEqual({ a: { slug: 'tangshan' }, b: { slug: 'handan' }, c: { slug: 'xian' } });
    const four = await query(url, `{ a: city(slug: "tangshan") { slug } b: city(slug: "handan") { slug } c: city(slug: "xian") { slug } d: city(slug: "luoyang") { slug } }`);
    expect(four.status).toBe(400);
    expect(codes(four)).toEqual(['TOO_MANY_ALIASES']);
    expect(four.body.errors[0].message).toBe('Aliases limit of 3 exceeded, found 4.');

    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const before = await app.sql<{ n: string }>(`select count(*)::text as n from enterprise`);
    const create = (alias: string, i: number) =>
      `${alias}: createEnterprise(input: { city: "tangshan", name: "唐山市限流测试${i}有限公司", creditCode: "${generateCreditCode('130200', random)}", industry: STEEL, size: SMALL }) { enterprise { id } userErrors { code } }`;
    // as the suite's MINISTRY key, which may write: only the limit stops it
    const asMinistry = { authorization: `Bearer ${app.ministryToken}` };
    const m = await query(url, `mutation { ${['a', 'b', 'c', 'd'].map(create).join(' ')} }`, undefined, asMinistry);
    expect(m.status).toBe(400);
    expect(codes(m)).toEqual(['TOO_MANY_ALIASES']);
    expect(await app.sql(`select count(*)::text as n from enterprise`)).toEqual(before);
  });

  it('refuses an operation that could return more nodes than the cost limit (QUERY_TOO_COMPLEX), counting `first` from literals and variables', async () => {
    // Default limit 2,000,000: three levels of 100 (1,010,100) pass, three levels of 500 do not.
    const big = await query(app.url, NESTED, { n: 500 });
    expect(big.status).toBe(400);
    expect(codes(big)).toEqual(['QUERY_TOO_COMPLEX']);
    // 500 + 500^2 + 500^3
    expect(big.body.errors[0].extensions).toMatchObject({ cost: 125_250_500, maxCost: 2_000_000 });
    const literal = await query(app.url, NESTED.replace('query($n: Int) ', '').replaceAll('$n', '500'));
    expect(literal.status).toBe(400);
    expect(literal.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 125_250_500 });

    const url = await startServer({ maxCost: 600 });
    // cities(first: 10) > enterprises(first: 50): 10 + 10 * 50 = 510
    const q = `query($a: Int, $b: Int) { cities(first: $a) { nodes { slug enterprises(first: $b) { nodes { name } } } } }`;
    const fits = await query(url, q, { a: 10, b: 50 });
    expect(fits.status).toBe(200);
    expect(fits.body.errors).toBeUndefined();
    // 11 + 11 * 50 = 561 still fits; 12 + 12 * 50 = 612 does not
    expect((await query(url, q, { a: 11, b: 50 })).status).toBe(200);
    const over = await query(url, q, { a: 12, b: 50 });
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({ message: 'Query cost limit of 600 exceeded, found 612.', extensions: { code: 'QUERY_TOO_COMPLEX', cost: 612, maxCost: 600 } });
    // Without `first` a connection counts its default page size (50): 50 + 50 * 50 = 2550.
    const defaults = await query(url, `{ cities { nodes { enterprises { nodes { name } } } } }`);
    expect(defaults.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 2550 });
    // Aliases add up: two cities(first: 400) = 800.
    const twice = await query(url, `{ a: cities(first: 400) { nodes { slug } } b: cities(first: 400) { nodes { slug } } }`);
    expect(twice.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 800 });
  });

  it('refuses a document with more tokens than the limit (TOO_MANY_TOKENS): HTTP 400, not 500', async () => {
    const url = await startServer({ maxTokens: 40 });
    const small = `{ city(slug: "tangshan") { slug nameEn } }`; // 11 tokens
    expect((await query(url, small)).status).toBe(200);
    const fields = Array.from({ length: 40 }, () => 'slug').join(' ');
    const big = await query(url, `{ city(slug: "tangshan") { ${fields} } }`);
    expect(big.status).toBe(400);
    expect(big.body.errors).toEqual([{ message: 'Token limit of 40 exceeded.', extensions: { code: 'TOO_MANY_TOKENS', requestId: expect.any(String) } }]);
    // A document that would not even parse is stopped at the limit too, with the same code.
    const broken = await query(url, `{ ${'city '.repeat(60)}`);
    expect(broken.status).toBe(400);
    expect(codes(broken)).toEqual(['TOO_MANY_TOKENS']);
    // An ordinary syntax error stays a parse error with 400.
    const syntax = await query(url, `{ city(slug: "tangshan") { slug `);
    expect(syntax.status).toBe(400);
    expect(codes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('refuses more directives than the limit (TOO_MANY_DIRECTIVES)', async () => {
    const url = await startServer({ maxDirectives: 2 });
    const ok = await query(url, `{ city(slug: "tangshan") { slug @include(if: true) nameEn @skip(if: false) } }`);
    expect(ok.status).toBe(200);
    expect(ok.body.data.city).toEqual({ slug: 'tangshan', nameEn: 'Tangshan' });
    const over = await query(url, `{ city(slug: "tangshan") { slug @include(if: true) nameEn @skip(if: false) nameZh @include(if: true) } }`);
    expect(over.status).toBe(400);
    expect(codes(over)).toEqual(['TOO_MANY_DIRECTIVES']);
  });

  it('answers a body over the size limit with 413 REQUEST_TOO_LARGE and unreadable JSON with 400 BAD_REQUEST, then keeps serving', async () => {
    const url = await startServer({ maxBodyBytes: 1000 });
    const padding = 'x'.repeat(2000);
    const big = await post(url, { query: `{ city(slug: "tangshan") { slug } }`, variables: { padding } });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/^application\/json/);
    expect(big.body.errors).toEqual([{ message: 'The request body is larger than 1000 bytes.', extensions: { code: 'REQUEST_TOO_LARGE', maxBytes: 1000, requestId: expect.any(String) } }]);
    const asked = await post(url, { query: `{ __typename }`, variables: { padding } }, { accept: 'application/graphql-response+json' });
    expect(asked.status).toBe(413);
    expect(asked.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);

    const notJson = await post(url, '{"query": ');
    expect(notJson.status).toBe(400);
    expect(codes(notJson)).toEqual(['BAD_REQUEST']);
    expect((await query(url, `{ city(slug: "tangshan") { slug } }`)).body.data.city.slug).toBe('tangshan');

    // The default limit is 2 MiB.
    const huge = await post(app.url, { query: `{ __typename }`, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(codes(huge)).toEqual(['REQUEST_TOO_LARGE']);
    expect((await app.data(`{ city(slug: "xian") { slug } }`)).city.slug).toBe('xian');
  });
});

describe('transport: batching off, CSRF prevention on', () => {
  it('refuses an array (batched) body with 400', async () => {
    const a = await post(app.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(a.status).toBe(400);
    expect(JSON.stringify(a.body)).toMatch(/batching/i);
  });

  it('refuses GET and simple POST requests that a browser could send cross-site', async () => {
    const q = encodeURIComponent(`{ city(slug: "tangshan") { slug } }`);
    const get = await answer(await fetch(`${app.url}?query=${q}`));
    expect(get.status).toBe(400);
    expect(JSON.stringify(get.body)).toMatch(/CSRF/);
    const textPlain = await answer(
      await fetch(app.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) }),
    );
    expect(textPlain.status).toBe(400);
    const form = await answer(
      await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${q}` }),
    );
    expect(form.status).toBe(400);

    // With the preflight header (or a JSON content type) the same requests go through.
    const preflight = await answer(await fetch(`${app.url}?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } }));
    expect(preflight.status).toBe(200);
    expect(preflight.body.data.city.slug).toBe('tangshan');
    const json = await query(app.url, `{ city(slug: "tangshan") { slug } }`);
    expect(json.status).toBe(200);
  });
});

describe('introspection and field suggestions', () => {
  it('allows both when configured (the default outside production)', async () => {
    const i = await query(app.url, `{ __schema { queryType { name } } }`);
    expect(i.status).toBe(200);
    expect(i.body.data.__schema.queryType.name).toBe('Query');
    const typo = await query(app.url, `{ citys(first: 1) { totalCount } }`);
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].message).toBe('Cannot query field "citys" on type "Query". Did you mean "city" or "cities"?');
  });

  it('refuses introspection and drops "Did you mean" hints when off (the production default)', async () => {
    const url = await startServer({ introspection: false, fieldSuggestions: false });
    const schema = await query(url, `{ __schema { queryType { name } } }`);
    expect(schema.status).toBe(400);
    expect(codes(schema)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(schema.body.errors[0].message).toMatch(/introspection is not allowed/i);
    const type = await query(url, `{ __type(name: "City") { name } }`);
    expect(type.status).toBe(400);
    expect(codes(type)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // __typename is no introspection of the schema
    expect((await query(url, `{ __typename }`)).body.data).toEqual({ __typename: 'Query' });

    const typo = await query(url, `{ citys(first: 1) { totalCount } }`);
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].message).toBe('Cannot query field "citys" on type "Query".');
    const arg = await query(url, `{ cities(firts: 1) { totalCount } }`);
    expect(arg.body.errors[0].message).not.toMatch(/Did you mean/);
    const enumValue = await query(url, `query($s: EnterpriseSize) { enterprises(filter: { sizes: [$s] }) { totalCount } }`, { s: 'LARG' });
    expect(enumValue.body.errors.length).toBeGreaterThan(0);
    for (const e of enumValue.body.errors) expect(e.message).not.toMatch(/Did you mean/);
  });
});

describe('statement timeout', () => {
  it('sets statement_timeout on every serving connection; migrations run without it', async () => {
    const orm = await connectAndMigrate(app.databaseUrl, 2, 1234);
    try {
      const rows = await orm.em.getConnection().execute(`show statement_timeout`);
      expect(rows).toEqual([{ statement_timeout: '1234ms' }]);
      await expect(orm.em.getConnection().execute(`select pg_sleep(2)`)).rejects.toMatchObject({ code: '57014' });
      // the pool is still usable after the cancelled statement
      expect(await orm.em.getConnection().execute(`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await orm.close(true);
    }
    const none = await connectAndMigrate(app.databaseUrl, 1);
    expect(await none.em.getConnection().execute(`show statement_timeout`)).toEqual([{ statement_timeout: '0' }]);
    await none.close(true);
  });

  it('answers a query whose statement runs past the timeout with STATEMENT_TIMEOUT, and keeps serving', async () => {
    const orm = await openOrm({ statementTimeoutMs: 300 });
    const url = await startServer({}, orm);
    // Another session holds a lock on the cities, so the API's select waits past the timeout.
    const blocker = new pg.Client({ connectionString: app.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table city in access exclusive mode');
      // The lock would hold the select for ever: an answer at all, coded STATEMENT_TIMEOUT, is the timeout's doing.
      const slow = await query(url, `{ city(slug: "tangshan") { slug } }`);
      expect(slow.status).toBe(200);
      expect(slow.body.data).toEqual({ city: null });
      expect(slow.body.errors).toHaveLength(1);
      expect(slow.body.errors[0].extensions).toEqual({ code: 'STATEMENT_TIMEOUT', requestId: expect.any(String) });
      expect(slow.body.errors[0].path).toEqual(['city']);
      expect(slow.body.errors[0].message).not.toMatch(/select|city/i); // no SQL leaks out
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    const again = await query(url, `{ city(slug: "tangshan") { slug } }`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ data: { city: { slug: 'tangshan' } } });
  });
});

describe('rate limiting (per API key, per client IP without one, counters in PostgreSQL)', () => {
  const Q = `{ city(slug: "tangshan") { slug } }`;
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it('answers over the limit with 429, Retry-After and RATE_LIMITED; one bucket per key and per IP', async () => {
    const url = await startServer({ rateLimitPerMinute: 3, rateLimitAnonymousPerMinute: 2, trustProxy: true });
    const ip = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });

    const a1 = await query(url, Q, undefined, ip(1));
    expect(a1.status).toBe(200);
    expect(a1.headers.get('ratelimit-limit')).toBe('2');
    expect(a1.headers.get('ratelimit-remaining')).toBe('1');
    expect((await query(url, Q, undefined, ip(1))).headers.get('ratelimit-remaining')).toBe('0');
    const limited = await query(url, Q, undefined, ip(1));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      errors: [
        {
          message: `Rate limit of 2 requests per minute exceeded; retry in ${retryAfter} s.`,
          extensions: { code: 'RATE_LIMITED', limit: 2, retryAfter, requestId: expect.any(String) },
        },
      ],
    });
    // another IP has its own bucket
    expect((await query(url, Q, undefined, ip(2))).status).toBe(200);

    // API keys: their own limit (3) and bucket, whatever the IP. (A token that is no working
    // key counts against its IP instead: test/e2e/availability.test.ts.)
    const alpha = (await app.createKey({ role: 'READ_ONLY', name: 'alpha' })).secret;
    const betaKey = (await app.createKey({ role: 'READ_ONLY', name: 'beta' })).secret;
    const key = (k: string) => ({ authorization: `Bearer ${k}`, ...ip(1) });
    for (let i = 0; i < 3; i++) {
      const a = await query(url, Q, undefined, key(alpha));
      expect(a.status).not.toBe(429);
      expect(a.headers.get('ratelimit-remaining')).toBe(String(2 - i));
    }
    const keyLimited = await query(url, Q, undefined, key(alpha));
    expect(keyLimited.status).toBe(429);
    expect(codes(keyLimited)).toEqual(['RATE_LIMITED']);
    expect(keyLimited.headers.get('retry-after')).toMatch(/^\d+$/);
    const beta = await query(url, Q, undefined, key(betaKey));
    expect(beta.status).not.toBe(429);
    expect(beta.headers.get('ratelimit-limit')).toBe('3');
    // a valid key is served until its own limit (its bucket also counts this file's other requests)
    await app.sql(`delete from rate_limit_bucket where bucket = ?`, [`key:${sha(app.ministryToken)}`]);
    const ministry = await query(url, Q, undefined, { authorization: `Bearer ${app.ministryToken}`, ...ip(1) });
    expect(ministry.status).toBe(200);
    expect(ministry.body.data.city.slug).toBe('tangshan');

    // One row per bucket; keys are stored as their sha256, never in clear.
    const rows = await app.sql<{ bucket: string; hits: number }>(
      `select bucket, hits from rate_limit_bucket where bucket in (?, ?, ?, ?) order by bucket`,
      [`key:${sha(alpha)}`, `key:${sha(betaKey)}`, 'ip:203.0.113.1', 'ip:203.0.113.2'],
    );
    expect(rows).toEqual(
      [
        { bucket: 'ip:203.0.113.1', hits: 3 },
        { bucket: 'ip:203.0.113.2', hits: 1 },
        { bucket: `key:${sha(alpha)}`, hits: 4 },
        { bucket: `key:${sha(betaKey)}`, hits: 1 },
      ].sort((a, b) => (a.bucket < b.bucket ? -1 : 1)),
    );
    expect(await app.sql(`select 1 from rate_limit_bucket where bucket like ?`, [`%${alpha}%`])).toEqual([]);

    // a new window starts over
    await app.sql(`update rate_limit_bucket set window_start = window_start - interval '1 minute' where bucket = ?`, [`key:${sha(alpha)}`]);
    const fresh = await query(url, Q, undefined, key(alpha));
    expect(fresh.status).not.toBe(429);
    expect(fresh.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const url = await startServer({ rateLimitAnonymousPerMinute: 1 });
    // Every server of this file shares the bucket of 127.0.0.1 (counters live in the database).
    await app.sql(`delete from rate_limit_bucket where bucket = 'ip:127.0.0.1'`);
    expect((await query(url, Q, undefined, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    const spoofed = await query(url, Q, undefined, { 'x-forwarded-for': '198.51.100.2' });
    expect(spoofed.status).toBe(429);
  });

  it('shares the counters between two server instances on one database', async () => {
    const other = await openOrm();
    const one = await startServer({ rateLimitPerMinute: 4 });
    const two = await startServer({ rateLimitPerMinute: 4 }, other);
    const token = app.ministryToken;
    await app.sql(`delete from rate_limit_bucket where bucket = ?`, [`key:${sha(token)}`]);
    const h = { authorization: `Bearer ${token}` };
    const statuses: number[] = [];
    for (const url of [one, two, one, two, one, two]) statuses.push((await query(url, Q, undefined, h)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await app.sql(`select hits from rate_limit_bucket where bucket = ?`, [`key:${sha(token)}`])).toEqual([{ hits: 6 }]);
    // the rest of this file goes on with the suite's key
    await app.sql(`delete from rate_limit_bucket where bucket = ?`, [`key:${sha(token)}`]);
  });

  it('costs one SQL statement outside the counted ones, exempts the probes, and can be switched off', async () => {
    const on = await startServer({ rateLimitAnonymousPerMinute: 1000 });
    const off = await startServer({ rateLimit: false });
    const before = await app.sql<{ n: number }>(`select count(*)::int as n from pg_stat_user_tables where relname = 'rate_limit_bucket'`);
    expect(before).toEqual([{ n: 1 }]);
    const withLimiter = await query(on, NESTED, { n: 5 });
    const without = await query(off, NESTED, { n: 5 });
    expect(withLimiter.body.extensions.sqlStatements).toBe(without.body.extensions.sqlStatements);
    expect(withLimiter.headers.get('ratelimit-limit')).toBe('1000');
    expect(without.headers.get('ratelimit-limit')).toBeNull();

    const probe = await startServer({ rateLimitAnonymousPerMinute: 1 });
    const origin = probe.replace('/graphql', '');
    await app.sql(`delete from rate_limit_bucket where bucket = 'ip:127.0.0.1'`);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    }
    expect((await query(probe, Q)).status).toBe(200);
    expect((await query(probe, Q)).status).toBe(429);
  });
});

describe('rate limit store', () => {
  it('counts in one statement per hit and sweeps buckets idle for ten minutes every 1,000 hits', async () => {
    const store = new PostgresRateLimitStore(app.orm);
    await app.sql(`insert into rate_limit_bucket (bucket, window_start, hits) values ('ip:192.0.2.9', now() - interval '11 minutes', 5), ('ip:192.0.2.10', now() - interval '2 minutes', 5)`);
    let statements = 0;
    const count = () => statements++;
    const knex = app.orm.em.getKnex();
    knex.on('query', count);
    try {
      const first = await store.hit('ip:192.0.2.11', 60);
      expect(first.hits).toBe(1);
      expect(first.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(first.resetSeconds).toBeLessThanOrEqual(60);
      expect(statements).toBe(1);
      for (let i = 1; i < PostgresRateLimitStore.SWEEP_EVERY; i++) await store.hit('ip:192.0.2.11', 60);
      await new Promise((r) => setTimeout(r, 200)); // the sweep is not awaited
    } finally {
      knex.removeListener('query', count);
    }
    expect(statements).toBe(PostgresRateLimitStore.SWEEP_EVERY + 1);
    const rows = await app.sql<{ bucket: string; hits: number }>(`select bucket, hits from rate_limit_bucket where bucket like 'ip:192.0.2.%' order by bucket`);
    expect(rows).toEqual([
      { bucket: 'ip:192.0.2.10', hits: 5 },
      { bucket: 'ip:192.0.2.11', hits: PostgresRateLimitStore.SWEEP_EVERY },
    ]);
  });
});

describe('health and readiness', () => {
  it('/healthz says the process is up; /readyz says the database answers with every migration applied', async () => {
    const origin = app.url.replace('/graphql', '');
    const health = await answer(await fetch(`${origin}/healthz`));
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await answer(await fetch(`${origin}/readyz`));
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', migrations: MIGRATIONS.length } });
  });

  it('/readyz answers 503 while a migration is not applied', async () => {
    const origin = app.url.replace('/graphql', '');
    const last = MIGRATIONS[MIGRATIONS.length - 1].name;
    const [row] = await app.sql<{ id: number; name: string; executed_at: Date }>(`select * from mikro_orm_migrations where name = ?`, [last]);
    expect(row).toBeDefined();
    await app.sql(`delete from mikro_orm_migrations where name = ?`, [last]);
    try {
      const r = await answer(await fetch(`${origin}/readyz`));
      expect(r).toMatchObject({ status: 503, body: { status: 'not ready', reason: 'MIGRATIONS_PENDING', pendingMigrations: [last] } });
    } finally {
      await app.sql(`insert into mikro_orm_migrations (id, name, executed_at) values (?, ?, ?)`, [row.id, row.name, row.executed_at]);
    }
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });

  it('/readyz answers 503 when the database is unreachable, /healthz still 200', async () => {
    const orm = await openOrm();
    const url = await startServer({}, orm);
    const origin = url.replace('/graphql', '');
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    await orm.close(true);
    const r = await answer(await fetch(`${origin}/readyz`));
    expect(r).toMatchObject({ status: 503, body: { status: 'not ready', reason: 'DATABASE_UNREACHABLE' } });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });
});
