import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * The knex of an EntityManager, bound to its transaction when it is inside one. Use it for
 * set-based SQL (bulk inserts, aggregates) that must join the surrounding transaction.
 */
export function knexOf(em: EntityManager): Knex {
  return (em.getTransactionContext() as Knex.Transaction | undefined) ?? em.getKnex();
}

/** Escapes LIKE wildcards so that user text matches literally (backslash is PostgreSQL's default escape). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
