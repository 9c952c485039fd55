/**
 * @airledger/sdk: the typed client of the airledger GraphQL API. The generated client arrives
 * with the SDK work; until then this package re-exports the shared enums and constants.
 */
export * from '@airledger/schema';
