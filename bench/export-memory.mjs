/**
 * Memory of a streamed export: builds a database with 1,000,000 air quality observation rows
 * (generate_series, a few seconds), then for each format (CSV, then xlsx) starts the API server
 * as a child process, downloads GET /exports/air-quality-observations.<format> of every row, and
 * prints the rows, the seconds and the rise of the server's resident memory (peak during the
 * download, sampled from /proc/<pid>/status every 20 ms, and VmHWM, against VmRSS just before the
 * download). Each format gets a fresh server, so that one download's garbage does not count
 * against the other. The rows of the file are counted (the xlsx sheets are inflated and their
 * <row> elements counted) and must be the rows of the table.
 *
 *   pnpm build && node bench/export-memory.mjs
 *
 * Settings (environment): DATABASE_URL (admin URL of a PostgreSQL server; default: an embedded
 * PostgreSQL in a temporary folder, removed afterwards), EXPORT_ROWS (1000000), EXPORT_FORMAT
 * (csv, xlsx or csv,xlsx: the default), EXPORT_LIMIT_MB (100: exit code 1 when a rise is larger).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: pnpm build && node bench/export-memory.mjs

Exports EXPORT_ROWS air quality observations through GET /exports/air-quality-observations.<format>
and prints the rise of the server's peak resident memory for each format.

Environment:
  EXPORT_ROWS      rows in the table (default 1000000)
  EXPORT_FORMAT    csv, xlsx, or both comma-separated (default csv,xlsx)
  EXPORT_LIMIT_MB  largest acceptable rise in MB (default 100; exit code 1 above it)
  DATABASE_URL     admin URL of a PostgreSQL server (default: a temporary embedded PostgreSQL)`);
  process.exit(0);
}

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
const FORMATS = (process.env.EXPORT_FORMAT ?? 'csv,xlsx').split(',').map((f) => f.trim()).filter(Boolean);
for (const f of FORMATS) if (f !== 'csv' && f !== 'xlsx') throw new Error(`EXPORT_FORMAT: csv or xlsx, not ${f}`);
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

  const results = [];
  for (const format of FORMATS) results.push(await measure(url, n, format));
  log('summary (peak RSS rise of the server while exporting every row):');
  for (const r of results) log(`  ${r.format.padEnd(4)} ${r.rise.toFixed(1).padStart(6)} MB  ${r.seconds.toFixed(1).padStart(5)} s  ${r.mb.toFixed(1).padStart(6)} MB file  ${r.rise > LIMIT_MB ? 'OVER' : 'within'} the ${LIMIT_MB} MB limit`);
  process.exitCode = results.some((r) => r.rise > LIMIT_MB) ? 1 : 0;
} finally {
  await stopServer();
  if (embedded) await embedded.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

async function stopServer() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  server = undefined;
}

/** Rows of an xlsx file: the <row> elements of its sheets, less one header row per sheet. */
function xlsxRows(file) {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  let rows = 0;
  for (let i = 0; i < count; i++) {
    const method = file.readUInt16LE(at + 10);
    const compressed = file.readUInt32LE(at + 20);
    const nameLength = file.readUInt16LE(at + 28);
    const extra = file.readUInt16LE(at + 30);
    const comment = file.readUInt16LE(at + 32);
    const offset = file.readUInt32LE(at + 42);
    const name = file.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extra + comment;
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    const start = offset + 30 + file.readUInt16LE(offset + 26) + file.readUInt16LE(offset + 28);
    const data = file.subarray(start, start + compressed);
    const xml = method === 8 ? zlib.inflateRawSync(data) : data;
    const tag = Buffer.from('</row>');
    for (let p = xml.indexOf(tag); p !== -1; p = xml.indexOf(tag, p + tag.length)) rows++;
    rows--; // the header
  }
  return rows;
}

/** Starts a fresh server, exports every row in the format, and returns the figures. */
async function measure(url, n, format) {
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
  // Warm up (schema, pools, code paths of the format), then settle.
  await (await fetch(`${base}/exports/cities.${format}`, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer();
  await new Promise((r) => setTimeout(r, 500));
  const before = status('VmRSS');
  const hwmBefore = status('VmHWM');
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, status('VmRSS'));
  }, 20);

  const t = Date.now();
  const filter = encodeURIComponent(JSON.stringify({ cityWideOnly: false }));
  const res = await fetch(`${base}/exports/air-quality-observations.${format}?filter=${filter}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`export failed: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  const chunks = [];
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (format === 'csv') {
      for (const b of chunk) if (b === 10) lines++;
    } else chunks.push(chunk);
  }
  const seconds = (Date.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, status('VmRSS'));
  const hwmAfter = status('VmHWM');
  await stopServer();
  const mb = (x) => (x / 1024 / 1024).toFixed(1);
  const rise = Math.max(peak, hwmAfter > hwmBefore ? hwmAfter : 0) - before;
  const rows = format === 'csv' ? lines - 1 : xlsxRows(Buffer.concat(chunks));
  log(`${format}: rows: ${rows.toLocaleString('en-US')} (header excluded)`);
  log(`${format}: bytes: ${mb(bytes)} MB in ${seconds.toFixed(1)} s (${Math.round(n / seconds).toLocaleString('en-US')} rows/s)`);
  log(`${format}: server RSS before: ${mb(before)} MB; peak during the download: ${mb(peak)} MB; VmHWM ${mb(hwmBefore)} -> ${mb(hwmAfter)} MB`);
  log(`${format}: peak RSS rise: ${mb(rise)} MB (limit ${LIMIT_MB} MB)`);
  if (rows !== n) throw new Error(`${format}: expected ${n} rows, got ${rows}`);
  return { format, rise: rise / 1024 / 1024, seconds, mb: bytes / 1024 / 1024 };
}
