import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { todayInChina } from '../../packages/api/src/common/scalars.js';
import { residentIdCheckChar } from '../../packages/api/src/modules/subsidy/subsidy.rules.js';

let app: TestApp;

const CAMPAIGN = '2023-2024-autumn-winter';
const TODAY = todayInChina();
const TOMORROW = todayInChina(new Date(Date.now() + 86_400_000));

/** A valid identity number from a region code, a birth date (YYYYMMDD) and a sequence. */
function idNumber(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

const CREATE_PROGRAM = `mutation($input: CreateSubsidyProgramInput!) {
  createSubsidyProgram(input: $input) { subsidyProgram { id code nameZh nameEn kind description origin campaign { code } } userErrors { field code message } }
}`;
const SET_BUDGET = `mutation($input: SetSubsidyBudgetInput!) {
  setSubsidyBudget(input: $input) { subsidyBudget { id amount version origin committedAmount remainingAmount program { code } city { slug } } userErrors { field code message } }
}`;
const RECORD = `mutation($input: RecordDisbursementInput!) {
  recordDisbursement(input: $input) {
    disbursement { id amount recipientKind householdName householdIdNumber lowIncome approvedOn paidOn daysToPayment note origin createdBy
      program { code } city { slug } enterprise { id name } budget { id } }
    userErrors { field code message }
  }
}`;
const MARK_PAID = `mutation($input: MarkDisbursementPaidInput!) {
  markDisbursementPaid(input: $input) { disbursement { id paidOn daysToPayment } userErrors { field code message } }
}`;

async function count(table: string): Promise<number> {
  const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from "${table}"`);
  return row.n;
}

async function createProgram(code: string, kind: string): Promise<string> {
  const d = await app.data(CREATE_PROGRAM, {
    input: { campaign: CAMPAIGN, code, nameZh: `测试${code}`, nameEn: `Test ${code}`, kind, description: `Fixture ${code}` },
  });
  expect(d.createSubsidyProgram.userErrors).toEqual([]);
  return d.createSubsidyProgram.subsidyProgram.id;
}

async function setBudget(programId: string, city: string, amount: number) {
  const d = await app.data(SET_BUDGET, { input: { programId, city, amount } });
  return d.setSubsidyBudget;
}

async function record(input: Record<string, unknown>) {
  const d = await app.data(RECORD, { input });
  return d.recordDisbursement;
}

async function recordOk(input: Record<string, unknown>) {
  const r = await record(input);
  expect(r.userErrors).toEqual([]);
  return r.disbursement;
}

async function insertEnterprise(city: string, name: string, creditCode: string): Promise<string> {
  const [row] = await app.sql<{ id: number }>(
    `insert into enterprise (city_id, name, credit_code, industry, size, origin, created_by, updated_by)
     select id, ?, ?, 'STEEL', 'LARGE', 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
    [name, creditCode, city],
  );
  return String(row.id);
}

// ---- the fixture (hand-computed measures below) ----
// Program OPS (clean-heating operating, households):
//   shijiazhuang, budget 10,000:
//     h1 1,000 low-income, approved 2023-11-01, paid 2023-11-11 (10 days)
//     h2 2,000 other,      approved 2023-11-05, paid 2023-11-25 (20 days)
//     h3 1,500 low-income, approved 2023-12-01, paid 2024-01-10 (40 days)
//     h4   500 low-income, approved 2024-01-05, not paid
//     committed 5,000; paid 4,500; remaining 5,000; low-income share 3,000 / 5,000 = 0.6;
//     days 10, 20, 40: median 20, mean 70 / 3
//   taiyuan, budget 5,000:
//     h5   800 low-income, approved 2023-12-10, paid 2023-12-15 (5 days)
//     h6 1,200 other,      approved 2023-12-12, paid 2024-01-11 (30 days)
//     h7 1,000 other,      approved 2024-02-01, paid 2024-02-09 (8 days)
//     committed 3,000; paid 3,000; remaining 2,000; share 800 / 3,000; days 5, 30, 8: median 8, mean 43 / 3
//   totals: budgets 15,000 in 2 cities; committed 8,000; paid 7,500; remaining 7,000; 7 disbursements, 6 paid;
//     share 3,800 / 8,000 = 0.475; days 5, 8, 10, 20, 30, 40: median (10 + 20) / 2 = 15, mean 113 / 6
// Program FUND (central air-pollution fund, enterprises):
//   shijiazhuang, budget 20,000,000: e1 5,000,000 to the steel works, approved 2023-12-01, not paid
//     committed 5,000,000; paid 0; remaining 15,000,000; no households: share null; nothing paid: days null
const fx = {
  ops: '',
  fund: '',
  sjzSteel: '',
  tySteel: '',
  h: {} as Record<string, any>,
  e1: {} as any,
  opsSjzBudget: '',
};

beforeAll(async () => {
  app = await startTestApp();
  fx.ops = await createProgram('test-operating', 'CLEAN_HEATING_OPERATING');
  fx.fund = await createProgram('test-central-fund', 'CENTRAL_AIR_POLLUTION_FUND');
  fx.sjzSteel = await insertEnterprise('shijiazhuang', '石家庄测试钢铁有限公司', '911301007700000012');
  fx.tySteel = await insertEnterprise('taiyuan', '太原测试钢铁有限公司', '911401007700000021');
  const b1 = await setBudget(fx.ops, 'shijiazhuang', 10_000);
  expect(b1.userErrors).toEqual([]);
  fx.opsSjzBudget = b1.subsidyBudget.id;
  expect((await setBudget(fx.ops, 'taiyuan', 5_000)).userErrors).toEqual([]);
  expect((await setBudget(fx.fund, 'shijiazhuang', 20_000_000)).userErrors).toEqual([]);

  const hh = (city: string, name: string, id: string, lowIncome: boolean, amount: number, approvedOn: string, paidOn: string | null) =>
    recordOk({ programId: fx.ops, city, recipientKind: 'HOUSEHOLD', householdName: name, householdIdNumber: id, lowIncome, amount, approvedOn, paidOn });
  fx.h.h1 = await hh('shijiazhuang', '张秀英', idNumber('130102', '19520314', '021'), true, 1000, '2023-11-01', '2023-11-11');
  fx.h.h2 = await hh('shijiazhuang', '李建国', idNumber('130104', '19670722', '013'), false, 2000, '2023-11-05', '2023-11-25');
  fx.h.h3 = await hh('shijiazhuang', '王桂兰', idNumber('130105', '19480109', '044'), true, 1500, '2023-12-01', '2024-01-10');
  fx.h.h4 = await hh('shijiazhuang', '赵淑珍', idNumber('130108', '19591130', '062'), true, 500, '2024-01-05', null);
  fx.h.h5 = await hh('taiyuan', '刘玉梅', idNumber('140105', '19550405', '028'), true, 800, '2023-12-10', '2023-12-15');
  fx.h.h6 = await hh('taiyuan', '陈志强', idNumber('140106', '19710818', '031'), false, 1200, '2023-12-12', '2024-01-11');
  fx.h.h7 = await hh('taiyuan', '杨明', idNumber('140107', '19830226', '057'), false, 1000, '2024-02-01', '2024-02-09');
  fx.e1 = await recordOk({ programId: fx.fund, city: 'shijiazhuang', recipientKind: 'ENTERPRISE', enterpriseId: fx.sjzSteel, amount: 5_000_000, approvedOn: '2023-12-01', note: '超低排放改造' });
});
afterAll(() => app?.close());

const MEASURES = 'amount committedAmount paidAmount remainingAmount disbursementCount paidCount lowIncomeShare medianDaysToPayment meanDaysToPayment';

describe('subsidy programs, budgets and their measures', () => {
  it('lists programs filtered by campaign and kind, and answers unknown campaigns with NOT_FOUND', async () => {
    const d = await app.data(`query($kinds: [SubsidyProgramKind!]) {
      all: subsidyPrograms(filter: { campaign: "${CAMPAIGN}" }) { totalCount nodes { code kind origin campaign { code } } }
      funds: subsidyPrograms(filter: { kinds: $kinds }) { nodes { code } }
    }`, { kinds: ['CENTRAL_AIR_POLLUTION_FUND', 'LOCAL_AIR_POLLUTION_FUND'] });
    expect(d.all.totalCount).toBe(2);
    expect(d.all.nodes).toEqual([
      { code: 'test-operating', kind: 'CLEAN_HEATING_OPERATING', origin: 'RECORDED', campaign: { code: CAMPAIGN } },
      { code: 'test-central-fund', kind: 'CENTRAL_AIR_POLLUTION_FUND', origin: 'RECORDED', campaign: { code: CAMPAIGN } },
    ]);
    expect(d.funds.nodes).toEqual([{ code: 'test-central-fund' }]);

    const unknown = await app.gql(`{ subsidyPrograms(filter: { campaign: "1999-2000" }) { totalCount } }`);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.campaign' });

    const page1 = await app.data(`{ subsidyPrograms(first: 1) { nodes { code } pageInfo { hasNextPage endCursor } } }`);
    expect(page1.subsidyPrograms.nodes).toEqual([{ code: 'test-operating' }]);
    const page2 = await app.data(`query($after: String) { subsidyPrograms(first: 1, after: $after) { nodes { code } pageInfo { hasNextPage } } }`, {
      after: page1.subsidyPrograms.pageInfo.endCursor,
    });
    expect(page2.subsidyPrograms).toEqual({ nodes: [{ code: 'test-central-fund' }], pageInfo: { hasNextPage: false } });
  });

  it('finds a program by id, with NOT_FOUND / BAD_USER_INPUT naming id', async () => {
    const d = await app.data(`query($id: ID!) { subsidyProgram(id: $id) { id code nameZh nameEn description } }`, { id: fx.ops });
    expect(d.subsidyProgram).toEqual({ id: fx.ops, code: 'test-operating', nameZh: '测试test-operating', nameEn: 'Test test-operating', description: 'Fixture test-operating' });
    const missing = await app.gql(`{ subsidyProgram(id: "999999") { id } }`);
    expect(missing.data?.subsidyProgram).toBeNull();
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const bad = await app.gql(`{ subsidyProgram(id: "abc") { id } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', reason: 'INVALID' });
  });

  it('computes each city budget\'s commitments, payments, low-income share and days to payment in SQL', async () => {
    const d = await app.data(`query($id: ID!) { subsidyProgram(id: $id) { budgets { city { slug } program { code } ${MEASURES} } } }`, { id: fx.ops });
    const [sjz, ty] = d.subsidyProgram.budgets;
    expect(sjz.city.slug).toBe('shijiazhuang');
    expect(sjz.program.code).toBe('test-operating');
    expect(sjz).toMatchObject({ amount: 10_000, committedAmount: 5000, paidAmount: 4500, remainingAmount: 5000, disbursementCount: 4, paidCount: 3 });
    expect(sjz.lowIncomeShare).toBeCloseTo(0.6, 10);
    expect(sjz.medianDaysToPayment).toBe(20);
    expect(sjz.meanDaysToPayment).toBeCloseTo(70 / 3, 10);

    expect(ty.city.slug).toBe('taiyuan');
    expect(ty).toMatchObject({ amount: 5000, committedAmount: 3000, paidAmount: 3000, remainingAmount: 2000, disbursementCount: 3, paidCount: 3 });
    expect(ty.lowIncomeShare).toBeCloseTo(800 / 3000, 10);
    expect(ty.medianDaysToPayment).toBe(8);
    expect(ty.meanDaysToPayment).toBeCloseTo(43 / 3, 10);
  });

  it('computes a program\'s totals over every city (median interpolated between the middle two)', async () => {
    const d = await app.data(`query($ops: ID!, $fund: ID!) {
      ops: subsidyProgram(id: $ops) { totals { budgetCount ${MEASURES} } }
      fund: subsidyProgram(id: $fund) { totals { budgetCount ${MEASURES} } budgets { ${MEASURES} } }
    }`, { ops: fx.ops, fund: fx.fund });
    const t = d.ops.totals;
    expect(t).toMatchObject({ amount: 15_000, budgetCount: 2, committedAmount: 8000, paidAmount: 7500, remainingAmount: 7000, disbursementCount: 7, paidCount: 6 });
    expect(t.lowIncomeShare).toBeCloseTo(3800 / 8000, 10);
    expect(t.medianDaysToPayment).toBe(15);
    expect(t.meanDaysToPayment).toBeCloseTo(113 / 6, 10);

    const expectedFund = {
      amount: 20_000_000,
      committedAmount: 5_000_000,
      paidAmount: 0,
      remainingAmount: 15_000_000,
      disbursementCount: 1,
      paidCount: 0,
      lowIncomeShare: null,
      medianDaysToPayment: null,
      meanDaysToPayment: null,
    };
    expect(d.fund.totals).toEqual({ budgetCount: 1, ...expectedFund });
    expect(d.fund.budgets).toEqual([expectedFund]);
  });

  it('filters a program\'s budgets by place and lists a city\'s budgets of every program', async () => {
    const d = await app.data(`query($id: ID!) {
      p: subsidyProgram(id: $id) {
        shanxi: budgets(filter: { province: "shanxi" }) { city { slug } amount }
        fenwei: budgets(filter: { region: FENWEI_PLAIN }) { city { slug } }
        none: budgets(filter: { city: "beijing" }) { id }
      }
      sjz: city(slug: "shijiazhuang") { subsidyBudgets { program { code } amount committedAmount } }
      bj: city(slug: "beijing") { subsidyBudgets { id } }
    }`, { id: fx.ops });
    expect(d.p.shanxi).toEqual([{ city: { slug: 'taiyuan' }, amount: 5000 }]);
    expect(d.p.fenwei).toEqual([{ city: { slug: 'taiyuan' } }]);
    expect(d.p.none).toEqual([]);
    expect(d.sjz.subsidyBudgets).toEqual([
      { program: { code: 'test-operating' }, amount: 10_000, committedAmount: 5000 },
      { program: { code: 'test-central-fund' }, amount: 20_000_000, committedAmount: 5_000_000 },
    ]);
    expect(d.bj.subsidyBudgets).toEqual([]);

    const unknown = await app.gql(`query($id: ID!) { subsidyProgram(id: $id) { budgets(filter: { city: "atlantis" }) { id } } }`, { id: fx.ops });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.city' });
  });

  it('batches measures and relations: the statements of a request do not grow with the page', async () => {
    const q = `query($kinds: [SubsidyProgramKind!]) { subsidyPrograms(filter: { kinds: $kinds }) { nodes {
      code campaign { code } totals { committedAmount medianDaysToPayment }
      budgets { city { slug } program { code } committedAmount paidAmount lowIncomeShare medianDaysToPayment meanDaysToPayment }
      disbursements(first: 10) { totalCount nodes { amount city { slug } program { code } budget { amount } enterprise { name } } }
    } } }`;
    const one = await app.gql(q, { kinds: ['CLEAN_HEATING_OPERATING'] });
    const both = await app.gql(q, { kinds: null });
    expect(one.errors).toBeUndefined();
    expect(both.errors).toBeUndefined();
    expect(both.data.subsidyPrograms.nodes).toHaveLength(2);
    // Programs, campaign, totals, budgets, budget measures, cities, programs by id, disbursement
    // pages, counts, budgets by id, enterprises: one statement each at most, whatever the page (+1: the API key look-up).
    expect(both.extensions?.sqlStatements).toBeLessThanOrEqual(12);
    expect(both.extensions?.sqlStatements).toBeLessThanOrEqual((one.extensions?.sqlStatements as number) + 1);
  });
});

describe('disbursements', () => {
  it('exposes every field of a disbursement, the identity number plainly', async () => {
    const d = await app.data(`query($id: ID!) { subsidyProgram(id: $id) { disbursements(first: 1) { nodes {
      id recipientKind householdName householdIdNumber lowIncome amount approvedOn paidOn daysToPayment origin
      program { code } city { slug } enterprise { id } budget { id amount }
    } } } }`, { id: fx.ops });
    expect(d.subsidyProgram.disbursements.nodes[0]).toEqual({
      id: fx.h.h1.id,
      recipientKind: 'HOUSEHOLD',
      householdName: '张秀英',
      householdIdNumber: idNumber('130102', '19520314', '021'),
      lowIncome: true,
      amount: 1000,
      approvedOn: '2023-11-01',
      paidOn: '2023-11-11',
      daysToPayment: 10,
      origin: 'RECORDED',
      program: { code: 'test-operating' },
      city: { slug: 'shijiazhuang' },
      enterprise: null,
      budget: { id: fx.opsSjzBudget, amount: 10_000 },
    });
    const e = await app.data(`query($id: ID!) { subsidyProgram(id: $id) { disbursements { nodes {
      recipientKind householdName householdIdNumber lowIncome amount paidOn daysToPayment note enterprise { id name }
    } } } }`, { id: fx.fund });
    expect(e.subsidyProgram.disbursements.nodes).toEqual([
      {
        recipientKind: 'ENTERPRISE',
        householdName: null,
        householdIdNumber: null,
        lowIncome: null,
        amount: 5_000_000,
        paidOn: null,
        daysToPayment: null,
        note: '超低排放改造',
        enterprise: { id: fx.sjzSteel, name: '石家庄测试钢铁有限公司' },
      },
    ]);
  });

  it('filters by place, program, recipient, low income, payment, dates and origin', async () => {
    const ids = async (filter: Record<string, unknown>) => {
      const d = await app.data(`query($f: DisbursementFilter) { disbursements(filter: $f, first: 100) { totalCount nodes { id } } }`, { f: filter });
      expect(d.disbursements.totalCount).toBe(d.disbursements.nodes.length);
      return d.disbursements.nodes.map((n: any) => n.id);
    };
    const { h1, h2, h3, h4, h5, h6, h7 } = fx.h;
    const e1 = fx.e1;
    expect(await ids({})).toEqual([h1, h2, h3, h4, h5, h6, h7, e1].map((x) => x.id));
    expect(await ids({ city: 'taiyuan' })).toEqual([h5.id, h6.id, h7.id]);
    expect(await ids({ province: 'hebei' })).toEqual([h1, h2, h3, h4, e1].map((x) => x.id));
    expect(await ids({ region: 'FENWEI_PLAIN' })).toEqual([h5.id, h6.id, h7.id]);
    expect(await ids({ programId: fx.fund })).toEqual([e1.id]);
    expect(await ids({ recipientKind: 'ENTERPRISE' })).toEqual([e1.id]);
    expect(await ids({ enterpriseId: fx.sjzSteel })).toEqual([e1.id]);
    expect(await ids({ lowIncome: true })).toEqual([h1, h3, h4, h5].map((x) => x.id));
    expect(await ids({ lowIncome: false })).toEqual([h2, h6, h7].map((x) => x.id));
    expect(await ids({ paid: false })).toEqual([h4.id, e1.id]);
    expect(await ids({ paid: true, city: 'shijiazhuang' })).toEqual([h1, h2, h3].map((x) => x.id));
    expect(await ids({ approvedFrom: '2023-12-01', approvedTo: '2023-12-10' })).toEqual([h3.id, h5.id, e1.id]);
    expect(await ids({ paidFrom: '2024-01-01', paidTo: '2024-01-31' })).toEqual([h3.id, h6.id]);
    expect(await ids({ origin: 'DEMO' })).toEqual([]);
    expect(await ids({ origin: 'RECORDED', lowIncome: true, city: 'taiyuan' })).toEqual([h5.id]);

    const unknownProgram = await app.gql(`{ disbursements(filter: { programId: "999999" }) { totalCount } }`);
    expect(unknownProgram.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.programId' });
    const unknownCity = await app.gql(`{ disbursements(filter: { city: "atlantis" }) { totalCount } }`);
    expect(unknownCity.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.city' });
  });

  it('sorts by amount and approval day and pages with cursors', async () => {
    const { h1, h2, h3, h4, h5, h6, h7 } = fx.h;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const d: any = await app.data(`query($after: String, $id: ID) {
        disbursements(filter: { programId: $id }, orderBy: { field: AMOUNT, direction: DESC }, first: 3, after: $after) {
          nodes { id amount } pageInfo { hasNextPage endCursor }
        }
      }`, { after, id: fx.ops });
      seen.push(...d.disbursements.nodes.map((n: any) => n.id));
      if (!d.disbursements.pageInfo.hasNextPage) break;
      after = d.disbursements.pageInfo.endCursor;
    }
    // 2000, 1500, 1200, 1000 (h1 before h7 in id order reversed: DESC ties by id DESC), 1000, 800, 500
    expect(seen).toEqual([h2, h3, h6, h7, h1, h5, h4].map((x) => x.id));

    const byDay = await app.data(`query($id: ID!) { subsidyProgram(id: $id) {
      disbursements(orderBy: { field: APPROVED_ON, direction: ASC }, filter: { city: "taiyuan" }) { nodes { approvedOn } }
    } }`, { id: fx.ops });
    expect(byDay.subsidyProgram.disbursements.nodes.map((n: any) => n.approvedOn)).toEqual(['2023-12-10', '2023-12-12', '2024-02-01']);
  });
});

describe('mutations', () => {
  it('creates a program, with errors naming the field and nothing written on error', async () => {
    const before = await count('subsidy_program');
    const ok = await app.data(CREATE_PROGRAM, {
      input: { campaign: CAMPAIGN, code: 'test-equipment', nameZh: ' 设备购置补贴 ', nameEn: 'Equipment', kind: 'CLEAN_HEATING_EQUIPMENT', description: null },
    });
    expect(ok.createSubsidyProgram).toEqual({
      subsidyProgram: {
        id: expect.any(String),
        code: 'test-equipment',
        nameZh: '设备购置补贴',
        nameEn: 'Equipment',
        kind: 'CLEAN_HEATING_EQUIPMENT',
        description: null,
        origin: 'RECORDED',
        campaign: { code: CAMPAIGN },
      },
      userErrors: [],
    });
    expect(await count('subsidy_program')).toBe(before + 1);

    const errorsOf = async (input: Record<string, unknown>) => {
      const d = await app.data(CREATE_PROGRAM, { input: { campaign: CAMPAIGN, code: 'test-x', nameZh: '测试', nameEn: 'Test', kind: 'LOCAL_AIR_POLLUTION_FUND', ...input } });
      expect(d.createSubsidyProgram.subsidyProgram).toBeNull();
      return d.createSubsidyProgram.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await errorsOf({ campaign: '1999-2000' })).toEqual([['input.campaign', 'NOT_FOUND']]);
    expect(await errorsOf({ code: 'Not A Code' })).toEqual([['input.code', 'INVALID']]);
    expect(await errorsOf({ code: '  ' })).toEqual([['input.code', 'REQUIRED']]);
    expect(await errorsOf({ code: 'test-operating' })).toEqual([['input.code', 'TAKEN']]);
    expect(await errorsOf({ nameZh: ' ', nameEn: '' })).toEqual([['input.nameZh', 'REQUIRED'], ['input.nameEn', 'REQUIRED']]);
    expect(await count('subsidy_program')).toBe(before + 1);
  });

  it('creates and changes a city budget; never below what is committed', async () => {
    const before = await count('subsidy_budget');
    const created = await setBudget(fx.ops, 'baoding', 3000.5);
    expect(created.userErrors).toEqual([]);
    expect(created.subsidyBudget).toMatchObject({ amount: 3000.5, version: 1, origin: 'RECORDED', committedAmount: 0, remainingAmount: 3000.5, program: { code: 'test-operating' }, city: { slug: 'baoding' } });
    expect(await count('subsidy_budget')).toBe(before + 1);

    const raised = await setBudget(fx.ops, 'baoding', 4000);
    expect(raised.subsidyBudget).toMatchObject({ id: created.subsidyBudget.id, amount: 4000, version: 2 });
    expect(await count('subsidy_budget')).toBe(before + 1);

    // Shijiazhuang has 5,000 committed (500 of it not yet paid: commitments count, paid or not).
    const tooLow = await setBudget(fx.ops, 'shijiazhuang', 4999.99);
    expect(tooLow.subsidyBudget).toBeNull();
    expect(tooLow.userErrors).toEqual([{ field: ['input', 'amount'], code: 'BUDGET_EXCEEDED', message: expect.stringContaining('5000.00') }]);
    const exact = await setBudget(fx.ops, 'shijiazhuang', 5000);
    expect(exact.subsidyBudget).toMatchObject({ amount: 5000, committedAmount: 5000, remainingAmount: 0, version: 2 });
    const restored = await setBudget(fx.ops, 'shijiazhuang', 10_000);
    expect(restored.subsidyBudget).toMatchObject({ amount: 10_000, remainingAmount: 5000, version: 3 });

    const errorsOf = async (input: Record<string, unknown>) => {
      const d = await app.data(SET_BUDGET, { input: { programId: fx.ops, city: 'cangzhou', amount: 1000, ...input } });
      expect(d.setSubsidyBudget.subsidyBudget).toBeNull();
      return d.setSubsidyBudget.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await errorsOf({ programId: '999999' })).toEqual([['input.programId', 'NOT_FOUND']]);
    expect(await errorsOf({ programId: 'x' })).toEqual([['input.programId', 'INVALID']]);
    expect(await errorsOf({ city: 'atlantis' })).toEqual([['input.city', 'NOT_FOUND']]);
    expect(await errorsOf({ amount: -1 })).toEqual([['input.amount', 'OUT_OF_RANGE']]);
    expect(await errorsOf({ amount: 1e12 })).toEqual([['input.amount', 'OUT_OF_RANGE']]);
    expect(await errorsOf({ amount: 10.001 })).toEqual([['input.amount', 'INVALID']]);
    expect(await count('subsidy_budget')).toBe(before + 1);
    const [row] = await app.sql<{ amount_yuan: string; version: number; updated_by: string }>(
      `select amount_yuan, version, updated_by from subsidy_budget where id = ?`,
      [Number(fx.opsSjzBudget)],
    );
    expect(row).toEqual({ amount_yuan: '10000.00', version: 3, updated_by: app.ministryActorId });
  });

  it('records disbursements up to the budget, and refuses every invalid one without writing', async () => {
    // Baoding's budget is 4,000 after the previous test.
    const household = {
      programId: fx.ops,
      city: 'baoding',
      recipientKind: 'HOUSEHOLD',
      householdName: '周凤兰',
      householdIdNumber: '13060219610203049x', // valid, with a lowercase final x
      lowIncome: true,
      amount: 1200,
      approvedOn: '2023-12-20',
      paidOn: null,
    };
    const before = await count('disbursement');
    const errorsOf = async (input: Record<string, unknown>) => {
      const r = await record({ ...household, ...input });
      expect(r.disbursement).toBeNull();
      return r.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await errorsOf({ programId: '999999' })).toEqual([['input.programId', 'NOT_FOUND']]);
    expect(await errorsOf({ city: 'atlantis' })).toEqual([['input.city', 'NOT_FOUND']]);
    expect(await errorsOf({ city: 'cangzhou' })).toEqual([['input.city', 'NOT_FOUND']]); // no budget there
    expect(await errorsOf({ amount: 0 })).toEqual([['input.amount', 'OUT_OF_RANGE']]);
    expect(await errorsOf({ amount: -50 })).toEqual([['input.amount', 'OUT_OF_RANGE']]);
    expect(await errorsOf({ amount: 100_000_000.01 })).toEqual([['input.amount', 'OUT_OF_RANGE']]);
    expect(await errorsOf({ amount: 12.345 })).toEqual([['input.amount', 'INVALID']]);
    expect(await errorsOf({ approvedOn: TOMORROW })).toEqual([['input.approvedOn', 'INVALID_DATE']]);
    expect(await errorsOf({ paidOn: '2023-12-19' })).toEqual([['input.paidOn', 'INVALID_DATE']]);
    expect(await errorsOf({ approvedOn: TODAY, paidOn: TOMORROW })).toEqual([['input.paidOn', 'INVALID_DATE']]);
    expect(await errorsOf({ householdName: '  ' })).toEqual([['input.householdName', 'REQUIRED']]);
    expect(await errorsOf({ householdIdNumber: null })).toEqual([['input.householdIdNumber', 'REQUIRED']]);
    const good = idNumber('130602', '19610203', '049');
    expect(good).toBe('13060219610203049X');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(await errorsOf({ householdIdNumber: wrongCheck })).toEqual([['input.householdIdNumber', 'INVALID']]);
    expect(await errorsOf({ householdIdNumber: '13060219610203049' })).toEqual([['input.householdIdNumber', 'INVALID']]);
    expect(await errorsOf({ lowIncome: null })).toEqual([['input.lowIncome', 'REQUIRED']]);
    expect(await errorsOf({ enterpriseId: fx.sjzSteel })).toEqual([['input.enterpriseId', 'INVALID']]);
    expect(await errorsOf({ recipientKind: 'ENTERPRISE', householdName: null, householdIdNumber: null, lowIncome: null, enterpriseId: fx.sjzSteel })).toEqual([
      ['input.recipientKind', 'NOT_ALLOWED'],
      ['input.enterpriseId', 'NOT_ALLOWED'],
    ]);
    // Several problems at once are all reported.
    expect(await errorsOf({ householdName: null, amount: 0, approvedOn: TOMORROW })).toEqual([
      ['input.householdName', 'REQUIRED'],
      ['input.amount', 'OUT_OF_RANGE'],
      ['input.approvedOn', 'INVALID_DATE'],
    ]);
    expect(await errorsOf({ amount: 4000.01 })).toEqual([['input.amount', 'BUDGET_EXCEEDED']]);
    expect(await count('disbursement')).toBe(before);

    const first = await recordOk({ ...household, note: ' 保定市财建〔2023〕12号 ' });
    expect(first).toMatchObject({
      amount: 1200,
      householdIdNumber: good, // a final lowercase x is stored as X
      lowIncome: true,
      paidOn: null,
      daysToPayment: null,
      note: '保定市财建〔2023〕12号',
      origin: 'RECORDED',
      createdBy: app.ministryActorId,
      city: { slug: 'baoding' },
      program: { code: 'test-operating' },
    });
    const paidToday = await recordOk({ ...household, amount: 2000, lowIncome: false, approvedOn: '2024-01-01', paidOn: TODAY });
    expect(paidToday.paidOn).toBe(TODAY);
    // 800 left: 800.01 does not fit, 800 does.
    const over = await record({ ...household, amount: 800.01 });
    expect(over.userErrors).toEqual([{ field: ['input', 'amount'], code: 'BUDGET_EXCEEDED', message: expect.stringContaining('800.00') }]);
    await recordOk({ ...household, amount: 800 });
    expect(await count('disbursement')).toBe(before + 3);
    const b = await app.data(`{ city(slug: "baoding") { subsidyBudgets { amount committedAmount remainingAmount paidAmount } } }`);
    expect(b.city.subsidyBudgets).toEqual([{ amount: 4000, committedAmount: 4000, remainingAmount: 0, paidAmount: 2000 }]);
  });

  it('pays enterprises of the same city only, from air-pollution funds only', async () => {
    const enterprise = { programId: fx.fund, city: 'shijiazhuang', recipientKind: 'ENTERPRISE', enterpriseId: fx.sjzSteel, amount: 1_000_000, approvedOn: '2024-01-15' };
    const before = await count('disbursement');
    const errorsOf = async (input: Record<string, unknown>) => {
      const r = await record({ ...enterprise, ...input });
      expect(r.disbursement).toBeNull();
      return r.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await errorsOf({ enterpriseId: fx.tySteel })).toEqual([['input.enterpriseId', 'NOT_ALLOWED']]);
    expect(await errorsOf({ enterpriseId: '999999' })).toEqual([['input.enterpriseId', 'NOT_FOUND']]);
    expect(await errorsOf({ enterpriseId: null })).toEqual([['input.enterpriseId', 'REQUIRED']]);
    expect(await errorsOf({ lowIncome: true, householdName: '张三' })).toEqual([
      ['input.householdName', 'INVALID'],
      ['input.lowIncome', 'INVALID'],
    ]);
    expect(await errorsOf({ city: 'taiyuan', enterpriseId: fx.tySteel })).toEqual([['input.city', 'NOT_FOUND']]); // no fund budget in Taiyuan
    expect(await errorsOf({ amount: 15_000_000.01 })).toEqual([['input.amount', 'BUDGET_EXCEEDED']]);
    expect(await count('disbursement')).toBe(before);
    const ok = await recordOk({ ...enterprise, paidOn: '2024-02-14' });
    expect(ok).toMatchObject({ amount: 1_000_000, daysToPayment: 30, enterprise: { id: fx.sjzSteel }, householdName: null, lowIncome: null });
    expect(await count('disbursement')).toBe(before + 1);
  });

  it('marks an approved disbursement paid, once, on a possible day', async () => {
    const fresh = await recordOk({ programId: fx.ops, city: 'taiyuan', recipientKind: 'HOUSEHOLD', householdName: '孙丽', householdIdNumber: idNumber('140108', '19900101', '077'), lowIncome: true, amount: 100, approvedOn: '2024-03-01' });
    const errorsOf = async (input: Record<string, unknown>) => {
      const d = await app.data(MARK_PAID, { input });
      expect(d.markDisbursementPaid.disbursement).toBeNull();
      return d.markDisbursementPaid.userErrors.map((e: any) => [e.field.join('.'), e.code]);
    };
    expect(await errorsOf({ id: '999999', paidOn: '2024-03-05' })).toEqual([['input.id', 'NOT_FOUND']]);
    expect(await errorsOf({ id: 'nope', paidOn: '2024-03-05' })).toEqual([['input.id', 'INVALID']]);
    expect(await errorsOf({ id: fresh.id, paidOn: '2024-02-29' })).toEqual([['input.paidOn', 'INVALID_DATE']]);
    expect(await errorsOf({ id: fresh.id, paidOn: TOMORROW })).toEqual([['input.paidOn', 'INVALID_DATE']]);
    const [unpaid] = await app.sql<{ paid_on: string | null }>(`select paid_on from disbursement where id = ?`, [Number(fresh.id)]);
    expect(unpaid.paid_on).toBeNull();

    const paid = await app.data(MARK_PAID, { input: { id: fresh.id, paidOn: '2024-03-15' } });
    expect(paid.markDisbursementPaid).toEqual({ disbursement: { id: fresh.id, paidOn: '2024-03-15', daysToPayment: 14 }, userErrors: [] });
    expect(await errorsOf({ id: fresh.id, paidOn: '2024-03-20' })).toEqual([['input.id', 'NOT_ALLOWED']]);
    const [row] = await app.sql<{ paid_on: string }>(`select to_char(paid_on, 'YYYY-MM-DD') as paid_on from disbursement where id = ?`, [Number(fresh.id)]);
    expect(row.paid_on).toBe('2024-03-15');
  });
});

describe('the budget under concurrency', () => {
  it('lets exactly as many of 40 concurrent disbursements through as the budget holds', async () => {
    const program = await createProgram('test-race', 'CLEAN_HEATING_OPERATING');
    const budget = await setBudget(program, 'handan', 10 * 1250);
    expect(budget.userErrors).toEqual([]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        record({
          programId: program,
          city: 'handan',
          recipientKind: 'HOUSEHOLD',
          householdName: `并发测试${i}`,
          householdIdNumber: idNumber('130402', '19700101', String(100 + i)),
          lowIncome: i % 2 === 0,
          amount: 1250,
          approvedOn: '2024-01-10',
        }),
      ),
    );
    const succeeded = results.filter((r) => r.disbursement !== null);
    const refused = results.filter((r) => r.disbursement === null);
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(30);
    for (const r of succeeded) expect(r.userErrors).toEqual([]);
    for (const r of refused) expect(r.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.amount', 'BUDGET_EXCEEDED']]);

    const [sum] = await app.sql<{ n: number; total: string }>(
      `select count(*)::int as n, sum(d.amount_yuan)::text as total from disbursement d join subsidy_program p on p.id = d.program_id where p.code = 'test-race'`,
    );
    expect(sum).toEqual({ n: 10, total: '12500.00' });
    const d = await app.data(`query($id: ID!) { subsidyProgram(id: $id) { budgets { amount committedAmount remainingAmount disbursementCount } } }`, { id: program });
    expect(d.subsidyProgram.budgets).toEqual([{ amount: 12_500, committedAmount: 12_500, remainingAmount: 0, disbursementCount: 10 }]);
  });
});
