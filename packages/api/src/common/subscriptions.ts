/**
 * GraphQL subscriptions over WebSocket (graphql-ws protocol) on the API's own HTTP server and path
 * (/graphql): the upgrade is answered here, HTTP requests for subscriptions keep their 400.
 *
 * - Authentication: the API key in the connection_init payload (`{ "Authorization": "Bearer …" }`)
 *   or the upgrade request's Authorization header, checked by the very function HTTP requests use;
 *   a bad key closes the socket with 4401 before any subscription.
 * - Only subscriptions are served over the socket (queries and mutations go over HTTP, through
 *   the request hooks); at most MAX_SUBSCRIPTIONS_PER_SOCKET at a time on one socket.
 * - Fan-out between processes: PostgreSQL LISTEN/NOTIFY on one connection per process
 *   (common/notifications.ts); nothing but live sockets is kept in the process.
 */
import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError, OperationTypeNode, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Actor } from './actor.js';
import { authenticate } from './auth.js';
import { RequestLoaders } from './loaders.js';
import { NotificationChannel } from './notifications.js';
import type { Logger } from './log.js';
import type { RequestContext } from '../context.js';
import { WARNING_CHANNEL } from '../modules/warning/warning.subscription.js';

export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

/** What a socket carries besides graphql-ws's own (socket, request): who it is. */
type Extra = { actor?: Actor };

export interface Subscriptions {
  close(): Promise<void>;
}

export function registerSubscriptions(httpServer: http.Server, orm: MikroORM, schema: GraphQLSchema, options: { listenUrl?: string | null; logger: Logger }): Subscriptions {
  const url = options.listenUrl || (orm.config.get('clientUrl') as string);
  const warnings = new NotificationChannel(url, WARNING_CHANNEL, (error) => options.logger.warn({ error: String((error as Error)?.message ?? error) }, 'listen connection lost; reconnecting'));
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const dispose = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const fromPayload = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
        const header = typeof fromPayload === 'string' ? fromPayload : ctx.extra.request.headers.authorization;
        try {
          ctx.extra.actor = await authenticate(orm.em.getKnex(), header);
          return true;
        } catch (error) {
          ctx.extra.socket.close(4401, error instanceof GraphQLError ? error.message.slice(0, 120) : 'Unauthenticated');
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        let op;
        try {
          op = getOperationAST(parse(payload.query), payload.operationName ?? undefined);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document cannot be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (op?.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        return undefined;
      },
      context: (ctx): RequestContext => {
        const em = orm.em.fork();
        return { em, loaders: new RequestLoaders(em), actor: ctx.extra.actor!, idempotencyKey: null, mutation: null, scope: null, live: { orm, warnings } };
      },
    },
    wss,
  );
  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'Server stopping');
      await dispose.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await warnings.close();
    },
  };
}
