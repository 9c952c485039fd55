import type { EntityManager } from '@mikro-orm/postgresql';
import { LedgerError, UserErrorCode, type Issue } from './errors.js';
import type { RequestContext } from '../context.js';

/** What every mutation payload carries besides its result. */
export interface MutationOutcome<T> {
  result: T | null;
  userErrors: { field: string[]; code: UserErrorCode; message: string }[];
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';
const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 5;

function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

/**
 * Runs a write in one transaction. A LedgerError rolls everything back and becomes `userErrors`;
 * a serialization failure or deadlock is retried; a unique violation becomes TAKEN on `uniqueField`.
 * Any other error rolls back and propagates (the client sees INTERNAL_SERVER_ERROR).
 */
export async function runMutation<T>(
  ctx: RequestContext,
  work: (em: EntityManager) => Promise<T>,
  options: { uniqueField?: string[] } = {},
): Promise<MutationOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await ctx.em.transactional((em) => work(em as EntityManager));
      return { result, userErrors: [] };
    } catch (error) {
      ctx.em.clear();
      if (error instanceof LedgerError) return { result: null, userErrors: error.issues.map(toUserError) };
      const code = pgCode(error);
      if ((code === SERIALIZATION_FAILURE || code === DEADLOCK) && attempt < MAX_ATTEMPTS) continue;
      if (code === UNIQUE_VIOLATION && options.uniqueField) {
        return {
          result: null,
          userErrors: [{ field: options.uniqueField, code: UserErrorCode.TAKEN, message: 'A record with this value already exists.' }],
        };
      }
      throw error;
    }
  }
}

function toUserError(i: Issue) {
  return { field: i.field, code: i.code, message: i.message };
}
