/**
 * Compiled reads, differentially: a read-only query answered in one SQL statement by the compiled
 * path gives byte for byte the answer of ordinary resolver execution.
 *
 * Two servers share one database (the whole demo dataset plus a small fixture with awkward
 * values): `startTestApp()`'s server (compiled reads on) and a reference server built with
 * `compiledReads: false`. Every case of the corpus is POSTed to both; it proves that
 * - the HTTP status, content type and response body text are identical once the top-level
 *   `extensions` member (sqlStatements differs) is cut out of the text, nothing else touched;
 * - the reference server never answers through the compiled path;
 * - the cases marked `compiles: true` (national MINISTRY key or anonymous caller, public data,
 *   only compilable types, nothing unknown) are answered by the compiled path (response header
 *   `airledger-execution: compiled`) in exactly one SQL statement;
 * - unusual outcomes (unknown slugs, missing or malformed ids, invalid arguments, scoped or bad
 *   keys, anonymous callers asking for non-public data) give the reference behaviour;
 * - a compiled read right after a mutation shows the new values (no stale cache).
 * Each case also checks its own answer on the reference server (no errors, or the expected error
 * code, and that lists are not empty), so that no case passes because both servers fail alike.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { withoutTopLevelExtensions } from '../helpers/response-text.js';

// ---------------------------------------------------------------------------------------------
// Servers, callers and the fixture

let app: TestApp;
let reference: LedgerServer;
let referenceUrl: string;

/** Who a case asks as. */
type Caller = 'ministry' | 'readOnly' | 'anonymous' | 'city' | 'province' | 'provinceReadOnly' | 'revoked' | 'unknown';
const secrets: Record<Caller, string | null> = {
  ministry: null,
  readOnly: null,
  anonymous: null,
  city: null,
  province: null,
  provinceReadOnly: null,
  revoked: null,
  unknown: 'airl_this-key-was-never-issued-by-anyone-at-all',
};

/** Ids of records the cases look up, chosen in beforeAll. */
const fx = {
  /** An enterprise created by the fixture: quotes, backslash, emoji in its name; microsecond timestamps. */
  oddEnterpriseId: '',
  oddEnterpriseName: '',
  /** A demo enterprise with at least three grade changes. */
  gradedEnterpriseId: '',
  /** A demo enterprise never graded (currentGrade null). */
  ungradedEnterpriseId: '',
  /** A finished demo project with an enterprise and a task target (every nullable field set). */
  fullProjectId: '',
  /** A planned demo project without an enterprise (nullable fields null). */
  bareProjectId: '',
  /** The first eight characters of a demo enterprise's credit code. */
  creditCodePrefix: '',
};

beforeAll(async () => {
  app = await startTestApp();
  await seedDemoIfEmpty(app.orm, 20231001);

  // The reference: same database, compiled reads off, listening like startTestApp's server.
  const config = { exposeSqlCount: true, introspection: true, compiledReads: false } as Parameters<typeof createServer>[1];
  reference = await createServer(app.orm, config);
  await new Promise<void>((resolve) => reference.httpServer.listen(0, '127.0.0.1', resolve));
  referenceUrl = `http://127.0.0.1:${(reference.httpServer.address() as AddressInfo).port}/graphql`;

  secrets.ministry = app.ministryToken;
  secrets.city = (await app.createKey({ role: 'CITY', city: 'tangshan' })).secret;
  secrets.province = (await app.createKey({ role: 'PROVINCE', province: 'hebei' })).secret;
  secrets.provinceReadOnly = (await app.createKey({ role: 'READ_ONLY', province: 'shanxi' })).secret;
  secrets.readOnly = (await app.createKey({ role: 'READ_ONLY' })).secret;
  const revoked = await app.createKey({ role: 'MINISTRY', name: 'revoked for compiled-reads' });
  await app.sql(`update api_key set revoked_at = now(), revoked_by = 'system:test' where id = ?`, [revoked.id]);
  secrets.revoked = revoked.secret;

  // An enterprise with awkward text and timestamps with microseconds (written now, through the API).
  let state = 2023;
  const random = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  fx.oddEnterpriseName = `唐山市"引号"\\反斜杠 O'Brien & <b>钢铁</b> 😀 100%_有限公司`;
  const created = await app.data(
    `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id } userErrors { field code message } } }`,
    { input: { city: 'tangshan', name: fx.oddEnterpriseName, creditCode: generateCreditCode('130200', random), industry: 'STEEL', size: 'LARGE', benchmark: true, ultraLowEmissionStatus: 'ASSESSED_AND_PUBLICISED' } },
  );
  expect(created.createEnterprise.userErrors).toEqual([]);
  fx.oddEnterpriseId = created.createEnterprise.enterprise.id;
  for (const [toGrade, decidedAt, note] of [
    ['B', '2024-01-15T08:30:00.123Z', '首次评级 "B" \\ line\nbreak\ttab'],
    ['A', null, null],
  ] as const) {
    const d = await app.data(
      `mutation($input: RecordGradeChangeInput!) { recordGradeChange(input: $input) { userErrors { field code message } } }`,
      { input: { enterpriseId: fx.oddEnterpriseId, toGrade, reason: toGrade === 'B' ? 'ASSESSMENT' : 'UPGRADE_ON_IMPROVEMENT', decidedBy: '唐山市生态环境局', ...(decidedAt ? { decidedAt } : {}), ...(note ? { note } : {}) } },
    );
    expect(d.recordGradeChange.userErrors).toEqual([]);
  }

  const one = async (sql: string) => (await app.sql<Record<string, any>>(sql))[0];
  fx.gradedEnterpriseId = String(
    (await one(`select enterprise_id as id from grade_change group by enterprise_id having count(*) >= 3 order by enterprise_id limit 1`)).id,
  );
  fx.ungradedEnterpriseId = String((await one(`select id from enterprise where current_grade is null and origin = 'DEMO' order by id limit 1`)).id);
  fx.fullProjectId = String(
    (
      await one(`select id from retrofit_project where actual_end_date is not null and actual_start_date is not null
        and enterprise_id is not null and task_target_id is not null order by id limit 1`)
    ).id,
  );
  fx.bareProjectId = String((await one(`select id from retrofit_project where enterprise_id is null and actual_start_date is null order by id limit 1`)).id);
  fx.creditCodePrefix = String((await one(`select credit_code from enterprise where origin = 'DEMO' order by id limit 1`)).credit_code).slice(0, 8);
});

afterAll(async () => {
  if (executions.length) {
    // What the compiled server did with each case, for whoever reads the run's output.
    console.info(
      `[compiled-reads] execution per case (compiled server):\n${executions.map((e) => `  ${e.execution.padEnd(9)} sql=${String(e.sql).padEnd(3)} ${e.compiles ? 'must compile ' : 'not asserted '}  ${e.name}`).join('\n')}`,
    );
  }
  await reference?.stop();
  await app?.close();
});

// ---------------------------------------------------------------------------------------------
// HTTP and comparison helpers

interface Answer {
  status: number;
  contentType: string | null;
  execution: string | null;
  text: string;
  body: any;
}

async function post(url: string, caller: Caller, payload: Record<string, unknown>): Promise<Answer> {
  const token = secrets[caller];
  const res = await fetch(url, {
    method: 'POST',
    // The same request id on both servers: errors carry it in extensions.requestId.
    headers: { 'content-type': 'application/json', 'x-request-id': 'compare-compiled-and-resolvers', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparseableResponseText: text.slice(0, 1000) };
  }
  return { status: res.status, contentType: res.headers.get('content-type'), execution: res.headers.get('airledger-execution'), text, body };
}

/** The first place where two JSON values differ, e.g. `$.data.enterprises.nodes[3].name: "x" != "y"`; null when equal. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  const show = (v: unknown) => {
    const s = JSON.stringify(v);
    return s === undefined ? 'undefined' : s.length > 200 ? `${s.slice(0, 200)}...` : s;
  };
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return a.length === b.length ? d : `${d} (lengths ${a.length} != ${b.length})`;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (const k of new Set([...ka, ...kb])) {
      const d = firstDifference((a as any)[k], (b as any)[k], `${path}.${k}`);
      if (d) return d;
    }
    if (ka.join() !== kb.join()) return `${path}: keys in another order: [${ka}] != [${kb}]`;
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${show(a)} (compiled) != ${show(b)} (reference)`;
}

/** Where two texts first differ, with context; null when equal. */
function textDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (s: string) => s.slice(Math.max(0, i - 80), i + 400).replace(/\n/g, '\\n');
  return `offset ${i} (lengths ${a.length} and ${b.length}):\n  compiled:  ${around(a)}\n  reference: ${around(b)}`;
}

const at = (value: any, path: string) => path.split('.').reduce((v, k) => v?.[k], value);

// ---------------------------------------------------------------------------------------------
// The corpus

const ENTERPRISE = `id name creditCode industry size currentGrade benchmark keyDischarger onlineMonitoring positiveList
  protectedClass ultraLowEmissionStatus origin version createdAt createdBy updatedAt updatedBy`;
const PROJECT = `id name type status plannedStartDate plannedEndDate actualStartDate actualEndDate households units
  capacityTonnes investmentYuan origin version createdAt createdBy updatedAt updatedBy`;
const CITY = `id slug nameEn nameZh kind divisionCode regionCode createdAt createdBy updatedAt updatedBy`;
const PROVINCE = `id slug nameEn nameZh divisionCode createdAt createdBy updatedAt updatedBy`;
const REGION = `id code nameEn nameZh createdAt createdBy updatedAt updatedBy`;
const GRADE_CHANGE = `id fromGrade toGrade reason decidedAt decidedBy note origin createdAt createdBy updatedAt updatedBy`;
const TASK_TARGET = `id code nameEn nameZh scope comparator quantity unit deadline deadlineNote origin createdAt createdBy updatedAt updatedBy`;
const PAGE_INFO = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const COVERAGE = 'from to expectedCount observedCount requiredCount percentComplete complete months { month expectedCount observedCount requiredCount complete }';
const ATTAINMENT = `campaign { code } city { slug } periodDays observedDays pm25Mean pm25Target pm25Met pm25Status heavyPollutionDays heavyDaysTarget heavyDaysMet heavyDaysStatus
  coverage { ${COVERAGE} } annual { year pm25Mean pm25Target status met coverage { ${COVERAGE} } }`;

interface Case {
  name: string;
  query: string;
  /** Variables, or a function computing them (e.g. a cursor read from a first page on the reference server). */
  variables?: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
  operationName?: string;
  /** Default: the suite's MINISTRY key. */
  as?: Caller;
  /** Whether the compiled server must answer it through the compiled path in one statement. */
  compiles: boolean;
  /** The expected HTTP status (default 200). */
  status?: number;
  /** The expected `extensions.code` of the first error; without it the answer must have no errors. */
  error?: string;
  /** Paths (dot-separated, from `data`) of lists that must not be empty, so that the comparison is not vacuous. */
  nonEmpty?: string[];
  /** More checks of the reference answer. */
  check?: (data: any) => void;
}

/** Variables with the endCursor of a first page (read from the reference server). */
const afterFirstPage =
  (query: string, connection: string, variables: Record<string, unknown> = {}) =>
  async (): Promise<Record<string, unknown>> => {
    const first = await post(referenceUrl, 'ministry', { query, variables: { ...variables, after: null } });
    const cursor = at(first.body.data, `${connection}.pageInfo.endCursor`);
    expect(typeof cursor, 'endCursor of the first page').toBe('string');
    return { ...variables, after: cursor };
  };

const ENTERPRISE_PAGE = `query($first: Int, $after: String, $orderBy: EnterpriseOrder) {
  enterprises(first: $first, after: $after, orderBy: $orderBy) {
    totalCount ${PAGE_INFO} edges { cursor node { id name creditCode createdAt currentGrade } } } }`;
const PROJECT_PAGE = `query($after: String, $filter: RetrofitProjectFilter) {
  retrofitProjects(first: 7, after: $after, filter: $filter, orderBy: { field: PLANNED_END_DATE, direction: DESC }) {
    totalCount ${PAGE_INFO} edges { cursor node { ${PROJECT} } } } }`;
const CITY_PAGE = `query($after: String) {
  cities(first: 10, after: $after, orderBy: { field: PLAN_ORDER, direction: DESC }) { totalCount ${PAGE_INFO} nodes { slug nameEn } } }`;

const CASES: Case[] = [
  // Root lists: enterprises
  {
    name: 'enterprises(first: 1): every scalar field',
    query: `{ enterprises(first: 1) { nodes { ${ENTERPRISE} } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises(first: 7) by NAME: edges, cursors, pageInfo, totalCount',
    query: `{ enterprises(first: 7, orderBy: { field: NAME }) { totalCount ${PAGE_INFO} edges { cursor node { id name } } } }`,
    compiles: true,
    nonEmpty: ['enterprises.edges'],
  },
  {
    name: 'enterprises(first: 50) by NAME DESC, nodes and edges together',
    query: `{ enterprises(first: 50, orderBy: { field: NAME, direction: DESC }) { totalCount nodes { id name city { slug } } edges { cursor } ${PAGE_INFO} } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises(first: 500) by CREDIT_CODE, every scalar field',
    query: `{ enterprises(first: 500, orderBy: { field: CREDIT_CODE, direction: ASC }) { totalCount ${PAGE_INFO} nodes { ${ENTERPRISE} } } }`,
    compiles: true,
    check: (d) => expect(d.enterprises.nodes).toHaveLength(500),
  },
  {
    name: 'enterprises by CREDIT_CODE DESC, first via a variable',
    query: ENTERPRISE_PAGE,
    variables: { first: 7, orderBy: { field: 'CREDIT_CODE', direction: 'DESC' } },
    compiles: true,
    nonEmpty: ['enterprises.edges'],
  },
  {
    name: 'enterprises by CREATED_AT ASC (ties broken by id)',
    query: ENTERPRISE_PAGE,
    variables: { first: 50, orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
    compiles: true,
    nonEmpty: ['enterprises.edges'],
  },
  {
    name: 'enterprises by CREATED_AT DESC: the fixture enterprise (microsecond timestamps) first',
    query: ENTERPRISE_PAGE,
    variables: { first: 50, orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
    compiles: true,
    check: (d) => expect(d.enterprises.edges[0].node.id).toBe(fx.oddEnterpriseId),
  },
  {
    name: 'enterprises after the endCursor of a first page (NAME)',
    query: ENTERPRISE_PAGE,
    variables: afterFirstPage(ENTERPRISE_PAGE, 'enterprises', { first: 7, orderBy: { field: 'NAME', direction: 'ASC' } }),
    compiles: true,
    check: (d) => expect(d.enterprises.edges).toHaveLength(7),
  },
  {
    name: 'enterprises after the endCursor of a first page (CREATED_AT DESC, the last page of 500)',
    query: ENTERPRISE_PAGE,
    variables: afterFirstPage(ENTERPRISE_PAGE, 'enterprises', { first: 500, orderBy: { field: 'CREATED_AT', direction: 'DESC' } }),
    compiles: true,
    nonEmpty: ['enterprises.edges'],
  },
  {
    name: 'enterprises filtered by province, industries and sizes',
    query: `{ enterprises(first: 50, filter: { province: "hebei", industries: [STEEL, COKING], sizes: [LARGE, MEDIUM] }) {
      totalCount nodes { id name industry size city { slug province { slug } } } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises filtered by city and grades',
    query: `{ enterprises(first: 50, filter: { city: "tangshan", grades: [LEADING, A] }, orderBy: { field: CREDIT_CODE }) {
      totalCount nodes { id name currentGrade creditCode } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises filtered by region, never graded',
    query: `{ enterprises(first: 50, filter: { region: FENWEI_PLAIN, graded: false }) { totalCount nodes { id name currentGrade } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises graded, ultra-low emission completed, key dischargers',
    query: `{ enterprises(first: 50, filter: { graded: true, ultraLowEmissionStatuses: [COMPLETED, ASSESSED_AND_PUBLICISED], keyDischarger: true }) {
      totalCount nodes { id currentGrade ultraLowEmissionStatus keyDischarger } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises: benchmark enterprises, filter given as a variable',
    query: `query($filter: EnterpriseFilter, $first: Int) { enterprises(first: $first, filter: $filter) { totalCount nodes { id name benchmark } } }`,
    variables: { first: 20, filter: { benchmark: true } },
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises: search for a name fragment',
    query: `{ enterprises(first: 50, filter: { search: "钢铁" }) { totalCount nodes { id name } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises: search for a credit code prefix',
    query: `query($search: String) { enterprises(first: 10, filter: { search: $search }) { totalCount nodes { id creditCode } } }`,
    variables: async () => ({ search: fx.creditCodePrefix.toLowerCase() }),
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'enterprises: search with % and _ matches them literally',
    query: `{ percent: enterprises(filter: { search: "%" }) { totalCount nodes { id name } }
      underscore: enterprises(filter: { search: "0%_" }) { totalCount nodes { id name } }
      both: enterprises(filter: { search: "_有" }) { totalCount } }`,
    compiles: true,
    check: (d) => {
      expect(d.percent.nodes.map((e: any) => e.id)).toEqual([fx.oddEnterpriseId]);
      expect(d.underscore.totalCount).toBe(1);
      expect(d.both.totalCount).toBe(1);
    },
  },

  // Root lists: cities, provinces, regions
  {
    name: 'cities: every scalar field, default order, totalCount and pageInfo',
    query: `{ cities(first: 100) { totalCount ${PAGE_INFO} nodes { ${CITY} } } }`,
    compiles: true,
    check: (d) => expect(d.cities.nodes).toHaveLength(56),
  },
  {
    name: 'cities(first: 7) by SLUG DESC: edges',
    query: `{ cities(first: 7, orderBy: { field: SLUG, direction: DESC }) { totalCount ${PAGE_INFO} edges { cursor node { slug nameZh } } } }`,
    compiles: true,
    nonEmpty: ['cities.edges'],
  },
  {
    name: 'cities of a province by NAME_EN',
    query: `{ cities(filter: { province: "shanxi" }, orderBy: { field: NAME_EN }) { totalCount nodes { slug nameEn kind province { slug } region { code } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'cities by PLAN_ORDER DESC after the endCursor of a first page',
    query: CITY_PAGE,
    variables: afterFirstPage(CITY_PAGE, 'cities'),
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'provinces: every scalar field and their cities',
    query: `{ provinces { totalCount ${PAGE_INFO} nodes { ${PROVINCE} cities { slug nameEn divisionCode } } } }`,
    compiles: true,
    nonEmpty: ['provinces.nodes'],
  },
  {
    name: 'regions(first: 1): edges, every scalar field, cities with their province',
    query: `{ regions(first: 1) { totalCount ${PAGE_INFO} edges { cursor node { ${REGION} cities { slug kind province { slug } } } } } }`,
    compiles: true,
    nonEmpty: ['regions.edges'],
  },

  // The combustion-unit inventory
  {
    name: 'combustionUnits: default order, every scalar field, city, enterprise and elimination project',
    query: `{ combustionUnits(first: 40) { totalCount ${PAGE_INFO} nodes { id kind name fuel capacityTph chamberHeightM industry centralHeating newBuild approvedException status scheduledEliminationBy eliminatedOn origin version createdAt updatedAt createdBy updatedBy city { slug } enterprise { id name } eliminationProject { id type status } } } }`,
    compiles: true,
    nonEmpty: ['combustionUnits.nodes'],
  },
  {
    name: 'combustionUnits of a province, eliminated boilers, by NAME',
    query: `{ combustionUnits(first: 20, filter: { province: "hebei", kinds: [BOILER], statuses: [ELIMINATED] }, orderBy: { field: NAME }) { totalCount nodes { name capacityTph eliminatedOn city { slug } } } }`,
    compiles: true,
    nonEmpty: ['combustionUnits.nodes'],
  },
  // Counties, townships, villages and the village conversion list
  {
    name: 'localities: default order, every scalar field, city, parent and children',
    query: `{ localities(first: 40) { totalCount ${PAGE_INFO} nodes { id level nameZh divisionCode origin version createdAt updatedAt createdBy updatedBy city { slug } parent { id level nameZh } children { id nameZh level } } } }`,
    compiles: true,
    nonEmpty: ['localities.nodes'],
  },
  {
    name: 'localities of a province, villages, by NAME_ZH descending',
    query: `{ localities(first: 25, filter: { province: "henan", levels: [VILLAGE] }, orderBy: { field: NAME_ZH, direction: DESC }) { totalCount nodes { nameZh parent { nameZh parent { nameZh } } } } }`,
    compiles: true,
    nonEmpty: ['localities.nodes'],
  },
  {
    name: 'householdConversions: every scalar field, city, village and project',
    query: `{ householdConversions(first: 40) { totalCount ${PAGE_INFO} nodes { id households newSystem convertedOn supplyStable firstSeasonCompletedOn oldHeatingRemovedOn origin version createdAt updatedAt createdBy updatedBy city { slug } village { id nameZh level } project { id type status } } } }`,
    compiles: true,
    nonEmpty: ['householdConversions.nodes'],
  },
  {
    name: 'householdConversions of a province, old heating removed, gas, by CONVERTED_ON descending',
    query: `{ householdConversions(first: 30, filter: { province: "shandong", oldHeatingRemoved: true, newSystems: [GAS], convertedFrom: "2023-01-01" }, orderBy: { field: CONVERTED_ON, direction: DESC }) { totalCount nodes { households convertedOn oldHeatingRemovedOn } } }`,
    compiles: true,
    nonEmpty: ['householdConversions.nodes'],
  },
  {
    name: 'agriculturalCoalFacilities: every scalar field, city, village and project; replaced ones by NAME',
    query: `{ all: agriculturalCoalFacilities(first: 40) { totalCount ${PAGE_INFO} nodes { id name kind status replacedBy replacedOn origin version createdAt updatedAt createdBy updatedBy city { slug } village { id nameZh } project { id type } } }
      replaced: agriculturalCoalFacilities(first: 20, filter: { province: "shandong", statuses: [REPLACED], kinds: [GREENHOUSE, GRAIN_DRYER] }, orderBy: { field: NAME }) { totalCount nodes { name replacedOn } } }`,
    compiles: true,
    nonEmpty: ['all.nodes'],
  },
  {
    name: 'banZones: every scalar field; designated by the end of 2023, by AREA_KM2 descending',
    query: `{ all: banZones(first: 40) { totalCount ${PAGE_INFO} nodes { id name areaKm2 designatedOn origin version createdAt updatedAt createdBy updatedBy city { slug } } }
      by2023: banZones(first: 20, filter: { region: FENWEI_PLAIN, designatedBy: "2023-12-31" }, orderBy: { field: AREA_KM2, direction: DESC }) { totalCount nodes { areaKm2 } } }`,
    compiles: true,
    nonEmpty: ['all.nodes', 'by2023.nodes'],
  },
  {
    name: 'retrofitProjects with the household conversions they carried',
    query: `{ retrofitProjects(first: 30, filter: { types: [CLEAN_HEATING_COAL_TO_GAS], statuses: [COMPLETED] }) { totalCount nodes { id households householdConversions { id households convertedOn } } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },
  {
    name: 'retrofitProjects with the units they eliminate',
    query: `{ retrofitProjects(first: 30, filter: { types: [BOILER_ELIMINATION, GAS_GENERATOR_ELIMINATION] }) { totalCount nodes { id units eliminatedUnits { id kind status eliminatedOn } } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },

  // Root lists: retrofit projects, grade changes, task targets
  {
    name: 'retrofitProjects: default order, every scalar field',
    query: `{ retrofitProjects { totalCount ${PAGE_INFO} nodes { ${PROJECT} } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },
  {
    name: 'retrofitProjects(first: 7) by NAME: edges',
    query: `{ retrofitProjects(first: 7, orderBy: { field: NAME }) { totalCount ${PAGE_INFO} edges { cursor node { id name } } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.edges'],
  },
  {
    name: 'retrofitProjects(first: 50) by INVESTMENT_YUAN DESC: decimals',
    query: `{ retrofitProjects(first: 50, orderBy: { field: INVESTMENT_YUAN, direction: DESC }) { nodes { id investmentYuan capacityTonnes households units } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },
  {
    name: 'retrofitProjects(first: 500) by PLANNED_END_DATE: dates',
    query: `{ retrofitProjects(first: 500, orderBy: { field: PLANNED_END_DATE }) { totalCount nodes { id plannedStartDate plannedEndDate actualStartDate actualEndDate investmentYuan } } }`,
    compiles: true,
    check: (d) => expect(d.retrofitProjects.nodes).toHaveLength(500),
  },
  {
    name: 'retrofitProjects filtered by province, statuses and types',
    query: `{ retrofitProjects(first: 50, filter: { province: "shandong", statuses: [COMPLETED, VERIFIED], types: [CLEAN_HEATING_COAL_TO_GAS, CLEAN_HEATING_COAL_TO_ELECTRICITY, BOILER_ELIMINATION, VOCS_STORAGE_TANKS] }) {
      totalCount nodes { id name status type city { slug province { slug } } } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },
  {
    name: 'retrofitProjects after the endCursor of a first page (filter as a variable)',
    query: PROJECT_PAGE,
    variables: afterFirstPage(PROJECT_PAGE, 'retrofitProjects', { filter: { statuses: ['PLANNED', 'IN_PROGRESS'] } }),
    compiles: true,
    nonEmpty: ['retrofitProjects.edges'],
  },
  {
    name: 'retrofitProjects with their enterprise (nullable), city and task target',
    query: `{ retrofitProjects(first: 50, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { id name
      enterprise { id name currentGrade city { slug } } city { slug nameEn } taskTarget { ${TASK_TARGET} } } } }`,
    compiles: true,
    nonEmpty: ['retrofitProjects.nodes'],
  },
  {
    name: 'gradeChanges: every field, edges, pageInfo, with enterprise and city',
    query: `{ gradeChanges(first: 50) { totalCount ${PAGE_INFO} edges { cursor node { ${GRADE_CHANGE} enterprise { id name } city { slug } } } } }`,
    compiles: true,
    nonEmpty: ['gradeChanges.edges'],
  },
  {
    name: 'taskTargets: every scalar field with city and province',
    query: `{ taskTargets { totalCount ${PAGE_INFO} nodes { ${TASK_TARGET} city { slug } province { slug } } } }`,
    compiles: true,
    nonEmpty: ['taskTargets.nodes'],
  },

  // Nesting
  {
    name: 'nested: cities -> province, enterprises(first: 3) -> gradeChanges(first: 2)',
    query: `{ cities(first: 50) { nodes { slug province { slug nameEn }
      enterprises(first: 3, orderBy: { field: CREDIT_CODE, direction: DESC }) { totalCount nodes { id name currentGrade
        gradeChanges(first: 2) { totalCount nodes { fromGrade toGrade reason decidedAt decidedBy note } } } } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'nested: enterprises -> city -> province -> cities, region; retrofitProjects(first: 2) -> taskTarget',
    query: `{ enterprises(first: 20, filter: { industries: [STEEL] }, orderBy: { field: NAME }) { nodes { id name
      city { slug province { slug cities { slug } } region { code nameEn } }
      retrofitProjects(first: 2) { totalCount ${PAGE_INFO} nodes { name status taskTarget { code unit } } }
      gradeChanges { totalCount edges { cursor node { toGrade enterprise { id } } } } } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'nested: cities -> enterprises filtered (city filter) -> retrofitProjects filtered',
    query: `{ cities(filter: { region: JJJ_SURROUNDING }, first: 10) { nodes { slug
      enterprises(first: 5, filter: { sizes: [LARGE], graded: true }, orderBy: { field: NAME, direction: DESC }) { totalCount nodes { name size }  }
      retrofitProjects(first: 3, filter: { statuses: [COMPLETED] }, orderBy: { field: INVESTMENT_YUAN, direction: DESC }) { totalCount nodes { name investmentYuan } } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },

  // Single lookups
  {
    name: 'enterprise(id): the fixture (quotes, backslash, emoji, microsecond timestamps) and its grade changes',
    query: `query($id: ID!) { enterprise(id: $id) { ${ENTERPRISE} city { ${CITY} } gradeChanges { totalCount nodes { ${GRADE_CHANGE} } } } }`,
    variables: async () => ({ id: fx.oddEnterpriseId }),
    compiles: true,
    check: (d) => {
      expect(d.enterprise.name).toBe(fx.oddEnterpriseName);
      expect(d.enterprise.gradeChanges.totalCount).toBe(2);
    },
  },
  {
    name: 'enterprise(id): a graded demo enterprise, every scalar field',
    query: `query($id: ID!) { enterprise(id: $id) { ${ENTERPRISE} gradeChanges(first: 2) { ${PAGE_INFO} nodes { ${GRADE_CHANGE} } } } }`,
    variables: async () => ({ id: fx.gradedEnterpriseId }),
    compiles: true,
    check: (d) => expect(d.enterprise.gradeChanges.pageInfo.hasNextPage).toBe(true),
  },
  {
    name: 'enterprise(id): an ungraded demo enterprise (nulls)',
    query: `query($id: ID!) { enterprise(id: $id) { ${ENTERPRISE} gradeChanges { totalCount nodes { id } } retrofitProjects { totalCount nodes { id } } } }`,
    variables: async () => ({ id: fx.ungradedEnterpriseId }),
    compiles: true,
    check: (d) => expect(d.enterprise.currentGrade).toBeNull(),
  },
  {
    name: 'city(slug): every scalar field, province, region',
    query: `{ city(slug: "tangshan") { ${CITY} province { ${PROVINCE} } region { ${REGION} } } }`,
    compiles: true,
    check: (d) => expect(d.city.slug).toBe('tangshan'),
  },
  {
    name: "city(slug): Xiong'an (null divisionCode)",
    query: `{ city(slug: "xiongan") { ${CITY} } }`,
    compiles: true,
    check: (d) => expect(d.city.divisionCode).toBeNull(),
  },
  {
    name: 'province(slug): every scalar field and its cities',
    query: `{ province(slug: "hebei") { ${PROVINCE} cities { ${CITY} } } }`,
    compiles: true,
    check: (d) => expect(d.province.cities.length).toBeGreaterThan(10),
  },
  {
    name: 'region(code): every scalar field',
    query: `{ region(code: FENWEI_PLAIN) { ${REGION} cities { slug } } }`,
    compiles: true,
    check: (d) => expect(d.region.code).toBe('FENWEI_PLAIN'),
  },
  {
    name: 'retrofitProject(id): a finished project, every scalar field, enterprise, city, task target',
    query: `query($id: ID!) { retrofitProject(id: $id) { ${PROJECT} enterprise { ${ENTERPRISE} } city { slug } taskTarget { ${TASK_TARGET} } } }`,
    variables: async () => ({ id: fx.fullProjectId }),
    compiles: true,
    check: (d) => expect(d.retrofitProject.actualEndDate).not.toBeNull(),
  },
  {
    name: 'retrofitProject(id): a planned project without enterprise (nulls)',
    query: `query($id: ID!) { retrofitProject(id: $id) { ${PROJECT} enterprise { id } taskTarget { code } } }`,
    variables: async () => ({ id: fx.bareProjectId }),
    compiles: true,
    check: (d) => expect(d.retrofitProject.enterprise).toBeNull(),
  },
  {
    name: 'taskTarget(code): every scalar field',
    query: `{ taskTarget(code: "COAL_HOUSEHOLDS") { ${TASK_TARGET} province { slug } city { slug } } }`,
    compiles: true,
    check: (d) => expect(d.taskTarget.code).toBe('COAL_HOUSEHOLDS'),
  },

  // Task targets with progress computed in the statement, every comparator and unit
  {
    name: 'taskTarget(code): progress and breakdown by province (the bench\'s Q5)',
    query: `{ taskTarget(code: "COAL_HOUSEHOLDS") { code quantity progress { __typename achieved percent met countedProjects }
      breakdown { __typename quantity province { slug } city { slug } progress { achieved percent met countedProjects } } } }`,
    compiles: true,
    nonEmpty: ['taskTarget.breakdown'],
  },
  {
    name: 'taskTargets: progress of every target (DONE, AT_LEAST, MORE_THAN ... targets), breakdowns',
    query: `{ taskTargets(first: 100) { totalCount nodes { ${TASK_TARGET} progress { achieved percent met countedProjects }
      breakdown { quantity progress { percent met countedProjects } } projects(first: 2) { totalCount nodes { id status } } } } }`,
    compiles: true,
    nonEmpty: ['taskTargets.nodes'],
    check: (d) => expect(new Set(d.taskTargets.nodes.map((t: any) => t.comparator)).size).toBeGreaterThan(1),
  },
  {
    name: 'taskTargets of a province and scopes, by CODE DESC, and by DEADLINE after a first page',
    query: `query($after: String) { a: taskTargets(filter: { province: "hebei" }, orderBy: { field: CODE, direction: DESC }) { nodes { code scope } }
      b: taskTargets(first: 3, after: $after, orderBy: { field: DEADLINE }) { ${PAGE_INFO} nodes { code deadline } } }`,
    variables: afterFirstPage(`query($after: String) { b: taskTargets(first: 3, after: $after, orderBy: { field: DEADLINE }) { ${PAGE_INFO} nodes { code } } }`, 'b'),
    compiles: true,
    nonEmpty: ['a.nodes', 'b.nodes'],
  },
  {
    name: 'fallback: taskTarget of an unknown code (NOT_FOUND)',
    query: `{ taskTarget(code: "NO_SUCH_TARGET") { code progress { met } } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: taskTargets of an unknown campaign (NOT_FOUND)',
    query: `{ taskTargets(filter: { campaign: "1999-2000-autumn-winter" }) { totalCount } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },

  {
    name: 'campaigns (newest first) with their task targets, campaign(code), a target\'s campaign',
    query: `{ campaigns { totalCount ${PAGE_INFO} nodes { id code nameZh nameEn periodStart periodEnd origin createdAt taskTargets { code progress { met } campaign { code } } } }
      campaign(code: "2023-2024-autumn-winter") { code taskTargets { code } } taskTarget(code: "COAL_HOUSEHOLDS") { campaign { code periodStart } } }`,
    compiles: true,
    nonEmpty: ['campaigns.nodes'],
  },
  {
    name: 'fallback: campaign(code) of an unknown campaign (NOT_FOUND)',
    query: `{ campaign(code: "1999-2000-autumn-winter") { code } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },

  // Daily air quality
  {
    name: 'airQualityObservations: default (city-wide, oldest first), every scalar field, heavyPollution, city',
    query: `{ airQualityObservations(first: 40) { totalCount ${PAGE_INFO} nodes { id observedOn stationCode pm25 pm10 o3 no2 so2 co aqi heavyPollution
      origin createdAt createdBy updatedAt updatedBy city { slug } } } }`,
    compiles: true,
    nonEmpty: ['airQualityObservations.nodes'],
  },
  {
    name: 'airQualityObservations of a province in a month, heavy days only, by PM25 DESC',
    query: `{ airQualityObservations(first: 200, filter: { province: "hebei", from: "2023-12-01", to: "2023-12-31", heavyPollutionOnly: true },
      orderBy: { field: PM25, direction: DESC }) { totalCount edges { cursor node { observedOn pm25 aqi heavyPollution city { slug } } } } }`,
    compiles: true,
    nonEmpty: ['airQualityObservations.edges'],
  },
  {
    name: 'airQualityObservations by PM25 after the endCursor of a first page (decimal cursor); station rows; origin',
    query: `query($after: String) { a: airQualityObservations(first: 25, after: $after, filter: { city: "shijiazhuang" }, orderBy: { field: PM25 }) { ${PAGE_INFO} nodes { observedOn pm25 } }
      b: airQualityObservations(first: 5, filter: { cityWideOnly: false }) { totalCount nodes { stationCode } }
      c: airQualityObservations(first: 5, filter: { origin: DEMO, region: FENWEI_PLAIN }) { totalCount nodes { observedOn city { slug } } } }`,
    variables: afterFirstPage(
      `query($after: String) { a: airQualityObservations(first: 25, after: $after, filter: { city: "shijiazhuang" }, orderBy: { field: PM25 }) { ${PAGE_INFO} nodes { pm25 } } }`,
      'a',
    ),
    compiles: true,
    nonEmpty: ['a.nodes', 'c.nodes'],
  },
  {
    name: 'nested: cities -> airQualityObservations(from, to) with their pages',
    query: `{ cities(first: 4) { nodes { slug airQualityObservations(first: 6, from: "2023-11-15", to: "2024-02-15") { totalCount ${PAGE_INFO}
      nodes { observedOn pm25 aqi heavyPollution } } all: airQualityObservations(first: 2) { totalCount } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'fallback: airQualityObservations with to before from (BAD_USER_INPUT)',
    query: `{ airQualityObservations(filter: { from: "2024-01-02", to: "2024-01-01" }) { totalCount } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: a station together with cityWideOnly (BAD_USER_INPUT)',
    query: `{ airQualityObservations(filter: { stationCode: "1001A", cityWideOnly: true }) { totalCount } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },

  // GraphQL language features
  {
    name: 'aliases at every level, the same field twice with other arguments',
    query: `{ a: enterprises(first: 2) { total: totalCount list: nodes { key: id title: name place: city { s: slug } } }
      b: enterprises(first: 2, orderBy: { field: NAME, direction: DESC }) { list: nodes { key: id title: name } }
      home: city(slug: "baoding") { s: slug n: nameEn } }`,
    compiles: true,
    nonEmpty: ['a.list', 'b.list'],
  },
  {
    name: '__typename at several levels',
    query: `{ __typename cities(first: 3) { __typename ${PAGE_INFO.replace('{', '{ __typename')} edges { __typename node { __typename slug province { __typename slug } } }
      nodes { __typename enterprises(first: 1) { __typename nodes { __typename id gradeChanges(first: 1) { __typename nodes { __typename toGrade } } } } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'named fragments, nested fragments and inline fragments',
    query: `fragment Place on City { slug nameEn ...Owner }
      fragment Owner on City { province { ...on Province { slug } } }
      fragment E on Enterprise { id name city { ...Place } ... on Enterprise { currentGrade } }
      query { enterprises(first: 10) { nodes { ...E ... { creditCode } } } city(slug: "handan") { ...Place ... on City { kind } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: '@include and @skip with variables',
    query: `query($withGrades: Boolean!, $withoutCity: Boolean!) { enterprises(first: 10) { nodes { id name
      currentGrade @include(if: $withGrades) city @skip(if: $withoutCity) { slug }
      gradeChanges(first: 1) @include(if: $withGrades) { nodes { toGrade } } creditCode @skip(if: true) } } }`,
    variables: { withGrades: true, withoutCity: true },
    compiles: true,
    check: (d) => expect(Object.keys(d.enterprises.nodes[0])).toEqual(['id', 'name', 'currentGrade', 'gradeChanges']),
  },
  {
    name: 'operationName selects one of two operations',
    query: `query Cities { cities(first: 2) { nodes { slug } } }
      query Enterprises($n: Int) { enterprises(first: $n) { nodes { id name } } }`,
    operationName: 'Enterprises',
    variables: { n: 3 },
    compiles: true,
    check: (d) => expect(d.enterprises.nodes).toHaveLength(3),
  },
  {
    name: 'several root fields in one query',
    query: `{ regions { nodes { code } } provinces(first: 3) { nodes { slug } } cities(first: 3) { totalCount nodes { slug } }
      enterprises(first: 3) { totalCount nodes { id } } gradeChanges(first: 3) { nodes { id } } retrofitProjects(first: 3) { nodes { id } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes', 'gradeChanges.nodes', 'retrofitProjects.nodes'],
  },
  {
    name: 'variables with default values, left out of the request',
    query: `query($n: Int = 4, $order: EnterpriseOrder = { field: CREDIT_CODE, direction: DESC }, $grades: [PerformanceGrade!] = [B, C]) {
      enterprises(first: $n, orderBy: $order, filter: { grades: $grades }) { totalCount nodes { id creditCode currentGrade } } }`,
    compiles: true,
    check: (d) => expect(d.enterprises.nodes).toHaveLength(4),
  },
  {
    name: 'variables given as null (first, filter, orderBy, after)',
    query: `query($n: Int, $filter: EnterpriseFilter, $order: EnterpriseOrder, $after: String) {
      enterprises(first: $n, filter: $filter, orderBy: $order, after: $after) { totalCount ${PAGE_INFO} nodes { id } } }`,
    variables: { n: null, filter: null, order: null, after: null },
    compiles: true,
    check: (d) => expect(d.enterprises.nodes).toHaveLength(50),
  },
  {
    name: 'a variable used in nested arguments (first, orderBy direction)',
    query: `query($n: Int!, $dir: SortDirection!) { cities(first: $n) { nodes { slug
      enterprises(first: $n, orderBy: { field: NAME, direction: $dir }) { nodes { name gradeChanges(first: $n) { totalCount nodes { toGrade } } } } } } }`,
    variables: { n: 4, dir: 'DESC' },
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'a nested connection after the endCursor of its first page (gradeChanges)',
    query: `query($id: ID!, $after: String) { enterprise(id: $id) { gradeChanges(first: 1, after: $after) { totalCount ${PAGE_INFO} edges { cursor node { ${GRADE_CHANGE} } } } } }`,
    variables: async () => {
      const query = `query($id: ID!) { enterprise(id: $id) { gradeChanges(first: 1) { pageInfo { endCursor } } } }`;
      const first = await post(referenceUrl, 'ministry', { query, variables: { id: fx.gradedEnterpriseId } });
      return { id: fx.gradedEnterpriseId, after: first.body.data.enterprise.gradeChanges.pageInfo.endCursor };
    },
    compiles: true,
    check: (d) => expect(d.enterprise.gradeChanges.pageInfo.hasNextPage).toBe(true),
  },
  {
    name: 'search trimmed, case-insensitive, with an apostrophe and a backslash',
    query: `query($a: String, $b: String, $c: String) { a: enterprises(filter: { search: $a }) { totalCount nodes { id } }
      b: enterprises(filter: { search: $b }) { totalCount nodes { id } } c: enterprises(filter: { search: $c }) { totalCount nodes { id } } }`,
    variables: { a: '  钢铁集团  ', b: "o'brien", c: '\\反斜杠' },
    compiles: true,
    check: (d) => {
      expect(d.a.totalCount).toBeGreaterThan(0);
      expect(d.b.nodes).toEqual([{ id: fx.oddEnterpriseId }]);
      expect(d.c.nodes).toEqual([{ id: fx.oddEnterpriseId }]);
    },
  },
  {
    name: 'an empty search (no condition)',
    query: `{ a: enterprises(first: 3, filter: { search: "" }) { totalCount nodes { id } } b: enterprises(first: 3, filter: { search: "   " }) { totalCount } }`,
    compiles: true,
    nonEmpty: ['a.nodes'],
  },
  {
    name: 'a document with a mutation and a query, operationName selecting the query',
    query: `mutation Rename { updateEnterprise(input: { id: "1", name: "never run" }) { userErrors { code } } }
      query Read { enterprise(id: "1") { id name } }`,
    operationName: 'Read',
    compiles: true,
    check: (d) => expect(d.enterprise.name).not.toBe('never run'),
  },
  {
    name: 'anonymous: root gradeChanges and taskTarget (public)',
    as: 'anonymous',
    query: `{ gradeChanges(first: 5) { totalCount nodes { toGrade reason decidedAt enterprise { name } } } taskTarget(code: "COAL_HOUSEHOLDS") { code quantity unit } }`,
    compiles: true,
    nonEmpty: ['gradeChanges.nodes'],
  },
  {
    name: 'a root connection with only totalCount',
    query: `{ retrofitProjects { totalCount } enterprises(filter: { city: "tangshan" }) { totalCount } }`,
    compiles: true,
    check: (d) => expect(d.retrofitProjects.totalCount).toBeGreaterThan(0),
  },
  {
    name: 'nested connections with only totalCount (enterprises with no, one and many projects)',
    query: `{ enterprises(first: 100, orderBy: { field: CREDIT_CODE }) { nodes { id retrofitProjects { totalCount } gradeChanges { totalCount } } } }`,
    compiles: true,
    check: (d) => {
      const counts = d.enterprises.nodes.map((e: any) => e.retrofitProjects.totalCount);
      expect(Math.min(...counts)).toBe(0);
      expect(Math.max(...counts)).toBeGreaterThan(1);
    },
  },
  {
    name: 'connections with only pageInfo',
    query: `{ gradeChanges(first: 3) { ${PAGE_INFO} } cities(first: 3) { nodes { slug enterprises(first: 1) { ${PAGE_INFO} } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'edges with only cursors',
    query: `{ gradeChanges(first: 3) { edges { cursor } } cities(first: 2) { edges { cursor } } }`,
    compiles: true,
    nonEmpty: ['gradeChanges.edges'],
  },
  {
    name: 'an empty list in a filter (grades: [])',
    query: `{ enterprises(first: 5, filter: { grades: [], sizes: [] }) { totalCount nodes { id } } }`,
    compiles: true,
  },
  {
    name: 'an id with spaces around it',
    query: `query($id: ID!) { enterprise(id: $id) { id name } }`,
    variables: async () => ({ id: ` ${fx.gradedEnterpriseId} ` }),
    compiles: true,
  },

  // Anonymous callers on public data
  {
    name: 'anonymous: cities -> enterprises -> gradeChanges (public)',
    as: 'anonymous',
    query: `{ cities(first: 5) { nodes { slug enterprises(first: 3) { totalCount nodes { id name currentGrade gradeChanges(first: 2) { nodes { toGrade decidedAt } } } } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'anonymous: enterprises with a filter, every scalar field',
    as: 'anonymous',
    query: `{ enterprises(first: 20, filter: { province: "henan", grades: [A, B] }, orderBy: { field: NAME }) { totalCount ${PAGE_INFO} nodes { ${ENTERPRISE} } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },

  // Fallbacks: the reference behaviour for every unusual outcome
  {
    name: 'fallback: unknown province slug in a filter (NOT_FOUND)',
    query: `{ enterprises(filter: { province: "atlantis" }) { totalCount nodes { id } } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: province(slug) of an unknown province (NOT_FOUND)',
    query: `{ province(slug: "atlantis") { slug cities { slug } } city(slug: "tangshan") { slug } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: city(slug) of an unknown city (NOT_FOUND)',
    query: `{ city(slug: "gotham") { slug } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: enterprise(id) of a missing enterprise (NOT_FOUND)',
    query: `{ enterprise(id: "987654321") { id name } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: enterprise(id: "abc") (malformed id)',
    query: `{ enterprise(id: "abc") { id name } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: first: 501 (over the page size limit)',
    query: `{ enterprises(first: 501) { totalCount } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: a malformed after cursor',
    query: `{ enterprises(first: 5, after: "not-a-cursor") { nodes { id } } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: anonymous asking for retrofitProjects (UNAUTHENTICATED)',
    as: 'anonymous',
    query: `{ retrofitProjects(first: 5) { totalCount nodes { id } } }`,
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: anonymous asking for an enterprise\'s history (UNAUTHENTICATED)',
    as: 'anonymous',
    query: `{ enterprises(first: 2) { nodes { id history { totalCount } } } }`,
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: a CITY key lists enterprises (only its city\'s)',
    as: 'city',
    query: `{ enterprises(first: 50) { totalCount nodes { id name city { slug } } } }`,
    compiles: false,
    nonEmpty: ['enterprises.nodes'],
    check: (d) => expect(new Set(d.enterprises.nodes.map((e: any) => e.city.slug))).toEqual(new Set(['tangshan'])),
  },
  {
    name: 'fallback: a revoked key (HTTP 401)',
    as: 'revoked',
    query: `{ cities(first: 1) { nodes { slug } } }`,
    compiles: false,
    status: 401,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: an unknown key (HTTP 401)',
    as: 'unknown',
    query: `{ cities(first: 1) { nodes { slug } } }`,
    compiles: false,
    status: 401,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: an id out of range',
    query: `{ enterprise(id: "99999999999") { id } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: a slug in the wrong case (NOT_FOUND)',
    query: `{ cities(filter: { province: "Hebei" }) { totalCount } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: first: 0',
    query: `{ enterprises(first: 0) { totalCount ${PAGE_INFO} nodes { id } } }`,
    compiles: false,
  },
  {
    name: 'fallback: a negative first',
    query: `{ enterprises(first: -1) { totalCount } }`,
    compiles: false,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: a cursor of another sort order',
    query: ENTERPRISE_PAGE,
    variables: async () => {
      const { after } = await afterFirstPage(ENTERPRISE_PAGE, 'enterprises', { first: 3, orderBy: { field: 'NAME', direction: 'ASC' } })();
      return { first: 3, after, orderBy: { field: 'CREATED_AT', direction: 'DESC' } };
    },
    compiles: false,
    // As for any cursor that is not one of this connection (pagination.ts decodeCursor).
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: the same field twice (merged selections)',
    query: `{ enterprises(first: 2) { nodes { id } } enterprises(first: 2) { nodes { name } totalCount } }`,
    compiles: false,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'fallback: a variable of the wrong type (HTTP 400)',
    query: `query($n: Int) { enterprises(first: $n) { totalCount } }`,
    variables: { n: 'seven' },
    compiles: false,
    status: 400,
    error: 'BAD_USER_INPUT',
  },
  {
    name: 'fallback: anonymous asking for projects nested in public enterprises (UNAUTHENTICATED)',
    as: 'anonymous',
    query: `{ enterprises(first: 3) { nodes { id retrofitProjects { totalCount } } } }`,
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: anonymous asking only for the totalCount of retrofitProjects (UNAUTHENTICATED)',
    as: 'anonymous',
    query: `{ retrofitProjects { totalCount } }`,
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: anonymous asking only for the pageInfo of a city\'s retrofitProjects (UNAUTHENTICATED)',
    as: 'anonymous',
    query: `{ cities(first: 2) { nodes { slug retrofitProjects(first: 1) { ${PAGE_INFO} } } } }`,
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fallback: a CITY key asking for another city\'s enterprise (NOT_FOUND)',
    as: 'city',
    query: `query($id: ID!) { enterprise(id: $id) { id name } }`,
    variables: async () => ({ id: String((await app.sql<{ id: number }>(`select e.id from enterprise e join city c on c.id = e.city_id where c.slug = 'beijing' order by e.id limit 1`))[0].id) }),
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: a field the compiler does not cover (history) beside compilable ones',
    query: `{ enterprises(first: 3) { nodes { id name history { totalCount } } } }`,
    compiles: false,
    nonEmpty: ['enterprises.nodes'],
  },

  // Outcome targets and attainment, computed in the statement by the rule of air-quality.attainment.ts
  ...(['ministry', 'readOnly', 'anonymous'] as const).flatMap((as): Case[] => [
    {
      name: `${as}: city(slug).attainment(campaign): every field, coverage by month, the annual target (the bench's Q7)`,
      as,
      query: `{ city(slug: "tangshan") { slug attainment(campaign: "2023-2024-autumn-winter") { ${ATTAINMENT} } } }`,
      compiles: true,
      nonEmpty: ['city.attainment.coverage.months'],
      check: (d) => expect(d.city.attainment.pm25Status).not.toBe('NO_TARGET'),
    },
    {
      name: `${as}: campaign(code).attainments of every city and of a province (statuses MET, NOT_MET, INSUFFICIENT_DATA, NO_TARGET)`,
      as,
      query: `{ campaign(code: "2023-2024-autumn-winter") { code all: attainments { ${ATTAINMENT} } hebei: attainments(filter: { province: "hebei" }) { city { slug } pm25Status heavyDaysStatus coverage { percentComplete } } } }`,
      compiles: true,
      nonEmpty: ['campaign.all', 'campaign.hebei'],
      check: (d) => expect(new Set(d.campaign.all.flatMap((a: any) => [a.pm25Status, a.heavyDaysStatus, a.annual.status])).size).toBeGreaterThan(1),
    },
    {
      name: `${as}: outcomeTargets of a campaign by PM25_TARGET DESC with their attainment, city and campaign`,
      as,
      query: `{ outcomeTargets(first: 20, filter: { campaign: "2023-2024-autumn-winter" }, orderBy: { field: PM25_TARGET, direction: DESC }) { totalCount ${PAGE_INFO}
        nodes { id pm25Target heavyDaysTarget annualPm25Target origin version createdAt city { slug } campaign { code } attainment { pm25Mean pm25Met pm25Status heavyDaysMet coverage { complete months { month complete } } } } } }`,
      compiles: true,
      nonEmpty: ['outcomeTargets.nodes'],
    },
  ]),
  {
    name: 'cities with their attainment beside compilable fields',
    query: `{ cities(first: 5) { nodes { slug attainment(campaign: "2023-2024-autumn-winter") { __typename observedDays periodDays pm25Met annual { __typename year met } } } } }`,
    compiles: true,
    nonEmpty: ['cities.nodes'],
  },
  {
    name: 'fallback: city(slug).attainment of an unknown campaign (NOT_FOUND)',
    query: `{ city(slug: "tangshan") { attainment(campaign: "1999-2000-autumn-winter") { observedDays } } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'fallback: outcomeTargets of an unknown campaign (NOT_FOUND)',
    query: `{ outcomeTargets(filter: { campaign: "1999-2000-autumn-winter" }) { totalCount } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  // Supervision
  {
    name: 'clues: default order, every scalar field, city, round, enterprise, steps and actions',
    query: `{ clues(first: 40) { totalCount ${PAGE_INFO} nodes { id stage source topic evidence location identifiedAt investigatingAt rectifyingAt supervisedAt spotCheckAt closedAt
      rectificationDue confirmed spotCheckResult spotCheckFailed reopenCount daysOverdue origin version createdAt createdBy updatedAt updatedBy
      city { slug } round { id number title pushedOn dueOn } enterprise { id name }
      steps { seq fromStage toStage enteredAt role note spotCheckResult rectificationDue origin } actions { kind fineYuan publicised decidedOn decidedBy } } } }`,
    compiles: true,
    nonEmpty: ['clues.nodes'],
  },
  {
    name: 'clues filtered by province, stages and topics, by UPDATED_AT ascending, edges',
    query: `{ clues(first: 25, filter: { province: "hebei", stages: [RECTIFYING, SPOT_CHECK, CLOSED], topics: [SELF_MONITORING_DATA, KEY_ENTERPRISE_GOVERNANCE] }, orderBy: { field: UPDATED_AT }) {
      totalCount edges { cursor node { id stage topic city { slug } } } } }`,
    compiles: true,
    nonEmpty: ['clues.edges'],
  },
  {
    name: 'clues as an anonymous caller: UNAUTHENTICATED as the resolvers say',
    query: `{ clues(first: 3) { nodes { id } } }`,
    as: 'anonymous',
    compiles: false,
    error: 'UNAUTHENTICATED',
  },
  {
    name: 'fraudList as an anonymous caller: public, with cities and enterprises',
    query: `{ fraudList(first: 50) { totalCount ${PAGE_INFO} nodes { id kind name creditCode affiliation listedOn origin city { slug nameZh } campaign { code } enterprise { id name } } } }`,
    as: 'anonymous',
    compiles: true,
    nonEmpty: ['fraudList.nodes'],
  },
  {
    name: 'enforcementActions: fines of a region, with decimals, clue and enterprise',
    query: `{ enforcementActions(first: 30, filter: { region: JJJ_SURROUNDING, kinds: [FINE] }) { totalCount nodes { id kind fineYuan publicised decidedOn decidedBy note city { slug } clue { id stage } enterprise { id } } } }`,
    compiles: true,
    nonEmpty: ['enforcementActions.nodes'],
  },
  {
    name: 'Enterprise.clues under enterprises of a city',
    query: `{ enterprises(first: 30, filter: { city: "tangshan" }) { nodes { id clues(first: 3) { totalCount nodes { id stage identifiedAt } } } } }`,
    compiles: true,
    nonEmpty: ['enterprises.nodes'],
  },
  {
    name: 'clues of a campaign, overdue, spot check failed: the watch-list filter and the campaign lookup',
    query: `{ overdue: clues(first: 30, filter: { campaign: "2023-2024-autumn-winter", overdue: true }) { totalCount nodes { id stage daysOverdue rectificationDue round { dueOn } } }
      onTime: clues(first: 30, filter: { overdue: false, spotCheckFailed: true }) { totalCount nodes { id stage daysOverdue spotCheckFailed } } }`,
    compiles: true,
    nonEmpty: ['overdue.nodes', 'onTime.nodes'],
  },
  {
    name: 'clues of an unknown campaign: NOT_FOUND naming filter.campaign, as the resolvers say',
    query: `{ clues(filter: { campaign: "no-such-campaign" }) { totalCount } }`,
    compiles: false,
    error: 'NOT_FOUND',
  },
  {
    name: 'supervisionRounds of the ministry and of a province, with their clues',
    query: `{ ministry: supervisionRounds(first: 20, filter: { ministry: true, campaign: "2023-2024-autumn-winter" }) { totalCount ${PAGE_INFO} nodes { id number title pushedOn dueOn origin version province { slug } campaign { code }
        clues(first: 3, filter: { stages: [CLOSED, SPOT_CHECK] }) { totalCount nodes { id stage city { slug } } } } }
      hebei: supervisionRounds(first: 20, filter: { province: "hebei" }) { totalCount nodes { id number province { slug } } } }`,
    compiles: true,
    nonEmpty: ['ministry.nodes', 'hebei.nodes'],
  },
  {
    name: 'inspections of positive-list enterprises without a clue, with enterprise and city',
    query: `{ inspections(first: 30, filter: { withoutClue: true, positiveList: true }) { totalCount ${PAGE_INFO} nodes { id inspectedOn positiveList reasonWithoutClue note origin enterprise { id name } clue { id } city { slug } } }
      withClue: inspections(first: 10, filter: { withoutClue: false, region: JJJ_SURROUNDING }) { totalCount nodes { id clue { id stage } } } }`,
    compiles: true,
    nonEmpty: ['inspections.nodes', 'withClue.nodes'],
  },
  {
    name: 'fraudList of a campaign, searched by name, as an anonymous caller',
    query: `{ fraudList(first: 20, filter: { campaign: "2023-2024-autumn-winter", kinds: [ENTERPRISE, PERSON], search: "有限" }) { totalCount nodes { id kind name } } }`,
    as: 'anonymous',
    compiles: true,
    nonEmpty: ['fraudList.nodes'],
  },
];

/** What the compiled server did with each case (printed after the run). */
const executions: { name: string; compiles: boolean; execution: string; sql: unknown }[] = [];

/** How many SQL statements a compiled answer of `caller` takes (scoped callers: BEGIN, set-up, statement, COMMIT). */
const SCOPED_CALLERS: Caller[] = ['city', 'province', 'provinceReadOnly'];
const compiledStatements = (caller: Caller) => (SCOPED_CALLERS.includes(caller) ? 4 : 1);

async function compare(c: Case) {
  const variables = typeof c.variables === 'function' ? await c.variables() : c.variables;
  const payload = { query: c.query, ...(variables ? { variables } : {}), ...(c.operationName ? { operationName: c.operationName } : {}) };
  const caller = c.as ?? 'ministry';
  const [compiled, ref] = await Promise.all([post(app.url, caller, payload), post(referenceUrl, caller, payload)]);
  executions.push({ name: c.name, compiles: c.compiles, execution: compiled.execution ?? '(none)', sql: compiled.body.extensions?.sqlStatements });

  // The same answer, byte for byte (minus the top-level extensions).
  expect.soft(compiled.status, 'HTTP status').toBe(ref.status);
  expect.soft(compiled.contentType, 'content type').toBe(ref.contentType);
  expect.soft(typeof compiled.body.extensions?.sqlStatements, 'compiled extensions.sqlStatements').toBe('number');
  const { extensions: _c, ...compiledBody } = compiled.body;
  const { extensions: _r, ...refBody } = ref.body;
  const difference = firstDifference(compiledBody, refBody);
  expect.soft(difference === null, `answers differ: ${difference}`).toBe(true);
  const textual = textDifference(withoutTopLevelExtensions(compiled.text), withoutTopLevelExtensions(ref.text));
  expect.soft(textual === null, `response texts differ at ${textual}`).toBe(true);

  // Compiled in one statement where it must be; never on the reference server.
  expect.soft(ref.execution, 'the reference server never compiles').not.toBe('compiled');
  if (c.compiles) {
    expect.soft(compiled.execution, 'airledger-execution of the compiled server').toBe('compiled');
    expect.soft(compiled.body.extensions?.sqlStatements, 'SQL statements of the compiled answer').toBe(compiledStatements(caller));
  }

  // The case is what it says (on the reference server): status, errors, non-empty lists.
  expect.soft(ref.status, 'reference HTTP status').toBe(c.status ?? 200);
  if (c.error) expect.soft(ref.body.errors?.[0]?.extensions?.code, 'reference error code').toBe(c.error);
  else expect.soft(ref.body.errors, 'reference errors').toBeUndefined();
  for (const path of c.nonEmpty ?? []) expect.soft(at(ref.body.data, path)?.length, `reference ${path}`).toBeGreaterThan(0);
  c.check?.(ref.body.data);
  return { compiled, ref };
}

describe('compiled reads answer exactly as resolver execution', () => {
  it('strips only the top-level extensions member from a response text', () => {
    expect(withoutTopLevelExtensions('{"data":{"a":{"extensions":1}},"extensions":{"sqlStatements":3}}\n')).toBe('{"data":{"a":{"extensions":1}}}\n');
    expect(withoutTopLevelExtensions('{"extensions":{"sqlStatements":3},"errors":[{"message":"x","extensions":{"code":"A"}}]}')).toBe(
      '{"errors":[{"message":"x","extensions":{"code":"A"}}]}',
    );
    expect(withoutTopLevelExtensions('{"data":{"s":"\\"extensions\\":"},"extensions":{"n":[1,{"x":"}"}]}}')).toBe('{"data":{"s":"\\"extensions\\":"}}');
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await compare(c);
  });
});

/**
 * Every compiled case again, asked by callers restricted to some cities (a CITY key of tangshan,
 * a PROVINCE key of hebei, a READ_ONLY key of shanxi): answered by the scoped path in their
 * row-level-security transaction (BEGIN, set-up, statement, COMMIT), with the bytes of the
 * resolvers' answer for the same key. The cases' non-empty checks are the national caller's; for
 * a scoped caller the suite requires most answers to hold rows of its own.
 */
describe('compiled reads of callers restricted to some cities answer exactly as resolver execution', () => {
  const compiledCases = CASES.filter((c) => c.compiles && (c.as ?? 'ministry') !== 'anonymous');
  const withRows = new Map<Caller, number>();
  beforeAll(async () => {
    // The first request of a key finds out that it is scoped (one statement more); later ones go straight to the scoped path.
    for (const caller of SCOPED_CALLERS) await post(app.url, caller, { query: '{ enterprises(first: 1) { totalCount } }' });
  });

  for (const caller of SCOPED_CALLERS) {
    it.each(compiledCases.map((c) => [c.name, c] as const))(`${caller}: %s`, async (_name, c) => {
      // A record of another city is NOT_FOUND for this key (the resolvers' answer, given by them);
      // everything else must be compiled.
      const variables = typeof c.variables === 'function' ? await c.variables() : c.variables;
      const probe = await post(referenceUrl, caller, { query: c.query, ...(variables ? { variables } : {}), ...(c.operationName ? { operationName: c.operationName } : {}) });
      const error = probe.body.errors?.[0]?.extensions?.code as string | undefined;
      if (error) expect(error, 'the only error a scoped replay may meet').toBe('NOT_FOUND');
      const { ref } = await compare({ ...c, variables, as: caller, nonEmpty: [], check: undefined, compiles: !error, error });
      if (JSON.stringify(ref.body.data ?? {}).includes('"id"')) withRows.set(caller, (withRows.get(caller) ?? 0) + 1);
    });
  }

  it('answered with rows of their own for most cases (the comparison is not vacuous)', () => {
    for (const caller of SCOPED_CALLERS) expect(withRows.get(caller) ?? 0, caller).toBeGreaterThan(compiledCases.length / 2);
  });

  it("keeps every scoped caller to its cities: a CITY key's enterprises are all in its city", async () => {
    const answer = await post(app.url, 'city', { query: '{ enterprises(first: 500) { totalCount nodes { city { slug } } } }' });
    expect(answer.execution).toBe('compiled');
    const slugs = new Set(answer.body.data.enterprises.nodes.map((n: { city: { slug: string } }) => n.city.slug));
    expect([...slugs]).toEqual(['tangshan']);
    const [own] = await app.sql<{ n: number }>(`select count(*)::int n from enterprise e join city c on c.id = e.city_id where c.slug = 'tangshan'`);
    expect(answer.body.data.enterprises.totalCount).toBe(own.n);
  });
});

describe('compiled reads of API keys: each caller the keys it manages, never a hash', () => {
  beforeAll(async () => {
    // The first request of a scoped key finds out that it is scoped (one statement more).
    for (const caller of ['province', 'city'] as const) await post(app.url, caller, { query: '{ enterprises(first: 1) { totalCount } }' });
  });
  const list = `{ apiKeys(first: 100) { totalCount nodes { id name role prefix status expiresAt revokedAt revokedBy province { slug } city { slug } } pageInfo { hasNextPage endCursor } } }`;

  it.each(['ministry', 'province', 'city'] as const)('answers apiKeys of a %s key in its one compiled statement, as the resolvers', async (caller) => {
    const { compiled, ref } = await compare({ name: `apiKeys as ${caller}`, query: list, as: caller, compiles: true, nonEmpty: ['apiKeys.nodes'] });
    const hashes = await app.sql<{ h: string }>(`select secret_hash as h from api_key`);
    for (const { h } of hashes) expect(compiled.text).not.toContain(h);
    const nodes = ref.body.data.apiKeys.nodes as { role: string; province: { slug: string } | null; city: { slug: string } | null }[];
    if (caller === 'city') expect(new Set(nodes.map((n) => n.city?.slug))).toEqual(new Set(['tangshan']));
    if (caller === 'province') {
      const [hebei] = await app.sql<{ n: number }>(`select count(*)::int as n from api_key k where k.province_id = (select id from province where slug = 'hebei') or k.city_id in (select c.id from city c join province p on p.id = c.province_id where p.slug = 'hebei')`);
      expect(ref.body.data.apiKeys.totalCount).toBe(hebei.n);
    }
  });

  it('refuses apiKeys to READ_ONLY keys (FORBIDDEN), on both lanes', async () => {
    await compare({ name: 'apiKeys as a scoped READ_ONLY key', query: list, as: 'provinceReadOnly', compiles: false, error: 'FORBIDDEN' });
  });

  it('answers apiKey(id) with the caller\'s own key or one it manages, NOT_FOUND otherwise', async () => {
    const own = (await post(referenceUrl, 'provinceReadOnly', { query: '{ viewer { apiKey { id } } }' })).body.data.viewer.apiKey.id as string;
    const one = `query($id: ID!) { apiKey(id: $id) { id name role status province { slug } city { slug } } }`;
    await compare({ name: 'apiKey(own id) as a READ_ONLY key', query: one, variables: { id: own }, as: 'provinceReadOnly', compiles: true });
    await compare({ name: 'apiKey(own id) as the ministry', query: one, variables: { id: own }, as: 'ministry', compiles: true });
    await compare({ name: 'apiKey(a READ_ONLY key of shanxi) as a CITY key of tangshan', query: one, variables: { id: own }, as: 'city', compiles: false, error: 'NOT_FOUND' });
  });
});

describe('compiled reads of the audit trail and of a record\'s history', () => {
  const history = `{ apiKeys(first: 20) { nodes { id history(first: 5) { totalCount nodes { id occurredAt actor keyId role operation action entity entityId changedFields city { slug } } } } } }`;
  beforeAll(async () => {
    // Changes through the API (the demo writes no audit trail): a key of tangshan created, then revoked.
    const created = await app.data(`mutation { createApiKey(input: { role: CITY, city: "tangshan", name: "compiled-reads history" }) { apiKey { id } userErrors { code } } }`);
    await app.data(`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }`, { id: created.createApiKey.apiKey.id });
    // The first request of a scoped key finds out that it is scoped (one statement more).
    for (const caller of ['province', 'city'] as const) await post(app.url, caller, { query: '{ enterprises(first: 1) { totalCount } }' });
  });

  it.each(['ministry', 'province', 'city'] as const)('answers ApiKey.history and auditEvents of a %s key in one compiled statement, as the resolvers', async (caller) => {
    await compare({ name: `history as ${caller}`, query: history, as: caller, compiles: true, nonEmpty: ['apiKeys.nodes'] });
    await compare({ name: `auditEvents as ${caller}`, query: `{ auditEvents(first: 10, filter: { entity: "ApiKey" }) { totalCount nodes { id operation action changedFields city { slug } } } }`, as: caller, compiles: true, nonEmpty: ['auditEvents.nodes'] });
  });

  it('leaves before and after (values computed in TypeScript) to the resolvers, with the same answer', async () => {
    await compare({ name: 'auditEvents with before and after', query: `{ auditEvents(first: 5) { nodes { id before after } } }`, compiles: false, nonEmpty: ['auditEvents.nodes'] });
  });
});

describe('compiled reads after a mutation', () => {
  it('show the new values at once (no stale cache)', async () => {
    const read: Case = {
      name: 'read of the fixture enterprise',
      query: `query($id: ID!, $search: String) { enterprise(id: $id) { id name version size benchmark updatedAt updatedBy }
        enterprises(filter: { search: $search }) { totalCount nodes { id name } } }`,
      variables: async () => ({ id: fx.oddEnterpriseId, search: 'compiled-reads renamed' }),
      compiles: true,
    };
    const before = (await compare(read)).compiled.body.data;
    expect(before.enterprises.totalCount).toBe(0);

    const d = await app.data(
      `mutation($input: UpdateEnterpriseInput!) { updateEnterprise(input: $input) { enterprise { id version } userErrors { field code message } } }`,
      { input: { id: fx.oddEnterpriseId, name: 'Tangshan compiled-reads renamed steel', size: 'MEDIUM', benchmark: false, version: before.enterprise.version } },
    );
    expect(d.updateEnterprise.userErrors).toEqual([]);

    const after = (await compare(read)).compiled.body.data;
    expect(after.enterprise).toMatchObject({
      name: 'Tangshan compiled-reads renamed steel',
      size: 'MEDIUM',
      benchmark: false,
      version: before.enterprise.version + 1,
      updatedBy: app.ministryActorId,
    });
    expect(after.enterprise.updatedAt).not.toBe(before.enterprise.updatedAt);
    expect(after.enterprises.nodes).toEqual([{ id: fx.oddEnterpriseId, name: 'Tangshan compiled-reads renamed steel' }]);
  });
});

describe('compiled reads without prepared statements (AIRLEDGER_PREPARED_STATEMENTS=0, e.g. behind an old PgBouncer)', () => {
  it('answer the same bytes in one statement', async () => {
    const server = await createServer(app.orm, { exposeSqlCount: true, introspection: true, preparedStatements: 0 } as Parameters<typeof createServer>[1]);
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
      const query = `{ cities(first: 3, filter: { province: "shanxi" }) { totalCount nodes { slug enterprises(first: 2) { nodes { name currentGrade } } } } }`;
      const [unprepared, expected] = [await post(url, 'ministry', { query }), await post(referenceUrl, 'ministry', { query })];
      expect(unprepared.execution).toBe('compiled');
      expect(unprepared.body.extensions?.sqlStatements).toBe(1);
      expect(withoutTopLevelExtensions(unprepared.text)).toBe(withoutTopLevelExtensions(expected.text));
      expect(expected.body.data.cities.nodes.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});

describe('the GraphQL lane reads request bodies as express does', () => {
  const bodies: [string, string][] = [
    ['a query after a UTF-8 byte order mark', `\uFEFF${JSON.stringify({ query: '{ city(slug: "handan") { slug nameEn } }' })}`],
    ['a JSON string instead of an object', JSON.stringify('{ city(slug: "handan") { slug } }')],
    ['JSON that does not parse', '{"query": "{ city(slug: \\"handan\\") { slug } }"'],
    ['an empty body', ''],
    ['an array (a batch)', JSON.stringify([{ query: '{ city(slug: "handan") { slug } }' }])],
  ];
  it.each(bodies)('%s', async (_name, raw) => {
    const send = async (url: string) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'lane-and-express', authorization: `Bearer ${app.ministryToken}` }, body: raw });
      return { status: res.status, type: res.headers.get('content-type'), text: withoutTopLevelExtensions(await res.text()) };
    };
    const [lane, express] = [await send(app.url), await send(referenceUrl)];
    expect(lane).toEqual(express);
  });
});

describe('the GraphQL lane answers in the media type the client accepts, as Apollo does', () => {
  const accepts: [string, boolean][] = [
    // [Accept header, whether the lane answers it]
    ['application/graphql-response+json', true],
    ['application/graphql-response+json, application/json;q=0.9', true],
    ['application/json;q=0.5, application/graphql-response+json', true],
    ['application/json', true],
    ['*/*', true],
    ['application/*', true],
    ['text/html', false],
    ['application/json; callbackSpec=1.0', false],
  ];
  it.each(accepts)('Accept: %s', async (accept, compiled) => {
    const send = async (url: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, 'x-request-id': 'lane-media-type', authorization: `Bearer ${app.ministryToken}` },
        body: JSON.stringify({ query: '{ city(slug: "handan") { slug nameEn } }' }),
      });
      return { status: res.status, type: res.headers.get('content-type'), text: withoutTopLevelExtensions(await res.text()), execution: res.headers.get('airledger-execution') };
    };
    const [lane, express] = [await send(app.url), await send(referenceUrl)];
    expect(lane.execution).toBe(compiled ? 'compiled' : null);
    expect({ ...lane, execution: null }).toEqual({ ...express, execution: null });
  });
});
