import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ministryToken, startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { buildAccessFixture, CAMPAIGN, MUTATIONS, type AccessFixture } from '../helpers/access-fixture.js';
import { hashApiKey, maskIdNumber, maskName } from '../../packages/api/src/common/auth.js';

const run = promisify(execFile);
const CLI = path.resolve('packages/api/dist/cli.js');

let app: TestApp;
let fx: AccessFixture;
let tangshan: TestKey;
let hebei: TestKey;
let readOnly: TestKey;

beforeAll(async () => {
  app = await startTestApp();
  fx = await buildAccessFixture(app);
  tangshan = await app.createKey({ role: 'CITY', city: 'tangshan' });
  hebei = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
  readOnly = await app.createKey({ role: 'READ_ONLY' });
});

afterAll(async () => {
  await app?.close();
});

const VIEWER = `{ viewer { actorId role apiKey { id name role status } province { slug } city { slug } cities { slug } } }`;

describe('API keys: authentication', () => {
  it('makes a request without a key anonymous, and one with a key act as the key', async () => {
    expect((await app.anonymous.data(VIEWER)).viewer).toEqual({ actorId: 'anonymous', role: 'ANONYMOUS', apiKey: null, province: null, city: null, cities: null });
    const v = (await app.as(hebei.secret).data(VIEWER)).viewer;
    expect(v).toMatchObject({ actorId: hebei.actorId, role: 'PROVINCE', apiKey: { id: String(hebei.id), role: 'PROVINCE', status: 'ACTIVE' }, province: { slug: 'hebei' }, city: null });
    expect(v.cities.map((c: any) => c.slug)).toContain('tangshan');
    expect(v.cities.map((c: any) => c.slug)).not.toContain('taiyuan');
    const [{ n }] = await app.sql(`select count(*)::int as n from city c join province p on p.id = c.province_id where p.slug = 'hebei'`);
    expect(v.cities).toHaveLength(n);
    expect((await app.data(VIEWER)).viewer).toMatchObject({ role: 'MINISTRY', cities: null, apiKey: { name: 'test suite' } });
  });

  it('answers unknown, malformed, expired and revoked keys with UNAUTHENTICATED and HTTP 401', async () => {
    const expired = await app.createKey({ role: 'MINISTRY', expiresAt: new Date(Date.now() - 1000) });
    const revoked = await app.createKey({ role: 'MINISTRY' });
    await app.sql(`update api_key set revoked_at = now(), revoked_by = 'test' where id = ?`, [revoked.id]);
    const cases: [Record<string, string>, RegExp][] = [
      [{ authorization: 'Bearer airl_not-a-key' }, /Unknown API key/],
      [{ authorization: `Basic ${ministryToken}` }, /Malformed/],
      [{ authorization: `Bearer ${expired.secret}` }, /expired/],
      [{ authorization: `Bearer ${revoked.secret}` }, /revoked/],
    ];
    for (const [headers, message] of cases) {
      const res = await app.anonymous.request(`{ cities(first: 1) { nodes { slug } } }`, undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    }
  });

  it('stores only the SHA-256 of a key and never lists the secret', async () => {
    const [row] = await app.sql(`select * from api_key where id = ?`, [tangshan.id]);
    expect(row.secret_hash).toBe(hashApiKey(tangshan.secret));
    expect(JSON.stringify(row)).not.toContain(tangshan.secret);
    const { apiKeys } = await app.data(`{ apiKeys(first: 500) { totalCount nodes { id name role prefix status } } }`);
    expect(JSON.stringify(apiKeys)).not.toContain(tangshan.secret);
    expect(apiKeys.nodes.find((k: any) => k.id === String(tangshan.id))).toEqual({ id: String(tangshan.id), name: 'test CITY tangshan', role: 'CITY', prefix: tangshan.secret.slice(0, 12), status: 'ACTIVE' });
  });
});

describe('API keys: issuing and revoking', () => {
  it('lets MINISTRY issue any key, shows the secret once, and the secret works', async () => {
    const d = await app.data(MUTATIONS.createApiKey, { input: { name: 'Shanxi department', role: 'PROVINCE', province: 'shanxi' } });
    expect(d.createApiKey.userErrors).toEqual([]);
    expect(d.createApiKey.apiKey).toMatchObject({ role: 'PROVINCE', status: 'ACTIVE', province: { slug: 'shanxi' }, city: null });
    expect(d.createApiKey.secret).toMatch(/^airl_[A-Za-z0-9_-]{43}$/);
    expect((await app.as(d.createApiKey.secret).data(VIEWER)).viewer).toMatchObject({ role: 'PROVINCE', province: { slug: 'shanxi' } });
    // Listed afterwards without its secret.
    const { apiKey } = await app.data(`query($id: ID!) { apiKey(id: $id) { id name prefix } }`, { id: d.createApiKey.apiKey.id });
    expect(apiKey).toEqual({ id: d.createApiKey.apiKey.id, name: 'Shanxi department', prefix: d.createApiKey.secret.slice(0, 12) });
  });

  it('lets PROVINCE issue PROVINCE, CITY and READ_ONLY keys of its province only, READ_ONLY ones scoped to it', async () => {
    const as = app.as(hebei.secret);
    const city = await as.data(MUTATIONS.createApiKey, { input: { name: 'Tangshan clerk', role: 'CITY', city: 'tangshan' } });
    expect(city.createApiKey).toMatchObject({ userErrors: [], apiKey: { role: 'CITY', city: { slug: 'tangshan' } } });
    const ro = await as.data(MUTATIONS.createApiKey, { input: { name: 'Hebei analyst', role: 'READ_ONLY' } });
    expect(ro.createApiKey).toMatchObject({ userErrors: [], apiKey: { role: 'READ_ONLY', province: { slug: 'hebei' }, city: null } });
    const [{ n }] = await app.sql(`select count(*)::int as n from city c join province p on p.id = c.province_id where p.slug = 'hebei'`);
    expect((await app.as(ro.createApiKey.secret).data(VIEWER)).viewer.cities).toHaveLength(n);
    const before = await app.sql(`select count(*)::int as n from api_key`);
    for (const input of [
      { name: 'x', role: 'MINISTRY' },
      { name: 'x', role: 'PROVINCE', province: 'shanxi' },
      { name: 'x', role: 'CITY', city: 'taiyuan' },
      { name: 'x', role: 'READ_ONLY', province: 'shanxi' },
    ]) {
      const r = await as.gql(MUTATIONS.createApiKey, { input });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await app.sql(`select count(*)::int as n from api_key`)).toEqual(before);
  });

  it('lets CITY issue CITY and READ_ONLY keys of its city only; READ_ONLY and anonymous issue nothing', async () => {
    const as = app.as(tangshan.secret);
    const ro = await as.data(MUTATIONS.createApiKey, { input: { name: 'Tangshan analyst', role: 'READ_ONLY' } });
    expect(ro.createApiKey).toMatchObject({ userErrors: [], apiKey: { role: 'READ_ONLY', city: { slug: 'tangshan' } } });
    for (const input of [
      { name: 'x', role: 'PROVINCE', province: 'hebei' },
      { name: 'x', role: 'CITY', city: 'shijiazhuang' },
      { name: 'x', role: 'READ_ONLY', province: 'hebei' },
    ]) {
      expect((await as.gql(MUTATIONS.createApiKey, { input })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await app.as(readOnly.secret).gql(MUTATIONS.createApiKey, { input: { name: 'x', role: 'READ_ONLY' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.anonymous.gql(MUTATIONS.createApiKey, { input: { name: 'x', role: 'READ_ONLY' } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('validates the input with field paths', async () => {
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ name: ' ', role: 'READ_ONLY' }, ['input', 'name'], 'REQUIRED'],
      [{ name: 'x', role: 'PROVINCE' }, ['input', 'province'], 'REQUIRED'],
      [{ name: 'x', role: 'CITY', city: 'atlantis' }, ['input', 'city'], 'NOT_FOUND'],
      [{ name: 'x', role: 'MINISTRY', province: 'hebei' }, ['input', 'province'], 'INVALID'],
      [{ name: 'x', role: 'READ_ONLY', expiresAt: '2020-01-01T00:00:00Z' }, ['input', 'expiresAt'], 'INVALID_DATE'],
    ];
    for (const [input, field, code] of cases) {
      const d = await app.data(MUTATIONS.createApiKey, { input });
      expect(d.createApiKey).toMatchObject({ apiKey: null, secret: null, userErrors: [expect.objectContaining({ field, code })] });
    }
  });

  it('revokes a key the caller manages at once; others are NOT_FOUND', async () => {
    const victim = await app.createKey({ role: 'CITY', city: 'shijiazhuang' });
    expect((await app.as(victim.secret).gql(VIEWER)).data.viewer.role).toBe('CITY');
    // Tangshan does not manage Shijiazhuang's keys.
    const refused = await app.as(tangshan.secret).data(MUTATIONS.revokeApiKey, { input: { id: String(victim.id) } });
    expect(refused.revokeApiKey).toMatchObject({ apiKey: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }] });
    const done = await app.as(hebei.secret).data(MUTATIONS.revokeApiKey, { input: { id: String(victim.id) } });
    expect(done.revokeApiKey).toMatchObject({ userErrors: [], apiKey: { id: String(victim.id), status: 'REVOKED', revokedBy: hebei.actorId } });
    const res = await app.as(victim.secret).request(VIEWER);
    expect(res.status).toBe(401);
    const again = await app.data(MUTATIONS.revokeApiKey, { input: { id: String(victim.id) } });
    expect(again.revokeApiKey.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_ALLOWED' })]);
  });

  it('lists the keys a caller manages: all for MINISTRY, its province\'s for PROVINCE, its city\'s for CITY', async () => {
    const q = `{ apiKeys(first: 500) { nodes { id role province { slug } city { slug province { slug } } } } }`;
    const all = (await app.data(q)).apiKeys.nodes;
    const ofHebei = (await app.as(hebei.secret).data(q)).apiKeys.nodes;
    const ofTangshan = (await app.as(tangshan.secret).data(q)).apiKeys.nodes;
    expect(all.length).toBeGreaterThan(ofHebei.length);
    expect(ofHebei.length).toBeGreaterThan(ofTangshan.length);
    expect(ofHebei.every((k: any) => k.province?.slug === 'hebei' || k.city?.province.slug === 'hebei')).toBe(true);
    expect(ofTangshan.every((k: any) => k.city?.slug === 'tangshan')).toBe(true);
    expect((await app.as(readOnly.secret).gql(q)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.anonymous.gql(q)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('gives anonymous callers public campaign data: cities, targets, progress, attainment, enterprises and their grades', async () => {
    const d = await app.anonymous.data(`query($c: String!) {
      cities(first: 3) { nodes { slug attainment(campaign: $c) { observedDays } outcomeTarget(campaign: $c) { pm25Target } } }
      taskTargets(first: 20) { nodes { code progress { achieved } } }
      enterprises(filter: { city: "taiyuan" }) { nodes { name currentGrade gradeChanges { nodes { toGrade } } } }
    }`, { c: CAMPAIGN });
    expect(d.cities.nodes).toHaveLength(3);
    expect(d.taskTargets.nodes.find((t: any) => t.code === 'COAL_BOILERS_ELIMINATED')).toBeDefined();
    expect(d.enterprises.nodes).toEqual([{ name: 'taiyuan 化工有限公司', currentGrade: 'C', gradeChanges: { nodes: [{ toGrade: 'C' }] } }]);
  });

  it('keeps projects, subsidies, keys and the audit trail from anonymous callers (UNAUTHENTICATED)', async () => {
    for (const q of [
      `{ retrofitProjects { nodes { id } } }`,
      `query($id: ID!) { retrofitProject(id: $id) { id } }`,
      `{ subsidyPrograms { nodes { id } } }`,
      `{ disbursements { nodes { id } } }`,
      `{ city(slug: "tangshan") { subsidyBudgets { id } } }`,
      `{ city(slug: "tangshan") { retrofitProjects { nodes { id } } } }`,
      `{ enterprises(first: 1) { nodes { history { nodes { id } } } } }`,
      `{ auditEvents { nodes { id } } }`,
      `{ apiKeys { nodes { id } } }`,
    ]) {
      const r = await app.anonymous.gql(q, { id: fx.cities.taiyuan.projectId });
      expect(r.errors?.[0].extensions?.code, q).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses every write of anonymous callers (UNAUTHENTICATED) and of READ_ONLY keys (FORBIDDEN), writing nothing', async () => {
    const before = await app.sql(`select (select count(*) from enterprise)::int as e, (select count(*) from audit_event)::int as a`);
    const input = { city: 'tangshan', name: 'Nope', creditCode: '91130200MA0000000X', industry: 'CHEMICAL', size: 'SMALL' };
    const anon = await app.anonymous.gql(MUTATIONS.createEnterprise, { input });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const ro = await app.as(readOnly.secret).gql(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: 'Renamed' } });
    expect(ro.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const program = await app.as(hebei.secret).gql(MUTATIONS.createSubsidyProgram, {
      input: { campaign: CAMPAIGN, code: 'province-made', nameZh: '省', nameEn: 'Province', kind: 'LOCAL_AIR_POLLUTION_FUND' },
    });
    expect(program.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await app.sql(`select (select count(*) from enterprise)::int as e, (select count(*) from audit_event)::int as a`)).toEqual(before);
  });

  it('lets READ_ONLY read every city but not personal data', async () => {
    const d = await app.as(readOnly.secret).data(`{ disbursements(first: 10) { nodes { city { slug } householdName householdIdNumber } } }`);
    expect(d.disbursements.nodes).toHaveLength(3);
    for (const n of d.disbursements.nodes) {
      expect(n.householdName).toMatch(/^王\*\*$/);
      expect(n.householdIdNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    }
  });
});

describe('personal data of subsidy recipients', () => {
  const Q = `{ disbursements(first: 10) { nodes { id city { slug } householdName householdIdNumber } } }`;
  const byCity = (nodes: any[]) => Object.fromEntries(nodes.map((n) => [n.city.slug, { name: n.householdName, id: n.householdIdNumber }]));

  it('shows names and identity numbers in full to the ministry and to the paying city, masked to everyone else', async () => {
    const full = (c: 'tangshan' | 'shijiazhuang' | 'taiyuan') => ({ name: fx.cities[c].householdName, id: fx.cities[c].householdIdNumber });
    const masked = (c: 'tangshan' | 'shijiazhuang' | 'taiyuan') => ({ name: `${fx.cities[c].householdName[0]}**`, id: maskIdNumber(fx.cities[c].householdIdNumber) });
    expect(byCity((await app.data(Q)).disbursements.nodes)).toEqual({ tangshan: full('tangshan'), shijiazhuang: full('shijiazhuang'), taiyuan: full('taiyuan') });
    expect(byCity((await app.as(tangshan.secret).data(Q)).disbursements.nodes)).toEqual({ tangshan: full('tangshan') });
    // The province reads its cities' disbursements, but not the households' identities.
    expect(byCity((await app.as(hebei.secret).data(Q)).disbursements.nodes)).toEqual({ tangshan: masked('tangshan'), shijiazhuang: masked('shijiazhuang') });
    // The mask: first character and "**"; the first and last four characters of the number.
    expect(maskName('张三丰')).toBe('张**');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('masks them in the audit trail too', async () => {
    const q = `query($id: ID!) { auditEvents(filter: { entity: "Disbursement", entityId: $id }) { nodes { operation after } } }`;
    const vars = { id: fx.cities.tangshan.disbursementId };
    const [own] = (await app.as(tangshan.secret).data(q, vars)).auditEvents.nodes;
    expect(own.after).toMatchObject({ householdName: fx.cities.tangshan.householdName, householdIdNumber: fx.cities.tangshan.householdIdNumber });
    const [province] = (await app.as(hebei.secret).data(q, vars)).auditEvents.nodes;
    expect(province.after).toMatchObject({ householdName: '王**', householdIdNumber: maskIdNumber(fx.cities.tangshan.householdIdNumber) });
    expect(JSON.stringify(province)).not.toContain(fx.cities.tangshan.householdIdNumber);
  });
});

describe('the ledger command line', () => {
  it('issues a MINISTRY key on the server\'s database (DATABASE_URL), lists and revokes keys', async () => {
    expect(fs.existsSync(CLI)).toBe(true);
    const env = { ...process.env, DATABASE_URL: app.databaseUrl };
    const { stdout } = await run(process.execPath, [CLI, 'keys', 'create', '--role', 'MINISTRY', '--name', 'First ministry key', '--json'], { env });
    const created = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(created).toMatchObject({ role: 'MINISTRY', name: 'First ministry key', secret: expect.stringMatching(/^airl_/) });
    expect((await app.as(created.secret).data(VIEWER)).viewer).toMatchObject({ role: 'MINISTRY', apiKey: { id: String(created.id) } });
    // Issued by the command line, in the audit trail like any other change.
    const [event] = await app.sql(`select actor_id, role, operation, action from audit_event where entity = 'ApiKey' and entity_id = ?`, [created.id]);
    expect(event).toEqual({ actor_id: 'system:cli', role: 'SYSTEM', operation: 'createApiKey', action: 'CREATE' });

    const city = await run(process.execPath, [CLI, 'keys', 'create', '--role', 'CITY', '--city', 'taiyuan', '--name', 'Taiyuan bureau', '--json'], { env });
    const cityKey = JSON.parse(city.stdout.trim().split('\n').at(-1)!);
    const list = await run(process.execPath, [CLI, 'keys', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout.trim().split('\n').at(-1)!)).toEqual(expect.arrayContaining([expect.objectContaining({ id: cityKey.id, role: 'CITY', status: 'ACTIVE' })]));
    await run(process.execPath, [CLI, 'keys', 'revoke', String(cityKey.id)], { env });
    expect((await app.as(cityKey.secret).request(VIEWER)).status).toBe(401);

    const bad = await run(process.execPath, [CLI, 'keys', 'create', '--role', 'EMPEROR', '--name', 'x'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--role must be one of/);
  });
});
