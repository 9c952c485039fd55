/**
 * Compiled reads of callers restricted to some cities (CITY, PROVINCE and scoped READ_ONLY keys):
 * the compiled statement (compiled with `scoped: true`, so every read of a city-scoped table
 * carries the sargable scope predicate) runs inside the caller's row-level-security transaction,
 * as the resolvers' requests do (context.ts openRequestScope), on one connection:
 *
 *   BEGIN
 *   the set-up: the API key checked by the rule of auth.ts authenticate (issuers included) and,
 *     from its row, the settings of auth.ts scopeStatement (role airledger_app, app.city_ids ...)
 *   the compiled statement, its parameter of the caller's cities bound to the cities the set-up
 *     read (unnamed, so that PostgreSQL plans it for them; row-level security stays the backstop)
 *   COMMIT
 *
 * Four statements, like PostGraphile's BEGIN / set_config / query / COMMIT for the same caller,
 * against the resolvers' key look-up + BEGIN + set-up + several reads + COMMIT.
 */
import { APP_ROLE, ISSUER_CHAIN_VALID, issuerChainCte, KEY_CITY_IDS_SQL, KEY_NATIONAL_SQL } from '../auth.js';

/**
 * The set-up statement of a scoped caller's read transaction, parameter $1 the sha256 of the
 * bearer token. One row for a working key restricted to some cities, with the settings applied:
 * `national` false, `applied`, the key's id and role, and its cities (`integer[]`, which the
 * compiled statement then takes as its parameter of the caller's cities, CompiledQuery.citiesParam);
 * `national` true (settings not applied, no cities) for a working national key; no row for a key
 * that does not work (unknown, revoked, expired, or an issuer revoked or expired).
 */
export const SCOPED_SETUP_SQL = `with recursive ${issuerChainCte('k.secret_hash = $1')},
  k as (
    select k.id, k.role, ${KEY_NATIONAL_SQL} as national, ${KEY_CITY_IDS_SQL} as city_ids
    from issuers i join api_key k on k.id = i.id where i.depth = 0 and ${ISSUER_CHAIN_VALID})
  select k.national,
    case when k.national then null else concat_ws(',',
      set_config('role', '${APP_ROLE}', true), set_config('app.scope', 'cities', true), set_config('app.write', 'none', true),
      set_config('app.city_ids', array_to_string(k.city_ids, ','), true), set_config('app.actor_id', 'key:' || k.id, true),
      set_config('app.key_id', k.id::text, true), set_config('app.role', k.role, true), set_config('app.operation', '', true))
    end as applied,
    k.id, k.role, case when not k.national then coalesce(k.city_ids, '{}') end as city_ids
  from k`;

/** What the set-up found: a scoped key (settings applied), a national key, or none that works. */
export type ScopedSetup = 'scoped' | 'national' | 'none';

export function setupOutcome(rows: { national: boolean }[]): ScopedSetup {
  if (!rows.length) return 'none';
  return rows[0].national ? 'national' : 'scoped';
}
