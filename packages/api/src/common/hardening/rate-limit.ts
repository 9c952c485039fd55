import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { HardeningErrorCode, sendHttpError } from './errors.js';
import type { HardeningConfig } from './settings.js';
import { ISSUER_CHAIN_VALID, issuerChainCte } from '../auth.js';
import { withoutCountingSql } from '../sql-counter.js';

/** One request counted against a bucket: the hits of the current window and when it ends. */
export interface RateLimitHit {
  hits: number;
  /** Seconds until the window ends (at least 1): the Retry-After value. */
  resetSeconds: number;
}

/** Who a request comes from, for the rate limiter: the sha256 of its bearer token (if any) and its client IP. */
export interface RateLimitClient {
  keyHash: string | null;
  ip: string;
}

/** Where counters live. Shared by every API process (the API keeps no state of its own). */
export interface RateLimitStore {
  /** Counts one hit against `bucket`. */
  hit(bucket: string, windowSeconds: number): Promise<RateLimitHit>;
  /**
   * Counts one request of `client`: against its API key when the token is a key that works
   * (known, neither it nor a key above it revoked or expired), otherwise against its IP (`keyed: false`), so that
   * made-up tokens share the anonymous limit of their IP instead of getting buckets of their own.
   */
  hitClient(client: RateLimitClient, windowSeconds: number): Promise<RateLimitHit & { keyed: boolean }>;
}

const UPSERT_TAIL = `on conflict (bucket) do update
         set hits = case when b.window_start = excluded.window_start then b.hits + 1 else 1 end,
             window_start = excluded.window_start
       returning b.hits, b.bucket,
         greatest(1, ceil(extract(epoch from b.window_start + make_interval(secs => ?::integer) - clock_timestamp())))::integer as reset_seconds`;
const WINDOW_START = `to_timestamp(floor(extract(epoch from clock_timestamp()) / ?::integer) * ?::integer)`;

/**
 * Fixed-window counters in PostgreSQL (table rate_limit_bucket, migration 0900): one upsert
 * statement per request, timed by the database clock so processes on different hosts agree.
 * Every SWEEP_EVERY-th hit of a process also deletes buckets idle for ten minutes (one more,
 * fire-and-forget statement).
 */
export class PostgresRateLimitStore implements RateLimitStore {
  static readonly SWEEP_EVERY = 1000;
  private count = 0;

  constructor(private readonly orm: MikroORM) {}

  async hit(bucket: string, windowSeconds: number): Promise<RateLimitHit> {
    const knex = this.orm.em.getKnex();
    const result = await knex.raw(
      `insert into rate_limit_bucket as b (bucket, window_start, hits)
       values (?, ${WINDOW_START}, 1)
       ${UPSERT_TAIL}`,
      [bucket, windowSeconds, windowSeconds, windowSeconds],
    );
    this.sweep();
    const row = result.rows[0] as { hits: number; reset_seconds: number };
    return { hits: row.hits, resetSeconds: row.reset_seconds };
  }

  /** One statement as well: the key look-up (api_key's unique index on secret_hash) is part of the upsert. */
  async hitClient({ keyHash, ip }: RateLimitClient, windowSeconds: number): Promise<RateLimitHit & { keyed: boolean }> {
    if (!keyHash) return { ...(await this.hit(`ip:${ip}`, windowSeconds)), keyed: false };
    const knex = this.orm.em.getKnex();
    const result = await knex.raw(
      // "A key that works" is authentication's rule (auth.ts): the key and every key above it.
      `with recursive ${issuerChainCte('k.secret_hash = ?')}
       insert into rate_limit_bucket as b (bucket, window_start, hits)
       select case when exists (select 1 from issuers where depth = 0) and ${ISSUER_CHAIN_VALID}
                then ? else ? end, ${WINDOW_START}, 1
       ${UPSERT_TAIL}`,
      [keyHash, `key:${keyHash}`, `ip:${ip}`, windowSeconds, windowSeconds, windowSeconds],
    );
    this.sweep();
    const row = result.rows[0] as { hits: number; reset_seconds: number; bucket: string };
    return { hits: row.hits, resetSeconds: row.reset_seconds, keyed: row.bucket.startsWith('key:') };
  }

  private sweep(): void {
    if (++this.count % PostgresRateLimitStore.SWEEP_EVERY === 0) {
      // Sent later, in the context of the request that happens to be the SWEEP_EVERY-th: not its statement.
      withoutCountingSql(() => this.orm.em.getKnex().raw(`delete from rate_limit_bucket where window_start < clock_timestamp() - interval '10 minutes'`).catch(() => {}));
    }
  }
}

/** The bearer token of a request, if any (the API key of the access-control layer). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Who a request counts against: the sha256 of its bearer token (the way keys are stored), if it
 * has one, and its client IP (`ip`: express's req.ip, which follows AIRLEDGER_TRUST_PROXY for
 * X-Forwarded-For). The store decides between them (RateLimitStore.hitClient): a token that is no
 * working key counts against the IP.
 */
export function rateLimitClient(req: IncomingMessage, ip: string | undefined): RateLimitClient {
  const token = bearerToken(req);
  return { keyHash: token ? createHash('sha256').update(token).digest('hex') : null, ip: ip ?? req.socket.remoteAddress ?? 'unknown' };
}

/** The two buckets of rateLimitClient by name: `key:<sha256>` when the token is a working key, else `ip:<address>`. */
export function rateLimitBucket(req: IncomingMessage, ip: string | undefined): { key: string | null; ip: string } {
  const client = rateLimitClient(req, ip);
  return { key: client.keyHash ? `key:${client.keyHash}` : null, ip: `ip:${client.ip}` };
}

const WINDOW_SECONDS = 60;

/** Requests already counted, with whether they may go on: a request is counted once, whichever layer sees it first. */
const counted = new WeakMap<IncomingMessage, boolean>();

/**
 * Counts a request against its per-minute limit (AIRLEDGER_RATE_LIMIT_PER_MINUTE per API key,
 * AIRLEDGER_RATE_LIMIT_ANONYMOUS_PER_MINUTE per client IP, which also counts requests whose bearer
 * token is no working key: unknown, malformed, revoked or expired ones) and sets RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset; over the limit it answers HTTP 429 with Retry-After
 * and code RATE_LIMITED and returns false. If the store fails the request goes through (the
 * database error, if lasting, shows in the request itself and in /readyz). A request counted
 * before (the GraphQL lane of compiled reads counts, then may hand the request to express) is
 * not counted again.
 */
export async function applyRateLimit(
  req: IncomingMessage,
  res: ServerResponse,
  ip: string | undefined,
  config: HardeningConfig,
  store: RateLimitStore,
  log: (line: string) => void = () => {},
): Promise<boolean> {
  const before = counted.get(req);
  if (before !== undefined) return before;
  counted.set(req, true);
  if (!config.rateLimit) return true;
  const client = rateLimitClient(req, ip);
  // Nothing to count when both limits a request could fall under are off.
  if (config.rateLimitAnonymousPerMinute <= 0 && (!client.keyHash || config.rateLimitPerMinute <= 0)) return true;
  let hit: RateLimitHit & { keyed: boolean };
  try {
    hit = await store.hitClient(client, WINDOW_SECONDS);
  } catch (error) {
    log(`rate limiter store failed, request let through: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  }
  const limit = hit.keyed ? config.rateLimitPerMinute : config.rateLimitAnonymousPerMinute;
  if (limit <= 0) return true;
  res.setHeader('RateLimit-Limit', String(limit));
  res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - hit.hits)));
  res.setHeader('RateLimit-Reset', String(hit.resetSeconds));
  if (hit.hits <= limit) return true;
  counted.set(req, false);
  res.setHeader('Retry-After', String(hit.resetSeconds));
  sendHttpError(req, res, 429, HardeningErrorCode.RATE_LIMITED, `Rate limit of ${limit} requests per minute exceeded; retry in ${hit.resetSeconds} s.`, {
    limit,
    retryAfter: hit.resetSeconds,
  });
  return false;
}
