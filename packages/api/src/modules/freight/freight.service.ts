import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity } from '../../common/auth.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { todayInChina } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { FreightRecord } from './freight.entity.js';
import { FREIGHT_READS } from './freight.reads.js';
import { freightIssues, monthIssues } from './freight.rules.js';
import type { FreightRecordFilter, FreightRecordOrder, RecordFreightMonthInput } from './freight.types.js';

/** The condition and sort of the rail freight records (the connection and the export). */
export function freightRecordListQuery(ctx: RequestContext, filter: FreightRecordFilter | null | undefined, order: FreightRecordOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  requireRead(ctx, READS.freightRecords);
  return declaredRootQuery(ctx, [FREIGHT_READS], 'freightRecords', { filter, orderBy: order }, t);
}

export class FreightService {
  static records(ctx: RequestContext, filter: FreightRecordFilter | null, orderBy: FreightRecordOrder | null, page: PageArgs): Promise<Connection<FreightRecord>> {
    requireRead(ctx, READS.freightRecords);
    return declaredPage(ctx, [FREIGHT_READS], 'freightRecords', { filter, orderBy, ...page });
  }

  static async record(ctx: RequestContext, id: string): Promise<FreightRecord> {
    requireRead(ctx, READS.freightRecords);
    const x = await ctx.loaders.byId(FreightRecord).load(parseId(id, 'id'));
    if (!x || !inScope(ctx, x.cityId)) throw notFound('freight record', 'id', id);
    return x;
  }

  static cityOf(ctx: RequestContext, x: FreightRecord): Promise<City> {
    return ctx.loaders.byId(City).load(x.cityId) as Promise<City>;
  }

  /**
   * Records the freight of a railway's month (origin RECORDED). Without `version` the month must
   * not be recorded yet for the railway (TAKEN); with it, the month's record must be at that
   * version (CONFLICT) and gets the new tonnes and source. Every problem of the input is reported
   * at once; a city outside the caller's cities is FORBIDDEN, like every write into a city.
   */
  static async recordMonth(ctx: RequestContext, em: EntityManager, input: RecordFreightMonthInput): Promise<FreightRecord> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    const campaigns = await em.find(Campaign, { id: { $gt: 0 } }, { orderBy: { periodStart: 'asc', id: 'asc' } });
    v.issues.push(...freightIssues(input), ...monthIssues(['input', 'month'], input.month, campaigns, todayInChina()));
    v.throwIfAny();
    const railway = input.railway.trim();
    const source = input.source.trim();
    const existing = await em.findOne(FreightRecord, { cityId: city!.id, railway, month: input.month }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (input.version === null || input.version === undefined) {
      if (existing) {
        throw LedgerError.of(
          ['input', 'month'],
          UserErrorCode.TAKEN,
          `${railway} of ${city!.nameEn} already has ${input.month} recorded (version ${existing.version}): one record per railway and month; give its version to change it.`,
        );
      }
      const x = em.create(FreightRecord, {
        cityId: city!.id,
        railway,
        month: input.month,
        tonnes: input.tonnes,
        source,
        origin: DataOrigin.RECORDED,
        version: 1,
        createdBy: ctx.actor.id,
        updatedBy: ctx.actor.id,
      });
      await em.flush();
      return x;
    }
    if (!existing) throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `${railway} of ${city!.nameEn} has no record for ${input.month} yet: omit version to record it.`);
    if (existing.version !== input.version) {
      throw LedgerError.of(['input', 'version'], UserErrorCode.CONFLICT, `The record of ${input.month} is at version ${existing.version}, not ${input.version}: reload it and retry.`);
    }
    em.assign(existing, { tonnes: input.tonnes, source, origin: DataOrigin.RECORDED, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return existing;
  }
}
