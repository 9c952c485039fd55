/**
 * The query console: GraphiQL built into static files by packages/console (at build time, with
 * Vite: no CDN, no telemetry), served by the API:
 * - GET /graphql from a browser (Accept prefers text/html, no `query` parameter): its page;
 * - GET /console/*: its scripts, styles and Monaco's workers (immutable, hashed names).
 * On unless NODE_ENV=production; AIRLEDGER_CONSOLE=true turns it on there. Off, browsers get a
 * short plain page saying so. Its Content-Security-Policy lets it talk to this origin only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { type Express } from 'express';
import accepts from 'accepts';

/** What the page may load and call: this origin only (Monaco needs inline styles, blob and data URLs for its workers and fonts). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The built console (packages/console/dist), or null when it has not been built. */
export function consoleDist(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@airledger/console/package.json');
    const dist = path.join(path.dirname(pkg), 'dist');
    return fs.existsSync(path.join(dist, 'index.html')) ? dist : null;
  } catch {
    return null;
  }
}

const OFF_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>airledger API</title></head>
<body><h1>airledger GraphQL API</h1><p>Send GraphQL requests to this URL with POST (JSON). The query console is off on this server (NODE_ENV=production); AIRLEDGER_CONSOLE=true turns it on.</p></body></html>
`;

/** Registers the console's routes on `app` (before Apollo's /graphql). */
export function registerConsole(app: Express, enabled: boolean, warn: (line: string) => void): void {
  const dist = enabled ? consoleDist() : null;
  if (enabled && !dist) warn('the query console is not built (packages/console/dist): run pnpm build; GET /graphql serves a plain page');
  const page = dist ? fs.readFileSync(path.join(dist, 'index.html'), 'utf8') : OFF_PAGE;
  if (dist) app.use('/console', express.static(path.join(dist), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  app.get('/graphql', (req, res, next) => {
    // GraphQL over GET (a `query` parameter) and clients asking for JSON go on to Apollo.
    if (req.query.query !== undefined || accepts(req).type(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') return next();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.end(page);
  });
}
