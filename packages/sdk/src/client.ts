/**
 * The client: the transport, one typed method per operation (generated), paginators (generated)
 * and `request` for any typed document.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createOperations, createPaginators, type Operations, type Paginators } from './__generated__/sdk.js';
import { paginateWith, type PageIterator } from './paginate.js';
import { send, settingsOf } from './transport.js';
import { createSubscriber, type Subscriber } from './subscriptions.js';
import type { ClientOptions, ConnectionPage, OperationRequester, PagedVariables, PaginateOptions, RequestOptions } from './types.js';

/** The transport alone: `request` and `paginateConnection`, without the generated methods. */
export interface Transport {
  /**
   * Sends any GraphQL document and returns its data, typed when the document is a
   * TypedDocumentNode (from graphql-codegen, `gql` with a type parameter, or the SDK's own
   * `*Document` exports). A string document is accepted too (its result is `unknown` unless given).
   */
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables, options?: RequestOptions): Promise<TResult>;
  request<TResult = unknown>(document: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<TResult>;
  /** Iterates the connection that `select` picks from the result of any paged query document. */
  paginateConnection<TResult, TVariables extends PagedVariables, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: Omit<TVariables, 'after'> | undefined,
    select: (data: TResult) => ConnectionPage<TNode>,
    options?: PaginateOptions,
  ): PageIterator<TNode>;
}

/** The client: one typed method per operation, paginators, and the transport. */
export type AirledgerClient = Operations & Transport & Subscriber & {
  /** One paginator per list query: `for await (const city of client.paginate.cities({ first: 100 }))`. */
  readonly paginate: Paginators;
};

/**
 * A transport without the generated methods, for the smallest bundles: pair it with the SDK's
 * `*Document` exports or your own typed documents.
 */
export function createTransport(options: ClientOptions): Transport {
  const settings = settingsOf(options);
  const request = ((document: unknown, variables?: unknown, requestOptions?: RequestOptions) =>
    send(settings, document as string, variables, requestOptions)) as Transport['request'];
  const paginateConnection = paginateWith(request as OperationRequester);
  return { request, paginateConnection };
}

/**
 * Creates a client of the airledger API.
 *
 * ```ts
 * const client = createClient({ url: 'https://airledger.example.org/graphql', token: process.env.AIRLEDGER_TOKEN });
 * const { city } = await client.city({ slug: 'shijiazhuang' });
 * for await (const { warningChanged } of client.subscribe(WarningChangedDocument, { filter: { city: 'tangshan' } })) { … }
 * ```
 */
export function createClient(options: ClientOptions): AirledgerClient {
  const transport = createTransport(options);
  const requester = transport.request as OperationRequester;
  return {
    ...createOperations(requester),
    request: transport.request,
    paginateConnection: transport.paginateConnection,
    paginate: createPaginators(transport.paginateConnection),
    ...createSubscriber(options),
  };
}
