/**
 * The API key the bench sends to this API (reads of some collections, e.g. retrofit projects,
 * need one): a national READ_ONLY key, stored by its hash like any other key. Created once the
 * API has applied its migrations; null when the API has no api_key table.
 */
import pg from 'pg';
import { hashApiKey } from '../../packages/api/dist/common/auth.js';

export const BENCH_API_KEY = 'airl_bench_read_only_key_not_a_secret_0000000000';

export async function ensureBenchApiKey(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`select to_regclass('api_key') is not null as present`);
    if (!rows[0].present) return null;
    await c.query(
      `insert into api_key (created_by, updated_by, name, role, prefix, secret_hash) values ('system:bench', 'system:bench', 'bench (read only)', 'READ_ONLY', $1, $2)
       on conflict (secret_hash) do nothing`,
      [BENCH_API_KEY.slice(0, 12), hashApiKey(BENCH_API_KEY)],
    );
    return BENCH_API_KEY;
  } finally {
    await c.end();
  }
}
