/**
 * The API behind a real PgBouncer (Debian's, 1.18 here) in transaction mode, configured as the
 * README's "PgBouncer" section says: AIRLEDGER_PREPARED_STATEMENTS=0 (PgBouncer < 1.21 has no
 * max_prepared_statements), the startup parameters the API sends ignored by PgBouncer and the
 * timeouts given to the database instead. Two server connections for every client of the test,
 * so that transactions of different API keys run one after the other on the same server
 * connections: row-level security set per transaction (set_config(..., true)) must not leak from
 * one to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { startPgBouncer, type PgBouncer } from '../helpers/pgbouncer.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';

let bouncer: PgBouncer;
let app: TestApp;
let base: string;
const keys: Record<string, TestKey> = {};
const ids: Record<string, string> = {};

const ENTERPRISES = `query($first: Int) { enterprises(first: $first, orderBy: { field: NAME, direction: ASC }) {
  totalCount nodes { id name city { slug } } } }`;
const UPDATE = `mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) {
  enterprise { id name version } userErrors { field code message } } }`;
const CREATE = `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) {
  enterprise { id version city { slug } } userErrors { field code message } } }`;

let seed = 11;
const random = (n: number) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};

/** Which cities each caller may see. */
const SCOPES: Record<string, string[]> = {
  tangshan: ['tangshan'],
  handan: ['handan'],
  hebei: ['handan', 'tangshan'],
  shaanxi: ['xian'],
  ministry: ['handan', 'tangshan', 'xian'],
};

beforeAll(async () => {
  bouncer = await startPgBouncer({ serverUrl: inject('adminUrl'), poolSize: 2 });
  // The settings the README gives for PgBouncer < 1.21 (and the timeouts, which PgBouncer does not pass on, on the database).
  app = await startTestApp({ poolMax: 6, connectThrough: { host: bouncer.host, port: bouncer.port }, config: { preparedStatements: 0 } });
  const db = new URL(app.databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  await admin.query(`alter database "${db}" set statement_timeout = '15s'`);
  await admin.query(`alter database "${db}" set idle_in_transaction_session_timeout = '30s'`);
  await admin.end();
  // Server connections opened before the settings are closed once idle.
  await bouncer.admin('RECONNECT');
  base = app.url.replace(/\/graphql$/, '');

  const create = async (city: string, division: string, name: string) => {
    const d = await app.data(CREATE, { input: { city, name, creditCode: generateCreditCode(division, random), industry: 'STEEL', size: 'LARGE' } });
    expect(d.createEnterprise.userErrors).toEqual([]);
    return d.createEnterprise.enterprise.id as string;
  };
  ids.ts1 = await create('tangshan', '130200', '唐山市甲钢铁有限公司');
  ids.ts2 = await create('tangshan', '130200', '唐山市乙钢铁有限公司');
  ids.hd1 = await create('handan', '130400', '邯郸市丙钢铁有限公司');
  ids.xa1 = await create('xian', '610100', '西安市丁钢铁有限公司');
  keys.tangshan = await app.createKey({ role: 'CITY', city: 'tangshan' });
  keys.handan = await app.createKey({ role: 'CITY', city: 'handan' });
  keys.hebei = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
  keys.shaanxi = await app.createKey({ role: 'PROVINCE', province: 'shaanxi' });
});

afterAll(async () => {
  await app?.close();
  await bouncer?.stop();
});

const tokenOf = (caller: string) => (caller === 'ministry' ? app.ministryToken : keys[caller].secret);

/** The cities of the enterprises a caller is shown, through the compiled lane or the resolvers (a body with `extensions`, which the lane leaves to Apollo). */
async function citiesSeen(caller: string, path: 'compiled' | 'resolvers'): Promise<{ cities: string[]; total: number; execution: string | null }> {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokenOf(caller)}`,
    },
    body: JSON.stringify({ query: ENTERPRISES, variables: { first: 50 }, ...(path === 'resolvers' ? { extensions: {} } : {}) }),
  });
  const body = (await res.json()) as any;
  expect(body.errors).toBeUndefined();
  const nodes = body.data.enterprises.nodes as { city: { slug: string } }[];
  return { cities: [...new Set(nodes.map((n) => n.city.slug))].sort(), total: body.data.enterprises.totalCount, execution: res.headers.get('airledger-execution') };
}

describe('the API through PgBouncer in transaction mode', () => {
  it('connects through PgBouncer with the timeouts of the database', async () => {
    expect(bouncer.version).toMatch(/^PgBouncer 1\.\d+/);
    const [setting] = await app.sql<{ statement_timeout: string }>('show statement_timeout');
    expect(setting.statement_timeout).toBe('15s');
    const pools = (await bouncer.admin('SHOW POOLS')).filter((p) => p.database === new URL(app.databaseUrl).pathname.slice(1));
    expect(pools).toHaveLength(1);
    expect(pools[0].pool_mode).toBe('transaction');
  });

  it('shows a CITY key its city and a PROVINCE key its province only, on both paths', async () => {
    for (const path of ['compiled', 'resolvers'] as const) {
      const city = await citiesSeen('tangshan', path);
      expect(city).toMatchObject({ cities: ['tangshan'], total: 2 });
      const province = await citiesSeen('hebei', path);
      expect(province).toMatchObject({ cities: ['handan', 'tangshan'], total: 3 });
      expect((await citiesSeen('shaanxi', path)).cities).toEqual(['xian']);
      expect((await citiesSeen('ministry', path)).total).toBe(4);
    }
    expect((await citiesSeen('tangshan', 'compiled')).execution).toBe('compiled');
    expect((await citiesSeen('tangshan', 'resolvers')).execution).toBeNull();
  });

  it('answers mutations with userErrors and version conflicts, writing nothing when refused', async () => {
    const city = app.as(keys.tangshan.secret);
    // Another city's enterprise is not the CITY key's to change (it cannot even see it).
    const other = await city.data(UPDATE, { input: { id: ids.hd1, version: 1, name: '改名' } });
    expect(other.updateEnterprise.enterprise).toBeNull();
    expect(other.updateEnterprise.userErrors).toMatchObject([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    const refused = await city.gql(CREATE, { input: { city: 'handan', name: '邯郸市越权有限公司', creditCode: generateCreditCode('130400', random), industry: 'STEEL', size: 'SMALL' } });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const invalid = await city.data(CREATE, { input: { city: 'tangshan', name: ' ', creditCode: generateCreditCode('130200', random), industry: 'STEEL', size: 'SMALL' } });
    expect(invalid.createEnterprise.enterprise).toBeNull();
    expect(invalid.createEnterprise.userErrors).toMatchObject([{ field: ['input', 'name'] }]);

    const first = await city.data(UPDATE, { input: { id: ids.ts1, version: 1, name: '唐山市甲钢铁集团有限公司' } });
    expect(first.updateEnterprise).toMatchObject({ enterprise: { name: '唐山市甲钢铁集团有限公司', version: 2 }, userErrors: [] });
    const stale = await app.data(UPDATE, { input: { id: ids.ts1, version: 1, name: '唐山市甲钢铁股份有限公司' } });
    expect(stale.updateEnterprise.enterprise).toBeNull();
    expect(stale.updateEnterprise.userErrors).toMatchObject([{ field: ['input', 'version'], code: 'CONFLICT' }]);
    const rows = await app.sql<{ name: string; version: number }>('select name, version from enterprise where id = ?', [Number(ids.ts1)]);
    expect(rows).toEqual([{ name: '唐山市甲钢铁集团有限公司', version: 2 }]);
    expect(await app.sql('select count(*)::int n from enterprise where name = ?', ['邯郸市越权有限公司'])).toEqual([{ n: 0 }]);
  });

  it("streams a CITY key's export with its city's rows only", async () => {
    const res = await fetch(`${base}/exports/enterprises.csv`, { headers: { authorization: `Bearer ${keys.tangshan.secret}` } });
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes('唐山市'))).toBe(true);
    const all = await fetch(`${base}/exports/enterprises.csv`, { headers: { authorization: `Bearer ${app.ministryToken}` } });
    expect((await all.text()).trim().split('\r\n')).toHaveLength(5);
  });

  it('keeps every scope apart when many keys call at once over two server connections', async () => {
    const before = await bouncer.admin('SHOW STATS');
    const db = new URL(app.databaseUrl).pathname.slice(1);
    const xacts = (rows: Record<string, unknown>[]) => Number(rows.find((r) => r.database === db)?.total_xact_count ?? 0);
    const calls: Promise<{ caller: string; path: string; seen: string[]; execution: string | null }>[] = [];
    for (let round = 0; round < 6; round++) {
      for (const caller of Object.keys(SCOPES)) {
        for (const path of ['compiled', 'resolvers'] as const) calls.push(citiesSeen(caller, path).then((r) => ({ caller, path, seen: r.cities, execution: r.execution })));
      }
    }
    const results = await Promise.all(calls);
    expect(results).toHaveLength(60);
    for (const r of results) expect(r.seen, r.caller).toEqual(SCOPES[r.caller]);
    // The compiled lane answered its requests itself: none of its statements failed on a pooled
    // connection and fell back to the resolvers (as named prepared statements do behind PgBouncer 1.18).
    expect(results.filter((r) => r.path === 'compiled' && r.execution !== 'compiled')).toEqual([]);
    // Every request went through PgBouncer, whose pool has at most two server connections here.
    const after = await bouncer.admin('SHOW STATS');
    expect(xacts(after) - xacts(before)).toBeGreaterThanOrEqual(60);
    const servers = (await bouncer.admin('SHOW SERVERS')).filter((s) => s.database === db);
    expect(servers.length).toBeLessThanOrEqual(2);
  });
});
