/**
 * The `ledger` command line: API key administration on the server's database.
 *
 *   pnpm ledger keys create --role MINISTRY --name "Ministry of Ecology and Environment"
 *   pnpm ledger keys create --role CITY --city tangshan --name "Tangshan bureau" [--expires 2025-03-31T16:00:00Z]
 *   pnpm ledger keys list
 *   pnpm ledger keys revoke 12
 *   pnpm ledger import enterprises register.xlsx [--city tangshan | --province hebei] [--dry-run] [--skip-invalid]
 *
 * It finds the database as the server does: DATABASE_URL, or else the embedded PostgreSQL in
 * AIRLEDGER_DATA_DIR. The embedded cluster can be opened by one process only: when the server is
 * running (a live postmaster.pid), the command connects to that cluster on its port
 * (AIRLEDGER_EMBEDDED_PG_PORT, 54329 by default); otherwise it starts the cluster itself and stops
 * it when done. Either way the schema is migrated and the plan's places are loaded first, so the
 * very first command on a fresh install works.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, type AppConfig } from './config.js';
import { connectAndMigrate, EMBEDDED_DATABASE_NAME, openDatabase } from './db/database.js';
import { seedPlan } from './seeders/index.js';
import type { Actor } from './common/actor.js';
import { applyScope } from './common/auth.js';
import { knexOf } from './common/sql.js';
import { LedgerError } from './common/errors.js';
import { ApiKey, ApiKeyRole } from './modules/auth/auth.entity.js';
import { ApiKeyService } from './modules/auth/auth.service.js';
import { keyStatus } from './modules/auth/auth.reads.js';
import { IMPORT_KINDS, importFile } from './modules/import/index.js';
import { formatOf, type TextEncoding } from './modules/import/import.reader.js';
import { importProgressBar, rejectsFileWriter } from './modules/import/import.cli.js';

/** Who the command line acts as (created_by and the audit trail). */
export const CLI_ACTOR: Actor = { id: 'system:cli', role: 'SYSTEM', keyId: null, cityIds: null };

/** User and password of the embedded cluster (db/embedded.ts). */
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'airledger';

const USAGE = `Usage:
  ledger keys create --role MINISTRY|PROVINCE|CITY|READ_ONLY --name NAME [--province SLUG] [--city SLUG] [--expires ISO-8601] [--json]
  ledger keys list [--json]
  ledger keys revoke ID
  ledger import KIND FILE.csv|FILE.xlsx [--city SLUG | --province SLUG] [--dry-run] [--skip-invalid] [--encoding utf-8|gb18030] [--rejects FILE] [--json]
    KIND: ${Object.keys(IMPORT_KINDS).join(', ')}`;

class UsageError extends Error {}

/** The port of a running embedded cluster (its postmaster.pid names a live process), or null. */
export function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres user).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

async function openForCli(config: AppConfig): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  const port = runningEmbeddedPort(config.dataDir);
  if (port !== null) {
    return { url: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE_NAME}`, stop: async () => {} };
  }
  const db = await openDatabase(config);
  return { url: db.url, stop: () => db.stop() };
}

/** Runs `work` in a transaction that acts as the command line under the audit trail's `operation`. */
async function asCli<T>(orm: MikroORM, operation: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional(async (em) => {
    await applyScope(knexOf(em as EntityManager), CLI_ACTOR, operation);
    return work(em as EntityManager);
  });
}

export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  if (argv[0] === 'import') return runImportCli(argv.slice(1), out);
  const [group, command, ...rest] = argv;
  if (group !== 'keys' || !['create', 'list', 'revoke'].includes(command ?? '')) throw new UsageError(USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      province: { type: 'string' },
      city: { type: 'string' },
      expires: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  let input: Parameters<typeof ApiKeyService.create>[2] | undefined;
  if (command === 'create') {
    const role = values.role?.toUpperCase();
    if (!role || !(role in ApiKeyRole)) throw new UsageError(`--role must be one of MINISTRY, PROVINCE, CITY, READ_ONLY.\n${USAGE}`);
    if (!values.name) throw new UsageError(`--name is required.\n${USAGE}`);
    const expiresAt = values.expires ? new Date(values.expires) : null;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError('--expires must be a date and time, e.g. 2025-03-31T16:00:00Z.');
    input = { name: values.name, role: role as ApiKeyRole, province: values.province ?? null, city: values.city ?? null, expiresAt };
  }
  if (command === 'revoke' && !positionals[0]) throw new UsageError(`Give the id of the key to revoke.\n${USAGE}`);

  const config = loadConfig();
  const db = await openForCli(config);
  let orm: MikroORM | undefined;
  try {
    orm = await connectAndMigrate(db.url, 2);
    await seedPlan(orm);
    if (command === 'create') {
      const { apiKey, secret } = await asCli(orm, 'createApiKey', (em) => ApiKeyService.create({ actor: CLI_ACTOR }, em, input!));
      if (values.json) {
        out(JSON.stringify({ id: apiKey.id, role: apiKey.role, name: apiKey.name, prefix: apiKey.prefix, expiresAt: apiKey.expiresAt, secret }));
      } else {
        out(`Created ${apiKey.role} key ${apiKey.id} (${apiKey.name}).`);
        out(`Secret, shown this once (the server keeps only its SHA-256):\n\n  ${secret}\n`);
        out(`Send it as:  Authorization: Bearer ${secret}`);
      }
    } else if (command === 'revoke') {
      const key = await asCli(orm, 'revokeApiKey', (em) => ApiKeyService.revoke({ actor: CLI_ACTOR }, em, { id: positionals[0] }));
      out(`Revoked key ${key.id} (${key.name}).`);
    } else {
      const keys = await orm.em.fork().find(ApiKey, {}, { orderBy: { id: 'asc' } });
      if (values.json) {
        out(JSON.stringify(keys.map((k) => ({ id: k.id, role: k.role, name: k.name, prefix: k.prefix, status: keyStatus(k), provinceId: k.provinceId, cityId: k.cityId }))));
      } else {
        for (const k of keys) out(`${String(k.id).padStart(4)}  ${k.role.padEnd(9)}  ${keyStatus(k).padEnd(7)}  ${k.prefix}…  ${k.name}`);
        if (!keys.length) out('No API keys yet.');
      }
    }
  } finally {
    await orm?.close(true);
    await db.stop();
  }
}

/**
 * `ledger import`: the import of import.service.ts run from this machine, as the command line (or,
 * with --city / --province, restricted to that place as its key would be), with a progress bar on
 * stderr and every refused row written to a rejects file.
 */
async function runImportCli(args: string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      city: { type: 'string' },
      province: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'skip-invalid': { type: 'boolean', default: false },
      encoding: { type: 'string' },
      rejects: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [kind, file] = positionals;
  if (!kind || !IMPORT_KINDS[kind]) throw new UsageError(`Give the kind of ledger to import.\n${USAGE}`);
  if (!file) throw new UsageError(`Give the file to import.\n${USAGE}`);
  if (!fs.existsSync(file)) throw new UsageError(`No file ${file}.`);
  const format = formatOf(file);
  if (!format) throw new UsageError('The file must be .csv or .xlsx.');
  if (values.city && values.province) throw new UsageError('Give --city or --province, not both.');
  const encoding = values.encoding?.toLowerCase();
  if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'gb18030') throw new UsageError('--encoding must be utf-8 or gb18030.');

  const config = loadConfig();
  const db = await openForCli(config);
  let orm: MikroORM | undefined;
  const rejectsPath = values.rejects ?? `${file.replace(/\.(csv|xlsx)$/i, '')}.rejects.csv`;
  const rejects = rejectsFileWriter(rejectsPath);
  const bar = importProgressBar(!values.json);
  try {
    orm = await connectAndMigrate(db.url, 2);
    await seedPlan(orm);
    const actor = await cliActor(orm, values.city, values.province);
    const outcome = await importFile(orm, actor, {
      kind,
      file,
      fileName: path.basename(file),
      format,
      encoding: encoding as TextEncoding | undefined,
      skipInvalid: values['skip-invalid'],
      dryRun: values['dry-run'],
      defaultCity: values.city ?? null,
    }, {
      onStart: (_id, bytes) => bar.start(bytes),
      onHeader: (cells) => rejects.header(cells),
      onProgress: (c) => bar.update(c),
      onReject: (line, cells, issues) => rejects.row(line, cells, issues),
    });
    bar.stop();
    const rejectsWritten = await rejects.close();
    if (values.json) out(JSON.stringify({ ...outcome, id: String(outcome.id), rejectsFile: rejectsWritten ? rejectsPath : null }));
    else {
      out(`Import ${outcome.id}: ${outcome.status}. ${outcome.message ?? ''}`.trim());
      out(`Rows read ${outcome.rowsRead}, valid ${outcome.rowsValid}, rejected ${outcome.rowsRejected}, written ${outcome.rowsWritten}.`);
      if (rejectsWritten) out(`Refused rows, with the column and reason: ${rejectsPath}`);
    }
    if (outcome.status !== 'SUCCEEDED' && outcome.status !== 'VALIDATED' && outcome.status !== 'DUPLICATE') process.exitCode = 1;
  } finally {
    bar.stop();
    await rejects.close();
    await orm?.close(true);
    await db.stop();
  }
}

/** Who `ledger import` acts as: the command line, or restricted to a city or a province's cities. */
async function cliActor(orm: MikroORM, city: string | undefined, province: string | undefined): Promise<Actor> {
  if (!city && !province) return CLI_ACTOR;
  const knex = orm.em.getKnex();
  if (city) {
    const { rows } = await knex.raw('select id, province_id from city where slug = ?', [city]);
    if (!rows[0]) throw new UsageError(`No city with slug "${city}".`);
    return { ...CLI_ACTOR, role: 'CITY', cityId: rows[0].id, provinceId: rows[0].province_id, cityIds: [rows[0].id] };
  }
  const { rows } = await knex.raw('select c.id, p.id as province_id from city c join province p on p.id = c.province_id where p.slug = ? order by c.id', [province!]);
  if (!rows[0]) throw new UsageError(`No province with slug "${province}" among the campaign's provinces.`);
  return { ...CLI_ACTOR, role: 'PROVINCE', provinceId: rows[0].province_id, cityIds: rows.map((r: { id: number }) => r.id) };
}

const isMain = Boolean(process.argv[1]) && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) console.error(error.message);
    else if (error instanceof LedgerError) console.error(`ledger: ${error.issues.map((i) => `${i.field.slice(1).join('.') || i.field.join('.')}: ${i.message}`).join('\n')}`);
    else console.error(`ledger: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
