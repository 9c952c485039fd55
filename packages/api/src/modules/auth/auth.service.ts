import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { declaredPage, declaredRecord, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { CallerSql } from '../../common/compiled/model.js';
import type { Actor } from '../../common/actor.js';
import { forbidden, generateApiKey, issuerChainCte, MAX_ISSUER_DEPTH, requireKey, requireWriter } from '../../common/auth.js';
import { knexOf } from '../../common/sql.js';
import { checkName } from '../../common/text.js';
import type { RequestContext } from '../../context.js';
import { City, Province } from '../geography/geography.entity.js';
import { ApiKey, ApiKeyRole } from './auth.entity.js';
import { AUTH_READS, managedKeySql } from './auth.reads.js';
import { ActorRole, type ApiKeyFilter, type CreateApiKeyInput, type RevokeApiKeyInput, type Viewer } from './auth.types.js';

/** Roles a key of each role may issue (and revoke). */
const ISSUABLE: Record<Actor['role'], ApiKeyRole[]> = {
  SYSTEM: [ApiKeyRole.MINISTRY, ApiKeyRole.PROVINCE, ApiKeyRole.CITY, ApiKeyRole.READ_ONLY],
  MINISTRY: [ApiKeyRole.MINISTRY, ApiKeyRole.PROVINCE, ApiKeyRole.CITY, ApiKeyRole.READ_ONLY],
  PROVINCE: [ApiKeyRole.PROVINCE, ApiKeyRole.CITY, ApiKeyRole.READ_ONLY],
  CITY: [ApiKeyRole.CITY, ApiKeyRole.READ_ONLY],
  READ_ONLY: [],
  ANONYMOUS: [],
};

/** The caller of a statement the service runs itself, as bound parameters (for managedKeySql). */
function callerParams(actor: Actor, bindings: unknown[]): CallerSql {
  bindings.push(actor.role, actor.keyId ?? null);
  return { role: '?::text', keyId: '?::integer' };
}

/**
 * The declared query of the API keys collection (auth.reads.ts, shared by the connection and the
 * export): the keys the caller manages, newest first. Anonymous: UNAUTHENTICATED; roles that
 * manage no keys: FORBIDDEN.
 */
export function apiKeyListQuery(ctx: RequestContext, filter: ApiKeyFilter | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireKey(ctx, 'API keys');
  return declaredRootQuery(ctx, [AUTH_READS], 'apiKeys', { filter }, t);
}

/** The effective expiry of a key: the earliest expiry of the key and of the keys that issued it (null: never). */
async function effectiveExpiry(em: EntityManager, keyId: number): Promise<Date | null> {
  const { rows } = await knexOf(em).raw(`with recursive ${issuerChainCte('k.id = ?')} select min(expires_at) as expires_at from issuers`, [keyId]);
  const value = (rows[0] as { expires_at: Date | string | null } | undefined)?.expires_at ?? null;
  return value === null ? null : new Date(value);
}

export class ApiKeyService {
  static viewer(ctx: RequestContext): Viewer {
    const a = ctx.actor;
    return {
      actorId: a.id,
      role: a.role as ActorRole,
      apiKeyId: a.keyId ?? null,
      provinceId: a.provinceId ?? null,
      cityId: a.cityId ?? null,
      cityIds: a.cityIds ?? null,
    };
  }

  /** Keys the caller manages (MINISTRY: all; PROVINCE: of its province and cities; CITY: of its city), newest first. */
  static apiKeys(ctx: RequestContext, filter: ApiKeyFilter | null | undefined, page: PageArgs): Promise<Connection<ApiKey>> {
    requireKey(ctx, 'API keys');
    return declaredPage<ApiKey>(ctx, [AUTH_READS], 'apiKeys', { filter, ...page });
  }

  /** A key by id: the caller's own, or one it manages (auth.reads.ts); any other is NOT_FOUND. */
  static async apiKey(ctx: RequestContext, id: string): Promise<ApiKey> {
    requireKey(ctx, 'API keys');
    const key = await declaredRecord<ApiKey>(ctx, [AUTH_READS], 'apiKey', { id: parseId(id, 'id') });
    if (!key) throw notFound('API key', 'id', id);
    return key;
  }

  /**
   * Issues a key below the caller (see ISSUABLE), returning it with its secret (shown once).
   * A place outside the caller's own province or city is FORBIDDEN.
   */
  static async create(ctx: Pick<RequestContext, 'actor'>, em: EntityManager, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
    requireWriter(ctx);
    const actor = ctx.actor;
    if (!ISSUABLE[actor.role].includes(input.role)) {
      throw forbidden(`A ${actor.role} key may issue ${ISSUABLE[actor.role].join(', ') || 'no'} keys, not ${input.role}.`);
    }
    const v = new Violations();
    const name = input.name.trim();
    if (!name) v.add(['input', 'name'], UserErrorCode.REQUIRED, 'Say who holds the key.');
    else if (name.length > 200) v.add(['input', 'name'], UserErrorCode.OUT_OF_RANGE, 'At most 200 characters.');
    else checkName(v, ['input', 'name'], name);

    let provinceSlug = input.province?.trim() || null;
    let citySlug = input.city?.trim() || null;
    // Keys issued by a province or a city default to the issuer's place.
    const defaultsToOwn = !provinceSlug && !citySlug;
    let province: Province | null = null;
    let city: City | null = null;
    if (defaultsToOwn && actor.role === 'PROVINCE' && input.role !== ApiKeyRole.CITY) province = await em.findOne(Province, actor.provinceId!);
    if (defaultsToOwn && actor.role === 'CITY') city = await em.findOne(City, actor.cityId!);
    if (provinceSlug) {
      province = await em.findOne(Province, { slug: provinceSlug });
      if (!province) v.add(['input', 'province'], UserErrorCode.NOT_FOUND, `No province with slug "${provinceSlug}".`);
    }
    if (citySlug) {
      city = await em.findOne(City, { slug: citySlug });
      if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${citySlug}".`);
    }
    provinceSlug = province?.slug ?? provinceSlug;
    citySlug = city?.slug ?? citySlug;

    switch (input.role) {
      case ApiKeyRole.MINISTRY:
        if (provinceSlug) v.add(['input', 'province'], UserErrorCode.INVALID, 'A MINISTRY key covers every city: give no province.');
        if (citySlug) v.add(['input', 'city'], UserErrorCode.INVALID, 'A MINISTRY key covers every city: give no city.');
        break;
      case ApiKeyRole.PROVINCE:
        if (!provinceSlug) v.add(['input', 'province'], UserErrorCode.REQUIRED, 'A PROVINCE key needs its province.');
        if (citySlug) v.add(['input', 'city'], UserErrorCode.INVALID, 'A PROVINCE key covers its whole province: give no city.');
        break;
      case ApiKeyRole.CITY:
        if (!citySlug) v.add(['input', 'city'], UserErrorCode.REQUIRED, 'A CITY key needs its city.');
        if (provinceSlug) v.add(['input', 'province'], UserErrorCode.INVALID, 'A CITY key is of one city: give the city only.');
        break;
      case ApiKeyRole.READ_ONLY:
        if (provinceSlug && citySlug) v.add(['input', 'city'], UserErrorCode.INVALID, 'Scope a READ_ONLY key to a province or to a city, not both.');
        break;
    }
    const now = new Date();
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
      v.add(['input', 'expiresAt'], UserErrorCode.INVALID_DATE, 'The expiry must be in the future.');
    }
    // A key never outlives its issuer: at most the issuer's effective expiry (the earliest of
    // its own and its issuers'), which is also the default. (It never outranks it either: see
    // ISSUABLE and the place checks below.)
    const issuerExpiry = actor.keyId ? await effectiveExpiry(em, actor.keyId) : null;
    if (input.expiresAt && issuerExpiry && input.expiresAt.getTime() > issuerExpiry.getTime()) {
      v.add(
        ['input', 'expiresAt'],
        UserErrorCode.OUT_OF_RANGE,
        `Must not be after ${issuerExpiry.toISOString()}, when the key issuing it stops working: a key never outlives its issuer.`,
      );
    }
    v.throwIfAny();

    // The place must be the issuer's own (checked after validation: a bad slug is NOT_FOUND first).
    if (actor.role === 'PROVINCE') {
      if (province && province.id !== actor.provinceId) throw forbidden('A PROVINCE key issues keys of its own province only.');
      if (city && city.provinceId !== actor.provinceId) throw forbidden('A PROVINCE key issues keys of the cities of its own province only.');
    }
    if (actor.role === 'CITY' && (province || (city && city.id !== actor.cityId))) {
      throw forbidden('A CITY key issues keys of its own city only.');
    }

    const { secret, prefix, hash } = generateApiKey();
    const apiKey = em.create(ApiKey, {
      name,
      role: input.role,
      provinceId: province?.id ?? null,
      cityId: city?.id ?? null,
      prefix,
      secretHash: hash,
      expiresAt: input.expiresAt ?? issuerExpiry,
      issuerId: actor.keyId ?? null,
      revokedAt: null,
      revokedBy: null,
      createdAt: now,
      updatedAt: now,
      createdBy: actor.id,
      updatedBy: actor.id,
    });
    await em.flush();
    return { apiKey, secret };
  }

  /** Revokes a key the caller manages (others are NOT_FOUND). A revoked key never works again. */
  static async revoke(ctx: Pick<RequestContext, 'actor'>, em: EntityManager, input: RevokeApiKeyInput): Promise<ApiKey> {
    requireWriter(ctx);
    const id = parseId(input.id, 'input.id');
    const bindings: unknown[] = [];
    const managed = managedKeySql(callerParams(ctx.actor, bindings), 't');
    const { rows } = await knexOf(em).raw(`select t.id from api_key t where t.id = ? and ${managed}`, [id, ...bindings] as never[]);
    const key = rows.length ? await em.findOne(ApiKey, id) : null;
    if (!key) throw notFound('API key', 'input.id', input.id);
    if (key.revokedAt) throw LedgerError.of(['input', 'id'], UserErrorCode.NOT_ALLOWED, `The key was already revoked at ${key.revokedAt.toISOString()}.`);
    key.revokedAt = new Date();
    key.revokedBy = ctx.actor.id;
    key.updatedBy = ctx.actor.id;
    await em.flush();
    // The keys it issued, transitively, are revoked with it (authentication refuses them anyway,
    // since a key works only while every key above it works; this makes their status say so).
    await knexOf(em).raw(
      `with recursive below as (
         select k.id, 1 as depth from api_key k where k.issuer_id = ?
         union all
         select k.id, b.depth + 1 from api_key k join below b on k.issuer_id = b.id where b.depth < ${MAX_ISSUER_DEPTH})
       update api_key set revoked_at = ?, revoked_by = ?, updated_by = ?, updated_at = now()
       where id in (select id from below) and revoked_at is null`,
      [key.id, key.revokedAt, ctx.actor.id, ctx.actor.id],
    );
    return key;
  }
}
