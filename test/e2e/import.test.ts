/**
 * Bulk import of ledger files (modules/import): POST /imports/<kind> and `ledger import`, in CSV
 * (UTF-8 with and without BOM, GB18030) and XLSX, English and Chinese headers; every row checked
 * by the mutation's own rules with rejects row by row; all or nothing, or skipInvalid; idempotent
 * by file hash; a CITY key refused whole for a row of another city; a killed import leaves
 * nothing; export -> import reproduces the rows; the audit trail names the import.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { parseCsv } from '../helpers/csv.js';
import { generateCreditCode } from '../../packages/api/src/modules/enterprise/credit-code.js';
import { writeFixture } from './report-fixture.js';
import { idNumber } from '../helpers/access-fixture.js';
import { IMPORT_KINDS } from '../../packages/api/src/modules/import/import.kinds.js';
import { LIST_EXPORTS } from '../../packages/api/src/modules/export/export.lists.js';

import iconv from 'iconv-lite';

let app: TestApp;
let base: string;
let dir: string;
let seed = 7;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const code = (division = '130200') => generateCreditCode(division, random);

beforeAll(async () => {
  app = await startTestApp();
  await writeFixture(app);
  base = app.url.replace(/\/graphql$/, '');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-import-test-'));
});

afterAll(async () => {
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const csvText = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

async function post(kind: string, body: Buffer | string, query: Record<string, string> = {}, token: string | null = app.ministryToken, type = 'text/csv') {
  const q = new URLSearchParams({ wait: 'true', ...query });
  const res = await fetch(`${base}/imports/${kind}?${q}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function rejectsOf(id: string, token = app.ministryToken): Promise<string[][]> {
  const res = await fetch(`${base}/imports/${id}/rejects.csv`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return parseCsv((await res.text()).replace(/^\uFEFF/, ''));
}

const enterpriseCount = async (where: string, params: unknown[] = []) => Number((await app.sql<{ n: string }>(`select count(*) as n from enterprise where ${where}`, params))[0].n);

const EN = ['city', 'name', 'credit_code', 'industry', 'size', 'key_discharger', 'online_monitoring'];
const ZH = ['城市', '企业名称', '统一社会信用代码', '行业', '规模', '重点排污单位', '在线监测联网'];

async function xlsxFile(rows: (string | number | boolean)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('ledger');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('POST /imports/enterprises', () => {
  it('imports a UTF-8 CSV with a BOM and English headers, every row through createEnterprise, audited as the import', async () => {
    const codes = [code(), code(), code()];
    const file = '\uFEFF' + csvText([EN, ['tangshan', '唐山导入钢铁一厂', codes[0], 'STEEL', 'LARGE', 'true', '1'], ['tangshan', '唐山导入焦化', codes[1], 'coking', 'MEDIUM', '否', 'false'], ['shijiazhuang', '石家庄导入水泥', codes[2], 'CEMENT', 'SMALL', '', '']]);
    const { status, body } = await post('enterprises', file, { fileName: 'register.csv' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsRead: 3, rowsValid: 3, rowsRejected: 0, rowsWritten: 3, fileName: 'register.csv', rejectsUrl: null });
    const rows = await app.sql(`select name, industry, size, key_discharger, online_monitoring, origin, created_by from enterprise where credit_code in (?) order by name`, [codes]);
    expect(rows).toEqual([
      { name: '唐山导入焦化', industry: 'COKING', size: 'MEDIUM', key_discharger: false, online_monitoring: false, origin: 'RECORDED', created_by: app.ministryActorId },
      { name: '唐山导入钢铁一厂', industry: 'STEEL', size: 'LARGE', key_discharger: true, online_monitoring: true, origin: 'RECORDED', created_by: app.ministryActorId },
      { name: '石家庄导入水泥', industry: 'CEMENT', size: 'SMALL', key_discharger: false, online_monitoring: false, origin: 'RECORDED', created_by: app.ministryActorId },
    ]);
    const audit = await app.sql<{ operation: string; n: string }>(
      `select operation, count(*) as n from audit_event where entity = 'Enterprise' and (after->>'credit_code') in (?) group by operation`,
      [codes],
    );
    expect(audit).toEqual([{ operation: `import:enterprises#${body.id}`, n: '3' }]);
  });

  it('reads GB18030 CSV with Chinese headers (detected), and UTF-8 without BOM', async () => {
    const c1 = code();
    const gb = iconv.encode(csvText([ZH, ['tangshan', '唐山市国标编码化工有限公司', c1, 'CHEMICAL', 'MICRO', '是', '否']]), 'gb18030');
    expect(gb.includes(Buffer.from('唐山', 'utf8'))).toBe(false);
    const first = await post('enterprises', gb);
    expect(first.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    expect((await app.sql(`select name, key_discharger from enterprise where credit_code = ?`, [c1]))[0]).toEqual({ name: '唐山市国标编码化工有限公司', key_discharger: true });

    const c2 = code();
    const plain = await post('enterprises', csvText([EN, ['tangshan', '唐山无签名导入厂', c2, 'GLASS', 'SMALL', 'false', 'false']]));
    expect(plain.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    expect(await enterpriseCount('credit_code = ?', [c2])).toBe(1);
  });

  it('reads XLSX (first worksheet, streamed) with Chinese headers', async () => {
    const c = code();
    const file = await xlsxFile([ZH, ['shijiazhuang', '石家庄表格导入玻璃厂', c, 'GLASS', 'LARGE', true, false]]);
    const { body } = await post('enterprises', file, {}, app.ministryToken, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(body).toMatchObject({ status: 'SUCCEEDED', format: 'xlsx', rowsWritten: 1 });
    expect((await app.sql(`select name, key_discharger from enterprise where credit_code = ?`, [c]))[0]).toEqual({ name: '石家庄表格导入玻璃厂', key_discharger: true });
  });

  it('refuses the whole file when one row breaks a rule, with every refused row in the rejects; skipInvalid writes the rest', async () => {
    const good = code();
    const taken = code();
    const rows = [
      EN,
      ['tangshan', '唐山合规厂', good, 'STEEL', 'LARGE', 'false', 'false'],
      ['tangshan', '唐山错码厂', 'NOTACREDITCODE0000', 'STEEL', 'LARGE', 'false', 'false'],
      ['tangshan', '唐山错行业厂', code(), 'SPACESHIPS', 'LARGE', 'false', 'false'],
      ['tangshan', '', code(), 'STEEL', 'LARGE', 'false', 'false'],
      ['atlantis', '不存在城市厂', code(), 'STEEL', 'LARGE', 'false', 'false'],
      ['tangshan', '唐山重复一', taken, 'STEEL', 'LARGE', 'false', 'false'],
      ['tangshan', '唐山重复二', taken, 'STEEL', 'LARGE', 'false', 'false'],
    ];
    const strict = await post('enterprises', csvText(rows));
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRead: 7, rowsRejected: 5, rowsWritten: 0 });
    expect(strict.body.message).toMatch(/5 of 7 rows were refused; nothing was written/);
    expect(await enterpriseCount('credit_code in (?)', [[good, taken]])).toBe(0);
    const rejects = await rejectsOf(strict.body.id);
    expect(rejects[0]).toEqual(['line', ...EN, 'rejected_column', 'rejected_reason']);
    const byLine = Object.fromEntries(rejects.slice(1).map((r) => [r[0], { column: r.at(-2), reason: r.at(-1) }]));
    expect(Object.keys(byLine)).toEqual(['3', '4', '5', '6', '8']);
    expect(byLine['3']).toMatchObject({ column: 'credit_code', reason: expect.stringMatching(/^INVALID: /) });
    expect(byLine['4']).toMatchObject({ column: 'industry', reason: expect.stringMatching(/^INVALID: .*SPACESHIPS/) });
    expect(byLine['5']).toMatchObject({ column: 'name', reason: expect.stringMatching(/^REQUIRED: .*name/) });
    expect(byLine['6']).toMatchObject({ column: 'city', reason: 'NOT_FOUND: No city with slug "atlantis".' });
    expect(byLine['8']).toMatchObject({ column: 'credit_code', reason: expect.stringMatching(/^TAKEN: /) });
    // The refused rows come back as they were read.
    expect(rejects.find((r) => r[0] === '4')!.slice(1, -2)).toEqual(rows[3]);

    const lenient = await post('enterprises', csvText(rows), { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsRead: 7, rowsValid: 2, rowsRejected: 5, rowsWritten: 2, skipInvalid: true });
    expect(await enterpriseCount('credit_code in (?)', [[good, taken]])).toBe(2);
    expect((await rejectsOf(lenient.body.id)).length).toBe(6);
  });

  it('writes the same file once (by its hash): the second import is DUPLICATE and writes nothing', async () => {
    const c = code();
    const file = csvText([EN, ['tangshan', '唐山幂等导入厂', c, 'LIME', 'SMALL', 'false', 'false']]);
    const first = await post('enterprises', file);
    expect(first.body.status).toBe('SUCCEEDED');
    const again = await post('enterprises', file);
    expect(again.body).toMatchObject({ status: 'DUPLICATE', duplicateOf: first.body.id, rowsWritten: 0 });
    expect(await enterpriseCount('credit_code = ?', [c])).toBe(1);
  });

  it('a dry run checks every row and writes nothing', async () => {
    const c = code();
    const { body } = await post('enterprises', csvText([EN, ['tangshan', '唐山试运行厂', c, 'LIME', 'SMALL', 'false', 'false']]), { dryRun: 'true' });
    expect(body).toMatchObject({ status: 'VALIDATED', rowsValid: 1, rowsWritten: 0, dryRun: true });
    expect(await enterpriseCount('credit_code = ?', [c])).toBe(0);
  });

  it('refuses a CITY key the whole file when one row is of another city, even with skipInvalid', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const mine = code();
    const theirs = code('140100');
    const file = csvText([EN, ['tangshan', '唐山本市厂', mine, 'LIME', 'SMALL', 'false', 'false'], ['taiyuan', '太原他市厂', theirs, 'LIME', 'SMALL', 'false', 'false']]);
    const { body } = await post('enterprises', file, { skipInvalid: 'true' }, key.secret);
    expect(body).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
    expect(body.message).toMatch(/Line 3: .*Taiyuan; nothing was written/);
    expect(await enterpriseCount('credit_code in (?)', [[mine, theirs]])).toBe(0);
    // Its own city's rows go in.
    const ok = await post('enterprises', csvText([EN, ['tangshan', '唐山本市厂', mine, 'LIME', 'SMALL', 'false', 'false']]), {}, key.secret);
    expect(ok.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1, createdBy: key.actorId });
  });

  it('answers bad requests with 4xx and the reason, before reading the file', async () => {
    expect((await post('spaceships', 'a,b\r\n')).status).toBe(404);
    const noKey = await post('enterprises', csvText([EN]), {}, null);
    expect(noKey.status).toBe(401);
    const reader = await app.createKey({ role: 'READ_ONLY' });
    expect((await post('enterprises', csvText([EN]), {}, reader.secret)).status).toBe(403);
    const badType = await post('enterprises', 'x', {}, app.ministryToken, 'application/json');
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].message).toMatch(/text\/csv/);
    const missing = await post('enterprises', csvText([['city', 'name'], ['tangshan', 'x']]));
    expect(missing.body).toMatchObject({ status: 'FAILED', rowsWritten: 0 });
    expect(missing.body.message).toMatch(/lacks required columns: credit_code \(统一社会信用代码\), industry \(行业\), size \(规模\)/);
  });

  it('answers 202 with the id at once; importJob shows the outcome to its key and to national keys only', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const res = await fetch(`${base}/imports/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${key.secret}` },
      body: csvText([EN, ['tangshan', '唐山异步导入厂', code(), 'LIME', 'SMALL', 'false', 'false']]),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const query = `query($id: ID!) { importJob(id: $id) { id kind status rowsWritten progress createdBy } }`;
    let job: any;
    for (let i = 0; i < 100; i++) {
      job = (await app.as(key.secret).gql(query, { id })).data?.importJob;
      if (job?.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toEqual({ id, kind: 'enterprises', status: 'SUCCEEDED', rowsWritten: 1, progress: 1, createdBy: key.actorId });
    expect((await app.gql(query, { id })).data.importJob.id).toBe(id);
    const other = await app.createKey({ role: 'CITY', city: 'shijiazhuang' });
    expect((await app.as(other.secret).gql(query, { id })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await app.anonymous.gql(query, { id })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the other kinds', () => {
  it('grade changes name the enterprise by credit code and go through recordGradeChange', async () => {
    const c = code();
    await post('enterprises', csvText([EN, ['tangshan', '唐山评级导入厂', c, 'CHEMICAL', 'MEDIUM', 'false', 'false']]));
    const file = csvText([
      ['credit_code', 'to_grade', 'reason', 'decided_by', 'decided_at', 'note'],
      [c, 'B', 'ASSESSMENT', '唐山市生态环境局', '2023-10-20T02:00:00.000Z', '年度评级'],
      ['91130200MA0XXXXXXX', 'C', 'ASSESSMENT', '唐山市生态环境局', '2023-10-20T02:00:00.000Z', ''],
    ]);
    const { body } = await post('grade-changes', file, { skipInvalid: 'true' });
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1, rowsRejected: 1 });
    expect((await rejectsOf(body.id))[1].slice(-2)).toEqual(['credit_code', 'NOT_FOUND: No enterprise with this credit code "91130200MA0XXXXXXX".']);
    expect((await app.sql(`select current_grade from enterprise where credit_code = ?`, [c]))[0].current_grade).toBe('B');
  });

  it('observations are checked by the rules of recordAirQualityObservations, refused items set aside by line', async () => {
    const header = ['city', 'observed_on', 'station_code', 'pm25', 'pm10', 'aqi'];
    const rows = [header];
    for (let d = 1; d <= 30; d++) rows.push(['langfang', `2023-11-${String(d).padStart(2, '0')}`, 'IMPORT-1', String(40 + d), String(80 + d), String(60 + d)]);
    rows.push(['langfang', '2023-13-01', 'IMPORT-1', '50', '', '']);
    rows.push(['langfang', '2023-12-01', 'IMPORT-1', '-5', '', '']);
    rows.push(['langfang', '2023-12-02', 'IMPORT-1', 'lots', '', '']);
    const strict = await post('air-quality-observations', csvText(rows));
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRejected: 3, rowsWritten: 0 });
    expect(Number((await app.sql(`select count(*) as n from air_quality_observation where station_code = 'IMPORT-1'`))[0].n)).toBe(0);
    const rejects = await rejectsOf(strict.body.id);
    expect(rejects.slice(1).map((r) => [r[0], r.at(-2)])).toEqual([['32', 'observed_on'], ['33', 'pm25'], ['34', 'pm25']]);
    const lenient = await post('air-quality-observations', csvText(rows), { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 30, rowsRejected: 3 });
    const stored = await app.sql(`select sum(pm25)::int as pm25, count(*)::int as n from air_quality_observation where station_code = 'IMPORT-1'`);
    expect(stored[0]).toEqual({ pm25: 30 * 40 + (30 * 31) / 2, n: 30 });
  });

  it('disbursements name the program by code and keep the budget rule of recordDisbursement', async () => {
    const file = csvText([
      ['program', 'city', 'recipient_kind', 'household_name', 'household_id_number', 'low_income', 'amount_yuan', 'approved_on', 'paid_on'],
      ['fx-clean-heating-operating', 'taiyuan', 'HOUSEHOLD', '孙丽华', idNumber('140105', '19600101', '001'), 'true', '100', '2024-01-06', ''],
      ['fx-clean-heating-operating', 'taiyuan', 'HOUSEHOLD', '周建平', idNumber('140105', '19600101', '003'), 'false', '9999999', '2024-01-06', ''],
    ]);
    const { body } = await post('disbursements', file, { skipInvalid: 'true' });
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1, rowsRejected: 1 });
    expect((await rejectsOf(body.id)).slice(1).map((r) => [r[0], r.at(-1)])).toEqual([['3', expect.stringMatching(/^BUDGET_EXCEEDED: /)]]);
    expect(await app.sql(`select household_name, amount_yuan::int as amount from disbursement where household_name in ('孙丽华', '周建平')`)).toEqual([{ household_name: '孙丽华', amount: 100 }]);
  });

  it('retrofit projects go through createRetrofitProject', async () => {
    const file = csvText([
      ['city', 'name', 'type', 'planned_start_date', 'planned_end_date', 'households'],
      ['baoding', '保定导入煤改气一期', 'CLEAN_HEATING_COAL_TO_GAS', '2023-09-01', '2023-11-15', '1200'],
      ['baoding', '保定导入日期颠倒', 'CLEAN_HEATING_COAL_TO_GAS', '2023-11-15', '2023-09-01', '10'],
    ]);
    const { body } = await post('retrofit-projects', file, { skipInvalid: 'true' });
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1, rowsRejected: 1 });
    expect(await app.sql(`select name, households from retrofit_project where name like '保定导入%'`)).toEqual([{ name: '保定导入煤改气一期', households: 1200 }]);
  });
});

describe('combustion units', () => {
  const CU = ['city', 'kind', 'name', 'fuel', 'capacity_tph', 'central_heating', 'new_build', 'status', 'scheduled_elimination_by'];
  const CU_ZH = ['城市', '类型', '名称', '燃料', '容量(蒸吨/小时)', '集中供热', '新建', '状态', '计划淘汰日期'];
  const units = async (like: string) => app.sql<{ name: string; fuel: string; capacity_tph: string; status: string }>(`select name, fuel, capacity_tph::text, status from combustion_unit where name like ? order by name`, [like]);

  it('go through createCombustionUnit (UTF-8 with BOM, English headers): the 35 t/h and new coal boiler rules refuse rows, each named in the rejects', async () => {
    const file = '\uFEFF' + csvText([
      CU,
      ['tangshan', 'BOILER', '唐山导入燃煤锅炉甲', 'COAL', '20', 'false', 'false', 'SCHEDULED_FOR_ELIMINATION', '2024-06-30'],
      ['tangshan', 'BOILER', '唐山导入燃煤锅炉乙', 'COAL', '20', 'false', 'false', 'OPERATING', ''],
      ['tangshan', 'BOILER', '唐山导入新建燃煤锅炉', 'COAL', '75', 'false', 'true', 'OPERATING', ''],
      ['tangshan', 'BOILER', '唐山导入燃气锅炉', 'GAS', '10', 'false', 'false', 'OPERATING', ''],
      ['tangshan', 'BOILER', '唐山导入无容量锅炉', 'GAS', '', 'false', 'false', 'OPERATING', ''],
    ]);
    const strict = await post('combustion-units', file);
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRead: 5, rowsRejected: 3, rowsWritten: 0 });
    expect(await units('唐山导入%')).toEqual([]);
    const rejects = await rejectsOf(strict.body.id);
    expect(rejects.slice(1).map((r) => [r[0], r.at(-2), r.at(-1)!.split(':')[0]])).toEqual([
      ['3', 'status', 'SMALL_COAL_BOILER_MUST_BE_ELIMINATED'],
      ['4', 'new_build', 'NEW_COAL_BOILER_NOT_ALLOWED'],
      ['6', 'capacity_tph', 'REQUIRED'],
    ]);
    const lenient = await post('combustion-units', file, { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2, rowsRejected: 3 });
    expect(await units('唐山导入%')).toEqual([
      { name: '唐山导入燃气锅炉', fuel: 'GAS', capacity_tph: '10.00', status: 'OPERATING' },
      { name: '唐山导入燃煤锅炉甲', fuel: 'COAL', capacity_tph: '20.00', status: 'SCHEDULED_FOR_ELIMINATION' },
    ]);
    // Audited as the import's rows.
    const audit = await app.sql<{ operation: string; n: string }>(`select operation, count(*) as n from audit_event where entity = 'CombustionUnit' and (after->>'name') like '唐山导入%' group by operation`);
    expect(audit).toEqual([{ operation: `import:combustion-units#${lenient.body.id}`, n: '2' }]);
    // The same file again writes nothing.
    expect((await post('combustion-units', file, { skipInvalid: 'true' })).body).toMatchObject({ status: 'DUPLICATE', rowsWritten: 0 });
  });

  it('read GB18030 CSV and XLSX with Chinese headers', async () => {
    const gb = iconv.encode(csvText([CU_ZH, ['langfang', 'KILN', '廊坊国标导入石灰窑', 'GAS', '', '否', '否', 'OPERATING', '']]), 'gb18030');
    expect(gb.includes(Buffer.from('廊坊', 'utf8'))).toBe(false);
    expect((await post('combustion-units', gb)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    const xlsx = await xlsxFile([CU_ZH, ['langfang', 'BOILER', '廊坊表格导入生物质锅炉', 'BIOMASS', 40, true, false, 'OPERATING', '']]);
    const { body } = await post('combustion-units', xlsx, {}, app.ministryToken, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(body).toMatchObject({ status: 'SUCCEEDED', format: 'xlsx', rowsWritten: 1 });
    expect(await units('廊坊%导入%')).toEqual([
      { name: '廊坊国标导入石灰窑', fuel: 'GAS', capacity_tph: null, status: 'OPERATING' },
      { name: '廊坊表格导入生物质锅炉', fuel: 'BIOMASS', capacity_tph: '40.00', status: 'OPERATING' },
    ]);
  });

  it('a CITY key is refused the whole file for a row of another city, even with skipInvalid', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const file = csvText([CU, ['tangshan', 'KILN', '唐山本市导入窑', 'GAS', '', 'false', 'false', 'OPERATING', ''], ['taiyuan', 'KILN', '太原他市导入窑', 'GAS', '', 'false', 'false', 'OPERATING', '']]);
    const { body } = await post('combustion-units', file, { skipInvalid: 'true' }, key.secret);
    expect(body).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
    expect(body.message).toMatch(/Line 3: .*Taiyuan; nothing was written/);
    expect(await units('%本市导入窑')).toEqual([]);
    expect(await units('%他市导入窑')).toEqual([]);
  });

  it('an export imports back into another database as the same rows', async () => {
    await post('combustion-units', csvText([
      CU,
      ['baoding', 'BOILER', '保定往返燃煤锅炉', 'COAL', '30', 'false', 'false', 'SCHEDULED_FOR_ELIMINATION', '2024-09-30'],
      ['baoding', 'GAS_PRODUCER', '保定往返煤气发生炉', 'COAL', '', 'false', 'false', 'OPERATING', ''],
    ]));
    const filter = encodeURIComponent(JSON.stringify({ city: 'baoding', origin: 'RECORDED' }));
    const order = encodeURIComponent(JSON.stringify({ field: 'NAME', direction: 'ASC' }));
    const url = (b: string) => `${b}/exports/combustion-units.csv?filter=${filter}&orderBy=${order}`;
    const exported = await (await fetch(url(base), { headers: { authorization: `Bearer ${app.ministryToken}` } })).text();
    const original = parseCsv(exported.replace(/^\uFEFF/, ''));
    expect(original.slice(1).map((r) => r[original[0].indexOf('name')])).toEqual(['保定往返煤气发生炉', '保定往返燃煤锅炉']);
    const other = await startTestApp();
    try {
      const otherBase = other.url.replace(/\/graphql$/, '');
      const res = await fetch(`${otherBase}/imports/combustion-units?wait=true`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${other.ministryToken}` }, body: exported });
      expect(await res.json()).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
      const again = parseCsv((await (await fetch(url(otherBase), { headers: { authorization: `Bearer ${other.ministryToken}` } })).text()).replace(/^\uFEFF/, ''));
      const drop = new Set(['id', 'created_at']);
      const keep = (rows: string[][]) => rows.map((r) => r.filter((_, i) => !drop.has(rows[0][i])));
      expect(keep(again)).toEqual(keep(original));
    } finally {
      await other.close();
    }
  });
});

describe('household (village) heating conversions', () => {
  const HC = ['village_id', 'households', 'new_system', 'converted_on', 'supply_stable', 'first_season_completed_on', 'old_heating_removed_on'];
  const HC_ZH = ['村编号', '户数', '改造方式', '改造完成日期', '供应稳定', '首个采暖季完成日期', '原取暖设施拆除日期'];
  const LOCALITY = `mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id } userErrors { field code message } } }`;
  const villageIn = async (city: string, name: string): Promise<string> => {
    let parentId: string | undefined;
    for (const [level, suffix] of [['COUNTY', '县'], ['TOWNSHIP', '镇'], ['VILLAGE', '村']]) {
      const r = (await app.data(LOCALITY, { input: { city, level, nameZh: `${name}${suffix}`, ...(parentId ? { parentId } : {}) } })).createLocality;
      expect(r.userErrors).toEqual([]);
      parentId = r.locality.id;
    }
    return parentId!;
  };
  const conversions = (village: string) =>
    app.sql(`select households, new_system, to_char(converted_on, 'YYYY-MM-DD') as converted_on, supply_stable, to_char(old_heating_removed_on, 'YYYY-MM-DD') as removed from household_conversion where village_id = ? order by households`, [Number(village)]);

  it('go through createHouseholdConversion: build before break refuses a row, named in the rejects; skipInvalid writes the rest, audited as the import', async () => {
    const village = await villageIn('baoding', '导入满城');
    const file = '\uFEFF' + csvText([
      HC,
      [village, '120', 'GAS', '2023-10-10', 'true', '2024-03-15', '2024-04-01'],
      [village, '80', 'GAS', '2023-10-10', 'false', '', '2024-04-01'],
      [village, '30', 'ELECTRICITY', '2099-01-01', 'false', '', ''],
      ['999999999', '10', 'GAS', '2023-10-10', 'false', '', ''],
    ]);
    const strict = await post('household-conversions', file);
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRead: 4, rowsRejected: 3, rowsWritten: 0 });
    expect(await conversions(village)).toEqual([]);
    expect((await rejectsOf(strict.body.id)).slice(1).map((r) => [r[0], r.at(-2), r.at(-1)!.split(':')[0]])).toEqual([
      ['3', 'old_heating_removed_on', 'BUILD_BEFORE_BREAK'],
      ['4', 'converted_on', 'INVALID_DATE'],
      ['5', 'village_id', 'NOT_FOUND'],
    ]);
    const lenient = await post('household-conversions', file, { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1, rowsRejected: 3 });
    expect(await conversions(village)).toEqual([{ households: 120, new_system: 'GAS', converted_on: '2023-10-10', supply_stable: true, removed: '2024-04-01' }]);
    const audit = await app.sql(`select operation, count(*)::int as n from audit_event where entity = 'HouseholdConversion' and (after->>'village_id')::int = ? group by operation`, [Number(village)]);
    expect(audit).toEqual([{ operation: `import:household-conversions#${lenient.body.id}`, n: 1 }]);
  });

  it('read GB18030 CSV and XLSX with Chinese headers', async () => {
    const village = await villageIn('langfang', '导入固安');
    const gb = iconv.encode(csvText([HC_ZH, [village, '50', 'ELECTRICITY', '2023-11-01', '否', '', '']]), 'gb18030');
    expect((await post('household-conversions', gb)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    const xlsx = await xlsxFile([HC_ZH, [village, 70, 'GAS', '2023-11-02', false, '', '']]);
    const { body } = await post('household-conversions', xlsx, {}, app.ministryToken, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(body).toMatchObject({ status: 'SUCCEEDED', format: 'xlsx', rowsWritten: 1 });
    expect((await conversions(village)).map((r: any) => [r.households, r.new_system])).toEqual([[50, 'ELECTRICITY'], [70, 'GAS']]);
  });

  it('a CITY key is refused the whole file for a village of another city, even with skipInvalid', async () => {
    const mine = await villageIn('tangshan', '导入本市');
    const theirs = await villageIn('taiyuan', '导入他市');
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const file = csvText([HC, [mine, '10', 'GAS', '2023-10-10', 'false', '', ''], [theirs, '10', 'GAS', '2023-10-10', 'false', '', '']]);
    const { body } = await post('household-conversions', file, { skipInvalid: 'true' }, key.secret);
    expect(body).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
    expect(body.message).toMatch(/Line 3: village_id .*nothing was written/);
    expect(await conversions(mine)).toEqual([]);
    expect(await conversions(theirs)).toEqual([]);
  });

  it('an export imports back as the same rows', async () => {
    const village = await villageIn('shijiazhuang', '导入往返');
    await post('household-conversions', csvText([HC, [village, '15', 'GAS', '2023-10-01', 'true', '2024-03-15', '2024-03-20'], [village, '25', 'ELECTRICITY', '2023-10-02', 'false', '', '']]));
    const filter = encodeURIComponent(JSON.stringify({ city: 'shijiazhuang' }));
    const exportRows = async () => {
      const rows = parseCsv((await (await fetch(`${base}/exports/household-conversions.csv?filter=${filter}`, { headers: { authorization: `Bearer ${app.ministryToken}` } })).text()).replace(/^\uFEFF/, ''));
      const drop = new Set(['id', 'version', 'created_at', 'updated_at']);
      return rows.filter((r, i) => i === 0 || r[rows[0].indexOf('village_id')] === village).map((r) => r.filter((_, i) => !drop.has(rows[0][i])));
    };
    const exported = await (await fetch(`${base}/exports/household-conversions.csv?filter=${filter}`, { headers: { authorization: `Bearer ${app.ministryToken}` } })).text();
    const before = await exportRows();
    expect(before.length).toBe(3);
    const lines = exported.replace(/^\uFEFF/, '').split('\r\n');
    const header = parseCsv(lines[0])[0];
    const mineOnly = [lines[0], ...lines.slice(1).filter((l) => l && parseCsv(l)[0][header.indexOf('village_id')] === village)].join('\r\n') + '\r\n';
    expect((await post('household-conversions', mineOnly)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    const after = await exportRows();
    const sorted = (rows: string[][]) => rows.slice(1).map((r) => JSON.stringify(r)).sort();
    expect(sorted(after)).toEqual([...sorted(before), ...sorted(before)].sort());
  });
});

describe('emergency reduction lists (one call of setReductionListEntries per city and campaign)', () => {
  // An earlier campaign, whose lists are empty (the demo lists every enterprise for 2023-2024); not the default of look-ups.
  const CAMPAIGN = '2022-2023-autumn-winter';
  beforeAll(async () => {
    await app.sql(`insert into campaign (code, name_zh, name_en, period_start, period_end, origin, created_by, updated_by)
      values (?, '2022-2023年秋冬季攻坚', '2022-2023 autumn-winter campaign', '2022-10-01', '2023-03-31', 'RECORDED', 'test', 'test')`, [CAMPAIGN]);
  });
  const RL = ['campaign', 'city', 'credit_code', 'protected_exempt', 'so2_baseline', 'nox_baseline', 'pm_baseline', 'vocs_baseline', 'yellow_measure', 'yellow_cut_percent', 'orange_measure', 'orange_cut_percent', 'red_measure', 'red_cut_percent', 'measure_note'];
  const RL_ZH = ['攻坚行动', '城市', '统一社会信用代码', '保障类豁免', '二氧化硫基准排放量(吨/日)', '氮氧化物基准排放量(吨/日)', '颗粒物基准排放量(吨/日)', '挥发性有机物基准排放量(吨/日)', '黄色预警措施', '黄色预警减排比例(%)', '橙色预警措施', '橙色预警减排比例(%)', '红色预警措施', '红色预警减排比例(%)', '措施说明'];
  /** An enterprise inserted with a grade (the grade at listing is its current grade); resolves with its credit code. */
  const graded = async (city: string, industry: string, grade: string | null): Promise<string> => {
    const c = code();
    await app.sql(
      `insert into enterprise (city_id, name, credit_code, industry, size, current_grade, protected_class, ultra_low_emission_status, origin, created_by, updated_by)
       select id, ?, ?, ?, 'MEDIUM', ?, 'NONE', 'ASSESSED_AND_PUBLICISED', 'RECORDED', 'test', 'test' from city where slug = ?`,
      [`${city} 减排清单导入 ${c}`, c, industry, grade, city],
    );
    return c;
  };
  const row = (city: string, creditCode: string, y: [string, number], o: [string, number], r: [string, number], note = '') =>
    [CAMPAIGN, city, creditCode, 'false', '1.5', '2', '0.5', '0.25', y[0], String(y[1]), o[0], String(o[1]), r[0], String(r[1]), note];
  const entries = (codes: string[]) =>
    app.sql<{ credit_code: string; yellow: string; orange: string; red: string; grade: string | null; version: number }>(
      `select e.credit_code, r.yellow_measure || ' ' || r.yellow_cut_percent::float8 as yellow, r.orange_measure || ' ' || r.orange_cut_percent::float8 as orange,
         r.red_measure || ' ' || r.red_cut_percent::float8 as red, r.grade_at_listing as grade, r.version
       from reduction_list_entry r join enterprise e on e.id = r.enterprise_id where e.credit_code = any(string_to_array(?, ',')) order by array_position(string_to_array(?, ','), e.credit_code)`,
      [codes.join(','), codes.join(',')],
    );

  it('judges each city\'s list whole, by the mutation\'s rules: the rejects name the line, the column and the rule; all or nothing, skipInvalid writes the lists that pass', async () => {
    const [lb, lc, la] = [await graded('langfang', 'GLASS', 'B'), await graded('langfang', 'GLASS', 'C'), await graded('langfang', 'CHEMICAL', 'A')];
    const [cb, cd] = [await graded('cangzhou', 'GLASS', 'B'), await graded('cangzhou', 'GLASS', 'D')];
    // The rows of a list need not be together: langfang's are lines 2, 4 and 6.
    const file = '\uFEFF' + csvText([
      RL,
      row('langfang', lb, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 30], ['STOP_LINES', 40]),
      row('cangzhou', cb, ['LIMIT_PRODUCTION', 10], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 30]),
      // C cuts less than langfang's B under ORANGE (the grade rule across the list, same industry).
      row('langfang', lc, ['LIMIT_PRODUCTION', 20], ['LIMIT_PRODUCTION', 25], ['STOP_LINES', 50]),
      row('cangzhou', cd, ['STOP_LINES', 20], ['STOP_LINES', 30], ['STOP_PRODUCTION', 40]),
      // Grade A decides its own cuts (a rule of the entry itself).
      row('langfang', la, ['LIMIT_PRODUCTION', 5], ['SELF_DETERMINED', 5], ['SELF_DETERMINED', 5]),
      // The cut shrinks as the level rises; and a credit code of no enterprise.
      row('cangzhou', await graded('cangzhou', 'FOUNDRY', 'C'), ['STAGGER', 30], ['STAGGER', 20], ['STAGGER', 40]),
      row('cangzhou', code(), ['STAGGER', 1], ['STAGGER', 2], ['STAGGER', 3]),
    ]);
    const strict = await post('reduction-list-entries', file);
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRead: 7, rowsRejected: 5, rowsWritten: 0 });
    expect(await entries([lb, lc, la, cb, cd])).toEqual([]);
    const rejected = (await rejectsOf(strict.body.id)).slice(1).map((r) => [r[0], r.at(-2), r.at(-1)!.split(':')[0]]);
    expect(rejected).toEqual([
      // The entry's own rule first; then the list without that row: B and C conflict, each named.
      ['2', 'orange_cut_percent', 'NOT_ALLOWED'],
      ['4', 'orange_cut_percent', 'NOT_ALLOWED'],
      ['6', 'yellow_measure', 'NOT_ALLOWED'],
      ['7', 'orange_cut_percent', 'NOT_ALLOWED'],
      ['8', 'credit_code', 'NOT_FOUND'],
    ]);
    expect((await rejectsOf(strict.body.id))[2].at(-1)).toMatch(/never shrinks as the grade worsens/);

    const lenient = await post('reduction-list-entries', file, { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsRead: 7, rowsRejected: 5, rowsWritten: 2 });
    expect(await entries([lb, lc, la, cb, cd])).toEqual([
      { credit_code: cb, yellow: 'LIMIT_PRODUCTION 10', orange: 'LIMIT_PRODUCTION 20', red: 'STOP_LINES 30', grade: 'B', version: 1 },
      { credit_code: cd, yellow: 'STOP_LINES 20', orange: 'STOP_LINES 30', red: 'STOP_PRODUCTION 40', grade: 'D', version: 1 },
    ]);
    const audit = await app.sql<{ operation: string; n: number }>(
      `select operation, count(*)::int as n from audit_event where entity = 'ReductionListEntry' and (after->>'enterprise_id')::int in (select id from enterprise where credit_code = any(string_to_array(?, ','))) group by operation`,
      [[cb, cd].join(',')],
    );
    expect(audit).toEqual([{ operation: `import:reduction-list-entries#${lenient.body.id}`, n: 2 }]);
    expect((await post('reduction-list-entries', file, { skipInvalid: 'true' })).body).toMatchObject({ status: 'DUPLICATE', rowsWritten: 0 });
  });

  it('checks the rows of a list together: raising B and C in one file passes where one row at a time would break the grade rule', async () => {
    const [b, c] = [await graded('hengshui', 'REFRACTORY', 'B'), await graded('hengshui', 'REFRACTORY', 'C')];
    const first = csvText([RL, row('hengshui', b, ['STAGGER', 10], ['STAGGER', 10], ['STAGGER', 10]), row('hengshui', c, ['STAGGER', 20], ['STAGGER', 20], ['STAGGER', 20])]);
    expect((await post('reduction-list-entries', first)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    // B alone at 30 would cut more than the stored C (20); with C at 40 in the same list it does not.
    const raised = csvText([RL, row('hengshui', b, ['STAGGER', 30], ['STAGGER', 30], ['STAGGER', 30]), row('hengshui', c, ['STAGGER', 40], ['STAGGER', 40], ['STAGGER', 40])]);
    expect((await post('reduction-list-entries', raised)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    expect((await entries([b, c])).map((e) => [e.yellow, e.version])).toEqual([['STAGGER 30', 2], ['STAGGER 40', 2]]);
    const alone = csvText([RL, row('hengshui', b, ['STAGGER', 50], ['STAGGER', 50], ['STAGGER', 50])]);
    const refused = await post('reduction-list-entries', alone);
    expect(refused.body).toMatchObject({ status: 'FAILED', rowsRejected: 1, rowsWritten: 0 });
    expect((await rejectsOf(refused.body.id)).slice(1).map((r) => [r[0], r.at(-2)])).toEqual([['2', 'yellow_cut_percent']]);
  });

  it('reads GB18030 CSV and XLSX with Chinese headers', async () => {
    const [x, y] = [await graded('xingtai', 'COKING', 'LEADING'), await graded('xingtai', 'COKING', null)];
    const gb = iconv.encode(csvText([RL_ZH, row('xingtai', x, ['SELF_DETERMINED', 0], ['SELF_DETERMINED', 5], ['SELF_DETERMINED', 10], '自主减排')]), 'gb18030');
    expect(gb.includes(Buffer.from('自主减排', 'utf8'))).toBe(false);
    expect((await post('reduction-list-entries', gb)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    const xlsx = await xlsxFile([RL_ZH, [CAMPAIGN, 'xingtai', y, false, 3, 4, 1, 0.5, 'STOP_LINES', 20, 'STOP_LINES', 30, 'STOP_PRODUCTION', 100, '']]);
    const { body } = await post('reduction-list-entries', xlsx, {}, app.ministryToken, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(body).toMatchObject({ status: 'SUCCEEDED', format: 'xlsx', rowsWritten: 1 });
    expect(await entries([x, y])).toEqual([
      { credit_code: x, yellow: 'SELF_DETERMINED 0', orange: 'SELF_DETERMINED 5', red: 'SELF_DETERMINED 10', grade: 'LEADING', version: 1 },
      { credit_code: y, yellow: 'STOP_LINES 20', orange: 'STOP_LINES 30', red: 'STOP_PRODUCTION 100', grade: null, version: 1 },
    ]);
  });

  it('a CITY key is refused the whole file for a row of another city, or an enterprise of another city, even with skipInvalid', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const [mine, theirs] = [await graded('tangshan', 'STEEL', 'C'), await graded('taiyuan', 'STEEL', 'C')];
    const ok = row('tangshan', mine, ['STOP_LINES', 10], ['STOP_LINES', 20], ['STOP_LINES', 30]);
    for (const [other, message] of [
      // A row of Taiyuan's list (naming even an enterprise of the key's own city).
      [row('taiyuan', mine, ['STOP_LINES', 10], ['STOP_LINES', 20], ['STOP_LINES', 30]), /Line 3: .*Taiyuan; nothing was written/],
      // A row of its own list naming an enterprise of Taiyuan.
      [row('tangshan', theirs, ['STOP_LINES', 10], ['STOP_LINES', 20], ['STOP_LINES', 30]), /Line 3: credit_code .*nothing was written/],
    ] as const) {
      const { body } = await post('reduction-list-entries', csvText([RL, ok, [...other]]), { skipInvalid: 'true' }, key.secret);
      expect(body).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
      expect(body.message).toMatch(message);
      expect(await entries([mine, theirs])).toEqual([]);
    }
    // Its own city's list it imports, under row-level security.
    expect((await post('reduction-list-entries', csvText([RL, ok]), {}, key.secret)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    expect((await entries([mine])).length).toBe(1);
  });

  it('an export imports back as the same rows', async () => {
    const [b, c] = [await graded('handan', 'LIME', 'B'), await graded('handan', 'LIME', 'C')];
    await post('reduction-list-entries', csvText([RL, row('handan', b, ['STAGGER', 10], ['LIMIT_PRODUCTION', 20], ['STOP_LINES', 30], '错峰, "一线"'), row('handan', c, ['STAGGER', 15], ['LIMIT_PRODUCTION', 25], ['STOP_PRODUCTION', 100])]));
    const filter = encodeURIComponent(JSON.stringify({ city: 'handan', campaign: CAMPAIGN, origin: 'RECORDED' }));
    const exportRows = async () => {
      const rows = parseCsv((await (await fetch(`${base}/exports/reduction-list-entries.csv?filter=${filter}`, { headers: { authorization: `Bearer ${app.ministryToken}` } })).text()).replace(/^\uFEFF/, ''));
      const at = rows[0].indexOf('credit_code');
      const drop = new Set(['id', 'enterprise_id', 'version']);
      return rows.filter((r, i) => i === 0 || r[at] === b || r[at] === c).map((r) => r.filter((_, i) => !drop.has(rows[0][i])));
    };
    const exported = await (await fetch(`${base}/exports/reduction-list-entries.csv?filter=${filter}`, { headers: { authorization: `Bearer ${app.ministryToken}` } })).text();
    const before = await exportRows();
    expect(before.length).toBe(3);
    await app.sql(`delete from reduction_list_entry where enterprise_id in (select id from enterprise where credit_code = any(string_to_array(?, ',')))`, [[b, c].join(',')]);
    const lines = parseCsv(exported.replace(/^\uFEFF/, ''));
    const at = lines[0].indexOf('credit_code');
    const mineOnly = csvText(lines.filter((r, i) => i === 0 || r[at] === b || r[at] === c));
    expect((await post('reduction-list-entries', mineOnly)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    expect(await exportRows()).toEqual(before);
  });
});

describe('bulk observations (COPY, audited as one operation)', () => {
  const header = ['city', 'observed_on', 'station_code', 'pm25', 'aqi'];
  const days = (city: string, station: string, from: number, n: number, pm25: number) =>
    Array.from({ length: n }, (_, i) => [city, `2023-10-${String(from + i).padStart(2, '0')}`, station, String(pm25 + i), String(50 + i)]);
  const auditOf = (id: string) =>
    app.sql<{ entity: string; action: string; city: string | null; entity_id: number; after: any; before: any }>(
      `select e.entity, e.action, c.slug as city, e.entity_id, e.after, e.before from audit_event e left join city c on c.id = e.city_id where e.operation = ? order by e.entity, c.slug, e.entity_id`,
      [`import:air-quality-observations#${id}`],
    );

  it('writes new rows with their import and one audit event per import and city, none per row', async () => {
    const { body } = await post('air-quality-observations', csvText([header, ...days('langfang', 'BULK-1', 1, 10, 40), ...days('baoding', 'BULK-1', 1, 5, 60)]));
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 15, rowsRejected: 0 });
    const stored = await app.sql<{ import_id: number; n: number }>(`select import_id, count(*)::int as n from air_quality_observation where station_code = 'BULK-1' group by import_id`);
    expect(stored).toEqual([{ import_id: Number(body.id), n: 15 }]);
    const audit = await auditOf(body.id);
    expect(audit.map((e) => [e.entity, e.action, e.city, e.entity_id, e.after.rows_created, e.after.entity, e.after.file_hash])).toEqual([
      ['ImportJob', 'CREATE', 'baoding', Number(body.id), 5, 'AirQualityObservation', body.fileHash],
      ['ImportJob', 'CREATE', 'langfang', Number(body.id), 10, 'AirQualityObservation', body.fileHash],
    ]);
    // The API says which import wrote each observation.
    const d = await app.data<any>(`{ airQualityObservations(filter: { city: "langfang", stationCode: "BULK-1" }, first: 20) { totalCount nodes { importId pm25 } } }`);
    expect(d.airQualityObservations.totalCount).toBe(10);
    expect(new Set(d.airQualityObservations.nodes.map((n: any) => n.importId))).toEqual(new Set([body.id]));
    // A mutation that replaces an imported observation takes it over.
    await app.data(`mutation { recordAirQualityObservation(input: { city: "langfang", observedOn: "2023-10-01", stationCode: "BULK-1", pm25: 99 }) { userErrors { code } } }`);
    expect((await app.sql(`select import_id from air_quality_observation where station_code = 'BULK-1' and city_id = (select id from city where slug = 'langfang') and observed_on = '2023-10-01'`))[0].import_id).toBeNull();
  });

  it('replaces stored observations like the mutation, each replacement audited with its values before', async () => {
    await post('air-quality-observations', csvText([header, ...days('xingtai', 'BULK-2', 1, 4, 30)]));
    // Days 3-4 are stored (COPY refuses them, the file is staged and upserted), days 5-6 are new.
    const { body } = await post('air-quality-observations', csvText([header, ...days('xingtai', 'BULK-2', 3, 4, 70)]));
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsRead: 4, rowsWritten: 4, rowsRejected: 0 });
    const stored = await app.sql<{ observed_on: string; pm25: string; import_id: number }>(
      `select to_char(observed_on, 'YYYY-MM-DD') as observed_on, pm25::text as pm25, import_id from air_quality_observation where station_code = 'BULK-2' order by observed_on`,
    );
    expect(stored.map((r) => [r.observed_on, Number(r.pm25), r.import_id === Number(body.id)])).toEqual([
      ['2023-10-01', 30, false], ['2023-10-02', 31, false], ['2023-10-03', 70, true], ['2023-10-04', 71, true], ['2023-10-05', 72, true], ['2023-10-06', 73, true],
    ]);
    const audit = await auditOf(body.id);
    expect(audit.map((e) => [e.entity, e.action, e.city])).toEqual([
      ['AirQualityObservation', 'UPDATE', 'xingtai'],
      ['AirQualityObservation', 'UPDATE', 'xingtai'],
      ['ImportJob', 'CREATE', 'xingtai'],
    ]);
    expect(audit.slice(0, 2).map((e) => [Number(e.before.pm25), Number(e.after.pm25), e.after.import_id])).toEqual([[32, 70, Number(body.id)], [33, 71, Number(body.id)]]);
    expect(audit[2].after.rows_created).toBe(2);
  });

  it('refuses a row that repeats an earlier row of the file, naming both lines; skipInvalid writes the rest', async () => {
    const rows = [header, ...days('handan', 'BULK-3', 1, 5, 30), ['handan', '2023-10-02', 'BULK-3', '99', '']];
    const strict = await post('air-quality-observations', csvText(rows));
    expect(strict.body).toMatchObject({ status: 'FAILED', rowsRejected: 1, rowsWritten: 0 });
    expect((await rejectsOf(strict.body.id)).slice(1).map((r) => [r[0], r.at(-2), r.at(-1)])).toEqual([
      ['7', 'observed_on', 'INVALID: Same city, day and station as line 3: give each observation once.'],
    ]);
    const lenient = await post('air-quality-observations', csvText(rows), { skipInvalid: 'true' });
    expect(lenient.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 5, rowsRejected: 1 });
    expect((await app.sql(`select pm25::int as pm25 from air_quality_observation where station_code = 'BULK-3' and observed_on = '2023-10-02'`))[0].pm25).toBe(31);
    const dry = await post('air-quality-observations', csvText([...rows, ['handan', '2023-10-03', 'BULK-3', '1', '']]), { dryRun: 'true' });
    expect(dry.body).toMatchObject({ status: 'FAILED', rowsRejected: 2, rowsWritten: 0 });
    expect((await rejectsOf(dry.body.id)).slice(1).map((r) => r[0])).toEqual(['7', '8']);
  });

  it('a CITY key imports its own city under row-level security, audited the same way', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'hengshui' });
    const { body } = await post('air-quality-observations', csvText([header, ...days('hengshui', 'BULK-4', 1, 6, 45)]), {}, key.secret);
    expect(body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 6 });
    const audit = await auditOf(body.id);
    expect(audit.map((e) => [e.entity, e.city, e.after.rows_created])).toEqual([['ImportJob', 'hengshui', 6]]);
    // The city's key reads the import's event in its own audit trail.
    const d = await app.data<any>(`{ auditEvents(filter: { operation: "import:air-quality-observations#${body.id}" }) { nodes { entity entityId action actor } } }`, {}, { authorization: `Bearer ${key.secret}` });
    expect(d.auditEvents.nodes).toEqual([{ entity: 'ImportJob', entityId: body.id, action: 'CREATE', actor: key.actorId }]);
    const refused = await post('air-quality-observations', csvText([header, ...days('hengshui', 'BULK-4', 10, 2, 45), ...days('xingtai', 'BULK-4', 10, 2, 45)]), {}, key.secret);
    expect(refused.body).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
    expect(Number((await app.sql(`select count(*) as n from air_quality_observation where station_code = 'BULK-4'`))[0].n)).toBe(6);
  });
});

describe('round trip and interruption', () => {
  it('an export of enterprises imports back into another database as the same rows', async () => {
    const filter = encodeURIComponent(JSON.stringify({ city: 'tangshan', search: '唐山导入' }));
    const exported = await (await fetch(`${base}/exports/enterprises.csv?filter=${filter}`, { headers: { authorization: `Bearer ${app.ministryToken}` } })).text();
    const original = parseCsv(exported.replace(/^\uFEFF/, ''));
    expect(original.length).toBeGreaterThan(2);
    const other = await startTestApp();
    try {
      const otherBase = other.url.replace(/\/graphql$/, '');
      const res = await fetch(`${otherBase}/imports/enterprises?wait=true`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${other.ministryToken}` }, body: exported });
      const job = (await res.json()) as any;
      expect(job).toMatchObject({ status: 'SUCCEEDED', rowsWritten: original.length - 1 });
      expect(job.message).toMatch(/Columns not imported: id, city_name_zh, city_name_en, current_grade, protected_class|Columns not imported: id/);
      const again = parseCsv((await (await fetch(`${otherBase}/exports/enterprises.csv?filter=${filter}`, { headers: { authorization: `Bearer ${other.ministryToken}` } })).text()).replace(/^\uFEFF/, ''));
      const drop = new Set(['id', 'created_at', 'updated_at']);
      const keep = (rows: string[][]) => rows.map((r) => r.filter((_, i) => !drop.has(rows[0][i])));
      expect(keep(again)).toEqual(keep(original));
    } finally {
      await other.close();
    }
  });

  it('every import kind takes columns of its export, the same declaration (header, Chinese header, field)', () => {
    for (const [name, kind] of Object.entries(IMPORT_KINDS)) {
      const exported = LIST_EXPORTS[name]?.columns ?? [];
      for (const column of kind.columns) expect(exported, `${name}: ${column.header}`).toContainEqual(column);
    }
    // What an export of projects and disbursements names its enterprise by, an import reads.
    expect(IMPORT_KINDS['retrofit-projects'].columns.map((c) => c.header)).toContain('enterprise_credit_code');
    expect(IMPORT_KINDS.disbursements.columns.map((c) => c.header)).toContain('enterprise_credit_code');
  });

  it('an export of retrofit projects names the enterprise by credit code and imports back as the same rows', async () => {
    const c = code();
    const enterprises = csvText([EN, ['tangshan', '唐山往返钢铁厂', c, 'STEEL', 'LARGE', 'true', 'true']]);
    expect((await post('enterprises', enterprises)).body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    const projects = csvText([
      ['city', 'name', 'type', 'status', 'enterprise_credit_code', 'planned_start_date', 'planned_end_date', 'investment_yuan'],
      ['tangshan', '唐山往返超低排放改造一期', 'ULTRA_LOW_EMISSION_STEEL', 'PLANNED', c, '2023-09-01', '2023-12-31', '12000000'],
      ['tangshan', '唐山往返超低排放改造二期', 'ULTRA_LOW_EMISSION_STEEL', 'PLANNED', c, '2023-10-01', '2024-03-31', '8000000'],
    ]);
    const imported = await post('retrofit-projects', projects);
    expect(imported.body).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    const exportOf = async (url: string, token: string, creditCode: string) => {
      const id = (await fetch(url.replace(/\/exports$/, '/graphql'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ enterprises(first: 1, filter: { search: "${creditCode}" }) { nodes { id } } }` }),
      }).then((r) => r.json() as any)).data.enterprises.nodes[0].id;
      const filter = encodeURIComponent(JSON.stringify({ enterpriseId: id }));
      const order = encodeURIComponent(JSON.stringify({ field: 'NAME', direction: 'ASC' }));
      return (await fetch(`${url}/retrofit-projects.csv?filter=${filter}&orderBy=${order}`, { headers: { authorization: `Bearer ${token}` } })).text();
    };
    const exported = await exportOf(`${base}/exports`, app.ministryToken, c);
    const original = parseCsv(exported.replace(/^\uFEFF/, ''));
    expect(original.length).toBe(3);
    expect(original[1][original[0].indexOf('enterprise_credit_code')]).toBe(c);
    const other = await startTestApp();
    try {
      const otherBase = other.url.replace(/\/graphql$/, '');
      const into = async (kind: string, body: string) =>
        (await fetch(`${otherBase}/imports/${kind}?wait=true`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${other.ministryToken}` }, body })).json() as any;
      expect(await into('enterprises', enterprises)).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
      expect(await into('retrofit-projects', exported)).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
      const again = parseCsv((await exportOf(`${otherBase}/exports`, other.ministryToken, c)).replace(/^\uFEFF/, ''));
      const drop = new Set(['id', 'enterprise_id', 'created_at']);
      const keep = (rows: string[][]) => rows.map((r) => r.filter((_, i) => !drop.has(rows[0][i])));
      expect(keep(again)).toEqual(keep(original));
    } finally {
      await other.close();
    }
  });

  it('`ledger import` killed mid-file leaves nothing written; its record reads INTERRUPTED once its heartbeat is stale', async () => {
    const file = path.join(dir, 'observations.csv');
    const out = fs.createWriteStream(file);
    out.write('city,observed_on,station_code,pm25\n');
    const cities = ['beijing', 'tianjin', 'shijiazhuang', 'tangshan', 'baoding', 'langfang'];
    for (let s = 0; s < 300; s++) for (const city of cities) for (let d = 0; d < 300; d++) out.write(`${city},${new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10)},KILL-${s},${30 + (d % 50)}\n`);
    await new Promise<void>((r) => out.end(r));
    const cli = path.resolve('packages/api/dist/cli.js');
    const child = spawn(process.execPath, [cli, 'import', 'air-quality-observations', file, '--json'], {
      env: { ...process.env, DATABASE_URL: app.databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let exited = false;
    child.once('exit', () => (exited = true));
    let jobId: number | undefined;
    const seen: string[] = [];
    for (let i = 0; i < 400 && jobId === undefined && !exited; i++) {
      const rows = await app.sql<{ id: number; status: string; rows_read: number }>(`select id, status, rows_read from import_job where file_name = 'observations.csv'`);
      seen.push(JSON.stringify(rows));
      if (rows[0]?.status === 'RUNNING' && rows[0].rows_read > 10_000) jobId = rows[0].id;
      if (jobId === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(jobId, output + seen.join('\n')).toBeDefined();
    child.kill('SIGKILL');
    if (!exited) await new Promise((r) => child.once('exit', r));
    // PostgreSQL rolls the killed import's transaction back once its connection is gone.
    for (let i = 0; i < 100; i++) {
      const live = await app.sql(`select 1 from pg_stat_activity where application_name = '' and state = 'idle in transaction' and query like '%air_quality_observation%'`);
      if (!live.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Number((await app.sql(`select count(*) as n from air_quality_observation where station_code like 'KILL-%'`))[0].n)).toBe(0);
    const query = `query($id: ID!) { importJob(id: $id) { status rowsWritten finishedAt } }`;
    expect((await app.data(query, { id: String(jobId) })).importJob).toMatchObject({ status: 'RUNNING', finishedAt: null });
    await app.sql(`update import_job set heartbeat_at = now() - interval '1 minute' where id = ?`, [jobId]);
    expect((await app.data(query, { id: String(jobId) })).importJob).toEqual({ status: 'INTERRUPTED', rowsWritten: 0, finishedAt: null });
  });

  it('`ledger import --city` acts as that city: a row of another city refuses the file', async () => {
    const file = path.join(dir, 'city.csv');
    fs.writeFileSync(file, csvText([['name', 'credit_code', 'industry', 'size'], ['唐山命令行厂', code(), 'LIME', 'SMALL']]));
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [path.resolve('packages/api/dist/cli.js'), ...args], { env: { ...process.env, DATABASE_URL: app.databaseUrl } });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.on('exit', (code) => resolve({ code: code ?? -1, stdout }));
      });
    const ok = await run(['import', 'enterprises', file, '--city', 'tangshan', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 1 });
    const other = path.join(dir, 'other.csv');
    fs.writeFileSync(other, csvText([EN, ['taiyuan', '太原命令行厂', code('140100'), 'LIME', 'SMALL', 'false', 'false']]));
    const refused = await run(['import', 'enterprises', other, '--city', 'tangshan', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 'REFUSED', rowsWritten: 0 });
  });
});
