import type { Logger } from 'pino';
import type { RequestHook } from './hooks.js';

/**
 * One access log line per request, on every path, when its response closes: method, path (no
 * query string), status, duration, the request id, the caller's key id and role, the operation's
 * name and type, the execution path (compiled / resolvers) and the SQL statements sent. Nothing
 * else of the request is logged: no variables, no query text, no headers, no body, no key.
 */
export function accessLogHook(logger: Logger): RequestHook {
  return {
    name: 'access-log',
    finish(record, { status, aborted, seconds }) {
      logger.info(
        {
          requestId: record.id,
          method: record.method,
          path: record.path,
          status,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          keyId: record.keyId,
          role: record.role,
          operationName: record.operationName,
          operationType: record.operationType,
          execution: record.execution,
          sqlStatements: record.sql.statements,
          ...(aborted ? { aborted: true } : {}),
          ...(record.rateLimited ? { rateLimited: true } : {}),
        },
        'request',
      );
    },
  };
}
