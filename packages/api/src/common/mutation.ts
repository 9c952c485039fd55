import crypto from 'node:crypto';
import { Utils } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerError, UserErrorCode, type Issue } from './errors.js';
import { API_KEY_PREFIX, applyScope, requireWriter } from './auth.js';
import { knexOf } from './sql.js';
import type { RequestContext } from '../context.js';

/** What every mutation payload carries besides its result. */
export interface MutationOutcome<T> {
  result: T | null;
  userErrors: { field: string[]; code: UserErrorCode; message: string }[];
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';
const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 5;

function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

/**
 * Runs a write in one transaction. A LedgerError rolls everything back and becomes `userErrors`;
 * a serialization failure or deadlock is retried; a unique violation becomes TAKEN on `uniqueField`.
 * Any other error rolls back and propagates (the client sees INTERNAL_SERVER_ERROR; an AuthError
 * its UNAUTHENTICATED or FORBIDDEN).
 *
 * Access control happens here for every mutation: the caller must hold a key of a writing role,
 * and the transaction's first statement makes it act as airledger_app under row-level security
 * for the caller's cities, naming the actor and the operation for the audit trail (the audit
 * triggers write one row per changed row in this same transaction).
 *
 * With an `Idempotency-Key` header the mutation is applied once per (actor, key, operation): the
 * key is claimed in this transaction (a unique insert: concurrent requests with the key wait for
 * the first one to finish), the result is stored with it, and later requests with the same key
 * and the same arguments get that result again; with other arguments, CONFLICT on `idempotencyKey`.
 * A record is kept IDEMPOTENCY_RETENTION_HOURS (see claimIdempotencyKey); values wrapped in
 * `Unstored` (secrets) are never stored, and a replay gets `Unstored.withheld` in their place.
 */
export async function runMutation<T>(
  ctx: RequestContext,
  work: (em: EntityManager) => Promise<T>,
  options: { uniqueField?: string[] } = {},
): Promise<MutationOutcome<T>> {
  requireWriter(ctx);
  const operation = ctx.mutation?.name ?? 'mutation';
  const idempotency = ctx.idempotencyKey ? { key: ctx.idempotencyKey, hash: requestHash(operation, ctx.mutation?.args ?? {}) } : null;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await ctx.em.transactional(async (txEm) => {
        const em = txEm as EntityManager;
        await applyScope(knexOf(em), ctx.actor, operation);
        if (idempotency) {
          const stored = await claimIdempotencyKey(em, ctx.actor.id, idempotency.key, operation, idempotency.hash);
          if (stored !== undefined) return (await rehydrate(em, stored)) as T;
        }
        const value = await work(em);
        if (idempotency) await storeIdempotentResult(em, ctx.actor.id, idempotency.key, operation, value);
        return value;
      });
      return { result, userErrors: [] };
    } catch (error) {
      ctx.em.clear();
      if (error instanceof LedgerError) return { result: null, userErrors: error.issues.map(toUserError) };
      const code = pgCode(error);
      if ((code === SERIALIZATION_FAILURE || code === DEADLOCK) && attempt < MAX_ATTEMPTS) continue;
      if (code === UNIQUE_VIOLATION && options.uniqueField) {
        return {
          result: null,
          userErrors: [{ field: options.uniqueField, code: UserErrorCode.TAKEN, message: 'A record with this value already exists.' }],
        };
      }
      throw error;
    }
  }
}

function toUserError(i: Issue) {
  return { field: i.field, code: i.code, message: i.message };
}

// ------------------------------------------------------------------------------------- idempotency

/**
 * How long an idempotency record is kept: a request repeated within this time with the same key
 * gets the stored result; after it, the record counts as absent (the key may be used again, the
 * request is applied anew) and expired records are deleted, a few at each idempotent mutation.
 */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
/** Expired idempotency records deleted by each idempotent mutation (bounded work, no process state). */
export const IDEMPOTENCY_PURGE_BATCH = 50;

/**
 * A value a mutation returns once and that must never be stored or replayed (an API key's
 * secret). The idempotency record keeps only a marker, and a replay gets an `Unstored` with value
 * null (`withheld`). It does not serialize: JSON.stringify of one throws, so it cannot leak into
 * a stored or logged JSON by accident.
 */
export class Unstored<T> {
  constructor(readonly value: T | null, readonly withheld = false) {}
  toJSON(): never {
    throw new Error('An Unstored value (a secret) must not be serialized.');
  }
}

/** The shape of an API key secret (common/auth.ts generateApiKey): never stored in clear. */
const SECRET_SHAPE = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{43}$`);

/** JSON with sorted keys, so that equal arguments hash equally whatever their order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function requestHash(operation: string, args: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(`${operation}\n${stableJson(args)}`).digest('hex');
}

/**
 * Claims (actor, key, operation) for this transaction, or returns the result stored by an earlier
 * request with the same key. The insert waits while another transaction holds an uncommitted
 * claim of the same key; if that one rolls back, this one claims it. A record older than
 * IDEMPOTENCY_RETENTION_HOURS is taken over (as if absent), and the same statement deletes up to
 * IDEMPOTENCY_PURGE_BATCH expired records of anyone (skipping rows other transactions hold).
 */
async function claimIdempotencyKey(em: EntityManager, actorId: string, key: string, operation: string, hash: string): Promise<unknown> {
  if (key.length > 255) throw LedgerError.of(['idempotencyKey'], UserErrorCode.INVALID, 'An Idempotency-Key has at most 255 characters.');
  const knex = knexOf(em);
  const expired = `now() - interval '${IDEMPOTENCY_RETENTION_HOURS} hours'`;
  const claimed = await knex.raw(
    `with purge as (
       delete from "idempotency_key" d
       where ("actor_id", "key", "operation") in (
         select "actor_id", "key", "operation" from "idempotency_key"
         where "created_at" <= ${expired} and ("actor_id", "key", "operation") <> (?, ?, ?)
         order by "created_at" limit ${IDEMPOTENCY_PURGE_BATCH} for update skip locked))
     insert into "idempotency_key" ("actor_id", "key", "operation", "request_hash") values (?, ?, ?, ?)
     on conflict ("actor_id", "key", "operation") do update
       set "request_hash" = excluded."request_hash", "response" = null, "created_at" = now()
       where "idempotency_key"."created_at" <= ${expired}
     returning 1`,
    [actorId, key, operation, actorId, key, operation, hash],
  );
  if (claimed.rows.length) return undefined;
  const { rows } = await knex.raw(`select "request_hash", "response" from "idempotency_key" where "actor_id" = ? and "key" = ? and "operation" = ?`, [
    actorId,
    key,
    operation,
  ]);
  const row = rows[0] as { request_hash: string; response: unknown } | undefined;
  if (!row) throw Object.assign(new Error('The idempotency key vanished; retry.'), { code: SERIALIZATION_FAILURE });
  if (row.request_hash !== hash) {
    throw LedgerError.of(
      ['idempotencyKey'],
      UserErrorCode.CONFLICT,
      `The Idempotency-Key "${key}" was already used for ${operation} with other input; use a new key for a new request.`,
    );
  }
  return row.response;
}

async function storeIdempotentResult(em: EntityManager, actorId: string, key: string, operation: string, value: unknown): Promise<void> {
  await knexOf(em).raw(`update "idempotency_key" set "response" = ?::jsonb where "actor_id" = ? and "key" = ? and "operation" = ?`, [
    JSON.stringify(dehydrate(em, value) ?? null),
    actorId,
    key,
    operation,
  ]);
}

/** A mutation result as JSON: entities become references ({ $entity, id }), reloaded on replay. */
function dehydrate(em: EntityManager, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Unstored) return { $unstored: true };
  if (typeof value === 'string' && SECRET_SHAPE.test(value)) throw new Error('A mutation result holds an API key secret in clear; wrap it in Unstored.');
  if (Array.isArray(value)) return value.map((v) => dehydrate(em, v));
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof value === 'object') {
    if (Utils.isEntity(value)) {
      const meta = em.getMetadata().find((value as object).constructor.name)!;
      return { $entity: meta.className, id: (value as { id: unknown }).id };
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, dehydrate(em, v)]));
  }
  return value;
}

async function rehydrate(em: EntityManager, value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return Promise.all(value.map((v) => rehydrate(em, v)));
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.$date === 'string') return new Date(v.$date);
    if (v.$unstored === true) return new Unstored(null, true);
    if (typeof v.$entity === 'string') {
      const meta = em.getMetadata().find(v.$entity);
      return meta ? em.findOne(meta.class, { id: v.id } as never) : null;
    }
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await rehydrate(em, x)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
