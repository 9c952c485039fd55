/**
 * The request hooks: ONE list (index.ts requestHooks) of what every request goes through,
 * whichever path answers it. The compiled lane (common/compiled/handler.ts) answers JSON POSTs
 * to /graphql before express and Apollo see them, so a hook that lived in express middleware or
 * in an Apollo plugin would miss those requests; instead:
 *
 * - `arrive` and `finish` run in the server's request listener (RequestHooks.listener), around
 *   both paths, for every request (GraphQL on either path, exports, console, metrics, health);
 * - `respond`, `responseExtensions` and `errorExtensions` run when a GraphQL response is about
 *   to be sent, called by the compiled lane (RequestHooks.graphqlResponse) and by Apollo through
 *   the list's one plugin (RequestHooks.apolloPlugin) and its formatError (formatApolloError,
 *   which sees every error Apollo answers), so both paths send the same headers, extensions and
 *   error extensions. Error bodies written outside GraphQL (400, 413, 429) get
 *   `errorExtensions` through hardening/errors.ts sendHttpError (record.ts errorExtensionsOf).
 *
 * test/e2e/request-hooks.test.ts checks each hook's effect on a compiled answer, a resolvers'
 * answer and an export, and that Apollo has no plugin of its own outside the list.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { runCountingSql, currentSqlCounter } from '../sql-counter.js';
import { safeError, type Logger } from '../log.js';
import { currentRequestRecord, routeOf, setRequestRecord, type ExecutionPath, type RequestRecord } from './record.js';

/** How a request ended, for the `finish` hooks. */
export interface RequestOutcome {
  status: number;
  /** The response did not finish (the client went away, the socket was destroyed). */
  aborted: boolean;
  /** Seconds from arrival to the end of the response. */
  seconds: number;
}

/** One hook of the list. Every stage is optional; a hook that has a GraphQL stage gets it on both paths. */
export interface RequestHook {
  readonly name: string;
  /**
   * Every HTTP request, in list order, before either path reads it. Returns false when the hook
   * answered the request itself (a preflight, a 429): the rest of the list and both paths are
   * skipped (`finish` still runs).
   */
  arrive?(record: RequestRecord): boolean | void | Promise<boolean | void>;
  /** A GraphQL response is about to be sent (record.execution, operationName and the caller are set); may set headers. */
  respond?(record: RequestRecord): void;
  /** Entries of the GraphQL response's `extensions`. */
  responseExtensions?(record: RequestRecord): Record<string, unknown> | undefined;
  /** Entries every error of the response carries in its `extensions` (GraphQL errors and HTTP error bodies alike). */
  errorExtensions?(record: RequestRecord): Record<string, unknown> | undefined;
  /** The response is over (finished or aborted). */
  finish?(record: RequestRecord, outcome: RequestOutcome): void;
}

/** What a GraphQL answer of the compiled lane is about, for RequestHooks.graphqlResponse. */
export interface GraphQLAnswer {
  execution: ExecutionPath;
  operationName: string | null;
  operationType: string | null;
  keyId: number | null;
  role: string | null;
}

export class RequestHooks {
  constructor(
    readonly list: readonly RequestHook[],
    private readonly logger?: Logger,
  ) {}

  /** Names of the hooks, in order. */
  get names(): string[] {
    return this.list.map((h) => h.name);
  }

  /** Extensions every error about this request carries. */
  errorExtensions(record: RequestRecord): Record<string, unknown> {
    let out: Record<string, unknown> = {};
    for (const hook of this.list) if (hook.errorExtensions) out = { ...out, ...hook.errorExtensions(record) };
    return out;
  }

  /**
   * The server's request listener: makes the request's record, runs the `arrive` hooks, then
   * `next` (the compiled lane, which hands what it does not answer to express), all within the
   * request's SQL statement counter; `finish` runs when the response closes.
   */
  listener(next: RequestListener): RequestListener {
    return (req, res) =>
      runCountingSql(() => {
        const record = this.record(req, res);
        setRequestRecord(record, () => this.errorExtensions(record));
        res.once('close', () => {
          const outcome: RequestOutcome = {
            status: res.statusCode,
            aborted: !res.writableFinished,
            seconds: Number(process.hrtime.bigint() - record.startedAt) / 1e9,
          };
          for (const hook of this.list) {
            try {
              hook.finish?.(record, outcome);
            } catch (error) {
              this.logger?.error({ error: safeError(error), hook: hook.name }, 'request hook failed at finish');
            }
          }
        });
        void this.arrive(record).then(
          (go) => {
            if (go) next(req, res);
          },
          (error: unknown) => {
            this.logger?.error({ error: safeError(error) }, 'request hook failed');
            if (res.headersSent) return res.destroy();
            res.statusCode = 500;
            res.setHeader('content-type', 'application/json; charset=utf-8');
            res.end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', ...this.errorExtensions(record) } }] }));
          },
        );
      });
  }

  private async arrive(record: RequestRecord): Promise<boolean> {
    for (const hook of this.list) {
      if (!hook.arrive) continue;
      const result = hook.arrive(record);
      // Synchronous hooks stay synchronous (no extra turn of the event loop per request).
      if ((result instanceof Promise ? await result : result) === false) return false;
    }
    return true;
  }

  private record(req: IncomingMessage, res: ServerResponse): RequestRecord {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    return {
      req,
      res,
      id: randomUUID(),
      startedAt: process.hrtime.bigint(),
      method: req.method ?? 'GET',
      path,
      route: routeOf(path),
      operationName: null,
      operationType: null,
      execution: null,
      keyId: null,
      role: null,
      rateLimited: false,
      sql: currentSqlCounter() ?? { statements: 0 },
    };
  }

  /**
   * The compiled lane's side: records what the answer is, runs `respond`, and returns the
   * response's extensions (null: none) and the extensions of its errors.
   */
  graphqlResponse(record: RequestRecord | undefined, answer: GraphQLAnswer): { extensions: Record<string, unknown> | null; errorExtensions: Record<string, unknown> } {
    if (!record) return { extensions: null, errorExtensions: {} };
    Object.assign(record, answer);
    return this.respond(record);
  }

  private respond(record: RequestRecord): { extensions: Record<string, unknown> | null; errorExtensions: Record<string, unknown> } {
    let extensions: Record<string, unknown> | null = null;
    for (const hook of this.list) {
      hook.respond?.(record);
      const more = hook.responseExtensions?.(record);
      if (more) extensions = { ...(extensions ?? {}), ...more };
    }
    return { extensions, errorExtensions: this.errorExtensions(record) };
  }

  /** Apollo's formatError side: an error Apollo answers, with the request's error extensions. */
  formatApolloError(error: GraphQLFormattedError): GraphQLFormattedError {
    const record = currentRequestRecord();
    if (!record) return error;
    return { ...error, extensions: { ...error.extensions, ...this.errorExtensions(record) } };
  }

  /**
   * Apollo's side, as its one plugin: the operation, the execution path ('resolvers') and the
   * caller (ctx.actor, authenticated by the access-control plugin) go into the record, then the
   * same `respond`, `responseExtensions` and `errorExtensions` as the compiled lane.
   */
  apolloPlugin<C extends { actor: { keyId?: number | null; role: string }; http?: RequestRecord }>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ contextValue, operationName, operation, response }) => {
          const record = contextValue.http;
          if (!record) return;
          const actor = contextValue.actor;
          Object.assign(record, {
            execution: 'resolvers',
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            keyId: actor.keyId ?? null,
            role: actor.keyId ? actor.role : null,
          } satisfies GraphQLAnswer);
          // Errors got the error extensions in Apollo's formatError (formatApolloError), which sees
          // every error Apollo answers, those of requests that never reach the plugins included.
          const { extensions } = this.respond(record);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (extensions) result.extensions = { ...(result.extensions ?? {}), ...extensions };
        },
      }),
    };
  }
}
