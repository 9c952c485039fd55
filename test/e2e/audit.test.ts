import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestKey } from '../helpers/app.js';
import { buildAccessFixture, buildSupervisionFixture, CAMPAIGN, idNumber, MUTATIONS, SUPERVISION_MUTATIONS, type AccessFixture } from '../helpers/access-fixture.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';

let app: TestApp;
let fx: AccessFixture;
let tangshan: TestKey;

beforeAll(async () => {
  app = await startTestApp();
  fx = await buildAccessFixture(app);
  tangshan = await app.createKey({ role: 'CITY', city: 'tangshan', name: 'Tangshan bureau' });
});

afterAll(async () => {
  await app?.close();
});

interface AuditRow {
  id: number;
  occurred_at: Date;
  actor_id: string;
  key_id: number | null;
  role: string;
  operation: string;
  action: string;
  entity: string;
  entity_id: number;
  city_id: number | null;
  before: Record<string, any> | null;
  after: Record<string, any> | null;
}

/** The audit rows written since `sinceId`, oldest first. */
async function auditSince(sinceId: number): Promise<AuditRow[]> {
  return app.sql<AuditRow>(`select * from audit_event where id > ? order by id`, [sinceId]);
}

async function lastAuditId(): Promise<number> {
  const [row] = await app.sql<{ id: number | null }>(`select max(id) as id from audit_event`);
  return row.id ?? 0;
}

/** Runs a mutation and returns its payload and the audit rows it wrote. */
async function audited(m: keyof typeof MUTATIONS, input: Record<string, unknown>, token?: string) {
  const since = await lastAuditId();
  const client = token ? app.as(token) : app;
  const started = Date.now();
  const d = await client.data(MUTATIONS[m], { input });
  const payload = Object.values(d)[0] as any;
  expect(payload.userErrors, m).toEqual([]);
  const rows = await auditSince(since);
  for (const r of rows) {
    expect(r.operation).toBe(m);
    expect(new Date(r.occurred_at).getTime()).toBeGreaterThanOrEqual(started - 2000);
    expect(new Date(r.occurred_at).getTime()).toBeLessThanOrEqual(Date.now() + 2000);
  }
  return { payload, rows, summary: rows.map((r) => `${r.action} ${r.entity}`) };
}

describe('the audit trail', () => {
  it('records every mutation: who, when, what, and the values before and after, in the mutation\'s transaction', async () => {
    const ministry = { actor_id: app.ministryActorId, key_id: Number(app.ministryActorId.slice(4)), role: 'MINISTRY' };
    const tangshanId = fx.cities.tangshan.cityId;

    const created = await audited('createEnterprise', { city: 'tangshan', name: '唐山审计测试有限公司', creditCode: generateCreditCode('130200', (n) => 5 % n), industry: 'GLASS', size: 'SMALL' });
    const enterpriseId = Number(created.payload.enterprise.id);
    expect(created.rows).toEqual([
      expect.objectContaining({ ...ministry, action: 'CREATE', entity: 'Enterprise', entity_id: enterpriseId, city_id: tangshanId, before: null }),
    ]);
    expect(created.rows[0].after).toMatchObject({ id: enterpriseId, name: '唐山审计测试有限公司', city_id: tangshanId, version: 1, created_by: app.ministryActorId });

    // A CITY key's change carries its key and role.
    const updated = await audited('updateEnterprise', { id: String(enterpriseId), name: '唐山审计测试股份有限公司', size: 'MEDIUM' }, tangshan.secret);
    expect(updated.rows).toEqual([
      expect.objectContaining({ actor_id: tangshan.actorId, key_id: tangshan.id, role: 'CITY', action: 'UPDATE', entity: 'Enterprise', entity_id: enterpriseId }),
    ]);
    expect(updated.rows[0].before).toMatchObject({ name: '唐山审计测试有限公司', size: 'SMALL', version: 1 });
    expect(updated.rows[0].after).toMatchObject({ name: '唐山审计测试股份有限公司', size: 'MEDIUM', version: 2, updated_by: tangshan.actorId });

    const graded = await audited('recordGradeChange', { enterpriseId: String(enterpriseId), toGrade: 'B', reason: 'ASSESSMENT', decidedBy: '唐山市生态环境局' });
    expect(graded.summary).toEqual(['CREATE GradeChange', 'UPDATE Enterprise']);
    expect(graded.rows[1].before.current_grade).toBeNull();
    expect(graded.rows[1].after.current_grade).toBe('B');

    const consent = await audited('recordProtectedClassStep', { enterpriseId: String(enterpriseId), step: 'CITY_CONSENT', decidedOn: '2023-09-01' }, tangshan.secret);
    expect(consent.summary).toEqual(['UPDATE Enterprise']);
    expect(consent.rows[0]).toMatchObject({ actor_id: tangshan.actorId, role: 'CITY' });
    expect(consent.rows[0].before).toMatchObject({ protected_class: 'NONE', protected_city_consented_on: null });
    expect(consent.rows[0].after).toMatchObject({ protected_class: 'CITY_CONSENTED', protected_city_consented_on: '2023-09-01', protected_city_consented_by: tangshan.actorId });

    const project = await audited('createRetrofitProject', {
      city: 'tangshan', enterpriseId: String(enterpriseId), name: '窑炉改造', type: 'KILN_ELIMINATION', plannedStartDate: '2023-10-01', plannedEndDate: '2024-01-31',
      investmentYuan: 500000, fundingSources: [{ source: 'LOCAL_GOVERNMENT', amountYuan: 200000 }, { source: 'BANK_LOAN', amountYuan: 300000 }],
    });
    expect(project.summary).toEqual(['CREATE RetrofitProject', 'CREATE ProjectFunding', 'CREATE ProjectFunding']);
    const projectId = project.payload.retrofitProject.id;
    const moved = await audited('updateRetrofitProject', { id: projectId, status: 'IN_PROGRESS', actualStartDate: '2023-10-05', fundingSources: [{ source: 'OTHER', amountYuan: 500000 }] });
    expect(moved.summary).toEqual(['UPDATE RetrofitProject', 'DELETE ProjectFunding', 'DELETE ProjectFunding', 'CREATE ProjectFunding']);
    expect(moved.rows[0].before).toMatchObject({ status: 'PLANNED', version: 1 });
    expect(moved.rows[0].after).toMatchObject({ status: 'IN_PROGRESS', actual_start_date: '2023-10-05', version: 2 });
    expect(moved.rows[1].after).toBeNull();

    const unit = await audited('createCombustionUnit', { city: 'tangshan', enterpriseId: String(enterpriseId), kind: 'KILN', fuel: 'COAL', name: '1号窑', status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2024-01-31' });
    expect(unit.summary).toEqual(['CREATE CombustionUnit']);
    const unitChanged = await audited('updateCombustionUnit', { id: unit.payload.combustionUnit.id, name: '1号石灰窑' });
    expect(unitChanged.summary).toEqual(['UPDATE CombustionUnit']);
    expect([unitChanged.rows[0].before.name, unitChanged.rows[0].after.name]).toEqual(['1号窑', '1号石灰窑']);

    // The inventories below the city (the fixture created them): places, village conversions,
    // agricultural coal facilities and ban zones; and a province's submission.
    const ts = fx.cities.tangshan;
    const place = await audited('updateLocality', { id: ts.countyId, nameZh: '唐山审计县' }, tangshan.secret);
    expect(place.summary).toEqual(['UPDATE Locality']);
    expect([place.rows[0].before!.name_zh, place.rows[0].after!.name_zh, place.rows[0].city_id]).toEqual(['tangshan县', '唐山审计县', tangshanId]);
    const conversion = await audited('updateHouseholdConversion', { id: ts.conversionId, households: 120 }, tangshan.secret);
    expect(conversion.summary).toEqual(['UPDATE HouseholdConversion']);
    expect([conversion.rows[0].before!.households, conversion.rows[0].after!.households]).toEqual([100, 120]);
    const facility = await audited('updateAgriculturalCoalFacility', { id: ts.facilityId, name: '唐山审计温室' });
    expect(facility.summary).toEqual(['UPDATE AgriculturalCoalFacility']);
    const zone = await audited('updateBanZone', { id: ts.banZoneId, areaKm2: 120 });
    expect(zone.summary).toEqual(['UPDATE BanZone']);
    expect([Number(zone.rows[0].before!.area_km2), Number(zone.rows[0].after!.area_km2)]).toEqual([100, 120]);
    // A month of rail freight: recorded (the fixture's), then its figure changed with its version by the city.
    const freight = await audited('recordFreightMonth', { city: 'tangshan', railway: 'tangshan货运线', month: '2023-11', tonnes: 1_250_000.5, source: '唐山市交通运输局', version: 1 }, tangshan.secret);
    expect(freight.summary).toEqual(['UPDATE FreightRecord']);
    expect(freight.rows[0]).toMatchObject({ role: 'CITY', actor_id: tangshan.actorId, entity_id: Number(ts.freightRecordId), city_id: tangshanId });
    expect([Number(freight.rows[0].before!.tonnes), Number(freight.rows[0].after!.tonnes), freight.rows[0].after!.version]).toEqual([1_000_000, 1_250_000.5, 2]);
    const newMonth = await audited('recordFreightMonth', { city: 'tangshan', railway: 'tangshan货运线', month: '2023-12', tonnes: 1_300_000, source: '唐山市交通运输局' });
    expect(newMonth.summary).toEqual(['CREATE FreightRecord']);
    expect(newMonth.rows[0].after).toMatchObject({ railway: 'tangshan货运线', month: '2023-12', origin: 'RECORDED', version: 1 });
    // A city's heating season: changed with its version by the city (the seeded PLAN row).
    const [hs] = await app.sql<{ id: number; version: number }>(`select id, version from heating_season where city_id = ?`, [tangshanId]);
    const season = await audited('recordHeatingSeason', { city: 'tangshan', campaign: CAMPAIGN, startsOn: '2023-11-10', endsOn: '2024-03-20', source: '唐山市供热通知', version: hs.version }, tangshan.secret);
    expect(season.summary).toEqual(['UPDATE HeatingSeason']);
    expect(season.rows[0]).toMatchObject({ role: 'CITY', actor_id: tangshan.actorId, entity_id: hs.id, city_id: tangshanId });
    expect([season.rows[0].before!.starts_on, season.rows[0].after!.starts_on, season.rows[0].before!.origin, season.rows[0].after!.origin]).toEqual(['2023-11-15', '2023-11-10', 'PLAN', 'RECORDED']);
    const hebei = await app.createKey({ role: 'PROVINCE', province: 'hebei', name: 'Hebei department' });
    const filed = await audited('fileSubmission', { province: 'hebei', kind: 'BAN_ZONES', campaign: CAMPAIGN }, hebei.secret);
    expect(filed.summary).toEqual(['CREATE Submission']);
    expect(filed.rows[0]).toMatchObject({ role: 'PROVINCE', actor_id: hebei.actorId });

    const program = await audited('createSubsidyProgram', { campaign: CAMPAIGN, code: 'audit-equipment', nameZh: '设备补贴', nameEn: 'Equipment', kind: 'CLEAN_HEATING_EQUIPMENT' });
    expect(program.rows).toEqual([expect.objectContaining({ action: 'CREATE', entity: 'SubsidyProgram', city_id: null })]);
    const programId = program.payload.subsidyProgram.id;
    const budget = await audited('setSubsidyBudget', { programId, city: 'tangshan', amount: 50000 });
    expect(budget.summary).toEqual(['CREATE SubsidyBudget']);
    const raised = await audited('setSubsidyBudget', { programId, city: 'tangshan', amount: 60000, version: 1 });
    expect(raised.summary).toEqual(['UPDATE SubsidyBudget']);
    expect([raised.rows[0].before!.amount_yuan, raised.rows[0].after!.amount_yuan]).toEqual([50000, 60000]);

    const disbursed = await audited('recordDisbursement', {
      programId, city: 'tangshan', recipientKind: 'HOUSEHOLD', householdName: '赵六', householdIdNumber: idNumber('130203', '19580101', '031'), lowIncome: false, amount: 3000, approvedOn: '2023-12-01',
    });
    expect(disbursed.summary).toEqual(['CREATE Disbursement']);
    const paid = await audited('markDisbursementPaid', { id: disbursed.payload.disbursement.id, paidOn: '2023-12-20' });
    expect(paid.rows[0]).toMatchObject({ action: 'UPDATE', entity: 'Disbursement', before: { paid_on: null }, after: { paid_on: '2023-12-20' } });

    const observed = await audited('recordAirQualityObservation', { city: 'tangshan', observedOn: '2023-12-02', pm25: 80 });
    expect(observed.summary).toEqual(['CREATE AirQualityObservation']);
    const corrected = await audited('recordAirQualityObservation', { city: 'tangshan', observedOn: '2023-12-02', pm25: 82 });
    expect(corrected.rows[0]).toMatchObject({ action: 'UPDATE', before: { pm25: 80 }, after: { pm25: 82 } });
    const batch = await audited('recordAirQualityObservations', { observations: [{ city: 'tangshan', observedOn: '2023-12-03', pm25: 70 }, { city: 'taiyuan', observedOn: '2023-12-03', pm25: 90 }] });
    expect(batch.summary).toEqual(['CREATE AirQualityObservation', 'CREATE AirQualityObservation']);
    expect(batch.rows.map((r) => r.city_id)).toEqual([tangshanId, fx.cities.taiyuan.cityId]);

    const target = await audited('setOutcomeTarget', { city: 'tangshan', campaign: CAMPAIGN, pm25Target: 45, heavyDaysTarget: 8, version: 1 });
    expect(target.rows[0]).toMatchObject({ action: 'UPDATE', entity: 'OutcomeTarget', before: { pm25_target: 50, version: 1 }, after: { pm25_target: 45, version: 2 } });

    const issued = await audited('issueWarning', {
      city: 'tangshan', level: 'YELLOW', issuedAt: '2023-12-01T00:00:00Z', effectiveFrom: '2023-12-01T12:00:00Z', plannedEnd: '2023-12-03T00:00:00Z', authority: '唐山市重污染天气应急指挥部',
    });
    expect(issued.summary).toEqual(['CREATE Warning', 'CREATE WarningChange']);
    const warningId = issued.payload.warning.id;
    const warningRaised = await audited('changeWarning', { id: warningId, level: 'ORANGE', effectiveAt: '2023-12-02T00:00:00Z' });
    expect(warningRaised.summary).toEqual(['CREATE WarningChange', 'UPDATE Warning']);
    expect(warningRaised.rows[0].after).toMatchObject({ kind: 'RAISED', previous_level: 'YELLOW', level: 'ORANGE' });
    const lifted = await audited('liftWarning', { id: warningId, liftedAt: '2023-12-02T12:00:00Z' });
    expect(lifted.summary).toEqual(['CREATE WarningChange', 'UPDATE Warning']);
    expect(lifted.rows[1]).toMatchObject({ before: { lifted_at: null, version: 2 }, after: { version: 3 } });
    const forecasts = await audited('recordForecasts', { forecasts: [{ city: 'tangshan', issuedAt: '2023-12-01T00:00:00Z', source: 'CITY', days: [{ day: '2023-12-01', aqi: 230 }, { day: '2023-12-02', aqi: 250 }] }] });
    expect(forecasts.summary).toEqual(['CREATE Forecast', 'CREATE ForecastDay', 'CREATE ForecastDay']);
    const linkage = await audited('issueRegionalLinkage', { cities: ['tangshan', 'shijiazhuang'], level: 'ORANGE', authority: '生态环境部', issuedAt: '2023-12-01T00:00:00Z', effectiveFrom: '2023-12-01T12:00:00Z', plannedEnd: '2023-12-03T00:00:00Z' });
    expect(linkage.summary).toEqual(['CREATE RegionalLinkage', 'CREATE RegionalLinkageCity', 'CREATE RegionalLinkageCity']);
    const unlinked = await audited('liftRegionalLinkage', { id: linkage.payload.regionalLinkage.id, liftedAt: '2023-12-02T12:00:00Z' });
    expect(unlinked.summary).toEqual(['UPDATE RegionalLinkage']);
    const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
    const listed = await audited('setReductionListEntries', {
      city: 'tangshan', campaign: CAMPAIGN,
      entries: [{ enterpriseId: fx.cities.tangshan.enterpriseId, so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1, yellow: cut('LIMIT_PRODUCTION', 10), orange: cut('LIMIT_PRODUCTION', 20), red: cut('STOP_PRODUCTION', 50) }],
    });
    expect(listed.summary).toEqual(['CREATE ReductionListEntry']);
    const checked = await audited('recordMeasureCheck', { warningId, enterpriseId: fx.cities.tangshan.enterpriseId, checkedAt: '2023-12-02T06:00:00Z', method: 'ON_SITE', result: 'FAILED', inspector: '督查组' });
    expect(checked.summary).toEqual(['CREATE MeasureCheck']);
    const decided = await audited('decideGradeProposal', { checkId: checked.payload.measureCheck.id, accept: true, decidedBy: '唐山市生态环境局' });
    expect(decided.summary).toEqual(['CREATE GradeChange', 'UPDATE Enterprise', 'UPDATE MeasureCheck']);

    const key = await audited('createApiKey', { name: 'Auditor', role: 'READ_ONLY' });
    expect(key.rows).toEqual([expect.objectContaining({ action: 'CREATE', entity: 'ApiKey', entity_id: Number(key.payload.apiKey.id) })]);
    expect(key.rows[0].after).not.toHaveProperty('secret_hash');
    const revoked = await audited('revokeApiKey', { id: key.payload.apiKey.id });
    expect(revoked.rows[0]).toMatchObject({ action: 'UPDATE', entity: 'ApiKey', before: { revoked_at: null }, after: { revoked_by: app.ministryActorId } });
    expect(JSON.stringify(revoked.rows)).not.toContain('secret_hash');
  });

  it('records every supervision mutation, one row per changed row', async () => {
    const sv = await buildSupervisionFixture(app, fx);
    const S = SUPERVISION_MUTATIONS;
    const run = async (m: keyof typeof S, input: Record<string, unknown>) => {
      const since = await lastAuditId();
      const d = await app.data(S[m], { input });
      expect((Object.values(d)[0] as any).userErrors, m).toEqual([]);
      const rows = await auditSince(since);
      for (const r of rows) expect(r.operation).toBe(m);
      return rows.map((r) => `${r.action} ${r.entity}`).sort();
    };
    expect(await run('createSupervisionRound', { number: 3, title: '第3轮', pushedOn: '2023-11-01', dueOn: '2023-11-30' })).toEqual(['CREATE SupervisionRound']);
    const clue = sv.tangshan.clueId;
    expect(await run('reportClueRectified', { id: clue })).toEqual(['CREATE ClueStep', 'UPDATE Clue']);
    expect(await run('selectClueForSpotCheck', { id: clue })).toEqual(['CREATE ClueStep', 'UPDATE Clue']);
    expect(await run('recordClueSpotCheckResult', { id: clue, result: 'NOT_REAL' })).toEqual(['CREATE ClueStep', 'UPDATE Clue']);
    expect(await run('closeClueUnfounded', { id: clue, note: '复查无问题' })).toEqual(['CREATE ClueStep', 'UPDATE Clue']);
    const other = sv.shijiazhuang.clueId;
    await run('reportClueRectified', { id: other });
    expect(await run('closeClue', { id: other })).toEqual(['CREATE ClueStep', 'UPDATE Clue']);
    expect(await run('publiciseEnforcementAction', { id: sv.taiyuan.actionId })).toEqual(['UPDATE EnforcementAction']);
    // The falsification's consequences, all in one mutation's trail.
    const falsifications = await app.sql<{ entity: string }>(`select entity from audit_event where operation = 'recordFalsification' and city_id = (select id from city where slug = 'tangshan') order by id`);
    expect(falsifications.map((r) => r.entity).sort()).toEqual(['CityAssessmentVerdict', 'Enterprise', 'FalsificationFinding', 'FraudListEntry', 'FraudListEntry', 'GradeChange', 'SubsidyBlock']);
  });

  it('covers every mutation of the schema', async () => {
    const { __schema } = await app.data(`{ __schema { mutationType { fields { name } } } }`);
    const mutations = (__schema.mutationType.fields as { name: string }[]).map((f) => f.name).sort();
    const recorded = (await app.sql<{ operation: string }>(`select distinct operation from audit_event`)).map((r) => r.operation);
    expect(mutations.filter((m) => !recorded.includes(m))).toEqual([]);
    // And none of them changes the trail itself.
    expect(mutations.filter((m) => /audit/i.test(m))).toEqual([]);
  });

  it('writes nothing for a refused or empty mutation', async () => {
    const since = await lastAuditId();
    const refused = await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: ' ' } });
    expect(refused.updateEnterprise.userErrors).toEqual([expect.objectContaining({ code: 'REQUIRED' })]);
    const [before] = await app.sql(`select name from enterprise where id = ?`, [fx.cities.tangshan.enterpriseId]);
    const same = await app.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name: before.name } });
    expect(same.updateEnterprise.userErrors).toEqual([]);
    expect(await auditSince(since)).toEqual([]);
  });

  it('gives the API role read access only to the trail', async () => {
    const [p] = await app.sql(`select has_table_privilege('airledger_app', 'audit_event', 'SELECT') as s,
      has_table_privilege('airledger_app', 'audit_event', 'INSERT') as i, has_table_privilege('airledger_app', 'audit_event', 'UPDATE') as u,
      has_table_privilege('airledger_app', 'audit_event', 'DELETE') as d, has_table_privilege('airledger_app', 'audit_event', 'TRUNCATE') as t`);
    expect(p).toEqual({ s: true, i: false, u: false, d: false, t: false });
  });
});

describe('reading the audit trail', () => {
  const Q = `query($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id occurredAt actor keyId role operation action entity entityId city { slug } before after changedFields }
    }
  }`;

  it('filters by actor, entity, record, operation and time, newest first, with cursors', async () => {
    const all = (await app.data(Q, { first: 500 })).auditEvents;
    expect(all.totalCount).toBe(all.nodes.length);
    const times = all.nodes.map((n: any) => Date.parse(n.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const byKey = (await app.data(Q, { filter: { actor: tangshan.actorId }, first: 500 })).auditEvents;
    expect(byKey.nodes.length).toBeGreaterThan(0);
    expect(byKey.nodes.every((n: any) => n.actor === tangshan.actorId && n.keyId === String(tangshan.id) && n.role === 'CITY')).toBe(true);

    const e = fx.cities.taiyuan.enterpriseId;
    const ofRecord = (await app.data(Q, { filter: { entity: 'Enterprise', entityId: e } })).auditEvents;
    expect(ofRecord.nodes.map((n: any) => [n.operation, n.action])).toEqual([['recordGradeChange', 'UPDATE'], ['createEnterprise', 'CREATE']]);
    expect(ofRecord.nodes[1]).toMatchObject({ entityId: e, city: { slug: 'taiyuan' }, before: null, after: { id: Number(e), name: 'taiyuan 化工有限公司', cityId: fx.cities.taiyuan.cityId } });
    expect(ofRecord.nodes[0].changedFields).toEqual(['currentGrade']);

    const ops = (await app.data(Q, { filter: { operation: 'setOutcomeTarget' }, first: 500 })).auditEvents;
    expect(new Set(ops.nodes.map((n: any) => n.entity))).toEqual(new Set(['OutcomeTarget']));

    const future = (await app.data(Q, { filter: { from: new Date(Date.now() + 3600_000).toISOString() } })).auditEvents;
    expect(future.totalCount).toBe(0);
    const past = (await app.data(Q, { filter: { to: new Date(Date.now() + 3600_000).toISOString() }, first: 500 })).auditEvents;
    expect(past.totalCount).toBe(all.totalCount);
    const bad = await app.gql(Q, { filter: { from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });

    // Pages without gaps or repeats.
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await app.data(Q, { first: 7, after })).auditEvents;
      ids.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(all.nodes.map((n: any) => n.id));
  });

  it('gives every main type its history, batched', async () => {
    const d = await app.data(`query($program: ID!, $c: String!) {
      enterprises(first: 50, filter: { city: "taiyuan" }) { nodes { history { nodes { operation action } } gradeChanges { nodes { history { nodes { operation } } } }
        retrofitProjects { nodes { history { nodes { operation action } } } } } }
      subsidyProgram(id: $program) { history { nodes { operation } } budgets(filter: { city: "taiyuan" }) { history { nodes { operation } } }
        disbursements(filter: { city: "taiyuan" }) { nodes { history { nodes { operation } } } } }
      city(slug: "taiyuan") { outcomeTarget(campaign: $c) { history { nodes { operation } } } airQualityObservations(from: "2023-11-15", to: "2023-11-15") { nodes { history { nodes { operation } } } } }
      apiKeys(first: 1) { nodes { history { totalCount } } }
    }`, { program: fx.programId, c: CAMPAIGN });
    const [e] = d.enterprises.nodes;
    expect(e.history.nodes).toEqual([{ operation: 'recordGradeChange', action: 'UPDATE' }, { operation: 'createEnterprise', action: 'CREATE' }]);
    expect(e.gradeChanges.nodes[0].history.nodes).toEqual([{ operation: 'recordGradeChange' }]);
    expect(e.retrofitProjects.nodes[0].history.nodes).toEqual([{ operation: 'createRetrofitProject', action: 'CREATE' }]);
    expect(d.subsidyProgram.history.nodes).toEqual([{ operation: 'createSubsidyProgram' }]);
    expect(d.subsidyProgram.budgets[0].history.nodes).toEqual([{ operation: 'setSubsidyBudget' }]);
    expect(d.subsidyProgram.disbursements.nodes[0].history.nodes).toEqual([{ operation: 'recordDisbursement' }]);
    expect(d.city.outcomeTarget.history.nodes).toEqual([{ operation: 'setOutcomeTarget' }]);
    expect(d.city.airQualityObservations.nodes[0].history.nodes).toEqual([{ operation: 'recordAirQualityObservation' }]);

    // One statement for the histories of a whole page, however long the page.
    const q = (first: number) => app.gql(`{ enterprises(first: ${first}) { nodes { history { totalCount nodes { operation } } } } }`);
    const [one, many] = [await q(1), await q(5)];
    expect(many.data.enterprises.nodes.length).toBeGreaterThan(1);
    expect(many.extensions?.sqlStatements).toBe(one.extensions?.sqlStatements);
  });

  it('scopes the trail like the records: a CITY key reads its city\'s changes only', async () => {
    const nodes = (await app.as(tangshan.secret).data(Q, { first: 500 })).auditEvents.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(new Set(nodes.map((n: any) => n.city?.slug))).toEqual(new Set(['tangshan']));
    const other = await app.as(tangshan.secret).data(Q, { filter: { entity: 'Enterprise', entityId: fx.cities.taiyuan.enterpriseId } });
    expect(other.auditEvents.totalCount).toBe(0);
  });
});
