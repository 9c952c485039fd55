/**
 * The authorization matrix: for every city-scoped entity read by id, by list and through nested
 * relations, and for every mutation, a CITY key of one city and a PROVINCE key of one province get
 * nothing of another's (zero rows read or changed) while MINISTRY gets all. It runs twice: with
 * the services' checks (first wall) and with them turned off, so that PostgreSQL row-level
 * security alone (second wall) must hold. Reports, scorecards, the monthly ranking and every export
 * are checked for every role (anonymous, CITY, PROVINCE, MINISTRY, READ_ONLY): each answers whom
 * the list it aggregates answers, with the rows of the caller's cities. The heavy-pollution figures
 * (emergencyFigures, the scorecards' emergency) and Enterprise.requiredMeasure are checked for every
 * caller class, an out-of-scope CITY key included; the heavy-pollution mutations for anonymous and
 * READ_ONLY callers and for scoped keys on their own cities; warningChanged for every role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLClient, type TestApp, type TestKey } from '../helpers/app.js';
import {
  buildAccessFixture,
  buildSupervisionFixture,
  buildWarningFixture,
  CAMPAIGN,
  CITIES,
  CITY_SCOPED_TABLES,
  citySnapshot,
  createEnterprise,
  MUTATIONS,
  SUPERVISION_MUTATIONS,
  type AccessFixture,
  type CitySupervision,
  type FixtureCity,
} from '../helpers/access-fixture.js';
import { authenticate, setServiceScopeChecks } from '../../packages/api/src/common/auth.js';
import { LIST_EXPORTS, REPORT_EXPORTS } from '../../packages/api/src/modules/export/export.service.js';
import { SUBJECTS } from '../../packages/api/src/modules/report/report.registry.js';
import { closeRequestScope, createRequestContext, openRequestScope } from '../../packages/api/src/context.js';
import { parseCsv } from '../helpers/csv.js';
import { IMPORT_KINDS } from '../../packages/api/src/modules/import/import.kinds.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

let app: TestApp;
let wf: Awaited<ReturnType<typeof buildWarningFixture>>;
let fx: AccessFixture;
let sv: Record<FixtureCity, CitySupervision>;
let cityKey: TestKey;
let provinceKey: TestKey;
let otherCityKey: TestKey;
let readOnlyKey: TestKey;

const ALL: FixtureCity[] = ['tangshan', 'shijiazhuang', 'taiyuan'];

beforeAll(async () => {
  app = await startTestApp();
  fx = await buildAccessFixture(app);
  sv = await buildSupervisionFixture(app, fx);
  wf = await buildWarningFixture(app, fx);
  cityKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
  provinceKey = await app.createKey({ role: 'PROVINCE', province: 'hebei' });
  otherCityKey = await app.createKey({ role: 'CITY', city: 'taiyuan' });
  readOnlyKey = await app.createKey({ role: 'READ_ONLY' });
});

afterAll(async () => {
  setServiceScopeChecks(true);
  await app?.close();
});

const slugs = (nodes: { city: { slug: string } }[]) => [...new Set(nodes.map((n) => n.city.slug))].sort();

/** The fixture cities a client sees through every read path, per path. */
async function seen(client: GraphQLClient): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  // ---- by id: NOT_FOUND (existence not revealed) for records outside the caller's cities
  for (const [path, query, idOf] of [
    ['enterprise(id)', `query($id: ID!) { enterprise(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].enterpriseId })],
    ['enterpriseByCreditCode', `query($code: String!) { enterpriseByCreditCode(creditCode: $code) { city { slug } } }`, (c: FixtureCity) => ({ code: fx.cities[c].creditCode })],
    ['retrofitProject(id)', `query($id: ID!) { retrofitProject(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].projectId })],
    ['clue(id)', `query($id: ID!) { clue(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: sv[c].clueId })],
    ['warning(id)', `query($id: ID!) { warning(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: wf.cities[c].warningId })],
    ['reductionListEntry(id)', `query($id: ID!) { reductionListEntry(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: wf.cities[c].entryId })],
    ['measureCheck(id)', `query($id: ID!) { measureCheck(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: wf.cities[c].checkId })],
    ['combustionUnit(id)', `query($id: ID!) { combustionUnit(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].combustionUnitId })],
    ['locality(id)', `query($id: ID!) { locality(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].villageId })],
    ['agriculturalCoalFacility(id)', `query($id: ID!) { agriculturalCoalFacility(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].facilityId })],
    ['banZone(id)', `query($id: ID!) { banZone(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].banZoneId })],
    ['freightRecord(id)', `query($id: ID!) { freightRecord(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].freightRecordId })],
    ['householdConversion(id)', `query($id: ID!) { householdConversion(id: $id) { city { slug } } }`, (c: FixtureCity) => ({ id: fx.cities[c].conversionId })],
  ] as const) {
    out[path] = [];
    for (const c of ALL) {
      const r = await client.gql(query, idOf(c));
      const value = r.data && Object.values(r.data)[0];
      if (value) out[path].push((value as { city: { slug: string } }).city.slug);
      else expect(r.errors?.[0].extensions?.code, `${path} of ${c}`).toBe('NOT_FOUND');
    }
    out[path].sort();
  }

  // ---- lists (the page and its count)
  const lists = await client.data(`query($c: String!) {
    enterprises(first: 500) { totalCount nodes { city { slug } } }
    gradeChanges(first: 500) { totalCount nodes { city { slug } } }
    retrofitProjects(first: 500) { totalCount nodes { city { slug } } }
    disbursements(first: 500) { totalCount nodes { city { slug } } }
    airQualityObservations(first: 500, filter: { from: "2023-11-15", to: "2023-11-15" }) { totalCount nodes { city { slug } } }
    outcomeTargets(first: 500, filter: { campaign: $c }) { totalCount nodes { city { slug } } }
    auditEvents(first: 500, filter: { entity: "Enterprise" }) { totalCount nodes { city { slug } } }
    other: enterprises(filter: { city: "taiyuan" }) { totalCount nodes { city { slug } } }
    clues(first: 500) { totalCount nodes { city { slug } } }
    enforcementActions(first: 500) { totalCount nodes { city { slug } } }
    fraudList(first: 500) { totalCount nodes { city { slug } } }
    inspections(first: 500) { totalCount nodes { city { slug } } }
    combustionUnits(first: 500) { totalCount nodes { city { slug } } }
    localities(first: 500, filter: { levels: [VILLAGE] }) { totalCount nodes { city { slug } } }
    householdConversions(first: 500) { totalCount nodes { city { slug } } }
    agriculturalCoalFacilities(first: 500) { totalCount nodes { city { slug } } }
    banZones(first: 500) { totalCount nodes { city { slug } } }
    freightRecords(first: 500) { totalCount nodes { city { slug } } }
    heatingSeasons(first: 500, filter: { campaign: $c }) { totalCount nodes { city { slug } } }
    warnings(first: 500) { totalCount nodes { city { slug } } }
    forecasts(first: 500) { totalCount nodes { city { slug } } }
    reductionListEntries(first: 500, filter: { campaign: $c }) { totalCount nodes { city { slug } } }
    measureChecks(first: 500) { totalCount nodes { city { slug } } }
  }`, { c: CAMPAIGN });
  for (const [name, conn] of Object.entries(lists) as [string, { totalCount: number; nodes: { city: { slug: string } }[] }][]) {
    out[name] = slugs(conn.nodes);
    // The count is scoped like the page (the fixture has one enterprise, etc. per city; audit: one creation and one grade per enterprise).
    expect(conn.totalCount, `${name}.totalCount`).toBe(conn.nodes.length);
  }
  // Heating seasons are public and every city has one: of them, the fixture's cities.
  out.heatingSeasons = out.heatingSeasons.filter((c) => ALL.includes(c as FixtureCity));

  // ---- nested relations
  const nested = await client.data(`query($c: String!, $program: ID!) {
    cities(first: 60) { nodes { slug
      enterprises(first: 5) { totalCount nodes { id gradeChanges(first: 5) { totalCount } retrofitProjects(first: 5) { totalCount nodes { fundingSources { amountYuan } } } } }
      retrofitProjects(first: 5) { totalCount }
      subsidyBudgets { id amount }
      airQualityObservations(first: 5, from: "2023-11-15", to: "2023-11-15") { totalCount }
      outcomeTarget(campaign: $c) { id }
      attainment(campaign: $c) { observedDays }
      clueStats(campaign: $c) { cluesPushed falsifications overdueClues }
    } }
    enterprises(first: 500) { nodes { clues(first: 5) { totalCount nodes { city { slug } actions { kind } steps { seq } falsification { fraudListEntries { kind } } } } } }
    subsidyProgram(id: $program) {
      budgets { city { slug } }
      disbursements(first: 50) { totalCount nodes { city { slug } } }
      totals { budgetCount disbursementCount }
    }
    taskTarget(code: "COAL_BOILERS_ELIMINATED", campaign: $c) { projects(first: 50) { totalCount nodes { city { slug } } } }
  }`, { c: CAMPAIGN, program: fx.programId });
  const cityNodes = (nested.cities.nodes as any[]).filter((c) => ALL.includes(c.slug));
  const where = (has: (c: any) => boolean) => cityNodes.filter(has).map((c) => c.slug).sort();
  out['City.enterprises'] = where((c) => c.enterprises.totalCount > 0 || c.enterprises.nodes.length > 0);
  out['Enterprise.gradeChanges'] = where((c) => c.enterprises.nodes.some((e: any) => e.gradeChanges.totalCount > 0));
  out['Enterprise.retrofitProjects'] = where((c) => c.enterprises.nodes.some((e: any) => e.retrofitProjects.nodes.some((p: any) => p.fundingSources.length === 2)));
  out['City.retrofitProjects'] = where((c) => c.retrofitProjects.totalCount > 0);
  out['City.subsidyBudgets'] = where((c) => c.subsidyBudgets.length > 0);
  out['City.airQualityObservations'] = where((c) => c.airQualityObservations.totalCount > 0);
  out['City.outcomeTarget'] = where((c) => c.outcomeTarget !== null);
  out['City.attainment'] = where((c) => c.attainment.observedDays > 0);
  out['City.clueStats'] = where((c) => c.clueStats.cluesPushed === 3 && c.clueStats.falsifications === 1 && c.clueStats.overdueClues === 1);
  const clueNodes = (nested.enterprises.nodes as any[]).flatMap((e) => e.clues.nodes);
  out['Enterprise.clues'] = slugs(clueNodes);
  out['Clue.actions'] = slugs(clueNodes.filter((n: any) => n.actions.length > 0));
  out['Clue.falsification'] = slugs(clueNodes.filter((n: any) => n.falsification?.fraudListEntries.length === 2));
  out['SubsidyProgram.budgets'] = slugs(nested.subsidyProgram.budgets);
  out['SubsidyProgram.disbursements'] = slugs(nested.subsidyProgram.disbursements.nodes);
  expect(nested.subsidyProgram.disbursements.totalCount).toBe(nested.subsidyProgram.disbursements.nodes.length);
  out['SubsidyProgram.totals'] = [String(nested.subsidyProgram.totals.budgetCount), String(nested.subsidyProgram.totals.disbursementCount)];
  out['TaskTarget.projects'] = slugs(nested.taskTarget.projects.nodes);
  expect(nested.taskTarget.projects.totalCount).toBe(nested.taskTarget.projects.nodes.length);

  // ---- supervision rounds (national: every key reads them) and what of them is the caller's: their clues, figures, the watch list
  const round = sv.tangshan.roundId;
  const su = await client.data(`query($r: ID!) {
    supervisionRounds(first: 50) { totalCount nodes { id } }
    supervisionRound(id: $r) { id clues(first: 50) { totalCount nodes { city { slug } steps { seq } } } stats { cluesPushed overdueClues openClues } }
    overdueClues(first: 500) { daysOverdue dueOn clue { id city { slug } } }
    inCity: overdueClues(filter: { city: "taiyuan" }) { clue { city { slug } } }
  }`, { r: round });
  out.supervisionRounds = su.supervisionRounds.nodes.some((n: any) => n.id === round) && su.supervisionRounds.totalCount === su.supervisionRounds.nodes.length ? ['national'] : [];
  out['supervisionRound(id)'] = su.supervisionRound?.id === round ? ['national'] : [];
  out['SupervisionRound.clues'] = slugs(su.supervisionRound.clues.nodes);
  expect(su.supervisionRound.clues.totalCount).toBe(su.supervisionRound.clues.nodes.length);
  out['SupervisionRound.stats'] = [su.supervisionRound.stats.cluesPushed, su.supervisionRound.stats.overdueClues, su.supervisionRound.stats.openClues].map(String);
  out.overdueClues = slugs(su.overdueClues.map((w: any) => w.clue));
  expect(su.overdueClues.every((w: any) => w.daysOverdue > 0 && w.dueOn === '2023-11-15')).toBe(true);
  out['overdueClues(city)'] = slugs(su.inCity.map((w: any) => w.clue));

  // ---- heavy-pollution response: a linkage's cities, a warning's forecast and history, a check's entry, figures
  const hp = await client.data(`query($l: ID!, $c: String!) {
    regionalLinkage(id: $l) { cities { city { slug } following warning { forecast { days { aqi } } changes { kind } } } }
    cities(first: 60) { nodes { slug emergencyFigures(campaign: $c) { warnings measureChecks { checks } reductionLists { listedEnterprises } } } }
    enterprises(first: 500) { nodes { city { slug } requiredMeasure(at: "2023-11-21T00:00:00Z") { level measure } } }
  }`, { l: wf.linkageId, c: CAMPAIGN });
  const linkages = await client.data(`{ regionalLinkages(first: 50) { totalCount nodes { id } } }`);
  out.regionalLinkages = linkages.regionalLinkages.nodes.some((n: any) => n.id === wf.linkageId) && linkages.regionalLinkages.totalCount === linkages.regionalLinkages.nodes.length ? ['national'] : [];
  const linkedCities = hp.regionalLinkage.cities as any[];
  out['RegionalLinkage.cities'] = slugs(linkedCities);
  out['Warning.forecast'] = slugs(linkedCities.filter((x) => x.warning?.forecast?.days.length === 2 && x.warning.changes.length === 2));
  const fig = (hp.cities.nodes as any[]).filter((c) => ALL.includes(c.slug));
  out['City.emergencyFigures'] = fig.filter((c) => c.emergencyFigures.warnings === 1 && c.emergencyFigures.measureChecks.checks === 1 && c.emergencyFigures.reductionLists.listedEnterprises === 1).map((c) => c.slug).sort();
  out['Enterprise.requiredMeasure'] = slugs((hp.enterprises.nodes as any[]).filter((e) => e.requiredMeasure.measure === 'LIMIT_PRODUCTION'));
  return out;
}

function expected(cities: FixtureCity[]): Record<string, string[]> {
  const s = [...cities].sort();
  const n = String(cities.length);
  return {
    'enterprise(id)': s,
    enterpriseByCreditCode: s,
    'retrofitProject(id)': s,
    enterprises: s,
    gradeChanges: s,
    retrofitProjects: s,
    disbursements: s,
    airQualityObservations: s,
    outcomeTargets: s,
    auditEvents: s,
    other: cities.includes('taiyuan') ? ['taiyuan'] : [],
    'City.enterprises': s,
    'Enterprise.gradeChanges': s,
    'Enterprise.retrofitProjects': s,
    'City.retrofitProjects': s,
    'City.subsidyBudgets': s,
    'City.airQualityObservations': s,
    'City.outcomeTarget': s,
    'City.attainment': s,
    'clue(id)': s,
    clues: s,
    enforcementActions: s,
    fraudList: s,
    inspections: s,
    'City.clueStats': s,
    'Enterprise.clues': s,
    'Clue.actions': s,
    'Clue.falsification': s,
    supervisionRounds: ['national'],
    'supervisionRound(id)': ['national'],
    'SupervisionRound.clues': s,
    'SupervisionRound.stats': [n, n, n],
    overdueClues: s,
    'overdueClues(city)': cities.includes('taiyuan') ? ['taiyuan'] : [],
    'SubsidyProgram.budgets': s,
    'SubsidyProgram.disbursements': s,
    'SubsidyProgram.totals': [n, n],
    'TaskTarget.projects': s,
    'warning(id)': s,
    'reductionListEntry(id)': s,
    'measureCheck(id)': s,
    'RegionalLinkage.cities': s,
    'Warning.forecast': s,
    'City.emergencyFigures': s,
    'Enterprise.requiredMeasure': s,
    'combustionUnit(id)': s,
    combustionUnits: s,
    'locality(id)': s,
    localities: s,
    'householdConversion(id)': s,
    householdConversions: s,
    'agriculturalCoalFacility(id)': s,
    agriculturalCoalFacilities: s,
    'banZone(id)': s,
    banZones: s,
    'freightRecord(id)': s,
    freightRecords: s,
    // Public and not city-scoped (every caller's COAL_HOUSEHOLDS progress reads every city's start).
    heatingSeasons: [...ALL].sort(),
    warnings: s,
    forecasts: s,
    reductionListEntries: s,
    measureChecks: s,
    regionalLinkages: ['national'],
  };
}

/** Every mutation, aimed by `client` at `target`'s records or city; nothing of `target` may change. */
async function attackEveryMutation(client: GraphQLClient, own: FixtureCity, target: FixtureCity, serviceChecks: boolean): Promise<void> {
  const t = fx.cities[target];
  /** With the services' checks the refusal is exact; with row-level security alone, the write fails one way or another. */
  const refused = (r: { data?: any; errors?: any[] }, how: { error?: string; userError?: [string[], string] }, label: string) => {
    const payload = r.data && Object.values(r.data)[0] as any;
    if (serviceChecks) {
      if (how.error) expect(r.errors?.[0].extensions?.code, label).toBe(how.error);
      else expect(payload?.userErrors, label).toEqual([expect.objectContaining({ field: how.userError![0], code: how.userError![1] })]);
    } else {
      expect(Boolean(r.errors?.length) || Boolean(payload?.userErrors?.length), label).toBe(true);
    }
  };
  const FORBIDDEN = { error: 'FORBIDDEN' };
  const notFound = (field: string[]) => ({ userError: [field, 'NOT_FOUND'] as [string[], string] });
  const g = (m: keyof typeof MUTATIONS, input: Record<string, unknown>) => client.gql(MUTATIONS[m], { input });

  refused(await g('createEnterprise', { city: target, name: 'Intruder', creditCode: '91130200MA0AAAAA1X', industry: 'CHEMICAL', size: 'SMALL' }), FORBIDDEN, 'createEnterprise');
  refused(await g('updateEnterprise', { id: t.enterpriseId, name: 'Renamed' }), notFound(['input', 'id']), 'updateEnterprise');
  refused(await g('updateEnterprise', { id: t.enterpriseId, name: 'Renamed', version: 1 }), notFound(['input', 'id']), 'updateEnterprise with version');
  refused(await g('recordGradeChange', { enterpriseId: t.enterpriseId, toGrade: 'D', reason: 'DOWNGRADE_FOR_VIOLATION', decidedBy: 'x' }), notFound(['input', 'enterpriseId']), 'recordGradeChange');
  refused(await g('recordProtectedClassStep', { enterpriseId: t.enterpriseId, step: 'CITY_CONSENT', decidedOn: '2023-09-01' }), notFound(['input', 'enterpriseId']), 'recordProtectedClassStep');
  const project = { name: 'Intrusion', type: 'BOILER_ELIMINATION', plannedStartDate: '2023-10-01', plannedEndDate: '2023-12-31' };
  refused(await g('createRetrofitProject', { ...project, city: target }), FORBIDDEN, 'createRetrofitProject in the city');
  refused(await g('createRetrofitProject', { ...project, city: own, enterpriseId: t.enterpriseId }), notFound(['input', 'enterpriseId']), 'createRetrofitProject with its enterprise');
  refused(await g('updateRetrofitProject', { id: t.projectId, name: 'Renamed' }), notFound(['input', 'id']), 'updateRetrofitProject');
  refused(await g('updateRetrofitProject', { id: fx.cities[own].projectId, city: target, enterpriseId: null }), FORBIDDEN, 'updateRetrofitProject moving it');
  refused(await g('createSubsidyProgram', { campaign: CAMPAIGN, code: `intrusion-${own}`, nameZh: '侵', nameEn: 'Intrusion', kind: 'LOCAL_AIR_POLLUTION_FUND' }), FORBIDDEN, 'createSubsidyProgram');
  refused(await g('setSubsidyBudget', { programId: fx.programId, city: target, amount: 1 }), FORBIDDEN, 'setSubsidyBudget');
  refused(
    await g('recordDisbursement', { programId: fx.programId, city: target, recipientKind: 'HOUSEHOLD', householdName: '李四', householdIdNumber: t.householdIdNumber, lowIncome: false, amount: 1, approvedOn: '2023-11-02' }),
    FORBIDDEN,
    'recordDisbursement',
  );
  refused(await g('markDisbursementPaid', { id: t.disbursementId, paidOn: '2023-11-20' }), notFound(['input', 'id']), 'markDisbursementPaid');
  refused(await g('recordAirQualityObservation', { city: target, observedOn: '2023-11-15', pm25: 999 }), FORBIDDEN, 'recordAirQualityObservation');
  refused(
    await g('recordAirQualityObservations', { observations: [{ city: own, observedOn: '2023-11-16', pm25: 1 }, { city: target, observedOn: '2023-11-16', pm25: 999 }] }),
    FORBIDDEN,
    'recordAirQualityObservations',
  );
  refused(await g('setOutcomeTarget', { city: target, campaign: CAMPAIGN, pm25Target: 1, heavyDaysTarget: 0 }), FORBIDDEN, 'setOutcomeTarget');
  refused(await g('createApiKey', { name: 'Intruder', role: 'CITY', city: target }), FORBIDDEN, 'createApiKey');
  refused(await g('createCombustionUnit', { city: target, kind: 'KILN', fuel: 'GAS', name: 'Intrusion' }), FORBIDDEN, 'createCombustionUnit');
  refused(await g('updateCombustionUnit', { id: t.combustionUnitId, name: 'Renamed' }), notFound(['input', 'id']), 'updateCombustionUnit');
  refused(await g('updateCombustionUnit', { id: fx.cities[own].combustionUnitId, eliminationProjectId: t.projectId, status: 'ELIMINATED', eliminatedOn: '2023-12-01' }), notFound(['input', 'eliminationProjectId']), 'updateCombustionUnit naming its project');
  refused(await g('createLocality', { city: target, level: 'COUNTY', nameZh: '越权县' }), FORBIDDEN, 'createLocality');
  refused(await g('createLocality', { city: own, level: 'TOWNSHIP', parentId: t.countyId, nameZh: '越权镇' }), notFound(['input', 'parentId']), 'createLocality under its county');
  refused(await g('updateLocality', { id: t.villageId, nameZh: '越权村' }), notFound(['input', 'id']), 'updateLocality');
  refused(await g('createHouseholdConversion', { villageId: t.villageId, households: 1, newSystem: 'GAS', convertedOn: '2023-10-15' }), notFound(['input', 'villageId']), 'createHouseholdConversion');
  refused(await g('updateHouseholdConversion', { id: t.conversionId, households: 1 }), notFound(['input', 'id']), 'updateHouseholdConversion');
  refused(await g('updateHouseholdConversion', { id: fx.cities[own].conversionId, projectId: t.projectId }), notFound(['input', 'projectId']), 'updateHouseholdConversion naming its project');
  refused(await g('createAgriculturalCoalFacility', { city: target, name: '越权', kind: 'OTHER' }), FORBIDDEN, 'createAgriculturalCoalFacility');
  refused(await g('createAgriculturalCoalFacility', { city: own, villageId: t.villageId, name: '越权', kind: 'OTHER' }), notFound(['input', 'villageId']), 'createAgriculturalCoalFacility in its village');
  refused(await g('updateAgriculturalCoalFacility', { id: t.facilityId, name: '越权' }), notFound(['input', 'id']), 'updateAgriculturalCoalFacility');
  refused(await g('createBanZone', { city: target, name: '越权', areaKm2: 1, designatedOn: '2023-10-01' }), FORBIDDEN, 'createBanZone');
  refused(await g('updateBanZone', { id: t.banZoneId, areaKm2: 1 }), notFound(['input', 'id']), 'updateBanZone');
  refused(await g('recordFreightMonth', { city: target, railway: `${target}货运线`, month: '2023-12', tonnes: 1, source: 'x' }), FORBIDDEN, 'recordFreightMonth');
  refused(await g('recordFreightMonth', { city: target, railway: `${target}货运线`, month: '2023-11', tonnes: 1, source: 'x', version: 1 }), FORBIDDEN, 'recordFreightMonth changing its month');
  for (const version of [1, null]) {
    refused(await g('recordHeatingSeason', { city: target, campaign: CAMPAIGN, startsOn: '2023-11-02', endsOn: '2024-03-02', source: '越权', version }), FORBIDDEN, `recordHeatingSeason (version ${version})`);
  }
  refused(await g('fileSubmission', { province: CITIES[target].province, kind: 'BAN_ZONES' }), FORBIDDEN, 'fileSubmission');
  refused(await g('revokeApiKey', { id: String(otherCityKey.id) }), notFound(['input', 'id']), 'revokeApiKey');

  // Supervision.
  const sm = (m: keyof typeof SUPERVISION_MUTATIONS, input: Record<string, unknown>) => client.gql(SUPERVISION_MUTATIONS[m], { input });
  const ts = sv[target];
  refused(await sm('createSupervisionRound', { province: CITIES[target].province === CITIES[own].province ? 'shanxi' : CITIES[target].province, number: 99, title: 'Intrusion', pushedOn: '2023-11-01', dueOn: '2023-11-30' }), FORBIDDEN, 'createSupervisionRound');
  refused(await sm('recordClue', { city: target, location: 'x', source: 'COMPLAINT', topic: 'DUST', evidence: 'x' }), FORBIDDEN, 'recordClue in the city');
  refused(await sm('recordClue', { city: own, enterpriseId: t.enterpriseId, source: 'COMPLAINT', topic: 'DUST', evidence: 'x' }), notFound(['input', 'enterpriseId']), 'recordClue of its enterprise');
  for (const step of ['startClueInvestigation', 'reportClueRectified', 'selectClueForSpotCheck', 'closeClue'] as const) {
    refused(await sm(step, { id: ts.clueId }), notFound(['input', 'id']), step);
  }
  refused(await sm('confirmClue', { id: ts.clueId, rectificationDue: '2099-01-31' }), notFound(['input', 'id']), 'confirmClue');
  refused(await sm('closeClueUnfounded', { id: ts.clueId, note: 'x' }), notFound(['input', 'id']), 'closeClueUnfounded');
  refused(await sm('recordClueSpotCheckResult', { id: ts.clueId, result: 'PASSED' }), notFound(['input', 'id']), 'recordClueSpotCheckResult');
  refused(await sm('recordFalsification', { clueId: ts.clueId, decidedBy: 'x' }), notFound(['input', 'clueId']), 'recordFalsification');
  refused(await sm('recordEnforcementAction', { clueId: ts.clueId, kind: 'FINE', fineYuan: 1, decidedOn: '2023-12-01', decidedBy: 'x' }), notFound(['input', 'clueId']), 'recordEnforcementAction');
  refused(await sm('publiciseEnforcementAction', { id: ts.actionId }), notFound(['input', 'id']), 'publiciseEnforcementAction');
  // Heavy-pollution response.
  const tw = wf.cities[target];
  const somehow = (r: { data?: any; errors?: any[] }, label: string) => {
    const payload = r.data && (Object.values(r.data)[0] as any);
    expect(Boolean(r.errors?.length) || Boolean(payload?.userErrors?.length), label).toBe(true);
  };
  refused(await g('recordForecasts', { forecasts: [{ city: target, issuedAt: '2023-11-25T00:00:00Z', source: 'THIRD_PARTY', days: [{ day: '2023-11-25', aqi: 300 }] }] }), FORBIDDEN, 'recordForecasts');
  refused(await g('issueWarning', { city: target, level: 'RED', issuedAt: '2023-11-25T00:00:00Z', effectiveFrom: '2023-11-25T00:00:00Z', plannedEnd: '2023-11-26T00:00:00Z', authority: 'x' }), FORBIDDEN, 'issueWarning');
  refused(await g('changeWarning', { id: tw.warningId, level: 'RED' }), notFound(['input', 'id']), 'changeWarning');
  refused(await g('liftWarning', { id: tw.warningId }), notFound(['input', 'id']), 'liftWarning');
  // A CITY key issues no linkage; a PROVINCE key none over another province's city.
  somehow(await g('issueRegionalLinkage', { cities: [target], level: 'RED', authority: 'x', issuedAt: '2023-11-25T00:00:00Z', effectiveFrom: '2023-11-25T00:00:00Z', plannedEnd: '2023-11-26T00:00:00Z' }), 'issueRegionalLinkage');
  refused(await g('liftRegionalLinkage', { id: wf.linkageId }), FORBIDDEN, 'liftRegionalLinkage');
  const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
  refused(await g('setReductionListEntries', { city: target, campaign: CAMPAIGN, entries: [{ enterpriseId: t.enterpriseId, so2Baseline: 9, noxBaseline: 9, pmBaseline: 9, vocsBaseline: 9, yellow: cut('STAGGER', 0), orange: cut('STAGGER', 0), red: cut('STAGGER', 0) }] }), FORBIDDEN, 'setReductionListEntries');
  refused(await g('setReductionListEntries', { city: own, campaign: CAMPAIGN, entries: [{ enterpriseId: t.enterpriseId, so2Baseline: 9, noxBaseline: 9, pmBaseline: 9, vocsBaseline: 9, yellow: cut('STAGGER', 0), orange: cut('STAGGER', 0), red: cut('STAGGER', 0) }] }), notFound(['input', 'entries', '0', 'enterpriseId']), 'setReductionListEntries of its enterprise');
  refused(await g('recordMeasureCheck', { warningId: tw.warningId, enterpriseId: t.enterpriseId, checkedAt: '2023-11-21T01:00:00Z', method: 'ON_SITE', result: 'FAILED', inspector: 'x' }), notFound(['input', 'warningId']), 'recordMeasureCheck');
  refused(await g('decideGradeProposal', { checkId: tw.checkId, accept: true, decidedBy: 'x' }), notFound(['input', 'checkId']), 'decideGradeProposal');

  refused(await sm('recordInspection', { enterpriseId: t.enterpriseId, inspectedOn: '2023-12-01' }), notFound(['input', 'enterpriseId']), 'recordInspection');
}

describe.each([
  ['with the services\' checks and row-level security', true],
  ['with row-level security alone (services\' scope checks off)', false],
])('authorization %s', (_label, serviceChecks) => {
  beforeAll(() => setServiceScopeChecks(serviceChecks));
  afterAll(() => setServiceScopeChecks(true));

  it('shows a CITY key its own city\'s records only, by id, in lists and through relations', async () => {
    expect(await seen(app.as(cityKey.secret))).toEqual(expected(['tangshan']));
  });

  it('shows a PROVINCE key its province\'s cities\' records only', async () => {
    expect(await seen(app.as(provinceKey.secret))).toEqual(expected(['shijiazhuang', 'tangshan']));
  });

  it('shows MINISTRY every city\'s records', async () => {
    expect(await seen(app)).toEqual(expected(ALL));
  });

  it('lets no mutation of a CITY key read or change anything of another city', async () => {
    const before = { shijiazhuang: await citySnapshot(app, fx.cities.shijiazhuang.cityId), taiyuan: await citySnapshot(app, fx.cities.taiyuan.cityId) };
    await attackEveryMutation(app.as(cityKey.secret), 'tangshan', 'shijiazhuang', serviceChecks);
    await attackEveryMutation(app.as(cityKey.secret), 'tangshan', 'taiyuan', serviceChecks);
    expect(await citySnapshot(app, fx.cities.shijiazhuang.cityId)).toEqual(before.shijiazhuang);
    expect(await citySnapshot(app, fx.cities.taiyuan.cityId)).toEqual(before.taiyuan);
  });

  it('lets no mutation of a PROVINCE key read or change anything of another province', async () => {
    const before = await citySnapshot(app, fx.cities.taiyuan.cityId);
    await attackEveryMutation(app.as(provinceKey.secret), 'shijiazhuang', 'taiyuan', serviceChecks);
    expect(await citySnapshot(app, fx.cities.taiyuan.cityId)).toEqual(before);
  });

  it('lets CITY and PROVINCE keys change their own cities\' records', async () => {
    const c = app.as(cityKey.secret);
    const name = `Tangshan renamed ${serviceChecks}`;
    const u = await c.data(MUTATIONS.updateEnterprise, { input: { id: fx.cities.tangshan.enterpriseId, name } });
    expect(u.updateEnterprise).toMatchObject({ userErrors: [], enterprise: { name } });
    const e = await createEnterprise(app.as(provinceKey.secret), 'shijiazhuang', `Shijiazhuang new ${serviceChecks}`);
    expect(e.id).toBeTruthy();
    const o = await c.data(MUTATIONS.recordAirQualityObservations, { input: { observations: [{ city: 'tangshan', observedOn: serviceChecks ? '2023-11-20' : '2023-11-21', pm25: 33 }] } });
    expect(o.recordAirQualityObservations).toEqual({ insertedCount: 1, userErrors: [] });
  });
});

describe('row-level security by itself', () => {
  it('gives a raw query inside a Tangshan request transaction no row of another city to read or change', async () => {
    const actor = await authenticate(app.orm.em.getKnex(), `Bearer ${cityKey.secret}`);
    const ctx = createRequestContext(app.orm, actor);
    await openRequestScope(ctx);
    const knex = ctx.em.getKnex();
    const taiyuan = fx.cities.taiyuan.cityId;
    const tangshan = fx.cities.tangshan.cityId;
    try {
      for (const table of CITY_SCOPED_TABLES) {
        const { rows } = await knex.raw(`select count(*) filter (where city_id = ?)::int as other, count(*) filter (where city_id = ?)::int as own from "${table}"`, [taiyuan, tangshan]);
        expect(rows[0].other, table).toBe(0);
        expect(rows[0].own, table).toBeGreaterThan(0);
      }
      const { rows: audit } = await knex.raw(`select count(*)::int as n from audit_event where city_id is distinct from ?`, [tangshan]);
      expect(audit[0].n).toBe(0);
      expect((await knex.raw(`update enterprise set name = name || '!' where city_id = ?`, [taiyuan])).rowCount).toBe(0);
      expect((await knex.raw(`delete from outcome_target where city_id = ?`, [taiyuan])).rowCount).toBe(0);
      expect((await knex.raw(`update disbursement set amount_yuan = 1`)).rowCount).toBe(1);
      // Writing a row into another city violates the policy; the audit trail is read-only.
      await knex.raw('savepoint s1');
      await expect(knex.raw(`insert into air_quality_observation (city_id, observed_on, pm25, origin, created_by, updated_by) values (?, '2023-12-01', 1, 'RECORDED', 'x', 'x')`, [taiyuan])).rejects.toMatchObject({ code: '42501' });
      await knex.raw('rollback to savepoint s1');
      await expect(knex.raw(`delete from audit_event`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await ctx.scope!.rollback();
      await closeRequestScope(ctx);
    }
    // The owner still sees every city (the policies bind the API's role only).
    const [row] = await app.sql(`select count(*)::int as n from enterprise where city_id = ?`, [taiyuan]);
    expect(row.n).toBeGreaterThan(0);
    expect(Object.keys(CITIES)).toHaveLength(3);
  });

  it('keeps the audit trail unchangeable even by the owner', async () => {
    await expect(app.sql(`update audit_event set operation = 'forged'`)).rejects.toThrow(/cannot be changed or deleted/);
    await expect(app.sql(`delete from audit_event`)).rejects.toThrow(/cannot be changed or deleted/);
  });
});

// ------------------------------------------------------------------------------------- reports and exports by role

type Role = 'anonymous' | 'CITY' | 'PROVINCE' | 'MINISTRY' | 'READ_ONLY';
const ROLES: Role[] = ['anonymous', 'CITY', 'PROVINCE', 'MINISTRY', 'READ_ONLY'];
const tokenOf = (role: Role): string | null =>
  role === 'anonymous' ? null : role === 'CITY' ? cityKey.secret : role === 'PROVINCE' ? provinceKey.secret : role === 'READ_ONLY' ? readOnlyKey.secret : app.ministryToken;
/** The fixture cities a role reads (anonymous: the public ones, every city). */
const CITIES_OF: Record<Role, FixtureCity[]> = {
  anonymous: [...ALL].sort(),
  CITY: ['tangshan'],
  PROVINCE: ['shijiazhuang', 'tangshan'],
  MINISTRY: [...ALL].sort(),
  READ_ONLY: [...ALL].sort(),
};
/** Exports of data that needs a key, and what a READ_ONLY key may not list. */
const KEYED_EXPORTS = ['combustion-units', 'agricultural-coal-facilities', 'ban-zones', 'freight-records', 'reduction-list-entries', 'measure-checks', 'localities', 'household-conversions', 'retrofit-projects', 'disbursements', 'subsidy-programs', 'audit-events', 'api-keys', 'clues'];
/** Exports of city-scoped tables: their city column holds exactly the caller's cities. */
const SCOPED_EXPORTS = ['combustion-units', 'agricultural-coal-facilities', 'ban-zones', 'freight-records', 'warnings', 'forecasts', 'reduction-list-entries', 'measure-checks', 'localities', 'household-conversions', 'enterprises', 'grade-changes', 'retrofit-projects', 'disbursements', 'air-quality-observations', 'outcome-targets', 'clues', 'fraud-list'];
const fixtureCities = (slugs: (string | null | undefined)[]) => [...new Set(slugs.filter((s): s is FixtureCity => ALL.includes(s as FixtureCity)))].sort();


async function exportAs(role: Role, file: string, params: Record<string, unknown> = {}): Promise<{ status: number; code?: string; rows: string[][] }> {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)]));
  const token = tokenOf(role);
  const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/${file}${q.size ? `?${q}` : ''}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) return { status: res.status, code: ((await res.json()) as any).errors?.[0]?.extensions?.code, rows: [] };
  return { status: res.status, rows: parseCsv((await res.text()).replace(/^\uFEFF/, '')) };
}

const REPORT_QUERY = `query($input: ReportInput!) { report(input: $input) { rows { kind keys { value } values } } }`;
const reportInput = (subject: string) => ({ subject, dimensions: ['CITY'], measures: [{ measure: 'COUNT' }] });

describe.each(ROLES)('reports, scorecards and exports as %s', (role) => {
  const client = () => app.as(tokenOf(role));
  const cities = () => CITIES_OF[role];

  it('answers a report of each subject as its list is answered, over the caller\'s cities', async () => {
    for (const [subject, def] of Object.entries(SUBJECTS)) {
      const r = await client().gql(REPORT_QUERY, { input: reportInput(subject) });
      if (role === 'anonymous' && !def.read.public) {
        expect(r.errors?.[0].extensions?.code, subject).toBe('UNAUTHENTICATED');
        continue;
      }
      expect(r.errors, subject).toBeUndefined();
      const detail = r.data.report.rows.filter((row: any) => row.kind === 'DETAIL');
      expect(fixtureCities(detail.map((row: any) => row.keys[0].value)), subject).toEqual(cities());
    }
  });

  it('answers every supervision query to keys only, the published fraud list to everyone, over the caller\'s cities', async () => {
    const queries: [string, string, Record<string, unknown>][] = [
      ['supervisionRounds', `{ supervisionRounds(first: 50) { nodes { id } } }`, {}],
      ['supervisionRound', `query($id: ID!) { supervisionRound(id: $id) { id } }`, { id: sv.tangshan.roundId }],
      ['clues', `{ clues(first: 500) { nodes { city { slug } } } }`, {}],
      ['clue', `query($id: ID!) { clue(id: $id) { city { slug } } }`, { id: sv.tangshan.clueId }],
      ['overdueClues', `{ overdueClues(first: 500) { clue { city { slug } } } }`, {}],
      ['enforcementActions', `{ enforcementActions(first: 500) { nodes { city { slug } } } }`, {}],
      ['inspections', `{ inspections(first: 500) { nodes { city { slug } } } }`, {}],
      ['fraudList', `{ fraudList(first: 500) { nodes { city { slug } } } }`, {}],
    ];
    for (const [name, query, variables] of queries) {
      const r = await client().gql(query, variables);
      if (role === 'anonymous' && name !== 'fraudList') {
        expect(r.errors?.[0].extensions?.code, name).toBe('UNAUTHENTICATED');
        continue;
      }
      if (name === 'clue' && role !== 'anonymous' && !cities().includes('tangshan')) {
        expect(r.errors?.[0].extensions?.code, name).toBe('NOT_FOUND');
        continue;
      }
      expect(r.errors, name).toBeUndefined();
      const value = r.data[name];
      const nodes = Array.isArray(value) ? value.map((w: any) => w.clue) : value.nodes ?? [value];
      if (name.startsWith('supervisionRound')) expect(nodes.length, name).toBeGreaterThan(0);
      else expect(fixtureCities(nodes.map((n: any) => n.city.slug)), name).toEqual(name === 'clue' ? ['tangshan'] : cities());
    }
  });

  it('answers every heavy-pollution query: warnings, forecasts and linkages to everyone, lists and checks to keys, over the caller\'s cities', async () => {
    const tw = wf.cities.tangshan;
    const queries: [string, string, Record<string, unknown>, boolean][] = [
      ['warnings', `{ warnings(first: 500) { nodes { city { slug } } } }`, {}, true],
      ['warning', `query($id: ID!) { warning(id: $id) { city { slug } } }`, { id: tw.warningId }, true],
      ['forecasts', `{ forecasts(first: 500) { nodes { city { slug } } } }`, {}, true],
      ['regionalLinkages', `{ regionalLinkages(first: 50) { nodes { id } } }`, {}, true],
      ['regionalLinkage', `query($id: ID!) { regionalLinkage(id: $id) { cities { city { slug } } } }`, { id: wf.linkageId }, true],
      ['reductionListEntries', `{ reductionListEntries(first: 500) { nodes { city { slug } } } }`, {}, false],
      ['reductionListEntry', `query($id: ID!) { reductionListEntry(id: $id) { city { slug } } }`, { id: tw.entryId }, false],
      ['measureChecks', `{ measureChecks(first: 500) { nodes { city { slug } } } }`, {}, false],
      ['measureCheck', `query($id: ID!) { measureCheck(id: $id) { city { slug } } }`, { id: tw.checkId }, false],
    ];
    for (const [name, query, variables, isPublic] of queries) {
      const r = await client().gql(query, variables);
      if (role === 'anonymous' && !isPublic) {
        expect(r.errors?.[0].extensions?.code, name).toBe('UNAUTHENTICATED');
        continue;
      }
      if (['warning', 'reductionListEntry', 'measureCheck'].includes(name) && !cities().includes('tangshan')) {
        expect(r.errors?.[0].extensions?.code, name).toBe('NOT_FOUND');
        continue;
      }
      expect(r.errors, name).toBeUndefined();
      const value = r.data[name];
      if (name === 'regionalLinkages') expect(value.nodes.map((n: any) => n.id), name).toContain(wf.linkageId);
      else if (name === 'regionalLinkage') expect(fixtureCities(value.cities.map((c: any) => c.city.slug)), name).toEqual(cities());
      else if (value.nodes) expect(fixtureCities(value.nodes.map((n: any) => n.city.slug)), name).toEqual(cities());
      else expect(value.city.slug, name).toBe('tangshan');
    }
    // Emergency figures and the measure an enterprise must take: public, over the caller's cities.
    const f = await client().gql(`query($c: String!) { cities(first: 60) { nodes { slug emergencyFigures(campaign: $c) { warnings } } } }`, { c: CAMPAIGN });
    expect(f.errors).toBeUndefined();
    expect(fixtureCities(f.data.cities.nodes.filter((c: any) => c.emergencyFigures?.warnings === 1).map((c: any) => c.slug))).toEqual(cities());
  });

  it('answers campaignScorecards with subsidies for keys only, over the caller\'s cities', async () => {
    const r = await client().gql(`query($c: String) { campaignScorecards(level: CITY, campaign: $c) { key attainment { observedDays } subsidies { budgetAmount } } }`, { c: CAMPAIGN });
    const cards = r.data.campaignScorecards as { key: string; attainment: { observedDays: number }; subsidies: { budgetAmount: number } | null }[];
    expect(fixtureCities(cards.map((c) => c.key))).toEqual(cities());
    if (role === 'anonymous') {
      expect(cards.every((c) => c.subsidies === null)).toBe(true);
      expect(r.errors!.length).toBe(cards.length);
      expect(new Set(r.errors!.map((e) => `${e.path?.[2]} ${e.extensions?.code}`))).toEqual(new Set(['subsidies UNAUTHENTICATED']));
    } else {
      expect(r.errors).toBeUndefined();
      const own = cards.filter((c) => ALL.includes(c.key as FixtureCity));
      expect(own.map((c) => c.subsidies?.budgetAmount)).toEqual(own.map(() => 100000));
      if (role === 'CITY') expect(cards.map((c) => c.key)).toEqual(['tangshan']);
    }
  });

  it('answers submissions and their statuses to every key (province-keyed, not city-scoped), to no anonymous caller', async () => {
    for (const query of [`{ submissions(first: 50) { totalCount nodes { province { slug } } } }`, `{ submissionStatuses { province { slug } status } }`, `query($id: ID!) { submission(id: $id) { id } }`]) {
      const r = await client().gql(query, { id: '1' });
      if (role === 'anonymous') expect(r.errors?.[0].extensions?.code, query).toBe('UNAUTHENTICATED');
      else if (query.includes('submission(id')) expect(r.errors?.[0].extensions?.code, query).toBe('NOT_FOUND');
      else expect(r.errors, query).toBeUndefined();
    }
  });

  it('answers monthlyPm25Ranking over the caller\'s cities', async () => {
    const r = await client().gql(`{ monthlyPm25Ranking(month: "2023-11") { entries { city { slug } } } }`);
    expect(r.errors).toBeUndefined();
    expect(fixtureCities(r.data.monthlyPm25Ranking.entries.map((e: any) => e.city.slug))).toEqual(cities());
  });

  it('answers every export as the GraphQL list or report behind it', async () => {
    const names = [...Object.keys(LIST_EXPORTS), ...REPORT_EXPORTS];
    expect(names).toEqual(expect.arrayContaining(['report', 'campaign-scorecards', 'monthly-pm25-ranking']));
    const params: Record<string, Record<string, unknown>> = {
      report: { input: reportInput('ENTERPRISES') },
      'campaign-scorecards': { input: { level: 'CITY', campaign: CAMPAIGN } },
      'monthly-pm25-ranking': { input: { month: '2023-11' } },
    };
    for (const name of names) {
      const e = await exportAs(role, `${name}.csv`, params[name]);
      if (role === 'anonymous' && KEYED_EXPORTS.includes(name)) {
        expect([e.status, e.code], name).toEqual([401, 'UNAUTHENTICATED']);
        continue;
      }
      if (role === 'READ_ONLY' && name === 'api-keys') {
        expect([e.status, e.code], name).toEqual([403, 'FORBIDDEN']);
        continue;
      }
      expect(e.status, name).toBe(200);
      const [header, ...rows] = e.rows;
      const cityAt = header.indexOf(name === 'campaign-scorecards' ? 'key' : 'city');
      if (SCOPED_EXPORTS.includes(name) || REPORT_EXPORTS.includes(name as never)) {
        expect(fixtureCities(rows.map((row) => row[cityAt])), name).toEqual(cities());
      }
      if (name === 'campaign-scorecards') expect(header.includes('budget_amount'), name).toBe(role !== 'anonymous');
    }
    // Reports of subjects that need a key are refused to anonymous callers as their lists are.
    for (const [subject, def] of Object.entries(SUBJECTS)) {
      const e = await exportAs(role, 'report.csv', { input: reportInput(subject) });
      expect(e.status, subject).toBe(role === 'anonymous' && !def.read.public ? 401 : 200);
      if (e.status === 200) expect(fixtureCities(e.rows.slice(1).map((row) => row[e.rows[0].indexOf('city')])), subject).toEqual(cities());
    }
  });
});

// ------------------------------------------------------------------------------------- imports by role

/** A dry-run enterprises file with one row in each fixture city (fresh credit codes). */
function importFileOfEveryCity(): string {
  let n = 0;
  const random = (k: number) => (n = (n * 31 + 7) % 1_000_003) % k;
  const rows = ALL.map((city) => `${city},${city} import check,${generateCreditCode(CITIES[city].division, random)},LIME,SMALL`);
  return ['city,name,credit_code,industry,size', ...rows].join('\r\n') + '\r\n';
}

describe.each(ROLES)('imports as %s', (role) => {
  const post = async (kind: string) => {
    const token = tokenOf(role);
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/imports/${kind}?dryRun=true&wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: importFileOfEveryCity(),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('lets writing keys import only what they may write, row by row of every city: anonymous 401, READ_ONLY 403, a scoped key REFUSED whole', async () => {
    for (const kind of Object.keys(IMPORT_KINDS)) {
      const { status, body } = await post(kind);
      if (role === 'anonymous') expect([status, body.errors?.[0].extensions.code], kind).toEqual([401, 'UNAUTHENTICATED']);
      else if (role === 'READ_ONLY') expect([status, body.errors?.[0].extensions.code], kind).toEqual([403, 'FORBIDDEN']);
      else expect(status, kind).toBe(200);
    }
    if (role === 'anonymous' || role === 'READ_ONLY') return;
    const { body } = await post('enterprises');
    expect(body.status).toBe(role === 'MINISTRY' ? 'VALIDATED' : 'REFUSED');
    expect(Number((await app.sql(`select count(*) as n from enterprise where name like '% import check'`))[0].n)).toBe(0);
  });

  it('shows importJob to the key that started it and to national keys, NOT_FOUND to other scoped keys', async () => {
    const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/imports/enterprises?dryRun=true&wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${app.ministryToken}` },
      body: importFileOfEveryCity(),
    });
    const { id } = (await res.json()) as { id: string };
    const r = await app.as(tokenOf(role)).gql(`query($id: ID!) { importJob(id: $id) { id status } }`, { id });
    if (role === 'anonymous') expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    else if (role === 'CITY' || role === 'PROVINCE') expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    else expect(r.data.importJob).toEqual({ id, status: 'VALIDATED' });
  });
});

// ------------------------------------------------------------------------------------- heavy-pollution figures and required measures by caller

/** Every caller class: the roles above and a CITY key of a city outside Hebei (Taiyuan), for which Tangshan, Hebei and Jing-Jin-Ji are out of scope. */
type Caller = Role | 'OTHER_CITY';
const CALLERS: Caller[] = [...ROLES, 'OTHER_CITY'];
const callerToken = (caller: Caller) => (caller === 'OTHER_CITY' ? otherCityKey.secret : tokenOf(caller));
const CALLER_CITIES: Record<Caller, FixtureCity[]> = { ...CITIES_OF, OTHER_CITY: ['taiyuan'] };
/** SQL condition on a city `c`: the cities a caller reads. */
const CALLER_SCOPE_SQL: Record<Caller, string> = {
  anonymous: 'true',
  READ_ONLY: 'true',
  MINISTRY: 'true',
  PROVINCE: `c.province_id = (select id from province where slug = 'hebei')`,
  CITY: `c.slug = 'tangshan'`,
  OTHER_CITY: `c.slug = 'taiyuan'`,
};
const FIGURES_FIELDS = `warnings flaggedWarnings warningDays { level days } heavyDays heavyDaysWithWarning heavyDaysWithoutWarning
  reductionLists { listedEnterprises registeredEnterprises } measureChecks { checks failedChecks failureRate downgrades }`;
/** The places asked about, with the SQL condition selecting their cities and the fixture cities they hold. */
const FIGURE_PLACES: [string, string, string, FixtureCity[]][] = [
  ['tangshan', `city(slug: "tangshan")`, `c.slug = 'tangshan'`, ['tangshan']],
  ['shijiazhuang', `city(slug: "shijiazhuang")`, `c.slug = 'shijiazhuang'`, ['shijiazhuang']],
  ['taiyuan', `city(slug: "taiyuan")`, `c.slug = 'taiyuan'`, ['taiyuan']],
  ['hebei', `province(slug: "hebei")`, `c.province_id = (select id from province where slug = 'hebei')`, ['shijiazhuang', 'tangshan']],
  ['shanxi', `province(slug: "shanxi")`, `c.province_id = (select id from province where slug = 'shanxi')`, ['taiyuan']],
  ['jjj', `region(code: JJJ_SURROUNDING)`, `c.region_code = 'JJJ_SURROUNDING'`, ['shijiazhuang', 'tangshan']],
  ['fenwei', `region(code: FENWEI_PLAIN)`, `c.region_code = 'FENWEI_PLAIN'`, ['taiyuan']],
  ['campaign', `campaign(code: $c)`, 'true', [...ALL]],
];

describe.each(CALLERS)('heavy-pollution figures and required measures as %s', (caller) => {
  const client = () => app.as(callerToken(caller));
  const mine = () => CALLER_CITIES[caller];
  const keyed = caller !== 'anonymous';

  it('answers emergencyFigures of cities, provinces, regions and the campaign, and the scorecards\' emergency, over the caller\'s cities; lists and checks to keys only', async () => {
    const arg = (name: string) => (name === 'campaign' ? '' : '(campaign: $c)');
    const r = await client().gql(`query($c: String!) {
      ${FIGURE_PLACES.map(([name, root]) => `${name}: ${root} { emergencyFigures${arg(name)} { ${FIGURES_FIELDS} } }`).join('\n')}
      cityCards: campaignScorecards(level: CITY, campaign: $c) { key emergency { ${FIGURES_FIELDS} } }
      provinceCards: campaignScorecards(level: PROVINCE, campaign: $c) { key emergency { ${FIGURES_FIELDS} } }
    }`, { c: CAMPAIGN });
    expect(r.errors, caller).toBeUndefined();
    for (const [name, , placeSql, held] of FIGURE_PLACES) {
      const f = r.data[name].emergencyFigures;
      // The fixture: one YELLOW warning per city (Nov 20 08:00 to Nov 22 08:00 China time: 3 days), one entry, one FAILED check.
      const n = held.filter((c) => mine().includes(c)).length;
      const [plain] = await app.sql<{ registered: number; heavy: number }>(
        `select (select count(*) from enterprise e join city c on c.id = e.city_id where (${placeSql}) and (${CALLER_SCOPE_SQL[caller]}))::int as registered,
                (select count(*) from air_quality_observation o join city c on c.id = o.city_id join campaign k on k.code = ?
                  where o.station_code is null and o.observed_on between k.period_start and k.period_end and (o.pm25 > 150 or o.aqi > 200)
                    and (${placeSql}) and (${CALLER_SCOPE_SQL[caller]}))::int as heavy`,
        [CAMPAIGN],
      );
      const label = `${caller} ${name}`;
      expect({ warnings: f.warnings, flaggedWarnings: f.flaggedWarnings, warningDays: f.warningDays }, label).toEqual({
        warnings: n,
        flaggedWarnings: 0,
        warningDays: [{ level: 'YELLOW', days: 3 * n }, { level: 'ORANGE', days: 0 }, { level: 'RED', days: 0 }],
      });
      expect([f.heavyDays, f.heavyDaysWithWarning + f.heavyDaysWithoutWarning], label).toEqual([plain.heavy, plain.heavy]);
      expect(f.reductionLists, label).toEqual(keyed ? { listedEnterprises: n, registeredEnterprises: plain.registered } : null);
      expect(f.measureChecks, label).toEqual(keyed ? { checks: n, failedChecks: n, failureRate: n ? 1 : null, downgrades: 0 } : null);
    }
    // The scorecards: a card for each of the caller's places only, with the figures emergencyFigures gives the place.
    const cityCards = r.data.cityCards as any[];
    expect(fixtureCities(cityCards.map((c) => c.key)), caller).toEqual([...mine()].sort());
    for (const city of ALL) {
      const card = cityCards.find((c) => c.key === city);
      if (mine().includes(city)) expect(card.emergency, `${caller} card ${city}`).toEqual(r.data[city].emergencyFigures);
      else expect(card, `${caller} card ${city}`).toBeUndefined();
    }
    const provinceCards = r.data.provinceCards as any[];
    for (const province of ['hebei', 'shanxi']) {
      const card = provinceCards.find((c) => c.key === province);
      const holds = FIGURE_PLACES.find(([name]) => name === province)![3].some((c) => mine().includes(c));
      if (holds) expect(card.emergency, `${caller} card ${province}`).toEqual(r.data[province].emergencyFigures);
      else expect(card, `${caller} card ${province}`).toBeUndefined();
    }
  });

  it('answers Enterprise.requiredMeasure(at) for the enterprises it may read (by id and in lists): warning, level and measure to everyone, the entry to keys only', async () => {
    const Q = `query($id: ID!, $at: DateTime!) { enterprise(id: $id) { city { slug } requiredMeasure(at: $at) { level measure cutPercent unlisted warning { id } entry { id } } } }`;
    for (const city of ALL) {
      const during = await client().gql(Q, { id: fx.cities[city].enterpriseId, at: '2023-11-21T00:00:00Z' });
      const label = `${caller} ${city}`;
      if (!mine().includes(city)) {
        expect(during.errors?.[0].extensions?.code, label).toBe('NOT_FOUND');
        expect(during.data?.enterprise ?? null, label).toBeNull();
        continue;
      }
      expect(during.errors, label).toBeUndefined();
      expect(during.data.enterprise.requiredMeasure, label).toEqual({
        level: 'YELLOW',
        measure: 'LIMIT_PRODUCTION',
        cutPercent: 10,
        unlisted: false,
        warning: { id: wf.cities[city].warningId },
        entry: keyed ? { id: wf.cities[city].entryId } : null,
      });
      const after = await client().data(Q, { id: fx.cities[city].enterpriseId, at: '2023-11-23T00:00:00Z' });
      expect(after.enterprise.requiredMeasure, label).toEqual({ level: null, measure: null, cutPercent: null, unlisted: false, warning: null, entry: keyed ? { id: wf.cities[city].entryId } : null });
    }
    const list = await client().data(`{ enterprises(first: 500) { nodes { city { slug } requiredMeasure(at: "2023-11-21T00:00:00Z") { measure } } } }`);
    expect(slugs((list.enterprises.nodes as any[]).filter((e) => e.requiredMeasure.measure === 'LIMIT_PRODUCTION')).filter((c) => ALL.includes(c as FixtureCity)), caller).toEqual([...mine()].sort());
  });
});

// ------------------------------------------------------------------------------------- heavy-pollution mutations by caller

describe('heavy-pollution mutations by caller', () => {
  const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
  const entryInput = (city: FixtureCity) => ({ city, campaign: CAMPAIGN, entries: [{ enterpriseId: fx.cities[city].enterpriseId, so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1, yellow: cut('LIMIT_PRODUCTION', 10), orange: cut('LIMIT_PRODUCTION', 20), red: cut('STOP_LINES', 30) }] });
  /** Every heavy-pollution mutation with a valid input aimed at Tangshan's records. */
  const everyMutation = (): [keyof typeof MUTATIONS, Record<string, unknown>][] => {
    const t = wf.cities.tangshan;
    return [
      ['recordForecasts', { forecasts: [{ city: 'tangshan', issuedAt: '2024-02-01T00:00:00Z', source: 'THIRD_PARTY', days: [{ day: '2024-02-01', aqi: 250 }, { day: '2024-02-02', aqi: 260 }] }] }],
      ['issueWarning', { city: 'tangshan', level: 'YELLOW', issuedAt: '2024-02-01T00:00:00Z', effectiveFrom: '2024-02-01T00:00:00Z', plannedEnd: '2024-02-03T00:00:00Z', authority: '唐山市' }],
      ['changeWarning', { id: t.warningId, level: 'ORANGE' }],
      ['liftWarning', { id: t.warningId }],
      ['issueRegionalLinkage', { cities: ['tangshan', 'shijiazhuang'], level: 'YELLOW', authority: '河北省', issuedAt: '2024-02-01T00:00:00Z', effectiveFrom: '2024-02-01T00:00:00Z', plannedEnd: '2024-02-03T00:00:00Z' }],
      ['liftRegionalLinkage', { id: wf.linkageId }],
      ['setReductionListEntries', entryInput('tangshan')],
      ['recordMeasureCheck', { warningId: t.warningId, enterpriseId: fx.cities.tangshan.enterpriseId, checkedAt: '2023-11-21T02:00:00Z', method: 'ON_SITE', result: 'PASSED', inspector: '督查组' }],
      ['decideGradeProposal', { checkId: t.checkId, accept: false, decidedBy: '唐山市生态环境局' }],
    ];
  };

  it('refuses every one to anonymous callers (UNAUTHENTICATED) and READ_ONLY keys (FORBIDDEN), changing nothing', async () => {
    const before = await citySnapshot(app, fx.cities.tangshan.cityId);
    const linkages = await app.sql(`select to_jsonb(l)::text as j from regional_linkage l order by id`);
    for (const [caller, code] of [['anonymous', 'UNAUTHENTICATED'], ['READ_ONLY', 'FORBIDDEN']] as const) {
      for (const [m, input] of everyMutation()) {
        const r = await app.as(tokenOf(caller)).gql(MUTATIONS[m], { input });
        expect(r.errors?.[0].extensions?.code, `${caller} ${m}`).toBe(code);
      }
    }
    expect(await citySnapshot(app, fx.cities.tangshan.cityId)).toEqual(before);
    expect(await app.sql(`select to_jsonb(l)::text as j from regional_linkage l order by id`)).toEqual(linkages);
  });

  it('lets a CITY key run every city mutation on its own city and a PROVINCE key issue and lift a linkage over its cities; a CITY key issues no linkage', async () => {
    const c = app.as(cityKey.secret);
    const ok = async (m: keyof typeof MUTATIONS, input: Record<string, unknown>, client: GraphQLClient = c) => {
      const r = await client.gql(MUTATIONS[m], { input });
      expect(r.errors, m).toBeUndefined();
      const payload = Object.values(r.data)[0] as any;
      expect(payload.userErrors, m).toEqual([]);
      return payload;
    };
    const forecast = (await ok('recordForecasts', { forecasts: [{ city: 'tangshan', issuedAt: '2024-02-01T00:00:00Z', source: 'CITY', days: [{ day: '2024-02-01', aqi: 250 }, { day: '2024-02-02', aqi: 260 }] }] })).forecasts[0];
    expect(forecast.city.slug).toBe('tangshan');
    const w = (await ok('issueWarning', { city: 'tangshan', level: 'YELLOW', issuedAt: '2024-02-01T00:00:00Z', effectiveFrom: '2024-02-01T00:00:00Z', plannedEnd: '2024-02-03T00:00:00Z', forecastId: forecast.id, authority: '唐山市' })).warning;
    expect(w.city.slug).toBe('tangshan');
    await ok('changeWarning', { id: w.id, version: w.version, level: 'ORANGE', effectiveAt: '2024-02-01T12:00:00Z' });
    await ok('setReductionListEntries', entryInput('tangshan'));
    const check = (await ok('recordMeasureCheck', { warningId: w.id, enterpriseId: fx.cities.tangshan.enterpriseId, checkedAt: '2024-02-01T13:00:00Z', method: 'ON_SITE', result: 'FAILED', inspector: '督查组' })).measureCheck;
    expect((await ok('decideGradeProposal', { checkId: check.id, accept: false, decidedBy: '唐山市生态环境局' })).measureCheck.proposalStatus).toBe('REJECTED');
    await ok('liftWarning', { id: w.id, liftedAt: '2024-02-02T00:00:00Z' });
    const issued = await c.gql(MUTATIONS.issueRegionalLinkage, { input: { cities: ['tangshan'], level: 'YELLOW', authority: '唐山市', issuedAt: '2024-02-05T00:00:00Z', effectiveFrom: '2024-02-05T00:00:00Z', plannedEnd: '2024-02-06T00:00:00Z' } });
    expect(issued.errors?.[0].extensions?.code ?? (Object.values(issued.data ?? {})[0] as any)?.userErrors?.[0]?.code).toBe('FORBIDDEN');
    const p = app.as(provinceKey.secret);
    const l = (await ok('issueRegionalLinkage', { cities: ['tangshan', 'shijiazhuang'], level: 'YELLOW', authority: '河北省生态环境厅', issuedAt: '2024-02-05T00:00:00Z', effectiveFrom: '2024-02-05T00:00:00Z', plannedEnd: '2024-02-06T00:00:00Z' }, p)).regionalLinkage;
    await ok('liftRegionalLinkage', { id: l.id, version: l.version, liftedAt: '2024-02-05T12:00:00Z' }, p);
    expect(await app.sql(`select l.level from regional_linkage l where l.id = ? and l.lifted_at is not null`, [l.id])).toEqual([{ level: 'YELLOW' }]);
  });
});

// ------------------------------------------------------------------------------------- the warningChanged subscription by role

describe('warningChanged by role', () => {
  it('tells each role of the warnings of its cities only (anonymous and national keys: every city), and refuses a bad key', async () => {
    const wsUrl = app.url.replace(/^http/, 'ws');
    const subs = ROLES.map((role) => {
      const token = tokenOf(role);
      const events: any[] = [];
      const errors: unknown[] = [];
      let ready!: () => void;
      const started = new Promise<void>((r) => (ready = r));
      const c = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: token ? { Authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: false });
      c.on('connected', () => setTimeout(ready, 300));
      c.subscribe({ query: `subscription { warningChanged { kind warning { id city { slug } } } }` }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => {} });
      return { role, c, events, errors, started };
    });
    await Promise.all(subs.map((x) => x.started));
    const ids: string[] = [];
    for (const city of ALL) {
      const r = await app.data(MUTATIONS.issueWarning, { input: { city, level: 'RED', issuedAt: '2023-12-20T00:00:00Z', effectiveFrom: '2023-12-20T12:00:00Z', plannedEnd: '2023-12-22T00:00:00Z', authority: `${city} 指挥部` } });
      expect(r.issueWarning.userErrors).toEqual([]);
      ids.push(r.issueWarning.warning.id);
    }
    for (const id of ids) await app.data(MUTATIONS.liftWarning, { input: { id, liftedAt: '2023-12-21T00:00:00Z' } });
    const wanted = (role: Role) => CITIES_OF[role].length * 2;
    for (let t = 0; t < 15_000 && subs.some((x) => x.events.length < wanted(x.role)); t += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    for (const x of subs) {
      expect(x.errors, x.role).toEqual([]);
      const heard = x.events.map((e) => e.data.warningChanged);
      expect(heard.length, x.role).toBe(wanted(x.role));
      expect(fixtureCities(heard.map((h: any) => h.warning.city.slug)), x.role).toEqual(CITIES_OF[x.role]);
      expect(new Set(heard.map((h: any) => h.kind)), x.role).toEqual(new Set(['ISSUED', 'LIFTED']));
      await x.c.dispose();
    }
    // A revoked or unknown key is refused at connection_init (4401).
    const closed = await new Promise<{ code: number }>((resolve) => {
      const c = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: 'Bearer airl_not-a-key-of-this-server-at-all' }, retryAttempts: 0, lazy: false, on: { closed: (e) => resolve(e as { code: number }) } });
      c.on('error', () => {});
    });
    expect(closed.code).toBe(4401);
  });
});
