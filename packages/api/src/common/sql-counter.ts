import { AsyncLocalStorage } from 'node:async_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Counts the SQL statements each request sends, attributing knex's `query` events to the request
 * through AsyncLocalStorage. Used by the `extensions.sqlStatements` response field, the batching
 * tests and the benchmarks.
 */
const storage = new AsyncLocalStorage<{ statements: number }>();
const instrumented = new WeakSet<object>();

export function instrumentSqlCounter(orm: MikroORM): void {
  const knex = orm.em.getKnex();
  if (instrumented.has(knex)) return;
  instrumented.add(knex);
  knex.on('query', () => {
    const store = storage.getStore();
    if (store) store.statements++;
  });
}

export function runCountingSql<T>(fn: () => T): T {
  return storage.run({ statements: 0 }, fn);
}

export function currentSqlCount(): number | undefined {
  return storage.getStore()?.statements;
}

/**
 * Runs `fn` outside any request's count: for statements a request only happens to trigger (the
 * rate limiter's sweep of old buckets), which are none of its own.
 */
export function withoutCountingSql<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** Counts a statement sent outside knex (compiled reads send theirs on a pooled connection directly). */
export function countSqlStatement(): void {
  const store = storage.getStore();
  if (store) store.statements++;
}

/** The counter of the request under way (the request hooks read it when the request ends). */
export function currentSqlCounter(): { statements: number } | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` counting against `counter` (a request's, from its record): for callbacks of events
 * that Node emits in another asynchronous context than the request's (a request body's `end`).
 */
export function continueCountingSql<T>(counter: { statements: number }, fn: () => T): T {
  return storage.run(counter, fn);
}
