/**
 * The campaign dashboard and report builder (packages/dashboard: built with Vite on the SDK and
 * Observable Plot, served by the API at /dashboard), in headless Chromium with every request to
 * another host blocked, on the demo dataset:
 * - a province's scorecard shows the numbers of the API's campaignScorecards answer;
 * - the PM2.5 trend chart has one point per observed day, and one band per warning;
 * - the report builder's table equals report(input) from the SDK, its CSV download equals the
 *   export, its XLSX download is the export's workbook, and the GraphQL document and the SDK
 *   snippet it gives reproduce the report;
 * - a CITY key sees only its city;
 * - screenshots are written to test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createClient, ScorecardLevel, type AirledgerClient } from '@airledger/sdk';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchOfflineBrowser, RESULTS_DIR, type OfflineBrowser } from '../helpers/browser.js';
import { seedDemoIfEmpty } from '../../packages/api/src/seeders/index.js';
import { loadConfig } from '../../packages/api/src/config.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let app: TestApp;
let browser: OfflineBrowser;
let sdk: AirledgerClient;
let dashboardUrl: string;
let campaign: { code: string; periodStart: string; periodEnd: string };

beforeAll(async () => {
  expect(fs.existsSync(path.join(repo, 'packages/dashboard/dist/index.html')), 'the dashboard is built (pnpm build)').toBe(true);
  app = await startTestApp({ config: { dashboard: true } });
  await seedDemoIfEmpty(app.orm, 20231001);
  dashboardUrl = app.url.replace(/\/graphql$/, '/dashboard');
  sdk = createClient({ url: app.url, token: app.ministryToken, retries: 0 });
  const latest = (await sdk.campaigns({ first: 1 })).campaigns.nodes[0];
  campaign = { code: latest.code, periodStart: String(latest.periodStart), periodEnd: String(latest.periodEnd) };
  browser = await launchOfflineBrowser({ viewport: { width: 1400, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A new tab (its own sessionStorage) on the dashboard, signed in with `token`, showing `place` once loaded. */
async function openDashboard(token: string, place?: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(dashboardUrl);
  // Without a key: the public figures.
  await page.locator('#key-status').filter({ hasText: 'No key' }).waitFor({ timeout: 30_000 });
  await page.locator('#view-dashboard[data-ready]:not([aria-busy])').waitFor({ timeout: 60_000 });
  expect(await page.locator('#scorecard [data-field="attainment.pm25Mean"]').count()).toBe(1);
  expect(await page.locator('#subsidies-hidden').count(), 'subsidies are not public').toBe(1);
  await page.locator('#api-key').fill(token);
  await page.locator('#use-key').click();
  await page.locator('#key-status').filter({ hasText: /MINISTRY|PROVINCE|CITY|READ_ONLY/ }).waitFor({ timeout: 30_000 });
  await page.locator('#view-dashboard[data-ready]').waitFor({ timeout: 60_000 });
  if (place) {
    await page.locator('#place').selectOption(place);
    await page.locator(`#view-dashboard[data-ready="${place}"]:not([aria-busy])`).waitFor({ timeout: 60_000 });
  }
  return page;
}

/** The value at a data-field path of a scorecard: `attainment.pm25Mean`, `taskTargets.<code>.share.quantity`, `grades.<grade>`. */
function valueAt(card: any, field: string): unknown {
  const [head, ...rest] = field.split('.');
  if (head === 'grades') return card.grades.find((g: any) => String(g.grade) === rest[0])?.count;
  let at: any = card[head];
  if (head === 'taskTargets') {
    const code = rest.shift();
    at = at.find((t: any) => t.taskTarget.code === code);
  }
  for (const part of rest) at = at?.[part];
  return at ?? null;
}

describe('the dashboard is served by the API', () => {
  it('at GET /dashboard, its assets from this server only', async () => {
    const res = await fetch(dashboardUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^\/dashboard\/assets\//);
    for (const ref of refs) expect((await fetch(new URL(ref, dashboardUrl))).status).toBe(200);
  });

  it('is off in production unless AIRLEDGER_DASHBOARD=true', async () => {
    expect(loadConfig({ NODE_ENV: 'production' }).dashboard).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', AIRLEDGER_DASHBOARD: 'true' }).dashboard).toBe(true);
    expect(loadConfig({}).dashboard).toBe(true);
    const off = await startTestApp({ config: { dashboard: false } });
    try {
      const base = off.url.replace(/\/graphql$/, '');
      const res = await fetch(`${base}/dashboard`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('AIRLEDGER_DASHBOARD=true');
      expect(html).not.toContain('<script');
      const asset = /\/dashboard\/assets\/[^"]+\.js/.exec(await (await fetch(dashboardUrl)).text())![0];
      expect((await fetch(`${base}${asset}`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('the dashboard', () => {
  it('shows a province scorecard equal to campaignScorecards, a trend with one point per observed day, warnings as bands', async () => {
    const page = await openDashboard(app.ministryToken, 'PROVINCE:hebei');
    // The demo data is labelled as such.
    await expect.poll(() => page.locator('#demo-banner').innerText()).toMatch(/DEMO/);

    const { campaignScorecards } = await sdk.campaignScorecards({ level: ScorecardLevel.PROVINCE, campaign: campaign.code, filter: { province: 'hebei' } });
    const card = campaignScorecards.find((c) => c.key === 'hebei')!;
    expect(await page.locator('#scorecard-title').innerText()).toContain('河北省');
    expect(await page.locator('#scorecard-title').innerText()).toContain('Hebei');
    const shown = await page.locator('#scorecard [data-field]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-field')!, JSON.parse(e.getAttribute('data-value')!)] as [string, unknown]));
    const fields = new Map(shown);
    // Every figure of the answer is on the page...
    for (const key of Object.keys(card.attainment)) expect(fields.has(`attainment.${key}`), key).toBe(true);
    for (const key of Object.keys(card.subsidies!)) expect(fields.has(`subsidies.${key}`), key).toBe(true);
    for (const t of card.taskTargets) for (const k of ['achieved', 'sharePercent', 'share.quantity', 'taskTarget.quantity']) expect(fields.has(`taskTargets.${t.taskTarget.code}.${k}`)).toBe(true);
    for (const g of card.grades) expect(fields.has(`grades.${g.grade}`)).toBe(true);
    expect(card.taskTargets.length).toBeGreaterThan(0);
    expect(card.attainment.pm25Mean).not.toBeNull();
    // ...and equals it.
    for (const [field, value] of shown) expect(value, field).toEqual(valueAt(card, field));
    // One progress bar per task target.
    expect(await page.locator('#scorecard progress').count()).toBe(card.taskTargets.length);

    // The trend: one point per day with a city-wide observation in Hebei during the campaign.
    const observations = await sdk.paginate.airQualityObservations({ filter: { province: 'hebei', from: campaign.periodStart, to: campaign.periodEnd, cityWideOnly: true }, first: 500 }).all({ max: 50_000 });
    const byDay = new Map<string, number[]>();
    for (const o of observations) if (o.pm25 !== null && o.pm25 !== undefined) byDay.set(String(o.observedOn), [...(byDay.get(String(o.observedOn)) ?? []), o.pm25]);
    expect(byDay.size).toBeGreaterThan(100);
    const points = await page.locator('#trend-points tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-day')!, Number(r.getAttribute('data-pm25'))] as [string, number]));
    expect(points.map(([d]) => d)).toEqual([...byDay.keys()].sort());
    for (const [day, pm25] of points) expect(pm25, day).toBeCloseTo(byDay.get(day)!.reduce((a, b) => a + b, 0) / byDay.get(day)!.length, 6);
    // The chart draws them: one dot per point, and the target line.
    expect(await page.locator('#trend svg g[aria-label="dot"] circle').count()).toBe(byDay.size);
    expect(await page.locator('#trend svg g[aria-label="rule"] line').count()).toBe(1);
    // Warnings of Hebei overlapping the period, one band each.
    const warnings = (await sdk.paginate.warnings({ filter: { province: 'hebei', effectiveTo: campaign.periodEnd }, first: 500 }).all()).filter((w) => String(w.liftedAt ?? w.plannedEnd) >= campaign.periodStart);
    expect(warnings.length).toBeGreaterThan(0);
    expect(await page.locator('#trend svg g[aria-label="rect"] rect').count()).toBe(warnings.length);

    // The monthly ranking: Hebei's cities, as monthlyPm25Ranking ranks them.
    const month = campaign.periodStart.slice(0, 7);
    const ranking = (await sdk.monthlyPm25Ranking({ month, filter: { province: 'hebei' } })).monthlyPm25Ranking;
    expect(await page.locator('#ranking-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city')))).toEqual(ranking.entries.map((e) => e.city.slug));
    // The map: the 56 cities, coloured by attainment.
    const cities = (await sdk.campaignScorecards({ level: ScorecardLevel.CITY, campaign: campaign.code })).campaignScorecards;
    const mapped = await page.locator('#map-cities tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-city'), r.getAttribute('data-attainment')]));
    expect(mapped).toHaveLength(56);
    const attainment = (a: { pm25Met?: boolean | null; heavyDaysMet?: boolean | null }) => {
      const assessed = [a.pm25Met, a.heavyDaysMet].filter((m) => typeof m === 'boolean');
      const met = assessed.filter(Boolean).length;
      return assessed.length === 0 ? 'unassessed' : met === 2 ? 'both' : met === 0 ? 'neither' : 'one';
    };
    expect(Object.fromEntries(mapped)).toEqual(Object.fromEntries(cities.map((c) => [c.key, attainment(c.attainment)])));
    expect(new Set(mapped.map(([, a]) => a)).size).toBeGreaterThan(1);
    expect(await page.locator('#map svg g[aria-label="dot"] circle').count()).toBe(56);

    const file = await browser.screenshot(page, 'dashboard-province');
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dashboard-province-full.png'), fullPage: true });
    expect(browser.blocked, 'requests to other hosts').toEqual([]);
    await page.close();
  });

  it('can be used with the keyboard: every control has a label, actions are buttons', async () => {
    const page = await openDashboard(app.ministryToken);
    const unlabelled = await page.locator('input, select').evaluateAll((els) => els.filter((e) => !(e as HTMLInputElement).labels?.length).map((e) => e.id || e.outerHTML));
    expect(unlabelled).toEqual([]);
    expect(await page.locator('[onclick], div[role="button"]').count()).toBe(0);
    // The first stops of the tab order: the key field, its buttons, then the views.
    // Start from the page's title (clicking it moves the start of sequential focus navigation there).
    await page.locator('h1').click();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(order).toEqual(['api-key', 'use-key', 'forget-key', 'tab-dashboard', 'tab-report', 'campaign']);
    // The report view opens from the keyboard.
    await page.locator('#tab-report').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#view-report').isVisible()).toBe(true);
    await page.locator('#run-report').focus();
    await page.keyboard.press('Enter');
    await page.locator('#report-output[data-ready]').waitFor({ timeout: 30_000 });
    await page.close();
  });
});

describe('the report builder', () => {
  it('shows report(input), downloads the export as CSV and XLSX, and gives code that reproduces it', async () => {
    const page = await openDashboard(app.ministryToken);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(dashboardUrl).origin });
    await page.locator('#tab-report').click();
    await page.locator('#subject').selectOption('OBSERVATIONS');
    await page.locator('#dim-1').selectOption('PROVINCE');
    await page.locator('#dim-2').selectOption('MONTH');
    // A subject starts with one measure; two more are added.
    const measures = page.locator('li.measure');
    expect(await measures.count()).toBe(1);
    await page.locator('#add-measure').click();
    await measures.nth(0).locator('select').nth(0).selectOption('PM25');
    await measures.nth(0).locator('select').nth(1).selectOption('AVG');
    await measures.nth(1).locator('select').nth(0).selectOption('HEAVY_DAYS');
    await measures.nth(1).locator('select').nth(1).selectOption('SUM');
    await page.locator('#add-measure').click();
    await measures.nth(2).locator('select').nth(0).selectOption('COUNT');
    // A filter of the third measure only: days from 1 December.
    const december = `${campaign.periodStart.slice(0, 4)}-12-01`;
    await measures.nth(2).locator('input[type="date"]').first().fill(december);
    await page.locator('#report-campaign').selectOption(campaign.code);
    await page.locator('#report-place').selectOption('REGION:JJJ_SURROUNDING');
    await page.locator('#totals').selectOption('ROLLUP');
    await page.locator('#run-report').click();
    await page.locator('#report-output[data-ready]').waitFor({ timeout: 30_000 });

    const input = {
      subject: 'OBSERVATIONS',
      dimensions: ['PROVINCE', 'MONTH'],
      measures: [{ measure: 'PM25', aggregation: 'AVG' }, { measure: 'HEAVY_DAYS', aggregation: 'SUM' }, { measure: 'COUNT', filter: { from: december } }],
      totals: 'ROLLUP',
      filter: { campaign: campaign.code, region: 'JJJ_SURROUNDING' },
    };
    // The page sends exactly this input.
    expect(JSON.parse(await page.locator('#graphql-variables').textContent() ?? '')).toEqual({ input });
    const { report } = await sdk.report({ input: input as any });
    const table = await page.locator('#report-table tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({ kind: r.getAttribute('data-kind'), keys: JSON.parse(r.getAttribute('data-keys')!), values: [...r.querySelectorAll('td[data-value]')].map((c) => JSON.parse(c.getAttribute('data-value')!)) })),
    );
    expect(report.rows.length).toBeGreaterThan(10);
    expect(report.rows.some((r) => r.kind === 'SUBTOTAL')).toBe(true);
    expect(table).toEqual(report.rows.map((r) => ({ kind: r.kind, keys: r.keys.map((k) => (k.isTotal ? '*' : k.value)), values: r.values })));
    // The chart: one bar per province.
    expect(await page.locator('#report-output svg g[aria-label="bar"] rect').count()).toBe(report.rows.filter((r) => r.level === 1 && !r.keys[0].isTotal).length);
    await page.locator('#report-table').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'dashboard-report-builder');

    // CSV: the file the page downloads is the export's.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    expect(csv.suggestedFilename()).toBe('report.csv');
    const fromPage = fs.readFileSync((await csv.path())!);
    const exportUrl = `${app.url.replace(/\/graphql$/, '')}/exports/report.csv?input=${encodeURIComponent(JSON.stringify(input))}`;
    const fromExport = Buffer.from(await (await fetch(exportUrl, { headers: { authorization: `Bearer ${app.ministryToken}` } })).arrayBuffer());
    expect(fromExport.length).toBeGreaterThan(500);
    expect(fromPage.equals(fromExport)).toBe(true);
    expect(fromPage.toString('utf8').trim().split('\n')).toHaveLength(report.rows.length + 1);
    // XLSX: a workbook with a row per report row.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#download-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe('report.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].actualRowCount).toBe(report.rows.length + 1);

    // The GraphQL document copied, sent as it is, gives the same report.
    await page.locator('#copy-graphql').click();
    await expect.poll(() => page.locator('#copy-status').innerText()).toContain('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const [document, variables] = copied.split('\n\n# variables\n');
    const res = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ministryToken}` }, body: JSON.stringify({ query: document, variables: JSON.parse(variables) }) });
    expect(((await res.json()) as any).data.report.rows).toEqual(report.rows);

    // The SDK snippet copied, run with Node against the built SDK, gives the same report and CSV.
    await page.locator('#copy-sdk').click();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    const dir = fs.mkdtempSync(path.join(repo, 'test-results', 'snippet-'));
    try {
      const file = path.join(dir, 'snippet.mjs');
      fs.writeFileSync(file, `${snippet}\nconsole.log(JSON.stringify({ rows: report.rows, csv }));\n`);
      const { stdout } = await promisify(execFile)(process.execPath, [file], { env: { ...process.env, AIRLEDGER_TOKEN: app.ministryToken }, encoding: 'utf8', timeout: 60_000 });
      const out = JSON.parse(stdout);
      expect(out.rows).toEqual(report.rows);
      expect(out.csv).toBe(fromExport.toString('utf8').replace(/^\uFEFF/, ''));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(browser.blocked, 'requests to other hosts').toEqual([]);
    await page.close();
  });
});

describe('a CITY key', () => {
  it('sees only its city', async () => {
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const page = await openDashboard(key.secret);
    expect(await page.locator('#key-status').innerText()).toContain('CITY');
    // Entered once: a reload of the tab keeps it (sessionStorage), the field stays empty.
    await page.reload();
    await page.locator('#key-status').filter({ hasText: 'CITY' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#api-key').inputValue()).toBe('');
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(['airledger.dashboard.apiKey']);
    expect(await page.locator('#place option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['CITY:tangshan']);
    await page.locator('#view-dashboard[data-ready="CITY:tangshan"]:not([aria-busy])').waitFor({ timeout: 60_000 });
    expect(await page.locator('#scorecard-title').innerText()).toContain('唐山市');
    const own = (await createClient({ url: app.url, token: key.secret, retries: 0 }).campaignScorecards({ level: ScorecardLevel.CITY, campaign: campaign.code, filter: { city: 'tangshan' } })).campaignScorecards[0];
    const pm25 = JSON.parse((await page.locator('#scorecard [data-field="attainment.pm25Mean"]').getAttribute('data-value'))!);
    expect(pm25).toEqual(own.attainment.pm25Mean);
    expect(await page.locator('#map-cities tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city')))).toEqual(['tangshan']);
    expect(await page.locator('#ranking-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-city')))).toEqual(['tangshan']);
    await browser.screenshot(page, 'dashboard-city-key');

    // The report builder: its city only, with no "all places" choice.
    await page.locator('#tab-report').click();
    expect(await page.locator('#report-place option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['CITY:tangshan']);
    await page.locator('#subject').selectOption('ENTERPRISES');
    await page.locator('#dim-1').selectOption('CITY');
    await page.locator('#dim-2').selectOption('');
    await page.locator('#run-report').click();
    await expect.poll(() => page.locator('#report-status').innerText(), { timeout: 30_000 }).toMatch(/rows|Error/);
    expect(await page.locator('#report-status').innerText()).toMatch(/rows/);
    const keys = await page.locator('#report-table tbody tr').evaluateAll((rows) => rows.map((r) => JSON.parse(r.getAttribute('data-keys')!)[0]));
    expect(keys).toEqual(['tangshan', '*']);
    expect(browser.blocked).toEqual([]);
    await page.close();
  });
});

describe('the report builder\'s table of subjects', () => {
  it('offers the dimensions and measures the schema documents for each subject', async () => {
    const { SUBJECTS } = await import('../../packages/dashboard/src/report-spec.js');
    const schema = fs.readFileSync(path.join(repo, 'packages/schema/schema.graphql'), 'utf8');
    const block = /enum ReportSubject \{([\s\S]*?)\n\}/.exec(schema)![1];
    const documented = new Map<string, { dimensions: string[]; measures: string[] }>();
    for (const m of block.matchAll(/"""([\s\S]*?)"""\s*(\w+)/g)) {
      const text = m[1].replace(/\s+/g, ' ');
      const dims = /Dimensions: ([A-Z_, ]+)\./.exec(text)![1].split(',').map((s) => s.trim());
      const measures = /Measures: (.*?)\.?\s*$/.exec(text)![1].replace(/\([^)]*\)/g, '').split(',').map((s) => s.trim()).filter(Boolean);
      documented.set(m[2], { dimensions: dims, measures });
    }
    expect(Object.keys(SUBJECTS).sort()).toEqual([...documented.keys()].sort());
    for (const [subject, spec] of Object.entries(SUBJECTS)) expect({ dimensions: spec.dimensions, measures: spec.measures }, subject).toEqual(documented.get(subject));
  });
});
