/**
 * Headless Chromium for tests of pages (the query console, pages of other origins calling the
 * API), offline: Debian's `chromium` (/usr/bin/chromium, installed by .ci/run) driven by
 * playwright-core, with a fresh profile per launch, Chromium's own background traffic turned off,
 * and every request of a page to a host other than this machine blocked by route interception
 * and recorded, so that a test can assert that none was attempted.
 *
 *   const browser = await launchOfflineBrowser();
 *   const page = await browser.newPage();
 *   await page.goto(url);
 *   ...
 *   expect(browser.blocked).toEqual([]);
 *   await browser.close();
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The browser binary (Debian's chromium package); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium's flags: headless, no sandbox (CI runs as root), and none of its own network traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where tests write screenshots: <repo>/test-results/ (kept by CI, ignored by git). */
export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

/** Hosts that are this machine: requests to them go through; every other one is blocked. */
export function isLocalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface OfflineBrowser {
  context: BrowserContext;
  /** Every non-local URL a page tried to load (blocked). */
  readonly blocked: string[];
  /** Console messages of type error and uncaught page errors, for diagnostics. */
  readonly errors: string[];
  newPage(): Promise<Page>;
  /** Writes a screenshot of `page` to test-results/<name>.png; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export async function launchOfflineBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<OfflineBrowser> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    serviceWorkers: 'block',
    offline: false,
  });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context,
    blocked,
    errors,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
