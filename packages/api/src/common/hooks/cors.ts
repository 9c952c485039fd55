import type { RequestHook } from './hooks.js';

/** Request headers a page of an allowed origin may send. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id', 'apollo-require-preflight', 'airledger-read-after'];
/** Response headers its script may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'content-disposition', 'airledger-execution', 'airledger-read-after'];
/** Seconds a browser may keep a preflight's answer. */
const MAX_AGE_SECONDS = 600;

/**
 * CORS for browser pages of the origins in AIRLEDGER_CORS_ORIGINS (none by default; `*` = any),
 * on every path (both GraphQL paths, exports), because it runs before either:
 * - a request with an allowed `Origin` gets `Access-Control-Allow-Origin` (the origin itself, or
 *   `*` when the list is `*`) and `Access-Control-Expose-Headers`; `Vary: Origin` whenever the
 *   answer depends on the origin;
 * - a preflight (OPTIONS with `Access-Control-Request-Method`) is answered here: 204 with the
 *   allowed methods (GET, POST) and headers for an allowed origin, 403 CORS_ORIGIN_NOT_ALLOWED
 *   otherwise;
 * - credentials: never `Access-Control-Allow-Credentials`. The API authenticates by the
 *   `Authorization` header (an allowed header), not cookies: pages send their key in it with
 *   `credentials: 'omit'` or the default `same-origin`; a request made with
 *   `credentials: 'include'` is refused by the browser.
 */
export function corsHook(origins: readonly string[]): RequestHook {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return {
    name: 'cors',
    arrive({ req, res, id }) {
      const origin = req.headers.origin;
      if (origin === undefined) return;
      const ok = any || allowed.has(origin);
      if (!any && allowed.size) res.setHeader('vary', 'Origin');
      if (ok) {
        res.setHeader('access-control-allow-origin', any ? '*' : origin);
        res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      }
      if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return;
      if (!ok) {
        res.statusCode = 403;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ errors: [{ message: `Origin ${origin} may not call this API (AIRLEDGER_CORS_ORIGINS).`, extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED', requestId: id } }] }));
        return false;
      }
      res.statusCode = 204;
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
      res.setHeader('access-control-max-age', String(MAX_AGE_SECONDS));
      res.setHeader('vary', 'Origin, Access-Control-Request-Headers');
      res.end();
      return false;
    },
  };
}
