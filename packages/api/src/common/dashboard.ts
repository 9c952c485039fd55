/**
 * The campaign dashboard and report builder: a page built into static files by
 * packages/dashboard (Vite, the SDK, Observable Plot; no CDN), served by the API:
 * - GET /dashboard (and /dashboard/): its page;
 * - GET /dashboard/assets/*: its scripts and styles (immutable, hashed names).
 * On unless NODE_ENV=production; AIRLEDGER_DASHBOARD=true turns it on there. Off, /dashboard
 * answers 404 with a short page saying so. The page talks to this origin only (its CSP).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { type Express } from 'express';

/** What the page may load and call: this origin only (Observable Plot writes inline style attributes; downloads are blob URLs). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The built dashboard (packages/dashboard/dist), or null when it has not been built. */
export function dashboardDist(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@airledger/dashboard/package.json');
    const dist = path.join(path.dirname(pkg), 'dist');
    return fs.existsSync(path.join(dist, 'index.html')) ? dist : null;
  } catch {
    return null;
  }
}

const OFF_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>airledger dashboard</title></head>
<body><h1>airledger dashboard</h1><p>The dashboard is off on this server (NODE_ENV=production); AIRLEDGER_DASHBOARD=true turns it on.</p></body></html>
`;

const UNBUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>airledger dashboard</title></head>
<body><h1>airledger dashboard</h1><p>The dashboard is not built on this server: run pnpm build.</p></body></html>
`;

/** Registers the dashboard's routes on `app`. */
export function registerDashboard(app: Express, enabled: boolean, warn: (line: string) => void): void {
  const dist = enabled ? dashboardDist() : null;
  if (enabled && !dist) warn('the dashboard is not built (packages/dashboard/dist): run pnpm build; GET /dashboard answers 503');
  const page = dist ? fs.readFileSync(path.join(dist, 'index.html'), 'utf8') : null;
  if (dist) app.use('/dashboard/assets', express.static(path.join(dist, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  app.get(['/dashboard', '/dashboard/'], (_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!enabled) return void res.status(404).end(OFF_PAGE);
    if (!page) return void res.status(503).end(UNBUILT_PAGE);
    res.setHeader('content-security-policy', CSP);
    res.end(page);
  });
}
