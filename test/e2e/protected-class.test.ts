/**
 * The protected class (保障类) follows its approval chain by role: the city government's consent
 * (CITY key), then the province's review (PROVINCE key), then the filing with the Ministry
 * (MINISTRY key), each dated and attributed. No step before the one it follows, none dated
 * before it, none twice; the class is never set directly; the reduction-list exemption needs
 * the ministry filing on record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';

let app: TestApp;
let cityKey: TestKey;
let otherCityKey: TestKey;
let provinceKey: TestKey;
let otherProvinceKey: TestKey;

const STEP = `mutation($input: RecordProtectedClassStepInput!) {
  recordProtectedClassStep(input: $input) {
    enterprise { id protectedClass version protectedCityConsentedOn protectedCityConsentedBy protectedProvinceReviewedOn protectedProvinceReviewedBy protectedMinistryFiledOn protectedMinistryFiledBy }
    userErrors { field code message }
  }
}`;

let serial = 0;
async function enterprise(): Promise<string> {
  serial++;
  const d = await app.data(`mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id } userErrors { code } } }`, {
    input: { city: 'hengshui', name: `衡水市供热有限公司 ${serial}`, creditCode: generateCreditCode('131100', (n) => (serial * 7919 + 13) % n, { modern: false }), industry: 'HEATING_BOILER', size: 'MEDIUM' },
  });
  expect(d.createEnterprise.userErrors).toEqual([]);
  return d.createEnterprise.enterprise.id;
}

const step = (token: string | null, enterpriseId: string, s: string, decidedOn: string) =>
  (token === null ? app : app.as(token)).data(STEP, { input: { enterpriseId, step: s, decidedOn } }).then((d) => d.recordProtectedClassStep);
const codes = (p: { userErrors: { field: string[]; code: string }[] }) => p.userErrors.map((u) => [u.field.join('.'), u.code]);
const row = async (id: string) => (await app.sql(`select protected_class, protected_city_consented_on::text as c, protected_province_reviewed_on::text as p, protected_ministry_filed_on::text as m, version from enterprise where id = ?`, [Number(id)]))[0];

beforeAll(async () => {
  app = await startTestApp();
  cityKey = await app.createKey({ role: 'CITY', city: 'hengshui' });
  otherCityKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
  provinceKey = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
  otherProvinceKey = await app.createKey({ role: 'PROVINCE', province: 'shanxi' });
});
afterAll(() => app?.close());

describe('the approval chain', () => {
  it('passes step by step, each by its role, dated and attributed', async () => {
    const id = await enterprise();
    const a = await step(cityKey.secret, id, 'CITY_CONSENT', '2023-09-01');
    expect(a.userErrors).toEqual([]);
    expect(a.enterprise).toMatchObject({ protectedClass: 'CITY_CONSENTED', protectedCityConsentedOn: '2023-09-01', protectedCityConsentedBy: cityKey.actorId, protectedProvinceReviewedOn: null });
    const b = await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-01');
    expect(b.userErrors).toEqual([]);
    expect(b.enterprise).toMatchObject({ protectedClass: 'PROVINCE_REVIEWED', protectedProvinceReviewedOn: '2023-09-01', protectedProvinceReviewedBy: provinceKey.actorId });
    const c = await step(app.ministryToken, id, 'MINISTRY_FILING', '2023-09-20');
    expect(c.userErrors).toEqual([]);
    expect(c.enterprise).toMatchObject({ protectedClass: 'MINISTRY_FILED', protectedMinistryFiledOn: '2023-09-20', protectedMinistryFiledBy: app.ministryActorId, version: 4 });
    expect(await row(id)).toEqual({ protected_class: 'MINISTRY_FILED', c: '2023-09-01', p: '2023-09-01', m: '2023-09-20', version: 4 });
  });

  it('refuses a later step before the earlier one, whatever the key (PROTECTED_CHAIN_ORDER), writing nothing', async () => {
    const id = await enterprise();
    expect(codes(await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-01'))).toEqual([['input.step', 'PROTECTED_CHAIN_ORDER']]);
    expect(codes(await step(app.ministryToken, id, 'MINISTRY_FILING', '2023-09-01'))).toEqual([['input.step', 'PROTECTED_CHAIN_ORDER']]);
    expect(await row(id)).toEqual({ protected_class: 'NONE', c: null, p: null, m: null, version: 1 });
    expect((await step(cityKey.secret, id, 'CITY_CONSENT', '2023-09-10')).userErrors).toEqual([]);
    // Dated before the step it follows, and a step twice.
    expect(codes(await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-09'))).toEqual([['input.decidedOn', 'PROTECTED_CHAIN_ORDER']]);
    expect(codes(await step(cityKey.secret, id, 'CITY_CONSENT', '2023-09-11'))).toEqual([['input.step', 'PROTECTED_CHAIN_ORDER']]);
    expect(codes(await step(app.ministryToken, id, 'MINISTRY_FILING', '2023-09-12'))).toEqual([['input.step', 'PROTECTED_CHAIN_ORDER']]);
    expect(await row(id)).toEqual({ protected_class: 'CITY_CONSENTED', c: '2023-09-10', p: null, m: null, version: 2 });
    expect(codes(await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2999-01-01'))).toEqual([['input.decidedOn', 'INVALID_DATE']]);
  });

  it('lets only the matching role set each step (PROTECTED_STEP_ROLE); other cities and provinces do not see it', async () => {
    const id = await enterprise();
    expect(codes(await step(app.ministryToken, id, 'CITY_CONSENT', '2023-09-01'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    expect(codes(await step(provinceKey.secret, id, 'CITY_CONSENT', '2023-09-01'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    expect(codes(await step(otherCityKey.secret, id, 'CITY_CONSENT', '2023-09-01'))).toEqual([['input.enterpriseId', 'NOT_FOUND']]);
    expect((await step(cityKey.secret, id, 'CITY_CONSENT', '2023-09-01')).userErrors).toEqual([]);
    expect(codes(await step(cityKey.secret, id, 'PROVINCE_REVIEW', '2023-09-02'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    expect(codes(await step(app.ministryToken, id, 'PROVINCE_REVIEW', '2023-09-02'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    expect(codes(await step(otherProvinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-02'))).toEqual([['input.enterpriseId', 'NOT_FOUND']]);
    expect((await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-02')).userErrors).toEqual([]);
    expect(codes(await step(provinceKey.secret, id, 'MINISTRY_FILING', '2023-09-03'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    expect(codes(await step(cityKey.secret, id, 'MINISTRY_FILING', '2023-09-03'))).toEqual([['input.step', 'PROTECTED_STEP_ROLE']]);
    const readOnly = await app.createKey({ role: 'READ_ONLY' });
    const r = await app.as(readOnly.secret).gql(STEP, { input: { enterpriseId: id, step: 'MINISTRY_FILING', decidedOn: '2023-09-03' } });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await row(id)).toMatchObject({ protected_class: 'PROVINCE_REVIEWED', m: null });
  });

  it('never sets the class directly (PROTECTED_CLASS_BY_CHAIN), and the database keeps class and chain equal', async () => {
    const c = await app.data(`mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id } userErrors { field code } } }`, {
      input: { city: 'hengshui', name: '衡水市直设有限公司', creditCode: generateCreditCode('131100', (n) => 4242 % n, { modern: false }), industry: 'POWER', size: 'LARGE', protectedClass: 'MINISTRY_FILED' },
    });
    expect(c.createEnterprise).toEqual({ enterprise: null, userErrors: [{ field: ['input', 'protectedClass'], code: 'PROTECTED_CLASS_BY_CHAIN' }] });
    const id = await enterprise();
    const u = await app.data(`mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) { enterprise { id } userErrors { field code } } }`, { input: { id, protectedClass: 'MINISTRY_FILED' } });
    expect(u.updateEnterprise.userErrors).toEqual([{ field: ['input', 'protectedClass'], code: 'PROTECTED_CLASS_BY_CHAIN' }]);
    await expect(app.sql(`update enterprise set protected_class = 'MINISTRY_FILED' where id = ?`, [Number(id)])).rejects.toThrow(/enterprise_protected_chain_check/);
    expect(await row(id)).toMatchObject({ protected_class: 'NONE' });
  });
});

describe('the emergency reduction list', () => {
  const entry = (enterpriseId: string) => ({
    enterpriseId, protectedExempt: true, so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1,
    yellow: { measure: 'PROTECTED_EXEMPT', cutPercent: 0 }, orange: { measure: 'PROTECTED_EXEMPT', cutPercent: 0 }, red: { measure: 'PROTECTED_EXEMPT', cutPercent: 0 },
  });
  const set = (id: string) =>
    app.data(`mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { entries { protectedExempt } userErrors { field code } } }`, {
      input: { city: 'hengshui', campaign: '2023-2024-autumn-winter', entries: [entry(id)] },
    }).then((d) => d.setReductionListEntries);

  it('grants the exemption only once the ministry filing is on record', async () => {
    const id = await enterprise();
    await step(cityKey.secret, id, 'CITY_CONSENT', '2023-09-01');
    await step(provinceKey.secret, id, 'PROVINCE_REVIEW', '2023-09-05');
    expect((await set(id)).userErrors).toEqual([{ field: ['input', 'entries', '0', 'protectedExempt'], code: 'NOT_ALLOWED' }]);
    expect((await step(app.ministryToken, id, 'MINISTRY_FILING', '2023-09-08')).userErrors).toEqual([]);
    const ok = await set(id);
    expect(ok.userErrors).toEqual([]);
    expect(ok.entries).toEqual([{ protectedExempt: true }]);
  });
});
