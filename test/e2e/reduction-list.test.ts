import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
const CAMPAIGN = '2023-2024-autumn-winter';
let serial = 500;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

/** Inserts an enterprise straight into the table with a grade and protected class. */
async function enterprise(city: string, industry: string, grade: string | null, protectedClass = 'NONE'): Promise<string> {
  serial++;
  const level = ['NONE', 'CITY_CONSENTED', 'PROVINCE_REVIEWED', 'MINISTRY_FILED'].indexOf(protectedClass);
  const [row] = await app.sql<{ id: number }>(
    // The approval chain up to the class asked for (the class is the stage the chain reached).
    `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, protected_class, ultra_low_emission_status, origin, created_by, updated_by,
       protected_city_consented_on, protected_city_consented_by, protected_province_reviewed_on, protected_province_reviewed_by, protected_ministry_filed_on, protected_ministry_filed_by)
     select id, ?, ?, ?, 'MEDIUM', ?, ?, 'ASSESSED_AND_PUBLICISED', 'RECORDED', 'test', 'test',
       case when ?::int >= 1 then date '2023-08-01' end, case when ?::int >= 1 then 'test' end,
       case when ?::int >= 2 then date '2023-08-10' end, case when ?::int >= 2 then 'test' end,
       case when ?::int >= 3 then date '2023-08-20' end, case when ?::int >= 3 then 'test' end
     from city where slug = ? returning id`,
    [`${city} 企业 ${serial}`, `91${String(serial).padStart(16, '0')}`, industry, grade, protectedClass, ...Array(6).fill(level), city],
  );
  return String(row.id);
}

const SET = `mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) {
  entries { id gradeAtListing protectedExempt yellowMeasure yellowCutPercent orangeCutPercent redCutPercent version enterprise { id } }
  userErrors { field code message } } }`;
const m = (measure: string, cutPercent: number) => ({ measure, cutPercent });
const entry = (enterpriseId: string, y: [string, number], o: [string, number], r: [string, number], extra: Record<string, unknown> = {}) => ({
  enterpriseId,
  so2Baseline: 1,
  noxBaseline: 2,
  pmBaseline: 0.5,
  vocsBaseline: 0.25,
  yellow: m(...y),
  orange: m(...o),
  red: m(...r),
  ...extra,
});
async function set(city: string, entries: unknown[]) {
  return (await app.data(SET, { input: { city, campaign: CAMPAIGN, entries } })).setReductionListEntries;
}
const errors = (p: any) => p.userErrors.map((e: any) => [e.field.join('.'), e.code]);
async function entryCount(city: string): Promise<number> {
  const [r] = await app.sql<{ n: number }>(`select count(*)::int as n from reduction_list_entry r join city c on c.id = r.city_id where c.slug = ?`, [city]);
  return r.n;
}

describe('the emergency reduction list', () => {
  it('lists A and LEADING as self-determined, records the grade at listing, and refuses other measures for them', async () => {
    const a = await enterprise('langfang', 'CHEMICAL', 'A');
    const ok = await set('langfang', [entry(a, ['SELF_DETERMINED', 0], ['SELF_DETERMINED', 5], ['SELF_DETERMINED', 10])]);
    expect(ok.userErrors).toEqual([]);
    expect(ok.entries[0]).toMatchObject({ gradeAtListing: 'A', yellowMeasure: 'SELF_DETERMINED', version: 1 });

    const lead = await enterprise('langfang', 'CHEMICAL', 'LEADING');
    const bad = await set('langfang', [entry(lead, ['LIMIT_PRODUCTION', 10], ['SELF_DETERMINED', 20], ['SELF_DETERMINED', 30])]);
    expect(errors(bad)).toEqual([['input.entries.0.yellow.measure', 'NOT_ALLOWED']]);

    const c = await enterprise('langfang', 'CHEMICAL', 'C');
    const selfC = await set('langfang', [entry(c, ['SELF_DETERMINED', 10], ['LIMIT_PRODUCTION', 20], ['STOP_PRODUCTION', 30])]);
    expect(errors(selfC)).toEqual([['input.entries.0.yellow.measure', 'NOT_ALLOWED']]);
  });

  it('refuses cuts that shrink as the level rises, and cuts that shrink as the grade worsens within an industry', async () => {
    const b = await enterprise('cangzhou', 'GLASS', 'B');
    const c = await enterprise('cangzhou', 'GLASS', 'C');
    const d = await enterprise('cangzhou', 'GLASS', null); // ungraded: treated as D
    const otherIndustry = await enterprise('cangzhou', 'FOUNDRY', 'D');
    const before = await entryCount('cangzhou');
    const levels = await set('cangzhou', [entry(b, ['LIMIT_PRODUCTION', 30], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 40])]);
    expect(errors(levels)).toEqual([['input.entries.0.orange.cutPercent', 'NOT_ALLOWED']]);

    // C cutting less than B under ORANGE breaks LEADING/A <= B <= C <= D; nothing is written.
    const grades = await set('cangzhou', [
      entry(b, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 30], ['STOP_LINES', 40]),
      entry(c, ['LIMIT_PRODUCTION', 20], ['LIMIT_PRODUCTION', 25], ['STOP_LINES', 50]),
    ]);
    expect(errors(grades)).toContainEqual(['input.entries.1.orange.cutPercent', 'NOT_ALLOWED']);
    expect(await entryCount('cangzhou')).toBe(before);

    // Equal cuts are fine; another industry is not compared.
    const fine = await set('cangzhou', [
      entry(b, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 30]),
      entry(c, ['LIMIT_PRODUCTION', 20], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 50]),
      entry(otherIndustry, ['STAGGER', 5], ['STAGGER', 5], ['STAGGER', 5]),
    ]);
    expect(fine.userErrors).toEqual([]);
    // Against the stored list: an ungraded (D) entry cutting less than the C entry under RED.
    const later = await set('cangzhou', [entry(d, ['STOP_LINES', 30], ['STOP_LINES', 40], ['STOP_LINES', 45])]);
    expect(errors(later)).toEqual([['input.entries.0.red.cutPercent', 'NOT_ALLOWED']]);
    // Replacing an entry needs its current version when one is given.
    const stale = await set('cangzhou', [entry(b, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 30], { version: 7 })]);
    expect(errors(stale)).toEqual([['input.entries.0.version', 'CONFLICT']]);
    const replaced = await set('cangzhou', [entry(b, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 15], ['STOP_LINES', 30], { version: 1 })]);
    expect(replaced.entries[0]).toMatchObject({ orangeCutPercent: 15, version: 2 });
  });

  it('grants the protected-class exemption only with the ministry filing on record', async () => {
    const reviewed = await enterprise('hengshui', 'HEATING_BOILER', 'C', 'PROVINCE_REVIEWED');
    const filed = await enterprise('hengshui', 'HEATING_BOILER', 'C', 'MINISTRY_FILED');
    const exempt = (id: string) => entry(id, ['PROTECTED_EXEMPT', 0], ['PROTECTED_EXEMPT', 0], ['PROTECTED_EXEMPT', 0], { protectedExempt: true });
    expect(errors(await set('hengshui', [exempt(reviewed)]))).toEqual([['input.entries.0.protectedExempt', 'NOT_ALLOWED']]);
    const ok = await set('hengshui', [exempt(filed)]);
    expect(ok.userErrors).toEqual([]);
    expect(ok.entries[0].protectedExempt).toBe(true);
    // PROTECTED_EXEMPT without claiming the exemption is refused.
    const unclaimed = await set('hengshui', [entry(reviewed, ['PROTECTED_EXEMPT', 0], ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 20])]);
    expect(errors(unclaimed)).toEqual([['input.entries.0.yellow.measure', 'NOT_ALLOWED']]);
  });

  it('refuses an enterprise of another city and a CITY key writing another city\'s list', async () => {
    const elsewhere = await enterprise('tangshan', 'STEEL', 'D');
    expect(errors(await set('xingtai', [entry(elsewhere, ['STOP_LINES', 10], ['STOP_LINES', 20], ['STOP_LINES', 30])]))).toEqual([['input.entries.0.enterpriseId', 'NOT_FOUND']]);
    const key = await app.createKey({ role: 'CITY', city: 'xingtai' });
    const r = await app.as(key.secret).gql(SET, { input: { city: 'tangshan', campaign: CAMPAIGN, entries: [entry(elsewhere, ['STOP_LINES', 10], ['STOP_LINES', 20], ['STOP_LINES', 30])] } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

const ISSUE = `mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id level flagReasons } userErrors { field code message } } }`;
const CHANGE = `mutation($input: ChangeWarningInput!) { changeWarning(input: $input) { warning { id level } userErrors { field code message } } }`;
const LIFT = `mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const REQUIRED = `query($id: ID!, $at: DateTime) { enterprise(id: $id) { requiredMeasure(at: $at) { level measure cutPercent unlisted warning { id } entry { id } } } }`;
const CHECK = `mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) {
  measureCheck { id result proposedGrade proposalStatus version gradeChange { id } } userErrors { field code message } } }`;
const DECIDE = `mutation($input: DecideGradeProposalInput!) { decideGradeProposal(input: $input) {
  measureCheck { id proposalStatus version gradeChange { id reason fromGrade toGrade } enterprise { currentGrade } } gradeChange { id reason } userErrors { field code message } } }`;

describe('what an enterprise must do, and checks of it', () => {
  it('answers the measure of the level in force at an instant, and a failed check proposes a FAILED_EMERGENCY_CUTS downgrade', async () => {
    const b = await enterprise('qinhuangdao', 'CEMENT', 'B');
    const unlisted = await enterprise('qinhuangdao', 'CEMENT', 'C');
    expect((await set('qinhuangdao', [entry(b, ['LIMIT_PRODUCTION', 10], ['STOP_LINES', 25], ['STOP_PRODUCTION', 60])])).userErrors).toEqual([]);
    const w = (
      await app.data(ISSUE, { input: { city: 'qinhuangdao', level: 'YELLOW', issuedAt: '2023-12-18T00:00:00Z', effectiveFrom: '2023-12-18T12:00:00Z', plannedEnd: '2023-12-22T00:00:00Z', authority: '秦皇岛市' } })
    ).issueWarning.warning;
    expect((await app.data(CHANGE, { input: { id: w.id, level: 'RED', effectiveAt: '2023-12-19T12:00:00Z' } })).changeWarning.userErrors).toEqual([]);
    expect((await app.data(LIFT, { input: { id: w.id, liftedAt: '2023-12-21T00:00:00Z' } })).liftWarning.userErrors).toEqual([]);

    const at = async (id: string, instant: string) => (await app.data(REQUIRED, { id, at: instant })).enterprise.requiredMeasure;
    expect(await at(b, '2023-12-18T06:00:00Z')).toMatchObject({ level: null, measure: null, unlisted: false, warning: null });
    expect(await at(b, '2023-12-19T00:00:00Z')).toMatchObject({ level: 'YELLOW', measure: 'LIMIT_PRODUCTION', cutPercent: 10, warning: { id: w.id } });
    expect(await at(b, '2023-12-20T00:00:00Z')).toMatchObject({ level: 'RED', measure: 'STOP_PRODUCTION', cutPercent: 60 });
    expect(await at(b, '2023-12-21T00:00:00Z')).toMatchObject({ level: null, measure: null });
    expect(await at(unlisted, '2023-12-20T00:00:00Z')).toMatchObject({ level: 'RED', measure: null, unlisted: true, entry: null });
    // Public: anonymous callers learn the measure, not the entry.
    const anon = (await app.anonymous.data(REQUIRED, { id: b, at: '2023-12-20T00:00:00Z' })).enterprise.requiredMeasure;
    expect(anon).toMatchObject({ measure: 'STOP_PRODUCTION', entry: null });

    // Checks: during the warning only, of listed enterprises only.
    const outside = (await app.data(CHECK, { input: { warningId: w.id, enterpriseId: b, checkedAt: '2023-12-21T06:00:00Z', method: 'ON_SITE', result: 'PASSED', inspector: '督查组' } })).recordMeasureCheck;
    expect(errors(outside)).toEqual([['input.checkedAt', 'INVALID_DATE']]);
    const notListed = (await app.data(CHECK, { input: { warningId: w.id, enterpriseId: unlisted, checkedAt: '2023-12-20T06:00:00Z', method: 'ON_SITE', result: 'PASSED', inspector: '督查组' } })).recordMeasureCheck;
    expect(errors(notListed)).toEqual([['input.enterpriseId', 'NOT_ALLOWED']]);
    const passed = (await app.data(CHECK, { input: { warningId: w.id, enterpriseId: b, checkedAt: '2023-12-19T06:00:00Z', method: 'POWER_USE', result: 'PASSED', inspector: '督查组' } })).recordMeasureCheck;
    expect(passed.measureCheck).toMatchObject({ result: 'PASSED', proposedGrade: null, proposalStatus: null });
    const failed = (
      await app.data(CHECK, { input: { warningId: w.id, enterpriseId: b, checkedAt: '2023-12-20T06:00:00Z', method: 'ONLINE_MONITORING', result: 'FAILED', finding: '窑炉未停', inspector: '督查组' } })
    ).recordMeasureCheck;
    expect(failed.measureCheck).toMatchObject({ result: 'FAILED', proposedGrade: 'C', proposalStatus: 'PROPOSED', gradeChange: null });

    const decided = (await app.data(DECIDE, { input: { checkId: failed.measureCheck.id, version: 1, accept: true, decidedBy: '秦皇岛市生态环境局' } })).decideGradeProposal;
    expect(decided.userErrors).toEqual([]);
    expect(decided.measureCheck).toMatchObject({
      proposalStatus: 'ACCEPTED',
      version: 2,
      gradeChange: { reason: 'FAILED_EMERGENCY_CUTS', fromGrade: 'B', toGrade: 'C' },
      enterprise: { currentGrade: 'C' },
    });
    const again = (await app.data(DECIDE, { input: { checkId: failed.measureCheck.id, accept: false, decidedBy: 'x' } })).decideGradeProposal;
    expect(errors(again)).toEqual([['input.checkId', 'INVALID_TRANSITION']]);
  });
});

describe('forecasts and regional linkages', () => {
  const RECORD = `mutation($input: RecordForecastsInput!) { recordForecasts(input: $input) { forecasts { id city { slug } days { day aqi primaryPollutant } } userErrors { field code message } } }`;
  const LINK = `mutation($input: IssueRegionalLinkageInput!) { issueRegionalLinkage(input: $input) { regionalLinkage { id level cities { city { slug } following warning { id } } } userErrors { field code message } } }`;

  it('records forecasts in a batch, all or nothing, replacing one of the same city, source and instant', async () => {
    const f = { city: 'dezhou', issuedAt: '2023-12-05T00:00:00Z', source: 'THIRD_PARTY', systemName: 'test system', days: [{ day: '2023-12-05', aqi: 180 }, { day: '2023-12-06', aqi: 240, primaryPollutant: 'PM25' }] };
    const bad = (await app.data(RECORD, { input: { forecasts: [f, { ...f, city: 'liaocheng', days: [{ day: '2023-12-04', aqi: 600 }] }] } })).recordForecasts;
    expect(errors(bad)).toEqual([
      ['input.forecasts.1.days.0.aqi', 'OUT_OF_RANGE'],
      ['input.forecasts.1.days.0.day', 'INVALID_DATE'],
    ]);
    const [n0] = await app.sql<{ n: number }>(`select count(*)::int as n from forecast`);
    expect(n0.n).toBe(0);
    const ok = (await app.data(RECORD, { input: { forecasts: [f] } })).recordForecasts;
    expect(ok.userErrors).toEqual([]);
    expect(ok.forecasts[0].days).toEqual([
      { day: '2023-12-05', aqi: 180, primaryPollutant: null },
      { day: '2023-12-06', aqi: 240, primaryPollutant: 'PM25' },
    ]);
    const again = (await app.data(RECORD, { input: { forecasts: [{ ...f, days: [{ day: '2023-12-07', aqi: 210 }] }] } })).recordForecasts;
    expect(again.forecasts[0].id).toBe(ok.forecasts[0].id);
    expect(again.forecasts[0].days).toEqual([{ day: '2023-12-07', aqi: 210, primaryPollutant: null }]);
  });

  it('lets a province link its own cities only, and flags linked cities that do not follow', async () => {
    const hebei = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
    const input = { cities: ['shijiazhuang', 'xingtai', 'handan'], level: 'ORANGE', authority: '河北省重污染天气应急指挥部', issuedAt: '2024-01-10T00:00:00Z', effectiveFrom: '2024-01-10T12:00:00Z', plannedEnd: '2024-01-14T00:00:00Z' };
    const foreign = (await app.as(hebei.secret).data(LINK, { input: { ...input, cities: ['shijiazhuang', 'anyang'] } })).issueRegionalLinkage;
    expect(errors(foreign)).toEqual([['input.cities.1', 'NOT_ALLOWED']]);
    const linked = (await app.as(hebei.secret).data(LINK, { input })).issueRegionalLinkage;
    expect(linked.userErrors).toEqual([]);
    const id = linked.regionalLinkage.id;
    const city = await app.createKey({ role: 'CITY', city: 'xingtai' });
    expect((await app.as(city.secret).gql(LINK, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const issue = (c: string, level: string) =>
      app.data(ISSUE, { input: { city: c, level, issuedAt: '2024-01-10T01:00:00Z', effectiveFrom: '2024-01-10T12:00:00Z', plannedEnd: '2024-01-13T00:00:00Z', authority: c, linkageId: id } });
    expect((await issue('shijiazhuang', 'ORANGE')).issueWarning.warning.flagReasons).toEqual(['NO_FORECAST']);
    expect((await issue('xingtai', 'YELLOW')).issueWarning.warning.flagReasons).toEqual(['NO_FORECAST', 'LINKAGE_LEVEL_NOT_FOLLOWED']);
    expect(errors((await issue('baoding', 'ORANGE')).issueWarning)).toEqual([['input.linkageId', 'NOT_ALLOWED']]);

    const q = `query($id: ID!) { regionalLinkage(id: $id) { cities { city { slug } following } } }`;
    const bySlug = (cs: any[]) => [...cs].sort((a, b) => a.city.slug.localeCompare(b.city.slug));
    expect(bySlug((await app.data(q, { id })).regionalLinkage.cities)).toEqual([
      { city: { slug: 'handan' }, following: 'NO_WARNING' },
      { city: { slug: 'shijiazhuang' }, following: 'FOLLOWING' },
      { city: { slug: 'xingtai' }, following: 'OTHER_LEVEL' },
    ]);
    // A CITY key sees its own city of the linkage only.
    expect((await app.as(city.secret).data(q, { id })).regionalLinkage.cities).toEqual([{ city: { slug: 'xingtai' }, following: 'OTHER_LEVEL' }]);
  });
});

describe('collections declared once (warning.reads.ts)', () => {
  it('lists warnings, forecasts, linkages, entries and checks with filters, sorts and cursors, on both paths', async () => {
    const q = `query($after: String) {
      warnings(first: 1, after: $after, filter: { province: "hebei", levels: [YELLOW, ORANGE, RED] }, orderBy: { field: EFFECTIVE_FROM, direction: ASC }) { totalCount pageInfo { hasNextPage endCursor } nodes { id city { slug } effectiveFrom } }
      flagged: warnings(filter: { flagged: true }) { totalCount }
      forecasts(filter: { city: "dezhou" }) { totalCount nodes { city { slug } } }
      regionalLinkages(filter: { levels: [ORANGE] }) { totalCount nodes { level } }
      reductionListEntries(filter: { city: "cangzhou", campaign: "${CAMPAIGN}" }) { totalCount nodes { city { slug } } }
      measureChecks(filter: { results: [FAILED] }) { totalCount nodes { result } }
    }`;
    const a = await app.data(q);
    const [w] = await app.sql<{ n: number }>(`select count(*)::int as n from warning w join city c on c.id = w.city_id join province p on p.id = c.province_id where p.slug = 'hebei'`);
    expect(a.warnings.totalCount).toBe(w.n);
    expect(a.warnings.nodes).toHaveLength(1);
    const b = await app.data(q, { after: a.warnings.pageInfo.endCursor });
    expect(b.warnings.nodes[0].effectiveFrom >= a.warnings.nodes[0].effectiveFrom).toBe(true);
    const [fl] = await app.sql<{ n: number }>(`select count(*)::int as n from warning where flag_reasons <> '{}'`);
    expect(a.flagged.totalCount).toBe(fl.n);
    expect(a.forecasts.nodes.every((n: any) => n.city.slug === 'dezhou')).toBe(true);
    expect(a.regionalLinkages.nodes.every((n: any) => n.level === 'ORANGE')).toBe(true);
    expect(a.reductionListEntries.totalCount).toBe(await entryCount('cangzhou'));
    expect(a.measureChecks.nodes.every((n: any) => n.result === 'FAILED')).toBe(true);
    // Lists and checks need a key.
    const anon = await app.anonymous.gql(`{ reductionListEntries { totalCount } }`);
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
