/**
 * PostGraphile 5 over the bench database, configured like the v4 server (servers/postgraphile4.mjs):
 * simplify inflection, connection-filter with relation filters, a pg pool of 20, no GraphiQL,
 * no watch; the Node interface is off so that `id` is the row id, as in v4 with the simplify inflector.
 * Row-level security as the API's: pgSettings of the caller named by the header x-bench-caller (lib/callers.mjs).
 * Runs on Node 22 (bench/pg5/node_modules/node). Usage: DATABASE_URL=... PORT=... node22 server.mjs
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { callerSettings } from '../lib/callers.mjs';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 20) });
const settingsOf = await callerSettings(pool);

const preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
  // PgIndexBehaviorsPlugin would hide ordering by unindexed columns (the cities' plan order).
  disablePlugins: ['NodePlugin', 'PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  schema: { connectionFilterRelations: true },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: {
    explain: false,
    // The API's row-level security, as in servers/postgraphile4.mjs: the caller of header x-bench-caller.
    context: (requestContext) => ({ pgSettings: settingsOf(requestContext.node?.req?.headers['x-bench-caller']) }),
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (e) => console.error(e));
await serv.addTo(server);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`postgraphile5 ready on ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => pgl.release().then(() => pool.end()).then(() => process.exit(0))));
