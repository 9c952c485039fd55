/**
 * @airledger/sdk end to end: the BUILT package (packages/sdk/dist, loaded as ESM and as CommonJS
 * through its `exports`) against the real API on a real PostgreSQL, and against tiny local stubs for
 * failures a real server does not produce on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cjsEntry, deadUrl, flakyFetch, loadCjs, loadEsm, startStub, type Sdk } from '../fixtures/sdk-support/helpers.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { residentIdCheckChar } from '../../packages/api/src/modules/subsidy/subsidy.rules.js';
import { generateApiKey, hashApiKey } from '../../packages/api/src/common/auth.js';

type Client = ReturnType<Sdk['createClient']>;

const CAMPAIGN = '2023-2024-autumn-winter';

let app: TestApp;
let esm: Sdk;
let cjs: Sdk;
/** A MINISTRY API key (every city, every write), sent by the clients that write. */
let token: string;

/** Issues an API key straight into the database (api_key of migration 0800 keeps only its hash). */
async function issueApiKey(role: 'MINISTRY' | 'READ_ONLY'): Promise<string> {
  const { secret, prefix, hash } = generateApiKey();
  await app.sql(`insert into api_key (name, role, prefix, secret_hash, created_by, updated_by) values (?, ?, ?, ?, 'test', 'test')`, [`sdk tests (${role})`, role, prefix, hash]);
  return secret;
}

beforeAll(async () => {
  app = await startTestApp();
  token = await issueApiKey('MINISTRY');
  esm = await loadEsm();
  cjs = loadCjs();
});

afterAll(async () => {
  await app?.close();
});

/** A deterministic source of randomness for credit codes. */
let seed = 20231001;
const random = (n: number) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};
/** A valid unified social credit code (GB 32100-2015) registered in `division`. */
const creditCode = (division = '130200') => generateCreditCode(division, random);

/** A valid resident identity number (GB 11643) of a head of household. */
function idNumber(region: string, birth: string, seq: string): string {
  return `${region}${birth}${seq}${residentIdCheckChar(`${region}${birth}${seq}`)}`;
}

/** The first row of a query. */
async function one<T = any>(query: string, params: unknown[] = []): Promise<T> {
  return (await app.sql<T>(query, params))[0];
}

/** Rows of a table. */
async function count(table: string): Promise<number> {
  return (await one<{ n: number }>(`select count(*)::int as n from "${table}"`)).n;
}

/** Nodes sorted by numeric id. */
const byId = <T extends { id: string }>(nodes: readonly T[]) => [...nodes].sort((a, b) => Number(a.id) - Number(b.id));

/** Cities in the plan's order, from the database. */
async function citiesInPlanOrder(where = 'true', params: unknown[] = []): Promise<string[]> {
  const rows = await app.sql<{ slug: string }>(`select c.slug from city c join province p on p.id = c.province_id where ${where} order by c.plan_order, c.id`, params);
  return rows.map((r) => r.slug);
}

describe('the built package', () => {
  it('loads as ESM and as CommonJS, two builds with the same API', () => {
    expect(cjsEntry()).toBe('packages/sdk/dist/index.cjs');
    expect(typeof esm.createClient).toBe('function');
    expect(typeof cjs.createClient).toBe('function');
    // Two separate builds were loaded (not one module seen twice).
    expect(esm.AirledgerError).not.toBe(cjs.AirledgerError);
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    // Shared enums come from @airledger/schema, bundled in.
    expect(esm.RegionCode.FENWEI_PLAIN).toBe('FENWEI_PLAIN');
    expect(cjs.CityKind.MUNICIPALITY).toBe('MUNICIPALITY');
  });
});

describe.each([
  ['ESM', () => esm],
  ['CommonJS', () => cjs],
])('every operation (%s build)', (build, sdk) => {
  // Each build writes in cities of its own, so that the two runs do not see each other's rows.
  const tag = build === 'ESM' ? 'esm' : 'cjs';
  const place =
    build === 'ESM'
      ? {
          enterprise: 'tangshan', project: 'handan', subsidy: 'baoding', subsidyOther: 'taiyuan', observation: 'xingtai', batch: 'hengshui', list: 'cangzhou', target: 'langfang', targets: 'shijiazhuang',
          report: 'qinhuangdao', scorecard: 'jinzhong', ranking: { month: '2022-11', previous: '2021-11', cities: ['yangquan', 'changzhi', 'jincheng'] },
          cityKey: 'linfen', otherCity: 'lvliang', keyList: 'yuncheng', keyProvince: 'shanxi', audit: 'dingzhou',
        }
      : {
          enterprise: 'jinan', project: 'zibo', subsidy: 'zhengzhou', subsidyOther: 'xian', observation: 'kaifeng', batch: 'luoyang', list: 'anyang', target: 'xinxiang', targets: 'jiaozuo',
          report: 'zaozhuang', scorecard: 'linyi', ranking: { month: '2022-10', previous: '2021-10', cities: ['baoji', 'xianyang', 'tongchuan'] },
          cityKey: 'dongying', otherCity: 'weifang', keyList: 'jining', keyProvince: 'henan', audit: 'taian',
        };
  let serial = 0;
  const uniq = () => `${tag}-${++serial}`;

  type CreateEnterpriseInput = Parameters<Client['createEnterprise']>[0]['input'];
  type CreateRetrofitProjectInput = Parameters<Client['createRetrofitProject']>[0]['input'];

  /** Registers an enterprise through the SDK (a chemical company in the build's city unless told). */
  async function newClue(client: Client, input: Record<string, unknown> = {}) {
    const e = await newEnterprise(client);
    const { recordClue } = await client.recordClue({
      input: { city: place.enterprise, enterpriseId: e.id, source: sdk().ClueSource.ONLINE_MONITORING_ANOMALY, topic: sdk().ClueTopic.SELF_MONITORING_DATA, evidence: '在线数据异常', ...input } as never,
    });
    expect(recordClue.userErrors).toEqual([]);
    return recordClue.clue!;
  }
  async function step(client: Client, name: string, input: Record<string, unknown>) {
    const payload = ((await (client as any)[name]({ input })) as any)[name];
    expect(payload.userErrors, name).toEqual([]);
    return payload.clue;
  }
  /** A clue `n` steps along IDENTIFIED -> INVESTIGATING -> RECTIFYING -> SUPERVISED -> SPOT_CHECK. */
  async function clueAt(client: Client, n: number) {
    const c = await newClue(client);
    const path: [string, Record<string, unknown>][] = [['startClueInvestigation', {}], ['confirmClue', { rectificationDue: '2099-01-31' }], ['reportClueRectified', {}], ['selectClueForSpotCheck', {}]];
    for (const [name, extra] of path.slice(0, n)) await step(client, name, { id: c.id, ...extra });
    return c;
  }
  async function newEnterprise(client: Client, input: Partial<CreateEnterpriseInput> = {}) {
    const { createEnterprise } = await client.createEnterprise({
      input: { city: place.enterprise, name: `测试化工有限公司 ${uniq()}`, creditCode: creditCode(), industry: sdk().Industry.CHEMICAL, size: sdk().EnterpriseSize.MEDIUM, ...input },
    });
    return createEnterprise.enterprise!;
  }

  async function enterpriseRow(id: string) {
    return one(
      `select e.name, e.credit_code, e.industry, e.size, e.key_discharger, e.online_monitoring, e.ultra_low_emission_status, e.protected_class,
              e.benchmark, e.positive_list, e.current_grade, e.origin, e.version, e.created_by, c.slug as city
         from enterprise e join city c on c.id = e.city_id where e.id = ?`,
      [Number(id)],
    );
  }

  /** Creates a subsidy program of the campaign with a budget in each given city. */
  async function newProgram(client: Client, kind: keyof Sdk['SubsidyProgramKind'], budgets: Record<string, number>) {
    const code = `sdk-${uniq()}`;
    const { createSubsidyProgram } = await client.createSubsidyProgram({
      input: { campaign: CAMPAIGN, code, kind: sdk().SubsidyProgramKind[kind], nameZh: `测试补贴 ${code}`, nameEn: `Test subsidy ${code}` },
    });
    const program = createSubsidyProgram.subsidyProgram!;
    for (const [city, amount] of Object.entries(budgets)) await client.setSubsidyBudget({ input: { programId: program.id, city, amount } });
    return program;
  }

  /** A household recipient of a clean-heating program, with a valid identity number (low-income when n is even). */
  const household = (n: number) => ({
    recipientKind: sdk().RecipientKind.HOUSEHOLD,
    householdName: `王${'建国明华'[n % 4]}`,
    householdIdNumber: idNumber('130100', `19${50 + n}0412`, String(100 + n)),
    lowIncome: n % 2 === 0,
  });

  /** Registers a boiler elimination project (PLANNED) in the build's project city unless told. */
  async function newProject(client: Client, input: Partial<CreateRetrofitProjectInput> = {}) {
    const { createRetrofitProject } = await client.createRetrofitProject({
      input: {
        city: place.project,
        name: `燃煤锅炉淘汰项目 ${uniq()}`,
        type: sdk().ProjectType.BOILER_ELIMINATION,
        plannedStartDate: '2023-05-01',
        plannedEndDate: '2023-11-30',
        units: 3,
        investmentYuan: 1_200_000,
        ...input,
      },
    });
    return createRetrofitProject.retrofitProject!;
  }

  // ----- heavy-pollution response: cities and episodes of their own per build -----
  const emergency =
    build === 'ESM'
      ? { warn: 'beijing', linked: ['xiongan', 'xinji'], list: 'rizhao', check: 'tianjin', forecast: 'liaocheng', required: 'heze', units: 'binzhou' }
      : { warn: 'pingdingshan', linked: ['hebi', 'puyang'], list: 'xuchang', check: 'luohe', forecast: 'sanmenxia', required: 'zhoukou', units: 'shangqiu' };
  let episodes = 0;
  /** A winter episode of its own (3 days apart from the others): instants from its start, in hours. */
  function episode() {
    const start = Date.UTC(2023, 10, 1) + episodes++ * 3 * 86_400_000;
    const at = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
    return { at, day: (d: number) => at(24 * d).slice(0, 10) };
  }
  /** Records a forecast of `city` issued an hour before the episode, one AQI a day from its first day. */
  async function newForecast(client: Client, city: string, ep: ReturnType<typeof episode>, aqis: number[]) {
    const { recordForecasts } = await client.recordForecasts({
      input: { forecasts: [{ city, issuedAt: ep.at(-1), source: sdk().ForecastSource.CITY, days: aqis.map((aqi, d) => ({ day: ep.day(d), aqi, primaryPollutant: sdk().AirPollutant.PM25 })) }] },
    });
    return recordForecasts.forecasts[0];
  }
  type IssueWarningInput = Parameters<Client['issueWarning']>[0]['input'];
  /** Issues a warning of `city` over the episode (from hour 12 to hour 60). */
  async function newWarning(client: Client, city: string, ep: ReturnType<typeof episode>, input: Partial<IssueWarningInput> = {}) {
    const { issueWarning } = await client.issueWarning({
      input: { city, level: sdk().WarningLevel.YELLOW, issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60), authority: `${city} 重污染天气应急指挥部`, ...input },
    });
    expect(issueWarning.userErrors).toEqual([]);
    return issueWarning.warning!;
  }
  /** Lifts a warning at hour 60 of its episode, so that the city can be warned again. */
  async function liftAt(client: Client, id: string, ep: ReturnType<typeof episode>) {
    const { liftWarning } = await client.liftWarning({ input: { id, liftedAt: ep.at(60) } });
    return liftWarning.warning!;
  }
  /** The same cuts for every entry (equal cuts never break the grade order of a city's list). */
  const cuts = () => ({
    yellow: { measure: sdk().EmergencyMeasure.LIMIT_PRODUCTION, cutPercent: 10 },
    orange: { measure: sdk().EmergencyMeasure.STOP_LINES, cutPercent: 20 },
    red: { measure: sdk().EmergencyMeasure.STOP_PRODUCTION, cutPercent: 40 },
  });
  /** An enterprise of `city` graded `grade` (by an assessment) and listed on the city's reduction list. */
  async function listedEnterprise(client: Client, city: string, grade: keyof Sdk['PerformanceGrade'] | null = 'B') {
    const e = await newEnterprise(client, { city });
    if (grade) await client.recordGradeChange({ input: { enterpriseId: e.id, toGrade: sdk().PerformanceGrade[grade], reason: sdk().GradeChangeReason.ASSESSMENT, decidedBy: '省生态环境厅', decidedAt: '2023-09-01T00:00:00.000Z' } });
    const { setReductionListEntries } = await client.setReductionListEntries({
      input: { city, campaign: CAMPAIGN, entries: [{ enterpriseId: e.id, so2Baseline: 1.5, noxBaseline: 2.25, pmBaseline: 0.5, vocsBaseline: 0.125, ...cuts() }] },
    });
    return { enterprise: e, entry: setReductionListEntries.entries[0] };
  }
  /** A listed enterprise of the check city (grade B), an open warning there over a fresh episode, and a check of it. */
  async function newCheck(client: Client, result: keyof Sdk['MeasureCheckResult']) {
    const ep = episode();
    const { enterprise, entry } = await listedEnterprise(client, emergency.check);
    const warning = await newWarning(client, emergency.check, ep);
    const { recordMeasureCheck } = await client.recordMeasureCheck({
      input: { warningId: warning.id, enterpriseId: enterprise.id, checkedAt: ep.at(30), method: sdk().MeasureCheckMethod.POWER_USE, result: sdk().MeasureCheckResult[result], finding: result === 'FAILED' ? '用电量未下降' : null, inspector: '督查组' },
    });
    await liftAt(client, warning.id, ep);
    return { check: recordMeasureCheck.measureCheck!, enterprise, entry, warning, ep };
  }
  /** Ids of a query's rows, as strings. */
  const ids = async (query: string, params: unknown[] = []) => (await app.sql<{ id: number }>(query, params)).map((r) => String(r.id));
  const cityId = async (slug: string) => (await one<{ id: number }>(`select id from city where slug = ?`, [slug])).id;
  /** A county, township and village of `city` (names unique to the build); returns the village. */
  async function newVillage(client: Client, city: string = place.project) {
    const name = uniq();
    const { createLocality: county } = await client.createLocality({ input: { city, level: sdk().LocalityLevel.COUNTY, nameZh: `县${name}` } });
    const { createLocality: township } = await client.createLocality({ input: { city, level: sdk().LocalityLevel.TOWNSHIP, parentId: county.locality!.id, nameZh: `镇${name}` } });
    const { createLocality: village } = await client.createLocality({ input: { city, level: sdk().LocalityLevel.VILLAGE, parentId: township.locality!.id, nameZh: `村${name}` } });
    return { county: county.locality!, township: township.locality!, village: village.locality! };
  }

  /** Households of a new village of `city` converted to gas on `convertedOn`. */
  async function newConversion(client: Client, input: { city?: string; households?: number; projectId?: string | null; convertedOn?: string } = {}) {
    const { village } = await newVillage(client, input.city);
    const { createHouseholdConversion } = await client.createHouseholdConversion({
      input: { villageId: village.id, projectId: input.projectId ?? null, households: input.households ?? 50, newSystem: sdk().HeatingSystem.GAS, convertedOn: input.convertedOn ?? '2023-10-15' },
    });
    return createHouseholdConversion.householdConversion!;
  }

  /** An agricultural facility of `place.project`, still on coal. */
  async function newFacility(client: Client) {
    const { createAgriculturalCoalFacility } = await client.createAgriculturalCoalFacility({ input: { city: place.project, name: `温室 ${uniq()}`, kind: sdk().AgriculturalFacilityKind.GREENHOUSE } });
    return createAgriculturalCoalFacility.agriculturalCoalFacility!;
  }

  /** A ban zone of `place.project` of 88.5 km². */
  async function newFreightRecord(client: Client) {
    const { recordFreightMonth } = await client.recordFreightMonth({ input: { city: place.project, railway: `货运线 ${uniq()}`, month: '2023-11', tonnes: 3_215_400.5, source: '交通运输局月报' } });
    return recordFreightMonth.freightRecord!;
  }

  async function newBanZone(client: Client) {
    const { createBanZone } = await client.createBanZone({ input: { city: place.project, name: `禁燃区 ${uniq()}`, areaKm2: 88.5, designatedOn: '2023-10-01' } });
    return createBanZone.banZone!;
  }

  /** A BAN_ZONES submission of `place.keyProvince`, filed by a PROVINCE key of it. */
  async function newSubmission() {
    const key = await app.createKey({ role: 'PROVINCE', province: place.keyProvince });
    const provinceClient = sdk().createClient({ url: app.url, token: key.secret });
    const { fileSubmission } = await provinceClient.fileSubmission({ input: { province: place.keyProvince, kind: sdk().SubmissionKind.BAN_ZONES, campaign: CAMPAIGN } });
    return fileSubmission.submission!;
  }

  /**
   * One check per operation of the SDK, against values read from the database. The first test
   * fails when an operation has no check here.
   */
  const checks: Record<string, (client: Client) => Promise<void>> = {
    async regions(client) {
      const { regions } = await client.regions();
      const rows = await app.sql<{ code: string; name_en: string }>('select code, name_en from region order by id');
      expect(regions.totalCount).toBe(rows.length);
      expect(regions.nodes.map((r) => [r.code, r.nameEn])).toEqual(rows.map((r) => [r.code, r.name_en]));
      expect(regions.pageInfo.hasNextPage).toBe(false);
    },
    async region(client) {
      const { region } = await client.region({ code: sdk().RegionCode.FENWEI_PLAIN });
      expect(region?.code).toBe('FENWEI_PLAIN');
      expect(region?.cities.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`c.region_code = 'FENWEI_PLAIN'`));
    },
    async provinces(client) {
      const { provinces } = await client.provinces({ first: 3 });
      const rows = await app.sql<{ slug: string }>('select slug from province order by id');
      expect(provinces.totalCount).toBe(rows.length);
      expect(provinces.nodes.map((p) => p.slug)).toEqual(rows.slice(0, 3).map((r) => r.slug));
      expect(provinces.pageInfo.hasNextPage).toBe(rows.length > 3);
    },
    async province(client) {
      const { province } = await client.province({ slug: 'hebei' });
      const [row] = await app.sql<{ name_en: string; division_code: string }>(`select name_en, division_code from province where slug = 'hebei'`);
      expect(province).toMatchObject({ slug: 'hebei', nameEn: row.name_en, divisionCode: row.division_code });
      expect(province?.cities.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`p.slug = 'hebei'`));
    },
    async cities(client) {
      const { cities } = await client.cities({ filter: { province: 'shanxi' }, orderBy: { field: sdk().CityOrderField.SLUG, direction: sdk().SortDirection.DESC }, first: 5 });
      const expected = (await citiesInPlanOrder(`p.slug = 'shanxi'`)).sort().reverse();
      expect(cities.totalCount).toBe(expected.length);
      expect(cities.nodes.map((c) => c.slug)).toEqual(expected.slice(0, 5));
      expect(cities.nodes.every((c) => c.province.slug === 'shanxi')).toBe(true);
    },
    async city(client) {
      const { city } = await client.city({ slug: 'shijiazhuang' });
      const [row] = await app.sql<{ name_zh: string; kind: string; region_code: string }>(`select name_zh, kind, region_code from city where slug = 'shijiazhuang'`);
      expect(city).toMatchObject({ slug: 'shijiazhuang', nameEn: 'Shijiazhuang', nameZh: row.name_zh, kind: row.kind, regionCode: row.region_code, province: { slug: 'hebei' } });
    },
    async campaigns(client) {
      const { campaigns } = await client.campaigns();
      const rows = await app.sql<{ code: string }>('select code from campaign');
      expect(campaigns.totalCount).toBe(rows.length);
      expect(campaigns.nodes.map((c) => c.code).sort()).toEqual(rows.map((r) => r.code).sort());
    },
    async campaign(client) {
      const [row] = await app.sql<{ code: string; name_en: string; period_start: string; period_end: string; origin: string }>(
        `select code, name_en, to_char(period_start, 'YYYY-MM-DD') as period_start, to_char(period_end, 'YYYY-MM-DD') as period_end, origin from campaign order by id limit 1`,
      );
      const { campaign } = await client.campaign({ code: row.code });
      expect(campaign).toMatchObject({ code: row.code, nameEn: row.name_en, periodStart: row.period_start, periodEnd: row.period_end, origin: row.origin });
      expect((await client.campaign({ code: 'no-such-campaign' }).catch((e) => e)).constructor).toBe(sdk().NotFoundError);
    },
    async demoDataset(client) {
      const rows = await app.sql<{ name: string; seed: number }>(`select name, seed from dataset_seed where name like 'demo:%' order by seeded_at, name`);
      const { demoDataset } = await client.demoDataset();
      if (rows.length === 0) expect(demoDataset).toBeNull();
      else expect(demoDataset).toMatchObject({ seed: rows[0].seed, parts: rows.map((r) => r.name.slice(5)) });
    },
    async taskTargets(client) {
      const rows = await app.sql<{ code: string; quantity: string | null; breakdown: string }>(
        `select t.code, t.quantity, (select count(*) from task_target_breakdown b where b.task_target_id = t.id) as breakdown from task_target t`,
      );
      const { taskTargets } = await client.taskTargets({ first: 500 });
      expect(taskTargets.totalCount).toBe(rows.length);
      expect(taskTargets.nodes.map((t) => t.code).sort()).toEqual(rows.map((r) => r.code).sort());
      for (const t of taskTargets.nodes) {
        const row = rows.find((r) => r.code === t.code)!;
        expect(t.quantity).toBe(row.quantity === null ? null : Number(row.quantity));
        expect(t.breakdown).toHaveLength(Number(row.breakdown));
        expect(typeof t.progress.met).toBe('boolean');
      }
      const paged = await client.paginate.taskTargets({ first: 2 }).all();
      expect(paged.map((t) => t.code)).toEqual(taskTargets.nodes.map((t) => t.code));
    },
    async taskTarget(client) {
      const [row] = await app.sql<{ code: string; name_en: string; comparator: string; scope: string; deadline: string }>(
        `select code, name_en, comparator, scope, to_char(deadline, 'YYYY-MM-DD') as deadline from task_target order by id limit 1`,
      );
      const { taskTarget } = await client.taskTarget({ code: row.code });
      expect(taskTarget).toMatchObject({ code: row.code, nameEn: row.name_en, comparator: row.comparator, scope: row.scope, deadline: row.deadline });
    },

    // ----- enterprises and grade changes -----

    async enterprises(client) {
      await newEnterprise(client, { name: `测试钢铁有限公司 ${uniq()}`, industry: sdk().Industry.STEEL, size: sdk().EnterpriseSize.LARGE });
      await newEnterprise(client);
      await newEnterprise(client, { name: `测试水泥有限公司 ${uniq()}`, industry: sdk().Industry.CEMENT });
      const rows = await app.sql<{ id: number; industry: string }>(
        `select e.id, e.industry from enterprise e join city c on c.id = e.city_id where c.slug = ? order by e.name, e.id`,
        [place.enterprise],
      );
      const { enterprises } = await client.enterprises({ filter: { city: place.enterprise }, orderBy: { field: sdk().EnterpriseOrderField.NAME }, first: 2 });
      expect(enterprises.totalCount).toBe(rows.length);
      expect(enterprises.nodes.map((e) => e.id)).toEqual(rows.slice(0, 2).map((r) => String(r.id)));
      expect(enterprises.pageInfo.hasNextPage).toBe(rows.length > 2);
      expect(enterprises.nodes.every((e) => e.city.slug === place.enterprise)).toBe(true);

      const { enterprises: steel } = await client.enterprises({ filter: { city: place.enterprise, industries: [sdk().Industry.STEEL, sdk().Industry.CEMENT] } });
      expect(steel.nodes.map((e) => e.id).sort()).toEqual(rows.filter((r) => r.industry !== 'CHEMICAL').map((r) => String(r.id)).sort());
    },
    async enterprise(client) {
      const created = await newEnterprise(client, {
        industry: sdk().Industry.STEEL,
        size: sdk().EnterpriseSize.LARGE,
        keyDischarger: true,
        ultraLowEmissionStatus: sdk().UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED,
        positiveList: true,
      });
      const { enterprise } = await client.enterprise({ id: created.id });
      expect(enterprise).toEqual(created);
      const row = await enterpriseRow(created.id);
      expect(enterprise).toMatchObject({
        name: row.name,
        creditCode: row.credit_code,
        industry: row.industry,
        size: row.size,
        keyDischarger: row.key_discharger,
        ultraLowEmissionStatus: row.ultra_low_emission_status,
        positiveList: row.positive_list,
        currentGrade: row.current_grade,
        version: row.version,
        createdBy: row.created_by,
        city: { slug: row.city, province: { slug: place.enterprise === 'tangshan' ? 'hebei' : 'shandong' } },
      });
      expect(await client.enterprise({ id: '987654321' }).catch((e) => e)).toBeInstanceOf(sdk().NotFoundError);
    },
    async enterpriseByCreditCode(client) {
      const created = await newEnterprise(client);
      // Trimmed and upper-cased by the server.
      const { enterpriseByCreditCode } = await client.enterpriseByCreditCode({ creditCode: ` ${created.creditCode.toLowerCase()} ` });
      expect(enterpriseByCreditCode).toEqual(created);

      const last = created.creditCode.slice(-1);
      const wrongCheck = created.creditCode.slice(0, 17) + (last === '0' ? '1' : '0');
      const invalid = await client.enterpriseByCreditCode({ creditCode: wrongCheck }).catch((e) => e);
      expect(invalid).toBeInstanceOf(sdk().ValidationError);
      expect(invalid.fields).toEqual([{ path: ['creditCode'], code: 'INVALID', message: expect.stringContaining('check character') }]);
    },
    async gradeChanges(client) {
      const e = await newEnterprise(client);
      const decidedBy = `${tag} 生态环境局`;
      await client.recordGradeChange({ input: { enterpriseId: e.id, toGrade: sdk().PerformanceGrade.C, reason: sdk().GradeChangeReason.ASSESSMENT, decidedBy, decidedAt: '2023-10-10T02:00:00.000Z' } });
      const { recordGradeChange } = await client.recordGradeChange({
        input: { enterpriseId: e.id, toGrade: sdk().PerformanceGrade.B, reason: sdk().GradeChangeReason.UPGRADE_ON_IMPROVEMENT, decidedBy, decidedAt: '2023-12-01T02:00:00.000Z', note: 'VOCs treatment upgraded.' },
      });
      const { gradeChanges } = await client.gradeChanges({ filter: { enterpriseId: e.id } });
      const rows = await app.sql<{ id: number; from_grade: string | null; to_grade: string; reason: string }>(
        'select id, from_grade, to_grade, reason from grade_change where enterprise_id = ? order by id',
        [Number(e.id)],
      );
      expect(gradeChanges.totalCount).toBe(2);
      expect(byId(gradeChanges.nodes).map((g) => [g.id, g.fromGrade, g.toGrade, g.reason])).toEqual(rows.map((r) => [String(r.id), r.from_grade, r.to_grade, r.reason]));
      expect(gradeChanges.nodes).toContainEqual(recordGradeChange.gradeChange);

      const { gradeChanges: upgrades } = await client.gradeChanges({ filter: { city: place.enterprise, reasons: [sdk().GradeChangeReason.UPGRADE_ON_IMPROVEMENT], decidedFrom: '2023-11-01' } });
      const [upgradeCount] = await app.sql<{ n: number }>(
        `select count(*)::int as n from grade_change g join city c on c.id = g.city_id where c.slug = ? and g.reason = 'UPGRADE_ON_IMPROVEMENT' and g.decided_at >= '2023-11-01'`,
        [place.enterprise],
      );
      expect(upgrades.totalCount).toBe(upgradeCount.n);
      expect(upgrades.nodes.map((g) => g.id)).toContain(recordGradeChange.gradeChange!.id);
    },
    async createEnterprise(client) {
      const before = await count('enterprise');
      const code = creditCode('140100');
      const { createEnterprise } = await client.createEnterprise({
        input: {
          city: place.enterprise,
          name: `  测试焦化有限公司 ${tag} `,
          creditCode: code.toLowerCase(),
          industry: sdk().Industry.COKING,
          size: sdk().EnterpriseSize.LARGE,
          keyDischarger: true,
          onlineMonitoring: true,
          protectedClass: sdk().ProtectedClassStatus.NONE,
        },
      });
      expect(createEnterprise.userErrors).toEqual([]);
      const e = createEnterprise.enterprise!;
      expect(e).toMatchObject({
        name: `测试焦化有限公司 ${tag}`,
        creditCode: code,
        industry: 'COKING',
        size: 'LARGE',
        keyDischarger: true,
        onlineMonitoring: true,
        protectedClass: 'NONE',
        ultraLowEmissionStatus: 'NOT_STARTED',
        benchmark: false,
        positiveList: false,
        currentGrade: null,
        origin: 'RECORDED',
        version: 1,
        city: { slug: place.enterprise },
      });
      expect(await count('enterprise')).toBe(before + 1);
      expect(await enterpriseRow(e.id)).toMatchObject({
        name: e.name,
        credit_code: code,
        industry: 'COKING',
        protected_class: 'NONE',
        current_grade: null,
        origin: 'RECORDED',
        version: 1,
        created_by: e.createdBy,
        city: place.enterprise,
      });

      // The same code again: TAKEN, nothing written.
      const taken = await client.createEnterprise({ input: { city: place.enterprise, name: '另一家公司', creditCode: code, industry: sdk().Industry.GLASS, size: sdk().EnterpriseSize.SMALL } }).catch((err) => err);
      expect(taken).toBeInstanceOf(sdk().ValidationError);
      expect(taken.fields).toEqual([{ path: ['input', 'creditCode'], code: 'TAKEN', message: expect.any(String) }]);
      expect(await count('enterprise')).toBe(before + 1);
    },
    async updateEnterprise(client) {
      const e = await newEnterprise(client, { industry: sdk().Industry.STEEL, ultraLowEmissionStatus: sdk().UltraLowEmissionStatus.RETROFITTING });
      const { updateEnterprise } = await client.updateEnterprise({
        input: { id: e.id, version: 1, name: `${e.name}（更名）`, ultraLowEmissionStatus: sdk().UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED, onlineMonitoring: true },
      });
      const updated = updateEnterprise.enterprise!;
      expect(updated).toMatchObject({ id: e.id, creditCode: e.creditCode, name: `${e.name}（更名）`, ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED', onlineMonitoring: true, industry: 'STEEL', version: 2 });
      expect(await enterpriseRow(e.id)).toMatchObject({ name: updated.name, ultra_low_emission_status: 'ASSESSED_AND_PUBLICISED', online_monitoring: true, version: 2 });
      expect((await client.enterprise({ id: e.id })).enterprise).toEqual(updated);

      // A stale version: CONFLICT on input.version, nothing changed.
      const stale = await client.updateEnterprise({ input: { id: e.id, version: 1, size: sdk().EnterpriseSize.SMALL } }).catch((err) => err);
      expect(stale).toBeInstanceOf(sdk().ValidationError);
      expect(stale.fields).toEqual([{ path: ['input', 'version'], code: 'CONFLICT', message: expect.any(String) }]);
      expect(await enterpriseRow(e.id)).toMatchObject({ size: 'MEDIUM', version: 2 });
    },
    async recordProtectedClassStep(client) {
      const e = await newEnterprise(client, { industry: sdk().Industry.POWER });
      // This client holds a MINISTRY key: the city's consent is refused (its role), nothing written.
      const wrong = await client.recordProtectedClassStep({ input: { enterpriseId: e.id, step: sdk().ProtectedClassStep.CITY_CONSENT, decidedOn: '2023-09-01' } }, { throwOnUserErrors: false });
      expect(wrong.recordProtectedClassStep.userErrors).toEqual([expect.objectContaining({ field: ['input', 'step'], code: sdk().UserErrorCode.PROTECTED_STEP_ROLE })]);
      expect((await enterpriseRow(e.id)).protected_class).toBe('NONE');
      const cityKey = await app.createKey({ role: 'CITY', city: place.enterprise });
      const city = sdk().createClient({ url: app.url, token: cityKey.secret });
      const { recordProtectedClassStep } = await city.recordProtectedClassStep({ input: { enterpriseId: e.id, step: sdk().ProtectedClassStep.CITY_CONSENT, decidedOn: '2023-09-01' } });
      expect(recordProtectedClassStep.userErrors).toEqual([]);
      expect(recordProtectedClassStep.enterprise).toMatchObject({ id: e.id, protectedClass: 'CITY_CONSENTED', protectedCityConsentedOn: '2023-09-01', protectedCityConsentedBy: cityKey.actorId, protectedMinistryFiledOn: null });
      expect(await enterpriseRow(e.id)).toMatchObject({ protected_class: 'CITY_CONSENTED' });
    },
    async recordGradeChange(client) {
      const e = await newEnterprise(client, { industry: sdk().Industry.STEEL, ultraLowEmissionStatus: sdk().UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED });
      const decidedAt = '2023-11-03T01:30:00.000Z';
      const { recordGradeChange } = await client.recordGradeChange({
        input: { enterpriseId: e.id, toGrade: sdk().PerformanceGrade.A, reason: sdk().GradeChangeReason.ASSESSMENT, decidedBy: '河北省生态环境厅', decidedAt, note: '2023 assessment' },
      });
      expect(recordGradeChange.userErrors).toEqual([]);
      expect(recordGradeChange.gradeChange).toMatchObject({
        fromGrade: null,
        toGrade: 'A',
        reason: 'ASSESSMENT',
        decidedBy: '河北省生态环境厅',
        decidedAt,
        note: '2023 assessment',
        origin: 'RECORDED',
        enterprise: { id: e.id, creditCode: e.creditCode },
        city: { slug: place.enterprise },
      });
      const row = await enterpriseRow(e.id);
      expect(row.current_grade).toBe('A');
      expect(recordGradeChange.enterprise).toMatchObject({ id: e.id, currentGrade: 'A', version: row.version });
      const [change] = await app.sql<{ to_grade: string; decided_at: Date }>('select to_grade, decided_at from grade_change where id = ?', [Number(recordGradeChange.gradeChange!.id)]);
      expect(change.to_grade).toBe('A');
      expect(new Date(change.decided_at).toISOString()).toBe(decidedAt);

      // Falsified monitoring lowers the grade to D: anything else is refused, nothing written.
      const changes = await count('grade_change');
      const refused = await client.recordGradeChange(
        { input: { enterpriseId: e.id, toGrade: sdk().PerformanceGrade.C, reason: sdk().GradeChangeReason.FALSIFIED_MONITORING, decidedBy: '河北省生态环境厅' } },
        { throwOnUserErrors: false },
      );
      expect(refused.recordGradeChange.gradeChange).toBeNull();
      expect(refused.recordGradeChange.userErrors).toContainEqual({ field: ['input', 'toGrade'], code: sdk().UserErrorCode.NOT_ALLOWED, message: expect.any(String) });
      expect(await count('grade_change')).toBe(changes);
      expect((await enterpriseRow(e.id)).current_grade).toBe('A');
    },

    // ----- retrofit projects -----

    async retrofitProjects(client) {
      await newProject(client, { investmentYuan: 3_100_000 });
      await newProject(client, { investmentYuan: 2_700_000, type: sdk().ProjectType.CLEAN_HEATING_COAL_TO_GAS, households: 1200, units: 0 });
      await newProject(client, { investmentYuan: 800_000 });
      const rows = await app.sql<{ id: number; type: string }>(
        `select p.id, p.type from retrofit_project p join city c on c.id = p.city_id where c.slug = ? order by p.investment_yuan desc, p.id`,
        [place.project],
      );
      const { retrofitProjects } = await client.retrofitProjects({
        filter: { city: place.project },
        orderBy: { field: sdk().RetrofitProjectOrderField.INVESTMENT_YUAN, direction: sdk().SortDirection.DESC },
        first: 2,
      });
      expect(retrofitProjects.totalCount).toBe(rows.length);
      expect(retrofitProjects.nodes.map((p) => p.id)).toEqual(rows.slice(0, 2).map((r) => String(r.id)));
      expect(retrofitProjects.nodes.map((p) => p.investmentYuan)).toEqual([3_100_000, 2_700_000]);

      const { retrofitProjects: heating } = await client.retrofitProjects({ filter: { city: place.project, types: [sdk().ProjectType.CLEAN_HEATING_COAL_TO_GAS] } });
      expect(heating.nodes.map((p) => p.id)).toEqual(rows.filter((r) => r.type === 'CLEAN_HEATING_COAL_TO_GAS').map((r) => String(r.id)));
      expect(heating.nodes[0].households).toBe(1200);

      const all = await client.paginate.retrofitProjects({ filter: { city: place.project }, first: 1 }).all();
      expect(all.map((p) => p.id).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    },
    async retrofitProject(client) {
      const enterprise = await newEnterprise(client, { city: place.project, industry: sdk().Industry.HEATING_BOILER });
      const created = await newProject(client, {
        enterpriseId: enterprise.id,
        fundingSources: [
          { source: sdk().FundingSource.LOCAL_GOVERNMENT, amountYuan: 400_000 },
          { source: sdk().FundingSource.ENTERPRISE_SELF_FUNDED, amountYuan: 800_000 },
        ],
      });
      const { retrofitProject } = await client.retrofitProject({ id: created.id });
      expect(retrofitProject).toEqual(created);
      expect(retrofitProject).toMatchObject({ enterprise: { id: enterprise.id, name: enterprise.name }, city: { slug: place.project }, status: 'PLANNED', units: 3, investmentYuan: 1_200_000 });
      const funding = await app.sql<{ source: string; amount: number }>('select source, amount_yuan::float8 as amount from project_funding where project_id = ? order by source', [Number(created.id)]);
      expect(retrofitProject!.fundingSources.map((f) => [f.source, f.amountYuan]).sort()).toEqual(funding.map((f) => [f.source, f.amount]));
      expect(funding).toHaveLength(2);
      expect(await client.retrofitProject({ id: '987654321' }).catch((e) => e)).toBeInstanceOf(sdk().NotFoundError);
    },
    async createRetrofitProject(client) {
      const before = await count('retrofit_project');
      const p = await newProject(client, { status: sdk().ProjectStatus.IN_PROGRESS, actualStartDate: '2023-05-10' });
      expect(p).toMatchObject({ status: 'IN_PROGRESS', actualStartDate: '2023-05-10', actualEndDate: null, plannedStartDate: '2023-05-01', plannedEndDate: '2023-11-30', version: 1, origin: 'RECORDED', units: 3, investmentYuan: 1_200_000, households: 0, city: { slug: place.project }, enterprise: null, taskTarget: null, fundingSources: [] });
      expect(await count('retrofit_project')).toBe(before + 1);
      const row = await one(`select status, version, units, investment_yuan::float8 as investment, to_char(actual_start_date, 'YYYY-MM-DD') as actual_start from retrofit_project where id = ?`, [Number(p.id)]);
      expect(row).toEqual({ status: 'IN_PROGRESS', version: 1, units: 3, investment: 1_200_000, actual_start: '2023-05-10' });

      // IN_PROGRESS without its actual start date: REQUIRED, nothing written.
      const refused = await client.createRetrofitProject(
        { input: { city: place.project, name: '缺少开工日期的项目', type: sdk().ProjectType.BOILER_ELIMINATION, plannedStartDate: '2023-05-01', plannedEndDate: '2023-11-30', status: sdk().ProjectStatus.IN_PROGRESS } },
        { throwOnUserErrors: false },
      );
      expect(refused.createRetrofitProject.retrofitProject).toBeNull();
      expect(refused.createRetrofitProject.userErrors).toEqual([{ field: ['input', 'actualStartDate'], code: sdk().UserErrorCode.REQUIRED, message: expect.any(String) }]);
      expect(await count('retrofit_project')).toBe(before + 1);
    },
    async updateRetrofitProject(client) {
      const p = await newProject(client);
      expect(p).toMatchObject({ status: 'PLANNED', version: 1 });
      const started = (await client.updateRetrofitProject({ input: { id: p.id, version: 1, status: sdk().ProjectStatus.IN_PROGRESS, actualStartDate: '2023-05-08' } })).updateRetrofitProject.retrofitProject!;
      expect(started).toMatchObject({ id: p.id, status: 'IN_PROGRESS', actualStartDate: '2023-05-08', version: 2 });
      const done = (await client.updateRetrofitProject({ input: { id: p.id, version: 2, status: sdk().ProjectStatus.COMPLETED, actualEndDate: '2023-11-20', units: 4 } })).updateRetrofitProject.retrofitProject!;
      expect(done).toMatchObject({ id: p.id, status: 'COMPLETED', actualStartDate: '2023-05-08', actualEndDate: '2023-11-20', units: 4, version: 3 });
      const row = await one(`select status, version, units, to_char(actual_end_date, 'YYYY-MM-DD') as actual_end from retrofit_project where id = ?`, [Number(p.id)]);
      expect(row).toEqual({ status: 'COMPLETED', version: 3, units: 4, actual_end: '2023-11-20' });
      expect((await client.retrofitProject({ id: p.id })).retrofitProject).toEqual(done);

      // Skipping a step (PLANNED -> COMPLETED): INVALID_TRANSITION, nothing changed.
      const other = await newProject(client);
      const skipped = await client.updateRetrofitProject({ input: { id: other.id, status: sdk().ProjectStatus.COMPLETED, actualStartDate: '2023-05-08', actualEndDate: '2023-11-20' } }).catch((e) => e);
      expect(skipped).toBeInstanceOf(sdk().ValidationError);
      expect(skipped.fields).toContainEqual({ path: ['input', 'status'], code: 'INVALID_TRANSITION', message: expect.any(String) });
      expect(await one('select status, version from retrofit_project where id = ?', [Number(other.id)])).toEqual({ status: 'PLANNED', version: 1 });
    },

    // ----- subsidies -----

    async subsidyPrograms(client) {
      const a = await newProgram(client, 'CLEAN_HEATING_OPERATING', {});
      await newProgram(client, 'CENTRAL_AIR_POLLUTION_FUND', {});
      const rows = await app.sql<{ code: string; kind: string }>('select p.code, p.kind from subsidy_program p join campaign c on c.id = p.campaign_id where c.code = ?', [CAMPAIGN]);
      const { subsidyPrograms } = await client.subsidyPrograms({ filter: { campaign: CAMPAIGN }, first: 100 });
      expect(subsidyPrograms.totalCount).toBe(rows.length);
      expect(subsidyPrograms.nodes.map((p) => p.code).sort()).toEqual(rows.map((r) => r.code).sort());
      expect(subsidyPrograms.nodes.find((p) => p.id === a.id)).toEqual(a);

      const { subsidyPrograms: funds } = await client.subsidyPrograms({ filter: { campaign: CAMPAIGN, kinds: [sdk().SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND] } });
      expect(funds.nodes.map((p) => p.code).sort()).toEqual(rows.filter((r) => r.kind === 'CENTRAL_AIR_POLLUTION_FUND').map((r) => r.code).sort());

      const paged = await client.paginate.subsidyPrograms({ first: 1 }).all();
      expect(paged.length).toBe(await count('subsidy_program'));
    },
    async subsidyProgram(client) {
      const program = await newProgram(client, 'CLEAN_HEATING_OPERATING', { [place.subsidy]: 1_000_000, [place.subsidyOther]: 300_000 });
      await client.recordDisbursement({ input: { programId: program.id, city: place.subsidy, amount: 2400, approvedOn: '2023-11-15', paidOn: '2023-11-25', ...household(1) } });
      await client.recordDisbursement({ input: { programId: program.id, city: place.subsidy, amount: 3600.5, approvedOn: '2023-12-01', ...household(2) } });

      const { subsidyProgram } = await client.subsidyProgram({ id: program.id });
      expect(subsidyProgram).toMatchObject({ id: program.id, code: program.code, kind: 'CLEAN_HEATING_OPERATING', campaign: { code: CAMPAIGN } });
      // Totals by hand: two budgets, 2400 (paid after 10 days, not low-income) + 3600.50 (unpaid, low-income).
      expect(subsidyProgram!.totals).toEqual({
        budgetCount: 2,
        amount: 1_300_000,
        committedAmount: 6000.5,
        remainingAmount: 1_293_999.5,
        paidAmount: 2400,
        disbursementCount: 2,
        paidCount: 1,
        lowIncomeShare: expect.closeTo(3600.5 / 6000.5, 6),
        meanDaysToPayment: 10,
        medianDaysToPayment: 10,
      });
      const budgets = [...subsidyProgram!.budgets].sort((x, y) => y.amount - x.amount);
      expect(budgets.map((b) => [b.city.slug, b.amount, b.committedAmount, b.remainingAmount, b.disbursementCount])).toEqual([
        [place.subsidy, 1_000_000, 6000.5, 993_999.5, 2],
        [place.subsidyOther, 300_000, 0, 300_000, 0],
      ]);
      const dbBudgets = await app.sql<{ id: number }>('select id from subsidy_budget where program_id = ? order by amount_yuan desc', [Number(program.id)]);
      expect(budgets.map((b) => b.id)).toEqual(dbBudgets.map((b) => String(b.id)));

      const { subsidyProgram: filtered } = await client.subsidyProgram({ id: program.id, budgetFilter: { city: place.subsidyOther } });
      expect(filtered!.budgets.map((b) => b.city.slug)).toEqual([place.subsidyOther]);
      expect(await client.subsidyProgram({ id: '987654321' }).catch((e) => e)).toBeInstanceOf(sdk().NotFoundError);
    },
    async disbursements(client) {
      const enterprise = await newEnterprise(client, { city: place.subsidy });
      const program = await newProgram(client, 'CENTRAL_AIR_POLLUTION_FUND', { [place.subsidy]: 5_000_000 });
      const records: [number, string, string | null][] = [
        [1_000_000, '2023-10-20', '2023-11-10'],
        [250_000.75, '2023-11-02', null],
        [600_000, '2023-12-05', null],
      ];
      for (const [amount, approvedOn, paidOn] of records) {
        await client.recordDisbursement({ input: { programId: program.id, city: place.subsidy, recipientKind: sdk().RecipientKind.ENTERPRISE, enterpriseId: enterprise.id, amount, approvedOn, paidOn } });
      }
      const rows = await app.sql<{ id: number }>('select id from disbursement where program_id = ? order by amount_yuan desc', [Number(program.id)]);
      const { disbursements } = await client.disbursements({
        filter: { programId: program.id },
        orderBy: { field: sdk().DisbursementOrderField.AMOUNT, direction: sdk().SortDirection.DESC },
        first: 2,
      });
      expect(disbursements.totalCount).toBe(3);
      expect(disbursements.pageInfo.hasNextPage).toBe(true);
      expect(disbursements.nodes.map((d) => d.id)).toEqual(rows.slice(0, 2).map((r) => String(r.id)));
      expect(disbursements.nodes[0]).toMatchObject({
        amount: 1_000_000,
        recipientKind: 'ENTERPRISE',
        enterprise: { id: enterprise.id, creditCode: enterprise.creditCode },
        approvedOn: '2023-10-20',
        paidOn: '2023-11-10',
        daysToPayment: 21,
        householdName: null,
        program: { id: program.id, code: program.code },
        city: { slug: place.subsidy },
      });

      const { disbursements: unpaid } = await client.disbursements({ filter: { programId: program.id, paid: false } });
      expect(unpaid.nodes.map((d) => d.amount).sort((x, y) => x - y)).toEqual([250_000.75, 600_000]);
      const all = await client.paginate.disbursements({ filter: { programId: program.id }, first: 1 }).all();
      expect(all.map((d) => d.id).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    },
    async createSubsidyProgram(client) {
      const before = await count('subsidy_program');
      const code = `sdk-${uniq()}-equipment`;
      const input = {
        campaign: CAMPAIGN,
        code,
        kind: sdk().SubsidyProgramKind.CLEAN_HEATING_EQUIPMENT,
        nameZh: '清洁取暖设备购置补贴',
        nameEn: 'Clean heating equipment grants',
        description: 'One-off grants toward heat pumps and gas wall-hung boilers.',
      };
      const { createSubsidyProgram } = await client.createSubsidyProgram({ input });
      const program = createSubsidyProgram.subsidyProgram!;
      expect(program).toMatchObject({
        code,
        kind: 'CLEAN_HEATING_EQUIPMENT',
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        description: input.description,
        origin: 'RECORDED',
        campaign: { code: CAMPAIGN },
        totals: { budgetCount: 0, amount: 0, committedAmount: 0, disbursementCount: 0, lowIncomeShare: null, meanDaysToPayment: null },
      });
      expect(await count('subsidy_program')).toBe(before + 1);
      expect(await one('select code, kind, name_en, origin from subsidy_program where id = ?', [Number(program.id)])).toEqual({ code, kind: 'CLEAN_HEATING_EQUIPMENT', name_en: input.nameEn, origin: 'RECORDED' });

      const taken = await client.createSubsidyProgram({ input }).catch((e) => e);
      expect(taken).toBeInstanceOf(sdk().ValidationError);
      expect(taken.fields).toEqual([{ path: ['input', 'code'], code: 'TAKEN', message: expect.any(String) }]);
      expect(await count('subsidy_program')).toBe(before + 1);
    },
    async setSubsidyBudget(client) {
      const program = await newProgram(client, 'CLEAN_HEATING_OPERATING', {});
      const { setSubsidyBudget: first } = await client.setSubsidyBudget({ input: { programId: program.id, city: place.subsidy, amount: 800_000 } });
      expect(first.subsidyBudget).toMatchObject({ amount: 800_000, committedAmount: 0, remainingAmount: 800_000, disbursementCount: 0, version: 1, origin: 'RECORDED', program: { id: program.id }, city: { slug: place.subsidy } });
      await client.recordDisbursement({ input: { programId: program.id, city: place.subsidy, amount: 5000, approvedOn: '2023-11-20', ...household(3) } });

      const { setSubsidyBudget: second } = await client.setSubsidyBudget({ input: { programId: program.id, city: place.subsidy, amount: 750_000.25 } });
      expect(second.subsidyBudget).toMatchObject({ id: first.subsidyBudget!.id, amount: 750_000.25, committedAmount: 5000, remainingAmount: 745_000.25, disbursementCount: 1, version: 2 });
      const row = () => one('select amount_yuan::text as amount, version from subsidy_budget where id = ?', [Number(first.subsidyBudget!.id)]);
      expect(await row()).toEqual({ amount: '750000.25', version: 2 });

      // Below what is committed: BUDGET_EXCEEDED on input.amount, nothing changed.
      const below = await client.setSubsidyBudget({ input: { programId: program.id, city: place.subsidy, amount: 4999.99 } }).catch((e) => e);
      expect(below).toBeInstanceOf(sdk().ValidationError);
      expect(below.fields).toEqual([{ path: ['input', 'amount'], code: 'BUDGET_EXCEEDED', message: expect.any(String) }]);
      expect(await row()).toEqual({ amount: '750000.25', version: 2 });
    },
    async recordDisbursement(client) {
      const program = await newProgram(client, 'CLEAN_HEATING_OPERATING', { [place.subsidy]: 10_000 });
      const before = await count('disbursement');
      const h = household(4);
      const { recordDisbursement } = await client.recordDisbursement({
        input: { programId: program.id, city: place.subsidy, amount: 2400, approvedOn: '2023-11-15', note: '2023-2024 heating season', ...h },
      });
      const d = recordDisbursement.disbursement!;
      expect(d).toMatchObject({
        amount: 2400,
        recipientKind: 'HOUSEHOLD',
        householdName: h.householdName,
        householdIdNumber: h.householdIdNumber,
        lowIncome: true,
        approvedOn: '2023-11-15',
        paidOn: null,
        daysToPayment: null,
        note: '2023-2024 heating season',
        origin: 'RECORDED',
        enterprise: null,
        program: { id: program.id },
        city: { slug: place.subsidy },
      });
      expect(await count('disbursement')).toBe(before + 1);
      expect(await one(`select amount_yuan::text as amount, household_id_number, low_income, to_char(approved_on, 'YYYY-MM-DD') as approved_on from disbursement where id = ?`, [Number(d.id)])).toEqual({
        amount: '2400.00',
        household_id_number: h.householdIdNumber,
        low_income: true,
        approved_on: '2023-11-15',
      });

      // More than the 7600 yuan left: BUDGET_EXCEEDED, nothing written.
      const over = await client.recordDisbursement({ input: { programId: program.id, city: place.subsidy, amount: 7600.01, approvedOn: '2023-11-16', ...household(5) } }, { throwOnUserErrors: false });
      expect(over.recordDisbursement.disbursement).toBeNull();
      expect(over.recordDisbursement.userErrors).toEqual([{ field: ['input', 'amount'], code: sdk().UserErrorCode.BUDGET_EXCEEDED, message: expect.any(String) }]);
      expect(await count('disbursement')).toBe(before + 1);
    },
    async markDisbursementPaid(client) {
      const enterprise = await newEnterprise(client, { city: place.subsidy });
      const program = await newProgram(client, 'LOCAL_AIR_POLLUTION_FUND', { [place.subsidy]: 2_000_000 });
      const { recordDisbursement } = await client.recordDisbursement({
        input: { programId: program.id, city: place.subsidy, amount: 350_000, approvedOn: '2023-12-01', recipientKind: sdk().RecipientKind.ENTERPRISE, enterpriseId: enterprise.id },
      });
      const d = recordDisbursement.disbursement!;
      expect(d.paidOn).toBeNull();
      const { markDisbursementPaid } = await client.markDisbursementPaid({ input: { id: d.id, paidOn: '2023-12-29' } });
      const paid = markDisbursementPaid.disbursement!;
      expect(paid).toMatchObject({ id: d.id, paidOn: '2023-12-29', daysToPayment: 28, amount: 350_000, enterprise: { id: enterprise.id } });
      expect(await one(`select to_char(paid_on, 'YYYY-MM-DD') as paid_on from disbursement where id = ?`, [Number(d.id)])).toEqual({ paid_on: '2023-12-29' });
      const { disbursements } = await client.disbursements({ filter: { programId: program.id, paid: true } });
      expect(disbursements.nodes).toEqual([paid]);

      // Paid once only: NOT_ALLOWED on input.id, the payment date is kept.
      const again = await client.markDisbursementPaid({ input: { id: d.id, paidOn: '2024-01-05' } }).catch((e) => e);
      expect(again).toBeInstanceOf(sdk().ValidationError);
      expect(again.fields).toEqual([{ path: ['input', 'id'], code: 'NOT_ALLOWED', message: expect.any(String) }]);
      expect(await one(`select to_char(paid_on, 'YYYY-MM-DD') as paid_on from disbursement where id = ?`, [Number(d.id)])).toEqual({ paid_on: '2023-12-29' });
    },

    // ----- air quality -----

    async airQualityObservations(client) {
      const values: [string, number][] = [
        ['2023-11-01', 55],
        ['2023-11-02', 160],
        ['2023-11-03', 98],
        ['2023-11-04', 31],
      ];
      await client.recordAirQualityObservations({ input: { observations: values.map(([observedOn, pm25]) => ({ city: place.list, observedOn, pm25 })) } });
      await client.recordAirQualityObservation({ input: { city: place.list, observedOn: '2023-11-02', stationCode: 'S0001', pm25: 171 } });
      const rows = await app.sql<{ day: string; pm25: number }>(
        `select to_char(o.observed_on, 'YYYY-MM-DD') as day, o.pm25::float8 as pm25 from air_quality_observation o join city c on c.id = o.city_id
          where c.slug = ? and o.station_code is null order by o.pm25 desc`,
        [place.list],
      );
      expect(rows).toHaveLength(4);
      const { airQualityObservations } = await client.airQualityObservations({
        filter: { city: place.list },
        orderBy: { field: sdk().AirQualityObservationOrderField.PM25, direction: sdk().SortDirection.DESC },
        first: 3,
      });
      // City-wide means by default: the station's value is not among them.
      expect(airQualityObservations.totalCount).toBe(4);
      expect(airQualityObservations.nodes.map((o) => [o.observedOn, o.pm25])).toEqual(rows.slice(0, 3).map((r) => [r.day, r.pm25]));
      expect(airQualityObservations.nodes.every((o) => o.stationCode === null && o.city.slug === place.list)).toBe(true);

      const { airQualityObservations: heavy } = await client.airQualityObservations({ filter: { city: place.list, heavyPollutionOnly: true } });
      expect(heavy.nodes.map((o) => [o.observedOn, o.heavyPollution])).toEqual([['2023-11-02', true]]);
      const { airQualityObservations: station } = await client.airQualityObservations({ filter: { city: place.list, stationCode: 'S0001' } });
      expect(station.nodes.map((o) => [o.stationCode, o.pm25])).toEqual([['S0001', 171]]);

      const range = await client.paginate.airQualityObservations({ filter: { city: place.list, from: '2023-11-02', to: '2023-11-04' }, first: 2 }).all();
      expect(range.map((o) => o.observedOn)).toEqual(['2023-11-02', '2023-11-03', '2023-11-04']);
    },
    async recordAirQualityObservation(client) {
      const before = await count('air_quality_observation');
      const input = { city: place.observation, observedOn: '2023-12-20', pm25: 182, pm10: 240, no2: 68, so2: 12, co: 1.6, o3: 20, aqi: 232 };
      const { recordAirQualityObservation } = await client.recordAirQualityObservation({ input });
      const o = recordAirQualityObservation.airQualityObservation!;
      const { city: _city, ...values } = input;
      expect(o).toMatchObject({ ...values, stationCode: null, heavyPollution: true, origin: 'RECORDED', city: { slug: place.observation } });
      expect(await count('air_quality_observation')).toBe(before + 1);

      // Recording the same city and day again is a correction: same row, every value replaced.
      const { recordAirQualityObservation: corrected } = await client.recordAirQualityObservation({ input: { city: place.observation, observedOn: '2023-12-20', pm25: 96, aqi: 127 } });
      expect(corrected.airQualityObservation).toMatchObject({ id: o.id, pm25: 96, aqi: 127, pm10: null, co: null, heavyPollution: false });
      expect(await count('air_quality_observation')).toBe(before + 1);
      expect(await one('select pm25::float8 as pm25, aqi, pm10 from air_quality_observation where id = ?', [Number(o.id)])).toEqual({ pm25: 96, aqi: 127, pm10: null });

      // A future day: INVALID_DATE on input.observedOn, nothing written.
      const future = await client.recordAirQualityObservation({ input: { city: place.observation, observedOn: '2999-01-01', pm25: 30 } }).catch((e) => e);
      expect(future).toBeInstanceOf(sdk().ValidationError);
      expect(future.fields).toEqual([{ path: ['input', 'observedOn'], code: 'INVALID_DATE', message: expect.any(String) }]);
      expect(await count('air_quality_observation')).toBe(before + 1);
    },
    async recordAirQualityObservations(client) {
      const cityRows = () => app.sql<{ day: string; pm25: number }>(
        `select to_char(o.observed_on, 'YYYY-MM-DD') as day, o.pm25::float8 as pm25 from air_quality_observation o join city c on c.id = o.city_id where c.slug = ? order by o.observed_on`,
        [place.batch],
      );
      const observations = ['2024-01-05', '2024-01-06', '2024-01-07'].map((observedOn, i) => ({ city: place.batch, observedOn, pm25: 40 + 30 * i, aqi: 57 + 40 * i }));
      const { recordAirQualityObservations: first } = await client.recordAirQualityObservations({ input: { observations } });
      expect(first).toMatchObject({ insertedCount: 3, replacedCount: 0, userErrors: [] });
      expect(first.airQualityObservations!.map((o) => [o.observedOn, o.pm25, o.aqi]).sort()).toEqual(observations.map((o) => [o.observedOn, o.pm25, o.aqi]));
      expect(await cityRows()).toEqual([
        { day: '2024-01-05', pm25: 40 },
        { day: '2024-01-06', pm25: 70 },
        { day: '2024-01-07', pm25: 100 },
      ]);

      // One correction and one new day.
      const { recordAirQualityObservations: second } = await client.recordAirQualityObservations({
        input: { observations: [{ city: place.batch, observedOn: '2024-01-07', pm25: 104 }, { city: place.batch, observedOn: '2024-01-08', pm25: 151 }] },
      });
      expect(second).toMatchObject({ insertedCount: 1, replacedCount: 1 });
      expect(second.airQualityObservations!.find((o) => o.observedOn === '2024-01-08')).toMatchObject({ pm25: 151, heavyPollution: true });

      // All or nothing: one bad item writes nothing; its path names the item.
      const before = await cityRows();
      const bad = await client
        .recordAirQualityObservations({ input: { observations: [{ city: place.batch, observedOn: '2024-01-09', pm25: 35 }, { city: place.batch, observedOn: '2024-01-10', pm25: -5 }] } })
        .catch((e) => e);
      expect(bad).toBeInstanceOf(sdk().ValidationError);
      expect(bad.fields).toEqual([{ path: ['input', 'observations', '1', 'pm25'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await cityRows()).toEqual(before);
    },
    async outcomeTargets(client) {
      // Three city-wide days in the campaign period, one after it and a station's value (neither counts).
      await client.recordAirQualityObservations({
        input: {
          observations: [
            { city: place.targets, observedOn: '2023-12-01', pm25: 80, aqi: 106 },
            { city: place.targets, observedOn: '2023-12-02', pm25: 160, aqi: 210 },
            { city: place.targets, observedOn: '2023-12-03', pm25: 45, aqi: 63 },
            { city: place.targets, observedOn: '2024-04-02', pm25: 300, aqi: 350 },
            { city: place.targets, observedOn: '2023-12-03', stationCode: 'S0002', pm25: 200 },
          ],
        },
      });
      await client.setOutcomeTarget({ input: { campaign: CAMPAIGN, city: place.targets, pm25Target: 90, heavyDaysTarget: 0 } });
      const { outcomeTargets } = await client.outcomeTargets({ filter: { campaign: CAMPAIGN, city: place.targets } });
      expect(outcomeTargets.totalCount).toBe(1);
      const [target] = outcomeTargets.nodes;
      expect(target).toMatchObject({ pm25Target: 90, heavyDaysTarget: 0, annualPm25Target: null, campaign: { code: CAMPAIGN }, city: { slug: place.targets } });
      // By hand: mean (80 + 160 + 45) / 3 = 95, but 3 of 183 days are too few to judge the PM2.5
      // target (27 a month, GB 3095-2012); one heavy day (160 > 150) > 0 is a miss all the same.
      expect(target.attainment).toMatchObject({
        periodDays: 183,
        observedDays: 3,
        pm25Mean: expect.closeTo(95, 6),
        pm25Target: 90,
        pm25Met: null,
        pm25Status: sdk().AttainmentStatus.INSUFFICIENT_DATA,
        heavyPollutionDays: 1,
        heavyDaysTarget: 0,
        heavyDaysMet: false,
        heavyDaysStatus: sdk().AttainmentStatus.NOT_MET,
        coverage: { from: '2023-10-01', to: '2024-03-31', expectedCount: 183, observedCount: 3, requiredCount: 160, complete: false },
        annual: { year: 2023, pm25Target: null, status: sdk().AttainmentStatus.NO_TARGET, met: null, coverage: { expectedCount: 365, observedCount: 3, requiredCount: 324, complete: false } },
      });
      expect(target.attainment.coverage.months.map((m) => [m.month, m.observedCount, m.requiredCount])).toEqual([
        ['2023-10', 0, 27], ['2023-11', 0, 27], ['2023-12', 3, 27], ['2024-01', 0, 27], ['2024-02', 0, 25], ['2024-03', 0, 27],
      ]);

      const rows = await app.sql<{ slug: string }>('select c.slug from outcome_target t join city c on c.id = t.city_id order by t.pm25_target, t.id');
      const all = await client.paginate.outcomeTargets({ orderBy: { field: sdk().OutcomeTargetOrderField.PM25_TARGET }, first: 1 }).all();
      expect(all.map((t) => t.city.slug)).toEqual(rows.map((r) => r.slug));
    },
    async setOutcomeTarget(client) {
      const before = await count('outcome_target');
      const { setOutcomeTarget } = await client.setOutcomeTarget({ input: { campaign: CAMPAIGN, city: place.target, pm25Target: 62, heavyDaysTarget: 9, annualPm25Target: 45 } });
      const target = setOutcomeTarget.outcomeTarget!;
      expect(target).toMatchObject({
        pm25Target: 62,
        heavyDaysTarget: 9,
        annualPm25Target: 45,
        version: 1,
        origin: 'RECORDED',
        campaign: { code: CAMPAIGN },
        city: { slug: place.target },
        attainment: { periodDays: 183, observedDays: 0, pm25Mean: null, pm25Met: null, heavyPollutionDays: 0, pm25Target: 62, heavyDaysTarget: 9, heavyDaysMet: null },
      });
      expect(await count('outcome_target')).toBe(before + 1);

      // Setting it again replaces it and increments the version.
      const { setOutcomeTarget: again } = await client.setOutcomeTarget({ input: { campaign: CAMPAIGN, city: place.target, pm25Target: 58.5, heavyDaysTarget: 7 } });
      expect(again.outcomeTarget).toMatchObject({ id: target.id, pm25Target: 58.5, heavyDaysTarget: 7, annualPm25Target: null, version: 2 });
      const row = () => one('select pm25_target::float8 as pm25, heavy_days_target as heavy, version from outcome_target where id = ?', [Number(target.id)]);
      expect(await row()).toEqual({ pm25: 58.5, heavy: 7, version: 2 });
      expect(await count('outcome_target')).toBe(before + 1);

      // More heavy days than the 183 days of the period: OUT_OF_RANGE, nothing changed.
      const refused = await client.setOutcomeTarget({ input: { campaign: CAMPAIGN, city: place.target, pm25Target: 58.5, heavyDaysTarget: 200 } }).catch((e) => e);
      expect(refused).toBeInstanceOf(sdk().ValidationError);
      expect(refused.fields).toEqual([{ path: ['input', 'heavyDaysTarget'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await row()).toEqual({ pm25: 58.5, heavy: 7, version: 2 });
    },

    // ----- reports -----

    async report(client) {
      // City-wide observations of a city of the build's own, and one station's value (left out).
      await client.recordAirQualityObservations({
        input: {
          observations: [
            { city: place.report, observedOn: '2023-11-03', pm25: 60, aqi: 82 },
            { city: place.report, observedOn: '2023-11-04', pm25: 170, aqi: 220 },
            { city: place.report, observedOn: '2023-12-01', pm25: 90, aqi: 210 },
            { city: place.report, observedOn: '2023-11-03', stationCode: 'S0009', pm25: 300 },
          ],
        },
      });
      const { report } = await client.report({
        input: {
          subject: sdk().ReportSubject.OBSERVATIONS,
          dimensions: [sdk().ReportDimension.MONTH],
          filter: { city: place.report },
          measures: [
            { measure: sdk().ReportMeasure.COUNT },
            { measure: sdk().ReportMeasure.PM25 },
            { measure: sdk().ReportMeasure.PM25, aggregation: sdk().ReportAggregation.MAX },
            { measure: sdk().ReportMeasure.HEAVY_DAYS },
          ],
        },
      });
      expect(report).toMatchObject({ subject: 'OBSERVATIONS', dimensions: ['MONTH'] });
      expect(report.columns.map((c) => [c.measure, c.aggregation, c.filtered])).toEqual([
        ['COUNT', 'COUNT', false],
        ['PM25', 'AVG', false],
        ['PM25', 'MAX', false],
        ['HEAVY_DAYS', 'SUM', false],
      ]);
      // The same figures by plain SQL (a heavy day: PM2.5 above 150 or AQI above 200).
      const sqlRows = await app.sql<{ month: string | null; n: number; mean: number; max: number; heavy: number }>(
        `select to_char(o.observed_on, 'YYYY-MM') as month, count(*)::int as n, avg(o.pm25)::float8 as mean, max(o.pm25)::float8 as max,
                count(*) filter (where o.pm25 > 150 or o.aqi > 200)::int as heavy
           from air_quality_observation o join city c on c.id = o.city_id
          where c.slug = ? and o.station_code is null
          group by rollup (1) order by 1 nulls last`,
        [place.report],
      );
      const keyed = (rows: readonly { keys: readonly { isTotal: boolean; value: string | null }[]; values: readonly (number | null)[] }[]) =>
        rows.map((r) => [r.keys.map((k) => (k.isTotal ? '*' : k.value)).join('|'), ...r.values.map((v) => (v === null ? null : Math.round(v * 1e6) / 1e6))]);
      expect(keyed(report.rows)).toEqual(sqlRows.map((r) => [r.month ?? '*', r.n, Math.round(r.mean * 1e6) / 1e6, r.max, r.heavy]));
      // By hand: November 60 and 170 (one heavy day), December 90 (heavy by its AQI of 210).
      expect(keyed(report.rows)).toEqual([
        ['2023-11', 2, 115, 170, 1],
        ['2023-12', 1, 90, 90, 1],
        ['*', 3, Math.round((320 / 3) * 1e6) / 1e6, 170, 2],
      ]);
      expect(report.rows.map((r) => r.kind)).toEqual(['DETAIL', 'DETAIL', 'GRAND_TOTAL']);
      expect(report.grandTotal).toEqual(report.rows[2]);
      expect(report.grandTotal).toMatchObject({ kind: 'GRAND_TOTAL', level: 0, keys: [{ dimension: 'MONTH', isTotal: true, value: null }] });

      // Enterprises of the whole ledger by province, against a GROUP BY ROLLUP.
      const { report: enterprises } = await client.report({
        input: { subject: sdk().ReportSubject.ENTERPRISES, dimensions: [sdk().ReportDimension.PROVINCE], measures: [{ measure: sdk().ReportMeasure.COUNT, name: 'enterprises' }] },
      });
      expect(enterprises.columns.map((c) => c.name)).toEqual(['enterprises']);
      const byProvince = await app.sql<{ slug: string | null; n: number }>(
        `select p.slug, count(*)::int as n from enterprise e join city c on c.id = e.city_id join province p on p.id = c.province_id group by rollup (p.slug)`,
      );
      expect(new Map(keyed(enterprises.rows).map(([k, n]) => [k, n]))).toEqual(new Map(byProvince.map((r) => [r.slug ?? '*', r.n])));
      const hebei = enterprises.rows.find((r) => r.keys[0].value === 'hebei');
      expect(hebei?.keys[0]).toMatchObject({ dimension: 'PROVINCE', isTotal: false, label: 'Hebei' });

      // A dimension the subject does not have: ValidationError naming it.
      const bad = await client
        .report({ input: { subject: sdk().ReportSubject.OBSERVATIONS, dimensions: [sdk().ReportDimension.INDUSTRY], measures: [{ measure: sdk().ReportMeasure.COUNT }] } })
        .catch((e) => e);
      expect(bad).toBeInstanceOf(sdk().ValidationError);
      expect(bad.field).toBe('input.dimensions.0');
    },
    async campaignScorecards(client) {
      const city = place.scorecard;
      // Outcomes: three city-wide days of the campaign (80, 160, 45: mean 95, one heavy day), one
      // after it and a station's value (neither counts); targets 100 and one heavy day: both met.
      await client.recordAirQualityObservations({
        input: {
          observations: [
            { city, observedOn: '2023-12-05', pm25: 80, aqi: 105 },
            { city, observedOn: '2023-12-06', pm25: 160, aqi: 210 },
            { city, observedOn: '2023-12-07', pm25: 45, aqi: 63 },
            { city, observedOn: '2024-04-05', pm25: 300, aqi: 350 },
            { city, observedOn: '2023-12-05', stationCode: 'S0003', pm25: 250 },
          ],
        },
      });
      await client.setOutcomeTarget({ input: { campaign: CAMPAIGN, city, pm25Target: 100, heavyDaysTarget: 1 } });
      // Subsidies: a budget of 10,000; 1,000 (low-income) paid after 10 days, 3,000 paid after 30, 2,000 (low-income) not yet paid.
      const program = await newProgram(client, 'CLEAN_HEATING_OPERATING', { [city]: 10_000 });
      for (const [n, amount, approvedOn, paidOn] of [
        [10, 1000, '2023-11-01', '2023-11-11'],
        [11, 3000, '2023-11-05', '2023-12-05'],
        [12, 2000, '2023-12-01', null],
      ] as const) {
        await client.recordDisbursement({ input: { programId: program.id, city, amount, approvedOn, paidOn, ...household(n) } });
      }
      // Grades: one enterprise graded A, one ungraded.
      const graded = await newEnterprise(client, { city, industry: sdk().Industry.STEEL, ultraLowEmissionStatus: sdk().UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED });
      await client.recordGradeChange({ input: { enterpriseId: graded.id, toGrade: sdk().PerformanceGrade.A, reason: sdk().GradeChangeReason.ASSESSMENT, decidedBy: '生态环境局', decidedAt: '2023-11-03T01:30:00.000Z' } });
      await newEnterprise(client, { city });
      // Task targets: 450 households converted by the deadline (2023-11-15) count; 100 converted after it do not.
      for (const [households, end] of [
        [450, '2023-10-20'],
        [100, '2023-12-01'],
      ] as const) {
        const p = await newProject(client, {
          city,
          type: sdk().ProjectType.CLEAN_HEATING_COAL_TO_GAS,
          taskTarget: 'COAL_HOUSEHOLDS',
          status: sdk().ProjectStatus.COMPLETED,
          actualStartDate: '2023-05-02',
          actualEndDate: end,
          households,
          units: 0,
        });
        // The households on the village conversion list, in use before the city's heating season.
        await newConversion(client, { city, households, projectId: p.id, convertedOn: '2023-10-15' });
      }

      const { campaignScorecards } = await client.campaignScorecards({ level: sdk().ScorecardLevel.CITY, campaign: CAMPAIGN, filter: { city } });
      expect(campaignScorecards).toHaveLength(1);
      const [card] = campaignScorecards;
      expect(card).toMatchObject({ level: 'CITY', key: city, campaign: { code: CAMPAIGN }, city: { slug: city } });

      // Attainment, by hand and by plain SQL over the campaign period (2023-10-01 to 2024-03-31).
      const obs = await one<{ n: number; mean: number; heavy: number }>(
        `select count(*)::int as n, avg(o.pm25)::float8 as mean, count(*) filter (where o.pm25 > 150 or o.aqi > 200)::int as heavy
           from air_quality_observation o join city c on c.id = o.city_id
          where c.slug = ? and o.station_code is null and o.observed_on between '2023-10-01' and '2024-03-31'`,
        [city],
      );
      expect(obs).toEqual({ n: 3, mean: 95, heavy: 1 });
      expect(card.attainment).toEqual({
        cityCount: 1,
        periodDays: 183,
        observedDays: obs.n,
        pm25Mean: expect.closeTo(obs.mean, 6),
        pm25Target: 100,
        // 3 of 183 days: too few to judge either target (GB 3095-2012 validity), so not assessed.
        pm25Met: null,
        citiesMeetingPm25: 0,
        citiesAssessedPm25: 0,
        heavyPollutionDays: obs.heavy,
        heavyDaysTarget: 1,
        heavyDaysMet: null,
        citiesMeetingHeavyDays: 0,
      });

      // Subsidies, by hand and by plain SQL.
      const sub = await one<{ budget: number; committed: number; paid: number; n: number; paid_n: number; low: number; low_paid: number; households: number; households_paid: number }>(
        `select (select sum(b.amount_yuan) from subsidy_budget b join city c on c.id = b.city_id where c.slug = ?)::float8 as budget,
                sum(d.amount_yuan)::float8 as committed,
                coalesce(sum(d.amount_yuan) filter (where d.paid_on is not null), 0)::float8 as paid,
                count(*)::int as n, count(d.paid_on)::int as paid_n,
                sum(d.amount_yuan) filter (where d.low_income)::float8 as low,
                sum(d.amount_yuan) filter (where d.low_income and d.paid_on is not null)::float8 as low_paid,
                sum(d.amount_yuan) filter (where d.recipient_kind = 'HOUSEHOLD')::float8 as households,
                sum(d.amount_yuan) filter (where d.recipient_kind = 'HOUSEHOLD' and d.paid_on is not null)::float8 as households_paid
           from disbursement d join city c on c.id = d.city_id where c.slug = ?`,
        [city, city],
      );
      expect(card.subsidies).toEqual({
        budgetAmount: sub.budget,
        committedAmount: sub.committed,
        paidAmount: sub.paid,
        paymentRate: expect.closeTo(sub.paid / sub.budget, 9),
        disbursementCount: sub.n,
        paidCount: sub.paid_n,
        medianDaysToPayment: 20,
        lowIncomePaidShare: expect.closeTo(sub.low_paid / sub.households_paid, 9),
        lowIncomeShare: expect.closeTo(sub.low / sub.households, 9),
      });
      expect(card.subsidies).toMatchObject({ budgetAmount: 10_000, committedAmount: 6000, paidAmount: 4000, paymentRate: 0.4, disbursementCount: 3, paidCount: 2, lowIncomePaidShare: 0.25, lowIncomeShare: 0.5 });

      // Grades: every grade in order, then the ungraded, against a GROUP BY.
      const grades = new Map(
        (await app.sql<{ grade: string | null; n: number }>(`select e.current_grade as grade, count(*)::int as n from enterprise e join city c on c.id = e.city_id where c.slug = ? group by 1`, [city])).map((r) => [r.grade, r.n]),
      );
      expect(card.grades).toEqual(['LEADING', 'A', 'B', 'C', 'D', null].map((grade) => ({ grade, count: grades.get(grade) ?? 0 })));
      expect(card.grades.filter((g) => g.count > 0)).toEqual([{ grade: 'A', count: 1 }, { grade: null, count: 1 }]);

      // Task targets (COAL_HOUSEHOLDS applies to Beijing, Shanxi, Shandong and Henan): only the project completed by the deadline counts.
      const coal = card.taskTargets.find((t) => t.taskTarget.code === 'COAL_HOUSEHOLDS');
      const counting = await one<{ households: number; n: number }>(
        `select coalesce(sum((select sum(hc.households) from household_conversion hc join heating_season hs on hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id
                                where hc.project_id = p.id and hc.converted_on <= hs.starts_on and hc.converted_on > hs.starts_on - 365)), 0)::int as households, count(*)::int as n
           from retrofit_project p join city c on c.id = p.city_id join task_target t on t.id = p.task_target_id
          where c.slug = ? and t.code = 'COAL_HOUSEHOLDS' and p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline`,
        [city],
      );
      expect(counting).toEqual({ households: 450, n: 1 });
      expect(coal).toMatchObject({ achieved: counting.households, countedProjects: counting.n, taskTarget: { code: 'COAL_HOUSEHOLDS', unit: 'household' } });

      // Province scorecards: one per province in the plan's order, each over all of its cities.
      const { campaignScorecards: provinces } = await client.campaignScorecards({ level: sdk().ScorecardLevel.PROVINCE });
      const provinceRows = await app.sql<{ slug: string; n: number }>(`select p.slug, count(c.id)::int as n from province p join city c on c.province_id = p.id group by p.id, p.slug order by p.id`);
      expect(provinces.map((p) => [p.key, p.attainment.cityCount])).toEqual(provinceRows.map((r) => [r.slug, r.n]));

      const unknown = await client.campaignScorecards({ level: sdk().ScorecardLevel.CITY, filter: { province: 'atlantis' } }).catch((e) => e);
      expect(unknown).toBeInstanceOf(sdk().NotFoundError);
    },
    async monthlyPm25Ranking(client) {
      const { month, previous, cities } = place.ranking;
      const [a, b, c] = cities;
      // This month: a 40 and 60 (mean 50), b 90, c 30; a year before: a 80, b 60, c nothing.
      const observations = [
        [a, `${month}-03`, 40],
        [a, `${month}-04`, 60],
        [b, `${month}-03`, 90],
        [c, `${month}-05`, 30],
        [a, `${previous}-10`, 80],
        [b, `${previous}-10`, 60],
      ] as const;
      await client.recordAirQualityObservations({ input: { observations: observations.map(([city, observedOn, pm25]) => ({ city, observedOn, pm25 })) } });
      await client.recordAirQualityObservation({ input: { city: c, observedOn: `${month}-05`, stationCode: 'S0001', pm25: 500 } });

      const { monthlyPm25Ranking } = await client.monthlyPm25Ranking({ month });
      expect(monthlyPm25Ranking).toMatchObject({ month, previousYearMonth: previous, order: 'BEST_FIRST' });
      // The ranking by plain SQL: city-wide monthly means of every city with data, the best first.
      const rows = await app.sql<{ slug: string; mean: number; n: number; prev: number | null }>(
        `with m as (
           select o.city_id, avg(o.pm25) filter (where to_char(o.observed_on, 'YYYY-MM') = ?)::float8 as mean,
                  count(*) filter (where to_char(o.observed_on, 'YYYY-MM') = ?)::int as n,
                  avg(o.pm25) filter (where to_char(o.observed_on, 'YYYY-MM') = ?)::float8 as prev
             from air_quality_observation o where o.station_code is null group by o.city_id)
         select c.slug, m.mean, m.n, m.prev from m join city c on c.id = m.city_id where m.n > 0 order by m.mean, c.slug`,
        [month, month, previous],
      );
      expect(rows.map((r) => r.slug)).toEqual([c, a, b]);
      expect(monthlyPm25Ranking.entries.map((e) => ({ ...e, city: e.city.slug }))).toEqual(
        rows.map((r) => ({
          rank: rows.filter((o) => o.mean < r.mean).length + 1,
          city: r.slug,
          pm25Mean: r.mean,
          observedDays: r.n,
          previousYearPm25Mean: r.prev,
          change: r.prev === null ? null : r.mean - r.prev,
          changePercent: r.prev === null ? null : Math.round(((r.mean - r.prev) / r.prev) * 1000) / 10,
        })),
      );
      // By hand: a 50 against 80 (-30, -37.5 %), b 90 against 60 (+30, +50 %), c without a previous year.
      expect(monthlyPm25Ranking.entries.map((e) => [e.rank, e.city.slug, e.pm25Mean, e.change, e.changePercent])).toEqual([
        [1, c, 30, null, null],
        [2, a, 50, -30, -37.5],
        [3, b, 90, 30, 50],
      ]);

      const { monthlyPm25Ranking: worst } = await client.monthlyPm25Ranking({ month, order: sdk().RankingOrder.WORST_FIRST, filter: { city: b } });
      expect(worst.entries.map((e) => [e.rank, e.city.slug])).toEqual([[1, b]]);
      const { monthlyPm25Ranking: all } = await client.monthlyPm25Ranking({ month, order: sdk().RankingOrder.WORST_FIRST });
      expect(all.entries.map((e) => [e.rank, e.city.slug])).toEqual([[3, b], [2, a], [1, c]]);

      const bad = await client.monthlyPm25Ranking({ month: '2023-13' }).catch((e) => e);
      expect(bad).toBeInstanceOf(sdk().ValidationError);
      expect(bad.field).toBe('month');
    },

    // ----- access control and the audit trail -----

    async viewer(client) {
      const { viewer } = await client.viewer();
      const key = await one<{ id: number; name: string; prefix: string }>(`select id, name, prefix from api_key where secret_hash = ?`, [hashApiKey(token)]);
      expect(viewer).toMatchObject({ actorId: `key:${key.id}`, role: 'MINISTRY', province: null, city: null, cities: null });
      expect(viewer.apiKey).toMatchObject({ id: String(key.id), name: key.name, prefix: key.prefix, role: 'MINISTRY', status: 'ACTIVE', revokedAt: null });
      // Without a token: anonymous.
      const { viewer: anonymous } = await sdk().createClient({ url: app.url }).viewer();
      expect(anonymous).toEqual({ actorId: 'anonymous', role: 'ANONYMOUS', apiKey: null, province: null, city: null, cities: null });
    },
    async createApiKey(client) {
      const before = await count('api_key');
      const { createApiKey } = await client.createApiKey({ input: { name: `${place.cityKey} bureau ${uniq()}`, role: sdk().ApiKeyRole.CITY, city: place.cityKey } });
      const key = createApiKey.apiKey!;
      expect(key).toMatchObject({ role: 'CITY', status: 'ACTIVE', city: { slug: place.cityKey }, province: null, revokedAt: null, expiresAt: null });
      expect(createApiKey.secret).toMatch(/^airl_/);
      expect(key.prefix).toBe(createApiKey.secret!.slice(0, key.prefix.length));
      expect(await count('api_key')).toBe(before + 1);
      // Only the hash of the secret is stored.
      expect(await one(`select role, secret_hash from api_key where id = ?`, [Number(key.id)])).toEqual({ role: 'CITY', secret_hash: hashApiKey(createApiKey.secret!) });

      // The secret works with a client of its own, scoped to the city.
      const cityClient = sdk().createClient({ url: app.url, token: createApiKey.secret! });
      const { viewer } = await cityClient.viewer();
      expect(viewer).toMatchObject({ actorId: `key:${key.id}`, role: 'CITY', apiKey: { id: key.id }, city: { slug: place.cityKey }, cities: [{ slug: place.cityKey }] });
      const own = await newEnterprise(client, { city: place.cityKey });
      const other = await newEnterprise(client, { city: place.otherCity });
      expect((await cityClient.enterprise({ id: own.id })).enterprise?.id).toBe(own.id);
      const hidden = await cityClient.enterprise({ id: other.id }).catch((e) => e);
      expect(hidden).toBeInstanceOf(sdk().NotFoundError);
      const { enterprises } = await cityClient.enterprises({ filter: {}, first: 500 });
      expect(enterprises.nodes.every((e) => e.city.slug === place.cityKey)).toBe(true);
      // Nor can it write there: PermissionError, nothing written.
      const enterprisesBefore = await count('enterprise');
      const refused = await newEnterprise(cityClient, { city: place.otherCity }).catch((e) => e);
      expect(refused).toBeInstanceOf(sdk().PermissionError);
      expect(await count('enterprise')).toBe(enterprisesBefore);

      // A key above the caller's own: PermissionError, nothing written.
      const above = await cityClient.createApiKey({ input: { name: 'x', role: sdk().ApiKeyRole.MINISTRY } }).catch((e) => e);
      expect(above).toBeInstanceOf(sdk().PermissionError);
      // Invalid input: ValidationError naming the field, nothing written.
      const invalid = await client.createApiKey({ input: { name: 'x', role: sdk().ApiKeyRole.CITY, city: 'atlantis' } }).catch((e) => e);
      expect(invalid).toBeInstanceOf(sdk().ValidationError);
      expect(invalid.fields).toEqual([{ path: ['input', 'city'], code: 'NOT_FOUND', message: expect.any(String) }]);
      expect(await count('api_key')).toBe(before + 1);
    },
    async revokeApiKey(client) {
      const { createApiKey } = await client.createApiKey({ input: { name: `to revoke ${uniq()}`, role: sdk().ApiKeyRole.CITY, city: place.cityKey } });
      const cityClient = sdk().createClient({ url: app.url, token: createApiKey.secret!, retries: 0 });
      expect((await cityClient.viewer()).viewer.role).toBe('CITY');

      const { revokeApiKey } = await client.revokeApiKey({ input: { id: createApiKey.apiKey!.id } });
      expect(revokeApiKey.apiKey).toMatchObject({ id: createApiKey.apiKey!.id, status: 'REVOKED', revokedAt: expect.any(String), revokedBy: (await client.viewer()).viewer.actorId });
      const row = await one(`select revoked_at is not null as revoked, revoked_by from api_key where id = ?`, [Number(createApiKey.apiKey!.id)]);
      expect(row).toEqual({ revoked: true, revoked_by: revokeApiKey.apiKey!.revokedBy });

      // The revoked key no longer works, at once.
      const refused = await cityClient.viewer().catch((e) => e);
      expect(refused).toBeInstanceOf(sdk().AuthenticationError);
      expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

      // Revoking it again: NOT_ALLOWED on input.id, nothing changed.
      const again = await client.revokeApiKey({ input: { id: createApiKey.apiKey!.id } }).catch((e) => e);
      expect(again).toBeInstanceOf(sdk().ValidationError);
      expect(again.fields).toEqual([{ path: ['input', 'id'], code: 'NOT_ALLOWED', message: expect.any(String) }]);
      expect(await one(`select revoked_by from api_key where id = ?`, [Number(createApiKey.apiKey!.id)])).toEqual({ revoked_by: row.revoked_by });
    },
    async apiKeys(client) {
      const created: { id: string }[] = [];
      for (const role of ['CITY', 'READ_ONLY'] as const) {
        created.push((await client.createApiKey({ input: { name: `listed ${uniq()}`, role: sdk().ApiKeyRole[role], city: place.keyList } })).createApiKey.apiKey!);
      }
      // Newest first, no secrets.
      const rows = await app.sql<{ id: number; role: string }>(`select k.id, k.role from api_key k join city c on c.id = k.city_id where c.slug = ? order by k.created_at desc, k.id desc`, [place.keyList]);
      const { apiKeys } = await client.apiKeys({ filter: { city: place.keyList }, first: 10 });
      expect(apiKeys.totalCount).toBe(rows.length);
      expect(apiKeys.nodes.map((k) => k.id)).toEqual(rows.map((r) => String(r.id)));
      expect(apiKeys.nodes.map((k) => k.id)).toEqual(created.map((k) => k.id).reverse());
      expect(apiKeys.nodes[0]).toEqual(created[1]);
      expect(JSON.stringify(apiKeys)).not.toMatch(/secret/i);

      const { apiKeys: readOnly } = await client.apiKeys({ filter: { city: place.keyList, roles: [sdk().ApiKeyRole.READ_ONLY] } });
      expect(readOnly.nodes.map((k) => k.id)).toEqual([created[1].id]);
      const all = await client.paginate.apiKeys({ first: 2 }).all();
      expect(all.length).toBe(await count('api_key'));
      expect(new Set(all.map((k) => k.id)).size).toBe(all.length);

      // A CITY key lists the keys of its city only.
      const { createApiKey } = await client.createApiKey({ input: { name: `lister ${uniq()}`, role: sdk().ApiKeyRole.CITY, city: place.keyList } });
      const { apiKeys: seen } = await sdk().createClient({ url: app.url, token: createApiKey.secret! }).apiKeys({ first: 100 });
      expect(seen.nodes.every((k) => k.city?.slug === place.keyList)).toBe(true);
      expect(seen.totalCount).toBe(rows.length + 1);
    },
    async apiKey(client) {
      const { createApiKey } = await client.createApiKey({ input: { name: `one key ${uniq()}`, role: sdk().ApiKeyRole.PROVINCE, province: place.keyProvince, expiresAt: '2099-01-01T00:00:00.000Z' } });
      const created = createApiKey.apiKey!;
      const { apiKey } = await client.apiKey({ id: created.id });
      expect(apiKey).toEqual(created);
      expect(apiKey).toMatchObject({ role: 'PROVINCE', province: { slug: place.keyProvince }, city: null, expiresAt: '2099-01-01T00:00:00.000Z' });
      const row = await one(`select k.name, k.prefix, p.slug from api_key k join province p on p.id = k.province_id where k.id = ?`, [Number(created.id)]);
      expect(row).toEqual({ name: apiKey!.name, prefix: apiKey!.prefix, slug: place.keyProvince });
      // An unknown id: null, or NOT_FOUND.
      const unknown = await client.apiKey({ id: '987654321' }).then((r) => r.apiKey, (e) => e);
      if (unknown !== null) expect(unknown).toBeInstanceOf(sdk().NotFoundError);
    },
    async auditEvents(client) {
      const actorId = (await client.viewer()).viewer.actorId;
      const e = await newEnterprise(client, { city: place.audit, size: sdk().EnterpriseSize.SMALL });
      await client.updateEnterprise({ input: { id: e.id, size: sdk().EnterpriseSize.MEDIUM } });

      const { auditEvents } = await client.auditEvents({ filter: { entity: 'Enterprise', entityId: e.id } });
      const rows = await app.sql<{ id: number; actor_id: string; key_id: number; role: string; operation: string; action: string; entity_id: number }>(
        `select id, actor_id, key_id, role, operation, action, entity_id from audit_event where entity = 'Enterprise' and entity_id = ? order by id desc`,
        [Number(e.id)],
      );
      expect(rows.map((r) => `${r.action} ${r.operation}`)).toEqual(['UPDATE updateEnterprise', 'CREATE createEnterprise']);
      expect(auditEvents.totalCount).toBe(2);
      expect(auditEvents.nodes.map((n) => [n.id, n.actor, n.keyId, n.role, n.operation, n.action, n.entity, n.entityId, n.city?.slug])).toEqual(
        rows.map((r) => [String(r.id), r.actor_id, String(r.key_id), r.role, r.operation, r.action, 'Enterprise', e.id, place.audit]),
      );
      expect(auditEvents.nodes[0].actor).toBe(actorId);
      const [update, create] = auditEvents.nodes;
      expect(update.changedFields).toEqual(['size']);
      expect(update.before).toMatchObject({ size: 'SMALL', version: 1 });
      expect(update.after).toMatchObject({ size: 'MEDIUM', version: 2, name: e.name });
      expect(create.before).toBeNull();
      expect(create.after).toMatchObject({ name: e.name, creditCode: e.creditCode, size: 'SMALL' });

      // By operation and city, paginated newest first.
      const events = await client.paginate.auditEvents({ filter: { city: place.audit, operation: 'updateEnterprise' }, first: 1 }).all();
      const updates = await app.sql<{ id: number }>(
        `select a.id from audit_event a join city c on c.id = a.city_id where c.slug = ? and a.operation = 'updateEnterprise' order by a.id desc`,
        [place.audit],
      );
      expect(events.map((n) => n.id)).toEqual(updates.map((r) => String(r.id)));

      // Anonymous callers do not see the audit trail.
      const anonymous = await sdk().createClient({ url: app.url, retries: 0 }).auditEvents({}).catch((err) => err);
      expect(anonymous).toBeInstanceOf(sdk().AuthenticationError);
    },
    async importJob(client) {
      const res = await fetch(`${app.url.replace(/\/graphql$/, '')}/imports/enterprises?dryRun=true&wait=true`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        body: 'city,name,credit_code,industry,size\r\n',
      });
      const { id } = (await res.json()) as { id: string };
      const [row] = await app.sql<{ file_hash: string; created_by: string }>('select file_hash, created_by from import_job where id = ?', [Number(id)]);
      const { importJob } = await client.importJob({ id });
      expect(importJob).toMatchObject({ id, kind: 'enterprises', format: 'csv', status: 'VALIDATED', dryRun: true, rowsRead: 0, rowsWritten: 0, fileHash: row.file_hash, createdBy: row.created_by, rejectsUrl: null });
    },

    // ---- supervision
    async createSupervisionRound(client) {
      const { createSupervisionRound } = await client.createSupervisionRound({ input: { number: build === 'ESM' ? 41 : 42, title: `第${build}轮`, pushedOn: '2023-11-01', dueOn: '2023-11-20' } });
      expect(createSupervisionRound.userErrors).toEqual([]);
      expect(await one(`select number, to_char(due_on, 'YYYY-MM-DD') as due from supervision_round where id = ?`, [Number(createSupervisionRound.supervisionRound!.id)])).toEqual({ number: build === 'ESM' ? 41 : 42, due: '2023-11-20' });
    },
    async supervisionRounds(client) {
      await client.createSupervisionRound({ input: { number: build === 'ESM' ? 43 : 44, title: 'x', pushedOn: '2023-11-01', dueOn: '2023-11-20' } });
      const { supervisionRounds } = await client.supervisionRounds({ first: 500 });
      expect(supervisionRounds.totalCount).toBe(await count('supervision_round'));
    },
    async supervisionRound(client) {
      const { createSupervisionRound } = await client.createSupervisionRound({ input: { number: build === 'ESM' ? 45 : 46, title: 'x', pushedOn: '2023-11-01', dueOn: '2023-11-20' } });
      const id = createSupervisionRound.supervisionRound!.id;
      await newClue(client, { roundId: id });
      const { supervisionRound } = await client.supervisionRound({ id });
      expect(supervisionRound).toMatchObject({ id, stats: { cluesPushed: 1 } });
    },
    async recordClue(client) {
      const c = await newClue(client);
      expect(c).toMatchObject({ stage: 'IDENTIFIED', city: { slug: place.enterprise } });
      expect(await one(`select stage from clue where id = ?`, [Number(c.id)])).toEqual({ stage: 'IDENTIFIED' });
    },
    async clues(client) {
      await newClue(client);
      const { clues } = await client.clues({ filter: { city: place.enterprise }, first: 500 });
      const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from clue where city_id = (select id from city where slug = ?)`, [place.enterprise]);
      expect(clues.totalCount).toBe(n);
    },
    async clue(client) {
      const c = await newClue(client);
      const { clue } = await client.clue({ id: c.id });
      expect(clue!.steps.map((x) => x.toStage)).toEqual(['IDENTIFIED']);
    },
    async startClueInvestigation(client) {
      const c = await newClue(client);
      expect((await step(client, 'startClueInvestigation', { id: c.id })).stage).toBe('INVESTIGATING');
    },
    async confirmClue(client) {
      const c = await clueAt(client, 1);
      expect((await step(client, 'confirmClue', { id: c.id, rectificationDue: '2099-01-31' })).stage).toBe('RECTIFYING');
    },
    async closeClueUnfounded(client) {
      const c = await clueAt(client, 1);
      expect((await step(client, 'closeClueUnfounded', { id: c.id, note: '未发现问题' })).stage).toBe('CLOSED_UNFOUNDED');
    },
    async reportClueRectified(client) {
      const c = await clueAt(client, 2);
      expect((await step(client, 'reportClueRectified', { id: c.id })).stage).toBe('SUPERVISED');
    },
    async selectClueForSpotCheck(client) {
      const c = await clueAt(client, 3);
      expect((await step(client, 'selectClueForSpotCheck', { id: c.id })).stage).toBe('SPOT_CHECK');
    },
    async recordClueSpotCheckResult(client) {
      const c = await clueAt(client, 4);
      expect((await step(client, 'recordClueSpotCheckResult', { id: c.id, result: sdk().SpotCheckResult.NOT_REAL })).stage).toBe('INVESTIGATING');
    },
    async closeClue(client) {
      const c = await clueAt(client, 3);
      expect((await step(client, 'closeClue', { id: c.id })).stage).toBe('CLOSED');
      expect(await one(`select stage, closed_at is not null as closed from clue where id = ?`, [Number(c.id)])).toEqual({ stage: 'CLOSED', closed: true });
    },
    async overdueClues(client) {
      const c = await newClue(client);
      await app.sql(`update clue set stage = 'RECTIFYING', confirmed = true, rectification_due = '2023-12-01' where id = ?`, [Number(c.id)]);
      const { overdueClues } = await client.overdueClues({ filter: { city: place.enterprise }, first: 500 });
      expect(overdueClues.find((o) => o.clue.id === c.id)).toMatchObject({ dueOn: '2023-12-01' });
    },
    async recordFalsification(client) {
      const c = await clueAt(client, 2);
      const { recordFalsification } = await client.recordFalsification({ input: { clueId: c.id, decidedBy: '生态环境局', persons: [{ name: '某人' }] } });
      expect(recordFalsification.userErrors).toEqual([]);
      expect(recordFalsification.enterprise).toMatchObject({ currentGrade: 'D', subsidyBlocked: true });
      expect((await one(`select count(*)::int as n from fraud_list_entry where finding_id = ?`, [Number(recordFalsification.falsificationFinding!.id)])).n).toBe(2);
    },
    async fraudList(client) {
      const { fraudList } = await client.fraudList({ first: 500 });
      expect(fraudList.totalCount).toBe(await count('fraud_list_entry'));
    },
    async recordEnforcementAction(client) {
      const c = await clueAt(client, 2);
      const { recordEnforcementAction } = await client.recordEnforcementAction({ input: { clueId: c.id, kind: sdk().EnforcementActionKind.FINE, fineYuan: 30000, decidedOn: '2023-12-01', decidedBy: '执法支队' } });
      expect(recordEnforcementAction.enforcementAction).toMatchObject({ kind: 'FINE', fineYuan: 30000 });
    },
    async enforcementActions(client) {
      const { enforcementActions } = await client.enforcementActions({ first: 500 });
      expect(enforcementActions.totalCount).toBe(await count('enforcement_action'));
    },
    async publiciseEnforcementAction(client) {
      const c = await clueAt(client, 2);
      const { recordEnforcementAction } = await client.recordEnforcementAction({ input: { clueId: c.id, kind: sdk().EnforcementActionKind.CORRECTION_ORDER, decidedOn: '2023-12-01', decidedBy: '执法支队' } });
      const { publiciseEnforcementAction } = await client.publiciseEnforcementAction({ input: { id: recordEnforcementAction.enforcementAction!.id } });
      expect(publiciseEnforcementAction.enforcementAction).toMatchObject({ publicised: true });
    },
    async recordInspection(client) {
      const e = await newEnterprise(client, { positiveList: true });
      const refused = await client.recordInspection({ input: { enterpriseId: e.id, inspectedOn: '2023-12-01' } }, { throwOnUserErrors: false });
      expect(refused.recordInspection.userErrors.map((u) => u.code)).toEqual(['REASON_REQUIRED_WITHOUT_CLUE']);
      const { recordInspection } = await client.recordInspection({ input: { enterpriseId: e.id, inspectedOn: '2023-12-01', reasonWithoutClue: '随机抽查' } });
      expect(recordInspection.inspection).toMatchObject({ positiveList: true });
    },
    async inspections(client) {
      const { inspections } = await client.inspections({ first: 500 });
      expect(inspections.totalCount).toBe(await count('inspection'));
    },
    // ---- heavy-pollution response: forecasts, warnings, linkages, reduction lists, measure checks
    async recordForecasts(client) {
      const ep = episode();
      const before = await count('forecast');
      // An AQI above 500 and a day before the issue: refused with the fields named, nothing written.
      const bad = await client.recordForecasts(
        { input: { forecasts: [{ city: emergency.forecast, issuedAt: ep.at(-1), source: sdk().ForecastSource.CITY, days: [{ day: ep.day(0), aqi: 240 }, { day: ep.day(-3), aqi: 600 }] }] } },
        { throwOnUserErrors: false },
      );
      expect(bad.recordForecasts.forecasts).toBeNull();
      expect(bad.recordForecasts.userErrors.map((e) => [e.field.join('.'), e.code]).sort()).toEqual([
        ['input.forecasts.0.days.1.aqi', 'OUT_OF_RANGE'],
        ['input.forecasts.0.days.1.day', 'INVALID_DATE'],
      ]);
      expect(await count('forecast')).toBe(before);

      const f = await newForecast(client, emergency.forecast, ep, [180, 230, 310]);
      expect(f).toMatchObject({ issuedAt: ep.at(-1), source: 'CITY', origin: 'RECORDED', city: { slug: emergency.forecast } });
      const days = await app.sql<{ day: string; aqi: number; primary_pollutant: string }>(
        `select to_char(day, 'YYYY-MM-DD') as day, aqi, primary_pollutant from forecast_day where forecast_id = ? order by day`,
        [Number(f.id)],
      );
      expect(f.days.map((d) => ({ day: d.day, aqi: d.aqi, primary_pollutant: d.primaryPollutant }))).toEqual(days);
      expect(days.map((d) => d.aqi)).toEqual([180, 230, 310]);
      // The same city, source and instant again replaces the days of that forecast.
      const again = await newForecast(client, emergency.forecast, ep, [205]);
      expect(again.id).toBe(f.id);
      expect(await app.sql(`select aqi from forecast_day where forecast_id = ?`, [Number(f.id)])).toEqual([{ aqi: 205 }]);
      expect(await count('forecast')).toBe(before + 1);
    },
    async forecasts(client) {
      for (let i = 0; i < 3; i++) await newForecast(client, emergency.forecast, episode(), [150 + i]);
      const rows = await ids(`select f.id from forecast f join city c on c.id = f.city_id where c.slug = ? order by f.issued_at desc, f.id desc`, [emergency.forecast]);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      const { forecasts } = await client.forecasts({ filter: { city: emergency.forecast }, first: 2 });
      expect(forecasts.totalCount).toBe(rows.length);
      expect(forecasts.nodes.map((n) => n.id)).toEqual(rows.slice(0, 2));
      expect(forecasts.pageInfo.hasNextPage).toBe(true);
      const all = await client.paginate.forecasts({ filter: { city: emergency.forecast }, orderBy: { field: sdk().ForecastOrderField.ISSUED_AT, direction: sdk().SortDirection.ASC }, first: 2 }).all();
      expect(all.map((n) => n.id)).toEqual([...rows].reverse());
      const { forecasts: thirdParty } = await client.forecasts({ filter: { city: emergency.forecast, sources: [sdk().ForecastSource.THIRD_PARTY] } });
      expect(thirdParty.totalCount).toBe((await one(`select count(*)::int as n from forecast f join city c on c.id = f.city_id where c.slug = ? and f.source = 'THIRD_PARTY'`, [emergency.forecast])).n);
    },
    async issueWarning(client) {
      const ep = episode();
      const forecast = await newForecast(client, emergency.warn, ep, [230, 260, 240]);
      const w = await newWarning(client, emergency.warn, ep, { forecastId: forecast.id });
      expect(w).toMatchObject({ level: 'YELLOW', issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60), liftedAt: null, flagReasons: [], version: 1, origin: 'RECORDED', city: { slug: emergency.warn }, forecast: { id: forecast.id } });
      expect(w.changes.map((c) => c.kind)).toEqual(['ISSUED']);
      const row = await one(`select w.level, w.forecast_id, w.flag_reasons, w.lifted_at, c.slug from warning w join city c on c.id = w.city_id where w.id = ?`, [Number(w.id)]);
      expect(row).toEqual({ level: 'YELLOW', forecast_id: Number(forecast.id), flag_reasons: [], lifted_at: null, slug: emergency.warn });
      expect(await app.sql(`select kind, level from warning_change where warning_id = ?`, [Number(w.id)])).toEqual([{ kind: 'ISSUED', level: 'YELLOW' }]);

      // A second warning while this one is open: NOT_ALLOWED on input.city, nothing written.
      const warnings = await count('warning');
      const second = await client.issueWarning({ input: { city: emergency.warn, level: sdk().WarningLevel.RED, issuedAt: ep.at(1), effectiveFrom: ep.at(12), plannedEnd: ep.at(40), authority: 'x' } }, { throwOnUserErrors: false });
      expect(second.issueWarning.userErrors.map((e) => [e.field, e.code])).toEqual([[['input', 'city'], 'NOT_ALLOWED']]);
      expect(await count('warning')).toBe(warnings);
      // Without a forecast: allowed, flagged NO_FORECAST.
      await liftAt(client, w.id, ep);
      const ep2 = episode();
      const bare = await newWarning(client, emergency.warn, ep2, { level: sdk().WarningLevel.ORANGE });
      expect(bare.flagReasons).toEqual(['NO_FORECAST']);
      expect((await one(`select flag_reasons from warning where id = ?`, [Number(bare.id)])).flag_reasons).toEqual(['NO_FORECAST']);
      await liftAt(client, bare.id, ep2);
    },
    async warning(client) {
      const ep = episode();
      const w = await newWarning(client, emergency.warn, ep, { level: sdk().WarningLevel.ORANGE, note: '区域重污染过程' });
      const { warning } = await client.warning({ id: w.id });
      const row = await one(
        `select w.level, w.issued_at, w.effective_from, w.planned_end, w.authority, w.note, w.version, w.created_by, c.name_en from warning w join city c on c.id = w.city_id where w.id = ?`,
        [Number(w.id)],
      );
      expect(warning).toMatchObject({
        id: w.id,
        level: row.level,
        issuedAt: new Date(row.issued_at).toISOString(),
        effectiveFrom: new Date(row.effective_from).toISOString(),
        plannedEnd: new Date(row.planned_end).toISOString(),
        authority: row.authority,
        note: row.note,
        version: row.version,
        createdBy: row.created_by,
        city: { slug: emergency.warn, nameEn: row.name_en },
        forecast: null,
        linkage: null,
      });
      expect(warning!.changes).toHaveLength(1);
      await liftAt(client, w.id, ep);
      expect((await client.warning({ id: w.id })).warning!.liftedAt).toBe(ep.at(60));
      const unknown = await client.warning({ id: '987654321' }).then((r) => r.warning, (e) => e);
      if (unknown !== null) expect(unknown).toBeInstanceOf(sdk().NotFoundError);
    },
    async changeWarning(client) {
      const ep = episode();
      const forecast = await newForecast(client, emergency.warn, ep, [230, 260, 240]);
      const w = await newWarning(client, emergency.warn, ep, { forecastId: forecast.id });
      // Raising to RED goes beyond the forecast (no day over 300): allowed, flagged.
      const { changeWarning } = await client.changeWarning({ input: { id: w.id, version: 1, level: sdk().WarningLevel.RED, effectiveAt: ep.at(24) } });
      expect(changeWarning.warning).toMatchObject({ level: 'RED', version: 2, flagReasons: ['LEVEL_ABOVE_FORECAST'] });
      expect(changeWarning.warning!.changes.map((c) => [c.kind, c.previousLevel, c.level, c.effectiveAt])).toEqual([
        ['ISSUED', null, 'YELLOW', ep.at(12)],
        ['RAISED', 'YELLOW', 'RED', ep.at(24)],
      ]);
      expect(await one(`select level, version, flag_reasons from warning where id = ?`, [Number(w.id)])).toEqual({ level: 'RED', version: 2, flag_reasons: ['LEVEL_ABOVE_FORECAST'] });
      expect(await app.sql(`select kind, previous_level, level from warning_change where warning_id = ? order by effective_at, id`, [Number(w.id)])).toEqual([
        { kind: 'ISSUED', previous_level: null, level: 'YELLOW' },
        { kind: 'RAISED', previous_level: 'YELLOW', level: 'RED' },
      ]);
      // A stale version: CONFLICT, nothing changed.
      const stale = await client.changeWarning({ input: { id: w.id, version: 1, level: sdk().WarningLevel.YELLOW } }, { throwOnUserErrors: false });
      expect(stale.changeWarning.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
      expect((await one(`select count(*)::int as n from warning_change where warning_id = ?`, [Number(w.id)])).n).toBe(2);
      // Extending: an EXTENDED change with the previous planned end.
      const extended = await client.changeWarning({ input: { id: w.id, version: 2, plannedEnd: ep.at(66), effectiveAt: ep.at(30) } });
      expect(extended.changeWarning.warning!.changes.at(-1)).toMatchObject({ kind: 'EXTENDED', plannedEnd: ep.at(66), previousPlannedEnd: ep.at(60) });
      await liftAt(client, w.id, ep);
    },
    async liftWarning(client) {
      const ep = episode();
      const w = await newWarning(client, emergency.warn, ep);
      // Lifting in the future: INVALID_DATE.
      const future = await client.liftWarning({ input: { id: w.id, liftedAt: '2999-01-01T00:00:00.000Z' } }, { throwOnUserErrors: false });
      expect(future.liftWarning.userErrors.map((e) => [e.field, e.code])).toEqual([[['input', 'liftedAt'], 'INVALID_DATE']]);
      const { liftWarning } = await client.liftWarning({ input: { id: w.id, version: 1, liftedAt: ep.at(48), note: '过程结束' } });
      expect(liftWarning.warning).toMatchObject({ liftedAt: ep.at(48), version: 2 });
      expect(liftWarning.warning!.changes.map((c) => c.kind)).toEqual(['ISSUED', 'LIFTED']);
      const row = await one(`select lifted_at, version from warning where id = ?`, [Number(w.id)]);
      expect({ liftedAt: new Date(row.lifted_at).toISOString(), version: row.version }).toEqual({ liftedAt: ep.at(48), version: 2 });
      expect(await app.sql(`select kind from warning_change where warning_id = ? order by id`, [Number(w.id)])).toEqual([{ kind: 'ISSUED' }, { kind: 'LIFTED' }]);
      const again = await client.liftWarning({ input: { id: w.id } }, { throwOnUserErrors: false });
      expect(again.liftWarning.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
    },
    async warnings(client) {
      for (const level of ['YELLOW', 'RED'] as const) {
        const ep = episode();
        await liftAt(client, (await newWarning(client, emergency.warn, ep, { level: sdk().WarningLevel[level] })).id, ep);
      }
      const rows = await ids(`select w.id from warning w join city c on c.id = w.city_id where c.slug = ? order by w.effective_from, w.id`, [emergency.warn]);
      const all = await client.paginate.warnings({ filter: { city: emergency.warn }, orderBy: { field: sdk().WarningOrderField.EFFECTIVE_FROM, direction: sdk().SortDirection.ASC }, first: 2 }).all();
      expect(all.map((n) => n.id)).toEqual(rows);
      // Newest first by default.
      const { warnings } = await client.warnings({ filter: { city: emergency.warn }, first: 1 });
      expect(warnings.totalCount).toBe(rows.length);
      expect(warnings.nodes.map((n) => n.id)).toEqual([rows.at(-1)]);
      const red = await ids(`select w.id from warning w join city c on c.id = w.city_id where c.slug = ? and w.level = 'RED' order by w.effective_from desc, w.id desc`, [emergency.warn]);
      const { warnings: reds } = await client.warnings({ filter: { city: emergency.warn, levels: [sdk().WarningLevel.RED] }, first: 100 });
      expect(reds.nodes.map((n) => n.id)).toEqual(red);
      const flagged = await one(`select count(*)::int as n from warning where flag_reasons <> '{}'`);
      expect((await client.warnings({ filter: { flagged: true } })).warnings.totalCount).toBe(flagged.n);
      const open = await one(`select count(*)::int as n from warning where lifted_at is null`);
      expect((await client.warnings({ filter: { open: true } })).warnings.totalCount).toBe(open.n);
    },
    async issueRegionalLinkage(client) {
      const ep = episode();
      const { issueRegionalLinkage } = await client.issueRegionalLinkage({
        input: { cities: emergency.linked, level: sdk().WarningLevel.ORANGE, authority: '生态环境部', issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60) },
      });
      const l = issueRegionalLinkage.regionalLinkage!;
      expect(l).toMatchObject({ level: 'ORANGE', authority: '生态环境部', effectiveFrom: ep.at(12), liftedAt: null, version: 1, origin: 'RECORDED' });
      expect(l.cities.map((c) => [c.city.slug, c.following, c.warning]).sort()).toEqual(emergency.linked.map((s) => [s, 'NO_WARNING', null]).sort());
      expect(await one(`select level, province_id, authority from regional_linkage where id = ?`, [Number(l.id)])).toEqual({ level: 'ORANGE', province_id: null, authority: '生态环境部' });
      const cities = await app.sql<{ slug: string }>(`select c.slug from regional_linkage_city r join city c on c.id = r.city_id where r.linkage_id = ? order by c.slug`, [Number(l.id)]);
      expect(cities.map((c) => c.slug)).toEqual([...emergency.linked].sort());
      // An unknown city: refused, nothing written.
      const linkages = await count('regional_linkage');
      const bad = await client.issueRegionalLinkage({ input: { cities: ['atlantis'], level: sdk().WarningLevel.RED, authority: 'x', effectiveFrom: ep.at(12), plannedEnd: ep.at(60) } }, { throwOnUserErrors: false });
      expect(bad.issueRegionalLinkage.regionalLinkage).toBeNull();
      expect(bad.issueRegionalLinkage.userErrors[0]).toMatchObject({ field: ['input', 'cities', '0'] });
      expect(await count('regional_linkage')).toBe(linkages);
      await client.liftRegionalLinkage({ input: { id: l.id, liftedAt: ep.at(60) } });
    },
    async regionalLinkage(client) {
      const ep = episode();
      const { issueRegionalLinkage } = await client.issueRegionalLinkage({
        input: { cities: emergency.linked, level: sdk().WarningLevel.RED, authority: '生态环境部', issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60) },
      });
      const id = issueRegionalLinkage.regionalLinkage!.id;
      // One linked city follows at another level: flagged, and the linkage says so.
      const [a, b] = emergency.linked;
      const wa = await newWarning(client, a, ep, { level: sdk().WarningLevel.RED, linkageId: id });
      const wb = await newWarning(client, b, ep, { level: sdk().WarningLevel.ORANGE, linkageId: id });
      expect(wa.flagReasons).toEqual(['NO_FORECAST']);
      expect(wb.flagReasons).toEqual(['NO_FORECAST', 'LINKAGE_LEVEL_NOT_FOLLOWED']);
      const { regionalLinkage } = await client.regionalLinkage({ id });
      const bySlug = [...regionalLinkage!.cities].sort((x, y) => x.city.slug.localeCompare(y.city.slug));
      const rows = await app.sql<{ slug: string; id: number; level: string }>(
        `select c.slug, w.id, w.level from regional_linkage_city r join city c on c.id = r.city_id join warning w on w.linkage_id = r.linkage_id and w.city_id = r.city_id where r.linkage_id = ? order by c.slug`,
        [Number(id)],
      );
      expect(bySlug.map((c) => [c.city.slug, c.warning?.id, c.warning?.level])).toEqual(rows.map((r) => [r.slug, String(r.id), r.level]));
      expect(Object.fromEntries(bySlug.map((c) => [c.city.slug, c.following]))).toEqual({ [a]: 'FOLLOWING', [b]: 'OTHER_LEVEL' });
      expect(regionalLinkage).toMatchObject({ id, level: 'RED', plannedEnd: ep.at(60) });
      await liftAt(client, wa.id, ep);
      await liftAt(client, wb.id, ep);
      await client.liftRegionalLinkage({ input: { id, liftedAt: ep.at(60) } });
    },
    async liftRegionalLinkage(client) {
      const ep = episode();
      const { issueRegionalLinkage } = await client.issueRegionalLinkage({
        input: { cities: emergency.linked, level: sdk().WarningLevel.YELLOW, authority: '生态环境部', issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60) },
      });
      const l = issueRegionalLinkage.regionalLinkage!;
      const { liftRegionalLinkage } = await client.liftRegionalLinkage({ input: { id: l.id, version: 1, liftedAt: ep.at(36) } });
      expect(liftRegionalLinkage.regionalLinkage).toMatchObject({ id: l.id, liftedAt: ep.at(36), version: 2 });
      const row = await one(`select lifted_at, version from regional_linkage where id = ?`, [Number(l.id)]);
      expect([new Date(row.lifted_at).toISOString(), row.version]).toEqual([ep.at(36), 2]);
      // A lifted linkage takes no more warnings.
      const refused = await client.issueWarning(
        { input: { city: emergency.linked[0], level: sdk().WarningLevel.YELLOW, issuedAt: ep.at(40), effectiveFrom: ep.at(41), plannedEnd: ep.at(60), authority: 'x', linkageId: l.id } },
        { throwOnUserErrors: false },
      );
      expect(refused.issueWarning.userErrors.map((e) => [e.field, e.code])).toEqual([[['input', 'linkageId'], 'NOT_ALLOWED']]);
    },
    async regionalLinkages(client) {
      const ep = episode();
      const { issueRegionalLinkage } = await client.issueRegionalLinkage({
        input: { cities: emergency.linked, level: sdk().WarningLevel.RED, authority: '生态环境部', issuedAt: ep.at(0), effectiveFrom: ep.at(12), plannedEnd: ep.at(60) },
      });
      await client.liftRegionalLinkage({ input: { id: issueRegionalLinkage.regionalLinkage!.id, liftedAt: ep.at(60) } });
      const rows = await ids(`select id from regional_linkage where level = 'RED' order by effective_from desc, id desc`);
      const { regionalLinkages } = await client.regionalLinkages({ filter: { levels: [sdk().WarningLevel.RED] }, first: 100 });
      expect(regionalLinkages.totalCount).toBe(rows.length);
      expect(regionalLinkages.nodes.map((n) => n.id)).toEqual(rows);
      expect(rows).toContain(issueRegionalLinkage.regionalLinkage!.id);
      expect((await client.regionalLinkages({})).regionalLinkages.totalCount).toBe(await count('regional_linkage'));
    },
    async setReductionListEntries(client) {
      const e = await newEnterprise(client, { city: emergency.list });
      const { setReductionListEntries } = await client.setReductionListEntries({
        input: { city: emergency.list, campaign: CAMPAIGN, entries: [{ enterpriseId: e.id, so2Baseline: 1.5, noxBaseline: 2.25, pmBaseline: 0.5, vocsBaseline: 0.125, ...cuts(), measureNote: '停产两条线' }] },
      });
      const entry = setReductionListEntries.entries[0];
      expect(entry).toMatchObject({ gradeAtListing: null, protectedExempt: false, yellowMeasure: 'LIMIT_PRODUCTION', yellowCutPercent: 10, redCutPercent: 40, version: 1, enterprise: { id: e.id }, city: { slug: emergency.list }, campaign: { code: CAMPAIGN } });
      expect(
        await one(
          `select r.so2_baseline::float as so2, r.vocs_baseline::float as vocs, r.orange_measure, r.orange_cut_percent::float as orange, r.measure_note, k.code
             from reduction_list_entry r join campaign k on k.id = r.campaign_id where r.id = ?`,
          [Number(entry.id)],
        ),
      ).toEqual({ so2: 1.5, vocs: 0.125, orange_measure: 'STOP_LINES', orange: 20, measure_note: '停产两条线', code: CAMPAIGN });
      // A cut that shrinks as the level rises: refused with the field named, nothing written.
      const other = await newEnterprise(client, { city: emergency.list });
      const entries = await count('reduction_list_entry');
      const bad = await client.setReductionListEntries(
        { input: { city: emergency.list, campaign: CAMPAIGN, entries: [{ enterpriseId: other.id, so2Baseline: 1, noxBaseline: 1, pmBaseline: 1, vocsBaseline: 1, ...cuts(), orange: { measure: sdk().EmergencyMeasure.STOP_LINES, cutPercent: 5 } }] } },
        { throwOnUserErrors: false },
      );
      expect(bad.setReductionListEntries.userErrors.map((u) => [u.field.join('.'), u.code])).toEqual([['input.entries.0.orange.cutPercent', 'NOT_ALLOWED']]);
      expect(await count('reduction_list_entry')).toBe(entries);
      // Replacing an entry with its version.
      const replaced = await client.setReductionListEntries({
        input: { city: emergency.list, campaign: CAMPAIGN, entries: [{ enterpriseId: e.id, version: 1, so2Baseline: 3, noxBaseline: 2.25, pmBaseline: 0.5, vocsBaseline: 0.125, ...cuts() }] },
      });
      expect(replaced.setReductionListEntries.entries[0]).toMatchObject({ id: entry.id, so2Baseline: 3, version: 2 });
      expect(await one(`select so2_baseline::float as so2, version from reduction_list_entry where id = ?`, [Number(entry.id)])).toEqual({ so2: 3, version: 2 });
    },
    async reductionListEntry(client) {
      const { enterprise, entry } = await listedEnterprise(client, emergency.list, 'C');
      const { reductionListEntry } = await client.reductionListEntry({ id: entry.id });
      const row = await one(
        `select r.grade_at_listing, r.so2_baseline::float as so2, r.nox_baseline::float as nox, r.pm_baseline::float as pm, r.vocs_baseline::float as vocs,
                r.yellow_measure, r.yellow_cut_percent::float as y, r.orange_measure, r.orange_cut_percent::float as o, r.red_measure, r.red_cut_percent::float as r, r.version, e.name
           from reduction_list_entry r join enterprise e on e.id = r.enterprise_id where r.id = ?`,
        [Number(entry.id)],
      );
      expect(reductionListEntry).toMatchObject({
        id: entry.id,
        gradeAtListing: row.grade_at_listing,
        so2Baseline: row.so2,
        noxBaseline: row.nox,
        pmBaseline: row.pm,
        vocsBaseline: row.vocs,
        yellowMeasure: row.yellow_measure,
        yellowCutPercent: row.y,
        orangeMeasure: row.orange_measure,
        orangeCutPercent: row.o,
        redMeasure: row.red_measure,
        redCutPercent: row.r,
        version: row.version,
        enterprise: { id: enterprise.id, name: row.name, industry: 'CHEMICAL' },
      });
      expect(row.grade_at_listing).toBe('C');
    },
    async reductionListEntries(client) {
      await listedEnterprise(client, emergency.list, 'B');
      await listedEnterprise(client, emergency.list, null);
      const rows = await ids(`select r.id from reduction_list_entry r join city c on c.id = r.city_id where c.slug = ? order by r.created_at, r.id`, [emergency.list]);
      const all = await client.paginate.reductionListEntries({ filter: { city: emergency.list, campaign: CAMPAIGN }, first: 2 }).all();
      expect(all.map((n) => n.id)).toEqual(rows);
      const graded = await ids(`select r.id from reduction_list_entry r join city c on c.id = r.city_id where c.slug = ? and r.grade_at_listing = 'B' order by r.created_at, r.id`, [emergency.list]);
      const { reductionListEntries } = await client.reductionListEntries({ filter: { city: emergency.list, gradesAtListing: [sdk().PerformanceGrade.B] }, first: 100 });
      expect(reductionListEntries.nodes.map((n) => n.id)).toEqual(graded);
      expect(reductionListEntries.nodes.every((n) => n.gradeAtListing === 'B' && n.city.slug === emergency.list)).toBe(true);
    },
    async recordMeasureCheck(client) {
      const { check, enterprise, entry, warning, ep } = await newCheck(client, 'FAILED');
      expect(check).toMatchObject({ result: 'FAILED', method: 'POWER_USE', checkedAt: ep.at(30), proposedGrade: 'C', proposalStatus: 'PROPOSED', gradeChange: null, warning: { id: warning.id }, enterprise: { id: enterprise.id, currentGrade: 'B' } });
      expect(await one(`select warning_id, entry_id, result, proposed_grade, proposal_status, finding from measure_check where id = ?`, [Number(check.id)])).toEqual({
        warning_id: Number(warning.id),
        entry_id: Number(entry.id),
        result: 'FAILED',
        proposed_grade: 'C',
        proposal_status: 'PROPOSED',
        finding: '用电量未下降',
      });
      // Outside the warning: INVALID_DATE, nothing written.
      const checks = await count('measure_check');
      const outside = await client.recordMeasureCheck(
        { input: { warningId: warning.id, enterpriseId: enterprise.id, checkedAt: ep.at(70), method: sdk().MeasureCheckMethod.ON_SITE, result: sdk().MeasureCheckResult.PASSED, inspector: '督查组' } },
        { throwOnUserErrors: false },
      );
      expect(outside.recordMeasureCheck.userErrors.map((u) => [u.field, u.code])).toEqual([[['input', 'checkedAt'], 'INVALID_DATE']]);
      expect(await count('measure_check')).toBe(checks);
    },
    async measureCheck(client) {
      const { check } = await newCheck(client, 'PASSED');
      const { measureCheck } = await client.measureCheck({ id: check.id });
      const row = await one(`select checked_at, method, result, inspector, proposed_grade, version, created_by from measure_check where id = ?`, [Number(check.id)]);
      expect(measureCheck).toMatchObject({
        id: check.id,
        checkedAt: new Date(row.checked_at).toISOString(),
        method: row.method,
        result: row.result,
        inspector: row.inspector,
        proposedGrade: row.proposed_grade,
        proposalStatus: null,
        version: row.version,
      });
      expect(row.proposed_grade).toBeNull();
    },
    async measureChecks(client) {
      await newCheck(client, 'FAILED');
      await newCheck(client, 'PASSED');
      const rows = await ids(`select m.id from measure_check m join city c on c.id = m.city_id where c.slug = ? order by m.checked_at desc, m.id desc`, [emergency.check]);
      const all = await client.paginate.measureChecks({ filter: { city: emergency.check }, first: 2 }).all();
      expect(all.map((n) => n.id)).toEqual(rows);
      const failed = await ids(`select m.id from measure_check m join city c on c.id = m.city_id where c.slug = ? and m.result = 'FAILED' order by m.checked_at desc, m.id desc`, [emergency.check]);
      const { measureChecks } = await client.measureChecks({ filter: { city: emergency.check, results: [sdk().MeasureCheckResult.FAILED] }, first: 100 });
      expect(measureChecks.nodes.map((n) => n.id)).toEqual(failed);
      expect(measureChecks.totalCount).toBe(failed.length);
    },
    async decideGradeProposal(client) {
      const { check, enterprise } = await newCheck(client, 'FAILED');
      const { decideGradeProposal } = await client.decideGradeProposal({ input: { checkId: check.id, version: 1, accept: true, decidedBy: '市生态环境局', decidedAt: '2023-12-31T00:00:00.000Z' } });
      expect(decideGradeProposal.measureCheck).toMatchObject({ id: check.id, proposalStatus: 'ACCEPTED', version: 2, enterprise: { currentGrade: 'C' } });
      expect(decideGradeProposal.gradeChange).toMatchObject({ fromGrade: 'B', toGrade: 'C', reason: 'FAILED_EMERGENCY_CUTS' });
      const row = await one(
        `select m.proposal_status, g.from_grade, g.to_grade, g.reason, e.current_grade from measure_check m join grade_change g on g.id = m.grade_change_id join enterprise e on e.id = m.enterprise_id where m.id = ?`,
        [Number(check.id)],
      );
      expect(row).toEqual({ proposal_status: 'ACCEPTED', from_grade: 'B', to_grade: 'C', reason: 'FAILED_EMERGENCY_CUTS', current_grade: 'C' });
      expect(decideGradeProposal.gradeChange!.id).toBe(String((await one(`select grade_change_id from measure_check where id = ?`, [Number(check.id)])).grade_change_id));
      // Deciding twice: INVALID_TRANSITION, no second grade change.
      const changes = await one(`select count(*)::int as n from grade_change where enterprise_id = ?`, [Number(enterprise.id)]);
      const again = await client.decideGradeProposal({ input: { checkId: check.id, accept: false, decidedBy: 'x' } }, { throwOnUserErrors: false });
      expect(again.decideGradeProposal.userErrors.map((u) => u.code)).toEqual(['INVALID_TRANSITION']);
      expect(await one(`select count(*)::int as n from grade_change where enterprise_id = ?`, [Number(enterprise.id)])).toEqual(changes);
      // Rejecting another proposal leaves the grade.
      const { check: other, enterprise: e2 } = await newCheck(client, 'FAILED');
      const rejected = await client.decideGradeProposal({ input: { checkId: other.id, accept: false, decidedBy: '市生态环境局' } });
      expect(rejected.decideGradeProposal.gradeChange).toBeNull();
      expect(await one(`select m.proposal_status, e.current_grade from measure_check m join enterprise e on e.id = m.enterprise_id where m.id = ?`, [Number(other.id)])).toEqual({ proposal_status: 'REJECTED', current_grade: 'B' });
      expect(e2.id).not.toBe(enterprise.id);
    },
    async requiredMeasure(client) {
      const ep = episode();
      const { enterprise, entry } = await listedEnterprise(client, emergency.required);
      const unlisted = await newEnterprise(client, { city: emergency.required });
      const w = await newWarning(client, emergency.required, ep);
      await client.changeWarning({ input: { id: w.id, level: sdk().WarningLevel.RED, effectiveAt: ep.at(36) } });
      await liftAt(client, w.id, ep);
      const at = async (id: string, hours: number) => (await client.requiredMeasure({ enterpriseId: id, at: ep.at(hours) })).enterprise!.requiredMeasure;
      const cutsOf = await one(`select yellow_measure, yellow_cut_percent::float as y, red_measure, red_cut_percent::float as r from reduction_list_entry where id = ?`, [Number(entry.id)]);
      expect(await at(enterprise.id, 6)).toMatchObject({ at: ep.at(6), level: null, measure: null, cutPercent: null, unlisted: false, warning: null });
      expect(await at(enterprise.id, 24)).toMatchObject({ level: 'YELLOW', measure: cutsOf.yellow_measure, cutPercent: cutsOf.y, unlisted: false, warning: { id: w.id }, entry: { id: entry.id } });
      expect(await at(enterprise.id, 48)).toMatchObject({ level: 'RED', measure: cutsOf.red_measure, cutPercent: cutsOf.r, warning: { id: w.id, level: 'RED' } });
      expect(await at(enterprise.id, 61)).toMatchObject({ level: null, measure: null, warning: null });
      expect(await at(unlisted.id, 48)).toMatchObject({ level: 'RED', measure: null, unlisted: true, entry: null });
    },
    async createCombustionUnit(client) {
      const e = await newEnterprise(client, { city: emergency.units });
      const { createCombustionUnit } = await client.createCombustionUnit({
        input: { city: emergency.units, enterpriseId: e.id, kind: sdk().CombustionUnitKind.BOILER, name: `1号燃煤锅炉 ${uniq()}`, fuel: sdk().CombustionFuel.COAL, capacityTph: 75, centralHeating: true },
      });
      const u = createCombustionUnit.combustionUnit!;
      expect(u).toMatchObject({ kind: 'BOILER', fuel: 'COAL', capacityTph: 75, status: 'OPERATING', centralHeating: true, origin: 'RECORDED', version: 1, city: { slug: emergency.units }, enterprise: { id: e.id } });
      expect(await one(`select kind, fuel, capacity_tph::float as t, status, enterprise_id, city_id from combustion_unit where id = ?`, [Number(u.id)])).toEqual({
        kind: 'BOILER',
        fuel: 'COAL',
        t: 75,
        status: 'OPERATING',
        enterprise_id: Number(e.id),
        city_id: await cityId(emergency.units),
      });
      // A coal boiler of 35 t/h or less may not stay operating: refused, nothing written.
      const units = await count('combustion_unit');
      const small = await client.createCombustionUnit({ input: { city: emergency.units, kind: sdk().CombustionUnitKind.BOILER, name: '小锅炉', fuel: sdk().CombustionFuel.COAL, capacityTph: 10 } }, { throwOnUserErrors: false });
      expect(small.createCombustionUnit.userErrors.map((u) => [u.field.join('.'), u.code])).toEqual([['input.status', 'SMALL_COAL_BOILER_MUST_BE_ELIMINATED']]);
      expect(await count('combustion_unit')).toBe(units);
    },
    async updateCombustionUnit(client) {
      const { createCombustionUnit } = await client.createCombustionUnit({ input: { city: emergency.units, kind: sdk().CombustionUnitKind.KILN, name: `石灰窑 ${uniq()}`, fuel: sdk().CombustionFuel.COAL } });
      const u = createCombustionUnit.combustionUnit!;
      const { updateCombustionUnit } = await client.updateCombustionUnit({ input: { id: u.id, version: 1, status: sdk().CombustionUnitStatus.SCHEDULED_FOR_ELIMINATION, scheduledEliminationBy: '2024-06-30', fuel: sdk().CombustionFuel.GAS } });
      expect(updateCombustionUnit.combustionUnit).toMatchObject({ id: u.id, status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2024-06-30', fuel: 'GAS', version: 2 });
      expect(await one(`select status, to_char(scheduled_elimination_by, 'YYYY-MM-DD') as by, fuel, version from combustion_unit where id = ?`, [Number(u.id)])).toEqual({
        status: 'SCHEDULED_FOR_ELIMINATION',
        by: '2024-06-30',
        fuel: 'GAS',
        version: 2,
      });
      const stale = await client.updateCombustionUnit({ input: { id: u.id, version: 1, name: 'x' } }, { throwOnUserErrors: false });
      expect(stale.updateCombustionUnit.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.version', 'CONFLICT']]);
      expect((await one(`select name from combustion_unit where id = ?`, [Number(u.id)])).name).toBe(u.name);
    },
    async combustionUnit(client) {
      const { createCombustionUnit } = await client.createCombustionUnit({ input: { city: emergency.units, kind: sdk().CombustionUnitKind.COKE_OVEN, name: `焦炉 ${uniq()}`, fuel: sdk().CombustionFuel.COAL, chamberHeightM: 4.3 } });
      const id = createCombustionUnit.combustionUnit!.id;
      const { combustionUnit } = await client.combustionUnit({ id });
      const row = await one(`select u.kind, u.name, u.fuel, u.chamber_height_m::float as h, u.status, u.version, c.name_en from combustion_unit u join city c on c.id = u.city_id where u.id = ?`, [Number(id)]);
      expect(combustionUnit).toMatchObject({ id, kind: row.kind, name: row.name, fuel: row.fuel, chamberHeightM: row.h, status: row.status, version: row.version, city: { slug: emergency.units, nameEn: row.name_en }, enterprise: null, eliminationProject: null });
    },
    async combustionUnits(client) {
      for (const kind of ['KILN', 'GAS_PRODUCER'] as const) {
        await client.createCombustionUnit({ input: { city: emergency.units, kind: sdk().CombustionUnitKind[kind], name: `${kind} ${uniq()}`, fuel: sdk().CombustionFuel.GAS } });
      }
      const rows = await ids(`select u.id from combustion_unit u join city c on c.id = u.city_id where c.slug = ? order by u.id`, [emergency.units]);
      const all = await client.paginate.combustionUnits({ filter: { city: emergency.units }, first: 2 }).all();
      expect(byId(all).map((n) => n.id)).toEqual(rows);
      expect(new Set(all.map((n) => n.id)).size).toBe(rows.length);
      const kilns = await ids(`select u.id from combustion_unit u join city c on c.id = u.city_id where c.slug = ? and u.kind = 'KILN' order by u.id`, [emergency.units]);
      const { combustionUnits } = await client.combustionUnits({ filter: { city: emergency.units, kinds: [sdk().CombustionUnitKind.KILN] }, first: 100 });
      expect(combustionUnits.totalCount).toBe(kilns.length);
      expect(byId(combustionUnits.nodes).map((n) => n.id)).toEqual(kilns);
    },
    async localities(client) {
      const { village } = await newVillage(client);
      const { localities } = await client.localities({ filter: { city: place.project, levels: [sdk().LocalityLevel.VILLAGE] }, first: 500 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from locality l join city c on c.id = l.city_id where c.slug = ? and l.level = 'VILLAGE'`, [place.project]);
      expect(localities.totalCount).toBe(row.n);
      expect(localities.nodes.map((n) => n.id)).toContain(village.id);
    },
    async locality(client) {
      const { county, township } = await newVillage(client);
      const { locality } = await client.locality({ id: county.id });
      expect(locality).toMatchObject({ id: county.id, level: 'COUNTY', parent: null, children: [{ id: township.id, level: 'TOWNSHIP' }] });
    },
    async createLocality(client) {
      const refused = await client.createLocality({ input: { city: place.project, level: sdk().LocalityLevel.TOWNSHIP, nameZh: '无县之镇' } }, { throwOnUserErrors: false });
      expect(refused.createLocality.userErrors.map((u) => u.code)).toEqual(['REQUIRED']);
      const { village } = await newVillage(client);
      expect(await one(`select level, origin from locality where id = ?`, [Number(village.id)])).toEqual({ level: 'VILLAGE', origin: 'RECORDED' });
    },
    async updateLocality(client) {
      const { county } = await newVillage(client);
      const { updateLocality } = await client.updateLocality({ input: { id: county.id, version: county.version, nameZh: `改名${uniq()}` } });
      expect(updateLocality.locality).toMatchObject({ id: county.id, version: county.version + 1 });
    },
    async householdConversions(client) {
      const c = await newConversion(client);
      const { householdConversions } = await client.householdConversions({ filter: { city: place.project }, first: 500 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from household_conversion h join city c on c.id = h.city_id where c.slug = ?`, [place.project]);
      expect(householdConversions.totalCount).toBe(row.n);
      expect(householdConversions.nodes.map((n) => n.id)).toContain(c.id);
    },
    async householdConversion(client) {
      const c = await newConversion(client, { households: 77 });
      const { householdConversion } = await client.householdConversion({ id: c.id });
      expect(householdConversion).toMatchObject({ id: c.id, households: 77, newSystem: 'GAS', convertedOn: '2023-10-15', city: { slug: place.project } });
    },
    async createHouseholdConversion(client) {
      const { village } = await newVillage(client);
      const refused = await client.createHouseholdConversion(
        { input: { villageId: village.id, households: 10, newSystem: sdk().HeatingSystem.GAS, convertedOn: '2023-10-15', oldHeatingRemovedOn: '2024-04-01' } },
        { throwOnUserErrors: false },
      );
      expect(refused.createHouseholdConversion.userErrors.map((u) => u.code)).toEqual(['BUILD_BEFORE_BREAK']);
      const c = await newConversion(client, { households: 12 });
      expect(await one(`select households, origin from household_conversion where id = ?`, [Number(c.id)])).toEqual({ households: 12, origin: 'RECORDED' });
    },
    async updateHouseholdConversion(client) {
      const c = await newConversion(client);
      const { updateHouseholdConversion } = await client.updateHouseholdConversion({ input: { id: c.id, version: c.version, supplyStable: true, firstSeasonCompletedOn: '2024-03-31', oldHeatingRemovedOn: '2024-04-10' } });
      expect(updateHouseholdConversion.householdConversion).toMatchObject({ supplyStable: true, oldHeatingRemovedOn: '2024-04-10', version: c.version + 1 });
    },
    async agriculturalCoalFacilities(client) {
      const x = await newFacility(client);
      const { agriculturalCoalFacilities } = await client.agriculturalCoalFacilities({ filter: { city: place.project }, first: 500 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from agricultural_coal_facility a join city c on c.id = a.city_id where c.slug = ?`, [place.project]);
      expect(agriculturalCoalFacilities.totalCount).toBe(row.n);
      expect(agriculturalCoalFacilities.nodes.map((n) => n.id)).toContain(x.id);
    },
    async agriculturalCoalFacility(client) {
      const x = await newFacility(client);
      const { agriculturalCoalFacility } = await client.agriculturalCoalFacility({ id: x.id });
      expect(agriculturalCoalFacility).toMatchObject({ id: x.id, kind: 'GREENHOUSE', status: 'COAL', city: { slug: place.project } });
    },
    async createAgriculturalCoalFacility(client) {
      const refused = await client.createAgriculturalCoalFacility({ input: { city: place.project, name: '温室', kind: sdk().AgriculturalFacilityKind.GREENHOUSE, status: sdk().AgriculturalFacilityStatus.REPLACED } }, { throwOnUserErrors: false });
      expect(refused.createAgriculturalCoalFacility.userErrors.map((u) => u.code)).toEqual(['REQUIRED', 'REQUIRED']);
      const x = await newFacility(client);
      expect(await one(`select status, origin from agricultural_coal_facility where id = ?`, [Number(x.id)])).toEqual({ status: 'COAL', origin: 'RECORDED' });
    },
    async updateAgriculturalCoalFacility(client) {
      const x = await newFacility(client);
      const { updateAgriculturalCoalFacility } = await client.updateAgriculturalCoalFacility({ input: { id: x.id, version: x.version, status: sdk().AgriculturalFacilityStatus.REPLACED, replacedBy: sdk().HeatingSystem.ELECTRICITY, replacedOn: '2023-11-01' } });
      expect(updateAgriculturalCoalFacility.agriculturalCoalFacility).toMatchObject({ status: 'REPLACED', replacedOn: '2023-11-01', version: x.version + 1 });
    },
    async banZones(client) {
      const z = await newBanZone(client);
      const { banZones } = await client.banZones({ filter: { city: place.project }, first: 500 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from ban_zone z join city c on c.id = z.city_id where c.slug = ?`, [place.project]);
      expect(banZones.totalCount).toBe(row.n);
      expect(banZones.nodes.map((n) => n.id)).toContain(z.id);
    },
    async banZone(client) {
      const z = await newBanZone(client);
      const { banZone } = await client.banZone({ id: z.id });
      expect(banZone).toMatchObject({ id: z.id, areaKm2: 88.5, designatedOn: '2023-10-01', city: { slug: place.project } });
    },
    async createBanZone(client) {
      const refused = await client.createBanZone({ input: { city: place.project, name: '禁燃区', areaKm2: 0, designatedOn: '2023-10-01' } }, { throwOnUserErrors: false });
      expect(refused.createBanZone.userErrors.map((u) => u.code)).toEqual(['OUT_OF_RANGE']);
      const z = await newBanZone(client);
      expect(await one(`select area_km2::float8 as area, origin from ban_zone where id = ?`, [Number(z.id)])).toEqual({ area: 88.5, origin: 'RECORDED' });
    },
    async updateBanZone(client) {
      const z = await newBanZone(client);
      const { updateBanZone } = await client.updateBanZone({ input: { id: z.id, version: z.version, areaKm2: 90 } });
      expect(updateBanZone.banZone).toMatchObject({ areaKm2: 90, version: z.version + 1 });
    },
    async freightRecords(client) {
      const r = await newFreightRecord(client);
      const { freightRecords } = await client.freightRecords({ filter: { city: place.project, fromMonth: '2023-11', toMonth: '2023-11' }, orderBy: { field: sdk().FreightRecordOrderField.TONNES, direction: sdk().SortDirection.DESC }, first: 500 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from freight_record f join city c on c.id = f.city_id where c.slug = ? and f.month = '2023-11'`, [place.project]);
      expect(freightRecords.totalCount).toBe(row.n);
      expect(freightRecords.nodes.map((n) => n.id)).toContain(r.id);
    },
    async freightRecord(client) {
      const r = await newFreightRecord(client);
      const { freightRecord } = await client.freightRecord({ id: r.id });
      expect(freightRecord).toMatchObject({ id: r.id, railway: r.railway, month: '2023-11', tonnes: 3_215_400.5, origin: 'RECORDED', city: { slug: place.project } });
    },
    async recordFreightMonth(client) {
      const refused = await client.recordFreightMonth({ input: { city: place.project, railway: '水曹铁路', month: '2023-11', tonnes: -1, source: '月报' } }, { throwOnUserErrors: false });
      expect(refused.recordFreightMonth.userErrors.map((u) => `${u.field.join('.')}:${u.code}`)).toEqual(['input.tonnes:OUT_OF_RANGE']);
      const r = await newFreightRecord(client);
      expect(await one(`select tonnes::float8 as tonnes, origin from freight_record where id = ?`, [Number(r.id)])).toEqual({ tonnes: 3_215_400.5, origin: 'RECORDED' });
      const { recordFreightMonth } = await client.recordFreightMonth({ input: { city: place.project, railway: r.railway, month: '2023-11', tonnes: 3_300_000, source: '交通运输局月报（修订）', version: r.version } });
      expect(recordFreightMonth.freightRecord).toMatchObject({ id: r.id, tonnes: 3_300_000, version: r.version + 1 });
    },
    async fileSubmission() {
      const s = await newSubmission();
      const [row] = await app.sql<{ zones: number }>(`select count(*)::int as zones from ban_zone z join city c on c.id = z.city_id join province p on p.id = c.province_id where p.slug = ?`, [place.keyProvince]);
      expect(s).toMatchObject({ kind: 'BAN_ZONES', deadline: '2023-12-31', province: { slug: place.keyProvince } });
      expect((s.snapshot as any).figures.zones).toBe(row.zones);
    },
    async submissions(client) {
      const s = await newSubmission();
      const { submissions } = await client.submissions({ filter: { province: place.keyProvince }, first: 100 });
      const [row] = await app.sql<{ n: number }>(`select count(*)::int as n from submission s join province p on p.id = s.province_id where p.slug = ?`, [place.keyProvince]);
      expect(submissions.totalCount).toBe(row.n);
      expect(submissions.nodes[0].id).toBe(s.id);
    },
    async submission(client) {
      const s = await newSubmission();
      const { submission } = await client.submission({ id: s.id });
      expect(submission).toEqual(s);
    },
    async submissionStatuses(client) {
      await newSubmission();
      const { submissionStatuses } = await client.submissionStatuses({ campaign: CAMPAIGN });
      const mine = submissionStatuses.find((r) => r.province.slug === place.keyProvince && r.kind === 'BAN_ZONES');
      expect(mine).toMatchObject({ deadline: '2023-12-31', status: 'LATE' });
      const [row] = await app.sql<{ n: number }>(`select count(distinct province_id)::int * 4 as n from city`);
      expect(submissionStatuses).toHaveLength(row.n);
    },
    async heatingSeasons(client) {
      const { heatingSeasons } = await client.heatingSeasons({ filter: { city: place.project, campaign: CAMPAIGN }, orderBy: { field: sdk().HeatingSeasonOrderField.STARTS_ON, direction: sdk().SortDirection.ASC }, first: 10 });
      const row = await one(`select h.id::text as id, to_char(starts_on, 'YYYY-MM-DD') as "startsOn" from heating_season h join city c on c.id = h.city_id where c.slug = ?`, [place.project]);
      expect(heatingSeasons.totalCount).toBe(1);
      expect(heatingSeasons.nodes[0]).toMatchObject({ ...row, city: { slug: place.project }, campaign: { code: CAMPAIGN } });
    },
    async heatingSeason(client) {
      const row = await one(`select h.id::text as id, to_char(ends_on, 'YYYY-MM-DD') as "endsOn" from heating_season h join city c on c.id = h.city_id where c.slug = ?`, [place.project]);
      const { heatingSeason } = await client.heatingSeason({ id: row.id });
      expect(heatingSeason).toMatchObject({ ...row, city: { slug: place.project } });
    },
    async recordHeatingSeason(client) {
      const row = await one(`select version, to_char(starts_on, 'YYYY-MM-DD') as "startsOn", to_char(ends_on, 'YYYY-MM-DD') as "endsOn" from heating_season h join city c on c.id = h.city_id where c.slug = ?`, [place.project]);
      const refused = await client.recordHeatingSeason({ input: { city: place.project, campaign: CAMPAIGN, startsOn: row.endsOn, endsOn: row.startsOn, source: '供热通知', version: row.version } }, { throwOnUserErrors: false });
      expect(refused.recordHeatingSeason.userErrors.map((u) => `${u.field.join('.')}:${u.code}`)).toEqual(['input.endsOn:INVALID_DATE']);
      // The same dates, a new source: the season is RECORDED at the next version.
      const { recordHeatingSeason } = await client.recordHeatingSeason({ input: { city: place.project, campaign: CAMPAIGN, startsOn: row.startsOn, endsOn: row.endsOn, source: '市供热管理办法', version: row.version } });
      expect(recordHeatingSeason.heatingSeason).toMatchObject({ startsOn: row.startsOn, endsOn: row.endsOn, source: '市供热管理办法', origin: 'RECORDED', version: row.version + 1 });
    },
    async cityHeatingSeason(client) {
      const { city } = await client.cityHeatingSeason({ city: place.project, campaign: CAMPAIGN });
      const row = await one(`select to_char(starts_on, 'YYYY-MM-DD') as "startsOn", to_char(ends_on, 'YYYY-MM-DD') as "endsOn", source from heating_season h join city c on c.id = h.city_id where c.slug = ?`, [place.project]);
      expect(city?.heatingSeason).toEqual(row);
    },
  };

  it('has a check for every operation of the SDK', () => {
    expect(Object.keys(checks).sort()).toEqual(Object.keys(sdk().OPERATIONS).sort());
  });

  for (const name of Object.keys(checks)) {
    it(`${name}`, async () => {
      const client = sdk().createClient({ url: app.url, token });
      await checks[name](client);
    });
  }
});

describe('pagination', () => {
  it('iterates every city across pages of 10, following endCursor until hasNextPage is false', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch });
    const slugs: string[] = [];
    for await (const city of client.paginate.cities({ first: 10 })) slugs.push(city.slug);
    const expected = await citiesInPlanOrder();
    expect(expected.length).toBe(56);
    expect(slugs).toEqual(expected);
    // 56 cities in pages of 10: 6 requests, the first without a cursor, each next one with the
    // previous page's endCursor.
    expect(counted.calls.length).toBe(6);
    expect(counted.calls[0].body.variables.after).toBeNull();
    expect(counted.calls.every((c) => c.body.variables.first === 10)).toBe(true);
    expect(new Set(counted.calls.map((c) => c.body.variables.after)).size).toBe(6);
  });

  it('all({ max }) stops at the cap, fetching only the pages it needs', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch });
    const first25 = await client.paginate.cities({ first: 10 }).all({ max: 25 });
    expect(first25.map((c) => c.slug)).toEqual((await citiesInPlanOrder()).slice(0, 25));
    expect(counted.calls.length).toBe(3);

    const hebei = await client.paginate.cities({ first: 4, filter: { province: 'hebei' } }).all();
    expect(hebei.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`p.slug = 'hebei'`));
  });

  it('breaking out of for await stops fetching; pages() yields whole pages', async () => {
    const counted = flakyFetch(0);
    const client = cjs.createClient({ url: app.url, fetch: counted.fetch });
    let seen = 0;
    for await (const _city of client.paginate.cities({ first: 10 })) {
      if (++seen === 12) break;
    }
    expect(counted.calls.length).toBe(2);

    const sizes: number[] = [];
    for await (const page of client.paginate.cities({ first: 10 }).pages()) sizes.push(page.nodes.length);
    expect(sizes).toEqual([10, 10, 10, 10, 10, 6]);

    const regions = await client.paginate.regions({ first: 1 }).all();
    expect(regions.map((r) => r.code).sort()).toEqual(['FENWEI_PLAIN', 'JJJ_SURROUNDING']);
  });

  it('pages through 25 enterprises 10 at a time: 3 requests, every enterprise once, in the database order', async () => {
    const city = 'dezhou';
    const writer = esm.createClient({ url: app.url, token });
    for (let i = 0; i < 25; i++) {
      await writer.createEnterprise({
        input: { city, name: `德州市测试企业${String(i + 1).padStart(2, '0')}有限公司`, creditCode: creditCode('371400'), industry: esm.Industry.CHEMICAL, size: esm.EnterpriseSize.SMALL },
      });
    }
    const expected = (await app.sql<{ id: number }>(`select e.id from enterprise e join city c on c.id = e.city_id where c.slug = ? order by e.credit_code, e.id`, [city])).map((r) => String(r.id));
    expect(expected).toHaveLength(25);

    for (const sdk of [esm, cjs]) {
      const counted = flakyFetch(0);
      const client = sdk.createClient({ url: app.url, token, fetch: counted.fetch });
      const ids: string[] = [];
      for await (const e of client.paginate.enterprises({ first: 10, filter: { city }, orderBy: { field: sdk.EnterpriseOrderField.CREDIT_CODE } })) ids.push(e.id);
      expect(ids).toEqual(expected);
      expect(counted.calls.length).toBe(3);
      expect(counted.calls.every((c) => c.body.operationName === 'enterprises' && c.body.variables.first === 10)).toBe(true);
      expect(counted.calls[0].body.variables.after).toBeNull();
      expect(new Set(counted.calls.map((c) => c.body.variables.after)).size).toBe(3);
    }

    const client = cjs.createClient({ url: app.url, token });
    const pages: { size: number; hasNextPage: boolean; totalCount: number }[] = [];
    for await (const page of client.paginate.enterprises({ first: 10, filter: { city } }).pages()) {
      pages.push({ size: page.nodes.length, hasNextPage: page.pageInfo.hasNextPage, totalCount: (page as unknown as { totalCount: number }).totalCount });
    }
    expect(pages).toEqual([
      { size: 10, hasNextPage: true, totalCount: 25 },
      { size: 10, hasNextPage: true, totalCount: 25 },
      { size: 5, hasNextPage: false, totalCount: 25 },
    ]);
    const first15 = await client.paginate.enterprises({ first: 10, filter: { city }, orderBy: { field: cjs.EnterpriseOrderField.CREDIT_CODE } }).all({ max: 15 });
    expect(first15.map((e) => e.id)).toEqual(expected.slice(0, 15));
  });

  it('paginates any custom connection document with paginateConnection', async () => {
    const doc = parse('query slugs($first: Int, $after: String) { cities(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { slug } } }') as TypedDocumentNode<
      { cities: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { slug: string }[] } },
      { first?: number; after?: string | null }
    >;
    const client = esm.createClient({ url: app.url });
    const all = await client.paginateConnection(doc, { first: 20 }, (d) => d.cities).all();
    expect(all.map((c) => c.slug)).toEqual(await citiesInPlanOrder());
  });

  it('stops cleanly when the server repeats a cursor', async () => {
    const stub = await startStub(() => ({ body: { data: { cities: { totalCount: 99, pageInfo: { hasNextPage: true, endCursor: 'same' }, nodes: [{ slug: 'x' }] } } } }));
    try {
      const client = esm.createClient({ url: stub.url });
      const all = await client.paginate.cities({ first: 1 }).all();
      expect(all.length).toBe(2);
      expect(stub.requests.length).toBe(2);
    } finally {
      await stub.close();
    }
  });
});

describe('custom typed documents', () => {
  it('request() sends any TypedDocumentNode and returns its typed data', async () => {
    const CityNames: TypedDocumentNode<{ cities: { totalCount: number; nodes: { slug: string; nameEn: string }[] } }, { province: string }> = parse(
      'query cityNames($province: String!) { cities(filter: { province: $province }, first: 100) { totalCount nodes { slug nameEn } } }',
    );
    const client = cjs.createClient({ url: app.url });
    const { cities } = await client.request(CityNames, { province: 'henan' });
    const expected = await citiesInPlanOrder(`p.slug = 'henan'`);
    expect(cities.totalCount).toBe(expected.length);
    expect(cities.nodes.map((c) => c.slug)).toEqual(expected);
    // The SDK's own documents work the same way.
    const { city } = await client.request(cjs.CityDocument, { slug: 'taiyuan' });
    expect(city?.province.slug).toBe('shanxi');
    // And a plain string document.
    const data = await client.request<{ region: { nameEn: string } }>('query { region(code: JJJ_SURROUNDING) { nameEn } }');
    expect(data.region.nameEn).toBeTruthy();
  });
});

describe('errors from the real server', () => {
  it('bad input -> ValidationError naming the field', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.cities({ first: 501 }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.ValidationError);
    expect(error).toBeInstanceOf(esm.AirledgerError);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe('first');
    expect(error.fields).toEqual([{ path: ['first'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    expect(error.operationName).toBe('cities');
  });

  it('a document the schema rejects -> ValidationError (HTTP 400)', async () => {
    const client = cjs.createClient({ url: app.url });
    const error = await client.request('query { cities { nodes { noSuchField } } }').catch((e) => e);
    expect(error).toBeInstanceOf(cjs.ValidationError);
    expect(error.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.status).toBe(400);
  });

  it('unknown slug -> NotFoundError, with the field and the partial data', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.city({ slug: 'atlantis' }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.NotFoundError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.data).toEqual({ city: null });

    const filterError = await client.cities({ filter: { province: 'atlantis' } }).catch((e) => e);
    expect(filterError).toBeInstanceOf(esm.NotFoundError);
    expect(filterError.errors[0].extensions.field).toBe('filter.province');
  });

  it('a mutation whose payload has userErrors -> ValidationError with the field paths; throwOnUserErrors: false returns the payload', async () => {
    const before = await count('enterprise');
    const input = { city: 'tangshan', name: '唐山市格式错误有限公司', creditCode: '91130200-ABC', industry: esm.Industry.STEEL, size: esm.EnterpriseSize.LARGE };
    for (const sdk of [esm, cjs]) {
      const client = sdk.createClient({ url: app.url, token });
      const error = await client.createEnterprise({ input }).catch((e) => e);
      expect(error).toBeInstanceOf(sdk.ValidationError);
      expect(sdk.isAirledgerError(error)).toBe(true);
      expect(error.code).toBe('USER_ERRORS');
      expect(error.operationName).toBe('createEnterprise');
      expect(error.field).toBe('input.creditCode');
      const userError = { field: ['input', 'creditCode'], code: 'INVALID', message: 'A unified social credit code has exactly 18 characters.' };
      expect(error.fields).toEqual([{ path: userError.field, code: userError.code, message: userError.message }]);
      expect(error.message).toBe(`input.creditCode: ${userError.message}`);
      expect(error.data).toEqual({ createEnterprise: { enterprise: null, userErrors: [userError] } });

      const payload = await client.createEnterprise({ input }, { throwOnUserErrors: false });
      expect(payload).toEqual({ createEnterprise: { enterprise: null, userErrors: [userError] } });
      expect(() => sdk.assertNoUserErrors(payload.createEnterprise)).toThrow(sdk.ValidationError);
      const lenient = sdk.createClient({ url: app.url, token, throwOnUserErrors: false });
      expect(await lenient.createEnterprise({ input })).toEqual(payload);

      // Every problem of the input at once, each with its path.
      const several = await client.createEnterprise({ input: { ...input, name: '  ', city: 'atlantis' } }).catch((e) => e);
      expect(several).toBeInstanceOf(sdk.ValidationError);
      expect(several.fields.map((f: { path: string[]; code: string }) => [f.path.join('.'), f.code])).toEqual([
        ['input.name', 'REQUIRED'],
        ['input.creditCode', 'INVALID'],
        ['input.city', 'NOT_FOUND'],
      ]);
    }
    expect(await count('enterprise')).toBe(before);
  });

  it('partial data with errors is surfaced on the error, not dropped', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.request('query { good: city(slug: "baoding") { slug nameEn } bad: city(slug: "atlantis") { slug } }').catch((e) => e);
    expect(error).toBeInstanceOf(esm.NotFoundError);
    expect(error.data).toEqual({ good: { slug: 'baoding', nameEn: 'Baoding' }, bad: null });
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0].path).toEqual(['bad']);
  });
});

describe('network failures, timeouts and retries', () => {
  it('a server that is down -> NetworkError, after the configured retries', async () => {
    const url = await deadUrl();
    const client = esm.createClient({ url, retries: 2, retryDelayMs: 10 });
    const error = await client.regions().catch((e) => e);
    expect(error).toBeInstanceOf(esm.NetworkError);
    expect(error).not.toBeInstanceOf(esm.TimeoutError);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a server that never answers -> TimeoutError after timeoutMs (each attempt aborted)', async () => {
    const stub = await startStub(() => 'hang');
    try {
      const client = cjs.createClient({ url: stub.url, timeoutMs: 200, retries: 1, retryDelayMs: 10 });
      // The stub never answers: only the client's own timeout can end each attempt.
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(cjs.TimeoutError);
      expect(error).toBeInstanceOf(cjs.NetworkError);
      expect(error.timeoutMs).toBe(200);
      expect(stub.requests.length).toBe(2);
    } finally {
      await stub.close();
    }
  });

  it('retries a query after network failures and counts the calls', async () => {
    const flaky = flakyFetch(2);
    const client = esm.createClient({ url: app.url, fetch: flaky.fetch, retries: 2, retryDelayMs: 5 });
    const { city } = await client.city({ slug: 'xian' });
    expect(city?.nameEn).toBe("Xi'an");
    expect(flaky.calls.length).toBe(3);

    const tooFlaky = flakyFetch(3);
    const error = await esm.createClient({ url: app.url, fetch: tooFlaky.fetch, retries: 2, retryDelayMs: 5 }).city({ slug: 'xian' }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.NetworkError);
    expect(tooFlaky.calls.length).toBe(3);

    const noRetry = flakyFetch(1);
    const perCall = await esm.createClient({ url: app.url, fetch: noRetry.fetch }).city({ slug: 'xian' }, { retries: 0 }).catch((e) => e);
    expect(perCall).toBeInstanceOf(esm.NetworkError);
    expect(noRetry.calls.length).toBe(1);
  });

  it('does not retry errors that a retry cannot fix (bad input)', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch, retries: 3, retryDelayMs: 5 });
    await expect(client.city({ slug: 'atlantis' })).rejects.toBeInstanceOf(esm.NotFoundError);
    expect(counted.calls.length).toBe(1);
  });

  it('never retries a mutation without an idempotency key; retries it with one, sending Idempotency-Key', async () => {
    const mutation = 'mutation touch($id: ID!) { touch(id: $id) { ok } }';
    const failing = flakyFetch(5);
    const client = esm.createClient({ url: 'http://127.0.0.1:9/graphql', fetch: failing.fetch, retries: 3, retryDelayMs: 5 });
    await expect(client.request(mutation, { id: '1' })).rejects.toBeInstanceOf(esm.NetworkError);
    expect(failing.calls.length).toBe(1);

    const stub = await startStub((_req, i) => (i < 3 ? { status: 503, body: 'unavailable' } : { body: { data: { touch: { ok: true } } } }));
    try {
      const viaStub = esm.createClient({ url: stub.url, retries: 3, retryDelayMs: 5 });
      await expect(viaStub.request(mutation, { id: '1' })).rejects.toBeInstanceOf(esm.ServerError);
      expect(stub.requests.length).toBe(1);
      const data = await viaStub.request(mutation, { id: '1' }, { idempotencyKey: 'touch-1' });
      expect(data).toEqual({ touch: { ok: true } });
      expect(stub.requests.length).toBe(4);
      expect(stub.requests.slice(1).map((r) => r.headers['idempotency-key'])).toEqual(['touch-1', 'touch-1', 'touch-1']);
      expect(stub.requests[0].headers['idempotency-key']).toBeUndefined();
    } finally {
      await stub.close();
    }
  });

  it('a cancelled request rejects with the signal reason and is not retried', async () => {
    const stub = await startStub(() => 'hang');
    try {
      const client = esm.createClient({ url: stub.url, retries: 3 });
      const controller = new AbortController();
      const pending = client.regions(undefined, { signal: controller.signal }).catch((e) => e);
      setTimeout(() => controller.abort(new Error('user cancelled')), 50);
      const error = await pending;
      expect(error.message).toBe('user cancelled');
      expect(stub.requests.length).toBe(1);
    } finally {
      await stub.close();
    }
  });
});

describe('HTTP and GraphQL error mapping (local stub)', () => {
  it('HTTP 429 with Retry-After -> RateLimitError with retryAfter in seconds', async () => {
    const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' }));
    try {
      // 7 s is more than this client is willing to wait: it does not retry.
      const client = esm.createClient({ url: stub.url, maxRetryDelayMs: 1000 });
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.RateLimitError);
      expect(error.retryAfter).toBe(7);
      expect(error.status).toBe(429);
      expect(stub.requests.length).toBe(1);
    } finally {
      await stub.close();
    }
  });

  it('HTTP 429 with a short Retry-After is waited for, then retried', async () => {
    const stub = await startStub((_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] } } : { body: { data: { regions: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } }));
    try {
      const client = cjs.createClient({ url: stub.url, retryDelayMs: 5 });
      const started = Date.now();
      const { regions } = await client.regions();
      expect(regions.totalCount).toBe(0);
      expect(stub.requests.length).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await stub.close();
    }
  });

  it('HTTP 500 -> ServerError (retried for a query)', async () => {
    const stub = await startStub(() => ({ status: 500, body: '<html>Internal Server Error</html>' }));
    try {
      const client = esm.createClient({ url: stub.url, retries: 2, retryDelayMs: 5 });
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.ServerError);
      expect(error.status).toBe(500);
      expect(error.code).toBe('HTTP_500');
      expect(stub.requests.length).toBe(3);
    } finally {
      await stub.close();
    }
  });

  it('maps every extensions.code and HTTP status to its class, and sends token and headers', async () => {
    const cases: [string | number, keyof Sdk][] = [
      ['UNAUTHENTICATED', 'AuthenticationError'],
      ['FORBIDDEN', 'PermissionError'],
      ['BAD_USER_INPUT', 'ValidationError'],
      ['NOT_FOUND', 'NotFoundError'],
      ['CONFLICT', 'ConflictError'],
      ['RATE_LIMITED', 'RateLimitError'],
      ['INTERNAL_SERVER_ERROR', 'ServerError'],
      [401, 'AuthenticationError'],
      [403, 'PermissionError'],
      [404, 'NotFoundError'],
      [409, 'ConflictError'],
      [502, 'ServerError'],
    ];
    for (const [answer, className] of cases) {
      const stub = await startStub(() =>
        typeof answer === 'number'
          ? { status: answer, body: 'nope' }
          : { body: { data: null, errors: [{ message: `failed: ${answer}`, extensions: { code: answer, field: 'input.name' } }] } },
      );
      try {
        const client = cjs.createClient({ url: stub.url, token: 't0ken', headers: { 'x-app': 'report-builder' }, retries: 0 });
        const error = await client.regions().catch((e) => e);
        expect(error, String(answer)).toBeInstanceOf(cjs[className] as any);
        expect(error.name).toBe(className);
        expect(cjs.isAirledgerError(error)).toBe(true);
        expect(esm.isAirledgerError(error)).toBe(true);
        if (typeof answer === 'string') expect(error.code).toBe(answer);
        else expect(error.status).toBe(answer);
        if (className === 'ValidationError') expect(error.field).toBe('input.name');
        expect(stub.requests[0].headers.authorization).toBe('Bearer t0ken');
        expect(stub.requests[0].headers['x-app']).toBe('report-builder');
        expect(stub.requests[0].body.operationName).toBe('regions');
      } finally {
        await stub.close();
      }
    }
  });

  it('mutation userErrors throw ValidationError with their field paths by default; throwOnUserErrors: false returns the payload', async () => {
    const payload = { createThing: { thing: null, userErrors: [{ field: ['input', 'creditCode'], code: 'TAKEN', message: 'Already registered.' }] } };
    const stub = await startStub(() => ({ body: { data: payload } }));
    try {
      const client = esm.createClient({ url: stub.url });
      const mutation = 'mutation createThing { createThing(input: {}) { thing { id } userErrors { field code message } } }';
      const error = await client.request(mutation).catch((e) => e);
      expect(error).toBeInstanceOf(esm.ValidationError);
      expect(error.code).toBe('USER_ERRORS');
      expect(error.fields).toEqual([{ path: ['input', 'creditCode'], code: 'TAKEN', message: 'Already registered.' }]);
      expect(error.field).toBe('input.creditCode');
      expect(error.data).toEqual(payload);

      const returned = await client.request<typeof payload>(mutation, undefined, { throwOnUserErrors: false });
      expect(returned).toEqual(payload);
      expect(() => esm.assertNoUserErrors(returned.createThing)).toThrow(esm.ValidationError);
      const lenient = esm.createClient({ url: stub.url, throwOnUserErrors: false });
      expect(await lenient.request(mutation)).toEqual(payload);
    } finally {
      await stub.close();
    }
  });

  it('a 200 response that is not JSON -> ServerError', async () => {
    const stub = await startStub(() => ({ status: 200, body: 'hello' }));
    try {
      const error = await esm.createClient({ url: stub.url, retries: 0 }).regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.ServerError);
      expect(error.code).toBe('INVALID_RESPONSE');
    } finally {
      await stub.close();
    }
  });
});
