/**
 * `pnpm bench:restart`: restarts PostgreSQL under load and shows the API recovering by itself.
 *
 * One API process (built dist, NODE_ENV=production, pool 20) on the bench database (embedded
 * PostgreSQL, see run.mjs); 20 concurrent clients send Q3 (one enterprise by id) and Q1 in turns
 * for BENCH_RESTART_SECONDS (20). After 5 s PostgreSQL is stopped (fast shutdown: every connection
 * is cut) and started again on the same port. Every answer is checked (HTTP status and GraphQL
 * errors); the run prints how many requests failed, over which window, and that requests
 * succeed again afterwards through the same API process (no restart of the API).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchDatabase } from './lib/database.mjs';
import { ensureDataset } from './dataset.mjs';
import { startServer } from './lib/procs.mjs';
import { buildQueries } from './queries.mjs';
import { ensureBenchApiKey } from './lib/apikey.mjs';
import { startEmbeddedPostgres } from '../packages/api/dist/db/embedded.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const SECONDS = Number(process.env.BENCH_RESTART_SECONDS ?? 20);
const RESTART_AT = 5;
const log = (line) => console.log(`[restart] ${line}`);

async function main() {
  if (process.env.DATABASE_URL) throw new Error('bench/restart.mjs restarts the embedded PostgreSQL: run it without DATABASE_URL.');
  let db = await openBenchDatabase(log);
  let pgHandle = db;
  const api = await startServer({
    name: 'api',
    command: process.execPath,
    args: [path.join(repo, 'packages/api/dist/main.js')],
    env: { DATABASE_URL: db.url, NODE_ENV: 'production', HOST: '127.0.0.1', DATABASE_POOL_MAX: '20', AIRLEDGER_SEED_DEMO: 'false', AIRLEDGER_RATE_LIMIT: 'false' },
  });
  try {
    await ensureDataset(db.url, Number(process.env.BENCH_SEED ?? 20231001), log);
    const key = await ensureBenchApiKey(db.url);
    const queries = buildQueries({ enterpriseId: 12345 }).filter((q) => q.id === 'Q3' || q.id === 'Q1');
    const headers = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
    const t0 = Date.now();
    const samples = [];
    let stop = false;
    const worker = async (w) => {
      let i = w;
      while (!stop) {
        const q = queries[i++ % queries.length];
        const started = Date.now() - t0;
        let ok = false;
        let why = '';
        try {
          const res = await fetch(`${api.base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: q.api }), signal: AbortSignal.timeout(10_000) });
          const body = await res.json();
          ok = res.status === 200 && !body.errors?.length && Boolean(q.pick(body.data));
          if (!ok) why = `${res.status} ${body.errors?.[0]?.extensions?.code ?? ''} ${String(body.errors?.[0]?.message ?? '').slice(0, 80)}`;
        } catch (error) {
          why = String(error.message ?? error).slice(0, 80);
        }
        samples.push({ at: started, ok, why });
      }
    };
    const workers = Array.from({ length: 20 }, (_, w) => worker(w));
    let restartedAt = 0;
    let upAt = 0;
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, RESTART_AT * 1000));
      restartedAt = Date.now() - t0;
      log(`stopping PostgreSQL at ${(restartedAt / 1000).toFixed(1)} s`);
      await pgHandle.stop();
      const embedded = await startEmbeddedPostgres({ dataDir: db.dataDir, port: db.embedded.port, persistent: true });
      pgHandle = { stop: () => embedded.stop() };
      upAt = Date.now() - t0;
      log(`PostgreSQL up again at ${(upAt / 1000).toFixed(1)} s`);
    })();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    stop = true;
    await Promise.all([...workers, restart]);

    const failed = samples.filter((s) => !s.ok);
    const okAfter = samples.filter((s) => s.ok && s.at > upAt);
    const lastFail = failed.length ? Math.max(...failed.map((s) => s.at)) : null;
    const firstFail = failed.length ? Math.min(...failed.map((s) => s.at)) : null;
    const reasons = new Map();
    for (const f of failed) reasons.set(f.why, (reasons.get(f.why) ?? 0) + 1);
    console.log('');
    console.log(`requests: ${samples.length}, failed: ${failed.length} (${((failed.length / samples.length) * 100).toFixed(2)} %)`);
    console.log(`PostgreSQL down from ${(restartedAt / 1000).toFixed(2)} s to ${(upAt / 1000).toFixed(2)} s (${((upAt - restartedAt) / 1000).toFixed(2)} s)`);
    if (failed.length) console.log(`failures from ${(firstFail / 1000).toFixed(2)} s to ${(lastFail / 1000).toFixed(2)} s: ${((lastFail - firstFail) / 1000).toFixed(2)} s of errors`);
    for (const [why, n] of [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 6)) console.log(`  ${n} x ${why}`);
    console.log(`after the restart: ${okAfter.length} successful requests through the same API process (pid ${api.child.pid}, never restarted)`);
    const perSecond = new Map();
    for (const s of samples) {
      const k = Math.floor(s.at / 1000);
      const v = perSecond.get(k) ?? { ok: 0, failed: 0 };
      v[s.ok ? 'ok' : 'failed']++;
      perSecond.set(k, v);
    }
    console.log('second  ok  failed');
    for (const [k, v] of [...perSecond].sort((x, y) => x[0] - y[0])) console.log(`${String(k).padStart(6)} ${String(v.ok).padStart(4)} ${String(v.failed).padStart(7)}`);
    if (!okAfter.length) {
      process.exitCode = 1;
      console.log('THE API DID NOT RECOVER');
    }
  } finally {
    await api.stop();
    await pgHandle.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
