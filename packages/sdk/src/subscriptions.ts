/**
 * Subscriptions (graphql-ws over WebSocket, on the API's /graphql path): `client.subscribe(document,
 * variables)` is an async iterator of typed results. The socket is opened on the first
 * subscription, authenticated with the client's API key in connection_init, shared by every
 * subscription of the client, and reopened with graphql-ws's backoff when it drops (retryAttempts).
 * Browsers use their WebSocket; Node passes one (`import WebSocket from 'ws'`) as `webSocketImpl`.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import type { ClientOptions } from './types.js';

/** The WebSocket address of an API address: http(s)://host/graphql becomes ws(s)://host/graphql. */
export function webSocketUrl(url: string): string {
  return url.replace(/^http(s?):\/\//i, 'ws$1://');
}

export interface Subscriber {
  subscribe<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables> | string, variables?: TVariables): AsyncIterableIterator<TResult>;
  /** Closes the socket (every subscription of the client ends). */
  close(): Promise<void>;
}

export function createSubscriber(options: ClientOptions): Subscriber {
  let ws: Client | null = null;
  const socket = () =>
    (ws ??= createWsClient({
      url: webSocketUrl(options.url),
      webSocketImpl: options.webSocketImpl,
      connectionParams: () => (options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      retryAttempts: options.subscriptionRetries ?? 10,
      lazy: true,
    }));
  return {
    subscribe<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables> | string, variables?: TVariables): AsyncIterableIterator<TResult> {
      const query = typeof document === 'string' ? document : print(document);
      const results = socket().iterate<TResult>({ query, variables: (variables ?? {}) as Record<string, unknown> });
      const iterator: AsyncIterableIterator<TResult> = {
        async next() {
          const r = await results.next();
          if (r.done) return { value: undefined as never, done: true };
          if (r.value.errors?.length) throw new Error(r.value.errors.map((e) => e.message).join('; '));
          return { value: r.value.data as TResult, done: false };
        },
        async return() {
          await results.return?.();
          return { value: undefined as never, done: true };
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
    async close() {
      await ws?.dispose();
      ws = null;
    },
  };
}
