/**
 * Starts one PostgreSQL for the whole test run (embedded, or the server of DATABASE_URL), builds a
 * template database with every migration and the plan's data, and hands its address to the test
 * files. Each test file then clones its own database from the template (helpers/app.ts).
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../packages/api/src/db/embedded.js';
import { connectAndMigrate, ensureDatabase } from '../../packages/api/src/db/database.js';
import { seedPlan } from '../../packages/api/src/seeders/index.js';
import pg from 'pg';

export const TEMPLATE_DB = 'airledger_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-test-'));
    fs.chmodSync(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), persistent: false });
    adminUrl = embedded.url;
  }
  // A fresh template per run: drop what an earlier run left.
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query(`select datname from pg_database where datname like 'airledger_test_%'`);
  for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
  await admin.end();

  const templateUrl = await ensureDatabase(adminUrl, TEMPLATE_DB);
  const orm = await connectAndMigrate(templateUrl, 2);
  await seedPlan(orm);
  await orm.close(true);

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', TEMPLATE_DB);

  return async () => {
    if (embedded) await embedded.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
