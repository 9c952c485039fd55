/**
 * Confidentiality against hostile clients: reports answer only who may read the lists they
 * aggregate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildAccessFixture, CAMPAIGN, type AccessFixture } from '../helpers/access-fixture.js';
import { SUBJECTS } from '../../packages/api/src/modules/report/report.registry.js';

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

/** CSV text (after the BOM) as rows of fields (RFC 4180). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
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
    // The subsidy and project subjects are the ones that need a key.
    expect(Object.entries(SUBJECTS).filter(([, d]) => !d.read.public).map(([s]) => s).sort()).toEqual(['DISBURSEMENTS', 'RETROFIT_PROJECTS']);
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
