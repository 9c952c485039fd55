import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from './config.js';
import { createRequestContext, endRequest, type RequestContext } from './context.js';
import { LedgerError, toGraphQLError } from './common/errors.js';
import { currentSqlCount, instrumentSqlCounter, runCountingSql } from './common/sql-counter.js';
import { buildLedgerSchema } from './schema.js';
import { accessControlPlugin } from './common/auth-plugin.js';
import { speedPlugins } from './common/speed.js';
import { hardeningPlugins, jsonBody, parseOptions, registerHardening } from './common/hardening/index.js';
import { CACHE_MB, graphqlLane, type CompiledReadsCaches } from './common/compiled/handler.js';
import { documentStore } from './common/compiled/cache.js';
import { READ_MODELS } from './modules/index.js';
import type { ExportCapacity } from './modules/export/export.capacity.js';

export interface LedgerServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** The exports' capacity (slots, their own connection pool). */
  exports: ExportCapacity;
  /** What the caches of compiled reads hold (null with compiled reads off). */
  compiledCaches(): CompiledReadsCaches | null;
  /** What Apollo's cache of parsed documents holds (estimated bytes, entries, budget). */
  apolloDocumentCache(): { bytes: number; entries: number; budgetBytes: number };
  /** Stops accepting requests and waits for the ones in flight. */
  stop(): Promise<void>;
}

/** Adds `extensions.sqlStatements` (SQL statements sent for this request) when enabled. */
function sqlCountPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: currentSqlCount() ?? 0,
            };
          }
        },
      };
    },
  };
}

/**
 * Builds the HTTP application (GraphQL at /graphql, health at /healthz) without listening, so that
 * tests and main.ts share it. The process keeps no state of its own between requests: every
 * request gets a fresh EntityManager and fresh DataLoaders.
 */
export async function createServer(orm: MikroORM, config: Pick<AppConfig, 'exposeSqlCount' | 'introspection'> & Partial<AppConfig>): Promise<LedgerServer> {
  const schema = await buildLedgerSchema();
  const app = express();
  // Both paths of /graphql send the same headers (and the framework is not advertised).
  app.disable('x-powered-by');
  let listener: http.RequestListener = app;
  const httpServer = http.createServer((req, res) => listener(req, res));
  if (config.exposeSqlCount) instrumentSqlCounter(orm);

  const apolloDocuments = documentStore((config.compiledCacheMb ?? CACHE_MB) * 1024 * 1024);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Apollo adds stack traces (server paths) outside NODE_ENV=production unless told not to.
    includeStacktraceInErrorResponses: config.debugErrors === true,
    // main.ts owns SIGINT/SIGTERM (drain, pool, embedded PostgreSQL, exit code): Apollo must not re-raise them.
    stopOnTerminationSignals: false,
    parseOptions: parseOptions(config),
    // Parsed documents, bounded by their estimated size in memory (AIRLEDGER_COMPILED_CACHE_MB).
    documentStore: apolloDocuments,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      ...(config.exposeSqlCount ? [sqlCountPlugin()] : []),
      ...hardeningPlugins(config),
      accessControlPlugin(),
      ...(speedPlugins() as ApolloServerPlugin<RequestContext>[]),
      // @server-plugins (one line per plugin)
    ],
    formatError(formatted, error) {
      const original = unwrapResolverError(error);
      if (original instanceof LedgerError) {
        const e = toGraphQLError(original);
        return { message: e.message, path: formatted.path, locations: formatted.locations, extensions: e.extensions };
      }
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        // Unexpected failures (database errors included) are logged here and never shown to
        // clients: their messages can carry SQL and data.
        console.error('[airledger] internal error:', original);
        return { message: 'Internal server error.', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const rateLimit = registerHardening(app, orm, config);
  const exports = (await import('./modules/export/index.js')).registerExportRoutes(app, orm, config);
  (await import('./modules/import/index.js')).registerImportRoutes(app, orm, config);
  // @server-routes (one line per route module: register(app, orm, config))
  app.use(
    '/graphql',
    jsonBody(config),
    (_req, _res, next) => (config.exposeSqlCount ? runCountingSql(() => next()) : next()),
    // The request context is made here, not inside Apollo, so that the request always ends with
    // endRequest when its response closes (finished or aborted): a request transaction that any
    // failure left open is rolled back and its connection returned to the pool.
    (_req, res, next) => {
      const ctx = createRequestContext(orm);
      (res.locals as { ctx?: RequestContext }).ctx = ctx;
      res.once('close', () => void endRequest(ctx));
      next();
    },
    expressMiddleware(apollo, { context: async ({ res }) => (res.locals as { ctx: RequestContext }).ctx }),
  );

  // Queries compiled reads can answer take one SQL statement; everything else goes on to express and Apollo.
  let compiledCaches: LedgerServer['compiledCaches'] = () => null;
  if (config.compiledReads !== false) {
    const lane = graphqlLane(orm, app, { schema, models: READ_MODELS, config, rateLimit });
    listener = lane;
    compiledCaches = lane.caches;
  }

  return {
    app,
    httpServer,
    apollo,
    exports,
    compiledCaches,
    apolloDocumentCache: () => ({ bytes: apolloDocuments.cache.bytes, entries: apolloDocuments.cache.size, budgetBytes: apolloDocuments.cache.budgetBytes }),
    async stop() {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((r) => httpServer.close(() => r()));
      await exports.close();
    },
  };
}
