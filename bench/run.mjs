/**
 * `pnpm bench`: this API against PostGraphile and a hand-written SQL server, on one scale dataset,
 * in one run. Prints req/s, p50, p99, the ratios, and the API's SQL statements per request, and
 * writes bench/RESULTS.md.
 *
 * Settings (environment): DATABASE_URL (admin URL of a PostgreSQL server; default: an embedded
 * PostgreSQL under os.tmpdir(), kept between runs), BENCH_SEED (20231001), BENCH_DURATION (seconds
 * per timed round, 10), BENCH_WARMUP (seconds, 3), BENCH_ROUNDS (3), BENCH_CONNECTIONS (20),
 * BENCH_QUERIES (e.g. "Q1,Q3"), BENCH_ENGINES (e.g. "api,reference"), BENCH_CALLERS (e.g.
 * "national,city"; anonymous, national, province, city, ministry), BENCH_NO_WRITE=1 (do not
 * rewrite RESULTS.md), BENCH_FRESH=1 (rebuild the embedded cluster and the dataset),
 * BENCH_DUMP_ANSWERS=/some/dir (writes each engine's canonical answer of each row there).
 * Rows of the other callers than national run BENCH_CALLER_ROUNDS (2) rounds of BENCH_CALLER_DURATION
 * (5) s after BENCH_CALLER_WARMUP (2) s when timing them like the national rows would take longer
 * than BENCH_BUDGET_MINUTES (25); otherwise like the national rows.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { openBenchDatabase } from './lib/database.mjs';
import { ensureDataset, SIZES } from './dataset.mjs';
import { startServer } from './lib/procs.mjs';
import { buildQueries, canonical, CALLER_CLASSES, CALLER_LABELS } from './queries.mjs';
import { findNode22, postgraphile5Available } from './lib/postgraphile5.mjs';
import { benchScopes, BENCH_CITY, BENCH_PROVINCE, ensureBenchApiKeys } from './lib/apikey.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const env = process.env;
const SEED = Number(env.BENCH_SEED ?? 20231001);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
const ENTERPRISE_ID = 12345;
const BUDGET_MINUTES = Number(env.BENCH_BUDGET_MINUTES ?? 25);
const log = (line) => console.log(`[bench] ${line}`);
const verbose = env.BENCH_VERBOSE === '1' ? log : () => {};

/** Node flags of the timed API process, e.g. BENCH_API_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const apiNodeFlags = env.BENCH_API_NODE_FLAGS ? env.BENCH_API_NODE_FLAGS.split(' ') : [];

function apiEnv(db, extra = {}) {
  return {
    DATABASE_URL: db.url,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_POOL_MAX: '20',
    AIRLEDGER_SEED_DEMO: 'false',
    AIRLEDGER_EXPOSE_SQL_COUNT: 'false',
    // A benchmark sends thousands of requests a second from one address.
    AIRLEDGER_RATE_LIMIT: 'false',
    // No access line per request: the bench keeps a server's output in memory (lib/procs.mjs),
    // and the other engines log nothing per request either.
    AIRLEDGER_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * How each engine is asked a query of a caller: the API with the caller's key (anonymous: none),
 * PostGraphile with the header that picks the caller's PostgreSQL settings (row-level security),
 * the reference at the statement of the caller's scope.
 */
function requestOf(engine, q) {
  if (engine.kind === 'reference') return { path: `/${q.reference.name}`, body: JSON.stringify({ params: q.reference.params }), headers: {} };
  const query = engine.kind === 'api' ? q.api : engine.kind === 'postgraphile' ? q.postgraphile : q.postgraphile5 ?? q.postgraphile;
  if (!query) return null;
  const headers = engine.kind === 'api' ? (q.apiKey ? { authorization: `Bearer ${q.apiKey}` } : {}) : { 'x-bench-caller': q.caller };
  return { path: '/graphql', body: JSON.stringify({ query }), headers };
}

async function ask(engine, q) {
  const r = requestOf(engine, q);
  const res = await fetch(engine.server.base + r.path, { method: 'POST', headers: { 'content-type': 'application/json', ...r.headers }, body: r.body });
  const json = await res.json();
  if (json.errors?.length) throw new Error(`${engine.name} ${q.id}: ${JSON.stringify(json.errors).slice(0, 600)}`);
  return json;
}

function canonicalAnswer(engine, q, json) {
  return canonical(engine.kind === 'reference' ? json.data : q.pick(json.data));
}

/** Drops the fields an engine cannot answer alike (PostGraphile has no masking of personal data). */
function omitting(value, keys) {
  if (!keys?.length) return value;
  if (Array.isArray(value)) return value.map((v) => omitting(v, keys));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, omitting(v, keys)]));
  return value;
}
const omitsOf = (engine, q) => (engine.kind === 'postgraphile' || engine.kind === 'postgraphile5' ? q.postgraphileOmits : null);

function firstDifference(a, b, at = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}/${k}`);
      if (d) return d;
    }
  }
  return `${at || '/'}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

function cannon(engine, q, seconds) {
  const r = requestOf(engine, q);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: engine.server.base + r.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...r.headers },
        body: r.body,
        connections: CONNECTIONS,
        duration: seconds,
        pipelining: 1,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const started = Date.now();
  const db = await openBenchDatabase(log);
  const servers = [];
  try {
    await ensureDataset(db.url, SEED, log);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const pgVersion = (await admin.query('show server_version')).rows[0].server_version;
    const counts = (await admin.query(`select (select count(*) from city)::int as cities, (select count(*) from enterprise)::int as enterprises,
      (select count(*) from grade_change)::int as grade_changes, (select count(*) from retrofit_project)::int as projects,
      (select count(*) from disbursement)::int as disbursements, (select count(*) from air_quality_observation)::int as observations`)).rows[0];
    await admin.end();
    log(`dataset: ${JSON.stringify(counts)}`);

    const wantEngines = env.BENCH_ENGINES ? new Set(env.BENCH_ENGINES.split(',')) : null;
    const engines = [];
    const add = async (name, kind, opts) => {
      if (wantEngines && !wantEngines.has(name)) return;
      const server = await startServer({ name, log: verbose, ...opts });
      servers.push(server);
      engines.push({ name, kind, server });
      log(`${name} listening on ${server.port}`);
    };
    await add('api', 'api', { command: process.execPath, args: [...apiNodeFlags, path.join(repo, 'packages/api/dist/main.js')], env: apiEnv(db) });
    // The API has applied its migrations now; reads of some collections need a key.
    const keys = await ensureBenchApiKeys(db.url);
    await add('postgraphile4', 'postgraphile', { command: process.execPath, args: [path.join(here, 'servers/postgraphile4.mjs')], env: { DATABASE_URL: db.url, NODE_ENV: 'production' } });
    let pg5Note = '';
    if (env.BENCH_NO_PG5 !== '1' && (!findNode22() || !postgraphile5Available()) && (!wantEngines || wantEngines.has('postgraphile5'))) {
      log('installing PostGraphile 5 and Node 22 (npm package node@22) into bench/pg5 ...');
      try {
        execFileSync('npm', ['install', '--prefix', path.join(here, 'pg5'), '--no-audit', '--no-fund'], { stdio: 'ignore', timeout: 600_000 });
      } catch (error) {
        log(`npm install in bench/pg5 failed: ${String(error.message).split('\n')[0]}`);
      }
    }
    const node22 = env.BENCH_NO_PG5 === '1' ? null : findNode22();
    if (!node22) pg5Note = env.BENCH_NO_PG5 === '1' ? 'PostGraphile 5 not run (BENCH_NO_PG5=1).' : 'PostGraphile 5 not run: no Node 22 binary (the npm package node@22 did not install here).';
    else if (!postgraphile5Available()) pg5Note = `PostGraphile 5 not run: Node 22 is at ${node22} but postgraphile@5 is not installed in bench/pg5.`;
    else {
      try {
        await add('postgraphile5', 'postgraphile5', { command: node22, args: [path.join(here, 'pg5/server.mjs')], env: { DATABASE_URL: db.url, NODE_ENV: 'production', GRAPHILE_ENV: 'production' } });
      } catch (error) {
        pg5Note = `PostGraphile 5 did not start: ${String(error.message).split('\n')[0]}`;
      }
    }
    if (pg5Note) log(pg5Note);
    await add('reference', 'reference', { command: process.execPath, args: [path.join(here, 'servers/reference.mjs')], env: { DATABASE_URL: db.url }, ready: '/Q3', readyBody: { params: [1] } });

    const wantQueries = env.BENCH_QUERIES ? new Set(env.BENCH_QUERIES.split(',')) : null;
    const wantCallers = env.BENCH_CALLERS ? new Set(env.BENCH_CALLERS.split(',')) : null;
    const callers = await callerClasses(db.url, keys);
    const casesOf = (scale) =>
      CALLER_CLASSES.filter((c) => !wantCallers || wantCallers.has(c))
        .flatMap((c) => buildQueries({ enterpriseId: ENTERPRISE_ID, province: BENCH_PROVINCE, city: BENCH_CITY, scale, caller: callers[c] }).map((q) => ({ ...q, apiKey: callers[c].apiKey })))
        .filter((q) => !wantQueries || wantQueries.has(q.id))
        .map((q) => ({ ...q, key: `${q.id} ${CALLER_LABELS[q.caller]}` }))
        .sort((a, b) => a.id.localeCompare(b.id) || CALLER_CLASSES.indexOf(a.caller) - CALLER_CLASSES.indexOf(b.caller));
    const queries = casesOf(1);
    log(`${queries.length} rows: ${queries.map((q) => q.key).join(', ')}`);

    // 1. Same data from every engine before anything is timed.
    const verified = new Map();
    for (const q of queries) {
      const ref = engines.find((e) => e.kind === 'reference');
      const expected = ref ? canonicalAnswer(ref, q, await ask(ref, q)) : null;
      for (const e of engines) {
        if (!requestOf(e, q)) continue;
        let got;
        try {
          got = omitting(canonicalAnswer(e, q, await ask(e, q)), omitsOf(e, q));
        } catch (error) {
          got = { error: String(error.message).slice(0, 300) };
        }
        if (env.BENCH_DUMP_ANSWERS) {
          fs.mkdirSync(env.BENCH_DUMP_ANSWERS, { recursive: true });
          fs.writeFileSync(path.join(env.BENCH_DUMP_ANSWERS, `${q.key.replace(' ', '-')}.${e.name}.json`), JSON.stringify(got, null, 1));
        }
        const diff = expected ? firstDifference(got, omitting(expected, omitsOf(e, q))) : null;
        verified.set(`${e.name}:${q.key}`, !diff);
        if (diff) log(`ANSWER DIFFERS ${e.name} ${q.key} ${diff}`);
      }
      log(`${q.key} answers checked: ${engines.filter((e) => requestOf(e, q)).map((e) => `${e.name} ${verified.get(`${e.name}:${q.key}`) ? 'same' : 'DIFFERENT'}`).join(', ')}`);
    }

    // 2. Timed rounds: every engine gets a warm-up, then the engines alternate round by round.
    const timing = timingOf(queries, (q) => engines.filter((e) => requestOf(e, q)).length);
    log(`timing: ${timing.describe}`);
    const results = new Map();
    for (let round = 0; round < Math.max(ROUNDS, timing.caller.rounds); round++) {
      for (const q of queries) {
        const t = timing.of(q);
        if (round >= t.rounds) continue;
        const order = engines.filter((e) => requestOf(e, q));
        const rotated = order.map((_, i) => order[(i + round) % order.length]);
        for (const e of rotated) {
          if (t.warmup > 0) await cannon(e, q, t.warmup);
          const r = await cannon(e, q, t.duration);
          const key = `${e.name}:${q.key}`;
          if (!results.has(key)) results.set(key, []);
          results.get(key).push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx });
          log(`round ${round + 1} ${q.key} ${e.name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.errors + r.timeouts + r.non2xx ? `, ${r.errors + r.timeouts + r.non2xx} errors/non-2xx` : ''}`);
        }
      }
    }

    // 3. The API's SQL statements per request, in a separate process that counts them.
    const sqlCounts = new Map();
    if (!wantEngines || wantEngines.has('api')) {
      const counting = await startServer({ name: 'api-counting', command: process.execPath, args: [path.join(repo, 'packages/api/dist/main.js')], env: apiEnv(db, { AIRLEDGER_EXPOSE_SQL_COUNT: 'true' }), log: verbose });
      servers.push(counting);
      const eng = { name: 'api-counting', kind: 'api', server: counting };
      const big = casesOf(2);
      for (const q of queries) {
        const small = (await ask(eng, q)).extensions?.sqlStatements;
        const large = (await ask(eng, big.find((b) => b.key === q.key))).extensions?.sqlStatements;
        sqlCounts.set(q.key, { small, large });
      }
      await counting.stop();
    }

    // 4. The table.
    const summary = (key) => {
      const rs = results.get(key);
      if (!rs) return null;
      return { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((a, r) => a + r.errors, 0) };
    };
    const names = engines.map((e) => e.name);
    const rows = [];
    for (const q of queries) {
      const api = summary(`api:${q.key}`);
      const pgs = ['postgraphile4', 'postgraphile5'].map((n) => summary(`${n}:${q.key}`)).filter(Boolean);
      const bestPg = pgs.length ? pgs.reduce((a, b) => (b.rps > a.rps ? b : a)) : null;
      const ref = summary(`reference:${q.key}`);
      rows.push({ q, api, bestPg, ref, per: Object.fromEntries(names.map((n) => [n, summary(`${n}:${q.key}`)])) });
    }
    // A round in which no request finished (each took longer than the round) has no latency to show.
    const fmt = (s) => (s ? `${s.rps.toFixed(0)} (${s.rps > 0 ? `${s.p50}/${s.p99} ms` : 'none answered within a round'})${s.errors ? ` ${s.errors} err` : ''}` : 'n/a');
    const ratio = (a, b) => (a && b && b.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}x` : 'n/a');
    const header = ['query', ...names.map((n) => `${n} req/s (p50/p99)`), 'api / best PostGraphile', 'api / hand-written', 'api SQL statements (page x1 / x2)', 'answers'];
    const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
    for (const r of rows) {
      const sql = sqlCounts.get(r.q.key);
      const checked = names.filter((n) => verified.has(`${n}:${r.q.key}`));
      const same = checked.every((n) => verified.get(`${n}:${r.q.key}`));
      const partly = r.q.postgraphileOmits?.length && engines.some((e) => checked.includes(e.name) && omitsOf(e, r.q)) ? ' (PostGraphile: household name and id number not compared, it has no masking)' : '';
      lines.push(`| ${r.q.key}: ${r.q.title} | ${names.map((n) => fmt(r.per[n])).join(' | ')} | ${ratio(r.api, r.bestPg)}${r.api?.rps > 0 && r.bestPg?.rps > 0 ? ` (p99 ${r.api.p99} vs ${r.bestPg.p99} ms)` : ''} | ${ratio(r.api, r.ref)} | ${sql ? `${sql.small} / ${sql.large}` : 'n/a'} | ${same ? 'same' : `DIFFERENT (${checked.filter((n) => !verified.get(`${n}:${r.q.key}`)).join(', ')})`}${partly} |`);
    }
    const table = lines.join('\n');
    const cpu = os.cpus();
    const machine = `${cpu.length} cores (${cpu[0]?.model?.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${pgVersion} (${db.description.split(' (')[0]}), ${os.type()} ${os.release()}`;
    const settings = `${CONNECTIONS} connections, ${timing.describe}; medians of the rounds; every server one Node process with a pool of 20`;
    const dataset = `seed ${SEED}: ${counts.cities} cities, ${counts.enterprises} enterprises, ${counts.grade_changes} grade changes, ${counts.projects} retrofit projects, ${counts.disbursements} disbursements, ${counts.observations} daily observations`;
    console.log(`\n${machine}\n${dataset}\n${settings}\n\n${table}\n`);
    if (pg5Note) console.log(pg5Note);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (env.BENCH_NO_WRITE !== '1' && !wantQueries && !wantEngines && !wantCallers) {
      const file = path.join(here, 'RESULTS.md');
      const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const notes = old.includes('<!-- notes -->') ? old.slice(old.indexOf('<!-- notes -->')) : '<!-- notes -->\n';
      fs.writeFileSync(
        file,
        `# Benchmark results\n\nLatest \`pnpm bench\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC).\n\n` +
          `- Machine: ${machine}\n- Dataset: ${dataset}\n- Load: ${settings}\n` +
          (pg5Note ? `- ${pg5Note}\n` : '') +
          `\n${table}\n\nCells: median req/s of the rounds (median p50 / p99 latency in ms). "api SQL statements": statements one request sends, ` +
          `counted in a separate API process (AIRLEDGER_EXPOSE_SQL_COUNT=true) at the page sizes above and at twice those page sizes. ` +
          `${CALLERS_NOTE}\n\n${notes}`,
      );
      log(`wrote ${path.relative(repo, file)}`);
    }
  } finally {
    for (const s of servers.reverse()) await s.stop().catch(() => {});
    await db.stop();
  }
}

const CALLERS_NOTE =
  `Callers: "anonymous" no key (public data only); "national" a national READ_ONLY key; "PROVINCE" a PROVINCE key of ${BENCH_PROVINCE} (its cities only); ` +
  `"CITY" a CITY key of ${BENCH_CITY}; "MINISTRY" a MINISTRY key. PostGraphile reads under the same row-level security (pgSettings: role airledger_app and ` +
  `app.city_ids of the caller's cities for PROVINCE and CITY, airledger_national for the others), the hand-written SQL carries \`city_id = any($cities)\` ` +
  `for PROVINCE and CITY and masks personal data in SQL where the API masks it.`;

/**
 * The callers of the bench: key, city ids (null: every city), Q3's enterprise (the first at or
 * after ENTERPRISE_ID within the caller's cities) and whose personal data it sees in full.
 */
async function callerClasses(url, keys) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const scopes = await benchScopes(c);
    const firstEnterprise = async (cityIds) =>
      Number((await c.query('select min(id) as id from enterprise where id >= $1 and city_id = any($2::int[])', [ENTERPRISE_ID, cityIds])).rows[0].id);
    const common = { paidCityId: scopes.cityId, enterpriseId: null };
    return {
      anonymous: { ...common, name: 'anonymous', apiKey: null, cityIds: null, personalDataOf: () => false },
      national: { ...common, name: 'national', apiKey: keys.national, cityIds: null, personalDataOf: () => false },
      province: { ...common, name: 'province', apiKey: keys.province, cityIds: scopes.provinceCityIds, enterpriseId: await firstEnterprise(scopes.provinceCityIds), personalDataOf: () => false },
      city: { ...common, name: 'city', apiKey: keys.city, cityIds: [scopes.cityId], enterpriseId: await firstEnterprise([scopes.cityId]), personalDataOf: (id) => id === scopes.cityId },
      ministry: { ...common, name: 'ministry', apiKey: keys.ministry, cityIds: null, personalDataOf: () => true },
    };
  } finally {
    await c.end();
  }
}

/**
 * Rounds, seconds and warm-up of each row: the national rows as set (BENCH_ROUNDS, BENCH_DURATION,
 * BENCH_WARMUP); the other callers' rows alike unless that would take more than BENCH_BUDGET_MINUTES,
 * then BENCH_CALLER_ROUNDS x BENCH_CALLER_DURATION s after BENCH_CALLER_WARMUP s (2 x 5 s after 2 s).
 */
function timingOf(queries, enginesOf) {
  const national = { rounds: ROUNDS, duration: DURATION, warmup: WARMUP };
  const seconds = (t, qs) => qs.reduce((a, q) => a + enginesOf(q) * t.rounds * (t.duration + t.warmup), 0);
  const others = queries.filter((q) => q.caller !== 'national');
  const explicit = env.BENCH_CALLER_ROUNDS || env.BENCH_CALLER_DURATION || env.BENCH_CALLER_WARMUP;
  const short = {
    rounds: Number(env.BENCH_CALLER_ROUNDS ?? 2),
    duration: Number(env.BENCH_CALLER_DURATION ?? 5),
    warmup: Number(env.BENCH_CALLER_WARMUP ?? 2),
  };
  const caller = explicit || seconds(national, queries) > BUDGET_MINUTES * 60 ? short : national;
  const of = (q) => (q.caller === 'national' ? national : caller);
  const total = seconds(national, queries.filter((q) => q.caller === 'national')) + seconds(caller, others);
  const phrase = (t) => `${t.rounds} alternating rounds of ${t.duration} s after a ${t.warmup} s warm-up per engine and query`;
  const describe =
    caller === national || !others.length
      ? `${phrase(national)} (about ${Math.round(total / 60)} min of load)`
      : `national rows: ${phrase(national)}; other callers' rows: ${phrase(caller)} (about ${Math.round(total / 60)} min of load)`;
  return { national, caller, of, describe };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
