/**
 * Hostile clients on a real server and PostgreSQL: whatever a request sends, the answer is a
 * coded client error (HTTP 400, BAD_USER_INPUT naming the field, or a stable code), never an
 * internal error, and nothing is written. Page sizes are counted by the cost limit as graphql
 * coerces them; cursors, text, dates and months are checked before SQL; text is bounded;
 * subscriptions and inconsistent persisted queries are refused; the configuration refuses what
 * it does not understand before anything starts; errors carry no stack traces unless asked.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { loadConfig, type AppConfig } from '../../packages/api/src/config.js';
import { operationCost } from '../../packages/api/src/common/hardening/index.js';
import { TEXT_LIMITS } from '../../packages/api/src/common/hardening/inputs.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { postJson as post, type HttpAnswer } from '../helpers/http.js';

let app: TestApp;
const extra: LedgerServer[] = [];

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  for (const s of extra) await s.stop();
  await app?.close();
});

const asMinistry = () => ({ authorization: `Bearer ${app.ministryToken}` });

/** Another server on the test database with its own settings. */
async function startServer(config: Partial<AppConfig>): Promise<string> {
  const server = await createServer(app.orm, { exposeSqlCount: true, introspection: true, ...config });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  extra.push(server);
  return `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
}

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A refused input: HTTP 400 (or 200 for an error of a field during execution), BAD_USER_INPUT naming `field`, no data. */
function expectBadInput(a: HttpAnswer, field: string) {
  expect(a.body.errors?.[0]?.extensions, JSON.stringify(a.body).slice(0, 600)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  for (const e of a.body.errors) expect(e.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  expect(a.body.data?.[Object.keys(a.body.data ?? {})[0]] ?? null).toBeNull();
}

const NESTED_DEFAULT = `query($n: Int = 500) { cities(first: $n) { nodes { slug enterprises(first: $n) { nodes { name gradeChanges(first: $n) { nodes { toGrade } } } } } } }`;

describe('cost limit: page sizes as graphql coerces them, on both paths', () => {
  it('counts every way of giving `first`: literal, variable, variable default, null, absent', async () => {
    // maxCost 1: every operation with a list is refused and reports its cost.
    for (const compiledReads of [true, false]) {
      const url = await startServer({ maxCost: 1, compiledReads });
      const cost = async (q: string, variables?: Record<string, unknown>) => {
        const a = await post(url, { query: q, variables });
        expect(a.status).toBe(400);
        expect(a.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
        return a.body.errors[0].extensions.cost as number;
      };
      const inner = `{ nodes { slug enterprises(first: 2) { nodes { name } } } }`;
      expect(await cost(`{ cities(first: 7) ${inner} }`)).toBe(7 + 14);
      expect(await cost(`query($n: Int) { cities(first: $n) ${inner} }`, { n: 7 })).toBe(7 + 14);
      expect(await cost(`query($n: Int = 9) { cities(first: $n) ${inner} }`)).toBe(9 + 18);
      expect(await cost(`query($n: Int = 9) { cities(first: $n) ${inner} }`, {})).toBe(9 + 18);
      // a value given wins over the default; null is the resolvers' default page size (50)
      expect(await cost(`query($n: Int = 9) { cities(first: $n) ${inner} }`, { n: 3 })).toBe(3 + 6);
      expect(await cost(`query($n: Int = 9) { cities(first: $n) ${inner} }`, { n: null })).toBe(50 + 100);
      expect(await cost(`{ cities(first: null) ${inner} }`)).toBe(50 + 100);
      // absent variable without a default, and absent argument: 50
      expect(await cost(`query($n: Int) { cities(first: $n) ${inner} }`)).toBe(50 + 100);
      expect(await cost(`{ cities ${inner} }`)).toBe(50 + 100);
    }
  });

  it('refuses a query whose variable defaults ask for 500 per level (QUERY_TOO_COMPLEX), with compiled reads and without', async () => {
    for (const compiledReads of [true, false]) {
      const url = await startServer({ compiledReads });
      const a = await post(url, { query: NESTED_DEFAULT });
      expect(a.status).toBe(400);
      expect(a.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 500 + 500 ** 2 + 500 ** 3 });
      // the same document with small values given passes
      const ok = await post(url, { query: NESTED_DEFAULT, variables: { n: 2 } });
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    }
  });

  it('counts an argument default of `first` (the schema\'s own default) when absent or when a variable is not given', () => {
    const schema = buildSchema(`type Query { items(first: Int = 30): [Item!]! } type Item { id: ID }`);
    const cost = (q: string, variables?: Record<string, unknown>) => {
      const document = parse(q);
      return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
    };
    expect(cost(`{ items { id } }`)).toBe(30);
    expect(cost(`query($n: Int) { items(first: $n) { id } }`)).toBe(30);
    expect(cost(`query($n: Int = 4) { items(first: $n) { id } }`)).toBe(4);
    expect(cost(`{ items(first: 6) { id } }`)).toBe(6);
    expect(cost(`query($n: Int) { items(first: $n) { id } }`, { n: 8 })).toBe(8);
  });
});

describe('forged cursors are BAD_USER_INPUT on `after`', () => {
  const cases: [string, string, unknown][] = [
    ['id past PostgreSQL integer', `{ cities(after: "$C") { nodes { slug } } }`, [1, 2 ** 31]],
    ['huge id of a list sorted by id (with a key)', `{ apiKeys(after: "$C") { nodes { id } } }`, [1, 1e15]],
    ['NUL inside a text value', `{ cities(after: "$C", orderBy: { field: NAME_EN }) { nodes { slug } } }`, ['Tang\u0000shan', 3]],
    ['impossible date', `{ airQualityObservations(after: "$C") { nodes { observedOn } } }`, ['2023-02-30', 3]],
    ['year 0000 date', `{ airQualityObservations(after: "$C") { nodes { observedOn } } }`, ['0000-01-01', 3]],
    ['year 0000 instant (with a key)', `{ auditEvents(after: "$C") { nodes { id } } }`, ['0000-01-01T00:00:00.000Z', 3]],
    ['nested connection', `{ city(slug: "tangshan") { enterprises(after: "$C") { nodes { name } } } }`, ['x', 2 ** 40]],
  ];
  for (const [name, q, value] of cases) {
    it(name, async () => {
      for (const headers of name.includes('with a key') ? [asMinistry()] : [{}, asMinistry()]) {
        const a = await post(app.url, { query: q.replace('$C', cursor(value)) }, headers);
        expect(a.body.errors?.[0]?.extensions, JSON.stringify(a.body)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }
    });
  }
});

describe('NUL characters in text are refused before SQL', () => {
  it('in a literal argument, a variable, an input field and a list item', async () => {
    expectBadInput(await post(app.url, { query: `{ city(slug: "tang\\u0000shan") { slug } }` }), 'slug');
    expectBadInput(await post(app.url, { query: `query($s: String!) { city(slug: $s) { slug } }`, variables: { s: 'tang\u0000shan' } }), 'slug');
    expectBadInput(
      await post(app.url, { query: `query($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }`, variables: { f: { search: 'steel\u0000' } } }),
      'filter.search',
    );
    expectBadInput(await post(app.url, { query: `{ enterprises(filter: { city: "tangshan\\u0000" }) { totalCount } }` }), 'filter.city');
    expectBadInput(
      await post(app.url, { query: `{ report(input: { subject: ENTERPRISES, dimensions: [CITY], measures: [{ measure: COUNT }], filter: { taskTargets: ["a", "b\\u0000"] } }) { columns { name } } }` }, asMinistry()),
      'input.filter.taskTargets.1',
    );
    // a variable's default too
    expectBadInput(await post(app.url, { query: `query($s: String = "x\\u0000") { city(slug: $s) { slug } }` }), 'slug');
    // and ids
    expectBadInput(await post(app.url, { query: `{ apiKey(id: "1\\u0000") { name } }` }, asMinistry()), 'id');
  });

  it('in a mutation, which then writes nothing', async () => {
    const before = await app.sql(`select count(*)::int as n from enterprise`);
    const events = await app.sql(`select count(*)::int as n from audit_event`);
    const a = await post(
      app.url,
      {
        query: `mutation($name: String!, $code: String!) { createEnterprise(input: { city: "tangshan", name: $name, creditCode: $code, industry: STEEL, size: SMALL }) { enterprise { id } userErrors { code } } }`,
        variables: { name: '唐山市\u0000钢铁有限公司', code: generateCreditCode('130200', () => 3) },
      },
      asMinistry(),
    );
    expect(a.status).toBe(400);
    expectBadInput(a, 'input.name');
    expect(await app.sql(`select count(*)::int as n from enterprise`)).toEqual(before);
    expect(await app.sql(`select count(*)::int as n from audit_event`)).toEqual(events);
  });
});

describe('dates and months PostgreSQL cannot store', () => {
  it('refuses LocalDate "0000-01-01" as a literal and as a variable, naming the field', async () => {
    const lit = await post(app.url, { query: `{ airQualityObservations(filter: { from: "0000-01-01" }) { totalCount } }` });
    expect(lit.status).toBe(400);
    expectBadInput(lit, 'filter.from');
    const variable = await post(app.url, {
      query: `query($f: AirQualityObservationFilter) { airQualityObservations(filter: $f) { totalCount } }`,
      variables: { f: { to: '0000-12-31' } },
    });
    expect(variable.status).toBe(400);
    expectBadInput(variable, 'filter.to');
    // an argument of a nested field, literal and variable
    const nestedLiteral = await post(app.url, { query: `{ city(slug: "tangshan") { airQualityObservations(to: "0000-02-01") { totalCount } } }` });
    expect(nestedLiteral.status).toBe(400);
    expectBadInput(nestedLiteral, 'to');
    const nested = await post(app.url, { query: `query($d: LocalDate) { city(slug: "tangshan") { airQualityObservations(from: $d) { totalCount } } }`, variables: { d: '0000-02-01' } });
    expect(nested.status).toBe(400);
    expectBadInput(nested, 'from');
    // real dates go on working
    const ok = await post(app.url, { query: `{ airQualityObservations(filter: { from: "0001-01-01", to: "9999-12-31" }, first: 1) { totalCount } }` });
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
  });

  it('refuses DateTime instants in the year 0000 (also through an offset), as a literal and as a variable, naming the field', async () => {
    const lit = await post(app.url, { query: `{ auditEvents(filter: { from: "0000-01-01T00:00:00Z" }) { totalCount } }` }, asMinistry());
    expect(lit.status).toBe(400);
    expectBadInput(lit, 'filter.from');
    const offset = await post(app.url, { query: `query($d: DateTime) { auditEvents(filter: { to: $d }) { totalCount } }`, variables: { d: '0001-01-01T00:00:00+08:00' } }, asMinistry());
    expect(offset.status).toBe(400);
    expectBadInput(offset, 'filter.to');
    const before = await app.sql(`select count(*)::int as n from api_key`);
    const key = await post(app.url, { query: `mutation { createApiKey(input: { role: READ_ONLY, name: "probe", expiresAt: "0000-06-01T00:00:00Z" }) { apiKey { id } userErrors { field } } }` }, asMinistry());
    expectBadInput(key, 'input.expiresAt');
    expect(await app.sql(`select count(*)::int as n from api_key`)).toEqual(before);
    const ok = await post(app.url, { query: `{ auditEvents(filter: { from: "0001-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z" }) { totalCount } }` }, asMinistry());
    expect(ok.body.errors).toBeUndefined();
  });

  it('refuses the month "0000-01" (and "0001-01", whose previous year has no dates) of monthlyPm25Ranking', async () => {
    for (const month of ['0000-01', '0001-01']) {
      const a = await post(app.url, { query: `query($m: String!) { monthlyPm25Ranking(month: $m) { month entries { rank } } }`, variables: { m: month } });
      expectBadInput(a, 'month');
    }
    const ok = await post(app.url, { query: `{ monthlyPm25Ranking(month: "0002-01") { month previousYearMonth } }` });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.monthlyPm25Ranking).toMatchObject({ month: '0002-01', previousYearMonth: '0001-01' });
  });

  it('refuses them in export parameters, which coerce with the same input types (400 naming the parameter)', async () => {
    const origin = app.url.replace('/graphql', '');
    const get = async (p: string) => {
      const res = await fetch(`${origin}/exports/${p}`, { headers: asMinistry() });
      const text = await res.text();
      if (res.status === 200) throw new Error(`${p}: ${text.slice(0, 300)}`);
      return { status: res.status, body: JSON.parse(text) };
    };
    const date = await get(`air-quality-observations.csv?filter=${encodeURIComponent(JSON.stringify({ from: '0000-01-01' }))}`);
    expect(date.status).toBe(400);
    expect(date.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.from' });
    const nul = await get(`enterprises.csv?filter=${encodeURIComponent(JSON.stringify({ search: 'a\u0000' }))}`);
    expect(nul.status).toBe(400);
    expect(nul.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    const long = await get(`enterprises.csv?filter=${encodeURIComponent(JSON.stringify({ search: 'x'.repeat(TEXT_LIMITS.search + 1) }))}`);
    expect(long.status).toBe(400);
    expect(long.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search', reason: 'OUT_OF_RANGE' });
    const month = await get(`monthly-pm25-ranking.csv?input=${encodeURIComponent(JSON.stringify({ month: '0000-01' }))}`);
    expect(month.status).toBe(400);
    expect(month.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
  });
});

describe('text inputs are bounded', () => {
  it('refuses a 1.5 MB search at once, without a statement, naming the field', async () => {
    const search = '钢'.repeat(1_500_000 / 3);
    for (const compiledReads of [true, false]) {
      const url = await startServer({ compiledReads });
      const started = Date.now();
      const a = await post(url, { query: `query($s: String) { enterprises(filter: { search: $s }) { totalCount nodes { name } } }`, variables: { s: search } });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(a.status).toBe(400);
      expectBadInput(a, 'filter.search');
      expect(a.body.errors[0].extensions.reason).toBe('OUT_OF_RANGE');
      expect(a.body.errors[0].message).toMatch(/At most 200 characters/);
      expect(a.body.extensions.sqlStatements).toBe(0);
    }
    // at the bound it is a search like any other
    const ok = await post(app.url, { query: `query($s: String) { enterprises(filter: { search: $s }) { totalCount } }`, variables: { s: 'x'.repeat(TEXT_LIMITS.search) } });
    expect(ok.body).toMatchObject({ data: { enterprises: { totalCount: 0 } } });
  });

  it('bounds notes, names and every other String or ID argument; a mutation over the bound writes nothing', async () => {
    const created = await post(
      app.url,
      {
        query: `mutation($code: String!) { createEnterprise(input: { city: "tangshan", name: "唐山市边界测试钢铁有限公司", creditCode: $code, industry: STEEL, size: SMALL }) { enterprise { id } userErrors { field code } } }`,
        variables: { code: generateCreditCode('130200', () => 5) },
      },
      asMinistry(),
    );
    const e = created.body.data.createEnterprise.enterprise;
    expect(e, JSON.stringify(created.body)).toBeTruthy();
    const before = await app.sql(`select count(*)::int as n from grade_change`);
    const note = await post(
      app.url,
      {
        query: `mutation($i: RecordGradeChangeInput!) { recordGradeChange(input: $i) { gradeChange { id } userErrors { field code } } }`,
        variables: { i: { enterpriseId: String(e.id), toGrade: 'B', reason: 'ASSESSMENT', decidedBy: '唐山市生态环境局', note: 'n'.repeat(TEXT_LIMITS.text + 1) } },
      },
      asMinistry(),
    );
    expectBadInput(note, 'input.note');
    expect(await app.sql(`select count(*)::int as n from grade_change`)).toEqual(before);

    const slug = await post(app.url, { query: `query($s: String!) { city(slug: $s) { slug } }`, variables: { s: 'x'.repeat(TEXT_LIMITS.default + 1) } });
    expectBadInput(slug, 'slug');
    const name = await post(app.url, { query: `{ createApiKey(input: { role: READ_ONLY, name: "${'k'.repeat(TEXT_LIMITS.name + 1)}" }) { userErrors { field } } }`.replace('{ createApiKey', 'mutation { createApiKey') }, asMinistry());
    expectBadInput(name, 'input.name');
  });
});

describe('subscriptions and persisted queries', () => {
  it('answers a subscription over HTTP with 400 SUBSCRIPTIONS_NOT_SUPPORTED (they are served over WebSocket)', async () => {
    for (const q of [`subscription { warningChanged { kind } }`, `subscription S($f: WarningChangedFilter) { warningChanged(filter: $f) { warning { id } } }`]) {
      const a = await post(app.url, { query: q });
      expect(a.status).toBe(400);
      expect(a.body.errors).toHaveLength(1);
      expect(a.body.errors[0].extensions.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
      expect(a.body.errors[0].message).toMatch(/WebSocket/);
    }
  });

  it('answers a persisted-query hash that does not match its query (or an unknown version) with 400 BAD_USER_INPUT naming the extension', async () => {
    const q = `{ city(slug: "tangshan") { slug } }`;
    const wrong = await post(app.url, { query: q, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'extensions.persistedQuery.sha256Hash' });
    const version = await post(app.url, { query: q, extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } });
    expect(version.status).toBe(400);
    expect(version.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'extensions.persistedQuery.version' });
    // an unknown hash without a query stays Apollo's PERSISTED_QUERY_NOT_FOUND
    const missing = await post(app.url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } });
    expect(missing.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

// ------------------------------------------------------------------------------------------
// The built server (packages/api/dist, built by `pnpm test`) as a process.

const MAIN = path.resolve('packages/api/dist/main.js');

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  ready: Promise<void>;
  stop(): void;
}

function startMain(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AIRLEDGER_SEED_DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const onData = (c: Buffer) => {
    out += c.toString();
    if (/GraphQL API ready/.test(out)) onReady();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => out, exited, ready, stop: () => child.kill('SIGTERM') };
}

describe('configuration: the start stops on a value that is not understood', () => {
  it('exits with 1 and a message naming the variable, before any database is started', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'airledger-config-'));
    try {
      const dataDir = path.join(tmp, 'pg');
      const cases: [Record<string, string>, RegExp][] = [
        [{ AIRLEDGER_RATE_LIMIT: 'ture' }, /AIRLEDGER_RATE_LIMIT must be true or false .*got "ture"/],
        [{ PORT: '99999' }, /PORT must be a TCP port, an integer from 1 to 65535, got "99999"/],
        [{ DATABASE_URL: 'not-a-url' }, /DATABASE_URL must be a PostgreSQL URL/],
        [{ AIRLEDGER_MAX_COST: 'lots', AIRLEDGER_EXPOSE_LIMITS: 'perhaps' }, /AIRLEDGER_MAX_COST must be a non-negative integer[\s\S]*AIRLEDGER_EXPOSE_LIMITS must be true or false/],
      ];
      for (const [env, message] of cases) {
        const started = Date.now();
        const p = startMain({ AIRLEDGER_DATA_DIR: dataDir, AIRLEDGER_EMBEDDED_PG_PORT: String(await freePort()), ...env });
        expect(await p.exited, p.output()).toBe(1);
        expect(p.output()).toMatch(message);
        expect(p.output()).not.toMatch(/database:|migrations/);
        expect(existsSync(dataDir)).toBe(false);
        expect(Date.now() - started).toBeLessThan(15_000);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('warns about unknown AIRLEDGER_* variables with the close known names, and starts', async () => {
    const p = startMain({ DATABASE_URL: app.databaseUrl, PORT: String(await freePort()), HOST: '127.0.0.1', AIRLEDGER_RATE_LIMT: 'false' });
    try {
      await p.ready;
      expect(p.output()).toMatch(/ignoring unknown setting AIRLEDGER_RATE_LIMT \(did you mean AIRLEDGER_RATE_LIMIT\?\)/);
    } finally {
      p.stop();
      await p.exited;
    }
  });
});

describe('errors carry no stack traces unless AIRLEDGER_DEBUG_ERRORS=true', () => {
  it('answers errors of the built server started without NODE_ENV without stack traces; with the setting, with them', async () => {
    for (const debug of [false, true]) {
      const port = await freePort();
      const p = startMain({ DATABASE_URL: app.databaseUrl, PORT: String(port), HOST: '127.0.0.1', ...(debug ? { AIRLEDGER_DEBUG_ERRORS: 'true' } : {}) });
      try {
        await p.ready;
        const url = `http://127.0.0.1:${port}/graphql`;
        const answers = [
          await post(url, { query: `{ nope }` }),
          await post(url, { query: `{ city(slug: "nowhere") { slug } }` }),
          await post(url, { query: `{ cities(after: "forged") { totalCount } }` }),
        ];
        for (const a of answers) {
          expect(a.body.errors.length).toBeGreaterThan(0);
          for (const e of a.body.errors) if (!debug) expect(e.extensions.stacktrace, JSON.stringify(e)).toBeUndefined();
        }
        // Apollo's own errors (here: validation) carry them when asked for
        if (debug) expect(answers[0].body.errors[0].extensions.stacktrace, JSON.stringify(answers[0].body)).toEqual(expect.any(Array));
        if (!debug) expect(JSON.stringify(answers)).not.toContain(process.cwd());
      } finally {
        p.stop();
        await p.exited;
      }
    }
  });
});
