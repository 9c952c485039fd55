/**
 * Read replicas for real: Debian's PostgreSQL 15 as a primary and a hot standby fed by streaming
 * replication (test/helpers/replication.ts), the API with DATABASE_URL = the primary and
 * DATABASE_READ_URL = the standby. With the standby's replay paused, what each read returns says
 * which server answered it (the standby still has the old row); pg_stat_statements on each
 * server counts the statements it ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { startReplicatedPair, type ReplicatedPair } from '../helpers/replication.js';
import { connectAndMigrate, ensureDatabase } from '../../packages/api/src/db/database.js';
import { seedPlan } from '../../packages/api/src/seeders/index.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { closeReplicaRead, openReplicaRead, READ_AFTER_HEADER } from '../../packages/api/src/common/replica.js';
import { createRequestContext } from '../../packages/api/src/context.js';
import { loadEsm } from '../fixtures/sdk-support/helpers.js';

let pair: ReplicatedPair;
let app: TestApp;
let cityKey: TestKey;
let enterpriseId: string;
const DB = 'airledger';

const READ = `query ReplicaProbe { enterprises(first: 10, filter: { city: "tangshan" }) { totalCount nodes { id name } } }`;
/** A read the compiled lane does not take (the measure an enterprise is required to take): the resolvers answer it. */
const RESOLVED = `query ReplicaResolved { enterprises(first: 10, filter: { city: "tangshan" }) { totalCount nodes { id name requiredMeasure { __typename } } } }`;
const CREATE = `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id name version } userErrors { field code message } } }`;
const UPDATE = `mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) { enterprise { id name version } userErrors { field code message } } }`;

let seed = 5;
const random = (n: number) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};

/** POSTs to /graphql as `token` (null: anonymous) with extra headers; the name read, the execution path and the read-after header. */
async function post(query: string, variables: Record<string, unknown> = {}, token: string | null = app.ministryToken, headers: Record<string, string> = {}) {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as any;
  return { status: res.status, body, execution: res.headers.get('airledger-execution'), readAfter: res.headers.get(READ_AFTER_HEADER) };
}

/** The name a caller reads of the probe enterprise, and whether the compiled lane answered. */
async function nameSeen(token: string | null, headers: Record<string, string> = {}) {
  const r = await post(READ, {}, token, headers);
  expect(r.body.errors).toBeUndefined();
  const node = r.body.data.enterprises.nodes.find((n: any) => n.id === enterpriseId);
  return { name: node?.name as string | undefined, execution: r.execution };
}

/** Calls of the compiled statements of READ (`from enterprise t0`: the compiler's alias, which no mutation uses) on a server since its last reset. */
async function probeCalls(server: 'primary' | 'standby'): Promise<number> {
  const rows = await pair[server].sql<{ n: string | null }>(
    `select sum(calls)::int as n from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = $1 and s.query like '%from enterprise t0%' and s.query not like '%pg_stat_statements%'`,
    [DB],
    DB,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The name a caller reads of the probe enterprise through the resolvers (RESOLVED). */
async function nameResolved(token: string | null, headers: Record<string, string> = {}) {
  const r = await post(RESOLVED, {}, token, headers);
  expect(r.body.errors).toBeUndefined();
  expect(r.execution).not.toBe('compiled');
  return r.body.data.enterprises.nodes.find((n: any) => n.id === enterpriseId)?.name as string | undefined;
}

/**
 * Calls on a server since its last reset of the statement the resolvers send for the enterprise
 * list (the query builder's quoted columns, which the compiled lane does not write), or of every
 * statement (`all`).
 */
async function resolverCalls(server: 'primary' | 'standby', all = false): Promise<number> {
  const rows = await pair[server].sql<{ n: string | null }>(
    `select sum(calls)::int as n from pg_stat_statements s join pg_database d on d.oid = s.dbid
     where d.datname = $1 and ($2 or s.query like '%"t"."credit_code"%') and s.query not like '%pg_stat_statements%'`,
    [DB, all],
    DB,
  );
  return Number(rows[0]?.n ?? 0);
}

async function resetStatements() {
  await pair.primary.sql('select pg_stat_statements_reset()', [], DB);
  await pair.standby.sql('select pg_stat_statements_reset()', [], DB);
}

beforeAll(async () => {
  pair = await startReplicatedPair();
  const url = await ensureDatabase(pair.primary.url(), DB);
  const orm = await connectAndMigrate(url, 2);
  await seedPlan(orm);
  await orm.close(true);
  await pair.primary.sql('create extension if not exists pg_stat_statements', [], DB);
  app = await startTestApp({ databaseUrl: url, config: { databaseReadUrl: pair.standby.url(DB) } });
  cityKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
  const created = await post(CREATE, { input: { city: 'tangshan', name: '唐山市副本钢铁有限公司', creditCode: generateCreditCode('130200', random), industry: 'STEEL', size: 'LARGE' } });
  expect(created.body.data.createEnterprise.userErrors).toEqual([]);
  enterpriseId = created.body.data.createEnterprise.enterprise.id;
  await pair.caughtUp();
}, 240_000);

afterAll(async () => {
  await app?.close();
  pair?.destroy();
});

describe('DATABASE_READ_URL: national reads on a streaming replica, the rest on the primary', () => {
  it('runs on a primary and a hot standby of Debian PostgreSQL 15', async () => {
    const [p] = await pair.primary.sql<{ v: string; r: boolean }>('select current_setting(\'server_version_num\') v, pg_is_in_recovery() r');
    const [s] = await pair.standby.sql<{ v: string; r: boolean }>('select current_setting(\'server_version_num\') v, pg_is_in_recovery() r');
    expect([p.v.slice(0, 2), p.r]).toEqual(['15', false]);
    expect([s.v.slice(0, 2), s.r]).toEqual(['15', true]);
    expect(app.server.replica).not.toBeNull();
  });

  it('reads national callers from the standby and a CITY key from the primary; a writer reads its own write at once', async () => {
    await pair.standby.sql('select pg_wal_replay_pause()');
    try {
      // A write on the primary that the paused standby does not have.
      const updated = await post(UPDATE, { input: { id: enterpriseId, version: 1, name: '唐山市副本钢铁集团有限公司' } });
      expect(updated.body.data.updateEnterprise.userErrors).toEqual([]);
      const position = updated.readAfter!;
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      await resetStatements();

      // National callers without the writer's position: the standby's (old) row, compiled.
      expect(await nameSeen(null)).toEqual({ name: '唐山市副本钢铁有限公司', execution: 'compiled' });
      expect(await nameSeen(app.ministryToken)).toEqual({ name: '唐山市副本钢铁有限公司', execution: 'compiled' });
      const national = await probeCalls('standby');
      expect(national).toBe(2);
      expect(await probeCalls('primary')).toBe(0);

      // The writer sends back the position of its write: the standby has not replayed it, the primary answers.
      expect(await nameSeen(app.ministryToken, { [READ_AFTER_HEADER]: position })).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
      // A CITY key (its row-level-security transaction): the primary. Its first request in the
      // process runs the national statement once, on the standby, to learn that the key is scoped.
      expect(await nameSeen(cityKey.secret)).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
      expect(await nameSeen(cityKey.secret)).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
      expect(await probeCalls('primary')).toBe(3);
      expect(await probeCalls('standby')).toBe(national + 1);
    } finally {
      await pair.standby.sql('select pg_wal_replay_resume()');
    }
    await pair.caughtUp();
    // Replayed: the position is reached, and the standby serves the writer too.
    await resetStatements();
    expect(await nameSeen(null)).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
    const [{ lsn }] = await pair.primary.sql<{ lsn: string }>('select pg_current_wal_lsn()::text lsn');
    expect((await nameSeen(app.ministryToken, { [READ_AFTER_HEADER]: lsn })).name).toBe('唐山市副本钢铁集团有限公司');
    expect(await probeCalls('standby')).toBe(2);
    expect(await probeCalls('primary')).toBe(0);
  });

  it('refuses a malformed airledger-read-after header with 400 INVALID_READ_AFTER on both paths', async () => {
    const refused = (r: { status: number; body: any }) => {
      expect(r.status).toBe(400);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'INVALID_READ_AFTER', header: READ_AFTER_HEADER });
      expect(r.body.errors[0].message).toContain(READ_AFTER_HEADER);
    };
    await resetStatements();
    // A read the compiled lane answers (anonymous and keyed), without the header: 200, compiled.
    expect((await post(READ, {}, null)).execution).toBe('compiled');
    for (const bad of ['yesterday', '0/XYZ', '1/2/3', '123456789/0']) {
      // The compiled lane's reads.
      refused(await post(READ, {}, null, { [READ_AFTER_HEADER]: bad }));
      refused(await post(READ, {}, app.ministryToken, { [READ_AFTER_HEADER]: bad }));
      // Apollo's: a mutation, a query the lane does not take (an unknown field), and the
      // media type of GraphQL over HTTP, whose content type the error keeps.
      refused(await post(UPDATE, { input: { id: enterpriseId, version: 99, name: 'x' } }, app.ministryToken, { [READ_AFTER_HEADER]: bad }));
      refused(await post('{ __typename }', {}, null, { [READ_AFTER_HEADER]: bad }));
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', [READ_AFTER_HEADER]: bad },
        body: JSON.stringify({ query: READ }),
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      refused({ status: res.status, body: await res.json() });
    }
    // Nothing ran on either server for the refused reads (the one 200 above ran on the standby).
    expect(await probeCalls('primary')).toBe(0);
    expect(await probeCalls('standby')).toBe(1);
    // A well-formed position (lower case too) is taken.
    expect((await post(READ, {}, null, { [READ_AFTER_HEADER]: '0/1a' })).status).toBe(200);
  });

  it('writes on the primary, with userErrors and version conflicts as without a replica', async () => {
    const stale = await post(UPDATE, { input: { id: enterpriseId, version: 1, name: '唐山市过期版本有限公司' } });
    expect(stale.body.data.updateEnterprise.userErrors).toMatchObject([{ field: ['input', 'version'], code: 'CONFLICT' }]);
    expect(stale.readAfter).toMatch(/\//);
    const rows = await pair.primary.sql('select name, version from enterprise where id = $1', [Number(enterpriseId)], DB);
    expect(rows).toEqual([{ name: '唐山市副本钢铁集团有限公司', version: 2 }]);
  });

  it('keeps serving from the primary while the standby is down, and goes back to it once it is up', async () => {
    pair.standby.stop();
    try {
      for (let i = 0; i < 3; i++) expect(await nameSeen(null)).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
      expect(await nameSeen(app.ministryToken)).toEqual({ name: '唐山市副本钢铁集团有限公司', execution: 'compiled' });
      expect(app.server.replica!.available).toBe(false);
    } finally {
      pair.standby.start();
    }
    await pair.caughtUp();
    // After REPLICA_RETRY_MS the standby is tried again.
    const before = app.server.replica!.counts.replica;
    for (let i = 0; i < 100 && app.server.replica!.counts.replica === before; i++) {
      await nameSeen(null);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(app.server.replica!.counts.replica).toBeGreaterThan(before);
    await resetStatements();
    await nameSeen(null);
    expect(await probeCalls('standby')).toBe(1);
  });

  it('counts in /metrics where national reads ran and the replica pool', async () => {
    const text = await (await fetch(app.url.replace(/\/graphql$/, '/metrics'))).text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('airledger_replica_reads_total{served="replica"}')).toBe(app.server.replica!.counts.replica);
    expect(value('airledger_replica_reads_total{served="replica"}')).toBeGreaterThan(0);
    expect(value('airledger_replica_reads_total{served="primary_behind"}')).toBeGreaterThanOrEqual(1);
    expect(value('airledger_replica_reads_total{served="primary_unavailable"}')).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/^airledger_db_pool_connections\{pool="replica",state="idle"\} \d+$/m);
  });
});

describe('DATABASE_READ_URL: the SDK\'s reads and the resolvers\' on the replica for national callers', () => {
  const OLD = '唐山市副本钢铁集团有限公司';
  const NEW = '唐山市副本钢铁控股有限公司';

  it('serves an SDK read (compiled, application/graphql-response+json) and a query only the resolvers answer of national callers from the standby; a CITY key\'s and a mutation\'s run on the primary; a writer reads its write through the resolvers at once', async () => {
    const sdk = await loadEsm();
    const seen: { execution: string | null; type: string | null; status: number }[] = [];
    const client = sdk.createClient({
      url: app.url,
      token: app.ministryToken,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        seen.push({ execution: res.headers.get('airledger-execution'), type: res.headers.get('content-type'), status: res.status });
        return res;
      },
    });
    const counts = app.server.replica!.counts;
    let position = '';
    await pair.standby.sql('select pg_wal_replay_pause()');
    try {
      // The mutation: on the primary, nothing of it on the standby.
      await resetStatements();
      const before = { ...counts };
      const updated = await post(UPDATE, { input: { id: enterpriseId, version: 2, name: NEW } });
      expect(updated.body.data.updateEnterprise).toMatchObject({ enterprise: { name: NEW, version: 3 }, userErrors: [] });
      expect(await resolverCalls('standby', true)).toBe(0);
      expect(counts).toEqual(before);
      position = updated.readAfter!;
      expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      // The SDK: the compiled lane answers it in the media type it asks for, from the standby (the old name).
      await resetStatements();
      const { enterprise } = await client.enterprise({ id: enterpriseId });
      expect(enterprise.name).toBe(OLD);
      expect(seen).toEqual([{ execution: 'compiled', type: 'application/graphql-response+json; charset=utf-8', status: 200 }]);
      expect(await probeCalls('primary')).toBe(0);
      expect(counts.replica).toBe(before.replica + 1);

      // The resolvers, for MINISTRY and anonymous callers: the standby.
      expect(await nameResolved(app.ministryToken)).toBe(OLD);
      expect(await nameResolved(null)).toBe(OLD);
      expect(counts.replica).toBe(before.replica + 3);
      const onStandby = await resolverCalls('standby');
      expect(onStandby).toBeGreaterThanOrEqual(2);
      expect(await resolverCalls('primary')).toBe(0);

      // A CITY key through the resolvers: its row-level-security transaction on the primary.
      expect(await nameResolved(cityKey.secret)).toBe(NEW);
      expect(await resolverCalls('standby')).toBe(onStandby);
      expect(await resolverCalls('primary')).toBeGreaterThanOrEqual(1);
      expect(counts.replica).toBe(before.replica + 3);

      // The writer sends its position back: the paused standby has not replayed it, the primary answers.
      const primaryBefore = await resolverCalls('primary');
      expect(await nameResolved(app.ministryToken, { [READ_AFTER_HEADER]: position })).toBe(NEW);
      expect(counts.stale).toBe(before.stale + 1);
      expect(await resolverCalls('standby')).toBe(onStandby);
      expect(await resolverCalls('primary')).toBeGreaterThan(primaryBefore);
      // So does the SDK when given the header.
      const { enterprise: own } = await client.enterprise({ id: enterpriseId }, { headers: { [READ_AFTER_HEADER]: position } });
      expect(own.name).toBe(NEW);
    } finally {
      await pair.standby.sql('select pg_wal_replay_resume()');
    }
    await pair.caughtUp();
    // Replayed: the standby serves the writer's resolver reads too.
    await resetStatements();
    const replicaBefore = counts.replica;
    expect(await nameResolved(app.ministryToken, { [READ_AFTER_HEADER]: position })).toBe(NEW);
    expect(counts.replica).toBe(replicaBefore + 1);
    expect(await resolverCalls('primary')).toBe(0);
    expect(await resolverCalls('standby')).toBeGreaterThanOrEqual(1);
  });

  it('runs a statement that fails on the standby, and the rest of the request, again on the primary', async () => {
    const replica = app.server.replica!;
    const ctx = createRequestContext(app.orm);
    expect(await openReplicaRead(ctx, replica, null)).toBe(true);
    const knex = ctx.em.getKnex();
    const recovery = async () => ((await knex.raw('select pg_is_in_recovery() as r')) as { rows: { r: boolean }[] }).rows[0].r;
    // Statements of one request run one after the other on its replica connection.
    expect(await Promise.all([recovery(), recovery(), recovery()])).toEqual([true, true, true]);
    const unavailable = replica.counts.unavailable;
    // A standby assigns no transaction ids: the statement fails there and runs on the primary.
    const { rows } = (await knex.raw('select txid_current()::text as t')) as { rows: { t: string }[] };
    expect(Number(rows[0].t)).toBeGreaterThan(0);
    expect(await recovery()).toBe(false);
    expect(replica.counts.unavailable).toBe(unavailable + 1);
    await closeReplicaRead(ctx);
    expect(ctx.replicaRead).toBeNull();
    // The connection went back to the replica's pool with its transaction ended, the replica still in use.
    expect(replica.available).toBe(true);
    const next = createRequestContext(app.orm);
    expect(await openReplicaRead(next, replica, null)).toBe(true);
    expect(((await next.em.getKnex().raw('select pg_is_in_recovery() as r')) as { rows: unknown[] }).rows).toEqual([{ r: true }]);
    await closeReplicaRead(next);
    // A scoped caller and a request that has ended get none.
    const scoped = createRequestContext(app.orm, { role: 'CITY', cityIds: [1] } as never);
    expect(await openReplicaRead(scoped, replica, null)).toBe(false);
    const ended = createRequestContext(app.orm);
    ended.ended = true;
    expect(await openReplicaRead(ended, replica, null)).toBe(false);
  });

  it('answers the resolvers\' reads from the primary while the standby is down', async () => {
    pair.standby.stop();
    try {
      expect(await nameResolved(app.ministryToken)).toBe(NEW);
      expect(await nameResolved(null)).toBe(NEW);
      expect(app.server.replica!.available).toBe(false);
    } finally {
      pair.standby.start();
    }
    await pair.caughtUp();
  });
});
