/**
 * Prometheus metrics (prom-client) at GET /metrics, one registry per server: requests and their
 * latency by route, operation and execution path (recorded by the request hook of the list, so
 * compiled answers and resolvers' answers alike), rate-limit refusals, the database pools
 * (GraphQL's knex pool and the exports' pool: connections in use, idle, requests waiting, and
 * how long acquiring a connection waited) and export streams open, plus Node's process metrics.
 * AIRLEDGER_METRICS_TOKEN set: /metrics needs `Authorization: Bearer <token>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ExportCapacity } from '../../modules/export/export.capacity.js';
import type { RequestHook } from './hooks.js';
import type { ReadReplica } from '../replica.js';

/** Distinct operation names kept as label values; later ones count as `(other)` (a client picks the names). */
const MAX_OPERATION_LABELS = 200;

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  on(event: 'acquireRequest' | 'acquireSuccess' | 'acquireFail', listener: (eventId: number) => void): void;
}

export class LedgerMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly requests = new Counter({
    name: 'airledger_http_requests_total',
    help: 'HTTP requests answered, by method, route, status, GraphQL operation and execution path (compiled or resolvers).',
    labelNames: ['method', 'route', 'status', 'operation', 'execution'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'airledger_http_request_duration_seconds',
    help: 'Time from the arrival of a request to the end of its response, by route, GraphQL operation and execution path.',
    labelNames: ['route', 'operation', 'execution'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'airledger_rate_limit_refusals_total',
    help: 'Requests refused by the rate limiter (429 RATE_LIMITED).',
    registers: [this.registry],
  });
  private readonly poolWait = new Histogram({
    name: 'airledger_db_pool_acquire_wait_seconds',
    help: "Time a request waited for a connection of GraphQL's database pool.",
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(orm: MikroORM, exports: ExportCapacity, replica: ReadReplica | null = null) {
    collectDefaultMetrics({ register: this.registry, prefix: 'airledger_' });
    const pool = (orm.em.getKnex() as unknown as { client: { pool?: TarnPool } }).client.pool;
    if (pool) {
      const waiting = new Map<number, bigint>();
      pool.on('acquireRequest', (id) => waiting.set(id, process.hrtime.bigint()));
      const done = (id: number) => {
        const since = waiting.get(id);
        if (since === undefined) return;
        waiting.delete(id);
        this.poolWait.observe(Number(process.hrtime.bigint() - since) / 1e9);
      };
      pool.on('acquireSuccess', done);
      pool.on('acquireFail', (id) => waiting.delete(id));
    }
    new Gauge({
      name: 'airledger_db_pool_connections',
      help: 'Database connections by pool (graphql: the serving pool; exports: the exports’ own; replica: the read replica’s, with DATABASE_READ_URL) and state (used, idle, waiting = requests waiting for one).',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        if (pool) {
          this.set({ pool: 'graphql', state: 'used' }, pool.numUsed());
          this.set({ pool: 'graphql', state: 'idle' }, pool.numFree());
          this.set({ pool: 'graphql', state: 'waiting' }, pool.numPendingAcquires());
        }
        const use = exports.poolUse();
        this.set({ pool: 'exports', state: 'used' }, use ? use.total - use.idle : 0);
        this.set({ pool: 'exports', state: 'idle' }, use ? use.idle : 0);
        this.set({ pool: 'exports', state: 'waiting' }, use ? use.waiting : 0);
        if (replica) {
          const r = replica.poolUse();
          this.set({ pool: 'replica', state: 'used' }, r.total - r.idle);
          this.set({ pool: 'replica', state: 'idle' }, r.idle);
          this.set({ pool: 'replica', state: 'waiting' }, r.waiting);
        }
      },
    });
    if (replica) {
      new Counter({
        name: 'airledger_replica_reads_total',
        help: 'Reads of national callers with DATABASE_READ_URL (compiled statements, and query requests the resolvers answer), by where they ran: replica, primary_behind (the replica had not replayed the caller’s airledger-read-after position) or primary_unavailable (the replica was down or failed).',
        labelNames: ['served'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc({ served: 'replica' }, replica.counts.replica);
          this.inc({ served: 'primary_behind' }, replica.counts.stale);
          this.inc({ served: 'primary_unavailable' }, replica.counts.unavailable);
        },
      });
    }
    new Gauge({
      name: 'airledger_export_streams_open',
      help: 'Exports streaming now.',
      registers: [this.registry],
      collect() {
        this.set(exports.running);
      },
    });
  }

  private operationLabel(name: string | null, type: string | null): string {
    if (type === null) return '';
    if (name === null) return '(anonymous)';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return '(other)';
    this.operations.add(name);
    return name;
  }

  /** The list's hook: counts and times every request when its response closes. */
  hook(): RequestHook {
    return {
      name: 'metrics',
      finish: (record, { status, seconds }) => {
        const operation = this.operationLabel(record.operationName, record.operationType);
        const execution = record.execution ?? '';
        this.requests.inc({ method: record.method, route: record.route, status: String(status), operation, execution });
        this.duration.observe({ route: record.route, operation, execution }, seconds);
        if (record.rateLimited) this.refusals.inc();
      },
    };
  }

  /** GET /metrics (Prometheus text format), behind AIRLEDGER_METRICS_TOKEN when set. */
  register(app: Express, token: string | undefined): void {
    const expected = token ? createHash('sha256').update(token).digest() : null;
    app.get('/metrics', async (req, res) => {
      if (expected) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
        const ok = given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
        if (!ok) {
          res.status(401).setHeader('www-authenticate', 'Bearer realm="metrics"');
          res.json({ errors: [{ message: 'GET /metrics needs Authorization: Bearer <AIRLEDGER_METRICS_TOKEN>.', extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
      }
      res.setHeader('content-type', this.registry.contentType);
      res.end(await this.registry.metrics());
    });
  }
}
