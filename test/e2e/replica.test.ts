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
import { READ_AFTER_HEADER } from '../../packages/api/src/common/replica.js';

let pair: ReplicatedPair;
let app: TestApp;
let cityKey: TestKey;
let enterpriseId: string;
const DB = 'airledger';

const READ = `query ReplicaProbe { enterprises(first: 10, filter: { city: "tangshan" }) { totalCount nodes { id name } } }`;
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
