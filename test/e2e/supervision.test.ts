/**
 * Supervision: the clue stage machine step by step and role by role, the consequences of a
 * falsification of monitoring data (against plain SQL) and their rollback when one part fails,
 * 无事不扰, enforcement actions, stage timestamps rebuilt from the audit trail, idempotency and
 * the public fraud list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLClient, type TestApp, type TestKey } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';

let app: TestApp;
let tangshanKey: TestKey; // CITY, Hebei
let hebeiKey: TestKey; // PROVINCE of Tangshan
let shanxiKey: TestKey; // PROVINCE of another province
let taiyuanKey: TestKey; // CITY of another city
let readOnlyKey: TestKey;
let roundId: string;

beforeAll(async () => {
  app = await startTestApp();
  tangshanKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
  hebeiKey = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
  shanxiKey = await app.createKey({ role: 'PROVINCE', province: 'shanxi' });
  taiyuanKey = await app.createKey({ role: 'CITY', city: 'taiyuan' });
  readOnlyKey = await app.createKey({ role: 'READ_ONLY' });
  const r = await app.data(CREATE_ROUND, { input: { number: 1, title: '第1轮 监督帮扶', pushedOn: '2023-11-01', dueOn: '2099-12-31' } });
  expect(r.createSupervisionRound.userErrors).toEqual([]);
  roundId = r.createSupervisionRound.supervisionRound.id;
});
afterAll(() => app?.close());

let serial = 0;
/** An enterprise inserted straight into the table. */
async function enterprise(city: string, extra: { grade?: string; benchmark?: boolean; positiveList?: boolean } = {}): Promise<string> {
  serial++;
  const [row] = await app.sql<{ id: number }>(
    `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, benchmark, positive_list, origin, created_by, updated_by)
     select id, ?, ?, 'CHEMICAL', 'LARGE', ?, ?, ?, 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
    [`${city} 测试化工${serial}有限公司`, `91${String(130000 + serial).padStart(16, '0')}`, extra.grade ?? null, extra.benchmark ?? false, extra.positiveList ?? false, city],
  );
  return String(row.id);
}

const UE = 'userErrors { field code message }';
const CLUE = `id stage version confirmed rectificationDue spotCheckResult spotCheckFailed reopenCount daysOverdue
  identifiedAt investigatingAt rectifyingAt supervisedAt spotCheckAt closedAt city { slug } round { id } enterprise { id }`;
const STEP = 'seq fromStage toStage enteredAt role createdBy note spotCheckResult rectificationDue';
const CREATE_ROUND = `mutation($input: CreateSupervisionRoundInput!) { createSupervisionRound(input: $input) { supervisionRound { id number province { slug } } ${UE} } }`;
const RECORD_CLUE = `mutation($input: RecordClueInput!) { recordClue(input: $input) { clue { ${CLUE} } step { ${STEP} } ${UE} } }`;
const STEP_MUTATIONS = {
  startClueInvestigation: 'ClueStepInput',
  confirmClue: 'ConfirmClueInput',
  closeClueUnfounded: 'CloseClueUnfoundedInput',
  reportClueRectified: 'ClueStepInput',
  selectClueForSpotCheck: 'ClueStepInput',
  recordClueSpotCheckResult: 'RecordClueSpotCheckResultInput',
  closeClue: 'ClueStepInput',
} as const;
type StepName = keyof typeof STEP_MUTATIONS;
const mutation = (name: StepName) => `mutation($input: ${STEP_MUTATIONS[name]}!) { ${name}(input: $input) { clue { ${CLUE} } step { ${STEP} } ${UE} } }`;
const FALSIFY = `mutation($input: RecordFalsificationInput!) { recordFalsification(input: $input) {
  falsificationFinding { id benchmarkWithdrawn positiveListWithdrawn fraudListEntries { kind name creditCode affiliation } gradeChange { fromGrade toGrade reason } }
  enterprise { id currentGrade benchmark positiveList subsidyBlocked } ${UE} } }`;
const ACTION = `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { enforcementAction { id kind fineYuan publicised } ${UE} } }`;
const INSPECT = `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id positiveList reasonWithoutClue } ${UE} } }`;

/** The extra input each step needs (due days in the future). */
function stepInput(name: StepName, id: string, result?: string): Record<string, unknown> {
  if (name === 'confirmClue') return { id, rectificationDue: '2099-06-30', note: '排查属实' };
  if (name === 'closeClueUnfounded') return { id, note: '排查未发现问题' };
  if (name === 'recordClueSpotCheckResult') return { id, result: result ?? 'PASSED', ...(result === 'RECTIFICATION_FAILED' ? { rectificationDue: '2099-09-30' } : {}) };
  return { id };
}

async function newClue(city = 'tangshan', extra: Record<string, unknown> = {}): Promise<{ id: string; enterpriseId: string }> {
  const enterpriseId = (extra.enterpriseId as string | undefined) ?? (await enterprise(city));
  const d = await app.data(RECORD_CLUE, {
    input: { city, roundId, enterpriseId, source: 'ONLINE_MONITORING_ANOMALY', topic: 'SELF_MONITORING_DATA', evidence: '在线监测数据长时间恒值', ...extra },
  });
  expect(d.recordClue.userErrors).toEqual([]);
  return { id: d.recordClue.clue.id, enterpriseId };
}

/** The path (MINISTRY steps) from IDENTIFIED to each stage. */
const PATH: Record<string, [StepName, string?][]> = {
  IDENTIFIED: [],
  INVESTIGATING: [['startClueInvestigation']],
  RECTIFYING: [['startClueInvestigation'], ['confirmClue']],
  SUPERVISED: [['startClueInvestigation'], ['confirmClue'], ['reportClueRectified']],
  SPOT_CHECK: [['startClueInvestigation'], ['confirmClue'], ['reportClueRectified'], ['selectClueForSpotCheck']],
  CLOSED: [['startClueInvestigation'], ['confirmClue'], ['reportClueRectified'], ['closeClue']],
  CLOSED_UNFOUNDED: [['startClueInvestigation'], ['closeClueUnfounded']],
};
const STAGES = Object.keys(PATH);

async function clueAt(stage: string, city = 'tangshan'): Promise<{ id: string; enterpriseId: string }> {
  const clue = await newClue(city);
  for (const [name, result] of PATH[stage]) {
    const d = await app.data(mutation(name), { input: stepInput(name, clue.id, result) });
    expect(d[name].userErrors, `${name} to reach ${stage}`).toEqual([]);
  }
  return clue;
}

/**
 * The stage machine as the issue states it, written out here (not read from the code): each step,
 * the one stage it starts from, where it leads and who may take it.
 */
const MACHINE: Record<StepName, { from: string; to: Record<string, string>; roles: string[] }> = {
  startClueInvestigation: { from: 'IDENTIFIED', to: { _: 'INVESTIGATING' }, roles: ['CITY', 'MINISTRY'] },
  confirmClue: { from: 'INVESTIGATING', to: { _: 'RECTIFYING' }, roles: ['CITY', 'MINISTRY'] },
  closeClueUnfounded: { from: 'INVESTIGATING', to: { _: 'CLOSED_UNFOUNDED' }, roles: ['CITY', 'MINISTRY'] },
  reportClueRectified: { from: 'RECTIFYING', to: { _: 'SUPERVISED' }, roles: ['CITY', 'MINISTRY'] },
  selectClueForSpotCheck: { from: 'SUPERVISED', to: { _: 'SPOT_CHECK' }, roles: ['PROVINCE', 'MINISTRY'] },
  recordClueSpotCheckResult: { from: 'SPOT_CHECK', to: { PASSED: 'CLOSED', NOT_REAL: 'INVESTIGATING', RECTIFICATION_FAILED: 'RECTIFYING' }, roles: ['PROVINCE', 'MINISTRY'] },
  closeClue: { from: 'SUPERVISED', to: { _: 'CLOSED' }, roles: ['PROVINCE', 'MINISTRY'] },
};
const ROLES = ['CITY', 'PROVINCE', 'MINISTRY', 'READ_ONLY', 'anonymous'] as const;
const clientOf = (role: (typeof ROLES)[number]): GraphQLClient =>
  role === 'CITY' ? app.as(tangshanKey.secret) : role === 'PROVINCE' ? app.as(hebeiKey.secret) : role === 'MINISTRY' ? app : role === 'READ_ONLY' ? app.as(readOnlyKey.secret) : app.anonymous;

describe('the clue stage machine', () => {
  it('takes every allowed step, for every role allowed, one stage to the next', async () => {
    for (const [name, rule] of Object.entries(MACHINE) as [StepName, (typeof MACHINE)[StepName]][]) {
      for (const role of rule.roles) {
        for (const [result, to] of Object.entries(rule.to)) {
          const clue = await clueAt(rule.from);
          const r = await clientOf(role as never).gql(mutation(name), { input: stepInput(name, clue.id, result === '_' ? undefined : result) });
          const label = `${role} ${name}${result === '_' ? '' : ` ${result}`}`;
          expect(r.errors, label).toBeUndefined();
          const payload = r.data[name];
          expect(payload.userErrors, label).toEqual([]);
          expect(payload.clue.stage, label).toBe(to);
          expect(payload.step, label).toMatchObject({ fromStage: rule.from, toStage: to, role, createdBy: role === 'MINISTRY' ? app.ministryActorId : role === 'CITY' ? tangshanKey.actorId : hebeiKey.actorId });
          expect(payload.step.enteredAt, label).toBeTruthy();
        }
      }
    }
  });

  it('refuses every other step: FORBIDDEN for a role that may not take it, INVALID_TRANSITION from any other stage, and changes nothing', async () => {
    const clues: Record<string, string> = {};
    for (const stage of STAGES) clues[stage] = (await clueAt(stage)).id;
    const before = await app.sql(`select id, stage, version from clue where id in (${Object.values(clues).map(Number).join(', ')}) order by id`);
    const steps = (await app.sql(`select count(*)::int as n from clue_step`))[0].n;
    let checked = 0;
    for (const [name, rule] of Object.entries(MACHINE) as [StepName, (typeof MACHINE)[StepName]][]) {
      for (const stage of STAGES) {
        for (const role of ROLES) {
          const allowedRole = rule.roles.includes(role);
          if (allowedRole && stage === rule.from) continue; // the allowed steps (test above)
          const r = await clientOf(role).gql(mutation(name), { input: stepInput(name, clues[stage]) });
          const label = `${role} ${name} from ${stage}`;
          if (role === 'anonymous') expect(r.errors?.[0].extensions?.code, label).toBe('UNAUTHENTICATED');
          else if (!allowedRole) expect(r.errors?.[0].extensions?.code, label).toBe('FORBIDDEN');
          else {
            expect(r.errors, label).toBeUndefined();
            const expectedCode = name === 'closeClue' && stage === 'SPOT_CHECK' ? 'SPOT_CHECK_RESULT_REQUIRED' : 'INVALID_TRANSITION';
            expect(r.data[name], label).toMatchObject({ clue: null, step: null, userErrors: [{ field: ['input', 'id'], code: expectedCode }] });
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(7 * 7 * 5 - 7 * 2);
    expect(await app.sql(`select id, stage, version from clue where id in (${Object.values(clues).map(Number).join(', ')}) order by id`)).toEqual(before);
    expect((await app.sql(`select count(*)::int as n from clue_step`))[0].n).toBe(steps);
  });

  it('keeps cities and provinces to their own clues (NOT_FOUND outside them)', async () => {
    const clue = await clueAt('IDENTIFIED');
    const other = await app.as(taiyuanKey.secret).data(mutation('startClueInvestigation'), { input: { id: clue.id } });
    expect(other.startClueInvestigation.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
    const supervised = await clueAt('SUPERVISED');
    const shanxi = await app.as(shanxiKey.secret).data(mutation('selectClueForSpotCheck'), { input: { id: supervised.id } });
    expect(shanxi.selectClueForSpotCheck.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    const own = await app.as(tangshanKey.secret).gql(`query($id: ID!) { clue(id: $id) { id } }`, { id: clue.id });
    expect(own.data.clue.id).toBe(clue.id);
    const seen = await app.as(taiyuanKey.secret).gql(`query($id: ID!) { clue(id: $id) { id } }`, { id: clue.id });
    expect(seen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('lets the ministry and a province push rounds (a province only its own), and only the pusher add clues to a round', async () => {
    const city = await app.as(tangshanKey.secret).gql(CREATE_ROUND, { input: { number: 7, title: 'x', pushedOn: '2023-11-01', dueOn: '2023-11-30' } });
    expect(city.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const wrong = await app.as(hebeiKey.secret).gql(CREATE_ROUND, { input: { province: 'shanxi', number: 7, title: 'x', pushedOn: '2023-11-01', dueOn: '2023-11-30' } });
    expect(wrong.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const own = await app.as(hebeiKey.secret).data(CREATE_ROUND, { input: { province: 'hebei', number: 1, title: '河北省第1轮', pushedOn: '2023-11-01', dueOn: '2023-11-30' } });
    expect(own.createSupervisionRound).toMatchObject({ userErrors: [], supervisionRound: { number: 1, province: { slug: 'hebei' } } });
    const again = await app.as(hebeiKey.secret).data(CREATE_ROUND, { input: { province: 'hebei', number: 1, title: '重复', pushedOn: '2023-11-01', dueOn: '2023-11-30' } });
    expect(again.createSupervisionRound.userErrors).toEqual([expect.objectContaining({ field: ['input', 'number'], code: 'TAKEN' })]);
    const hebeiRound = own.createSupervisionRound.supervisionRound.id;
    const e = await enterprise('tangshan');
    const base = { city: 'tangshan', enterpriseId: e, source: 'SATELLITE_HOTSPOT', topic: 'KEY_ENTERPRISE_GOVERNANCE', evidence: '高值区' };
    // The ministry's round: not the province's to fill; the province's round: not the city's.
    expect((await app.as(hebeiKey.secret).gql(RECORD_CLUE, { input: { ...base, roundId } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.as(tangshanKey.secret).gql(RECORD_CLUE, { input: { ...base, roundId: hebeiRound } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const pushed = await app.as(hebeiKey.secret).data(RECORD_CLUE, { input: { ...base, roundId: hebeiRound } });
    expect(pushed.recordClue).toMatchObject({ userErrors: [], clue: { stage: 'IDENTIFIED', round: { id: hebeiRound } }, step: { seq: 1, fromStage: null, toStage: 'IDENTIFIED', role: 'PROVINCE' } });
    // A province's round reaches only its own cities.
    const taiyuan = await enterprise('taiyuan');
    const outside = await app.data(RECORD_CLUE, { input: { ...base, city: 'taiyuan', enterpriseId: taiyuan, roundId: hebeiRound } });
    expect(outside.recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'city'], code: 'NOT_ALLOWED' })]);
    // A city records a clue of its own (no round).
    const ownClue = await app.as(tangshanKey.secret).data(RECORD_CLUE, { input: { city: 'tangshan', location: '丰南区某村', source: 'COMPLAINT', topic: 'LOOSE_COAL', evidence: '群众举报散煤' } });
    expect(ownClue.recordClue).toMatchObject({ userErrors: [], clue: { round: null, enterprise: null } });
    const neither = await app.as(tangshanKey.secret).data(RECORD_CLUE, { input: { city: 'tangshan', source: 'COMPLAINT', topic: 'DUST', evidence: 'x' } });
    expect(neither.recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'location'], code: 'REQUIRED' })]);
  });

  it('checks the inputs of steps: a due day in the past, a spot-check result with or without its due day, a stale version', async () => {
    const investigating = await clueAt('INVESTIGATING');
    const past = await app.data(mutation('confirmClue'), { input: { id: investigating.id, rectificationDue: '2020-01-01' } });
    expect(past.confirmClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'rectificationDue'], code: 'INVALID_DATE' })]);
    const stale = await app.data(mutation('confirmClue'), { input: { id: investigating.id, rectificationDue: '2099-01-01', version: 1 } });
    expect(stale.confirmClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })]);
    const spot = await clueAt('SPOT_CHECK');
    const noDue = await app.data(mutation('recordClueSpotCheckResult'), { input: { id: spot.id, result: 'RECTIFICATION_FAILED' } });
    expect(noDue.recordClueSpotCheckResult.userErrors).toEqual([expect.objectContaining({ field: ['input', 'rectificationDue'], code: 'REQUIRED' })]);
    const dueOnPass = await app.data(mutation('recordClueSpotCheckResult'), { input: { id: spot.id, result: 'PASSED', rectificationDue: '2099-01-01' } });
    expect(dueOnPass.recordClueSpotCheckResult.userErrors).toEqual([expect.objectContaining({ field: ['input', 'rectificationDue'], code: 'INVALID' })]);
  });

  it('reopens a clue on a failed spot check and records every step, dated and attributed', async () => {
    const clue = await clueAt('SPOT_CHECK');
    const failed = await app.as(hebeiKey.secret).data(mutation('recordClueSpotCheckResult'), { input: { id: clue.id, result: 'RECTIFICATION_FAILED', rectificationDue: '2099-09-30', note: '整改不力' } });
    expect(failed.recordClueSpotCheckResult.clue).toMatchObject({ stage: 'RECTIFYING', rectificationDue: '2099-09-30', spotCheckResult: 'RECTIFICATION_FAILED', spotCheckFailed: true, reopenCount: 1 });
    for (const [name, client] of [['reportClueRectified', app.as(tangshanKey.secret)], ['selectClueForSpotCheck', app.as(hebeiKey.secret)]] as const) {
      expect((await client.data(mutation(name), { input: { id: clue.id } }))[name].userErrors).toEqual([]);
    }
    const notReal = await app.data(mutation('recordClueSpotCheckResult'), { input: { id: clue.id, result: 'NOT_REAL' } });
    expect(notReal.recordClueSpotCheckResult.clue).toMatchObject({ stage: 'INVESTIGATING', reopenCount: 2 });
    const d = await app.data(`query($id: ID!) { clue(id: $id) { steps { ${STEP} } } }`, { id: clue.id });
    expect(d.clue.steps.map((s: any) => `${s.seq}:${s.fromStage}>${s.toStage}:${s.role}`)).toEqual([
      '1:null>IDENTIFIED:MINISTRY',
      '2:IDENTIFIED>INVESTIGATING:MINISTRY',
      '3:INVESTIGATING>RECTIFYING:MINISTRY',
      '4:RECTIFYING>SUPERVISED:MINISTRY',
      '5:SUPERVISED>SPOT_CHECK:MINISTRY',
      '6:SPOT_CHECK>RECTIFYING:PROVINCE',
      '7:RECTIFYING>SUPERVISED:CITY',
      '8:SUPERVISED>SPOT_CHECK:PROVINCE',
      '9:SPOT_CHECK>INVESTIGATING:MINISTRY',
    ]);
    expect(d.clue.steps[5]).toMatchObject({ createdBy: hebeiKey.actorId, spotCheckResult: 'RECTIFICATION_FAILED', rectificationDue: '2099-09-30', note: '整改不力' });
    const times = d.clue.steps.map((s: any) => Date.parse(s.enteredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('rebuilds the stored stage timestamps from the audit trail', async () => {
    const clue = await clueAt('SPOT_CHECK');
    await app.data(mutation('recordClueSpotCheckResult'), { input: { id: clue.id, result: 'RECTIFICATION_FAILED', rectificationDue: '2099-09-30' } });
    await app.data(mutation('reportClueRectified'), { input: { id: clue.id } });
    await app.data(mutation('closeClue'), { input: { id: clue.id } });
    const events = await app.data(`query($id: ID!) { auditEvents(first: 100, filter: { entity: "Clue", entityId: $id }) { nodes { occurredAt action operation before after } } }`, { id: clue.id });
    // Oldest first; each event that changed the stage dates the stage it entered (the latest entry counts).
    const rebuilt: Record<string, string | null> = { identifiedAt: null, investigatingAt: null, rectifyingAt: null, supervisedAt: null, spotCheckAt: null, closedAt: null };
    const column: Record<string, string> = { IDENTIFIED: 'identifiedAt', INVESTIGATING: 'investigatingAt', RECTIFYING: 'rectifyingAt', SUPERVISED: 'supervisedAt', SPOT_CHECK: 'spotCheckAt', CLOSED: 'closedAt', CLOSED_UNFOUNDED: 'closedAt' };
    const nodes = [...events.auditEvents.nodes].reverse();
    expect(nodes.map((n: any) => n.operation)).toEqual(['recordClue', 'startClueInvestigation', 'confirmClue', 'reportClueRectified', 'selectClueForSpotCheck', 'recordClueSpotCheckResult', 'reportClueRectified', 'closeClue']);
    for (const n of nodes) {
      if (n.action === 'CREATE' || n.before.stage !== n.after.stage) rebuilt[column[n.after.stage]] = new Date(n.occurredAt).toISOString();
    }
    const stored = await app.data(`query($id: ID!) { clue(id: $id) { identifiedAt investigatingAt rectifyingAt supervisedAt spotCheckAt closedAt } }`, { id: clue.id });
    expect(stored.clue).toEqual(rebuilt);
    // The steps' times are the audit trail's times of the same transactions.
    const steps = await app.data(`query($id: ID!) { clue(id: $id) { steps { enteredAt } } }`, { id: clue.id });
    expect(steps.clue.steps.map((s: any) => s.enteredAt)).toEqual(nodes.map((n: any) => new Date(n.occurredAt).toISOString()));
  });

  it('applies a step once per Idempotency-Key: the repeat answers the stored result and writes nothing', async () => {
    const clue = await clueAt('IDENTIFIED');
    const headers = { 'idempotency-key': `start-${clue.id}` };
    const first = await app.data(mutation('startClueInvestigation'), { input: { id: clue.id } }, headers);
    const again = await app.data(mutation('startClueInvestigation'), { input: { id: clue.id } }, headers);
    expect(again.startClueInvestigation.clue.stage).toBe('INVESTIGATING');
    expect(again.startClueInvestigation.step.seq).toBe(first.startClueInvestigation.step.seq);
    expect((await app.sql(`select count(*)::int as n from clue_step where clue_id = ?`, [Number(clue.id)]))[0].n).toBe(2);
    // Without the key, the same step is refused: the clue is no longer IDENTIFIED.
    const plain = await app.data(mutation('startClueInvestigation'), { input: { id: clue.id } });
    expect(plain.startClueInvestigation.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION' })]);
  });
});

// ------------------------------------------------------------------------------------- falsification

/** What plain SQL says of an enterprise, its city and the consequences. */
async function consequences(enterpriseId: string) {
  const id = Number(enterpriseId);
  const [e] = await app.sql(`select current_grade, benchmark, positive_list, city_id from enterprise where id = ?`, [id]);
  return {
    enterprise: { grade: e.current_grade, benchmark: e.benchmark, positiveList: e.positive_list },
    gradeChanges: await app.sql(`select from_grade, to_grade, reason from grade_change where enterprise_id = ? order by id`, [id]),
    findings: (await app.sql(`select count(*)::int as n from falsification_finding where enterprise_id = ?`, [id]))[0].n,
    blocks: (await app.sql(`select count(*)::int as n from subsidy_block where enterprise_id = ?`, [id]))[0].n,
    fraudList: await app.sql(
      `select kind, name, affiliation from fraud_list_entry where finding_id in (select id from falsification_finding where enterprise_id = ?) order by id`,
      [id],
    ),
    verdict: await app.sql(
      `select v.verdict, v.reason from city_assessment_verdict v join campaign cp on cp.id = v.campaign_id where v.city_id = ? and cp.code = '2023-2024-autumn-winter'`,
      [e.city_id],
    ),
  };
}

describe('a confirmed falsification of monitoring data', () => {
  let programId: string;
  beforeAll(async () => {
    const p = await app.data(`mutation($input: CreateSubsidyProgramInput!) { createSubsidyProgram(input: $input) { subsidyProgram { id } ${UE} } }`, {
      input: { campaign: '2023-2024-autumn-winter', code: 'supervision-test-fund', nameZh: '测试资金', nameEn: 'Test fund', kind: 'CENTRAL_AIR_POLLUTION_FUND' },
    });
    programId = p.createSubsidyProgram.subsidyProgram.id;
    for (const city of ['handan', 'xingtai', 'baoding']) {
      await app.data(`mutation($input: SetSubsidyBudgetInput!) { setSubsidyBudget(input: $input) { ${UE} } }`, { input: { programId, city, amount: 10000000 } });
    }
  });
  const disburse = (city: string, enterpriseId: string) =>
    app.data(`mutation($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { disbursement { id } ${UE} } }`, {
      input: { programId, city, recipientKind: 'ENTERPRISE', enterpriseId, amount: 50000, approvedOn: '2023-12-01' },
    });

  it('records D with FALSIFIED_MONITORING, withdraws benefits, blocks subsidies, lists the enterprise, institutions and persons, and marks the city unqualified', async () => {
    const e = await enterprise('handan', { grade: 'B', benchmark: true, positiveList: true });
    expect((await disburse('handan', e)).recordDisbursement.userErrors).toEqual([]);
    const before = await consequences(e);
    expect(before).toMatchObject({ enterprise: { grade: 'B', benchmark: true, positiveList: true }, findings: 0, blocks: 0, fraudList: [], verdict: [] });
    const clue = await newClue('handan', { enterpriseId: e });
    for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, clue.id) });
    const input = {
      clueId: clue.id,
      decidedBy: '邯郸市生态环境局',
      note: '篡改在线监测数据',
      institutions: [{ name: '邯郸某环境检测有限公司', creditCode: 'NOT-A-CODE' }],
      persons: [{ name: '张某', affiliation: '邯郸某环境检测有限公司' }, { name: '李某' }],
    };
    // An invalid credit code is a user error that writes nothing.
    const bad = await app.data(FALSIFY, { input });
    expect(bad.recordFalsification.userErrors).toEqual([expect.objectContaining({ field: ['input', 'institutions', '0', 'creditCode'], code: 'INVALID' })]);
    expect(await consequences(e)).toEqual(before);
    const ok = await app.data(FALSIFY, { input: { ...input, institutions: [{ name: '邯郸某环境检测有限公司' }] } });
    expect(ok.recordFalsification.userErrors).toEqual([]);
    expect(ok.recordFalsification.enterprise).toEqual({ id: e, currentGrade: 'D', benchmark: false, positiveList: false, subsidyBlocked: true });
    expect(ok.recordFalsification.falsificationFinding).toMatchObject({ benchmarkWithdrawn: true, positiveListWithdrawn: true, gradeChange: { fromGrade: 'B', toGrade: 'D', reason: 'FALSIFIED_MONITORING' } });

    const after = await consequences(e);
    expect(after).toEqual({
      enterprise: { grade: 'D', benchmark: false, positiveList: false },
      gradeChanges: [{ from_grade: 'B', to_grade: 'D', reason: 'FALSIFIED_MONITORING' }],
      findings: 1,
      blocks: 1,
      fraudList: [
        { kind: 'ENTERPRISE', name: expect.stringContaining('handan'), affiliation: null },
        { kind: 'INSTITUTION', name: '邯郸某环境检测有限公司', affiliation: null },
        { kind: 'PERSON', name: '张某', affiliation: '邯郸某环境检测有限公司' },
        { kind: 'PERSON', name: '李某', affiliation: expect.stringContaining('handan') },
      ],
      verdict: [{ verdict: 'UNQUALIFIED', reason: 'FALSIFIED_MONITORING' }],
    });
    // New disbursements to it are refused, naming the rule; nothing is written.
    const disbursements = (await app.sql(`select count(*)::int as n from disbursement where enterprise_id = ?`, [Number(e)]))[0].n;
    const refused = await disburse('handan', e);
    expect(refused.recordDisbursement.userErrors).toEqual([expect.objectContaining({ field: ['input', 'enterpriseId'], code: 'SUBSIDY_BLOCKED' })]);
    expect((await app.sql(`select count(*)::int as n from disbursement where enterprise_id = ?`, [Number(e)]))[0].n).toBe(disbursements);
    // Once per clue; no tolerant correction of a falsification.
    expect((await app.data(FALSIFY, { input: { clueId: clue.id, decidedBy: 'x' } })).recordFalsification.userErrors).toEqual([expect.objectContaining({ code: 'TAKEN' })]);
    const tolerant = await app.data(ACTION, { input: { clueId: clue.id, kind: 'TOLERANT_CORRECTION', decidedOn: '2023-12-02', decidedBy: '邯郸市生态环境局' } });
    expect(tolerant.recordEnforcementAction.userErrors).toEqual([expect.objectContaining({ field: ['input', 'kind'], code: 'NOT_ALLOWED' })]);
    // The city's figures say so.
    const stats = await app.data(`{ city(slug: "handan") { clueStats { falsifications assessmentUnqualified } } }`);
    expect(stats.city.clueStats).toEqual({ falsifications: 1, assessmentUnqualified: true });
  });

  it('records the sanction for an enterprise already at D (a grade change D -> D), once more on the fraud list, one verdict per city and campaign', async () => {
    const e = await enterprise('handan', { grade: 'D' });
    const clue = await clueAt('RECTIFYING', 'handan');
    await app.sql(`update clue set enterprise_id = ? where id = ?`, [Number(e), Number(clue.id)]);
    const r = await app.data(FALSIFY, { input: { clueId: clue.id, decidedBy: '河北省生态环境厅' } });
    expect(r.recordFalsification.userErrors).toEqual([]);
    const after = await consequences(e);
    expect(after.gradeChanges).toEqual([{ from_grade: 'D', to_grade: 'D', reason: 'FALSIFIED_MONITORING' }]);
    expect(after).toMatchObject({ enterprise: { grade: 'D' }, findings: 1, blocks: 1, fraudList: [{ kind: 'ENTERPRISE' }], verdict: [{ verdict: 'UNQUALIFIED' }] });
    expect((await app.sql(`select count(*)::int as n from city_assessment_verdict where city_id = (select id from city where slug = 'handan')`))[0].n).toBe(1);
  });

  it('refuses a finding on a clue not confirmed, or without an enterprise', async () => {
    const investigating = await clueAt('INVESTIGATING', 'xingtai');
    expect((await app.data(FALSIFY, { input: { clueId: investigating.id, decidedBy: 'x' } })).recordFalsification.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'clueId'], code: 'INVALID_TRANSITION' }),
    ]);
    expect((await consequences(investigating.enterpriseId)).findings).toBe(0);
  });

  it('rolls every consequence back when one part fails (the city verdict refused by the database)', async () => {
    const e = await enterprise('baoding', { grade: 'A', benchmark: true, positiveList: true });
    const clue = await newClue('baoding', { enterpriseId: e });
    for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, clue.id) });
    const before = await consequences(e);
    const audit = (await app.sql(`select count(*)::int as n from audit_event`))[0].n;
    // The last part of the consequences fails: the database refuses the assessment verdict.
    await app.sql(`create function refuse_verdict() returns trigger language plpgsql as $$ begin raise exception 'verdicts refused for the test'; end $$`);
    await app.sql(`create trigger refuse_verdict before insert on city_assessment_verdict for each row execute function refuse_verdict()`);
    try {
      const r = await app.gql(FALSIFY, { input: { clueId: clue.id, decidedBy: '保定市生态环境局', institutions: [{ name: '某检测公司' }], persons: [{ name: '王某' }] } });
      expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.sql(`drop trigger refuse_verdict on city_assessment_verdict`);
      await app.sql(`drop function refuse_verdict()`);
    }
    // Nothing of it stayed: grade, benefits, block, fraud list, finding, verdict, audit trail.
    expect(await consequences(e)).toEqual(before);
    expect(before).toMatchObject({ enterprise: { grade: 'A', benchmark: true, positiveList: true }, gradeChanges: [], findings: 0, blocks: 0, fraudList: [], verdict: [] });
    expect((await app.sql(`select count(*)::int as n from audit_event`))[0].n).toBe(audit);
    // With the database accepting it again, the same request succeeds whole.
    const ok = await app.data(FALSIFY, { input: { clueId: clue.id, decidedBy: '保定市生态环境局', institutions: [{ name: '某检测公司' }], persons: [{ name: '王某' }] } });
    expect(ok.recordFalsification.userErrors).toEqual([]);
    expect(await consequences(e)).toMatchObject({ enterprise: { grade: 'D', benchmark: false, positiveList: false }, findings: 1, blocks: 1, verdict: [{ verdict: 'UNQUALIFIED' }] });
  });

  it('publishes the fraud list to everyone, as a query and as an export', async () => {
    const r = await app.anonymous.data(`{ fraudList(first: 100, filter: { city: "handan" }) { totalCount nodes { kind name city { slug } } } }`);
    const [{ n }] = await app.sql(`select count(*)::int as n from fraud_list_entry where city_id = (select id from city where slug = 'handan')`);
    expect(r.fraudList.totalCount).toBe(n);
    expect(r.fraudList.nodes.map((x: any) => x.kind)).toEqual(expect.arrayContaining(['ENTERPRISE', 'INSTITUTION', 'PERSON']));
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/fraud-list.csv?filter=${encodeURIComponent(JSON.stringify({ city: 'handan' }))}`);
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((row) => row[header.indexOf('city')]))).toEqual(new Set(['handan']));
    // Clues themselves are not public.
    expect((await app.anonymous.gql(`{ clues { totalCount } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

// ------------------------------------------------------------------------------------- actions and inspections

describe('enforcement actions', () => {
  it('records each kind on a confirmed clue, a FINE with its amount, and publicises once', async () => {
    const clue = await clueAt('RECTIFYING', 'cangzhou');
    const base = { clueId: clue.id, decidedOn: '2023-12-01', decidedBy: '沧州市生态环境局' };
    for (const kind of ['TOLERANT_CORRECTION', 'CORRECTION_ORDER', 'PRODUCTION_RESTRICTION', 'POLICE_TRANSFER']) {
      expect((await app.data(ACTION, { input: { ...base, kind } })).recordEnforcementAction).toMatchObject({ userErrors: [], enforcementAction: { kind, fineYuan: null, publicised: false } });
    }
    const fine = await app.data(ACTION, { input: { ...base, kind: 'FINE', fineYuan: 200000.5, publicised: true } });
    expect(fine.recordEnforcementAction).toMatchObject({ userErrors: [], enforcementAction: { kind: 'FINE', fineYuan: 200000.5, publicised: true } });
    expect((await app.data(ACTION, { input: { ...base, kind: 'FINE' } })).recordEnforcementAction.userErrors).toEqual([expect.objectContaining({ field: ['input', 'fineYuan'], code: 'REQUIRED' })]);
    expect((await app.data(ACTION, { input: { ...base, kind: 'CORRECTION_ORDER', fineYuan: 5 } })).recordEnforcementAction.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'fineYuan'], code: 'INVALID' }),
    ]);
    const identified = await clueAt('IDENTIFIED', 'cangzhou');
    expect((await app.data(ACTION, { input: { ...base, clueId: identified.id, kind: 'CORRECTION_ORDER' } })).recordEnforcementAction.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'clueId'], code: 'INVALID_TRANSITION' }),
    ]);
    const order = (await app.data(`query($id: ID!) { clue(id: $id) { actions { id kind } } }`, { id: clue.id })).clue.actions.find((a: any) => a.kind === 'CORRECTION_ORDER');
    const P = `mutation($input: PubliciseEnforcementActionInput!) { publiciseEnforcementAction(input: $input) { enforcementAction { publicised version } ${UE} } }`;
    const once = await app.data(P, { input: { id: order.id } });
    const twice = await app.data(P, { input: { id: order.id } });
    expect(once.publiciseEnforcementAction.enforcementAction).toEqual({ publicised: true, version: 2 });
    expect(twice.publiciseEnforcementAction.enforcementAction).toEqual({ publicised: true, version: 2 });
    const stats = await app.data(`{ city(slug: "cangzhou") { clueStats { actionsByKind { kind count } finesYuan } } }`);
    expect(stats.city.clueStats.actionsByKind).toEqual([
      { kind: 'TOLERANT_CORRECTION', count: 1 },
      { kind: 'CORRECTION_ORDER', count: 1 },
      { kind: 'FINE', count: 1 },
      { kind: 'PRODUCTION_RESTRICTION', count: 1 },
      { kind: 'POLICE_TRANSFER', count: 1 },
    ]);
    expect(stats.city.clueStats.finesYuan).toBe(200000.5);
  });
});

describe('无事不扰: inspections of positive-list enterprises', () => {
  it('refuses an inspection without a clue unless a reason is given, and counts those with a reason', async () => {
    const positive = await enterprise('langfang', { positiveList: true });
    const other = await enterprise('langfang');
    const count = async () => (await app.data(`{ city(slug: "langfang") { clueStats { positiveListInspectionsWithoutClue } } }`)).city.clueStats.positiveListInspectionsWithoutClue;
    const refused = await app.data(INSPECT, { input: { enterpriseId: positive, inspectedOn: '2023-12-01' } });
    expect(refused.recordInspection).toEqual({ inspection: null, userErrors: [expect.objectContaining({ field: ['input', 'reasonWithoutClue'], code: 'REASON_REQUIRED_WITHOUT_CLUE' })] });
    expect((await app.sql(`select count(*)::int as n from inspection where enterprise_id = ?`, [Number(positive)]))[0].n).toBe(0);
    expect(await count()).toBe(0);
    const withReason = await app.data(INSPECT, { input: { enterpriseId: positive, inspectedOn: '2023-12-01', reasonWithoutClue: '重污染天气应急减排措施落实情况抽查' } });
    expect(withReason.recordInspection).toMatchObject({ userErrors: [], inspection: { positiveList: true, reasonWithoutClue: '重污染天气应急减排措施落实情况抽查' } });
    expect((await app.data(INSPECT, { input: { enterpriseId: other, inspectedOn: '2023-12-01' } })).recordInspection.userErrors).toEqual([]);
    const clue = await newClue('langfang', { enterpriseId: positive });
    expect((await app.data(INSPECT, { input: { enterpriseId: positive, clueId: clue.id, inspectedOn: '2023-12-02' } })).recordInspection.userErrors).toEqual([]);
    expect(await count()).toBe(1);
  });
});
