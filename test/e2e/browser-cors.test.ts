/**
 * CORS as browsers enforce it: a page of another origin (a second local server, another port)
 * loads the built SDK (packages/sdk/dist, its `graphql` import mapped to graphql's own ES
 * modules) and calls the API in headless Chromium, offline. With its origin in
 * AIRLEDGER_CORS_ORIGINS it reads answers of the compiled lane and of the resolvers, the
 * response headers the API exposes, and an export; a page of an origin not in the list cannot.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchOfflineBrowser, type OfflineBrowser } from '../helpers/browser.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SDK_DIST = path.join(repo, 'packages/sdk/dist');
const GRAPHQL_DIR = path.dirname(createRequire(path.join(repo, 'packages/api/package.json')).resolve('graphql/package.json'));
/** graphql-ws's browser build (its `browser` export), which the SDK's subscriptions import. */
const GRAPHQL_WS_DIR = path.join(path.dirname(createRequire(path.join(repo, 'packages/sdk/package.json')).resolve('graphql-ws/package.json')), 'dist');

/** A static server for the pages: `/` the page, `/sdk/*` the built SDK, `/graphql-js/*` graphql's ES modules, `/graphql-ws/*` graphql-ws's browser build. */
async function pageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>another origin</title>
<script type="importmap">{ "imports": { "graphql": "/graphql-js/index.mjs", "graphql-ws": "/graphql-ws/client.js" } }</script></head>
<body><script type="module">import * as sdk from '/sdk/index.js'; window.sdk = sdk; window.ready = true;</script></body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const from = (dir: string, prefix: string) => {
      const file = path.join(dir, url.pathname.slice(prefix.length));
      if (!file.startsWith(dir) || !fs.existsSync(file)) {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(fs.readFileSync(file));
    };
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(page);
    }
    if (url.pathname.startsWith('/sdk/')) return from(SDK_DIST, '/sdk/');
    if (url.pathname.startsWith('/graphql-js/')) return from(GRAPHQL_DIR, '/graphql-js/');
    if (url.pathname.startsWith('/graphql-ws/')) return from(GRAPHQL_WS_DIR, '/graphql-ws/');
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let app: TestApp;
let allowed: Awaited<ReturnType<typeof pageServer>>;
let refused: Awaited<ReturnType<typeof pageServer>>;
let browser: OfflineBrowser;

beforeAll(async () => {
  expect(fs.existsSync(path.join(SDK_DIST, 'index.js')), 'the SDK is built (pnpm build)').toBe(true);
  allowed = await pageServer();
  refused = await pageServer();
  app = await startTestApp({ config: { corsOrigins: [allowed.origin] } });
  browser = await launchOfflineBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await allowed?.close();
  await refused?.close();
});

/** What the page of `origin` gets when it calls the API through the SDK, and an export with fetch. */
async function callFrom(origin: string) {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as any).ready === true, undefined, { timeout: 20_000 });
  const result = await page.evaluate(
    async ({ url, token }) => {
      const sdk = (window as any).sdk;
      const client = sdk.createClient({ url, token, retries: 0 });
      const out: Record<string, unknown> = {};
      try {
        // Compiled lane: a page of cities.
        const { cities } = await client.cities({ first: 3 });
        out.cities = cities.nodes.map((n: { slug: string }) => n.slug);
        // Resolvers: who is asking (the key's role).
        out.viewer = (await client.viewer()).viewer.role;
      } catch (error) {
        out.error = `${(error as Error).name}: ${(error as Error).message}`;
      }
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'from-the-page' }, body: JSON.stringify({ query: '{ __typename }' }) });
        out.requestId = res.headers.get('x-request-id');
        out.rateLimit = res.headers.get('ratelimit-limit');
      } catch (error) {
        out.fetchError = String(error);
      }
      try {
        const res = await fetch(url.replace(/\/graphql$/, '/exports/cities.csv'), { headers: { authorization: `Bearer ${token}` } });
        out.exportLines = (await res.text()).trim().split('\n').length;
      } catch (error) {
        out.exportError = String(error);
      }
      return out;
    },
    { url: app.url, token: app.ministryToken },
  );
  await page.close();
  return result;
}

describe('CORS from a page of another origin, through the built SDK', () => {
  it('lets a page of an allowed origin read GraphQL answers of both paths, exposed headers and exports', async () => {
    const seen = await callFrom(allowed.origin);
    expect(seen.error).toBeUndefined();
    expect(seen.cities).toHaveLength(3);
    expect(seen.viewer).toBe('MINISTRY');
    expect(seen.requestId).toBe('from-the-page');
    expect(seen.rateLimit).toMatch(/^\d+$/);
    expect(seen.exportLines).toBeGreaterThan(50);
    expect(browser.blocked).toEqual([]);
  });

  it('keeps answers from a page of an origin that is not in the list', async () => {
    const seen = await callFrom(refused.origin);
    expect(seen.cities).toBeUndefined();
    expect(String(seen.error)).toMatch(/fetch|network/i);
    expect(seen.fetchError).toMatch(/Failed to fetch/);
    expect(seen.exportError).toMatch(/Failed to fetch/);
    expect(browser.blocked).toEqual([]);
  });
});
