/**
 * Enterprises and their performance-grade history through the HTTP API on a real PostgreSQL:
 * queries and every filter against a small fixture built here, the nested relations, and each
 * mutation's happy path and user errors (with row counts proving nothing was written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { creditCodeCheck, generateCreditCode, organisationCodeCheck } from '../../packages/api/src/modules/enterprise/credit-code.js';

let app: TestApp;

const FIELDS = `id name creditCode industry size keyDischarger onlineMonitoring ultraLowEmissionStatus protectedClass
  benchmark positiveList currentGrade origin version createdBy updatedBy city { slug }`;
const CREATE = `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) {
  enterprise { ${FIELDS} } userErrors { field code message } } }`;
const UPDATE = `mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) {
  enterprise { ${FIELDS} } userErrors { field code message } } }`;
const RECORD = `mutation($input: RecordGradeChangeInput!) { recordGradeChange(input: $input) {
  gradeChange { id fromGrade toGrade reason decidedBy decidedAt note origin createdBy city { slug } enterprise { id name } }
  enterprise { id currentGrade version benchmark positiveList }
  userErrors { field code message } } }`;

/** A deterministic source of randomness for credit codes. */
let state = 7;
const random = (n: number) => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state % n;
};
const code = (division: string) => generateCreditCode(division, random);

const one = async <T = any>(sql: string, params: unknown[] = []) => (await app.sql<T>(sql, params))[0];
const rowCounts = () =>
  one<{ e: number; g: number }>(`select (select count(*)::int from enterprise) e, (select count(*)::int from grade_change) g`);

async function create(input: Record<string, unknown>) {
  const d = await app.data(CREATE, { input });
  expect(d.createEnterprise.userErrors).toEqual([]);
  return d.createEnterprise.enterprise;
}
async function record(input: Record<string, unknown>) {
  const d = await app.data(RECORD, { input });
  expect(d.recordGradeChange.userErrors).toEqual([]);
  return d.recordGradeChange;
}

/** The fixture: 7 enterprises in 6 cities of both regions, 5 graded through 8 changes. */
const F: Record<string, any> = {};
const C: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  C.e1 = code('130200');
  C.e2 = code('130200');
  C.e3 = code('130400');
  C.e4 = code('140100');
  C.e5 = code('370500');
  C.e6 = code('610100');
  C.e7 = code('110000');
  F.e1 = await create({ city: 'tangshan', name: '唐山市鑫达钢铁有限公司', creditCode: C.e1, industry: 'STEEL', size: 'LARGE', keyDischarger: true, onlineMonitoring: true, ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED', positiveList: true });
  F.e2 = await create({ city: 'tangshan', name: '唐山市恒泰钢铁有限公司', creditCode: C.e2, industry: 'STEEL', size: 'MEDIUM', keyDischarger: true, ultraLowEmissionStatus: 'RETROFITTING' });
  F.e3 = await create({ city: 'handan', name: '邯郸市金隆水泥有限公司', creditCode: C.e3, industry: 'CEMENT', size: 'MEDIUM', ultraLowEmissionStatus: 'COMPLETED' });
  F.e4 = await create({ city: 'taiyuan', name: '太原市晋源焦化有限公司', creditCode: C.e4, industry: 'COKING', size: 'LARGE', keyDischarger: true, onlineMonitoring: true, ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED' });
  // Its protected class through its approval chain (test/e2e/protected-class.test.ts covers the mutation).
  await app.sql(`update enterprise set protected_class = 'MINISTRY_FILED', protected_city_consented_on = '2023-08-01', protected_city_consented_by = 'test',
    protected_province_reviewed_on = '2023-08-10', protected_province_reviewed_by = 'test', protected_ministry_filed_on = '2023-08-20', protected_ministry_filed_by = 'test' where id = ?`, [Number(F.e4.id)]);
  F.e5 = await create({ city: 'dongying', name: '东营市华星石化有限公司', creditCode: C.e5, industry: 'PETROCHEMICAL', size: 'LARGE', keyDischarger: true, onlineMonitoring: true, benchmark: true, positiveList: true });
  F.e6 = await create({ city: 'xian', name: '西安市彩虹印刷有限公司', creditCode: C.e6, industry: 'PACKAGING_AND_PRINTING', size: 'SMALL' });
  F.e7 = await create({ city: 'beijing', name: '北京市京华家具有限公司', creditCode: C.e7, industry: 'INDUSTRIAL_COATING', size: 'MICRO' });

  const by = (city: string) => `${city}生态环境局`;
  await record({ enterpriseId: F.e1.id, toGrade: 'B', reason: 'ASSESSMENT', decidedBy: by('唐山市'), decidedAt: '2021-03-01T02:00:00Z' });
  await record({ enterpriseId: F.e1.id, toGrade: 'A', reason: 'UPGRADE_ON_IMPROVEMENT', decidedBy: by('唐山市'), decidedAt: '2022-06-01T02:00:00Z' });
  await record({ enterpriseId: F.e1.id, toGrade: 'B', reason: 'FAILED_EMERGENCY_CUTS', decidedBy: by('唐山市'), decidedAt: '2023-12-10T02:00:00Z' });
  await record({ enterpriseId: F.e2.id, toGrade: 'C', reason: 'ASSESSMENT', decidedBy: by('唐山市'), decidedAt: '2021-05-01T02:00:00Z' });
  await record({ enterpriseId: F.e3.id, toGrade: 'C', reason: 'ASSESSMENT', decidedBy: by('邯郸市'), decidedAt: '2022-01-10T02:00:00Z' });
  // 2023-03-31T16:30Z is 2023-04-01 00:30 in China.
  await record({ enterpriseId: F.e3.id, toGrade: 'D', reason: 'DOWNGRADE_FOR_VIOLATION', decidedBy: by('邯郸市'), decidedAt: '2023-03-31T16:30:00Z', note: '超标排放被立案处罚' });
  await record({ enterpriseId: F.e4.id, toGrade: 'A', reason: 'ASSESSMENT', decidedBy: by('太原市'), decidedAt: '2021-09-01T02:00:00Z' });
  await record({ enterpriseId: F.e5.id, toGrade: 'LEADING', reason: 'ASSESSMENT', decidedBy: '山东省生态环境厅', decidedAt: '2022-02-01T02:00:00Z' });
});
afterAll(() => app?.close());

const names = (conn: { nodes: { name: string }[] }) => conn.nodes.map((n) => n.name).sort();
const N = {
  e1: '唐山市鑫达钢铁有限公司',
  e2: '唐山市恒泰钢铁有限公司',
  e3: '邯郸市金隆水泥有限公司',
  e4: '太原市晋源焦化有限公司',
  e5: '东营市华星石化有限公司',
  e6: '西安市彩虹印刷有限公司',
  e7: '北京市京华家具有限公司',
};
const sorted = (...xs: string[]) => [...xs].sort();

describe('enterprise queries', () => {
  it('lists every enterprise by name by default, and filters by place', async () => {
    const d = await app.data(`{
      all: enterprises { totalCount nodes { name } }
      hebei: enterprises(filter: { province: "hebei" }) { totalCount nodes { name } }
      fenwei: enterprises(filter: { region: FENWEI_PLAIN }) { nodes { name } }
      jjj: enterprises(filter: { region: JJJ_SURROUNDING }) { totalCount }
      tangshan: enterprises(filter: { city: "tangshan" }) { nodes { name city { slug } } }
      both: enterprises(filter: { region: FENWEI_PLAIN, province: "shanxi" }) { nodes { name } }
    }`);
    expect(d.all.totalCount).toBe(7);
    const byName = await app.sql<{ name: string }>(`select name from enterprise order by name, id`);
    expect(d.all.nodes.map((n: any) => n.name)).toEqual(byName.map((r) => r.name));
    expect(d.hebei.totalCount).toBe(3);
    expect(names(d.hebei)).toEqual(sorted(N.e1, N.e2, N.e3));
    expect(names(d.fenwei)).toEqual(sorted(N.e4, N.e6)); // the plan puts Taiyuan and Xi'an in the Fenwei Plain
    expect(d.jjj.totalCount).toBe(5);
    expect(names(d.tangshan)).toEqual(sorted(N.e1, N.e2));
    expect(d.tangshan.nodes.every((n: any) => n.city.slug === 'tangshan')).toBe(true);
    expect(d.both.nodes).toEqual([{ name: N.e4 }]);
  });

  it('filters by industry, size, grade, ultra-low status and flags', async () => {
    const d = await app.data(`{
      steel: enterprises(filter: { industries: [STEEL] }) { nodes { name } }
      ule: enterprises(filter: { industries: [STEEL, CEMENT, COKING] }) { totalCount }
      none: enterprises(filter: { industries: [] }) { totalCount }
      large: enterprises(filter: { sizes: [LARGE] }) { nodes { name } }
      gradeB: enterprises(filter: { grades: [B] }) { nodes { name currentGrade } }
      top: enterprises(filter: { grades: [LEADING, A] }) { nodes { name } }
      ungraded: enterprises(filter: { graded: false }) { nodes { name currentGrade } }
      graded: enterprises(filter: { graded: true }) { totalCount }
      assessed: enterprises(filter: { ultraLowEmissionStatuses: [ASSESSED_AND_PUBLICISED] }) { nodes { name } }
      key: enterprises(filter: { keyDischarger: true }) { nodes { name } }
      notKey: enterprises(filter: { keyDischarger: false }) { totalCount }
      online: enterprises(filter: { onlineMonitoring: true }) { nodes { name } }
      protected: enterprises(filter: { protectedClasses: [CITY_CONSENTED, PROVINCE_REVIEWED, MINISTRY_FILED] }) { nodes { name } }
      benchmark: enterprises(filter: { benchmark: true }) { nodes { name } }
      positive: enterprises(filter: { positiveList: true }) { nodes { name } }
      recorded: enterprises(filter: { origin: RECORDED }) { totalCount }
      demo: enterprises(filter: { origin: DEMO }) { totalCount }
      combined: enterprises(filter: { province: "hebei", industries: [STEEL], grades: [C] }) { nodes { name } }
    }`);
    expect(names(d.steel)).toEqual(sorted(N.e1, N.e2));
    expect(d.ule.totalCount).toBe(4);
    expect(d.none.totalCount).toBe(0);
    expect(names(d.large)).toEqual(sorted(N.e1, N.e4, N.e5));
    expect(d.gradeB.nodes).toEqual([{ name: N.e1, currentGrade: 'B' }]);
    expect(names(d.top)).toEqual(sorted(N.e4, N.e5));
    expect(names(d.ungraded)).toEqual(sorted(N.e6, N.e7));
    expect(d.ungraded.nodes.every((n: any) => n.currentGrade === null)).toBe(true);
    expect(d.graded.totalCount).toBe(5);
    expect(names(d.assessed)).toEqual(sorted(N.e1, N.e4));
    expect(names(d.key)).toEqual(sorted(N.e1, N.e2, N.e4, N.e5));
    expect(d.notKey.totalCount).toBe(3);
    expect(names(d.online)).toEqual(sorted(N.e1, N.e4, N.e5));
    expect(names(d.protected)).toEqual([N.e4]);
    expect(names(d.benchmark)).toEqual([N.e5]);
    expect(names(d.positive)).toEqual(sorted(N.e1, N.e5));
    expect(d.recorded.totalCount).toBe(7);
    expect(d.demo.totalCount).toBe(0);
    expect(names(d.combined)).toEqual([N.e2]);
  });

  it('searches by name (case-insensitive, wildcards literal) or credit-code prefix', async () => {
    const q = `query($s: String) { enterprises(filter: { search: $s }) { nodes { name } } }`;
    expect(names((await app.data(q, { s: '钢铁' })).enterprises)).toEqual(sorted(N.e1, N.e2));
    expect(names((await app.data(q, { s: ' 彩虹 ' })).enterprises)).toEqual([N.e6]);
    expect(names((await app.data(q, { s: C.e5.slice(0, 14).toLowerCase() })).enterprises)).toEqual([N.e5]);
    expect(names((await app.data(q, { s: '91130200' })).enterprises)).toEqual(sorted(N.e1, N.e2));
    expect((await app.data(q, { s: '%' })).enterprises.nodes).toEqual([]);
    expect((await app.data(q, { s: '_' })).enterprises.nodes).toEqual([]);
  });

  it('sorts by name, credit code and creation time, and pages with cursors', async () => {
    const d = await app.data(`{
      code: enterprises(orderBy: { field: CREDIT_CODE }) { nodes { creditCode } }
      codeDesc: enterprises(orderBy: { field: CREDIT_CODE, direction: DESC }) { nodes { creditCode } }
      newest: enterprises(orderBy: { field: CREATED_AT, direction: DESC }) { nodes { name } }
      nameDesc: enterprises(orderBy: { field: NAME, direction: DESC }) { nodes { name } }
    }`);
    const codes = (await app.sql<{ credit_code: string }>(`select credit_code from enterprise order by credit_code, id`)).map((r) => r.credit_code);
    expect(d.code.nodes.map((n: any) => n.creditCode)).toEqual(codes);
    expect(d.codeDesc.nodes.map((n: any) => n.creditCode)).toEqual([...codes].reverse());
    expect(d.newest.nodes.map((n: any) => n.name)).toEqual([N.e7, N.e6, N.e5, N.e4, N.e3, N.e2, N.e1]);
    const byName = (await app.sql<{ name: string }>(`select name from enterprise order by name desc, id desc`)).map((r) => r.name);
    expect(d.nameDesc.nodes.map((n: any) => n.name)).toEqual(byName);

    const page = `query($after: String) { enterprises(first: 3, after: $after, orderBy: { field: CREDIT_CODE }) {
      totalCount nodes { creditCode } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    const pages: any[] = [];
    for (;;) {
      const p: any = (await app.data(page, { after })).enterprises;
      pages.push(p);
      seen.push(...p.nodes.map((n: any) => n.creditCode));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.nodes.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    expect(pages[0].totalCount).toBe(7);
    expect(seen).toEqual(codes);
  });

  it('finds an enterprise by id and by credit code, with coded errors otherwise', async () => {
    const d = await app.data(`query($id: ID!, $code: String!) {
      enterprise(id: $id) { name creditCode city { slug nameZh } }
      enterpriseByCreditCode(creditCode: $code) { id name }
    }`, { id: F.e4.id, code: ` ${C.e5.toLowerCase()} ` });
    expect(d.enterprise).toEqual({ name: N.e4, creditCode: C.e4, city: { slug: 'taiyuan', nameZh: '太原市' } });
    expect(d.enterpriseByCreditCode).toEqual({ id: F.e5.id, name: N.e5 });

    const unknown = await app.gql(`{ enterprise(id: "999999") { name } }`);
    expect(unknown.data?.enterprise).toBeNull();
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const malformed = await app.gql(`{ enterprise(id: "abc") { name } }`);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', reason: 'INVALID' });

    // A valid code that nobody holds, built by hand: 91 + 130200 + organisation code 12345678-? + check.
    const body = `91130200${'12345678'}${organisationCodeCheck('12345678')}`;
    const free = body + creditCodeCheck(body);
    const nobody = await app.gql(`query($c: String!) { enterpriseByCreditCode(creditCode: $c) { name } }`, { c: free });
    expect(nobody.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'creditCode' });
    const bad = await app.gql(`{ enterpriseByCreditCode(creditCode: "91130200123456789X") { name } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'creditCode', reason: 'INVALID' });

    const unknownPlace = await app.gql(`{ enterprises(filter: { city: "atlantis" }) { totalCount } }`);
    expect(unknownPlace.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.city' });
  });

  it('lists grade changes newest first with every filter', async () => {
    const d = await app.data(`query($e1: ID!) {
      all: gradeChanges { totalCount nodes { toGrade decidedAt enterprise { name } } }
      hebei: gradeChanges(filter: { province: "hebei" }) { totalCount }
      handan: gradeChanges(filter: { city: "handan" }) { nodes { fromGrade toGrade note decidedBy city { slug } } }
      fenwei: gradeChanges(filter: { region: FENWEI_PLAIN }) { totalCount }
      e1: gradeChanges(filter: { enterpriseId: $e1 }) { nodes { fromGrade toGrade reason } }
      assessments: gradeChanges(filter: { reasons: [ASSESSMENT] }) { totalCount }
      cuts: gradeChanges(filter: { reasons: [FAILED_EMERGENCY_CUTS, DOWNGRADE_FOR_VIOLATION] }) { nodes { enterprise { name } } }
      toA: gradeChanges(filter: { toGrades: [A, LEADING] }) { nodes { enterprise { name } toGrade } }
      y2021: gradeChanges(filter: { decidedFrom: "2021-01-01", decidedTo: "2021-12-31" }) { totalCount }
      apr1: gradeChanges(filter: { decidedFrom: "2023-04-01", decidedTo: "2023-04-01" }) { nodes { enterprise { name } decidedAt } }
      mar31: gradeChanges(filter: { decidedFrom: "2023-03-31", decidedTo: "2023-03-31" }) { totalCount }
      recorded: gradeChanges(filter: { origin: RECORDED }) { totalCount }
      demo: gradeChanges(filter: { origin: DEMO }) { totalCount }
      page: gradeChanges(first: 2) { nodes { decidedAt } pageInfo { hasNextPage } }
    }`, { e1: F.e1.id });
    expect(d.all.totalCount).toBe(8);
    const times = d.all.nodes.map((n: any) => n.decidedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(d.all.nodes[0]).toEqual({ toGrade: 'B', decidedAt: '2023-12-10T02:00:00.000Z', enterprise: { name: N.e1 } });
    expect(d.hebei.totalCount).toBe(6);
    expect(d.handan.nodes).toEqual([
      { fromGrade: 'C', toGrade: 'D', note: '超标排放被立案处罚', decidedBy: '邯郸市生态环境局', city: { slug: 'handan' } },
      { fromGrade: null, toGrade: 'C', note: null, decidedBy: '邯郸市生态环境局', city: { slug: 'handan' } },
    ]);
    expect(d.fenwei.totalCount).toBe(1); // Taiyuan's
    expect(d.e1.nodes).toEqual([
      { fromGrade: 'A', toGrade: 'B', reason: 'FAILED_EMERGENCY_CUTS' },
      { fromGrade: 'B', toGrade: 'A', reason: 'UPGRADE_ON_IMPROVEMENT' },
      { fromGrade: null, toGrade: 'B', reason: 'ASSESSMENT' },
    ]);
    expect(d.assessments.totalCount).toBe(5);
    expect(d.cuts.nodes.map((n: any) => n.enterprise.name)).toEqual([N.e1, N.e3]);
    expect(d.toA.nodes).toEqual([
      { enterprise: { name: N.e1 }, toGrade: 'A' },
      { enterprise: { name: N.e5 }, toGrade: 'LEADING' },
      { enterprise: { name: N.e4 }, toGrade: 'A' },
    ]);
    expect(d.y2021.totalCount).toBe(3);
    expect(d.apr1.nodes).toEqual([{ enterprise: { name: N.e3 }, decidedAt: '2023-03-31T16:30:00.000Z' }]);
    expect(d.mar31.totalCount).toBe(0);
    expect(d.recorded.totalCount).toBe(8);
    expect(d.demo.totalCount).toBe(0);
    expect(d.page.nodes).toHaveLength(2);
    expect(d.page.pageInfo.hasNextPage).toBe(true);

    const reversed = await app.gql(`{ gradeChanges(filter: { decidedFrom: "2023-02-01", decidedTo: "2023-01-01" }) { totalCount } }`);
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.decidedTo', reason: 'INVALID_DATE' });
    const badId = await app.gql(`{ gradeChanges(filter: { enterpriseId: "x" }) { totalCount } }`);
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.enterpriseId' });
  });

  it('walks city -> enterprises -> gradeChanges -> enterprise, with city-level filters', async () => {
    const d = await app.data(`{
      city(slug: "tangshan") {
        all: enterprises { totalCount nodes { name currentGrade
          gradeChanges { totalCount nodes { toGrade enterprise { name } city { slug } } }
          latest: gradeChanges(first: 1) { nodes { toGrade } pageInfo { hasNextPage } } } }
        graded: enterprises(filter: { grades: [C] }) { nodes { name } }
        search: enterprises(filter: { search: "鑫达" }) { nodes { name } }
        byCode: enterprises(orderBy: { field: CREATED_AT, direction: DESC }) { nodes { name } }
      }
      cities(filter: { province: "hebei" }) { nodes { slug enterprises { totalCount } } }
    }`);
    const ts = d.city;
    expect(ts.all.totalCount).toBe(2);
    const e1 = ts.all.nodes.find((n: any) => n.name === N.e1);
    expect(e1.currentGrade).toBe('B');
    expect(e1.gradeChanges.totalCount).toBe(3);
    expect(e1.gradeChanges.nodes.map((g: any) => g.toGrade)).toEqual(['B', 'A', 'B']);
    expect(e1.gradeChanges.nodes.every((g: any) => g.enterprise.name === N.e1 && g.city.slug === 'tangshan')).toBe(true);
    expect(e1.latest).toEqual({ nodes: [{ toGrade: 'B' }], pageInfo: { hasNextPage: true } });
    expect(ts.graded.nodes).toEqual([{ name: N.e2 }]);
    expect(ts.search.nodes).toEqual([{ name: N.e1 }]);
    expect(ts.byCode.nodes.map((n: any) => n.name)).toEqual([N.e2, N.e1]);
    const perCity = Object.fromEntries(d.cities.nodes.map((c: any) => [c.slug, c.enterprises.totalCount]));
    expect(perCity).toMatchObject({ tangshan: 2, handan: 1, shijiazhuang: 0 });
  });
});

describe('createEnterprise', () => {
  it('registers an ungraded enterprise with normalized credit code, actor and origin', async () => {
    const before = await rowCounts();
    const creditCode = code('130500');
    const d = await app.data(CREATE, {
      input: { city: 'xingtai', name: '  邢台市旭阳玻璃有限公司 ', creditCode: ` ${creditCode.toLowerCase()} `, industry: 'GLASS', size: 'MEDIUM' },
    });
    expect(d.createEnterprise.userErrors).toEqual([]);
    expect(d.createEnterprise.enterprise).toMatchObject({
      name: '邢台市旭阳玻璃有限公司',
      creditCode,
      industry: 'GLASS',
      size: 'MEDIUM',
      keyDischarger: false,
      onlineMonitoring: false,
      ultraLowEmissionStatus: 'NOT_STARTED',
      protectedClass: 'NONE',
      benchmark: false,
      positiveList: false,
      currentGrade: null,
      origin: 'RECORDED',
      version: 1,
      createdBy: app.ministryActorId,
      updatedBy: app.ministryActorId,
      city: { slug: 'xingtai' },
    });
    expect(await rowCounts()).toEqual({ e: before.e + 1, g: before.g });
    const row = await one(`select e.credit_code, c.slug from enterprise e join city c on c.id = e.city_id where e.id = ?`, [Number(d.createEnterprise.enterprise.id)]);
    expect(row).toEqual({ credit_code: creditCode, slug: 'xingtai' });
  });

  it('refuses bad input with field paths and codes, writing nothing', async () => {
    const before = await rowCounts();
    const base = { city: 'tangshan', name: '唐山市测试钢铁有限公司', creditCode: code('130200'), industry: 'STEEL', size: 'LARGE' };
    const valid = base.creditCode;
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const wrongOrgCheck = valid.slice(0, 16) + (valid[16] === '0' ? '1' : '0') + valid[17];
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ creditCode: '91130200MA0CBA0H4' }, ['input', 'creditCode'], 'INVALID'],
      [{ creditCode: '91130200MA0CBA0HIN' }, ['input', 'creditCode'], 'INVALID'],
      [{ creditCode: wrongCheck }, ['input', 'creditCode'], 'INVALID'],
      [{ creditCode: wrongOrgCheck }, ['input', 'creditCode'], 'INVALID'],
      [{ creditCode: '  ' }, ['input', 'creditCode'], 'REQUIRED'],
      [{ creditCode: C.e1 }, ['input', 'creditCode'], 'TAKEN'],
      [{ creditCode: C.e1.toLowerCase() }, ['input', 'creditCode'], 'TAKEN'],
      [{ city: 'atlantis' }, ['input', 'city'], 'NOT_FOUND'],
      [{ name: '   ' }, ['input', 'name'], 'REQUIRED'],
    ];
    for (const [change, field, errorCode] of cases) {
      const d = await app.data(CREATE, { input: { ...base, ...change } });
      expect(d.createEnterprise.enterprise, JSON.stringify(change)).toBeNull();
      expect(d.createEnterprise.userErrors.map((e: any) => [e.field, e.code]), JSON.stringify(change)).toEqual([[field, errorCode]]);
    }
    const all = await app.data(CREATE, { input: { ...base, city: 'atlantis', name: '', creditCode: wrongCheck } });
    expect(all.createEnterprise.userErrors.map((e: any) => `${e.field.join('.')}:${e.code}`).sort()).toEqual([
      'input.city:NOT_FOUND',
      'input.creditCode:INVALID',
      'input.name:REQUIRED',
    ]);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('updateEnterprise', () => {
  it('changes the given fields only and bumps the version', async () => {
    const e = await create({ city: 'shijiazhuang', name: '石家庄市正泰化工有限公司', creditCode: code('130100'), industry: 'CHEMICAL', size: 'SMALL' });
    const d = await app.data(UPDATE, { input: { id: e.id, version: 1, name: '石家庄市正泰精细化工有限公司', size: 'MEDIUM', keyDischarger: true, protectedClass: 'NONE' } });
    expect(d.updateEnterprise.userErrors).toEqual([]);
    expect(d.updateEnterprise.enterprise).toMatchObject({
      id: e.id,
      name: '石家庄市正泰精细化工有限公司',
      size: 'MEDIUM',
      keyDischarger: true,
      protectedClass: 'NONE',
      industry: 'CHEMICAL',
      onlineMonitoring: false,
      creditCode: e.creditCode,
      city: { slug: 'shijiazhuang' },
      version: 2,
    });
    const row = await one(`select name, size, version, updated_by from enterprise where id = ?`, [Number(e.id)]);
    expect(row).toEqual({ name: '石家庄市正泰精细化工有限公司', size: 'MEDIUM', version: 2, updated_by: app.ministryActorId });
    // Nothing to change: no write, no new version.
    const same = await app.data(UPDATE, { input: { id: e.id, size: 'MEDIUM' } });
    expect(same.updateEnterprise.enterprise.version).toBe(2);
  });

  it('refuses unknown ids, empty names, stale versions and grades the new status cannot hold, writing nothing', async () => {
    const e = await create({ city: 'handan', name: '邯郸市永兴钢铁有限公司', creditCode: code('130400'), industry: 'STEEL', size: 'LARGE', ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED' });
    await record({ enterpriseId: e.id, toGrade: 'A', reason: 'ASSESSMENT', decidedBy: '邯郸市生态环境局', decidedAt: '2022-05-01T02:00:00Z' });
    const glass = await create({ city: 'xingtai', name: '邢台市嘉润玻璃有限公司', creditCode: code('130500'), industry: 'GLASS', size: 'LARGE' });
    await record({ enterpriseId: glass.id, toGrade: 'B', reason: 'ASSESSMENT', decidedBy: '邢台市生态环境局', decidedAt: '2022-05-01T02:00:00Z' });
    const snapshot = () => app.sql(`select * from enterprise where id in (?, ?) order by id`, [Number(e.id), Number(glass.id)]);
    const before = await snapshot();
    const counts = await rowCounts();

    const cases: [Record<string, unknown>, string[], string][] = [
      [{ id: '999999', size: 'SMALL' }, ['input', 'id'], 'NOT_FOUND'],
      [{ id: 'x1', size: 'SMALL' }, ['input', 'id'], 'INVALID'],
      [{ id: e.id, name: '  ' }, ['input', 'name'], 'REQUIRED'],
      [{ id: e.id, version: 1, size: 'MEDIUM' }, ['input', 'version'], 'CONFLICT'],
      [{ id: e.id, ultraLowEmissionStatus: 'COMPLETED' }, ['input', 'ultraLowEmissionStatus'], 'NOT_ALLOWED'],
      [{ id: e.id, ultraLowEmissionStatus: 'NOT_STARTED', size: 'SMALL' }, ['input', 'ultraLowEmissionStatus'], 'NOT_ALLOWED'],
      [{ id: glass.id, industry: 'CEMENT' }, ['input', 'industry'], 'NOT_ALLOWED'],
    ];
    for (const [input, field, errorCode] of cases) {
      const d = await app.data(UPDATE, { input });
      expect(d.updateEnterprise.enterprise, JSON.stringify(input)).toBeNull();
      expect(d.updateEnterprise.userErrors.map((u: any) => [u.field, u.code]), JSON.stringify(input)).toEqual([[field, errorCode]]);
    }
    expect(await snapshot()).toEqual(before);
    expect(await rowCounts()).toEqual(counts);

    // After a downgrade to C the status may drop; other industries were never bound.
    await record({ enterpriseId: e.id, toGrade: 'C', reason: 'DOWNGRADE_FOR_VIOLATION', decidedBy: '邯郸市生态环境局', decidedAt: '2023-01-05T02:00:00Z' });
    const ok = await app.data(UPDATE, { input: { id: e.id, ultraLowEmissionStatus: 'COMPLETED' } });
    expect(ok.updateEnterprise.userErrors).toEqual([]);
    expect(ok.updateEnterprise.enterprise).toMatchObject({ ultraLowEmissionStatus: 'COMPLETED', currentGrade: 'C', version: 4 });
    const glassOk = await app.data(UPDATE, { input: { id: glass.id, ultraLowEmissionStatus: 'RETROFITTING' } });
    expect(glassOk.updateEnterprise.userErrors).toEqual([]);
  });
});

describe('recordGradeChange', () => {
  it('keeps a consistent history and derives the current grade from it', async () => {
    const e = await create({ city: 'anyang', name: '安阳市德信钢铁有限公司', creditCode: code('410500'), industry: 'STEEL', size: 'LARGE', ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED', positiveList: true, benchmark: true });
    const before = await rowCounts();
    const steps = [
      { toGrade: 'C', reason: 'ASSESSMENT', decidedAt: '2021-04-01T01:00:00Z' },
      { toGrade: 'B', reason: 'UPGRADE_ON_IMPROVEMENT', decidedAt: '2022-04-01T01:00:00Z' },
      { toGrade: 'A', reason: 'UPGRADE_ON_IMPROVEMENT', decidedAt: '2022-10-01T01:00:00Z' },
      { toGrade: 'B', reason: 'FAILED_EMERGENCY_CUTS', decidedAt: '2023-01-15T01:00:00Z' },
      { toGrade: 'D', reason: 'FALSIFIED_MONITORING', decidedAt: '2023-01-15T01:00:00Z', note: '篡改在线监测数据' },
    ];
    let previous: string | null = null;
    for (const [i, s] of steps.entries()) {
      const r = await record({ enterpriseId: e.id, decidedBy: '安阳市生态环境局', ...s });
      expect(r.gradeChange).toMatchObject({
        fromGrade: previous,
        toGrade: s.toGrade,
        reason: s.reason,
        decidedBy: '安阳市生态环境局',
        decidedAt: new Date(s.decidedAt).toISOString(),
        origin: 'RECORDED',
        createdBy: app.ministryActorId,
        city: { slug: 'anyang' },
        enterprise: { id: e.id, name: '安阳市德信钢铁有限公司' },
      });
      expect(r.enterprise).toMatchObject({ id: e.id, currentGrade: s.toGrade, version: i + 2 });
      previous = s.toGrade;
    }
    expect(await rowCounts()).toEqual({ e: before.e, g: before.g + 5 });
    const stored = await one(`select e.current_grade, e.benchmark, e.positive_list,
      (select to_grade from grade_change g where g.enterprise_id = e.id order by decided_at desc, id desc limit 1) last,
      (select count(*)::int from grade_change g where g.enterprise_id = e.id and g.city_id = e.city_id) with_city
      from enterprise e where e.id = ?`, [Number(e.id)]);
    // Falsified monitoring withdraws the preferential listings.
    expect(stored).toEqual({ current_grade: 'D', benchmark: false, positive_list: false, last: 'D', with_city: 5 });
    const h = await app.data(`query($id: ID!) { enterprise(id: $id) { currentGrade gradeChanges { nodes { fromGrade toGrade } } } }`, { id: e.id });
    expect(h.enterprise).toEqual({
      currentGrade: 'D',
      gradeChanges: { nodes: [
        { fromGrade: 'B', toGrade: 'D' },
        { fromGrade: 'A', toGrade: 'B' },
        { fromGrade: 'B', toGrade: 'A' },
        { fromGrade: 'C', toGrade: 'B' },
        { fromGrade: null, toGrade: 'C' },
      ] },
    });
  });

  it('refuses changes the rules forbid, writing nothing', async () => {
    const steel = await create({ city: 'linfen', name: '临汾市晟达钢铁有限公司', creditCode: code('141000'), industry: 'STEEL', size: 'MEDIUM', ultraLowEmissionStatus: 'COMPLETED' });
    await record({ enterpriseId: steel.id, toGrade: 'C', reason: 'ASSESSMENT', decidedBy: '临汾市生态环境局', decidedAt: '2022-03-01T02:00:00Z' });
    const fresh = await create({ city: 'linfen', name: '临汾市富源化工有限公司', creditCode: code('141000'), industry: 'CHEMICAL', size: 'SMALL' });
    const counts = await rowCounts();
    const state = () => app.sql(`select id, current_grade, version from enterprise where id in (?, ?) order by id`, [Number(steel.id), Number(fresh.id)]);
    const before = await state();
    const base = { enterpriseId: steel.id, decidedBy: '临汾市生态环境局', decidedAt: '2023-06-01T02:00:00Z' };
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ toGrade: 'B', reason: 'UPGRADE_ON_IMPROVEMENT' }, ['input', 'toGrade'], 'NOT_ALLOWED'], // ultra-low emission not publicised
      [{ toGrade: 'A', reason: 'ASSESSMENT' }, ['input', 'toGrade'], 'NOT_ALLOWED'],
      [{ toGrade: 'C', reason: 'ASSESSMENT' }, ['input', 'toGrade'], 'NOT_ALLOWED'], // not a change
      [{ enterpriseId: fresh.id, toGrade: 'C', reason: 'FALSIFIED_MONITORING' }, ['input', 'toGrade'], 'NOT_ALLOWED'],
      [{ toGrade: 'D', reason: 'UPGRADE_ON_IMPROVEMENT' }, ['input', 'reason'], 'NOT_ALLOWED'],
      [{ toGrade: 'D', reason: 'ASSESSMENT', decidedBy: ' ' }, ['input', 'decidedBy'], 'REQUIRED'],
      [{ toGrade: 'D', reason: 'ASSESSMENT', decidedAt: future }, ['input', 'decidedAt'], 'INVALID_DATE'],
      [{ toGrade: 'D', reason: 'ASSESSMENT', decidedAt: '2022-02-28T02:00:00Z' }, ['input', 'decidedAt'], 'INVALID_DATE'],
      [{ enterpriseId: '999999', toGrade: 'D', reason: 'ASSESSMENT' }, ['input', 'enterpriseId'], 'NOT_FOUND'],
      [{ enterpriseId: 'e-1', toGrade: 'D', reason: 'ASSESSMENT' }, ['input', 'enterpriseId'], 'INVALID'],
      [{ enterpriseId: fresh.id, toGrade: 'C', reason: 'DOWNGRADE_FOR_VIOLATION' }, ['input', 'reason'], 'NOT_ALLOWED'],
      [{ enterpriseId: fresh.id, toGrade: 'B', reason: 'UPGRADE_ON_IMPROVEMENT' }, ['input', 'reason'], 'NOT_ALLOWED'],
    ];
    for (const [change, field, errorCode] of cases) {
      const d = await app.data(RECORD, { input: { ...base, ...change } });
      expect(d.recordGradeChange.gradeChange, JSON.stringify(change)).toBeNull();
      expect(d.recordGradeChange.enterprise, JSON.stringify(change)).toBeNull();
      expect(d.recordGradeChange.userErrors.map((u: any) => [u.field, u.code]), JSON.stringify(change)).toEqual([[field, errorCode]]);
    }
    // A downgrade that raises, and FAILED_EMERGENCY_CUTS to the same grade: every broken rule is reported.
    const raise = await app.data(RECORD, { input: { ...base, toGrade: 'B', reason: 'DOWNGRADE_FOR_VIOLATION' } });
    expect(raise.recordGradeChange.userErrors.map((u: any) => `${u.field.join('.')}:${u.code}`).sort()).toEqual([
      'input.reason:NOT_ALLOWED',
      'input.toGrade:NOT_ALLOWED',
    ]);
    const same = await app.data(RECORD, { input: { ...base, toGrade: 'C', reason: 'FAILED_EMERGENCY_CUTS' } });
    expect(same.recordGradeChange.userErrors.map((u: any) => `${u.field.join('.')}:${u.code}`).sort()).toEqual([
      'input.reason:NOT_ALLOWED',
      'input.toGrade:NOT_ALLOWED',
    ]);
    expect(await rowCounts()).toEqual(counts);
    expect(await state()).toEqual(before);

    // The same decision time as the latest change is allowed; so is "now" by default.
    const sameTime = await record({ ...base, toGrade: 'D', reason: 'DOWNGRADE_FOR_VIOLATION', decidedAt: '2022-03-01T02:00:00Z' });
    expect(sameTime.gradeChange.fromGrade).toBe('C');
    const now = await record({ enterpriseId: fresh.id, toGrade: 'B', reason: 'ASSESSMENT', decidedBy: '临汾市生态环境局' });
    expect(Math.abs(Date.parse(now.gradeChange.decidedAt) - Date.now())).toBeLessThan(60_000);
  });

  it('serializes concurrent changes of one enterprise: only one of identical changes is recorded', async () => {
    const e = await create({ city: 'zibo', name: '淄博市鼎盛耐火材料有限公司', creditCode: code('370300'), industry: 'REFRACTORY', size: 'MEDIUM' });
    await record({ enterpriseId: e.id, toGrade: 'C', reason: 'ASSESSMENT', decidedBy: '淄博市生态环境局', decidedAt: '2022-03-01T02:00:00Z' });
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => app.data(RECORD, { input: { enterpriseId: e.id, toGrade: 'B', reason: 'UPGRADE_ON_IMPROVEMENT', decidedBy: '淄博市生态环境局' } })),
    );
    const ok = attempts.filter((a) => a.recordGradeChange.userErrors.length === 0);
    expect(ok).toHaveLength(1);
    expect(ok[0].recordGradeChange.gradeChange.fromGrade).toBe('C');
    for (const a of attempts.filter((x) => x.recordGradeChange.userErrors.length)) {
      expect(a.recordGradeChange.userErrors.map((u: any) => u.field.join('.'))).toContain('input.toGrade');
    }
    const rows = await app.sql(`select from_grade, to_grade from grade_change where enterprise_id = ? order by id`, [Number(e.id)]);
    expect(rows).toEqual([{ from_grade: null, to_grade: 'C' }, { from_grade: 'C', to_grade: 'B' }]);
  });
});
