import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHook } from './hooks.js';

/** Paths the rate limiter does not count: probes of the load balancer and of Prometheus, and the console's static files. */
const EXEMPT = (path: string) => path === '/healthz' || path === '/readyz' || path === '/metrics' || path.startsWith('/console/');

/**
 * The per-minute rate limit (hardening/rate-limit.ts applyRateLimit, registered by
 * registerHardening) for every path but the exempt ones, before either GraphQL path reads the
 * body. Its upsert is not one of the request's SQL statements (extensions.sqlStatements, logs).
 */
export function rateLimitHook(limit: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): RequestHook {
  return {
    name: 'rate-limit',
    async arrive(record) {
      if (EXEMPT(record.path)) return;
      // Nothing else of the request runs meanwhile: what the limiter sent is taken off the count.
      const before = record.sql.statements;
      const go = await limit(record.req, record.res);
      record.sql.statements = before;
      if (!go) record.rateLimited = true;
      return go;
    },
  };
}
