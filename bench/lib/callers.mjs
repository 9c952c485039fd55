/**
 * The caller classes of the bench as PostgreSQL sees them: the settings the API sets at the start
 * of a scoped transaction (packages/api/src/common/auth.ts scopeStatement), given to PostGraphile
 * as its pgSettings so that it reads under the same row-level security
 * (migration 20261202000100: airledger_app reads `city_id = any(app_city_ids())`, airledger_national
 * reads every row). No dependency but the pool it is given (PostGraphile 5 runs it on Node 22).
 */

export const BENCH_PROVINCE = process.env.BENCH_PROVINCE ?? 'hebei';
export const BENCH_CITY = process.env.BENCH_CITY ?? 'tangshan';

/** The city ids of BENCH_PROVINCE and of BENCH_CITY (the scopes of the PROVINCE and CITY keys). */
export async function benchScopes(client) {
  const { rows } = await client.query(
    `select v.id as province_id, (select array_agg(c.id order by c.id) from city c where c.province_id = v.id) as province_cities,
       (select c.id from city c where c.slug = $2) as city_id
     from province v where v.slug = $1`,
    [BENCH_PROVINCE, BENCH_CITY],
  );
  if (!rows[0] || rows[0].city_id === null) throw new Error(`bench: no province "${BENCH_PROVINCE}" or city "${BENCH_CITY}" in the dataset`);
  return { provinceId: rows[0].province_id, provinceCityIds: rows[0].province_cities.map(Number), cityId: Number(rows[0].city_id) };
}

const scopedSettings = (cityIds) => ({ role: 'airledger_app', 'app.scope': 'cities', 'app.write': 'none', 'app.city_ids': cityIds.join(',') });
const NATIONAL_SETTINGS = Object.freeze({ role: 'airledger_national', 'app.scope': 'all', 'app.write': 'none', 'app.city_ids': '' });

/**
 * Looks the scopes up once and returns `caller => settings`: province and city act as
 * airledger_app over their city ids; national, ministry and anonymous (public data) as
 * airledger_national; an absent or unknown caller is national.
 */
export async function callerSettings(pool) {
  const scopes = await benchScopes(pool);
  const table = {
    province: Object.freeze(scopedSettings(scopes.provinceCityIds)),
    city: Object.freeze(scopedSettings([scopes.cityId])),
  };
  return (caller) => table[caller] ?? NATIONAL_SETTINGS;
}
