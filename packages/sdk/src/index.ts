/**
 * @airledger/sdk: the typed client of the airledger GraphQL API.
 *
 * - createClient(options): one typed method per operation, `client.paginate.*`, `client.request`
 * - typed errors (AirledgerError and its subclasses)
 * - the generated operation types and TypedDocumentNodes (`CitiesDocument`, `CitiesQuery`...)
 * - the shared enums and constants of @airledger/schema
 */
export * from '@airledger/schema';
export * from './__generated__/graphql.js';
export { OPERATIONS, type OperationName, type Operations, type Paginators } from './__generated__/sdk.js';
export { createClient, createTransport, type AirledgerClient, type Transport } from './client.js';
export { PageIterator, DEFAULT_ALL_MAX } from './paginate.js';
export { webSocketUrl, type Subscriber } from './subscriptions.js';
export { downloadExport, exportStream, exportUrl, saveExportToFile, type ExportFetch, type ExportFormat, type ExportName, type ExportOptions, type ExportParams } from './exports.js';
export { DEFAULTS, backoffDelay, type AnyDocument } from './transport.js';
export {
  AirledgerError,
  AuthenticationError,
  PermissionError,
  ValidationError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  NetworkError,
  TimeoutError,
  ServerError,
  isAirledgerError,
  assertNoUserErrors,
  parseRetryAfter,
  type AirledgerErrorDetails,
  type FieldError,
  type GraphQLErrorShape,
  type UserErrorShape,
} from './errors.js';
export type {
  ClientOptions,
  RequestOptions,
  PaginateOptions,
  ConnectionPage,
  FetchLike,
  FetchResponseLike,
  OperationRequester,
  ConnectionPaginator,
} from './types.js';
export type { TypedDocumentNode } from '@graphql-typed-document-node/core';
