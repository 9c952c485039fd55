/**
 * A real API server on a real PostgreSQL database of its own (cloned from the run's template,
 * which holds every migration and the plan's data), listening on a free port.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '../../packages/api/src/mikro-orm.config.js';
import { ensureDatabase } from '../../packages/api/src/db/database.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface TestApp {
  url: string;
  orm: MikroORM;
  server: LedgerServer;
  databaseUrl: string;
  /** POSTs a GraphQL request and returns the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Like gql, but fails on any error and returns data. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs SQL on the test database. */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(options: { poolMax?: number } = {}): Promise<TestApp> {
  const adminUrl = inject('adminUrl');
  const name = `airledger_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const databaseUrl = await ensureDatabase(adminUrl, name, inject('templateDb'));
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: databaseUrl, poolMax: options.poolMax ?? 10 }));
  const server = await createServer(orm, { exposeSqlCount: true, introspection: true });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;

  const gql = async <T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  };

  return {
    url,
    orm,
    server,
    databaseUrl,
    gql,
    async data<T>(query: string, variables?: Record<string, unknown>) {
      const body = await gql<T>(query, variables);
      if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors, null, 2)}`);
      return body.data as T;
    },
    async sql<T>(query: string, params: unknown[] = []) {
      return (await orm.em.getConnection().execute(query, params)) as T[];
    },
    async close() {
      await server.stop();
      await orm.close(true);
    },
  };
}
