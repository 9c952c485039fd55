/**
 * The HTTP side of compiled reads: the server's request listener reads POSTs to /graphql and
 * answers a query with one SQL statement when ReadCompiler can compile it; it hands every other
 * request (mutations, GET, anything not compiled, any unusual outcome) to express and Apollo
 * unchanged.
 *
 * Per request it does what Apollo does for the same request, in fewer steps:
 * - the document is parsed (with the token limit) and validated (graphql-js rules and the
 *   operation limits of common/hardening) once per distinct text, then cached; variables are
 *   coerced and the cost limit checked per request; anything invalid goes to Apollo, which
 *   answers with its usual errors;
 * - the caller's API key is looked up inside the statement itself: unrestricted callers
 *   (anonymous on public types, MINISTRY and national READ_ONLY keys) are answered by it; a key
 *   restricted to some cities (CITY, PROVINCE, scoped READ_ONLY) is answered by the scoped path
 *   (scoped.ts: the operation compiled with the scope predicate, run in the caller's
 *   row-level-security transaction); an unknown, revoked or expired key goes to Apollo (401);
 * - the statement returns the response's JSON as text, written out as it is.
 * The process keeps only caches of compiled text (no data): several processes behave as one.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isNonNullType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  HardeningErrorCode,
  hardeningConfig,
  isStatementTimeout,
  operationCost,
  operationInputIssues,
  operationLimitRules,
  sendHttpError,
  STATEMENT_TIMEOUT_MESSAGE,
} from '../hardening/index.js';
import { continueCountingSql, countSqlStatement } from '../sql-counter.js';
import { errorExtensionsOf, requestRecord, type RequestHooks } from '../hooks/index.js';
import { safeError, type Logger } from '../log.js';
import { issuerChainCte, ISSUER_CHAIN_VALID, KEY_NATIONAL_SQL } from '../auth.js';
import type { AppConfig } from '../../config.js';
import { CANNOT, type Cannot, type ReadModels } from './model.js';
import { ReadCompiler, type CompiledQuery } from './compiler.js';
import { AST_BYTES_PER_CHAR, ByteBudgetCache, stringBytes } from './cache.js';
import { SCOPED_SETUP_SQL, setupOutcome } from './scoped.js';
import { compiledMediaType } from './media-type.js';
import { READ_AFTER_HEADER, readAfterOf, rejectInvalidReadAfter, type ReadReplica } from '../replica.js';

/** Default memory budget of each of the two caches of compiled text (AIRLEDGER_COMPILED_CACHE_MB). */
export const CACHE_MB = 32;
/** Budget of the cache of bearer token hashes (a few thousand tokens). */
const TOKEN_CACHE_BYTES = 1024 * 1024;
/** What the caches of compiled reads hold (their estimated bytes, entries and budget), for tests and diagnostics. */
export interface CompiledReadsCaches {
  documents: { bytes: number; entries: number; budgetBytes: number };
  statements: { bytes: number; entries: number; budgetBytes: number };
  tokens: { bytes: number; entries: number; budgetBytes: number };
}

interface Plan {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Key of the plan in the statement cache (a number per parsed document: the query text is not repeated in every statement key). */
  key: number;
}

/**
 * Named prepared statements per process by default (AIRLEDGER_PREPARED_STATEMENTS): PostgreSQL
 * then parses and plans a repeated query once per connection instead of once per request (about
 * 3x the statements per second of the database on one-record reads). Each pooled connection keeps
 * the ones it ran until it closes (a nested list's plan takes about 170 KB), so the number is
 * capped; past it, new texts run unnamed.
 */
const PREPARED = 100;

/** SQL text of a compiled query for one kind of caller, with the name it is prepared under. */
interface Sql {
  text: string;
  name?: string;
}

/** A compiled query with its SQL for anonymous and keyed callers (built when first needed). */
interface Statement extends CompiledQuery {
  anonymous?: Sql;
  keyed?: Sql;
  /** The same operation compiled for a caller restricted to some cities (scoped.ts), built when first needed. */
  scoped?: { query: CompiledQuery; sql: Sql } | Cannot;
  compileScoped(): CompiledQuery | Cannot;
}

interface PgConnection {
  query(config: { text: string; name?: string; values: unknown[]; rowMode: 'array' }, callback: (error: Error | null, result: { rows: unknown[][] }) => void): void;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

/**
 * A caller may be answered here when its key is not restricted to some cities (auth.ts isScoped)
 * and works by the rule of auth.ts authenticate: neither it nor any key that issued it
 * (transitively) is revoked or expired (issuerChainCte, ISSUER_CHAIN_VALID).
 */
const KEY_CTE = `with recursive ${issuerChainCte('k.secret_hash = $KEY')},
  k as (select ${KEY_NATIONAL_SQL} as national, k.id, k.role
  from issuers i join api_key k on k.id = i.id where i.depth = 0 and ${ISSUER_CHAIN_VALID})`;

/**
 * Estimated bytes of a cached statement: its key, its compiled parts, and the two SQL texts built
 * from them later (anonymous and keyed callers), each about the parts' size.
 */
function statementBytes(key: string, statement: Statement | Cannot): number {
  if (statement === CANNOT) return stringBytes(key) + 64;
  let parts = 0;
  for (const r of statement.roots) parts += stringBytes(r);
  for (const c of statement.checks) parts += stringBytes(c);
  return stringBytes(key) + 3 * parts + stringBytes(KEY_CTE) + 2 * JSON.stringify(statement.values).length + 256;
}

/**
 * The SQL text the lane sends for a compiled query: `keyed` for a caller with an API key (the key
 * checked in the statement, national keys answered), unkeyed for anonymous callers and for the
 * scoped variant (run after the scoped set-up). The generated differential cases snapshot it.
 */
export function statementText(s: CompiledQuery, keyed: boolean): string {
  const checks = s.checks.length ? `not (${s.checks.map((c) => `(${c})`).join(' or ')})` : 'true';
  const ok = keyed ? `coalesce((select national from k), false) and ${checks}` : checks;
  const roots = s.roots.map((r) => `case when o.ok then ${r} end`).join(', ');
  // Keyed: the column after the roots says whether the key works and is national (true), works and
  // is restricted to some cities (false: answered by the scoped path, scoped.ts), or does not
  // (null); the last two are the key's id and role (for the request hooks: logs, metrics).
  const select = keyed
    ? `select o.ok, ${roots}, (select national from k), (select id from k), (select role from k) from (select ${ok} as ok) o`
    : `select o.ok, ${roots} from (select ${ok} as ok) o`;
  return keyed ? `${KEY_CTE.replace('$KEY', `$${s.values.length + 1}`)}\n${select}` : select;
}

/** The first field of the operation (fragments included) answered under response key `key`. */
function rootField(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, key: string, seen = new Set<string>()): FieldNode | undefined {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if ((s.alias ?? s.name).value === key) return s;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const found = rootField(s.selectionSet, fragments, key, seen);
      if (found) return found;
    } else if (!seen.has(s.name.value) && fragments[s.name.value]) {
      seen.add(s.name.value);
      const found = rootField(fragments[s.name.value].selectionSet, fragments, key, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The JSON the resolvers answer when a query's statement hits statement_timeout: HTTP 200, a
 * STATEMENT_TIMEOUT error per root field (with its locations and path) and the field null, or
 * `data: null` when a root field is non-null. The compiled statement reads every root field at
 * once, so every one of them failed.
 */
function statementTimeoutJson(schema: GraphQLSchema, plan: Plan, keys: string[], errorExtensions: Record<string, unknown>): string {
  const queryType = schema.getQueryType()!;
  const errors: unknown[] = [];
  const data: Record<string, unknown> = {};
  let nullData = false;
  for (const key of keys) {
    const node = rootField(plan.operation.selectionSet, plan.fragments, key);
    const name = node?.name.value ?? key;
    if (name === '__typename') {
      data[key] = queryType.name;
      continue;
    }
    errors.push(new GraphQLError(STATEMENT_TIMEOUT_MESSAGE, { nodes: node ? [node] : undefined, path: [key], extensions: { code: HardeningErrorCode.STATEMENT_TIMEOUT, ...errorExtensions } }).toJSON());
    data[key] = null;
    const field = queryType.getFields()[name];
    if (field && isNonNullType(field.type)) nullData = true;
  }
  return JSON.stringify({ errors, data: nullData ? null : data }).slice(0, -1);
}

export interface CompiledReadsOptions {
  schema: GraphQLSchema;
  models: ReadModels[];
  config: Partial<AppConfig>;
  /** The request hooks (common/hooks): the lane's answers go through their GraphQL stages as Apollo's do. */
  hooks: RequestHooks;
  logger: Logger;
  /** The read replica (DATABASE_READ_URL) national callers' statements run on; null: the primary only. */
  replica?: ReadReplica | null;
}

/** A GraphQL request body as JSON gives it. */
interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** `application/json`, in UTF-8 (the only charset the lane reads; others go to express). */
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The HTTP request listener of the server (server.ts): POSTs of JSON to /graphql are read here,
 * counted by the rate limiter and answered by compiled reads when they can be; every other
 * request, and every one compiled reads hands back, goes to the express application `app`, which
 * finds the body already read (req.body) and the request already counted. Express's routing and
 * body parser cost more than the rest of a compiled answer, hence a lane of its own. Bodies it
 * does not read as express would (no Content-Length, compressed, another charset, too large) go
 * to express unread.
 */
export function graphqlLane(
  orm: MikroORM,
  app: (req: IncomingMessage, res: ServerResponse) => void,
  options: CompiledReadsOptions,
): ((req: IncomingMessage, res: ServerResponse) => void) & { caches(): CompiledReadsCaches } {
  const { answer, caches } = compiledReads(orm, options);
  const { maxBodyBytes } = hardeningConfig(options.config);
  const { logger } = options;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const length = Number(req.headers['content-length']);
    const encoding = req.headers['content-encoding'];
    if (
      req.method !== 'POST' ||
      req.url !== '/graphql' ||
      !JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '') ||
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      req.headers['transfer-encoding'] !== undefined ||
      !Number.isInteger(length) ||
      length > maxBodyBytes
    ) {
      return app(req, res);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= length) chunks.push(chunk);
    });
    // The body's events come in the socket's asynchronous context: the request's SQL counter is
    // taken up again for what follows.
    const counter = requestRecord(req)?.sql;
    req.on('end', () => {
      if (counter) continueCountingSql(counter, afterBody);
      else afterBody();
    });
    const afterBody = () => {
      void (async () => {
        if (size !== length) {
          return sendHttpError(req, res, 400, HardeningErrorCode.BAD_REQUEST, 'request size did not match content length');
        }
        // As express.json (strict): a UTF-8 byte order mark is dropped, an empty body is {},
        // anything but an object or array is not JSON.
        const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
        let body: unknown = {};
        if (text.length) {
          const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
          try {
            if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
            body = JSON.parse(text);
          } catch {
            return sendHttpError(req, res, 400, HardeningErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
          }
        }
        (req as IncomingMessage & { body?: unknown }).body = body;
        const next = () => app(req, res);
        const attempt = () => {
          try {
            answer(req, res, body as GraphQLBody, next);
          } catch (error) {
            // A compiler failure is a bug, not the caller's: the resolvers answer instead.
            logger.error({ error: safeError(error) }, 'compiled reads failed, request handed to the resolvers');
            next();
          }
        };
        attempt();
      })().catch((error: unknown) => {
        logger.error({ error: safeError(error) }, 'internal error');
        if (res.headersSent) return res.destroy();
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', ...errorExtensionsOf(req) } }] }));
      });
    };
  };
  return Object.assign(listener, { caches });
}

/** Who a compiled answer was for (null: anonymous). */
interface Caller {
  keyId: number | null;
  role: string | null;
}
const NO_CALLER: Caller = { keyId: null, role: null };

type Answer = (req: IncomingMessage, res: ServerResponse, body: GraphQLBody, next: () => void) => void;

/** Compiled reads: answers a GraphQL request body with one SQL statement, or calls `next`. */
function compiledReads(orm: MikroORM, { schema, models, config, hooks, replica = null }: CompiledReadsOptions): { answer: Answer; caches(): CompiledReadsCaches } {
  const compiler = new ReadCompiler(schema, models, (entity) => orm.getMetadata().get(entity.name));
  const limits = hardeningConfig(config);
  const rules: ValidationRule[] = [...specifiedRules, ...operationLimitRules(limits)];
  const parseOptions = limits.maxTokens > 0 ? { maxTokens: limits.maxTokens } : {};
  // Bounded by estimated bytes (least recently used first out): a budget in entries let 1,800
  // distinct 15 KB documents take 2 GB.
  const budget = (config.compiledCacheMb ?? CACHE_MB) * 1024 * 1024;
  const plans = new ByteBudgetCache<string, Plan | null>(budget);
  const statements = new ByteBudgetCache<string, Statement | Cannot>(budget);
  let planKeys = 0;
  const client = (orm.em.getKnex() as unknown as { client: KnexClient }).client;
  const prepared = new Set<string>();
  // sha256 of recent bearer tokens (the form api_key stores), so that a busy key is hashed once.
  const hashes = new ByteBudgetCache<string, string>(TOKEN_CACHE_BYTES);
  const hashOf = (token: string): string => {
    let hash = hashes.get(token);
    if (!hash) hashes.set(token, (hash = createHash('sha256').update(token, 'utf8').digest('hex')), stringBytes(token) + stringBytes(hash) + 64);
    return hash;
  };

  const sqlOf = (statement: CompiledQuery, keyed: boolean): Sql => {
    const text = statementText(statement, keyed);
    const name = `airledger_${createHash('sha1').update(text).digest('base64url')}`;
    if (prepared.has(name) || prepared.size < (config.preparedStatements ?? PREPARED)) {
      prepared.add(name);
      return { text, name };
    }
    return { text };
  };

  const planOf = (query: string, operationName: string | undefined): Plan | null => {
    const cacheKey = `${operationName ?? ''}\n${query}`;
    let plan = plans.get(cacheKey);
    if (plan !== undefined) return plan;
    plan = null;
    try {
      const document = parse(query, parseOptions);
      const operation = validate(schema, document, rules).length ? null : getOperationAST(document, operationName);
      if (operation?.operation === 'query') {
        const fragments: Record<string, FragmentDefinitionNode> = {};
        for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
        plan = { document, operation, fragments, key: ++planKeys };
      }
    } catch {
      plan = null;
    }
    // A document that is not kept as a plan is remembered as such (null) for the text's cost only.
    plans.set(cacheKey, plan, stringBytes(cacheKey) + (plan ? AST_BYTES_PER_CHAR * query.length : 0) + 64);
    return plan;
  };

  const statementOf = (plan: Plan, variables: Record<string, unknown>): Statement | Cannot => {
    // Refused input (NUL characters, over-long text): Apollo answers it, nothing is cached or sent to SQL.
    if (operationInputIssues(schema, plan.document, plan.operation, variables).length) return CANNOT;
    const cacheKey = `${plan.key}\n${JSON.stringify(variables)}`;
    let statement = statements.get(cacheKey);
    if (statement !== undefined) return statement;
    const coerced = getVariableValues(schema, plan.operation.variableDefinitions ?? [], variables);
    statement = CANNOT;
    if (!coerced.errors && !(limits.maxCost > 0 && operationCost(schema, plan.document, plan.operation, variables) > limits.maxCost)) {
      const input = { schema, selectionSet: plan.operation.selectionSet, fragments: plan.fragments, variables: coerced.coerced };
      const compiled = compiler.compile(input);
      if (compiled !== CANNOT) statement = { ...compiled, compileScoped: () => compiler.compile({ ...input, scoped: true }) };
    }
    statements.set(cacheKey, statement, statementBytes(cacheKey, statement));
    return statement;
  };

  /**
   * A national (or anonymous) caller's statement: on the read replica when there is one that
   * answers and has replayed the caller's last write (`readAfter`; common/replica.ts), else on the
   * primary. A statement that fails on the replica for another reason than its own time limit runs
   * again on the primary.
   */
  const run = async ({ text, name }: Sql, values: unknown[], readAfter: string | null | 'invalid'): Promise<unknown[]> => {
    if (replica && readAfter !== 'invalid') {
      const lease = await replica.acquire(readAfter);
      if (lease) {
        try {
          countSqlStatement();
          const { rows } = await lease.connection.query({ text, name, values, rowMode: 'array' });
          lease.release();
          replica.counts.replica++;
          return rows[0] as unknown[];
        } catch (error) {
          lease.release(error);
          if (isStatementTimeout(error)) throw error;
          replica.counts.unavailable++;
        }
      }
    }
    const connection = await client.acquireConnection();
    try {
      countSqlStatement();
      return await new Promise<unknown[]>((resolve, reject) =>
        connection.query({ text, name, values, rowMode: 'array' }, (error, result) => (error ? reject(error) : resolve(result.rows[0]))),
      );
    } finally {
      await client.releaseConnection(connection);
    }
  };

  /** Sends one statement on `connection` (counted), resolving with its rows. */
  const send1 = (connection: PgConnection, text: string, values: unknown[] = [], name?: string): Promise<unknown[][]> => {
    countSqlStatement();
    return new Promise((resolve, reject) => connection.query({ text, name, values, rowMode: 'array' }, (error, result) => (error ? reject(error) : resolve(result.rows))));
  };

  // Token hashes of keys restricted to some cities: their requests go straight to the scoped path
  // (a stale entry costs one round trip: the set-up then finds a national key or none).
  const scopedKeys = new ByteBudgetCache<string, true>(TOKEN_CACHE_BYTES);
  const setupName = (config.preparedStatements ?? PREPARED) > 0 ? 'airledger_scoped_setup' : undefined;

  /**
   * A scoped caller's compiled read (scoped.ts): BEGIN, the key's set-up, the statement, COMMIT
   * on one connection. Resolves with the statement's row, or null when the request goes to the
   * resolvers (a key that is not, or no longer, a working scoped key).
   */
  const runScoped = async (scoped: { sql: Sql }, values: unknown[], hash: string): Promise<{ row: unknown[]; keyId: number; role: string } | null> => {
    const connection = await client.acquireConnection();
    let open = false;
    try {
      await send1(connection, 'begin');
      open = true;
      // Named (prepared once per connection) unless prepared statements are off (PgBouncer < 1.21 in transaction mode).
      const setup = await send1(connection, SCOPED_SETUP_SQL, [hash], setupName);
      if (setupOutcome(setup.map((r) => ({ national: r[0] === true }))) !== 'scoped') {
        scopedKeys.delete(hash);
        return null;
      }
      const [row] = await send1(connection, scoped.sql.text, values, scoped.sql.name);
      await send1(connection, 'commit');
      open = false;
      return { row, keyId: Number(setup[0][2]), role: String(setup[0][3]) };
    } finally {
      // Whatever failed (a statement, the set-up), the transaction ends before the connection goes back.
      if (open) await new Promise<void>((resolve) => connection.query({ text: 'rollback', values: [], rowMode: 'array' }, () => resolve()));
      await client.releaseConnection(connection);
    }
  };

  const caches = (): CompiledReadsCaches => {
    const of = (c: ByteBudgetCache<string, unknown>) => ({ bytes: c.bytes, entries: c.size, budgetBytes: c.budgetBytes });
    return { documents: of(plans), statements: of(statements), tokens: of(hashes) };
  };

  const answer: Answer = (req, res, body, next) => {
    if (rejectInvalidReadAfter(req, res)) return;
    if (!body || typeof body.query !== 'string' || body.extensions !== undefined) return next();
    if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') return next();
    const variables = body.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables)) return next();
    // application/json or application/graphql-response+json, as Apollo would choose (media-type.ts); else Apollo answers.
    const mediaType = compiledMediaType(req.headers.accept);
    if (!mediaType) return next();

    const plan = planOf(body.query, (body.operationName as string | null) ?? undefined);
    if (!plan) return next();
    const statement = statementOf(plan, variables as Record<string, unknown>);
    if (statement === CANNOT) return next();

    const authorization = req.headers.authorization?.trim();
    let values = statement.values;
    let sql: Sql;
    let hash: string | null = null;
    if (!authorization) {
      if (statement.needsKey) return next();
      sql = statement.anonymous ??= sqlOf(statement, false);
    } else {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) return next();
      hash = hashOf(match[1]);
      sql = statement.keyed ??= sqlOf(statement, true);
      values = [...values, hash];
    }

    /** The answer of a statement's row (`[ok, ...roots]`), or the resolvers when it reports an unusual outcome. */
    const answerRow = (row: unknown[] | null, keys: string[], caller: Caller) => {
      if (!row || row[0] !== true) return next();
      let json = '{"data":{';
      for (let i = 0; i < keys.length; i++) {
        const value = row[i + 1];
        // A missing record: the resolvers answer it (null with a NOT_FOUND error).
        if (value === null) return next();
        json += `${i ? ',' : ''}"${keys[i]}":${value as string}`;
      }
      json += '}';
      send(() => json, caller);
    };
    /** A caller restricted to some cities: the scoped variant in its row-level-security transaction. */
    const scopedPath = (keyHash: string) => {
      if (statement.scoped === undefined) {
        const query = statement.compileScoped();
        statement.scoped = query === CANNOT ? CANNOT : { query, sql: sqlOf(query, false) };
      }
      const scoped = statement.scoped;
      if (scoped === CANNOT) return next();
      runScoped(scoped, scoped.query.values, keyHash).then((r) => (r ? answerRow(r.row, scoped.query.keys, { keyId: r.keyId, role: r.role }) : next()), failed);
    };
    const failed = (error: unknown) => {
      // The query ran past statement_timeout: the caller's doing, answered here as the
      // resolvers would answer it; running it again through them would only take the time twice.
      if (isStatementTimeout(error)) return send((errorExtensions) => statementTimeoutJson(schema, plan, statement.keys, errorExtensions), NO_CALLER);
      // Any other failure is not the caller's (connection lost, database restarting): the
      // resolvers run the request and report what they meet.
      next();
    };

    if (hash && scopedKeys.get(hash)) return scopedPath(hash);
    run(sql, values, replica ? readAfterOf(req.headers[READ_AFTER_HEADER]) : null).then(
      (row) => {
        // A working key restricted to some cities: remembered, and answered by the scoped path.
        if (hash && row[0] !== true && row[statement.keys.length + 1] === false) {
          scopedKeys.set(hash, true, stringBytes(hash) + 64);
          return scopedPath(hash);
        }
        const n = statement.keys.length;
        answerRow(row, statement.keys, hash && row[n + 2] != null ? { keyId: Number(row[n + 2]), role: String(row[n + 3]) } : NO_CALLER);
      },
      failed,
    );
    /**
     * Sends the JSON `build` makes (a response object without its closing brace, given the
     * extensions its errors carry) through the request hooks' GraphQL stages, as Apollo's
     * answers go (common/hooks): their headers, and their `extensions` appended.
     */
    function send(build: (errorExtensions: Record<string, unknown>) => string, caller: Caller): void {
      const { extensions, errorExtensions } = hooks.graphqlResponse(requestRecord(req), {
        execution: 'compiled',
        operationName: plan!.operation.name?.value ?? null,
        operationType: 'query',
        ...caller,
      });
      let json = build(errorExtensions);
      if (extensions) json += `,"extensions":${JSON.stringify(extensions)}`;
      // 200 for both media types: the answer has a `data` entry (GraphQL over HTTP).
      res.statusCode = 200;
      res.setHeader('content-type', mediaType!);
      // Apollo ends its JSON responses with a newline.
      res.end(`${json}}\n`);
    }
  };
  return { answer, caches };
}
