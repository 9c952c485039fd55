import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DateTime } from './common/scalars.js';
import { RESOLVERS } from './modules/index.js';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolvers of every module. */
export function buildLedgerSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    // Every subscription declares its own `subscribe` on PostgreSQL LISTEN/NOTIFY
    // (common/notifications.ts): no in-process publish/subscribe, which could not reach other processes.
    pubSub: {
      publish() {
        throw new Error('Subscriptions are fed by PostgreSQL NOTIFY, not published in the process');
      },
      subscribe() {
        throw new Error('Every subscription declares its own subscribe function');
      },
    },
  }));
}

/** The SDL committed as packages/schema/schema.graphql: sorted, so that diffs are reviewable. */
export async function printLedgerSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildLedgerSchema())) + '\n';
}
