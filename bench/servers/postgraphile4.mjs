/**
 * PostGraphile 4.14.1 over the same database, as an integrator would run it in production: the
 * simplify inflector (relations named `city`, `enterprises`, ...), connection-filter with
 * relation filters (for Q4's filter by the city's province), a pg pool of 20, no query log,
 * no GraphiQL, no watch.
 * Row-level security as the API's: the request header `x-bench-caller` (anonymous, national,
 * ministry, province, city) picks the PostgreSQL settings of the request (lib/callers.mjs).
 * Usage: DATABASE_URL=... PORT=... node servers/postgraphile4.mjs
 */
import http from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import PgSimplifyInflectorPlugin from '@graphile-contrib/pg-simplify-inflector';
import ConnectionFilterPlugin from 'postgraphile-plugin-connection-filter';
import { callerSettings } from '../lib/callers.mjs';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 20) });
const settingsOf = await callerSettings(pool);

const middleware = postgraphile(pool, 'public', {
  appendPlugins: [PgSimplifyInflectorPlugin, ConnectionFilterPlugin],
  graphileBuildOptions: { connectionFilterRelations: true },
  disableQueryLog: true,
  graphiql: false,
  watchPg: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  retryOnInitFail: false,
  extendedErrors: [],
  // The API's row-level security (common/auth.ts scopeStatement): each request in a transaction that
  // first sets the role and the scope of its caller (header x-bench-caller).
  pgSettings: (req) => settingsOf(req.headers['x-bench-caller']),
});

const server = http.createServer(middleware);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`postgraphile ready on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
