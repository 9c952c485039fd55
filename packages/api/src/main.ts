import 'reflect-metadata';
import { loadConfig } from './config.js';
import { connectAndMigrate, openDatabase } from './db/database.js';
import { createServer } from './server.js';
import { seedDemoIfEmpty, seedPlan } from './seeders/index.js';

const log = (line: string) => console.log(`[airledger] ${line}`);

async function main() {
  const config = loadConfig();
  const db = await openDatabase(config);
  log(`database: ${db.description}`);
  const orm = await connectAndMigrate(db.url, config.poolMax, config.statementTimeoutMs);
  log('migrations applied');
  await seedPlan(orm);
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(orm, config.demoSeed);
    if (seeded.length) log(`demo data generated (seed ${config.demoSeed}: ${seeded.join(', ')}); demo records carry origin DEMO`);
  }
  const server = await createServer(orm, config);
  await new Promise<void>((resolve) => server.httpServer.listen(config.port, config.host, resolve));
  log(`GraphQL API ready at http://localhost:${config.port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    try {
      await server.stop();
      await orm.close(true);
      await db.stop();
      log('stopped');
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error('[airledger] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
