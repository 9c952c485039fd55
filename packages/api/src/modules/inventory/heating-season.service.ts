import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { READS, requireRead, requireWritableCity } from '../../common/auth.js';
import { declaredPage } from '../../common/compiled/declared.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { campaignOrLatest } from '../target/target.service.js';
import { HeatingSeason } from './household.entity.js';
import { HEATING_SEASON_READS } from './heating-season.reads.js';
import { heatingSeasonIssues } from './heating-season.rules.js';
import type { HeatingSeasonFilter, HeatingSeasonOrder, RecordHeatingSeasonInput } from './heating-season.types.js';

export class HeatingSeasonService {
  static seasons(ctx: RequestContext, filter: HeatingSeasonFilter | null, orderBy: HeatingSeasonOrder | null, page: PageArgs): Promise<Connection<HeatingSeason>> {
    requireRead(ctx, READS.heatingSeasons);
    return declaredPage(ctx, [HEATING_SEASON_READS], 'heatingSeasons', { filter, orderBy, ...page });
  }

  static async season(ctx: RequestContext, id: string): Promise<HeatingSeason> {
    requireRead(ctx, READS.heatingSeasons);
    const x = await ctx.loaders.byId(HeatingSeason).load(parseId(id, 'id'));
    if (!x) throw notFound('heating season', 'id', id);
    return x;
  }

  static cityOf(ctx: RequestContext, x: HeatingSeason): Promise<City> {
    return ctx.loaders.byId(City).load(x.cityId) as Promise<City>;
  }

  static campaignOf(ctx: RequestContext, x: HeatingSeason): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(x.campaignId) as Promise<Campaign>;
  }

  /**
   * Records a city's heating season of a campaign (origin RECORDED), or with `version` changes its
   * dates. A CITY key records its own city's, a PROVINCE key its cities', the ministry any city's
   * (FORBIDDEN otherwise, like every write into a city). The COAL_HOUSEHOLDS progress reads the
   * start from this row, so a changed start changes which conversions count at once.
   */
  static async record(ctx: RequestContext, em: EntityManager, input: RecordHeatingSeasonInput): Promise<HeatingSeason> {
    const city = await em.findOne(City, { slug: input.city });
    if (!city) throw LedgerError.of(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    requireWritableCity(ctx, city.id, city.nameEn);
    const campaign = await campaignOrLatest(em, input.campaign, 'input.campaign');
    const v = new Violations();
    v.issues.push(...heatingSeasonIssues(input, campaign));
    v.throwIfAny();
    const source = input.source.trim();
    const existing = await em.findOne(HeatingSeason, { cityId: city.id, campaignId: campaign.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (input.version === null || input.version === undefined) {
      if (existing) {
        throw LedgerError.of(
          ['input', 'city'],
          UserErrorCode.TAKEN,
          `${city.nameEn} already has its ${campaign.code} heating season recorded (version ${existing.version}): give its version to change it.`,
        );
      }
      const x = em.create(HeatingSeason, {
        cityId: city.id,
        campaignId: campaign.id,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        source,
        origin: DataOrigin.RECORDED,
        version: 1,
        createdBy: ctx.actor.id,
        updatedBy: ctx.actor.id,
      });
      await em.flush();
      return x;
    }
    if (!existing) throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `${city.nameEn} has no ${campaign.code} heating season yet: omit version to record it.`);
    if (existing.version !== input.version) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The heating season is at version ${existing.version}, not ${input.version}: reload it and retry.`);
    }
    em.assign(existing, { startsOn: input.startsOn, endsOn: input.endsOn, source, origin: DataOrigin.RECORDED, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return existing;
  }
}
