/** The server process (main.ts imports it once tracing, if configured, has started). */
import 'reflect-metadata';
import { loadConfig } from './config.js';
import { createLogger, safeError, type Logger } from './common/log.js';
import { connectAndMigrate, openDatabase, type Database } from './db/database.js';
import { createServer, type LedgerServer } from './server.js';
import { seedDemoIfEmpty, seedPlan } from './seeders/index.js';
import type { MikroORM } from '@mikro-orm/postgresql';

/** Start-up and shutdown lines: the server's logger (JSON or pretty, AIRLEDGER_LOG_*) once the settings are read, plain lines before. */
let logger: Logger | null = null;
const log = (line: string) => (logger ? logger.info(line) : console.log(`[airledger] ${line}`));
const fail = (line: string, error?: unknown) => {
  if (logger) logger.error(error === undefined ? {} : { error: safeError(error) }, line);
  else console.error(`[airledger] ${line}`);
};

/**
 * Exit codes: 0 after a clean stop on SIGINT or SIGTERM (in-flight requests answered, the pool
 * closed, the embedded PostgreSQL stopped), 1 when the start fails or the stop does not
 * complete; a second signal while stopping ends the process at once with 1.
 */
async function main() {
  let db: Database | undefined;
  let orm: MikroORM | undefined;
  let server: LedgerServer | undefined;
  let stopping = false;

  let tracing = false;
  const release = async () => {
    await server?.stop();
    await orm?.close(true);
    await db?.stop();
    // The spans still buffered go out before the exit (main.ts started tracing).
    if (tracing) await (await import('./tracing.js')).stopTracing().catch(() => {});
  };
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping (answering requests in flight first)`);
    try {
      await release();
      log('stopped');
      process.exit(0);
    } catch (error) {
      fail(`the stop failed: ${error instanceof Error ? error.message : String(error)}`);
      logger?.flush();
      process.exit(1);
    }
  };
  // Installed first, so that a signal during start-up also stops what has started.
  process.on('SIGINT', (s) => void shutdown(s));
  process.on('SIGTERM', (s) => void shutdown(s));

  try {
    const config = loadConfig();
    logger = createLogger(config);
    tracing = config.otlpEndpoint !== undefined;
    if (tracing) log(`tracing: OpenTelemetry spans to ${new URL(config.otlpEndpoint!).origin}`);
    db = await openDatabase(
      config,
      (line) => {
        if (/FATAL|PANIC/.test(line)) log(`postgres: ${line}`);
      },
      log,
    );
    log(`database: ${db.description}`);
    orm = await connectAndMigrate(db.url, config.poolMax, config.statementTimeoutMs);
    log('migrations applied');
    await seedPlan(orm);
    if (config.seedDemo) {
      const seeded = await seedDemoIfEmpty(orm, config.demoSeed);
      if (seeded.length) log(`demo data generated (seed ${config.demoSeed}: ${seeded.join(', ')}); demo records carry origin DEMO`);
    }
    server = await createServer(orm, config, { logger });
    const httpServer = server.httpServer;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.removeListener('error', reject);
        resolve();
      });
    });
    log(`GraphQL API ready at http://localhost:${config.port}/graphql`);
  } catch (error) {
    if (stopping) return;
    stopping = true;
    fail(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await release().catch(() => {});
    logger?.flush();
    process.exit(1);
  }
}

void main();
