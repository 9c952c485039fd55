import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { maskIdNumber, maskName } from '../../packages/api/src/common/auth.js';
import { CAMPAIGN, DISBURSEMENTS, ENTERPRISES, OBSERVATIONS, PROGRAMS, writeFixture } from './report-fixture.js';
import { parseCsv } from '../helpers/csv.js';

let app: TestApp;
let base: string;

const BOM = '\uFEFF';

beforeAll(async () => {
  app = await startTestApp();
  await writeFixture(app);
  base = app.url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await app?.close();
});

/** GET with the suite's MINISTRY key (null: anonymous). */
function get(url: string, token: string | null = app.ministryToken): Promise<Response> {
  return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

function exportUrl(file: string, params: Record<string, unknown> = {}): string {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, JSON.stringify(v)]));
  return `${base}/exports/${file}${q.size ? `?${q}` : ''}`;
}


async function csv(file: string, params: Record<string, unknown> = {}, token: string | null = app.ministryToken) {
  const res = await get(exportUrl(file, params), token);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { res, bytes, text, rows: res.ok ? parseCsv(text.slice(1)) : [] };
}

async function xlsx(file: string, params: Record<string, unknown> = {}) {
  const res = await get(exportUrl(file, params));
  expect(res.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const sheet = workbook.worksheets[0];
  const rows: unknown[][] = [];
  sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return { res, sheet, rows };
}

describe('list exports', () => {
  it('exports enterprises as CSV (UTF-8 with a BOM) with the filter and order of the GraphQL query', async () => {
    const filter = { region: 'FENWEI_PLAIN', industries: ['STEEL', 'COKING', 'CEMENT'] };
    const orderBy = { field: 'NAME', direction: 'DESC' };
    const { res, bytes, text, rows } = await csv('enterprises.csv', { filter, orderBy });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="enterprises.csv"');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith(`${BOM}id,name,credit_code,city,city_name_zh,city_name_en,industry,size,current_grade,`)).toBe(true);
    const [header, ...body] = rows;
    const page = (
      await app.data(`query($filter: EnterpriseFilter, $orderBy: EnterpriseOrder) {
        enterprises(filter: $filter, orderBy: $orderBy, first: 3) { totalCount nodes { id name creditCode industry currentGrade } }
      }`, { filter, orderBy })
    ).enterprises;
    expect(page.totalCount).toBe(ENTERPRISES.filter((e) => e.city !== 'shijiazhuang').length);
    expect(body.length).toBe(page.totalCount);
    const col = (name: string) => header.indexOf(name);
    page.nodes.forEach((node: any, i: number) => {
      expect(body[i][col('id')]).toBe(node.id);
      expect(body[i][col('name')]).toBe(node.name);
      expect(body[i][col('credit_code')]).toBe(node.creditCode);
      expect(body[i][col('industry')]).toBe(node.industry);
      expect(body[i][col('current_grade')]).toBe(node.currentGrade ?? '');
    });
    // Chinese names arrive intact.
    expect(body.map((r) => r[col('city_name_zh')])).toContain('太原市');
  });

  it('exports observations as xlsx (streamed SpreadsheetML), read back with exceljs', async () => {
    const filter = { province: 'shanxi', cityWideOnly: true };
    const { res, rows } = await xlsx('air-quality-observations.xlsx', { filter });
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const [header, ...body] = rows;
    expect(header).toEqual(['id', 'city', 'city_name_zh', 'city_name_en', 'observed_on', 'station_code', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co', 'aqi', 'heavy_pollution', 'origin']);
    const page = (
      await app.data(`query($filter: AirQualityObservationFilter) {
        airQualityObservations(filter: $filter, first: 2) { totalCount nodes { id observedOn pm25 aqi heavyPollution city { slug } } }
      }`, { filter })
    ).airQualityObservations;
    expect(page.totalCount).toBe(OBSERVATIONS.filter((o) => !o.station && ['taiyuan', 'jinzhong'].includes(o.city)).length);
    expect(body.length).toBe(page.totalCount);
    page.nodes.forEach((node: any, i: number) => {
      // Numbers are numbers and booleans booleans in the sheet.
      expect(body[i][0]).toBe(Number(node.id));
      expect(body[i][1]).toBe(node.city.slug);
      expect(body[i][4]).toBe(node.observedOn);
      expect(body[i][6]).toBe(node.pm25);
      expect(body[i][12]).toBe(node.aqi);
      expect(body[i][13]).toBe(node.heavyPollution);
    });
  });

  it('exports every list with the same rows as its connection', async () => {
    const lists: [string, string, string, Record<string, unknown> | null][] = [
      ['grade-changes', 'gradeChanges', 'GradeChangeFilter', { province: 'shanxi' }],
      ['retrofit-projects', 'retrofitProjects', 'RetrofitProjectFilter', { statuses: ['COMPLETED', 'VERIFIED'] }],
      ['disbursements', 'disbursements', 'DisbursementFilter', { paid: true }],
      ['task-targets', 'taskTargets', 'TaskTargetFilter', { campaign: CAMPAIGN }],
      ['cities', 'cities', 'CityFilter', { region: 'FENWEI_PLAIN' }],
    ];
    for (const [file, field, type, filter] of lists) {
      const { res, rows } = await csv(`${file}.csv`, filter ? { filter } : {});
      expect(res.status, file).toBe(200);
      const data = await app.data(`query($filter: ${type}) { ${field}(filter: $filter, first: 500) { totalCount } }`, { filter });
      expect(rows.length - 1, file).toBe(data[field].totalCount);
      expect(data[field].totalCount, file).toBeGreaterThan(0);
    }
    // The progress columns of the task targets follow TaskTarget.progress.
    const { rows } = await csv('task-targets.csv', { filter: { campaign: CAMPAIGN } });
    const coal = rows.find((r) => r[0] === 'COAL_HOUSEHOLDS')!;
    const progress = (await app.data(`{ taskTarget(code: "COAL_HOUSEHOLDS") { progress { achieved countedProjects } } }`)).taskTarget.progress;
    expect(Number(coal[rows[0].indexOf('achieved')])).toBe(progress.achieved);
    expect(Number(coal[rows[0].indexOf('counted_projects')])).toBe(progress.countedProjects);
  });

  it('masks household personal data by the API\'s rule and keeps scoped keys to their cities', async () => {
    const api = (await app.data(`{ disbursements(first: 100, orderBy: { field: ID, direction: ASC }) { nodes { id amount householdName householdIdNumber } } }`)).disbursements.nodes;
    const full = await csv('disbursements.csv', { orderBy: { field: 'ID', direction: 'ASC' } });
    const [header, ...body] = full.rows;
    expect(body.length).toBe(DISBURSEMENTS.length);
    api.forEach((d: any, i: number) => {
      expect(body[i][header.indexOf('id')]).toBe(d.id);
      expect(Number(body[i][header.indexOf('amount_yuan')])).toBe(d.amount);
      // The ministry sees personal data in full, in the export as in the API.
      expect(body[i][header.indexOf('household_name')]).toBe(d.householdName ?? '');
      expect(body[i][header.indexOf('household_id_number')]).toBe(d.householdIdNumber ?? '');
    });
    expect(body[0][header.indexOf('household_name')]).toBe('张秀英');

    // A Shanxi province key: only Shanxi's disbursements, with names and numbers masked (not the paying city).
    const shanxi = await app.createKey({ role: 'PROVINCE', province: 'shanxi' });
    const scoped = await csv('disbursements.csv', { orderBy: { field: 'ID', direction: 'ASC' } }, shanxi.secret);
    const own = DISBURSEMENTS.filter((d) => ['taiyuan', 'jinzhong'].includes(d.city));
    expect(scoped.rows.length - 1).toBe(own.length);
    const apiScoped = (await app.as(shanxi.secret).data(`{ disbursements(first: 100) { totalCount } }`)).disbursements;
    expect(scoped.rows.length - 1).toBe(apiScoped.totalCount);
    scoped.rows.slice(1).forEach((row, i) => {
      expect(row[header.indexOf('household_name')]).toBe(maskName(own[i].household!.name));
      expect(row[header.indexOf('household_id_number')]).toBe(maskIdNumber(own[i].household!.id));
    });
    expect(scoped.rows[1][header.indexOf('household_name')]).toBe('张**');
  });

  it('rejects bad filters before the first byte, naming the field like GraphQL does', async () => {
    const badEnum = await get(exportUrl('enterprises.csv', { filter: { industries: ['STEAL'] } }));
    expect(badEnum.status).toBe(400);
    expect((await badEnum.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.industries.0' });

    const unknownPlace = await get(exportUrl('retrofit-projects.xlsx', { filter: { province: 'atlantis' } }));
    expect(unknownPlace.status).toBe(404);
    expect((await unknownPlace.json()).errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.province' });

    const badDate = await get(exportUrl('air-quality-observations.csv', { filter: { from: '2024-01-02', to: '2024-01-01' } }));
    expect(badDate.status).toBe(400);
    expect((await badDate.json()).errors[0].extensions).toMatchObject({ field: 'filter.to' });

    const badJson = await get(`${base}/exports/cities.csv?filter=%7Bnope`);
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });

    const unknownField = await get(exportUrl('cities.csv', { filter: { colour: 'red' } }));
    expect(unknownField.status).toBe(400);

    const noOrder = await get(exportUrl('grade-changes.csv', { orderBy: { field: 'ID' } }));
    expect(noOrder.status).toBe(400);

    const unknown = await get(`${base}/exports/secrets.csv`);
    expect(unknown.status).toBe(404);
    const wrongFormat = await get(`${base}/exports/cities.pdf`);
    expect(wrongFormat.status).toBe(404);
  });

  it('authenticates like GraphQL: a bad API key is refused the same way', async () => {
    const headers = { authorization: 'Bearer airl_not_a_real_key_0000000000' };
    const gql = await fetch(app.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ cities(first: 1) { totalCount } }' }) });
    const exp = await fetch(exportUrl('cities.csv'), { headers });
    expect(gql.status).not.toBe(200);
    expect(exp.status).toBe(gql.status);
    const [gErr, eErr] = [(await gql.json()).errors[0], (await exp.json()).errors[0]];
    expect(eErr.extensions.code).toBe(gErr.extensions.code);
    // Without a key, what GraphQL refuses anonymous callers the export refuses too.
    const anonymousGql = await app.anonymous.request(`{ retrofitProjects(first: 1) { totalCount } }`);
    const anonymousExport = await get(exportUrl('retrofit-projects.csv'), null);
    expect(anonymousExport.status === 200).toBe(!anonymousGql.body.errors);
  });

  it('keeps reports and scorecards of a city-scoped key to its cities', async () => {
    const shanxi = await app.createKey({ role: 'PROVINCE', province: 'shanxi' });
    const input = { subject: 'ENTERPRISES', dimensions: ['PROVINCE'], measures: [{ measure: 'COUNT' }] };
    const r = (await app.as(shanxi.secret).data(`query($input: ReportInput!) { report(input: $input) { grandTotal { values } rows { keys { value } } } }`, { input })).report;
    expect(r.grandTotal.values).toEqual([ENTERPRISES.filter((e) => ['taiyuan', 'jinzhong'].includes(e.city)).length]);
    expect(r.rows.map((row: any) => row.keys[0].value)).toEqual(['shanxi', null]);
    const { rows } = await csv('report.csv', { input }, shanxi.secret);
    expect(rows.at(-1)!.at(-1)).toBe('5');
    const cards = (await app.as(shanxi.secret).data(`{ campaignScorecards(level: CITY) { key } }`)).campaignScorecards;
    expect(cards.length).toBe(8);
  });
});

describe('report exports', () => {
  it('exports a report with its subtotals and grand total, as the report query returns it', async () => {
    const input = { subject: 'DISBURSEMENTS', dimensions: ['CITY'], measures: [{ measure: 'COUNT' }, { measure: 'AMOUNT', name: 'amount' }] };
    const { rows } = await csv('report.csv', { input });
    const r = (await app.data(`query($input: ReportInput!) { report(input: $input) { rows { kind keys { value label labelZh } values } } }`, { input })).report;
    expect(rows[0]).toEqual(['row_kind', 'level', 'city', 'city_label', 'city_label_zh', 'count', 'amount']);
    expect(rows.length - 1).toBe(r.rows.length);
    r.rows.forEach((row: any, i: number) => {
      expect(rows[i + 1][0]).toBe(row.kind);
      expect(rows[i + 1][2]).toBe(row.keys[0].value ?? '');
      expect(rows[i + 1][4]).toBe(row.keys[0].labelZh ?? '');
      expect(rows[i + 1].slice(5).map(Number)).toEqual(row.values);
    });
    expect(rows.at(-1)!.slice(0, 2)).toEqual(['GRAND_TOTAL', '0']);

    const bad = await get(exportUrl('report.xlsx', { input: { ...input, subject: 'OBSERVATIONS', dimensions: ['CITY', 'INDUSTRY'] } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dimensions.1' });
    const missing = await get(`${base}/exports/report.csv`);
    expect(missing.status).toBe(400);
  });

  it('exports scorecards as xlsx and the monthly ranking as CSV', async () => {
    const { rows } = await xlsx('campaign-scorecards.xlsx', { input: { level: 'PROVINCE', campaign: CAMPAIGN } });
    const cards = (await app.data(`{ campaignScorecards(level: PROVINCE, campaign: "${CAMPAIGN}") { key attainment { pm25Mean } subsidies { paidAmount } grades { count } } }`)).campaignScorecards;
    const [header, ...body] = rows;
    expect(body.length).toBe(cards.length);
    const shanxi = body.find((r) => r[header.indexOf('key')] === 'shanxi')!;
    const apiShanxi = cards.find((c: any) => c.key === 'shanxi');
    expect(shanxi[header.indexOf('pm25_mean')]).toBeCloseTo(apiShanxi.attainment.pm25Mean, 9);
    expect(shanxi[header.indexOf('paid_amount')]).toBe(apiShanxi.subsidies.paidAmount);
    expect(shanxi[header.indexOf('COAL_HOUSEHOLDS_share')]).toBe(77_000);

    const ranking = await csv('monthly-pm25-ranking.csv', { input: { month: '2023-12', order: 'WORST_FIRST' } });
    expect(ranking.rows[0].slice(0, 3)).toEqual(['rank', 'city', 'city_name_zh']);
    expect(ranking.rows.slice(1).map((r) => [r[0], r[1]])).toEqual([['4', 'shijiazhuang'], ['3', 'xian'], ['2', 'taiyuan'], ['1', 'jinzhong']]);
    const badMonth = await get(exportUrl('monthly-pm25-ranking.csv', { input: { month: 'May' } }));
    expect(badMonth.status).toBe(400);
    expect((await badMonth.json()).errors[0].extensions.field).toBe('month');
  });
});

describe('SDK', () => {
  it('runs reports through typed methods and downloads exports to a stream or a file', async () => {
    const { createClient, downloadExport, exportStream, saveExportToFile, ValidationError, ReportSubject, ReportMeasure, ReportDimension } = await import('@airledger/sdk');
    const options = { url: app.url, token: app.ministryToken };
    const client = createClient(options);
    const input = { subject: ReportSubject.ENTERPRISES, dimensions: [ReportDimension.CITY], measures: [{ measure: ReportMeasure.COUNT }] };
    const { report } = await client.report({ input });
    expect(report.grandTotal.values).toEqual([ENTERPRISES.length]);
    const ranking = await client.monthlyPm25Ranking({ month: '2023-12' });
    expect(ranking.monthlyPm25Ranking.entries[0].city.slug).toBe('jinzhong');

    const res = await downloadExport(options, 'report', 'csv', { input });
    expect(parseCsv((await res.text()).slice(1)).length).toBe(report.rows.length + 1);
    const reader = (await exportStream(options, 'cities', 'csv', { filter: { province: 'shanxi' } })).getReader();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    expect(parseCsv(text.slice(1)).length).toBe(9);

    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-export-')), 'enterprises.xlsx');
    const { bytes } = await saveExportToFile(options, 'enterprises', 'xlsx', { filter: { province: 'shanxi' } }, file);
    expect(bytes).toBe(fs.statSync(file).size);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets[0].rowCount).toBe(1 + ENTERPRISES.filter((e) => ['taiyuan', 'jinzhong'].includes(e.city)).length);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });

    const error = await downloadExport(options, 'enterprises', 'csv', { filter: { industries: ['STEAL' as never] } }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
  });
});

describe('exports of the other root lists', () => {
  /** Export rows (CSV) and the connection's totalCount with the same filter (and the same key). */
  async function both(file: string, field: string, args: { filter?: [string, unknown]; orderBy?: [string, unknown] }, token: string | null = app.ministryToken) {
    const params: Record<string, unknown> = {};
    if (args.filter) params.filter = args.filter[1];
    if (args.orderBy) params.orderBy = args.orderBy[1];
    const exp = await csv(`${file}.csv`, params, token);
    expect(exp.res.status, file).toBe(200);
    const defs = [args.filter && `$filter: ${args.filter[0]}`, args.orderBy && `$orderBy: ${args.orderBy[0]}`].filter(Boolean).join(', ');
    const pass = [args.filter && 'filter: $filter', args.orderBy && 'orderBy: $orderBy', 'first: 500'].filter(Boolean).join(', ');
    return { exp, defs: defs ? `(${defs})` : '', pass, vars: { filter: args.filter?.[1], orderBy: args.orderBy?.[1] } };
  }

  it('exports outcome targets with the filter and order of outcomeTargets', async () => {
    const filter = { province: 'shanxi', campaign: CAMPAIGN };
    const orderBy = { field: 'PM25_TARGET', direction: 'DESC' };
    const { exp, defs, pass, vars } = await both('outcome-targets', 'outcomeTargets', { filter: ['OutcomeTargetFilter', filter], orderBy: ['OutcomeTargetOrder', orderBy] });
    const page = (await app.data(`query${defs} { outcomeTargets(${pass}) { totalCount nodes { id pm25Target heavyDaysTarget city { slug } } } }`, vars)).outcomeTargets;
    const [header, ...body] = exp.rows;
    expect(header).toEqual(['id', 'campaign', 'city', 'city_name_zh', 'city_name_en', 'pm25_target', 'heavy_days_target', 'annual_pm25_target', 'origin', 'created_at', 'updated_at']);
    expect(page.totalCount).toBe(2);
    expect(body.length).toBe(page.totalCount);
    // Jinzhong (110) before Taiyuan (90): PM2.5 target, descending.
    expect(body[0].slice(0, 7)).toEqual([page.nodes[0].id, CAMPAIGN, 'jinzhong', '晋中市', body[0][4], '110', '0']);
    expect(body.map((r) => r[2])).toEqual(page.nodes.map((n: any) => n.city.slug));
  });

  it('exports subsidy programs, campaigns, provinces and regions like their connections', async () => {
    const programs = await both('subsidy-programs', 'subsidyPrograms', { filter: ['SubsidyProgramFilter', { kinds: ['CLEAN_HEATING_OPERATING'] }] });
    const apiPrograms = (await app.data(`query${programs.defs} { subsidyPrograms(${programs.pass}) { totalCount nodes { id code nameZh kind } } }`, programs.vars)).subsidyPrograms;
    expect(programs.exp.rows[0]).toEqual(['id', 'code', 'campaign', 'name_zh', 'name_en', 'kind', 'description', 'origin', 'created_at']);
    expect(programs.exp.rows.length - 1).toBe(apiPrograms.totalCount);
    expect(apiPrograms.nodes.map((p: any) => p.code)).toContain(PROGRAMS.OPS);
    expect(apiPrograms.nodes.map((p: any) => p.code)).not.toContain(PROGRAMS.FUND);
    const p0 = apiPrograms.nodes[0];
    expect(programs.exp.rows[1].slice(0, 6)).toEqual([p0.id, p0.code, programs.exp.rows[1][2], p0.nameZh, programs.exp.rows[1][4], 'CLEAN_HEATING_OPERATING']);

    const campaigns = await both('campaigns', 'campaigns', {});
    const apiCampaigns = (await app.data(`{ campaigns(first: 500) { totalCount nodes { code nameZh periodStart periodEnd } } }`)).campaigns;
    expect(campaigns.exp.rows[0]).toEqual(['code', 'name_zh', 'name_en', 'period_start', 'period_end', 'origin']);
    expect(campaigns.exp.rows.length - 1).toBe(apiCampaigns.totalCount);
    const c0 = apiCampaigns.nodes[0];
    expect(campaigns.exp.rows[1].slice(0, 5)).toEqual([c0.code, c0.nameZh, campaigns.exp.rows[1][2], c0.periodStart, c0.periodEnd]);
    expect(c0.code).toBe(CAMPAIGN);

    const provinces = await both('provinces', 'provinces', {});
    const apiProvinces = (await app.data(`{ provinces(first: 500) { totalCount nodes { slug nameZh divisionCode cities { slug } } } }`)).provinces;
    expect(provinces.exp.rows[0]).toEqual(['slug', 'name_zh', 'name_en', 'division_code', 'city_count']);
    expect(provinces.exp.rows.length - 1).toBe(apiProvinces.totalCount);
    const v0 = apiProvinces.nodes[0];
    expect(provinces.exp.rows[1]).toEqual([v0.slug, v0.nameZh, provinces.exp.rows[1][2], v0.divisionCode, String(v0.cities.length)]);
    const cityCounts = provinces.exp.rows.slice(1).reduce((sum, r) => sum + Number(r[4]), 0);
    expect(cityCounts).toBe(56);

    const regions = await both('regions', 'regions', {});
    const apiRegions = (await app.data(`{ regions(first: 500) { totalCount nodes { code nameZh cities { slug } } } }`)).regions;
    expect(regions.exp.rows[0]).toEqual(['code', 'name_zh', 'name_en', 'city_count']);
    expect(regions.exp.rows.length - 1).toBe(apiRegions.totalCount);
    const r0 = apiRegions.nodes[0];
    expect(regions.exp.rows[1]).toEqual([r0.code, r0.nameZh, regions.exp.rows[1][2], String(r0.cities.length)]);

    // Lists without a filter refuse one rather than ignore it.
    const refused = await get(exportUrl('provinces.csv', { filter: { region: 'FENWEI_PLAIN' } }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
  });

  it('exports API keys the caller manages, never a secret or hash, refused like apiKeys', async () => {
    const taiyuan = await app.createKey({ role: 'CITY', city: 'taiyuan', name: '太原市生态环境局' });
    await app.createKey({ role: 'CITY', city: 'xian', name: '西安市生态环境局' });
    const shanxi = await app.createKey({ role: 'PROVINCE', province: 'shanxi', name: '山西省生态环境厅' });
    const filter = { roles: ['CITY', 'PROVINCE'] };
    const all = await both('api-keys', 'apiKeys', { filter: ['ApiKeyFilter', filter] });
    const api = (await app.data(`query${all.defs} { apiKeys(${all.pass}) { totalCount nodes { id name role status prefix city { slug } province { slug } } } }`, all.vars)).apiKeys;
    const [header, ...body] = all.exp.rows;
    expect(header).toEqual(['id', 'name', 'role', 'status', 'province', 'city', 'prefix', 'expires_at', 'revoked_at', 'revoked_by', 'created_at', 'created_by']);
    expect(body.length).toBe(api.totalCount);
    expect(api.totalCount).toBeGreaterThanOrEqual(3);
    const k0 = api.nodes[0];
    expect(body[0].slice(0, 7)).toEqual([k0.id, k0.name, k0.role, k0.status, k0.province?.slug ?? '', k0.city?.slug ?? '', k0.prefix]);
    expect(body.map((r) => r[0])).toEqual(api.nodes.map((n: any) => n.id));
    // The secrets and their hashes are nowhere in the file.
    const [{ secret_hash: hash }] = await app.sql<{ secret_hash: string }>(`select secret_hash from api_key where id = ?`, [Number(taiyuan.id)]);
    expect(all.exp.text).not.toContain(hash);
    expect(all.exp.text).not.toContain(taiyuan.secret);

    // A province key: its own key and its cities' keys only, as apiKeys.
    const scoped = await both('api-keys', 'apiKeys', {}, shanxi.secret);
    const scopedApi = (await app.as(shanxi.secret).data(`{ apiKeys(first: 500) { totalCount } }`)).apiKeys;
    expect(scoped.exp.rows.length - 1).toBe(scopedApi.totalCount);
    expect(scoped.exp.rows.slice(1).map((r) => r[5])).not.toContain('xian');
    expect(scoped.exp.rows.slice(1).map((r) => r[5])).toContain('taiyuan');

    // Anonymous: 401 UNAUTHENTICATED, as the query.
    const anonymousGql = await app.anonymous.request(`{ apiKeys(first: 1) { totalCount } }`);
    expect(anonymousGql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const anonymous = await get(exportUrl('api-keys.csv'), null);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('exports the audit trail in the caller\'s scope, masking personal data as AuditEvent.before/after', async () => {
    // One audited change of a Taiyuan household disbursement (赵淑珍, unpaid in the fixture).
    const [row] = await app.sql<{ id: number }>(`select id from disbursement where household_name = '赵淑珍'`);
    const paid = await app.data(`mutation($input: MarkDisbursementPaidInput!) { markDisbursementPaid(input: $input) { userErrors { field code } } }`, {
      input: { id: String(row.id), paidOn: '2024-01-20' },
    });
    expect(paid.markDisbursementPaid.userErrors).toEqual([]);

    const query = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 500) { totalCount nodes { id actor action entity entityId changedFields before after city { slug } } } }`;
    const filter = { entity: 'Disbursement' };
    // The ministry sees the names in full.
    const full = await both('audit-events', 'auditEvents', { filter: ['AuditEventFilter', filter] });
    const fullApi = (await app.data(query, { filter })).auditEvents;
    const [header, ...body] = full.exp.rows;
    expect(header).toEqual(['id', 'occurred_at', 'actor', 'key_id', 'role', 'operation', 'action', 'entity', 'entity_id', 'city_id', 'city', 'city_name_zh', 'city_name_en', 'changed_fields', 'before', 'after']);
    expect(body.length).toBe(fullApi.totalCount);
    expect(fullApi.totalCount).toBeGreaterThanOrEqual(1);
    const e0 = fullApi.nodes.find((n: any) => n.entityId === String(row.id));
    const r0 = body[fullApi.nodes.indexOf(e0)];
    expect(r0.slice(0, 3)).toEqual([e0.id, r0[1], e0.actor]);
    expect([r0[6], r0[7], r0[8], r0[10]]).toEqual(['UPDATE', 'Disbursement', String(row.id), 'taiyuan']);
    expect(r0[13]).toBe(e0.changedFields.join(','));
    expect(JSON.parse(r0[14])).toEqual(e0.before);
    expect(JSON.parse(r0[15])).toEqual(e0.after);
    expect(e0.after.householdName).toBe('赵淑珍');

    // A Shanxi province key: Shanxi's changes only, names and numbers masked exactly as in the API.
    const shanxi = await app.createKey({ role: 'PROVINCE', province: 'shanxi' });
    const scoped = await both('audit-events', 'auditEvents', {}, shanxi.secret);
    const scopedApi = (await app.as(shanxi.secret).data(query, {})).auditEvents;
    expect(scoped.exp.rows.length - 1).toBe(scopedApi.totalCount);
    const s0 = scoped.exp.rows.slice(1).find((r) => r[8] === String(row.id))!;
    const a0 = scopedApi.nodes.find((n: any) => n.entityId === String(row.id));
    expect(JSON.parse(s0[14])).toEqual(a0.before);
    expect(JSON.parse(s0[15])).toEqual(a0.after);
    expect(a0.after.householdName).toBe(maskName('赵淑珍'));
    expect(a0.after.householdIdNumber).toBe(maskIdNumber(DISBURSEMENTS.find((d) => d.household?.name === '赵淑珍')!.household!.id));
    expect(scoped.exp.text).not.toContain('赵淑珍');

    // A Shaanxi city key sees none of Taiyuan's changes.
    const xian = await app.createKey({ role: 'CITY', city: 'xian' });
    const other = await both('audit-events', 'auditEvents', {}, xian.secret);
    expect(other.exp.rows.slice(1).map((r) => r[10])).not.toContain('taiyuan');
    expect(other.exp.rows.length - 1).toBe((await app.as(xian.secret).data(`{ auditEvents(first: 1) { totalCount } }`)).auditEvents.totalCount);

    // Anonymous: 401 UNAUTHENTICATED, as the query.
    const anonymousGql = await app.anonymous.request(`{ auditEvents(first: 1) { totalCount } }`);
    expect(anonymousGql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const anonymous = await get(exportUrl('audit-events.xlsx'), null);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
