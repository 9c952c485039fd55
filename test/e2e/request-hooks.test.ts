/**
 * The request hooks (packages/api/src/common/hooks): ONE list that every request goes through,
 * whichever path answers it. For each hook of the list, its effect is checked on an answer of the
 * compiled lane, an answer of Apollo and the resolvers, and an export; a hook added to the list
 * without an entry here fails, and so does a hook whose effect is missing on one path. Apollo may
 * have no plugin of its own outside the list but those declared in APOLLO_ONLY_PLUGINS.
 *
 * Then each hook's own rules: request ids, CORS (allow-list, preflight, default none), access
 * logs without personal data or secrets, Prometheus metrics (and their bearer protection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildAccessFixture, type AccessFixture } from '../helpers/access-fixture.js';
import { APOLLO_ONLY_PLUGINS } from '../../packages/api/src/common/hooks/index.js';
import { loadConfig } from '../../packages/api/src/config.js';

const ORIGIN = 'http://pages.example.gov.cn';
const METRICS_TOKEN = 'metrics-token-for-the-test-suite';
const COMPILED = `query CitiesPage { cities(first: 2) { totalCount nodes { slug } } }`;
// City.outcomeTarget(campaign) is not in the compiled read models: Apollo and the resolvers answer it.
const RESOLVED = `query OutcomeTarget { cities(first: 1) { nodes { slug outcomeTarget(campaign: "2023-2024-autumn-winter") { pm25Target } } } }`;

let app: TestApp;
const logs: Record<string, any>[] = [];
let fx: AccessFixture;

beforeAll(async () => {
  app = await startTestApp({ logs, config: { corsOrigins: [ORIGIN], metricsToken: METRICS_TOKEN } });
  fx = await buildAccessFixture(app);
});
afterAll(async () => {
  await app?.close();
});

const base = () => app.url.replace(/\/graphql$/, '');

/** One request as a browser page of ORIGIN makes it. */
interface Seen {
  path: 'compiled' | 'resolvers' | 'export';
  requestId: string;
  status: number;
  headers: Headers;
  body: any;
}

async function graphql(query: string, requestId: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-request-id': requestId, authorization: `Bearer ${app.ministryToken}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const logOf = (requestId: string) => logs.filter((l) => l.msg === 'request' && l.requestId === requestId);

async function metricsText(): Promise<string> {
  const res = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** Value of the sample of `name` whose labels include every one of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => m[2].split(',').includes(`${k}="${v}"`));
    if (has) return Number(m[3]);
  }
  return undefined;
}

/**
 * What each hook of the list must have done to a request of each path. Keys are the hooks'
 * names: the list and this table must name the same hooks.
 */
const EFFECTS: Record<string, (seen: Seen, metrics: string) => void> = {
  'request-id': (seen) => {
    expect(seen.headers.get('x-request-id'), `${seen.path}: x-request-id`).toBe(seen.requestId);
  },
  cors: (seen) => {
    expect(seen.headers.get('access-control-allow-origin'), `${seen.path}: CORS`).toBe(ORIGIN);
    expect(seen.headers.get('access-control-expose-headers'), `${seen.path}: exposed headers`).toContain('x-request-id');
  },
  'rate-limit': (seen) => {
    expect(seen.headers.get('ratelimit-limit'), `${seen.path}: RateLimit-Limit`).toBe(String(loadConfig({}).rateLimitPerMinute));
  },
  'sql-count': (seen) => {
    if (seen.path === 'export') return; // a file, not a GraphQL response: no extensions to carry
    expect(seen.body.extensions?.sqlStatements, `${seen.path}: extensions.sqlStatements`).toBeGreaterThan(0);
    expect(seen.headers.get('airledger-execution'), `${seen.path}: airledger-execution`).toBe(seen.path === 'compiled' ? 'compiled' : null);
  },
  'access-log': (seen) => {
    const lines = logOf(seen.requestId);
    expect(lines, `${seen.path}: one access line`).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 30, method: seen.path === 'export' ? 'GET' : 'POST', status: seen.status, role: 'MINISTRY', keyId: expect.any(Number) });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(line.sqlStatements, `${seen.path}: logged statements`).toBeGreaterThan(0);
    if (seen.path === 'export') {
      expect(line).toMatchObject({ path: '/exports/cities.csv', execution: null, operationName: null });
    } else {
      expect(line).toMatchObject({ path: '/graphql', execution: seen.path, operationType: 'query', operationName: seen.path === 'compiled' ? 'CitiesPage' : 'OutcomeTarget' });
      expect(line.sqlStatements).toBe(seen.body.extensions.sqlStatements);
    }
  },
  metrics: (seen, metrics) => {
    const labels =
      seen.path === 'export'
        ? { route: '/exports/:file', method: 'GET', status: '200' }
        : { route: '/graphql', method: 'POST', status: '200', operation: seen.path === 'compiled' ? 'CitiesPage' : 'OutcomeTarget', execution: seen.path };
    expect(sample(metrics, 'airledger_http_requests_total', labels), `${seen.path}: request counter ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(1);
    const { method: _m, status: _s, ...timed } = labels;
    expect(sample(metrics, 'airledger_http_request_duration_seconds_count', timed), `${seen.path}: latency histogram`).toBeGreaterThanOrEqual(1);
  },
};

describe('one list of request hooks for the compiled lane, Apollo and the exports', () => {
  it('every hook of the list has its effect on each path, and Apollo has no plugin of its own outside the list', async () => {
    expect([...app.server.hooks.names].sort()).toEqual(Object.keys(EFFECTS).sort());

    const compiled = await graphql(COMPILED, 'hooks-compiled');
    expect(compiled.status).toBe(200);
    expect(compiled.body.data.cities.nodes).toHaveLength(2);
    const resolved = await graphql(RESOLVED, 'hooks-resolvers');
    expect(resolved.status).toBe(200);
    expect(resolved.body.errors).toBeUndefined();
    const exported = await fetch(`${base()}/exports/cities.csv`, { headers: { origin: ORIGIN, 'x-request-id': 'hooks-export', authorization: `Bearer ${app.ministryToken}` } });
    expect(exported.status).toBe(200);
    expect((await exported.text()).split('\n').length).toBeGreaterThan(50);

    const seen: Seen[] = [
      { path: 'compiled', requestId: 'hooks-compiled', ...compiled },
      { path: 'resolvers', requestId: 'hooks-resolvers', ...resolved },
      { path: 'export', requestId: 'hooks-export', status: exported.status, headers: exported.headers, body: null },
    ];
    const metrics = await metricsText();
    for (const s of seen) for (const [, effect] of Object.entries(EFFECTS)) effect(s, metrics);

    // Apollo's plugins: the list's one plugin, and only those declared as Apollo's alone.
    expect(app.server.apolloPlugins.filter((p) => p === 'request-hooks')).toHaveLength(1);
    for (const name of app.server.apolloPlugins) if (name !== 'request-hooks') expect(Object.keys(APOLLO_ONLY_PLUGINS), `Apollo plugin ${name}`).toContain(name);
  });
});

describe('request ids', () => {
  it('keeps a plain x-request-id, replaces any other with a UUID, and puts it in every error on both paths', async () => {
    const plain = await graphql(`{ __typename }`, 'lb-7f3a:42.x');
    expect(plain.headers.get('x-request-id')).toBe('lb-7f3a:42.x');
    for (const bad of ['has space', 'x'.repeat(129), '"quoted"', 'semi;colon', '{"level":60}']) {
      const res = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': bad }, body: '{"query":"{ __typename }"}' });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const generated = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // Compiled lane: an unknown record goes to the resolvers, NOT_FOUND carries the id.
    const missing = await graphql(`{ enterprise(id: "999999999") { id } }`, 'id-not-found');
    expect(missing.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', requestId: 'id-not-found' });
    // The lane's own HTTP errors (a body that is not JSON), Apollo's validation errors, the rate limiter's.
    const broken = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5', 'x-request-id': 'id-bad-json' }, body: '{"q":' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'id-bad-json' });
    const invalid = await graphql(`{ nope }`, 'id-invalid');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', requestId: 'id-invalid' });
    // Errors Apollo answers before any plugin runs (CSRF prevention, batching).
    const csrf = await fetch(`${app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-request-id': 'id-csrf' } });
    expect(csrf.status).toBe(400);
    expect((await csrf.json()).errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'id-csrf' });
    const batch = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'id-batch' }, body: '[{"query":"{ __typename }"}]' });
    expect((await batch.json()).errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: 'id-batch' });
    // An export's error.
    const unknownExport = await fetch(`${base()}/exports/nothing.csv`, { headers: { 'x-request-id': 'id-export' } });
    expect(unknownExport.status).toBe(404);
    expect((await unknownExport.json()).errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', requestId: 'id-export' });
  });
});

describe('CORS (AIRLEDGER_CORS_ORIGINS)', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('answers the preflight of an allowed origin on every path, and refuses other origins', async () => {
    for (const url of [app.url, `${base()}/exports/cities.csv`]) {
      const ok = await preflight(url, ORIGIN);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(ok.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(ok.headers.get('access-control-allow-headers')).toContain('content-type');
      expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
      expect(ok.headers.get('access-control-max-age')).toBe('600');

      const other = await preflight(url, 'http://elsewhere.example');
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect((await other.json()).errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    }
    // A request of another origin is answered without CORS headers (the browser keeps it from the page).
    const foreign = await graphql(`{ __typename }`, 'cors-foreign', { origin: 'http://elsewhere.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('vary')).toContain('Origin');
  });

  it('allows no origin by default', async () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    const plain = await startTestApp();
    try {
      const res = await preflight(plain.url, ORIGIN);
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(plain.url, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: '{"query":"{ __typename }"}' });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it('refuses a setting that is no list of origins', () => {
    expect(loadConfig({ AIRLEDGER_CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ AIRLEDGER_CORS_ORIGINS: 'https://a.example/path' })).toThrow(/AIRLEDGER_CORS_ORIGINS/);
    expect(() => loadConfig({ AIRLEDGER_CORS_ORIGINS: 'a.example' })).toThrow(/AIRLEDGER_CORS_ORIGINS/);
  });
});

describe('access logs', () => {
  it('hold no API key, household name or identity number, whatever the request carries', async () => {
    const city = fx.cities.tangshan;
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const secrets = [app.ministryToken, key.secret, city.householdName, city.householdIdNumber, fx.cities.taiyuan.householdName, fx.cities.taiyuan.householdIdNumber];
    const before = logs.length;
    // The household name travels in a variable too (enterprises' search), which is never logged.
    const disbursements = `query Disbursements($name: String) { disbursements(first: 50, filter: { city: "tangshan" }) { nodes { householdName householdIdNumber } } enterprises(first: 1, filter: { search: $name }) { totalCount } }`;
    for (const token of [app.ministryToken, key.secret]) {
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': `pii-${token === key.secret ? 'city' : 'ministry'}` },
        body: JSON.stringify({ query: disbursements, variables: { name: city.householdName } }),
      });
      const body = await res.json();
      expect(body.errors).toBeUndefined();
      expect(JSON.stringify(body.data)).toContain(city.householdName);
    }
    // Refused and failing requests too: a mutation with personal data that fails, an unknown key, an export.
    await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ministryToken}` },
      body: JSON.stringify({ query: `mutation($input: CreateDisbursementInput!) { createDisbursement(input: $input) { userErrors { code } } }`, variables: { input: { programId: fx.programId, city: 'tangshan', recipientKind: 'HOUSEHOLD', householdName: city.householdName, householdIdNumber: city.householdIdNumber, lowIncome: false, amount: -1, approvedOn: '2023-11-02' } } }),
    });
    await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}x` }, body: JSON.stringify({ query: `{ viewer { role } }` }) });
    await fetch(`${base()}/exports/enterprises.csv?filter=${encodeURIComponent(JSON.stringify({ search: city.householdName }))}`, { headers: { authorization: `Bearer ${key.secret}` } });

    const written = logs.slice(before);
    expect(written.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(5);
    const text = written.map((l) => l.raw).join('\n');
    for (const secret of secrets) expect(text, 'a log line holds a secret or personal data').not.toContain(secret);
    expect(text).not.toContain(key.secret.slice(0, 20));
    // The lines say who asked, by key id and role.
    expect(logOf('pii-city')[0]).toMatchObject({ keyId: key.id, role: 'CITY', path: '/graphql', operationName: 'Disbursements' });
    expect(logOf('pii-ministry')[0]).toMatchObject({ role: 'MINISTRY' });
  });
});

describe('metrics (GET /metrics)', () => {
  it('needs the bearer token when AIRLEDGER_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${base()}/metrics`)).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-the-same-size!!!' } })).status).toBe(401);
    expect((await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  it('counts requests by operation, path and execution, the pools, open export streams and rate-limit refusals', async () => {
    const limited = await startTestApp({ config: { rateLimitAnonymousPerMinute: 2 } });
    try {
      const metricsBase = limited.url.replace(/\/graphql$/, '');
      await limited.sql(`delete from rate_limit_bucket`);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.anonymous.request(`query Tiny { __typename }`)).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
      const text = await (await fetch(`${metricsBase}/metrics`)).text();
      expect(sample(text, 'airledger_rate_limit_refusals_total', {}) ?? Number(/^airledger_rate_limit_refusals_total (\S+)$/m.exec(text)?.[1])).toBe(2);
      expect(sample(text, 'airledger_http_requests_total', { route: '/graphql', status: '429' })).toBe(2);
      expect(sample(text, 'airledger_http_requests_total', { route: '/graphql', status: '200', operation: 'Tiny' })).toBe(2);
      expect(sample(text, 'airledger_db_pool_connections', { pool: 'graphql', state: 'idle' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'airledger_db_pool_connections', { pool: 'graphql', state: 'waiting' })).toBe(0);
      expect(text).toMatch(/^airledger_export_streams_open 0$/m);
      expect(text).toMatch(/^airledger_db_pool_acquire_wait_seconds_count \d+$/m);
      expect(Number(/^airledger_db_pool_acquire_wait_seconds_count (\d+)$/m.exec(text)![1])).toBeGreaterThan(0);
      expect(text).toContain('airledger_process_cpu_seconds_total');
    } finally {
      await limited.close();
    }
  });

  it('shows the export streams the exports\' capacity holds', async () => {
    // A slot taken as an export takes one (exports of the test database are too small to catch mid-stream).
    const slot = app.server.exports.take('metrics-test');
    try {
      expect(slot).not.toBe('busy');
      expect(await metricsText()).toMatch(/^airledger_export_streams_open 1$/m);
    } finally {
      if (typeof slot === 'object') slot.release();
    }
    expect(await metricsText()).toMatch(/^airledger_export_streams_open 0$/m);
  });
});
