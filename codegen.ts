/**
 * graphql-codegen configuration: the SDK is generated from the committed contract
 * (packages/schema/schema.graphql) and the operations in packages/sdk/src/operations.
 */
const config = {
  schema: 'packages/schema/schema.graphql',
  documents: ['packages/sdk/src/operations/**/*.graphql'],
  generates: {},
};

export default config;
