import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withDefaults, type AppConfig } from './config.js';
import { createRequestContext, endRequest, type RequestContext } from './context.js';
import { LedgerError, toGraphQLError } from './common/errors.js';
import { continueCountingSql, instrumentSqlCounter } from './common/sql-counter.js';
import { createLogger, safeError, type Logger } from './common/log.js';
import { APOLLO_ONLY_PLUGINS, LedgerMetrics, requestHooks, requestRecord, type RequestHooks } from './common/hooks/index.js';
import { registerConsole } from './common/console.js';
import { registerDashboard } from './common/dashboard.js';
import { registerSubscriptions } from './common/subscriptions.js';
import { buildLedgerSchema } from './schema.js';
import { accessControlPlugin } from './common/auth-plugin.js';
import { speedPlugins } from './common/speed.js';
import { hardeningPlugins, jsonBody, parseOptions, registerHardening } from './common/hardening/index.js';
import { CACHE_MB, graphqlLane, type CompiledReadsCaches } from './common/compiled/handler.js';
import { documentStore } from './common/compiled/cache.js';
import { READ_MODELS } from './modules/index.js';
import type { ExportCapacity } from './modules/export/export.capacity.js';
import { ReadReplica, readYourWritesPlugin, rejectInvalidReadAfter } from './common/replica.js';

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
  /** The request hooks every request goes through (common/hooks). */
  hooks: RequestHooks;
  /** Names of Apollo's plugins: the hook list's own, and those of APOLLO_ONLY_PLUGINS. */
  apolloPlugins: string[];
  /** The server's logger. */
  logger: Logger;
  /** The read replica of DATABASE_READ_URL (null: none), common/replica.ts. */
  replica: ReadReplica | null;
  /** Stops accepting requests and waits for the ones in flight. */
  stop(): Promise<void>;
}

/**
 * Builds the HTTP application (GraphQL at /graphql, health at /healthz) without listening, so that
 * tests and main.ts share it. The process keeps no state of its own between requests: every
 * request gets a fresh EntityManager and fresh DataLoaders.
 */
export async function createServer(
  orm: MikroORM,
  given: Pick<AppConfig, 'exposeSqlCount' | 'introspection'> & Partial<AppConfig>,
  options: { logger?: Logger } = {},
): Promise<LedgerServer> {
  // What the caller left out comes from the environment, with the documented defaults.
  const config = withDefaults(given);
  const logger = options.logger ?? createLogger(config);
  const schema = await buildLedgerSchema();
  const app = express();
  // Both paths of /graphql send the same headers (and the framework is not advertised).
  app.disable('x-powered-by');
  let listener: http.RequestListener = app;
  const httpServer = http.createServer((req, res) => listener(req, res));
  // Every request's statements are counted (logs, metrics; extensions.sqlStatements when exposed).
  instrumentSqlCounter(orm);

  // Routes and the exports' capacity come first: the metrics read the exports' pool.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const rateLimit = registerHardening(app, orm, config);
  const exports = (await import('./modules/export/index.js')).registerExportRoutes(app, orm, config, logger);
  const replica = ReadReplica.forOrm(orm, config.databaseReadUrl, config.poolMax ?? 20);
  const metrics = new LedgerMetrics(orm, exports, replica);
  metrics.register(app, config.metricsToken);
  registerConsole(app, config.console, (line) => logger.warn(line));
  registerDashboard(app, config.dashboard, (line) => logger.warn(line));
  const hooks = requestHooks(config, { logger, metrics, rateLimit });

  // Apollo's plugins: the hook list's one plugin, and those concerning Apollo only (APOLLO_ONLY_PLUGINS).
  const plugins: [string, ApolloServerPlugin<RequestContext>][] = [
    ['drain', ApolloServerPluginDrainHttpServer({ httpServer })],
    ['landing-page-disabled', ApolloServerPluginLandingPageDisabled()],
    ...hardeningPlugins(config).map((p): [string, ApolloServerPlugin<RequestContext>] => ['limits', p]),
    ['access-control', accessControlPlugin({ replica })],
    ...(replica ? [['read-your-writes', readYourWritesPlugin(orm, logger)] as [string, ApolloServerPlugin<RequestContext>]] : []),
    ...(speedPlugins() as ApolloServerPlugin<RequestContext>[]).map((p): [string, ApolloServerPlugin<RequestContext>] => ['speed', p]),
    // @server-plugins (one line per plugin; a request hook goes in common/hooks/index.ts instead)
    // Last: it sees the response as the other plugins leave it.
    ['request-hooks', hooks.apolloPlugin<RequestContext>()],
  ];
  for (const [name] of plugins) if (name !== 'request-hooks' && !(name in APOLLO_ONLY_PLUGINS)) throw new Error(`Apollo plugin ${name} is not a request hook nor declared in APOLLO_ONLY_PLUGINS`);

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
    plugins: plugins.map(([, p]) => p),
    // Every error Apollo answers carries the request hooks' error extensions (the request id).
    formatError: (formatted, error) => hooks.formatApolloError(formatError(formatted, error)),
  });
  await apollo.start();
  const subscriptions = registerSubscriptions(httpServer, orm, schema, { listenUrl: config.listenUrl, logger });
  function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    if (original instanceof LedgerError) {
      const e = toGraphQLError(original);
      return { message: e.message, path: formatted.path, locations: formatted.locations, extensions: e.extensions };
    }
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
      // Unexpected failures (database errors included) are logged here and never shown to
      // clients: their messages can carry SQL and data.
      logger.error({ error: safeError(original) }, 'internal error');
      return { message: 'Internal server error.', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  }

  (await import('./modules/import/index.js')).registerImportRoutes(app, orm, config);
  // @server-routes (one line per route module: register(app, orm, config))
  app.use(
    '/graphql',
    // A malformed airledger-read-after header: 400 INVALID_READ_AFTER, as the compiled lane answers it.
    (req, res, next) => {
      if (!rejectInvalidReadAfter(req, res)) next();
    },
    jsonBody(config),
    // The body parser's callback runs in the socket's asynchronous context: the request's SQL counter is taken up again.
    (req, _res, next) => {
      const counter = requestRecord(req)?.sql;
      if (counter) continueCountingSql(counter, next);
      else next();
    },
    // The request context is made here, not inside Apollo, so that the request always ends with
    // endRequest when its response closes (finished or aborted): a request transaction that any
    // failure left open is rolled back and its connection returned to the pool.
    (req, res, next) => {
      const ctx = createRequestContext(orm);
      ctx.http = requestRecord(req);
      (res.locals as { ctx?: RequestContext }).ctx = ctx;
      res.once('close', () => void endRequest(ctx));
      next();
    },
    expressMiddleware(apollo, { context: async ({ res }) => (res.locals as { ctx: RequestContext }).ctx }),
  );

  // Queries compiled reads can answer take one SQL statement; everything else goes on to express and Apollo.
  let compiledCaches: LedgerServer['compiledCaches'] = () => null;
  // The request hooks run around both paths (common/hooks).
  listener = hooks.listener(app);
  if (config.compiledReads !== false) {
    const lane = graphqlLane(orm, app, { schema, models: READ_MODELS, config, hooks, logger, replica });
    listener = hooks.listener(lane);
    compiledCaches = lane.caches;
  }

  return {
    app,
    httpServer,
    apollo,
    exports,
    compiledCaches,
    hooks,
    apolloPlugins: plugins.map(([name]) => name),
    logger,
    replica,
    apolloDocumentCache: () => ({ bytes: apolloDocuments.cache.bytes, entries: apolloDocuments.cache.size, budgetBytes: apolloDocuments.cache.budgetBytes }),
    async stop() {
      await subscriptions.close();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((r) => httpServer.close(() => r()));
      await exports.close();
      await replica?.close();
    },
  };
}
