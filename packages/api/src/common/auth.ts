/**
 * Authentication (API keys) and the authorization rules every service applies.
 *
 * Roles: MINISTRY (everything), PROVINCE (the cities of its province), CITY (its city),
 * READ_ONLY (reads, no personal data; every city, or the province or city the key is scoped to),
 * and anonymous callers (public campaign data only, no writes).
 *
 * Two walls: services filter and check with the helpers below (first wall), and PostgreSQL
 * row-level security restricts the city-scoped tables to the caller's cities (second wall,
 * migration 0800): `scopeStatement()` is the one statement that sets it up in a transaction.
 */
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { FilterQuery, Knex } from '@mikro-orm/postgresql';
import { ANONYMOUS_ACTOR, type Actor } from './actor.js';
import { ID_NUMBER_MASK, maskValue, NAME_MASK, PERSONAL_DATA_VIEWERS, sees } from './privacy.js';
import type { RequestContext } from '../context.js';

/** The role the API acts as inside transactions for callers restricted to some cities (created by migration 0800). */
export const APP_ROLE = 'airledger_app';
/**
 * The role the API acts as inside transactions for unrestricted callers (migration 20261202000100:
 * read policy `true`, so national reads and writes carry no city predicate to plan around).
 */
export const NATIONAL_ROLE = 'airledger_national';

/** Roles an API key can have. */
export const API_KEY_ROLES = ['MINISTRY', 'PROVINCE', 'CITY', 'READ_ONLY'] as const;
export type ApiKeyRoleName = (typeof API_KEY_ROLES)[number];

/** Error codes (GraphQL `extensions.code`) of authentication and authorization failures. */
export const AuthErrorCode = {
  /** No valid credentials: an unknown, malformed, expired or revoked key, or none where one is needed. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller's role or scope does not allow it. */
  FORBIDDEN: 'FORBIDDEN',
} as const;

/** An authentication or authorization failure, reported as a GraphQL error (never as userErrors). */
export class AuthError extends GraphQLError {
  constructor(code: keyof typeof AuthErrorCode, message: string, httpStatus?: number) {
    super(message, { extensions: { code, ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
    this.name = 'AuthError';
  }
}

const SIGN_IN = 'Send an API key as "Authorization: Bearer <key>".';

export function unauthenticated(message: string, httpStatus?: number): AuthError {
  return new AuthError('UNAUTHENTICATED', message, httpStatus);
}

export function forbidden(message: string): AuthError {
  return new AuthError('FORBIDDEN', message);
}

// ------------------------------------------------------------------------------------- keys

/** Every key starts with this, so that leaked keys are easy to recognise (secret scanners). */
export const API_KEY_PREFIX = 'airl_';
/** Characters of a key kept in clear (api_key.prefix) to tell keys apart in lists. */
export const API_KEY_PREFIX_LENGTH = 12;

/**
 * A new API key: 32 random bytes (256 bits), base64url, after the `airl_` marker. Only its
 * SHA-256 is stored. A salted slow hash (bcrypt, scrypt) protects low-entropy passwords against
 * guessing; a 256-bit random key cannot be guessed at any hash speed, and an unsalted fast hash
 * lets each request find its key with one indexed look-up instead of ~100 ms of bcrypt per request.
 */
export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = API_KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(secret) };
}

/** SHA-256 (hex) of a key, as stored in api_key.secret_hash. */
export function hashApiKey(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

interface KeyRow {
  id: number;
  name: string;
  role: ApiKeyRoleName;
  province_id: number | null;
  city_id: number | null;
  /** The key itself was revoked. */
  revoked: boolean;
  /** Id of the nearest issuer (transitively) that was revoked, if any. */
  revoked_issuer: number | null;
  /** The key's effective expiry (the earliest of its own and its issuers') has passed. */
  expired: boolean;
  /** The key's effective expiry: the earliest of its own and every issuer's. */
  expires_at: Date | null;
  city_ids: number[] | null;
}

/** Longest chain of issuers followed when a key is checked (keys are issued by older keys, so chains end). */
export const MAX_ISSUER_DEPTH = 32;

/**
 * SQL of a CTE `issuers` holding the key that `start` selects (a condition on `k`, e.g.
 * `k.secret_hash = ?`; depth 0) and
 * every key that issued it, transitively (depth 1, 2, ...): the rule "a key works only while
 * every key above it works" is written once here and used by authenticate() and by the compiled
 * reads' key check (common/compiled/handler.ts). Each step is a primary-key look-up, so the
 * check stays one statement with no per-request extra.
 */
export function issuerChainCte(start: string): string {
  return `issuers as (
    select k.id, k.issuer_id, k.revoked_at, k.expires_at, 0 as depth from api_key k where ${start}
    union all
    select p.id, p.issuer_id, p.revoked_at, p.expires_at, i.depth + 1 from api_key p join issuers i on p.id = i.issuer_id where i.depth < ${MAX_ISSUER_DEPTH})`;
}

/**
 * SQL over an api_key row `k`: the cities the key is restricted to (its city, or its province's
 * cities in id order; NULL for a national key). The one definition of a key's scope, read by
 * authenticate() (Actor.cityIds) and by the compiled reads' set-up (compiled/scoped.ts).
 */
export const KEY_CITY_IDS_SQL = `case when k.city_id is not null then array[k.city_id]
  when k.province_id is not null then array(select c.id from city c where c.province_id = k.province_id order by c.id) end`;

/** SQL over an api_key row `k`: whether the key reads every city (isScoped false for its actor). */
export const KEY_NATIONAL_SQL = `(k.role = 'MINISTRY' or (k.province_id is null and k.city_id is null))`;

/** SQL condition (over `issuers`): no key of the chain is revoked or past its expiry. */
export const ISSUER_CHAIN_VALID = `not exists (select 1 from issuers i where i.revoked_at is not null or i.expires_at <= now())`;

/**
 * The actor of an `Authorization` header value: anonymous without one, the key's actor with a
 * valid `Bearer <key>`. One SQL statement (the key, its issuers and, for a province, its cities).
 * An unknown, malformed, expired or revoked key is UNAUTHENTICATED with HTTP status 401, and so
 * is a key one of whose issuers (transitively) is revoked or expired: a key never outlives the
 * key that issued it.
 */
export async function authenticate(knex: Knex, authorization: string | null | undefined): Promise<Actor> {
  const header = authorization?.trim();
  if (!header) return ANONYMOUS_ACTOR;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated(`Malformed Authorization header. ${SIGN_IN}`, 401);
  const { rows } = (await knex.raw(
    `with recursive ${issuerChainCte('k.secret_hash = ?')}
      select k.id, k.name, k.role, k.province_id, k.city_id,
        k.revoked_at is not null as revoked,
        (select i.id from issuers i where i.depth > 0 and i.revoked_at is not null order by i.depth limit 1) as revoked_issuer,
        e.expires_at, coalesce(e.expires_at <= now(), false) as expired,
        ${KEY_CITY_IDS_SQL} as city_ids
      from issuers i0 join api_key k on k.id = i0.id
        cross join lateral (select min(i.expires_at) as expires_at from issuers i) e
      where i0.depth = 0`,
    [hashApiKey(match[1])],
  )) as { rows: KeyRow[] };
  const key = rows[0];
  if (!key) throw unauthenticated(`Unknown API key. ${SIGN_IN}`, 401);
  if (key.revoked) throw unauthenticated('This API key was revoked.', 401);
  if (key.revoked_issuer !== null) throw unauthenticated(`This API key no longer works: key ${key.revoked_issuer}, which issued it (directly or not), was revoked.`, 401);
  if (key.expired) throw unauthenticated(`This API key expired at ${new Date(key.expires_at!).toISOString()} (the earliest expiry of the key and of the keys that issued it).`, 401);
  return actorOfKey(key);
}

export function actorOfKey(key: Pick<KeyRow, 'id' | 'name' | 'role' | 'province_id' | 'city_id' | 'city_ids'>): Actor {
  return {
    id: `key:${key.id}`,
    role: key.role,
    keyId: key.id,
    name: key.name,
    provinceId: key.province_id,
    cityId: key.city_id,
    cityIds: key.role === 'MINISTRY' ? null : (key.city_ids?.map(Number) ?? null),
  };
}

// ------------------------------------------------------------------------------------- rules

let serviceScopeChecks = true;

/**
 * Test-only: turns the services' city filters and checks (the first wall) off, so that tests can
 * prove that row-level security alone keeps callers to their cities. Role checks stay on.
 */
export function setServiceScopeChecks(enabled: boolean): void {
  serviceScopeChecks = enabled;
}

/** Whether the actor is restricted to some cities (CITY, PROVINCE, scoped READ_ONLY keys). */
export function isScoped(actor: Actor): boolean {
  return actor.cityIds !== null && actor.cityIds !== undefined;
}

/** Whether the actor's role may write at all. */
export function mayWrite(actor: Actor): boolean {
  return actor.role === 'MINISTRY' || actor.role === 'PROVINCE' || actor.role === 'CITY' || actor.role === 'SYSTEM';
}

/** The condition that keeps a city-scoped entity to the caller's cities (`{}` when unrestricted). */
export function scopeWhere<T>(ctx: Pick<RequestContext, 'actor'>): FilterQuery<T> {
  return scopeCondition(ctx) as unknown as FilterQuery<T>;
}

/** scopeWhere as a plain object, to spread into a condition: `{ id, ...scopeCondition(ctx) }`. */
export function scopeCondition(ctx: Pick<RequestContext, 'actor'>): { cityId?: { $in: number[] } } {
  if (!serviceScopeChecks || !isScoped(ctx.actor)) return {};
  return { cityId: { $in: ctx.actor.cityIds! } };
}

/** The caller's cities for set-based SQL (`null`: every city). */
export function scopeCityIds(ctx: Pick<RequestContext, 'actor'>): number[] | null {
  return serviceScopeChecks && isScoped(ctx.actor) ? ctx.actor.cityIds! : null;
}

/** Whether a record of city `cityId` is within the caller's cities. */
export function inScope(ctx: Pick<RequestContext, 'actor'>, cityId: number | null | undefined): boolean {
  if (!serviceScopeChecks || !isScoped(ctx.actor)) return true;
  return cityId !== null && cityId !== undefined && ctx.actor.cityIds!.includes(cityId);
}

/** Reads of data that is not public need a key: anonymous callers get UNAUTHENTICATED. */
export function requireKey(ctx: Pick<RequestContext, 'actor'>, what: string): void {
  if (ctx.actor.role === 'ANONYMOUS') throw unauthenticated(`${what} are not public. ${SIGN_IN}`);
}

/**
 * Who may read a kind of record: everyone (public campaign data) or callers with an API key (then
 * `what` names the records in the UNAUTHENTICATED message). Declared once per kind in READS and
 * used by its list, its exports and every report, scorecard section or aggregate over it, so that
 * none of them can apply another rule.
 */
export interface ReadRule {
  readonly public: boolean;
  readonly what: string;
}

const publicRead = (what: string): ReadRule => ({ public: true, what });
const keyedRead = (what: string): ReadRule => ({ public: false, what });

/** The read rule of each kind of record (see the roles table of the README). */
export const READS = {
  enterprises: publicRead('Enterprises'),
  gradeChanges: publicRead('Grade changes'),
  observations: publicRead('Air quality observations'),
  taskTargets: publicRead('Task targets and their progress'),
  outcomeTargets: publicRead('Outcome targets and attainment'),
  retrofitProjects: keyedRead('Retrofit projects'),
  disbursements: keyedRead('Disbursements'),
  subsidyPrograms: keyedRead('Subsidy programs'),
  subsidyBudgets: keyedRead('Subsidy budgets'),
  clues: keyedRead('Supervision rounds, clues and inspections'),
  enforcementActions: keyedRead('Enforcement actions'),
  fraudList: publicRead('The published fraud list'),
  forecasts: publicRead('Forecasts'),
  warnings: publicRead('Heavy-pollution warnings'),
  regionalLinkages: publicRead('Regional emergency linkages'),
  reductionLists: keyedRead('Emergency reduction lists'),
  measureChecks: keyedRead('Measure checks'),
  combustionUnits: keyedRead('The combustion-unit inventory'),
  localities: keyedRead('Counties, townships and villages'),
  householdConversions: keyedRead('The village conversion list'),
  agriculturalCoalFacilities: keyedRead('The agricultural coal facility list'),
  banZones: keyedRead('High-pollution-fuel ban zones'),
  submissions: keyedRead('Provincial submissions'),
  freightRecords: keyedRead('Rail freight records'),
  heatingSeasons: publicRead('Heating seasons'),
} as const satisfies Record<string, ReadRule>;

/** Whether the caller may read records under `rule`. */
export function mayRead(ctx: Pick<RequestContext, 'actor'>, rule: ReadRule): boolean {
  return rule.public || ctx.actor.role !== 'ANONYMOUS';
}

/** Applies a read rule: a non-public kind needs a key (anonymous callers get UNAUTHENTICATED). */
export function requireRead(ctx: Pick<RequestContext, 'actor'>, rule: ReadRule): void {
  if (!rule.public) requireKey(ctx, rule.what);
}

/** Writes need a key of a writing role: anonymous is UNAUTHENTICATED, READ_ONLY is FORBIDDEN. */
export function requireWriter(ctx: Pick<RequestContext, 'actor'>): void {
  if (ctx.actor.role === 'ANONYMOUS') throw unauthenticated(`Changes need an API key. ${SIGN_IN}`);
  if (!mayWrite(ctx.actor)) throw forbidden(`A ${ctx.actor.role} key cannot change anything.`);
}

/** Only the ministry (and the system) may do it. */
export function requireMinistry(ctx: Pick<RequestContext, 'actor'>, what: string): void {
  requireWriter(ctx);
  if (ctx.actor.role !== 'MINISTRY' && ctx.actor.role !== 'SYSTEM') throw forbidden(`Only a MINISTRY key may ${what}.`);
}

/** A write that creates or moves a record into city `cityId` must stay within the caller's cities. */
export function requireWritableCity(ctx: Pick<RequestContext, 'actor'>, cityId: number, cityName: string): void {
  requireWriter(ctx);
  if (!inScope(ctx, cityId)) throw forbidden(`Your ${ctx.actor.role} key may not change records of ${cityName}.`);
}

// ------------------------------------------------------------------------------------- personal data

/**
 * Whether the actor sees the personal data (household name and identity number) of a subsidy
 * recipient paid by city `cityId`: the ministry and that city's CITY keys do; everyone else sees
 * them masked. The rule is declared once in privacy.ts (PERSONAL_DATA_VIEWERS), whose SQL twin
 * the compiled reads and the exports use.
 */
export function seesPersonalData(actor: Actor, cityId: number): boolean {
  return sees(PERSONAL_DATA_VIEWERS, actor, cityId);
}

/** 张三丰 -> 张**: the first character, then always two stars (privacy.ts NAME_MASK). */
export function maskName(name: string | null): string | null {
  return maskValue(NAME_MASK, name);
}

/** 110101199003071234 -> 1101**********1234 (privacy.ts ID_NUMBER_MASK): the birth date is hidden. */
export function maskIdNumber(id: string | null): string | null {
  return maskValue(ID_NUMBER_MASK, id);
}

// ------------------------------------------------------------------------------------- row-level security

/**
 * The one statement that makes the rest of the current transaction act for `actor` under
 * row-level security: role airledger_app for a caller restricted to some cities (its policies
 * read only `app.city_ids`) or airledger_national for an unrestricted one, the caller's read and
 * write scope, and who and what for the audit trail (an empty operation writes no audit rows).
 */
export function scopeStatement(actor: Actor, operation: string | null): { sql: string; bindings: string[] } {
  const scoped = isScoped(actor);
  const write = !mayWrite(actor) ? 'none' : scoped ? 'cities' : 'all';
  return {
    sql: `select set_config('role', '${scoped ? APP_ROLE : NATIONAL_ROLE}', true), set_config('app.scope', ?, true), set_config('app.write', ?, true),
      set_config('app.city_ids', ?, true), set_config('app.actor_id', ?, true), set_config('app.key_id', ?, true),
      set_config('app.role', ?, true), set_config('app.operation', ?, true)`,
    bindings: [
      scoped ? 'cities' : 'all',
      write,
      scoped ? actor.cityIds!.join(',') : '',
      actor.id,
      actor.keyId ? String(actor.keyId) : '',
      actor.role,
      operation ?? '',
    ],
  };
}

/** Runs scopeStatement in the transaction of `knex`. */
export async function applyScope(knex: Knex, actor: Actor, operation: string | null): Promise<void> {
  const { sql, bindings } = scopeStatement(actor, operation);
  await knex.raw(sql, bindings);
}
