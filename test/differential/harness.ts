/**
 * What the generator and the generated suite share: the two servers on one database (the demo
 * dataset of seed 20231001 on the plan's data), the API keys of the caller classes, requests,
 * and the SQL the compiler writes for a case.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { getOperationAST, getVariableValues, Kind, parse, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';
import { buildLedgerSchema } from '../../packages/api/src/schema.js';
import { READ_MODELS } from '../../packages/api/src/modules/index.js';
import { ReadCompiler } from '../../packages/api/src/common/compiled/compiler.js';
import { statementText } from '../../packages/api/src/common/compiled/handler.js';
import { CANNOT } from '../../packages/api/src/common/compiled/model.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SCOPED_CALLERS, type CallerClass } from './plan.js';

export { withoutTopLevelExtensions } from '../helpers/response-text.js';

export const CASES_DIR = path.resolve('test/differential/cases');
export const DEMO_SEED = 20231001;

export interface Harness {
  app: TestApp;
  reference: LedgerServer;
  referenceUrl: string;
  schema: GraphQLSchema;
  compiler: ReadCompiler;
  secrets: Record<CallerClass, string | null>;
  close(): Promise<void>;
}

/** The role of the key of each keyed caller class. */
const CALLER_ROLES: Record<Exclude<CallerClass, 'anonymous'>, string> = { readOnly: 'READ_ONLY', ministry: 'MINISTRY', province: 'PROVINCE', city: 'CITY' };

export async function startHarness(): Promise<Harness> {
  // Some 3,600 requests a run from one address, on both servers: the rate limit (a per-minute
  // count in the shared database) would answer some with 429.
  const app = await startTestApp({ config: { rateLimit: false } });
  await seedDemoIfEmpty(app.orm, DEMO_SEED);
  const config = { exposeSqlCount: true, introspection: true, compiledReads: false, rateLimit: false } as Parameters<typeof createServer>[1];
  const reference = await createServer(app.orm, config);
  await new Promise<void>((resolve) => reference.httpServer.listen(0, '127.0.0.1', resolve));
  const referenceUrl = `http://127.0.0.1:${(reference.httpServer.address() as AddressInfo).port}/graphql`;
  const schema = await buildLedgerSchema();
  const compiler = new ReadCompiler(schema, READ_MODELS, (entity) => app.orm.getMetadata().get(entity.name));
  const secrets: Record<CallerClass, string | null> = {
    anonymous: null,
    ministry: app.ministryToken,
    readOnly: (await app.createKey({ role: 'READ_ONLY', name: 'differential national READ_ONLY' })).secret,
    province: (await app.createKey({ role: 'PROVINCE', province: 'hebei' })).secret,
    city: (await app.createKey({ role: 'CITY', city: 'tangshan' })).secret,
  };
  // The demo writes no audit trail: a few changes through the API give it events of a city of
  // Hebei (by the ministry and by the CITY key), of a city elsewhere and of no city, created and changed.
  const mutate = async (secret: string, query: string, input: Record<string, unknown>, field: string) => {
    const d = await app.as(secret).data(query, { input });
    if (d[field].userErrors.length) throw new Error(`${field}: ${JSON.stringify(d[field].userErrors)}`);
    return d[field].apiKey.id as string;
  };
  const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } userErrors { field code message } } }`;
  const REVOKE = `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } userErrors { field code message } } }`;
  await mutate(secrets.ministry!, CREATE, { role: 'CITY', city: 'tangshan', name: 'differential audit tangshan' }, 'createApiKey');
  await mutate(secrets.ministry!, REVOKE, { id: await mutate(secrets.ministry!, CREATE, { role: 'CITY', city: 'taiyuan', name: 'differential audit taiyuan' }, 'createApiKey') }, 'revokeApiKey');
  await mutate(secrets.ministry!, CREATE, { role: 'READ_ONLY', name: 'differential audit national' }, 'createApiKey');
  await mutate(secrets.city!, REVOKE, { id: await mutate(secrets.city!, CREATE, { role: 'READ_ONLY', name: 'differential audit by the city' }, 'createApiKey') }, 'revokeApiKey');
  // The demo files the provinces' submissions; should a ledger hold none, Hebei files its
  // ban-zone designation, so that submission(id) has a record to draw from.
  const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from submission`);
  if (n === 0) {
    const filed = await app.as(secrets.province!).data(
      `mutation($input: FileSubmissionInput!) { fileSubmission(input: $input) { submission { id } userErrors { field code message } } }`,
      { input: { province: 'hebei', kind: 'BAN_ZONES' } },
    );
    if (filed.fileSubmission.userErrors.length) throw new Error(`fileSubmission: ${JSON.stringify(filed.fileSubmission.userErrors)}`);
  }
  return {
    app,
    reference,
    referenceUrl,
    schema,
    compiler,
    secrets,
    async close() {
      await reference.stop();
      await app.close();
    },
  };
}

export interface Answer {
  status: number;
  execution: string | null;
  contentType: string | null;
  text: string;
  body: any;
}

export async function post(url: string, secret: string | null, payload: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    // The same request id on both servers: errors carry it in extensions.requestId.
    headers: { 'content-type': 'application/json', 'x-request-id': 'differential', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparseable: text.slice(0, 500) };
  }
  return { status: res.status, execution: res.headers.get('airledger-execution'), contentType: res.headers.get('content-type'), text, body };
}

/**
 * The statement the compiled lane sends for a document, its variables and a caller class (the
 * lane's own steps: parse, coerce, compile, statementText), or why it answers through the
 * resolvers instead.
 */
export function compiledSql(h: Pick<Harness, 'schema' | 'compiler'>, document: string, variables: Record<string, unknown>, caller: CallerClass): { sql: string } | { reason: string } {
  const parsed = parse(document);
  const operation = getOperationAST(parsed, undefined);
  if (!operation) throw new Error('no operation');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of parsed.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(h.schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw new Error(`variables: ${coerced.errors.map((e) => e.message).join('; ')}`);
  const scoped = SCOPED_CALLERS.includes(caller);
  // The lane compiles a caller of one city (the CITY key of tangshan) with its city as an equality.
  const query = h.compiler.compile({ schema: h.schema, selectionSet: operation.selectionSet, fragments, variables: coerced.coerced, scoped, oneCity: caller === 'city' });
  if (query === CANNOT) return { reason: 'not compiled: an argument or field without a declared rule, or an answer that is an error' };
  if (caller === 'anonymous' && query.needsKey) return { reason: 'not public: anonymous callers are answered by the resolvers (UNAUTHENTICATED)' };
  // A root whose declared access rule refuses the caller's role: the statement's check leaves it to the resolvers (FORBIDDEN).
  for (const s of operation.selectionSet.selections) {
    const roles = s.kind === Kind.FIELD ? READ_MODELS.map((r) => r.roots[s.name.value]).find(Boolean)?.access?.roles : undefined;
    if (caller !== 'anonymous' && roles && !roles.includes(CALLER_ROLES[caller])) return { reason: `forbidden: a ${CALLER_ROLES[caller]} key may not read ${(s as { name: { value: string } }).name.value}; the resolvers refuse it (FORBIDDEN)` };
  }
  return { sql: `${statementText(query, caller !== 'anonymous' && !scoped)}\n` };
}

/** The committed SQL snapshot of a case: the statement, or a comment saying why there is none. */
export function snapshotText(result: { sql: string } | { reason: string }): string {
  return 'sql' in result ? result.sql : `-- ${result.reason}\n`;
}

export function caseFiles(): string[] {
  if (!fs.existsSync(CASES_DIR)) return [];
  return fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();
}
