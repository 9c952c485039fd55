import type { RequestHook } from './hooks.js';

/**
 * AIRLEDGER_EXPOSE_SQL_COUNT: `extensions.sqlStatements` (the SQL statements the request sent) on
 * every GraphQL response, and `airledger-execution: compiled` on answers of the compiled lane.
 * The count itself is kept for every request (logs, metrics) by the server's listener.
 */
export function sqlCountHook(expose: boolean): RequestHook {
  return {
    name: 'sql-count',
    respond(record) {
      if (expose && record.execution === 'compiled') record.res.setHeader('airledger-execution', 'compiled');
    },
    responseExtensions: (record) => (expose ? { sqlStatements: record.sql.statements } : undefined),
  };
}
