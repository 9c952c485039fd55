/**
 * The declared queries of the heavy-pollution collections for exports (and any other reader that
 * needs the SQL condition and sort): the same declaration (warning.reads.ts) and read rule as the
 * GraphQL connections, so an export answers exactly what the list answers.
 */
import { READS, requireRead, type ReadRule } from '../../common/auth.js';
import { declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { RequestContext } from '../../context.js';
import { WARNING_READS } from './warning.reads.js';

/** The collections of warning.reads.ts and the read rule of each (common/auth.ts READS). */
const RULES: Record<string, ReadRule> = {
  warnings: READS.warnings,
  forecasts: READS.forecasts,
  regionalLinkages: READS.regionalLinkages,
  reductionListEntries: READS.reductionLists,
  measureChecks: READS.measureChecks,
};

/** The declared query of one heavy-pollution collection for the caller, on the table alias `t`. */
export function warningListQuery(ctx: RequestContext, root: keyof typeof RULES & string, filter: unknown, orderBy: unknown, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, RULES[root]);
  return declaredRootQuery(ctx, [WARNING_READS], root, { filter, orderBy }, t);
}
