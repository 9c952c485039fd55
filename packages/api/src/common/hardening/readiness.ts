import type { Express, Request, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';

/** How long /readyz waits for the database before answering 503. */
export const READINESS_TIMEOUT_MS = 3000;

export interface Readiness {
  ready: boolean;
  /** Why not ready: the database is unreachable, or migrations are not applied. */
  reason?: 'DATABASE_UNREACHABLE' | 'MIGRATIONS_PENDING';
  /** Migrations this build knows that the database has not executed. */
  pendingMigrations?: string[];
  detail?: string;
}

/**
 * Ready = the database answers and has executed every migration this build ships (one SELECT on
 * MikroORM's migrations table; a missing table means nothing is applied).
 */
export async function checkReadiness(orm: MikroORM, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([
      orm.em
        .getKnex()
        .raw(`select name from mikro_orm_migrations`)
        .then(
          (r: { rows: { name: string }[] }) => r.rows.map((row) => row.name),
          (error: { code?: string }) => {
            if (error?.code === '42P01') return [] as string[]; // no migrations table yet
            throw error;
          },
        ),
      timeout,
    ]);
    const executed = new Set(result);
    const pending = MIGRATIONS.map((m) => m.name).filter((name) => !executed.has(name));
    return pending.length ? { ready: false, reason: 'MIGRATIONS_PENDING', pendingMigrations: pending } : { ready: true };
  } catch (error) {
    return { ready: false, reason: 'DATABASE_UNREACHABLE', detail: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /readyz: 200 {status: 'ready'} or 503 {status: 'not ready', reason, pendingMigrations}. */
export function registerReadiness(app: Express, orm: MikroORM): void {
  app.get('/readyz', async (_req: Request, res: Response) => {
    const r = await checkReadiness(orm);
    res.setHeader('Cache-Control', 'no-store');
    if (r.ready) {
      res.json({ status: 'ready', migrations: MIGRATIONS.length });
    } else {
      res.status(503).json({ status: 'not ready', reason: r.reason, pendingMigrations: r.pendingMigrations });
    }
  });
}
