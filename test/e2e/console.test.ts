/**
 * The query console (packages/console: GraphiQL built at build time, served by the API at GET
 * /graphql for browsers), in headless Chromium with every request to another host blocked: it
 * loads, shows the docs explorer, runs an example query of this schema, sends the API key field
 * as the Authorization header, and a screenshot is written to test-results/. Off in production
 * unless AIRLEDGER_CONSOLE=true.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchOfflineBrowser, type OfflineBrowser } from '../helpers/browser.js';
import { parse, validate } from 'graphql';
import { loadConfig } from '../../packages/api/src/config.js';
import { buildLedgerSchema } from '../../packages/api/src/schema.js';

let app: TestApp;
let browser: OfflineBrowser;

beforeAll(async () => {
  app = await startTestApp({ config: { console: true } });
  browser = await launchOfflineBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The text of GraphiQL's response pane once it holds `expected`. */
async function responseText(page: Page, expected: string): Promise<string> {
  // Monaco's rendered lines (spaces as no-break spaces).
  const lines = page.locator('.graphiql-response .view-lines');
  const text = async () => ((await lines.textContent()) ?? '').replace(/\s+/g, ' ');
  await expect.poll(text, { timeout: 20_000 }).toContain(expected);
  return text();
}

describe('the query console', () => {
  it('is served at GET /graphql to browsers, from this server only', async () => {
    const res = await fetch(app.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="console">');
    // Every script and style sheet is one of this server's files.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^\/console\//);
    for (const ref of refs) expect((await fetch(new URL(ref, app.url))).status).toBe(200);
    // GraphQL over HTTP is unchanged: JSON clients still get GraphQL answers.
    const json = await fetch(`${app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await json.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('loads offline, shows the docs, runs an example query and sends the API key', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    // The editors are ready once Monaco shows the first example.
    await expect.poll(async () => (await page.locator('.graphiql-query-editor .view-lines').textContent()) ?? '', { timeout: 30_000 }).toContain('FirstQuery');
    // The first example tab: cities of the plan.
    await page.locator('.graphiql-execute-button').click();
    const text = await responseText(page, '"nameZh": "唐山市"');
    expect(text).toContain('"totalCount"');

    // The docs explorer reads the schema (introspection) and shows the root types.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 20_000 }).toMatch(/Query/);

    // The API key field: the Viewer example answers with the key's role.
    await page.locator('#airledger-api-key').fill(app.ministryToken);
    await page.locator('.graphiql-tab', { hasText: 'Viewer' }).click();
    await expect.poll(async () => ((await page.locator('.graphiql-query-editor .view-lines').textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 20_000 }).toContain('query Viewer');
    await page.locator('.graphiql-execute-button').click();
    await responseText(page, '"role": "MINISTRY"');
    const file = await browser.screenshot(page, 'query-console');
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);

    expect(browser.blocked, 'requests to other hosts').toEqual([]);
    await page.close();
  });
});

describe('the console\'s example queries', () => {
  it('are valid operations of this schema', async () => {
    const { EXAMPLES } = await import('../../packages/console/src/examples.js');
    const schema = await buildLedgerSchema();
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
    for (const example of EXAMPLES) expect(validate(schema, parse(example.query)).map((e) => e.message), example.query).toEqual([]);
  });
});

describe('the query console in production', () => {
  it('is off unless AIRLEDGER_CONSOLE=true, which turns introspection on too', async () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ console: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', AIRLEDGER_CONSOLE: 'true' })).toMatchObject({ console: true, introspection: true });
    expect(loadConfig({ NODE_ENV: 'production', AIRLEDGER_CONSOLE: 'true', AIRLEDGER_INTROSPECTION: 'false' })).toMatchObject({ console: true, introspection: false });
    expect(loadConfig({})).toMatchObject({ console: true });

    const off = await startTestApp({ config: { console: false } });
    try {
      const res = await fetch(off.url, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('AIRLEDGER_CONSOLE=true');
      expect(html).not.toContain('<script');
      expect((await fetch(off.url.replace(/\/graphql$/, '/console/index.html'))).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
