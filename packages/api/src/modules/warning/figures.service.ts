import { cityIdsWhere } from '../geography/geography.service.js';
import { mayRead, READS, requireRead, scopeCityIds } from '../../common/auth.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { campaignOrLatest } from '../target/target.service.js';
import { City } from '../geography/geography.entity.js';
import type { EmergencyFigures } from './figures.types.js';
import { emergencyFiguresByPlace, emptyFigures, type EmergencyFiguresRow } from './warning.figures.js';

/** The place keys of the figures: SQL over the city alias `c`, and the city column it groups. */
export const PLACE_KEYS = {
  city: { sql: 'c.id::text', column: 'id' },
  province: { sql: 'c.province_id::text', column: 'provinceId' },
  region: { sql: 'c.region_code', column: 'regionCode' },
  all: { sql: `'all'`, column: null },
} as const;
export type PlaceKind = keyof typeof PLACE_KEYS;

/**
 * The figures as a caller reads them: the list and check sections only for callers who may read
 * reduction lists and measure checks (null otherwise). Used by `emergencyFigures` and the
 * campaign scorecards alike.
 */
export function emergencyFiguresFor(ctx: Pick<RequestContext, 'actor'>, row: EmergencyFiguresRow): EmergencyFigures {
  return {
    warningDays: row.warningDays,
    heavyDays: row.heavyDays,
    heavyDaysWithWarning: row.heavyDaysWithWarning,
    heavyDaysWithoutWarning: row.heavyDaysWithoutWarning,
    warnings: row.warnings,
    flaggedWarnings: row.flaggedWarnings,
    flaggedByReason: row.flaggedByReason,
    reductionLists: mayRead(ctx, READS.reductionLists)
      ? {
          listedEnterprises: row.listedEnterprises,
          registeredEnterprises: row.registeredEnterprises,
          coverageRate: row.coverageRate,
          coverageByIndustry: row.coverageByIndustry,
          plannedReduction: row.plannedReduction,
        }
      : null,
    measureChecks: mayRead(ctx, READS.measureChecks) ? { checks: row.checks, failedChecks: row.failedChecks, failureRate: row.checkFailureRate, downgrades: row.downgrades } : null,
  };
}

export class FiguresService {
  /**
   * Figures of a place for a campaign (default: the latest), over the caller's cities. Batched:
   * one set of grouped statements per request, place kind and campaign.
   */
  static async figures(ctx: RequestContext, kind: PlaceKind, place: string | number, campaignCode: string | null | undefined): Promise<EmergencyFigures> {
    requireRead(ctx, READS.warnings);
    const campaign = await campaignOrLatest(ctx.em, campaignCode, 'campaign');
    const rows = await ctx.loaders
      .custom<string, EmergencyFiguresRow>(`emergencyFigures:${kind}:${campaign.id}`, async (keys) => {
        const scope = scopeCityIds(ctx);
        const column = PLACE_KEYS[kind].column;
        const where = column === null ? {} : { [column]: { $in: keys.map((k) => (kind === 'region' ? k : Number(k))) } };
        const cities = (await cityIdsWhere(ctx.em, where)).filter((id) => !scope || scope.includes(id));
        const figures = await emergencyFiguresByPlace(knexOf(ctx.em), PLACE_KEYS[kind].sql, campaign.id, cities);
        return keys.map((k) => figures.get(k) ?? emptyFigures());
      })
      .load(String(place));
    return emergencyFiguresFor(ctx, rows);
  }
}
