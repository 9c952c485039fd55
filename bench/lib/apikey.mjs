/**
 * The API keys the bench sends to this API, one per caller class, stored by their hash like any
 * other key (only the columns every version of api_key has are written):
 * - national: a READ_ONLY key of every city (reads of some collections, e.g. retrofit projects,
 *   need a key; personal data masked);
 * - province: a PROVINCE key of BENCH_PROVINCE (hebei): its cities only;
 * - city: a CITY key of BENCH_CITY (tangshan): its city only, personal data of its payments in full;
 * - ministry: a MINISTRY key (every city, personal data in full).
 * Created once the API has applied its migrations; null keys when the API has no api_key table.
 */
import pg from 'pg';
import { hashApiKey } from '../../packages/api/dist/common/auth.js';
import { BENCH_CITY, BENCH_PROVINCE, benchScopes } from './callers.mjs';

export const BENCH_API_KEY = 'airl_bench_read_only_key_not_a_secret_0000000000';
export { BENCH_CITY, BENCH_PROVINCE, benchScopes };

const KEYS = {
  national: { secret: BENCH_API_KEY, name: 'bench (read only)', role: 'READ_ONLY' },
  province: { secret: 'airl_bench_province_key_not_a_secret_00000000000', name: 'bench (province)', role: 'PROVINCE', province: true },
  city: { secret: 'airl_bench_city_key_not_a_secret_000000000000000', name: 'bench (city)', role: 'CITY', city: true },
  ministry: { secret: 'airl_bench_ministry_key_not_a_secret_00000000000', name: 'bench (ministry)', role: 'MINISTRY' },
};

/** The national READ_ONLY key (kept for the scripts that send one key). */
export async function ensureBenchApiKey(url) {
  return (await ensureBenchApiKeys(url)).national;
}

/** Every bench key: { national, province, city, ministry } (secrets), created when missing. */
export async function ensureBenchApiKeys(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`select to_regclass('api_key') is not null as present`);
    if (!rows[0].present) return { national: null, province: null, city: null, ministry: null };
    const scopes = await benchScopes(c);
    const out = {};
    for (const [caller, k] of Object.entries(KEYS)) {
      await c.query(
        `insert into api_key (created_by, updated_by, name, role, province_id, city_id, prefix, secret_hash)
         values ('system:bench', 'system:bench', $1, $2, $3, $4, $5, $6) on conflict (secret_hash) do nothing`,
        [k.name, k.role, k.province ? scopes.provinceId : null, k.city ? scopes.cityId : null, k.secret.slice(0, 12), hashApiKey(k.secret)],
      );
      out[caller] = k.secret;
    }
    return out;
  } finally {
    await c.end();
  }
}
