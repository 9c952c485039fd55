/**
 * The bench database: DATABASE_URL (an admin URL of a PostgreSQL server) or an embedded
 * PostgreSQL 17 whose data folder lives under os.tmpdir() and is kept between runs, so that the
 * dataset is loaded once per seed (BENCH_FRESH=1 starts from an empty cluster).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../packages/api/dist/db/embedded.js';
import { ensureDatabase } from '../../packages/api/dist/db/database.js';

export const BENCH_DB = 'airledger_bench';

export async function openBenchDatabase(log = console.log) {
  if (process.env.DATABASE_URL) {
    const url = await ensureDatabase(process.env.DATABASE_URL, BENCH_DB);
    return { url, adminUrl: process.env.DATABASE_URL, embedded: null, description: 'DATABASE_URL', stop: async () => {} };
  }
  const root = path.join(os.tmpdir(), 'airledger-bench');
  const dataDir = path.join(root, 'pg17');
  if (process.env.BENCH_FRESH === '1') fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  fs.chmodSync(root, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: true, log: process.env.BENCH_PG_LOG === '1' ? (l) => console.log(`[pg] ${l}`) : () => {} });
  log(`embedded PostgreSQL in ${dataDir} (port ${embedded.port})`);
  const url = await ensureDatabase(embedded.url, BENCH_DB);
  return { url, adminUrl: embedded.url, embedded, dataDir, description: `embedded PostgreSQL 17 (${dataDir})`, stop: () => embedded.stop() };
}
