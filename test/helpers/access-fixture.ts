/**
 * A small fixture for the access-control tests: in each of three cities (two of Hebei, one of
 * Shanxi) one record of every city-scoped type, created through the API with the MINISTRY key.
 */
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { residentIdCheckChar } from '../../packages/api/src/modules/subsidy/subsidy.rules.js';

export const CAMPAIGN = '2023-2024-autumn-winter';

/** The fixture's cities: their province, GB/T 2260 codes for credit codes and identity numbers. */
export const CITIES = {
  tangshan: { province: 'hebei', division: '130200', district: '130203' },
  shijiazhuang: { province: 'hebei', division: '130100', district: '130102' },
  taiyuan: { province: 'shanxi', division: '140100', district: '140105' },
} as const;
export type FixtureCity = keyof typeof CITIES;

/** Ids (GraphQL ids, strings) of one city's records. */
export interface CityRecords {
  cityId: number;
  enterpriseId: string;
  creditCode: string;
  gradeChangeId: string;
  projectId: string;
  budgetId: string;
  disbursementId: string;
  householdName: string;
  householdIdNumber: string;
  observationId: string;
  outcomeTargetId: string;
  combustionUnitId: string;
  countyId: string;
  villageId: string;
  conversionId: string;
  facilityId: string;
  banZoneId: string;
  freightRecordId: string;
}

export interface AccessFixture {
  programId: string;
  cities: Record<FixtureCity, CityRecords>;
}

let seed = 7;
const random = (n: number) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};

export function idNumber(district: string, birth: string, seq: string): string {
  const first17 = `${district}${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

const ok = (payload: { userErrors: unknown[] }) => {
  expect(payload.userErrors).toEqual([]);
  return payload;
};

export const MUTATIONS = {
  createAgriculturalCoalFacility: `mutation($input: CreateAgriculturalCoalFacilityInput!) { createAgriculturalCoalFacility(input: $input) { agriculturalCoalFacility { id version } userErrors { field code message } } }`,
  updateAgriculturalCoalFacility: `mutation($input: UpdateAgriculturalCoalFacilityInput!) { updateAgriculturalCoalFacility(input: $input) { agriculturalCoalFacility { id version } userErrors { field code message } } }`,
  createBanZone: `mutation($input: CreateBanZoneInput!) { createBanZone(input: $input) { banZone { id version } userErrors { field code message } } }`,
  updateBanZone: `mutation($input: UpdateBanZoneInput!) { updateBanZone(input: $input) { banZone { id version } userErrors { field code message } } }`,
  recordFreightMonth: `mutation($input: RecordFreightMonthInput!) { recordFreightMonth(input: $input) { freightRecord { id version tonnes } userErrors { field code message } } }`,
  recordHeatingSeason: `mutation($input: RecordHeatingSeasonInput!) { recordHeatingSeason(input: $input) { heatingSeason { id version startsOn } userErrors { field code message } } }`,
  fileSubmission: `mutation($input: FileSubmissionInput!) { fileSubmission(input: $input) { submission { id } userErrors { field code message } } }`,
  createLocality: `mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id version } userErrors { field code message } } }`,
  updateLocality: `mutation($input: UpdateLocalityInput!) { updateLocality(input: $input) { locality { id version } userErrors { field code message } } }`,
  createHouseholdConversion: `mutation($input: CreateHouseholdConversionInput!) { createHouseholdConversion(input: $input) { householdConversion { id version } userErrors { field code message } } }`,
  updateHouseholdConversion: `mutation($input: UpdateHouseholdConversionInput!) { updateHouseholdConversion(input: $input) { householdConversion { id version } userErrors { field code message } } }`,
  createCombustionUnit: `mutation($input: CreateCombustionUnitInput!) { createCombustionUnit(input: $input) { combustionUnit { id version } userErrors { field code message } } }`,
  updateCombustionUnit: `mutation($input: UpdateCombustionUnitInput!) { updateCombustionUnit(input: $input) { combustionUnit { id version } userErrors { field code message } } }`,
  createEnterprise: `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id creditCode version } userErrors { field code message } } }`,
  updateEnterprise: `mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) { enterprise { id name version } userErrors { field code message } } }`,
  recordProtectedClassStep: `mutation($input: RecordProtectedClassStepInput!) { recordProtectedClassStep(input: $input) { enterprise { id protectedClass version } userErrors { field code message } } }`,
  recordGradeChange: `mutation($input: RecordGradeChangeInput!) { recordGradeChange(input: $input) { gradeChange { id } enterprise { id currentGrade } userErrors { field code message } } }`,
  createRetrofitProject: `mutation($input: CreateRetrofitProjectInput!) { createRetrofitProject(input: $input) { retrofitProject { id version } userErrors { field code message } } }`,
  updateRetrofitProject: `mutation($input: UpdateRetrofitProjectInput!) { updateRetrofitProject(input: $input) { retrofitProject { id name version } userErrors { field code message } } }`,
  createSubsidyProgram: `mutation($input: CreateSubsidyProgramInput!) { createSubsidyProgram(input: $input) { subsidyProgram { id } userErrors { field code message } } }`,
  setSubsidyBudget: `mutation($input: SetSubsidyBudgetInput!) { setSubsidyBudget(input: $input) { subsidyBudget { id amount version } userErrors { field code message } } }`,
  recordDisbursement: `mutation($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { disbursement { id } userErrors { field code message } } }`,
  markDisbursementPaid: `mutation($input: MarkDisbursementPaidInput!) { markDisbursementPaid(input: $input) { disbursement { id paidOn } userErrors { field code message } } }`,
  recordAirQualityObservation: `mutation($input: RecordAirQualityObservationInput!) { recordAirQualityObservation(input: $input) { airQualityObservation { id } userErrors { field code message } } }`,
  recordAirQualityObservations: `mutation($input: RecordAirQualityObservationsInput!) { recordAirQualityObservations(input: $input) { insertedCount userErrors { field code message } } }`,
  setOutcomeTarget: `mutation($input: SetOutcomeTargetInput!) { setOutcomeTarget(input: $input) { outcomeTarget { id version } userErrors { field code message } } }`,
  createApiKey: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id role status province { slug } city { slug } } secret userErrors { field code message } } }`,
  issueWarning: `mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id level version city { slug } } userErrors { field code message } } }`,
  changeWarning: `mutation($input: ChangeWarningInput!) { changeWarning(input: $input) { warning { id level version } userErrors { field code message } } }`,
  liftWarning: `mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { id liftedAt version } userErrors { field code message } } }`,
  recordForecasts: `mutation($input: RecordForecastsInput!) { recordForecasts(input: $input) { forecasts { id city { slug } } userErrors { field code message } } }`,
  issueRegionalLinkage: `mutation($input: IssueRegionalLinkageInput!) { issueRegionalLinkage(input: $input) { regionalLinkage { id version } userErrors { field code message } } }`,
  liftRegionalLinkage: `mutation($input: LiftRegionalLinkageInput!) { liftRegionalLinkage(input: $input) { regionalLinkage { id version } userErrors { field code message } } }`,
  setReductionListEntries: `mutation($input: SetReductionListEntriesInput!) { setReductionListEntries(input: $input) { entries { id version city { slug } } userErrors { field code message } } }`,
  recordMeasureCheck: `mutation($input: RecordMeasureCheckInput!) { recordMeasureCheck(input: $input) { measureCheck { id version proposalStatus } userErrors { field code message } } }`,
  decideGradeProposal: `mutation($input: DecideGradeProposalInput!) { decideGradeProposal(input: $input) { measureCheck { id version proposalStatus } gradeChange { id } userErrors { field code message } } }`,
  revokeApiKey: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id status revokedBy } userErrors { field code message } } }`,
} as const;

export async function createEnterprise(app: Pick<TestApp, 'data'>, city: FixtureCity, name: string): Promise<{ id: string; creditCode: string }> {
  const creditCode = generateCreditCode(CITIES[city].division, random);
  const d = await app.data(MUTATIONS.createEnterprise, { input: { city, name, creditCode, industry: 'CHEMICAL', size: 'MEDIUM' } });
  return ok(d.createEnterprise).enterprise;
}

/** Builds the fixture; returns the ids. */
export async function buildAccessFixture(app: TestApp): Promise<AccessFixture> {
  const program = await app.data(MUTATIONS.createSubsidyProgram, {
    input: { campaign: CAMPAIGN, code: 'access-fixture', nameZh: '测试补贴', nameEn: 'Fixture subsidy', kind: 'CLEAN_HEATING_OPERATING' },
  });
  const programId = ok(program.createSubsidyProgram).subsidyProgram.id as string;
  const cities = {} as Record<FixtureCity, CityRecords>;
  let n = 0;
  for (const city of Object.keys(CITIES) as FixtureCity[]) {
    n++;
    const [{ id: cityId }] = await app.sql<{ id: number }>(`select id from city where slug = ?`, [city]);
    const e = await createEnterprise(app, city, `${city} 化工有限公司`);
    const g = await app.data(MUTATIONS.recordGradeChange, {
      input: { enterpriseId: e.id, toGrade: 'C', reason: 'ASSESSMENT', decidedBy: `${city} bureau`, decidedAt: '2023-10-01T00:00:00Z' },
    });
    const p = await app.data(MUTATIONS.createRetrofitProject, {
      input: {
        city,
        enterpriseId: e.id,
        taskTarget: 'COAL_BOILERS_ELIMINATED',
        campaign: CAMPAIGN,
        name: `${city} boiler elimination`,
        type: 'BOILER_ELIMINATION',
        plannedStartDate: '2023-10-01',
        plannedEndDate: '2024-03-31',
        units: 2,
        investmentYuan: 1000000,
        fundingSources: [
          { source: 'LOCAL_GOVERNMENT', amountYuan: 400000 },
          { source: 'ENTERPRISE_SELF_FUNDED', amountYuan: 600000 },
        ],
      },
    });
    const b = await app.data(MUTATIONS.setSubsidyBudget, { input: { programId, city, amount: 100000 } });
    const householdName = `王${['一', '二', '三'][n - 1]}明`;
    const householdIdNumber = idNumber(CITIES[city].district, '19650704', `00${n}`);
    const d = await app.data(MUTATIONS.recordDisbursement, {
      input: { programId, city, recipientKind: 'HOUSEHOLD', householdName, householdIdNumber, lowIncome: true, amount: 1000 * n, approvedOn: '2023-11-01' },
    });
    const o = await app.data(MUTATIONS.recordAirQualityObservation, { input: { city, observedOn: '2023-11-15', pm25: 40 + n } });
    const t = await app.data(MUTATIONS.setOutcomeTarget, { input: { city, campaign: CAMPAIGN, pm25Target: 50, heavyDaysTarget: 10 } });
    const u = await app.data(MUTATIONS.createCombustionUnit, { input: { city, enterpriseId: e.id, kind: 'BOILER', fuel: 'COAL', name: `${city} 1号锅炉`, capacityTph: 20, status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2024-03-31' } });
    const county = ok((await app.data(MUTATIONS.createLocality, { input: { city, level: 'COUNTY', nameZh: `${city}县` } })).createLocality).locality.id;
    const township = ok((await app.data(MUTATIONS.createLocality, { input: { city, level: 'TOWNSHIP', parentId: county, nameZh: `${city}镇` } })).createLocality).locality.id;
    const village = ok((await app.data(MUTATIONS.createLocality, { input: { city, level: 'VILLAGE', parentId: township, nameZh: `${city}村` } })).createLocality).locality.id;
    const hc = await app.data(MUTATIONS.createHouseholdConversion, { input: { villageId: village, households: 100, newSystem: 'GAS', convertedOn: '2023-10-15' } });
    const af = await app.data(MUTATIONS.createAgriculturalCoalFacility, { input: { city, villageId: village, name: `${city} 1号温室`, kind: 'GREENHOUSE' } });
    const bz = await app.data(MUTATIONS.createBanZone, { input: { city, name: `${city} 禁燃区`, areaKm2: 100, designatedOn: '2023-10-01' } });
    const fr = await app.data(MUTATIONS.recordFreightMonth, { input: { city, railway: `${city}货运线`, month: '2023-11', tonnes: 1_000_000, source: `${city} 交通运输局` } });
    cities[city] = {
      cityId,
      enterpriseId: e.id,
      creditCode: e.creditCode,
      gradeChangeId: ok(g.recordGradeChange).gradeChange.id,
      projectId: ok(p.createRetrofitProject).retrofitProject.id,
      budgetId: ok(b.setSubsidyBudget).subsidyBudget.id,
      disbursementId: ok(d.recordDisbursement).disbursement.id,
      householdName,
      householdIdNumber,
      observationId: ok(o.recordAirQualityObservation).airQualityObservation.id,
      outcomeTargetId: ok(t.setOutcomeTarget).outcomeTarget.id,
      combustionUnitId: ok(u.createCombustionUnit).combustionUnit.id,
      countyId: county,
      villageId: village,
      conversionId: ok(hc.createHouseholdConversion).householdConversion.id,
      facilityId: ok(af.createAgriculturalCoalFacility).agriculturalCoalFacility.id,
      banZoneId: ok(bz.createBanZone).banZone.id,
      freightRecordId: ok(fr.recordFreightMonth).freightRecord.id,
    };
  }
  return { programId, cities };
}

/** Ids of one city's heavy-pollution response records. */
export interface CityWarningRecords {
  forecastId: string;
  warningId: string;
  entryId: string;
  checkId: string;
}

/**
 * In each fixture city, through the API with the MINISTRY key: a forecast, a warning resting on it
 * (lifted), the enterprise's reduction list entry, a failed measure check during the warning; and
 * one ministry linkage over the three cities.
 */
export async function buildWarningFixture(app: TestApp, fx: AccessFixture): Promise<{ linkageId: string; cities: Record<FixtureCity, CityWarningRecords> }> {
  const l = ok((await app.data(MUTATIONS.issueRegionalLinkage, {
    input: { cities: Object.keys(CITIES), level: 'YELLOW', authority: '生态环境部', issuedAt: '2023-11-19T00:00:00Z', effectiveFrom: '2023-11-20T00:00:00Z', plannedEnd: '2023-11-22T00:00:00Z' },
  })).issueRegionalLinkage);
  const cities = {} as Record<FixtureCity, CityWarningRecords>;
  for (const city of Object.keys(CITIES) as FixtureCity[]) {
    const f = ok((await app.data(MUTATIONS.recordForecasts, {
      input: { forecasts: [{ city, issuedAt: '2023-11-19T08:00:00Z', source: 'CITY', days: [{ day: '2023-11-20', aqi: 230 }, { day: '2023-11-21', aqi: 250 }] }] },
    })).recordForecasts).forecasts[0].id as string;
    const w = ok((await app.data(MUTATIONS.issueWarning, {
      input: { city, level: 'YELLOW', issuedAt: '2023-11-19T10:00:00Z', effectiveFrom: '2023-11-20T00:00:00Z', plannedEnd: '2023-11-22T00:00:00Z', forecastId: f, authority: `${city} 指挥部`, linkageId: l.regionalLinkage.id },
    })).issueWarning).warning.id as string;
    const cut = (measure: string, cutPercent: number) => ({ measure, cutPercent });
    const e = ok((await app.data(MUTATIONS.setReductionListEntries, {
      input: { city, campaign: CAMPAIGN, entries: [{ enterpriseId: fx.cities[city].enterpriseId, so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1, yellow: cut('LIMIT_PRODUCTION', 10), orange: cut('LIMIT_PRODUCTION', 20), red: cut('STOP_LINES', 30) }] },
    })).setReductionListEntries).entries[0].id as string;
    const c = ok((await app.data(MUTATIONS.recordMeasureCheck, {
      input: { warningId: w, enterpriseId: fx.cities[city].enterpriseId, checkedAt: '2023-11-21T00:00:00Z', method: 'ON_SITE', result: 'FAILED', inspector: '督查组' },
    })).recordMeasureCheck).measureCheck.id as string;
    ok((await app.data(MUTATIONS.liftWarning, { input: { id: w, liftedAt: '2023-11-22T00:00:00Z' } })).liftWarning);
    cities[city] = { forecastId: f, warningId: w, entryId: e, checkId: c };
  }
  return { linkageId: l.regionalLinkage.id, cities };
}

/** Ids of one city's supervision records. */
export interface CitySupervision {
  clueId: string;
  actionId: string;
  /** An enterprise with a falsification finding (and its clue). */
  falsifiedEnterpriseId: string;
  falsifiedClueId: string;
  /** The ministry round of the fixture (one for every city; due 2023-11-15, so its clues are overdue). */
  roundId: string;
  /** The city's clue in that round (IDENTIFIED, on the watch list). */
  roundClueId: string;
}

export const SUPERVISION_MUTATIONS = {
  createSupervisionRound: `mutation($input: CreateSupervisionRoundInput!) { createSupervisionRound(input: $input) { supervisionRound { id } userErrors { field code message } } }`,
  recordClue: `mutation($input: RecordClueInput!) { recordClue(input: $input) { clue { id stage } userErrors { field code message } } }`,
  startClueInvestigation: `mutation($input: ClueStepInput!) { startClueInvestigation(input: $input) { clue { id stage } userErrors { field code message } } }`,
  confirmClue: `mutation($input: ConfirmClueInput!) { confirmClue(input: $input) { clue { id stage } userErrors { field code message } } }`,
  closeClueUnfounded: `mutation($input: CloseClueUnfoundedInput!) { closeClueUnfounded(input: $input) { clue { id stage } userErrors { field code message } } }`,
  reportClueRectified: `mutation($input: ClueStepInput!) { reportClueRectified(input: $input) { clue { id stage } userErrors { field code message } } }`,
  selectClueForSpotCheck: `mutation($input: ClueStepInput!) { selectClueForSpotCheck(input: $input) { clue { id stage } userErrors { field code message } } }`,
  recordClueSpotCheckResult: `mutation($input: RecordClueSpotCheckResultInput!) { recordClueSpotCheckResult(input: $input) { clue { id stage } userErrors { field code message } } }`,
  closeClue: `mutation($input: ClueStepInput!) { closeClue(input: $input) { clue { id stage } userErrors { field code message } } }`,
  recordFalsification: `mutation($input: RecordFalsificationInput!) { recordFalsification(input: $input) { falsificationFinding { id } userErrors { field code message } } }`,
  recordEnforcementAction: `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { enforcementAction { id } userErrors { field code message } } }`,
  publiciseEnforcementAction: `mutation($input: PubliciseEnforcementActionInput!) { publiciseEnforcementAction(input: $input) { enforcementAction { id } userErrors { field code message } } }`,
  recordInspection: `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } userErrors { field code message } } }`,
} as const;

/**
 * Supervision records in each fixture city, made with the MINISTRY key: a clue of the ministry's
 * round (overdue: the round was due 2023-11-15), a confirmed clue of the city's enterprise with an
 * enforcement action and an inspection, and a second enterprise whose falsification was recorded
 * (finding, fraud list entries, subsidy block, city verdict).
 */
export async function buildSupervisionFixture(app: TestApp, fx: AccessFixture): Promise<Record<FixtureCity, CitySupervision>> {
  const out = {} as Record<FixtureCity, CitySupervision>;
  const m = SUPERVISION_MUTATIONS;
  const confirmedClue = async (city: FixtureCity, enterpriseId: string) => {
    const c = ok((await app.data(m.recordClue, { input: { city, enterpriseId, source: 'ONLINE_MONITORING_ANOMALY', topic: 'SELF_MONITORING_DATA', evidence: '在线数据异常' } })).recordClue).clue.id as string;
    ok((await app.data(m.startClueInvestigation, { input: { id: c } })).startClueInvestigation);
    ok((await app.data(m.confirmClue, { input: { id: c, rectificationDue: '2099-01-31' } })).confirmClue);
    return c;
  };
  const roundId = ok(
    (await app.data(m.createSupervisionRound, { input: { number: 90, title: '第90轮 监督帮扶 (fixture)', pushedOn: '2023-11-01', dueOn: '2023-11-15' } })).createSupervisionRound,
  ).supervisionRound.id as string;
  for (const city of Object.keys(CITIES) as FixtureCity[]) {
    const roundClueId = ok((await app.data(m.recordClue, { input: { city, roundId, location: `${city} 某工地`, source: 'SATELLITE_HOTSPOT', topic: 'DUST', evidence: '卫星遥感高值区' } })).recordClue)
      .clue.id as string;
    const clueId = await confirmedClue(city, fx.cities[city].enterpriseId);
    const actionId = ok((await app.data(m.recordEnforcementAction, { input: { clueId, kind: 'CORRECTION_ORDER', decidedOn: '2023-12-01', decidedBy: `${city} bureau` } })).recordEnforcementAction)
      .enforcementAction.id as string;
    ok((await app.data(m.recordInspection, { input: { enterpriseId: fx.cities[city].enterpriseId, clueId, inspectedOn: '2023-12-01' } })).recordInspection);
    const falsified = await createEnterprise(app, city, `${city} 监测造假有限公司`);
    const falsifiedClueId = await confirmedClue(city, falsified.id);
    ok((await app.data(m.recordFalsification, { input: { clueId: falsifiedClueId, decidedBy: `${city} bureau`, persons: [{ name: '某人' }] } })).recordFalsification);
    out[city] = { clueId, actionId, falsifiedEnterpriseId: falsified.id, falsifiedClueId, roundId, roundClueId };
  }
  return out;
}

/** The city-scoped tables, for snapshots of what a city holds. */
export const CITY_SCOPED_TABLES = [
  'enterprise',
  'grade_change',
  'retrofit_project',
  'project_funding',
  'subsidy_budget',
  'disbursement',
  'air_quality_observation',
  'outcome_target',
  'clue',
  'clue_step',
  'enforcement_action',
  'falsification_finding',
  'fraud_list_entry',
  'subsidy_block',
  'city_assessment_verdict',
  'inspection',
  'forecast',
  'forecast_day',
  'regional_linkage_city',
  'warning',
  'warning_change',
  'reduction_list_entry',
  'measure_check',
  'combustion_unit',
  'locality',
  'household_conversion',
  'agricultural_coal_facility',
  'ban_zone',
  'freight_record',
] as const;

/** Every row of every city-scoped table of a city (as JSON), and its audit events: equal snapshots mean nothing changed. */
export async function citySnapshot(app: TestApp, cityId: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of CITY_SCOPED_TABLES) {
    const rows = await app.sql<{ j: string }>(`select to_jsonb(t)::text as j from "${table}" t where city_id = ? order by id`, [cityId]);
    out[table] = rows.map((r) => r.j);
  }
  out.audit_event = (await app.sql<{ j: string }>(`select to_jsonb(a)::text as j from audit_event a where city_id = ? order by id`, [cityId])).map((r) => r.j);
  out.api_key = (await app.sql<{ j: string }>(`select to_jsonb(k)::text as j from api_key k where city_id = ? order by id`, [cityId])).map((r) => r.j);
  return out;
}
