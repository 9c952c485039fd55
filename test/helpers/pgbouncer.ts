/**
 * A real PgBouncer (Debian's /usr/sbin/pgbouncer, installed by .ci/run) in front of a PostgreSQL,
 * configured as the README's "PgBouncer" section says: transaction pooling, the startup
 * parameters the API sends (statement_timeout, idle_in_transaction_session_timeout) ignored,
 * every database of the server reachable under its own name. PgBouncer refuses to run as root:
 * as root it runs as the `postgres` system user (setpriv), which must be able to read its folder.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../packages/api/src/db/embedded.js';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  host: string;
  port: number;
  /** PgBouncer's version line (`PgBouncer 1.18.0`). */
  version: string;
  /** Runs a SHOW command on PgBouncer's admin console (`SHOW POOLS`, `SHOW STATS`, `SHOW SERVERS`). */
  admin(command: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL behind it (its URL: host, port, user and password are taken from it). */
  serverUrl: string;
  /** Server connections per user and database (default_pool_size): small, so that clients share them. */
  poolSize?: number;
}

/** The system user PgBouncer runs as when this process is root. */
const RUN_AS = 'postgres';

export async function startPgBouncer({ serverUrl, poolSize = 2 }: PgBouncerOptions): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-pgbouncer-'));
  const ini = path.join(dir, 'pgbouncer.ini');
  const users = path.join(dir, 'userlist.txt');
  fs.writeFileSync(users, `"${user}" "${password}"\n`);
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = scram-sha-256',
      `auth_file = ${users}`,
      `admin_users = ${user}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 200',
      // The API sends these at connect; PgBouncer < 1.21 (and later ones too) refuses them otherwise.
      'ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout',
      'server_reset_query =',
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const root = process.getuid?.() === 0;
  if (root) {
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['-R', `${RUN_AS}:`, dir]);
  }
  const version = execFileSync(PGBOUNCER, ['--version']).toString().split('\n')[0].trim();
  const command = root ? 'setpriv' : PGBOUNCER;
  const args = root ? ['--reuid', RUN_AS, '--regid', RUN_AS, '--init-groups', PGBOUNCER, ini] : [ini];
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  let exited = false;
  child.once('exit', () => (exited = true));

  const adminClient = async () => {
    const c = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'pgbouncer' });
    await c.connect();
    return c;
  };
  // Ready once the admin console answers.
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`pgbouncer exited at start:\n${output}`);
    try {
      const c = await adminClient();
      await c.end();
      break;
    } catch (error) {
      if (i >= 100) throw new Error(`pgbouncer did not answer: ${(error as Error).message}\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    host: '127.0.0.1',
    port,
    version,
    async admin(cmd: string) {
      const c = await adminClient();
      try {
        return (await c.query(cmd)).rows;
      } finally {
        await c.end();
      }
    },
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await done;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
