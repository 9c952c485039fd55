/**
 * THE list of request hooks (hooks.ts): every request goes through these, in this order, on
 * every path (the compiled lane, Apollo, exports, the console, /metrics). A new cross-cutting
 * concern (a header, a log field, a metric) is a hook added here, never an express middleware or
 * an Apollo plugin of its own: test/e2e/request-hooks.test.ts fails on a hook whose effect is
 * missing on one path, and on an Apollo plugin outside this list that is not declared in
 * APOLLO_ONLY_PLUGINS with its reason.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../../config.js';
import type { Logger } from '../log.js';
import { accessLogHook } from './access-log.js';
import { corsHook } from './cors.js';
import { RequestHooks } from './hooks.js';
import type { LedgerMetrics } from './metrics.js';
import { rateLimitHook } from './rate-limit.js';
import { requestIdHook } from './request-id.js';
import { sqlCountHook } from './sql-count.js';

export { RequestHooks, type RequestHook, type RequestOutcome, type GraphQLAnswer } from './hooks.js';
export { requestRecord, errorExtensionsOf, noteCaller, type RequestRecord, type ExecutionPath } from './record.js';
export { LedgerMetrics } from './metrics.js';

export interface RequestHookDeps {
  logger: Logger;
  metrics: LedgerMetrics;
  /** The rate limiter of the hardening layer (registerHardening). */
  rateLimit: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export function requestHooks(config: Pick<AppConfig, 'corsOrigins' | 'exposeSqlCount'>, deps: RequestHookDeps): RequestHooks {
  return new RequestHooks([
    // First: every later answer (a preflight, a 429) carries the request id.
    requestIdHook(),
    // Before the rate limiter: a browser can read a 429 only with CORS headers.
    corsHook(config.corsOrigins),
    rateLimitHook(deps.rateLimit),
    sqlCountHook(config.exposeSqlCount),
    accessLogHook(deps.logger),
    deps.metrics.hook(),
  ], deps.logger);
}

/**
 * Apollo plugins that are not request hooks, with why they concern Apollo only; every other
 * Apollo plugin of server.ts is the hook list's own (RequestHooks.apolloPlugin).
 */
export const APOLLO_ONLY_PLUGINS: Record<string, string> = {
  drain: 'Apollo stops with the HTTP server: a lifecycle of the server, not of a request',
  'landing-page-disabled': "Apollo's own landing page (Sandbox, from a CDN) is off: GET /graphql for browsers is the console's route",
  limits: "the operation limits as Apollo validation; the compiled lane validates with the same rules (hardening operationLimitRules) before compiling and hands anything they refuse to Apollo",
  'access-control': 'authentication and request transactions of the resolvers; the compiled lane checks the key inside its statement and runs scoped callers in their own transaction (compiled/scoped.ts)',
  speed: "resolver-level batching of Apollo's execution, which the compiled lane does not have",
  'read-your-writes': 'the WAL position after a mutation (airledger-read-after, common/replica.ts), with DATABASE_READ_URL only: mutations run through Apollo alone, the compiled lane answers queries',
};
