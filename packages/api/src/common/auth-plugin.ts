import type { ApolloServerPlugin } from '@apollo/server';
import { authenticateHttpRequest, closeRequestScope, openRequestScope, type RequestContext } from '../context.js';
import { closeReplicaRead, openReplicaRead, READ_AFTER_HEADER, readAfterOf, type ReadReplica } from './replica.js';

/**
 * The Apollo plugin of access control, one per server:
 * - authenticates the `Authorization: Bearer <key>` header when the request starts
 *   (context.ts authenticateHttpRequest, the function the export routes use too; one SQL
 *   statement), so that every later hook and resolver sees `ctx.actor`; a bad key fails the
 *   request with UNAUTHENTICATED (HTTP 401) once the operation is resolved;
 * - reads the `Idempotency-Key` header into `ctx.idempotencyKey`;
 * - opens the request transaction of scoped callers just before execution (only when the
 *   document names one operation to run) and commits it before the response is sent
 *   (context.ts); whatever fails in between, server.ts ends the request when its response
 *   closes (context.ts endRequest), which rolls back a transaction still open;
 * - with a read replica (`replica`), binds a national caller's query operation to a read-only
 *   transaction on it at the same point (common/replica.ts openReplicaRead: not before it has
 *   replayed the caller's `airledger-read-after` position, nor while it is down), ended the same
 *   way; mutations and scoped callers stay on the primary;
 * - in mutations only, records which root field runs (`ctx.mutation`) for the audit trail and
 *   idempotency (queries get no per-field hook, which would cost on large pages).
 */
export function accessControlPlugin({ replica = null }: { replica?: ReadReplica | null } = {}): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request, contextValue: ctx }) {
      let failure: unknown = null;
      try {
        // The same function as the export routes (context.ts contextForHttpRequest).
        await authenticateHttpRequest(ctx, request.http?.headers ?? {});
      } catch (error) {
        failure = error;
      }
      return {
        async didResolveOperation() {
          if (failure) throw failure;
        },
        async executionDidStart({ operation }) {
          // No operation to run (an unknown operationName, several operations and none named):
          // execution answers 400 without running anything, so no transaction is opened.
          if (!operation) return;
          // Committed in willSendResponse; should anything skip it (a throwing hook, an aborted
          // request), endRequest rolls it back when the response closes (server.ts).
          await openRequestScope(ctx);
          if (operation.operation === 'query' && replica) await openReplicaRead(ctx, replica, readAfterOf(request.http?.headers.get(READ_AFTER_HEADER) ?? undefined));
          if (operation.operation !== 'mutation') return;
          return {
            willResolveField({ info, args }) {
              if (info.path.prev === undefined) ctx.mutation = { name: info.fieldName, args: args as Record<string, unknown> };
            },
          };
        },
        async willSendResponse({ response }) {
          await closeReplicaRead(ctx);
          const error = await closeRequestScope(ctx);
          if (error && response.body.kind === 'single') {
            response.body.singleResult = {
              errors: [{ message: 'The request could not be committed; nothing it wrote was kept.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            };
            response.http.status = 500;
          }
        },
      };
    },
  };
}
