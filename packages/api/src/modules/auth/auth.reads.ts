/**
 * The declaration of the API keys (common/compiled): which keys a caller may see, the filters,
 * the sort and the status, read by the compiled lane, the resolvers (auth.service.ts) and the
 * export. Not public (a key is needed). Only the columns of the schema's ApiKey fields are ever
 * written out: the secret is never stored and its hash (secret_hash) is no field.
 *
 * Who sees which keys (the keys a caller could have issued, auth.service.ts ISSUABLE):
 * - MINISTRY (and the system): every key;
 * - PROVINCE: the keys of its province and of the cities of its province;
 * - CITY: the keys of its city;
 * - READ_ONLY: none (FORBIDDEN), except its own key by id (apiKey(id)).
 */
import { SortDirection } from '../../common/pagination.js';
import { notFound } from '../../common/errors.js';
import { byId, filterRules, fixedOrder, inList, placeRules, type AccessRule, type CallerSql, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { ApiKey, ApiKeyStatus } from './auth.entity.js';

/** SQL on an api_key row `k`: its status now (ApiKey.status; keyStatus is its twin for objects of mutations). */
export function keyStatusSql(k: string): string {
  return `(case when ${k}.revoked_at is not null then '${ApiKeyStatus.REVOKED}' when ${k}.expires_at <= now() then '${ApiKeyStatus.EXPIRED}' else '${ApiKeyStatus.ACTIVE}' end)`;
}

/** The status of a key object now (the TypeScript twin of keyStatusSql, for objects of mutations and the command line). */
export function keyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return ApiKeyStatus.REVOKED;
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return ApiKeyStatus.EXPIRED;
  return ApiKeyStatus.ACTIVE;
}

/**
 * SQL: whether the caller manages the key row `t` (may list and revoke it): MINISTRY and SYSTEM
 * every key; PROVINCE the keys of its province and of its province's cities; CITY those of its
 * city; READ_ONLY none. Read from the caller's own key row.
 */
export function managedKeySql(caller: CallerSql, t: string): string {
  const province = `me.role = 'PROVINCE' and (${t}.province_id = me.province_id or ${t}.city_id in (select c.id from city c where c.province_id = me.province_id))`;
  const city = `me.role = 'CITY' and ${t}.city_id = me.city_id`;
  return `(${caller.role} in ('MINISTRY', 'SYSTEM') or exists (select 1 from api_key me where me.id = ${caller.keyId} and ((${province}) or (${city}))))`;
}

/** Who may list API keys: the roles that issue keys; each sees the keys it manages. */
export const API_KEY_LIST_ACCESS: AccessRule = {
  roles: ['MINISTRY', 'PROVINCE', 'CITY', 'SYSTEM'],
  refusal: (role) => `A ${role} key cannot list API keys.`,
  rows: managedKeySql,
};

/** A key by id: the caller's own key, or one it manages (any other is not found). */
export const API_KEY_RECORD_ACCESS: AccessRule = {
  rows: (caller, t) => `(${t}.id = ${caller.keyId} or ${managedKeySql(caller, t)})`,
};

/** `province`: the keys of the province with this slug or of its cities (NOT_FOUND naming the field for an unknown slug). */
const province: FilterKeyRule = (value, q, t, field) => {
  const slug = q.param(value, 'text');
  q.check(`not exists (select 1 from province p where p.slug = ${slug})`, () => notFound('province', field, value));
  return [`(${t}.province_id = (select p.id from province p where p.slug = ${slug}) or ${t}.city_id in (select c.id from city c join province p on p.id = c.province_id where p.slug = ${slug}))`];
};

const status: FilterKeyRule = (value, q, t) => [`${keyStatusSql(t)} = ${q.param(value, 'text')}`];

export const AUTH_READS: ReadModels = {
  types: [
    {
      type: 'ApiKey',
      entity: ApiKey,
      public: false,
      references: { province: { node: 'Province', column: 'province_id' }, city: { node: 'City', column: 'city_id' } },
      computed: { status: (a) => `'"' || ${keyStatusSql(a)} || '"'` },
    },
  ],
  roots: {
    apiKeys: {
      kind: 'connection',
      node: 'ApiKey',
      // Newest first.
      order: fixedOrder({ column: 'id', kind: 'number' }, SortDirection.DESC),
      where: filterRules({ roles: inList('role'), status, province, city: placeRules().city }),
      access: API_KEY_LIST_ACCESS,
    },
    apiKey: { kind: 'one', node: 'ApiKey', where: byId(), access: API_KEY_RECORD_ACCESS },
  },
};
