/**
 * A PostgreSQL primary and a hot standby fed by streaming replication, from Debian's PostgreSQL
 * 15 packages (installed by .ci/run), on free ports in a folder under the system temp folder.
 * PostgreSQL refuses to run as root: as root, every program runs as the `postgres` system user
 * (setpriv), which owns the folder. pg_stat_statements is loaded on both, so that a test can
 * count the statements each one ran.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../packages/api/src/db/embedded.js';

export const PG15_BIN = '/usr/lib/postgresql/15/bin';
const RUN_AS = 'postgres';

export interface Cluster {
  port: number;
  dataDir: string;
  /** URL of database `db` of this server (user postgres, local trust). */
  url(db?: string): string;
  /** Runs SQL on database `db` of this server. */
  sql<T = any>(query: string, params?: unknown[], db?: string): Promise<T[]>;
  start(): void;
  stop(): void;
}

export interface ReplicatedPair {
  primary: Cluster;
  standby: Cluster;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  destroy(): void;
}

function run(program: string, args: string[]): string {
  const root = process.getuid?.() === 0;
  const command = root ? 'setpriv' : path.join(PG15_BIN, program);
  const all = root ? ['--reuid', RUN_AS, '--regid', RUN_AS, '--init-groups', path.join(PG15_BIN, program), ...args] : args;
  try {
    return execFileSync(command, all, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } }).toString();
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${program} ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

function cluster(dataDir: string, port: number, log: string): Cluster {
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    port,
    dataDir,
    url,
    async sql(query, params = [], db = 'postgres') {
      const c = new pg.Client({ connectionString: url(db) });
      await c.connect();
      try {
        return (await c.query(query, params)).rows;
      } finally {
        await c.end();
      }
    },
    start: () => void run('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '60', 'start']),
    stop: () => void run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
  };
}

/** initdb a primary, start it, pg_basebackup a standby from it (-R: streaming from the primary) and start it. */
export async function startReplicatedPair(): Promise<ReplicatedPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-replica-'));
  fs.chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) execFileSync('chown', [`${RUN_AS}:`, dir]);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const primaryDir = path.join(dir, 'primary');
  const standbyDir = path.join(dir, 'standby');
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const settings = (port: number) =>
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'wal_level = replica',
      'max_wal_senders = 5',
      'hot_standby = on',
      "shared_preload_libraries = 'pg_stat_statements'",
      'pg_stat_statements.track = all',
      'fsync = off',
      'synchronous_commit = on',
      'max_connections = 100',
      '',
    ].join('\n');
  fs.appendFileSync(path.join(primaryDir, 'postgresql.conf'), settings(primaryPort));
  const primary = cluster(primaryDir, primaryPort, path.join(dir, 'primary.log'));
  primary.start();
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast']);
  // The copied configuration names the primary's port: the standby gets its own.
  fs.appendFileSync(path.join(standbyDir, 'postgresql.conf'), `port = ${standbyPort}\n`);
  const standby = cluster(standbyDir, standbyPort, path.join(dir, 'standby.log'));
  standby.start();

  return {
    primary,
    standby,
    async caughtUp() {
      const [{ lsn }] = await primary.sql<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      for (let i = 0; i < 300; i++) {
        const [{ ok }] = await standby.sql<{ ok: boolean }>('select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) as ok', [lsn]);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the standby did not replay ${lsn}`);
    },
    destroy() {
      for (const c of [standby, primary]) {
        try {
          c.stop();
        } catch {
          // already stopped
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
