/**
 * Supervision: the clue stage machine step by step and role by role, the consequences of a
 * falsification of monitoring data (against plain SQL) and their rollback when one part fails,
 * 无事不扰, enforcement actions, stage timestamps rebuilt from the audit trail, idempotency and
 * the public fraud list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLClient, type TestApp, type TestKey } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';

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

  it('refuses every step to a key of another city or province (NOT_FOUND), at the very stage the step starts from, and changes nothing', async () => {
    const outsider = { CITY: app.as(taiyuanKey.secret), PROVINCE: app.as(shanxiKey.secret) } as const;
    let checked = 0;
    for (const [name, rule] of Object.entries(MACHINE) as [StepName, (typeof MACHINE)[StepName]][]) {
      const clue = await clueAt(rule.from);
      const [before] = await app.sql(`select stage, version, (select count(*)::int from clue_step s where s.clue_id = clue.id) as steps from clue where id = ?`, [Number(clue.id)]);
      for (const role of rule.roles.filter((r): r is 'CITY' | 'PROVINCE' => r !== 'MINISTRY')) {
        const r = await outsider[role].data(mutation(name), { input: stepInput(name, clue.id) });
        expect(r[name], `${role} ${name}`).toEqual({ clue: null, step: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
        checked++;
      }
      expect(await app.sql(`select stage, version, (select count(*)::int from clue_step s where s.clue_id = clue.id) as steps from clue where id = ?`, [Number(clue.id)])).toEqual([before]);
    }
    expect(checked).toBe(7);
  });

  it('refuses every other supervision mutation to READ_ONLY keys (FORBIDDEN) and anonymous callers (UNAUTHENTICATED), writing nothing', async () => {
    const e = await enterprise('tangshan', { positiveList: true });
    const confirmed = await clueAt('RECTIFYING');
    const action = (await app.data(ACTION, { input: { clueId: confirmed.id, kind: 'CORRECTION_ORDER', decidedOn: '2023-12-01', decidedBy: '唐山市生态环境局' } })).recordEnforcementAction.enforcementAction.id;
    const P = `mutation($input: PubliciseEnforcementActionInput!) { publiciseEnforcementAction(input: $input) { ${UE} } }`;
    const writes: [string, string, Record<string, unknown>][] = [
      ['createSupervisionRound', CREATE_ROUND, { number: 77, title: 'x', pushedOn: '2023-11-01', dueOn: '2023-11-30' }],
      ['recordClue', RECORD_CLUE, { city: 'tangshan', roundId, enterpriseId: e, source: 'COMPLAINT', topic: 'DUST', evidence: 'x' }],
      ['recordClue (own)', RECORD_CLUE, { city: 'tangshan', location: 'x', source: 'COMPLAINT', topic: 'DUST', evidence: 'x' }],
      ['recordFalsification', FALSIFY, { clueId: confirmed.id, decidedBy: 'x' }],
      ['recordEnforcementAction', ACTION, { clueId: confirmed.id, kind: 'CORRECTION_ORDER', decidedOn: '2023-12-01', decidedBy: 'x' }],
      ['publiciseEnforcementAction', P, { id: action }],
      ['recordInspection', INSPECT, { enterpriseId: e, inspectedOn: '2023-12-01', reasonWithoutClue: '抽查' }],
    ];
    const tables = ['supervision_round', 'clue', 'clue_step', 'falsification_finding', 'enforcement_action', 'inspection', 'audit_event'];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await app.sql(`select count(*)::int as n from ${t}`))[0].n])));
    const before = await counts();
    const publicised = async () => (await app.sql(`select publicised from enforcement_action where id = ?`, [Number(action)]))[0].publicised;
    for (const [name, doc, input] of writes) {
      expect((await app.as(readOnlyKey.secret).gql(doc, { input })).errors?.[0].extensions?.code, `READ_ONLY ${name}`).toBe('FORBIDDEN');
      expect((await app.anonymous.gql(doc, { input })).errors?.[0].extensions?.code, `anonymous ${name}`).toBe('UNAUTHENTICATED');
    }
    expect(await counts()).toEqual(before);
    expect(await publicised()).toBe(false);
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

  it('rolls every consequence back when any one part is refused by a constraint of its table (each part in turn)', async () => {
    // The parts in the order they are written: enterprise (grade, benefits), grade change, finding, subsidy block, fraud list, city verdict.
    for (const table of ['enterprise', 'grade_change', 'falsification_finding', 'subsidy_block', 'fraud_list_entry', 'city_assessment_verdict']) {
      const e = await enterprise('dezhou', { grade: 'B', benchmark: true, positiveList: true });
      const clue = await newClue('dezhou', { enterpriseId: e });
      for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, clue.id) });
      const before = await consequences(e);
      const [{ verdicts }] = await app.sql(`select count(*)::int as verdicts from city_assessment_verdict`);
      const audit = (await app.sql(`select count(*)::int as n from audit_event`))[0].n;
      // A real constraint of the table, checked on every row written from now on (NOT VALID spares the rows already there).
      await app.sql(`alter table "${table}" add constraint "refused_for_the_test" check (false) not valid`);
      try {
        const r = await app.gql(FALSIFY, { input: { clueId: clue.id, decidedBy: '德州市生态环境局', institutions: [{ name: '某检测公司' }], persons: [{ name: '赵某' }] } });
        expect(r.errors?.[0].extensions?.code, table).toBe('INTERNAL_SERVER_ERROR');
        expect(r.errors?.[0].message, table).not.toContain('refused_for_the_test');
      } finally {
        await app.sql(`alter table "${table}" drop constraint "refused_for_the_test"`);
      }
      expect(await consequences(e), table).toEqual(before);
      expect(before, table).toMatchObject({ enterprise: { grade: 'B', benchmark: true, positiveList: true }, gradeChanges: [], findings: 0, blocks: 0, fraudList: [] });
      expect((await app.sql(`select count(*)::int as verdicts from city_assessment_verdict`))[0].verdicts, table).toBe(verdicts);
      expect((await app.sql(`select count(*)::int as n from audit_event`))[0].n, table).toBe(audit);
      expect((await app.sql(`select count(*)::int as n from fraud_list_entry where name in ('某检测公司', '赵某') and city_id = (select id from city where slug = 'dezhou')`))[0].n, table).toBe(0);
    }
  });

  it('records a falsification once per Idempotency-Key: the repeat answers the stored result and writes no consequence twice', async () => {
    const e = await enterprise('zibo', { grade: 'A', benchmark: true });
    const clue = await newClue('zibo', { enterpriseId: e });
    for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, clue.id) });
    const headers = { 'idempotency-key': `falsify-${clue.id}` };
    const input = { clueId: clue.id, decidedBy: '淄博市生态环境局', persons: [{ name: '钱某' }] };
    const first = await app.data(FALSIFY, { input }, headers);
    const audit = (await app.sql(`select count(*)::int as n from audit_event`))[0].n;
    const again = await app.data(FALSIFY, { input }, headers);
    expect(again.recordFalsification.userErrors).toEqual([]);
    expect(again.recordFalsification.falsificationFinding.id).toBe(first.recordFalsification.falsificationFinding.id);
    expect((await app.sql(`select count(*)::int as n from audit_event`))[0].n).toBe(audit);
    expect(await consequences(e)).toMatchObject({
      enterprise: { grade: 'D', benchmark: false },
      gradeChanges: [{ from_grade: 'A', to_grade: 'D', reason: 'FALSIFIED_MONITORING' }],
      findings: 1,
      blocks: 1,
      fraudList: [{ kind: 'ENTERPRISE' }, { kind: 'PERSON', name: '钱某' }],
    });
    // The same key with other arguments is a conflict, not a second finding.
    const other = await app.data(FALSIFY, { input: { ...input, decidedBy: '山东省生态环境厅' } }, headers);
    expect(other.recordFalsification.userErrors).toEqual([expect.objectContaining({ field: ['idempotencyKey'], code: 'CONFLICT' })]);
    expect((await consequences(e)).findings).toBe(1);
  });

  it('refuses a finding on a confirmed clue that names no enterprise (a location)', async () => {
    const d = await app.data(RECORD_CLUE, { input: { city: 'liaocheng', roundId, location: '某村露天焚烧点', source: 'STRAW_FIRE_POINT', topic: 'STRAW_BURNING', evidence: '卫星火点' } });
    const id = d.recordClue.clue.id;
    for (const [name] of PATH.RECTIFYING) expect((await app.data(mutation(name), { input: stepInput(name, id) }))[name].userErrors).toEqual([]);
    const r = await app.data(FALSIFY, { input: { clueId: id, decidedBy: '聊城市生态环境局' } });
    expect(r.recordFalsification).toEqual({ falsificationFinding: null, enterprise: null, userErrors: [expect.objectContaining({ field: ['input', 'clueId'], code: 'NOT_ALLOWED' })] });
    expect((await app.sql(`select count(*)::int as n from falsification_finding where clue_id = ?`, [Number(id)]))[0].n).toBe(0);
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

describe('a clue from a failed emergency measure check (warning module)', () => {
  it('links the clue to a FAILED check of the same city and enterprise, once, and refuses a passed one', async () => {
    const [row] = await app.sql<{ id: number }>(
      `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, origin, created_by, updated_by)
       select id, '秦皇岛测试水泥有限公司', ?, 'CEMENT', 'LARGE', 'C', 'RECORDED', 'test', 'test' from city where slug = 'qinhuangdao' returning id`,
      [generateCreditCode('130300', () => 3)],
    );
    const b = String(row.id);
    const measure = (measure: string, cutPercent: number) => ({ measure, cutPercent });
    const set = await app.data(`mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { ${UE} } }`, {
      input: {
        city: 'qinhuangdao',
        campaign: '2023-2024-autumn-winter',
        entries: [{ enterpriseId: b, so2Baseline: 1, noxBaseline: 2, pmBaseline: 0.5, vocsBaseline: 0.25, yellow: measure('LIMIT_PRODUCTION', 10), orange: measure('STOP_LINES', 25), red: measure('STOP_PRODUCTION', 60) }],
      },
    });
    expect(set.setReductionListEntries.userErrors).toEqual([]);
    const w = await app.data(`mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } ${UE} } }`, {
      input: { city: 'qinhuangdao', level: 'ORANGE', issuedAt: '2023-12-18T00:00:00Z', effectiveFrom: '2023-12-18T12:00:00Z', plannedEnd: '2023-12-22T00:00:00Z', authority: '秦皇岛市' },
    });
    const warningId = w.issueWarning.warning.id;
    const CHECK = `mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) { measureCheck { id result } ${UE} } }`;
    const check = (result: string, checkedAt: string) => app.data(CHECK, { input: { warningId, enterpriseId: b, checkedAt, method: 'ON_SITE', result, inspector: '督查组', ...(result === 'FAILED' ? { finding: '未落实停产措施' } : {}) } });
    const passed = (await check('PASSED', '2023-12-19T06:00:00Z')).recordMeasureCheck.measureCheck.id;
    const failed = (await check('FAILED', '2023-12-20T06:00:00Z')).recordMeasureCheck.measureCheck.id;
    const base = { city: 'qinhuangdao', source: 'EMERGENCY_CHECK_FAILURE', topic: 'HEAVY_POLLUTION_RESPONSE', evidence: '橙色预警期间未落实减排措施' };
    const Q = `mutation($input: RecordClueInput!) { recordClue(input: $input) { clue { id enterprise { id } measureCheck { id result } } ${UE} } }`;
    expect((await app.data(Q, { input: { ...base, measureCheckId: passed } })).recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'measureCheckId'], code: 'NOT_ALLOWED' })]);
    expect((await app.data(Q, { input: { ...base, source: 'COMPLAINT', measureCheckId: failed } })).recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'source'], code: 'INVALID' })]);
    const linked = await app.data(Q, { input: { ...base, measureCheckId: failed } });
    expect(linked.recordClue).toMatchObject({ userErrors: [], clue: { enterprise: { id: b }, measureCheck: { id: failed, result: 'FAILED' } } });
    expect((await app.data(Q, { input: { ...base, measureCheckId: failed } })).recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'measureCheckId'], code: 'TAKEN' })]);
    // Another city's key does not see the check.
    const other = await app.as(taiyuanKey.secret).data(Q, { input: { ...base, city: 'taiyuan', location: 'x', measureCheckId: failed } });
    expect(other.recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'measureCheckId'], code: 'NOT_FOUND' })]);
  });
});

// ------------------------------------------------------------------------------------- history, relations, campaigns

describe('the audit history of every supervision object, and the clues of an enterprise', () => {
  it('gives rounds, clues, steps, actions, findings, fraud list entries and inspections their history (newest first)', async () => {
    const r = await app.data(CREATE_ROUND, { input: { number: 41, title: '第41轮 历史', pushedOn: '2023-11-20', dueOn: '2099-12-31' } });
    const round = r.createSupervisionRound.supervisionRound.id;
    const e = await enterprise('hengshui', { grade: 'C' });
    const d = await app.data(RECORD_CLUE, { input: { city: 'hengshui', roundId: round, enterpriseId: e, source: 'POWER_USE_ANOMALY', topic: 'KEY_ENTERPRISE_GOVERNANCE', evidence: '用电异常' } });
    const clue = d.recordClue.clue.id;
    for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, clue) });
    const action = (await app.data(ACTION, { input: { clueId: clue, kind: 'CORRECTION_ORDER', decidedOn: '2023-12-01', decidedBy: '衡水市生态环境局' } })).recordEnforcementAction.enforcementAction.id;
    await app.data(`mutation($input: PubliciseEnforcementActionInput!) { publiciseEnforcementAction(input: $input) { ${UE} } }`, { input: { id: action } });
    expect((await app.data(FALSIFY, { input: { clueId: clue, decidedBy: '衡水市生态环境局', institutions: [{ name: '衡水某检测站' }] } })).recordFalsification.userErrors).toEqual([]);
    expect((await app.data(INSPECT, { input: { enterpriseId: e, clueId: clue, inspectedOn: '2023-12-02' } })).recordInspection.userErrors).toEqual([]);
    const H = 'history { totalCount nodes { operation action entityId } }';
    const q = await app.data(`query($round: ID!, $clue: ID!, $e: ID!) {
      supervisionRound(id: $round) { ${H} clues { nodes { id } } }
      clue(id: $clue) { ${H} steps { seq ${H} } actions { id ${H} } falsification { ${H} fraudListEntries { kind ${H} } } }
      inspections(filter: { city: "hengshui" }) { nodes { ${H} enterprise { id } } }
      enterprise(id: $e) { clues { totalCount nodes { id stage } } open: clues(filter: { stages: [IDENTIFIED, INVESTIGATING] }) { totalCount } rectifying: clues(filter: { stages: [RECTIFYING] }) { totalCount nodes { id } } }
    }`, { round, clue, e });
    const ops = (h: any) => h.nodes.map((n: any) => `${n.action} ${n.operation}`);
    expect(ops(q.supervisionRound.history)).toEqual(['CREATE createSupervisionRound']);
    expect(q.supervisionRound.clues.nodes).toEqual([{ id: clue }]);
    expect(ops(q.clue.history)).toEqual(['UPDATE confirmClue', 'UPDATE startClueInvestigation', 'CREATE recordClue']);
    expect(q.clue.history.nodes.every((n: any) => n.entityId === clue)).toBe(true);
    expect(q.clue.steps.map((s: any) => ops(s.history))).toEqual([['CREATE recordClue'], ['CREATE startClueInvestigation'], ['CREATE confirmClue']]);
    expect(ops(q.clue.actions[0].history)).toEqual(['UPDATE publiciseEnforcementAction', 'CREATE recordEnforcementAction']);
    expect(ops(q.clue.falsification.history)).toEqual(['CREATE recordFalsification']);
    expect(q.clue.falsification.fraudListEntries.map((x: any) => [x.kind, ops(x.history)])).toEqual([
      ['ENTERPRISE', ['CREATE recordFalsification']],
      ['INSTITUTION', ['CREATE recordFalsification']],
    ]);
    const inspection = q.inspections.nodes.find((n: any) => n.enterprise.id === e);
    expect(ops(inspection.history)).toEqual(['CREATE recordInspection']);
    // Enterprise.clues: the enterprise's clues, filtered by stage.
    expect(q.enterprise.clues).toEqual({ totalCount: 1, nodes: [{ id: clue, stage: 'RECTIFYING' }] });
    expect(q.enterprise.open.totalCount).toBe(0);
    expect(q.enterprise.rectifying).toEqual({ totalCount: 1, nodes: [{ id: clue }] });
    // A key of another city sees none of them.
    const other = await app.as(taiyuanKey.secret).gql(`query($e: ID!) { enterprise(id: $e) { id } }`, { e });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const round2 = await app.as(taiyuanKey.secret).data(`query($round: ID!) { supervisionRound(id: $round) { clues { totalCount } stats { cluesPushed } } }`, { round });
    expect(round2.supervisionRound).toEqual({ clues: { totalCount: 0 }, stats: { cluesPushed: 0 } });
  });
});

describe('figures per campaign', () => {
  const EARLIER = '2022-2023-autumn-winter';
  beforeAll(async () => {
    // An earlier campaign (the latest stays the default of look-ups).
    await app.sql(`insert into campaign (code, name_zh, name_en, period_start, period_end, origin, created_by, updated_by)
      values (?, '2022-2023年秋冬季攻坚', '2022-2023 autumn-winter campaign', '2022-10-01', '2023-03-31', 'RECORDED', 'test', 'test')`, [EARLIER]);
  });

  it('keeps each campaign\'s clues, actions and fines apart: City.clueStats, the clues filter, the report by CAMPAIGN and the province scorecards, as plain SQL', async () => {
    const e = await enterprise('jinan');
    const base = { city: 'jinan', enterpriseId: e, source: 'COMPLAINT', topic: 'DUST', evidence: '工地扬尘' };
    const ids: string[] = [];
    for (const campaign of [EARLIER, EARLIER, null]) {
      const d = await app.data(RECORD_CLUE, { input: { ...base, ...(campaign ? { campaign } : {}) } });
      expect(d.recordClue.userErrors).toEqual([]);
      ids.push(d.recordClue.clue.id);
    }
    for (const [name] of PATH.RECTIFYING) await app.data(mutation(name), { input: stepInput(name, ids[0]) });
    for (const [name] of PATH.CLOSED_UNFOUNDED) await app.data(mutation(name), { input: stepInput(name, ids[1]) });
    expect((await app.data(ACTION, { input: { clueId: ids[0], kind: 'FINE', fineYuan: 12345.67, decidedOn: '2023-03-01', decidedBy: '济南市生态环境局' } })).recordEnforcementAction.userErrors).toEqual([]);
    // A clue of a round is of the round's campaign.
    const wrong = await app.data(RECORD_CLUE, { input: { ...base, roundId, campaign: EARLIER } });
    expect(wrong.recordClue.userErrors).toEqual([expect.objectContaining({ field: ['input', 'campaign'], code: 'INVALID' })]);

    const plain = async (code: string) =>
      (
        await app.sql(
          `select count(*)::int as clues, avg(case when x.confirmed then 1.0 when not x.confirmed then 0.0 end)::float8 as confirmation,
             (select coalesce(sum(a.fine_yuan), 0)::float8 from enforcement_action a join clue k on k.id = a.clue_id join campaign c2 on c2.id = k.campaign_id where k.city_id = x.city_id and c2.code = ?) as fines
           from clue x join campaign cp on cp.id = x.campaign_id join city c on c.id = x.city_id where c.slug = 'jinan' and cp.code = ? group by x.city_id`,
          [code, code],
        )
      )[0];
    const q = await app.data(`query($c: String!) { city(slug: "jinan") { earlier: clueStats(campaign: $c) { cluesPushed confirmationRate finesYuan actionsByKind { kind count } } latest: clueStats { cluesPushed confirmationRate finesYuan } }
      clues(filter: { city: "jinan", campaign: $c }) { totalCount } }`, { c: EARLIER });
    const [earlier, latest] = [await plain(EARLIER), await plain('2023-2024-autumn-winter')];
    expect(earlier).toEqual({ clues: 2, confirmation: 0.5, fines: 12345.67 });
    expect(q.city.earlier).toMatchObject({ cluesPushed: earlier.clues, confirmationRate: earlier.confirmation, finesYuan: earlier.fines });
    expect(q.city.earlier.actionsByKind.find((a: any) => a.kind === 'FINE').count).toBe(1);
    expect(q.city.latest).toEqual({ cluesPushed: latest.clues, confirmationRate: latest.confirmation, finesYuan: latest.fines });
    expect(q.clues.totalCount).toBe(2);
    // The clues export reads the same declaration: the campaign filter means the same there.
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/clues.csv?filter=${encodeURIComponent(JSON.stringify({ city: 'jinan', campaign: EARLIER }))}`, {
      headers: { authorization: `Bearer ${app.ministryToken}` },
    });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows.map((r) => [r[header.indexOf('id')], r[header.indexOf('campaign')]]).sort()).toEqual([[ids[0], EARLIER], [ids[1], EARLIER]].sort());
    const unknown = await app.gql(`{ clues(filter: { campaign: "1999-2000" }) { totalCount } }`);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.campaign' });

    // The report by CAMPAIGN, over every clue of the test, as plain SQL groups them.
    const report = await app.data(`query($input: ReportInput!) { report(input: $input) { rows { kind keys { value } values } } }`, {
      input: { subject: 'CLUES', dimensions: ['CAMPAIGN'], measures: [{ measure: 'COUNT' }, { measure: 'CONFIRMED', aggregation: 'AVG' }, { measure: 'FINE_AMOUNT', aggregation: 'SUM' }] },
    });
    const byCampaign = await app.sql(`select cp.code, count(*)::int as n, avg(case when x.confirmed then 1.0 when not x.confirmed then 0.0 end)::float8 as rate,
        sum((select sum(a.fine_yuan) from enforcement_action a where a.clue_id = x.id))::float8 as fines
      from clue x join campaign cp on cp.id = x.campaign_id group by cp.code order by cp.code`);
    const details = report.report.rows.filter((row: any) => row.kind === 'DETAIL');
    expect(details.map((row: any) => [row.keys[0].value, ...row.values]).sort()).toEqual(byCampaign.map((p: any) => [p.code, p.n, p.rate, p.fines]).sort());
    expect(byCampaign.map((p: any) => p.code)).toEqual([EARLIER, '2023-2024-autumn-winter']);

    // The province scorecards of each campaign.
    const cards = await app.data(`query($c: String) { campaignScorecards(level: PROVINCE, campaign: $c) { key clues { cluesPushed finesYuan } } }`, { c: EARLIER });
    const shandong = cards.campaignScorecards.find((c: any) => c.key === 'shandong');
    const [p] = await app.sql(`select count(*)::int as n from clue x join campaign cp on cp.id = x.campaign_id join city c on c.id = x.city_id join province p on p.id = c.province_id where p.slug = 'shandong' and cp.code = ?`, [EARLIER]);
    expect(shandong.clues).toEqual({ cluesPushed: p.n, finesYuan: 12345.67 });
  });
});

describe('stage timestamps of every clue of this file', () => {
  it('rebuilds the stored stage timestamps of every clue from the audit trail alone (plain SQL), whatever path it took', async () => {
    const paths = await app.sql(`select count(distinct x.id)::int as clues, count(distinct x.stage)::int as stages, count(*) filter (where x.reopen_count > 0)::int as reopened from clue x`);
    expect(paths[0].stages).toBe(7);
    expect(paths[0].reopened).toBeGreaterThan(0);
    const rebuilt = `with ev as (
        select a.entity_id as id, a.occurred_at as at, a.action, a.before ->> 'stage' as b, a.after ->> 'stage' as s
        from audit_event a where a.entity = 'Clue'),
      r as (
        select id,
          max(at) filter (where action = 'CREATE') as identified_at,
          max(at) filter (where action = 'UPDATE' and b is distinct from s and s = 'INVESTIGATING') as investigating_at,
          max(at) filter (where action = 'UPDATE' and b is distinct from s and s = 'RECTIFYING') as rectifying_at,
          max(at) filter (where action = 'UPDATE' and b is distinct from s and s = 'SUPERVISED') as supervised_at,
          max(at) filter (where action = 'UPDATE' and b is distinct from s and s = 'SPOT_CHECK') as spot_check_at,
          max(at) filter (where action = 'UPDATE' and b is distinct from s and s in ('CLOSED', 'CLOSED_UNFOUNDED')) as closed_at,
          (array_agg(s order by at desc, action))[1] as stage
        from ev group by id)`;
    const differing = await app.sql(`${rebuilt}
      select x.id from clue x left join r on r.id = x.id
      where r.id is null or (x.identified_at, x.investigating_at, x.rectifying_at, x.supervised_at, x.spot_check_at, x.closed_at, x.stage)
        is distinct from (r.identified_at, r.investigating_at, r.rectifying_at, r.supervised_at, r.spot_check_at, r.closed_at, r.stage)`);
    expect(differing).toEqual([]);
    expect(paths[0].clues).toBeGreaterThan(50);
  });
});
