/**
 * Memory of a streamed export: builds a database with 1,000,000 air quality observation rows
 * (generate_series, a few seconds), starts the API server as a child process, downloads
 * GET /exports/air-quality-observations.csv of every row, and prints the rows, the seconds and
 * the rise of the server's resident memory (peak during the download, sampled from
 * /proc/<pid>/status every 20 ms, and VmHWM, against VmRSS just before the download).
 *
 *   pnpm build && node bench/export-memory.mjs
 *
 * Settings (environment): DATABASE_URL (admin URL of a PostgreSQL server; default: an embedded
 * PostgreSQL in a temporary folder, removed afterwards), EXPORT_ROWS (1000000), EXPORT_FORMAT
 * (csv or xlsx), EXPORT_LIMIT_MB (100: exit code 1 when the rise is larger).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = path.resolve(here, '../packages/api');
const dist = (p) => pathToFileURL(path.join(api, 'dist', p)).href;
if (!fs.existsSync(path.join(api, 'dist/main.js'))) {
  console.error('Build first: pnpm build');
  process.exit(2);
}
const pg = createRequire(path.join(api, 'package.json'))('pg');
const { startEmbeddedPostgres, freePort } = await import(dist('db/embedded.js'));
const { ensureDatabase, connectAndMigrate } = await import(dist('db/database.js'));
const { seedPlan } = await import(dist('seeders/index.js'));
const { API_KEY_PREFIX_LENGTH, hashApiKey } = await import(dist('common/auth.js'));

const ROWS = Number(process.env.EXPORT_ROWS ?? 1_000_000);
const FORMAT = process.env.EXPORT_FORMAT ?? 'csv';
const LIMIT_MB = Number(process.env.EXPORT_LIMIT_MB ?? 100);
const TOKEN = 'airl_bench-export-memory-ministry-key';
const log = (line) => console.log(`[export-memory] ${line}`);

let embedded;
let tmp;
let server;
try {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-export-bench-'));
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false });
    adminUrl = embedded.url;
  }
  const dbName = `airledger_export_bench_${Date.now().toString(36)}`;
  const url = await ensureDatabase(adminUrl, dbName);
  const orm = await connectAndMigrate(url, 2);
  await seedPlan(orm);
  await orm.close(true);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let t = Date.now();
  // 56 cities x 20 stations x 893 days = 1,000,160 combinations, cut to ROWS.
  const days = Math.ceil(ROWS / (56 * 20));
  await client.query(
    `insert into air_quality_observation (city_id, observed_on, station_code, pm25, pm10, no2, aqi, origin, created_by, updated_by)
     select c.id, date '2021-01-01' + d, 'ST' || lpad(s::text, 2, '0'),
       round((10 + random() * 240)::numeric, 1), round((20 + random() * 300)::numeric, 1), round((5 + random() * 80)::numeric, 1),
       (20 + random() * 300)::int, 'DEMO', 'bench', 'bench'
     from city c, generate_series(0, $1::int - 1) d, generate_series(1, 20) s
     limit $2`,
    [days, ROWS],
  );
  await client.query('analyze air_quality_observation');
  await client.query(
    `insert into api_key (name, role, prefix, secret_hash, created_by, updated_by) values ('export bench', 'MINISTRY', $1, $2, 'bench', 'bench')`,
    [TOKEN.slice(0, API_KEY_PREFIX_LENGTH), hashApiKey(TOKEN)],
  );
  const { rows: [{ n }] } = await client.query(`select count(*)::int as n from air_quality_observation where station_code is not null`);
  await client.end();
  log(`dataset: ${n.toLocaleString('en-US')} station observations in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const port = await freePort();
  server = spawn(process.execPath, [path.join(api, 'dist/main.js')], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', AIRLEDGER_SEED_DEMO: 'false', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve();
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const status = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) * 1024;
  // Warm up (schema, pools, code paths), then settle.
  await (await fetch(`${base}/exports/cities.csv`, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 500));
  const before = status('VmRSS');
  const hwmBefore = status('VmHWM');
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, status('VmRSS'));
  }, 20);

  t = Date.now();
  const filter = encodeURIComponent(JSON.stringify({ cityWideOnly: false }));
  const res = await fetch(`${base}/exports/air-quality-observations.${FORMAT}?filter=${filter}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`export failed: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (FORMAT === 'csv') for (const b of chunk) if (b === 10) lines++;
  }
  const seconds = (Date.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, status('VmRSS'));
  const hwmAfter = status('VmHWM');
  const mb = (x) => (x / 1024 / 1024).toFixed(1);
  const rise = Math.max(peak, hwmAfter > hwmBefore ? hwmAfter : 0) - before;
  if (FORMAT === 'csv') log(`rows: ${(lines - 1).toLocaleString('en-US')} (header excluded)`);
  log(`bytes: ${mb(bytes)} MB in ${seconds.toFixed(1)} s (${Math.round(n / seconds).toLocaleString('en-US')} rows/s)`);
  log(`server RSS before: ${mb(before)} MB; peak during the download: ${mb(peak)} MB; VmHWM ${mb(hwmBefore)} -> ${mb(hwmAfter)} MB`);
  log(`peak RSS rise: ${mb(rise)} MB (limit ${LIMIT_MB} MB)`);
  if (FORMAT === 'csv' && lines - 1 !== n) throw new Error(`expected ${n} rows, got ${lines - 1}`);
  process.exitCode = rise > LIMIT_MB * 1024 * 1024 ? 1 : 0;
} finally {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (embedded) await embedded.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
