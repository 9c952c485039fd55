/**
 * warningChanged over WebSocket (graphql-ws) across two API processes: the test's server (A) and a
 * real API process started from packages/api/dist (B) on the same database. A warning issued
 * through A reaches a subscriber of B (PostgreSQL LISTEN/NOTIFY, no state in either process); a
 * CITY key hears its city only; a bad key is refused at connection_init; the SDK's typed subscribe
 * receives the event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../../packages/api/src/db/embedded.js';
import { createClient, WarningChangedDocument } from '@airledger/sdk';

let app: TestApp;
let b: ChildProcess;
let bUrl: string;
let output = '';

const ISSUE = `mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const LIFT = `mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { id } userErrors { field code message } } }`;
const SUBSCRIBE = `subscription($filter: WarningChangedFilter) { warningChanged(filter: $filter) { kind warning { id level city { slug } } } }`;

beforeAll(async () => {
  app = await startTestApp();
  const port = await freePort();
  b = spawn(process.execPath, [path.resolve('packages/api/dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AIRLEDGER_SEED_DEMO: 'false', DATABASE_URL: app.databaseUrl, PORT: String(port), HOST: '127.0.0.1', AIRLEDGER_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  b.stdout!.on('data', (d) => (output += d));
  b.stderr!.on('data', (d) => (output += d));
  bUrl = `ws://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  b?.kill('SIGTERM');
  await app?.close();
});

function client(url: string, token: string | null): Client {
  return createWsClient({ url, webSocketImpl: WebSocket, connectionParams: token ? { Authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: false });
}

/** Collects the events of one subscription until `count` arrived or `until` resolves. */
function collect(c: Client, variables: Record<string, unknown>) {
  const events: any[] = [];
  const errors: unknown[] = [];
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const stop = c.subscribe({ query: SUBSCRIBE, variables }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => {} });
  // The subscription is registered once the server has acknowledged the connection and listens.
  c.on('connected', () => setTimeout(ready, 300));
  return { events, errors, stop, started };
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function issue(city: string, level = 'ORANGE'): Promise<string> {
  const r = await app.data(ISSUE, { input: { city, level, issuedAt: '2023-12-09T10:00:00Z', effectiveFrom: '2023-12-10T00:00:00+08:00', plannedEnd: '2023-12-13T00:00:00+08:00', authority: `${city} 应急指挥部` } });
  expect(r.issueWarning.userErrors).toEqual([]);
  return r.issueWarning.warning.id;
}

describe('warningChanged across two API processes', () => {
  it('delivers a warning issued through one process to a subscriber of the other; a CITY key hears only its city', async () => {
    const cityKey = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const national = client(bUrl, app.ministryToken);
    const city = client(bUrl, cityKey.secret);
    const all = collect(national, {});
    const mine = collect(city, {});
    await Promise.all([all.started, mine.started]);

    const other = await issue('baoding');
    const own = await issue('tangshan', 'RED');
    await until(() => all.events.length >= 2 && mine.events.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(all.errors).toEqual([]);
    expect(all.events.map((e) => e.data.warningChanged)).toEqual([
      { kind: 'ISSUED', warning: { id: other, level: 'ORANGE', city: { slug: 'baoding' } } },
      { kind: 'ISSUED', warning: { id: own, level: 'RED', city: { slug: 'tangshan' } } },
    ]);
    expect(mine.events.map((e) => e.data.warningChanged)).toEqual([{ kind: 'ISSUED', warning: { id: own, level: 'RED', city: { slug: 'tangshan' } } }]);

    await app.data(LIFT, { input: { id: own, liftedAt: '2023-12-12T00:00:00+08:00' } });
    await until(() => mine.events.length >= 2);
    expect(mine.events[1].data.warningChanged).toMatchObject({ kind: 'LIFTED', warning: { id: own } });
    all.stop();
    mine.stop();
    await national.dispose();
    await city.dispose();
  });

  it('filters by place and level, and refuses an unknown city by name', async () => {
    const c = client(bUrl, app.ministryToken);
    const jjj = collect(c, { filter: { province: 'shanxi', levels: ['RED'] } });
    await jjj.started;
    await issue('taiyuan', 'YELLOW');
    const red = await issue('jinzhong', 'RED');
    await until(() => jjj.events.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(jjj.events.map((e) => e.data.warningChanged.warning.id)).toEqual([red]);
    const bad = collect(c, { filter: { city: 'atlantis' } });
    await until(() => bad.events.length + bad.errors.length > 0);
    expect(JSON.stringify(bad.events[0] ?? bad.errors[0])).toMatch(/No city with slug \\"atlantis\\"/);
    await c.dispose();
  });

  it('refuses a bad key at connection_init with 4401, and queries over the socket', async () => {
    const closed = await new Promise<{ code: number }>((resolve) => {
      const c = createWsClient({ url: bUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: 'Bearer airl_not-a-key-of-this-server-at-all' }, retryAttempts: 0, lazy: false, on: { closed: (e) => resolve(e as { code: number }) } });
      c.on('error', () => {});
    });
    expect(closed.code).toBe(4401);
    const c = client(bUrl, app.ministryToken);
    const errors: any[] = [];
    await new Promise<void>((resolve) => c.subscribe({ query: '{ cities { slug } }' }, { next: (v) => (errors.push(v), resolve()), error: (e) => (errors.push(e), resolve()), complete: () => resolve() }));
    expect(JSON.stringify(errors)).toMatch(/Only subscriptions are served over WebSocket/);
    await c.dispose();
  });

  it('the SDK subscribes with typed events', async () => {
    const sdk = createClient({ url: bUrl.replace(/^ws/, 'http'), token: app.ministryToken, webSocketImpl: WebSocket });
    const events = sdk.subscribe(WarningChangedDocument, { filter: { city: 'handan' } });
    const first = events.next();
    await new Promise((r) => setTimeout(r, 800));
    const id = await issue('handan', 'YELLOW');
    const { value } = await first;
    expect(value?.warningChanged).toEqual({ kind: 'ISSUED', warning: expect.objectContaining({ id, level: 'YELLOW' }) });
    await events.return?.(undefined);
    await sdk.close();
  });
});
