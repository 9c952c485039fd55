import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { AttainmentStatus, DataOrigin } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { isIsoDate, todayInChina } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import { declaredChildPage, declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import { requireWritableCity, scopeWhere } from '../../common/auth.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { City } from '../geography/geography.entity.js';
import { resolvePlaceFilter } from '../geography/geography.service.js';
import { AirQualityObservation, OutcomeTarget } from './air-quality.entity.js';
import { AIR_QUALITY_READS } from './air-quality.reads.js';
import { attainmentSql } from './air-quality.attainment.js';
import {
  MAX_OBSERVATIONS_PER_BATCH,
  type AirQualityObservationFilter,
  type AirQualityObservationInput,
  type AirQualityObservationOrder,
  type AttainmentFilter,
  type CampaignAttainment,
  type MonthCoverage,
  type ObservationCoverage,
  type OutcomeTargetFilter,
  type OutcomeTargetOrder,
  type SetOutcomeTargetInput,
} from './air-quality.types.js';

/** Upper bounds of plausible daily values (lower bound 0). The migration's checks repeat them. */
export const OBSERVATION_LIMITS = { pm25: 2000, pm10: 2000, o3: 1000, no2: 1000, so2: 3000, co: 100, aqi: 500 } as const;
/** Upper bound of a PM2.5 target (campaign mean or annual), ug/m3; targets must be above 0. */
export const MAX_PM25_TARGET = 500;
const STATION_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const UNITS: Record<keyof typeof OBSERVATION_LIMITS, string> = { pm25: 'ug/m3', pm10: 'ug/m3', o3: 'ug/m3', no2: 'ug/m3', so2: 'ug/m3', co: 'mg/m3', aqi: '' };

export { HEAVY_DAY_SQL, coverageSql, attainmentSql } from './air-quality.attainment.js';

/** Aggregates of one city over one campaign, as the attainment statement returns them. */
type AttainmentStats = Omit<CampaignAttainment, 'campaign' | 'city'>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function coverageOf(from: string, to: string, r: Record<string, unknown>, prefix: string): ObservationCoverage {
  const expectedCount = Number(r[`${prefix}expected_days`]);
  const observedCount = Number(r[`${prefix}observed_days`]);
  return {
    from,
    to,
    expectedCount,
    observedCount,
    requiredCount: Number(r[`${prefix}required_days`]),
    percentComplete: Number(r[`${prefix}percent_complete`]),
    complete: r[`${prefix}complete`] === true,
    months: (r[`${prefix}months`] as MonthCoverage[]) ?? [],
  };
}

/** A row of the attainment statement as the fields of CampaignAttainment (without campaign and city). */
export function attainmentOfRow(r: Record<string, unknown>): AttainmentStats {
  const iso = (v: unknown) => String(v);
  return {
    periodDays: Number(r.period_days),
    observedDays: Number(r.observed_days),
    pm25Mean: num(r.pm25_mean),
    pm25Target: num(r.pm25_target),
    pm25Met: r.pm25_met as boolean | null,
    pm25Status: r.pm25_status as AttainmentStatus,
    heavyPollutionDays: Number(r.heavy_days),
    heavyDaysTarget: num(r.heavy_days_target),
    heavyDaysMet: r.heavy_met as boolean | null,
    heavyDaysStatus: r.heavy_status as AttainmentStatus,
    coverage: coverageOf(iso(r.period_start), iso(r.period_end), r, ''),
    annual: {
      year: Number(r.annual_year),
      pm25Mean: num(r.annual_pm25_mean),
      pm25Target: num(r.annual_pm25_target),
      status: r.annual_status as AttainmentStatus,
      met: r.annual_met as boolean | null,
      coverage: coverageOf(iso(r.annual_from), iso(r.annual_to), r, 'annual_'),
    },
  };
}

const pairKey = (campaignId: number, cityId: number) => `${campaignId}:${cityId}`;

function checkDateRange(from: string | null | undefined, to: string | null | undefined, toField: string): void {
  if (from && to && from > to) throw LedgerError.of(toField, UserErrorCode.INVALID_DATE, 'Must not be before `from`.');
}

/** Adds a violation unless `value` is a finite number in [0, max] (and an integer when `integer`). */
function checkRange(v: Violations, path: string[], value: number | null | undefined, max: number, unit: string, integer = false): void {
  if (value === null || value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || value > max || (integer && !Number.isInteger(value))) {
    v.add(path, UserErrorCode.OUT_OF_RANGE, `Must be ${integer ? 'a whole number ' : ''}from 0 to ${max.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}.`);
  }
}

/** Validates the values of one observation (not its city), adding violations under `path`. */
export function validateObservation(v: Violations, path: string[], o: AirQualityObservationInput, today: string): void {
  if (o.stationCode !== null && o.stationCode !== undefined && !STATION_CODE.test(o.stationCode)) {
    v.add([...path, 'stationCode'], UserErrorCode.INVALID, 'Must be 1 to 32 letters, digits, "-" or "_" starting with a letter or digit; omit it for the city-wide mean.');
  }
  if (!isIsoDate(o.observedOn)) v.add([...path, 'observedOn'], UserErrorCode.INVALID_DATE, 'Must be a date (YYYY-MM-DD).');
  else if (o.observedOn > today) v.add([...path, 'observedOn'], UserErrorCode.INVALID_DATE, `Must not be in the future (today is ${today} in China).`);
  if (o.pm25 === null || o.pm25 === undefined) v.add([...path, 'pm25'], UserErrorCode.REQUIRED, 'PM2.5 is required.');
  for (const key of ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const) checkRange(v, [...path, key], o[key], OBSERVATION_LIMITS[key], UNITS[key]);
  checkRange(v, [...path, 'aqi'], o.aqi, OBSERVATION_LIMITS.aqi, '', true);
}

/** The columns of an observation as its upsert reads them: the mutation's records and the bulk imports' staging table. */
export const OBSERVATION_RECORD_COLUMNS =
  'city_id int, observed_on date, station_code text, pm25 numeric, pm10 numeric, o3 numeric, no2 numeric, so2 numeric, co numeric, aqi int';

/** One checked observation as its upsert writes it (the columns of OBSERVATION_RECORD_COLUMNS, in order). */
export function observationRecord(cityId: number, o: AirQualityObservationInput) {
  return {
    city_id: cityId,
    observed_on: o.observedOn,
    station_code: o.stationCode ?? null,
    pm25: o.pm25,
    pm10: o.pm10 ?? null,
    o3: o.o3 ?? null,
    no2: o.no2 ?? null,
    so2: o.so2 ?? null,
    co: o.co ?? null,
    aqi: o.aqi ?? null,
  };
}

/** Columns an observation is stored with besides its record, as a write through the API fills them. */
const OBSERVATION_WRITTEN_COLUMNS = ['origin', 'created_by', 'updated_by', 'import_id'];
const OBSERVATION_COLUMNS = [...OBSERVATION_RECORD_COLUMNS.split(',').map((c) => c.trim().split(' ')[0]), ...OBSERVATION_WRITTEN_COLUMNS];

/** The values of OBSERVATION_WRITTEN_COLUMNS for a write by `actorId` (of import `importId`, or null). */
function observationWrittenBy(actorId: string, importId: number | null): (string | number | null)[] {
  return [DataOrigin.RECORDED, actorId, actorId, importId];
}

/**
 * The upsert of every row of `source` (a relation aliased `x` with OBSERVATION_RECORD_COLUMNS):
 * a row replaces the values of the stored observation of the same city, day and station.
 * Bindings: observationWrittenBy's values, then those of `source`.
 */
function observationUpsertSql(source: string, returning: string): string {
  const record = OBSERVATION_COLUMNS.slice(0, -OBSERVATION_WRITTEN_COLUMNS.length);
  return `insert into air_quality_observation (${OBSERVATION_COLUMNS.join(', ')})
       select ${record.map((c) => `x.${c}`).join(', ')}, ?, ?, ?, ?::integer
       from ${source}
       on conflict (city_id, observed_on, (coalesce(station_code, ''))) do update set
         pm25 = excluded.pm25, pm10 = excluded.pm10, o3 = excluded.o3, no2 = excluded.no2, so2 = excluded.so2,
         co = excluded.co, aqi = excluded.aqi, origin = excluded.origin,
         updated_by = excluded.updated_by, updated_at = now(), import_id = excluded.import_id
       returning ${returning}`;
}

/**
 * What the upsert writes for new observations of a bulk import, for a COPY straight into the
 * table (when no stored observation is replaced, PostgreSQL's unique index says so): the
 * columns and the values of OBSERVATION_WRITTEN_COLUMNS (after each observationRecord).
 */
export function observationCopy(actorId: string, importId: number): { table: string; columns: string[]; fixed: unknown[] } {
  return { table: 'air_quality_observation', columns: OBSERVATION_COLUMNS, fixed: observationWrittenBy(actorId, importId) };
}

/**
 * The rules of one observation of a batch, its city included (`cityKnown`: its slug names a city);
 * with the rule that a batch gives each city, day and station once (sameObservationMessage), the
 * rules of recordObservations and of bulk imports of observations.
 */
export function checkObservationItem(v: Violations, path: string[], item: AirQualityObservationInput, cityKnown: boolean, today: string): void {
  if (!cityKnown) v.add([...path, 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${item.city}".`);
  validateObservation(v, path, item, today);
}

/** Why an observation of a batch is refused when an earlier one (`first`: "item 3", "line 12") has the same city, day and station. */
export function sameObservationMessage(first: string): string {
  return `Same city, day and station as ${first}: give each observation once.`;
}

/**
 * The errors of an observation filter that its declaration (air-quality.reads.ts) leaves to the
 * resolvers: a reversed date range; a station together with cityWideOnly.
 */
function checkObservationFilter(filter: AirQualityObservationFilter | null | undefined): void {
  checkDateRange(filter?.from, filter?.to, 'filter.to');
  if (filter?.stationCode && filter.cityWideOnly === true) {
    throw LedgerError.of('filter.cityWideOnly', UserErrorCode.INVALID, 'Cannot be true together with stationCode: city-wide means have no station.');
  }
}

/** The conditions and sort of the air quality observations collection (exports): its declaration (air-quality.reads.ts) on alias `t`. */
export function observationListQuery(
  ctx: RequestContext,
  filter: AirQualityObservationFilter | null | undefined,
  order: AirQualityObservationOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  checkObservationFilter(filter);
  return declaredRootQuery(ctx, [AIR_QUALITY_READS], 'airQualityObservations', { filter, orderBy: order }, t);
}

/**
 * The condition and sort of the outcome-targets collection from its declaration
 * (air-quality.reads.ts), shared by the connection and the exports.
 */
export function outcomeTargetListQuery(
  ctx: RequestContext,
  filter: OutcomeTargetFilter | null | undefined,
  order: OutcomeTargetOrder | null | undefined,
  t = 't',
): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [AIR_QUALITY_READS], 'outcomeTargets', { filter, orderBy: order }, t);
}

export class AirQualityService {
  // ----- queries -----

  static async observations(
    ctx: RequestContext,
    filter: AirQualityObservationFilter | null | undefined,
    order: AirQualityObservationOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<AirQualityObservation>> {
    checkObservationFilter(filter);
    return declaredPage(ctx, [AIR_QUALITY_READS], 'airQualityObservations', { filter, orderBy: order, ...page });
  }

  /** A city's city-wide daily observations, chronological, batched over every city of the request. */
  static cityObservations(
    ctx: RequestContext,
    city: City,
    from: string | null | undefined,
    to: string | null | undefined,
    page: PageArgs,
  ): Promise<Connection<AirQualityObservation>> {
    checkDateRange(from, to, 'to');
    return declaredChildPage(ctx, [AIR_QUALITY_READS], 'City', 'airQualityObservations', city.id, { from, to, ...page });
  }

  static async outcomeTargets(
    ctx: RequestContext,
    filter: OutcomeTargetFilter | null | undefined,
    order: OutcomeTargetOrder | null | undefined,
    page: PageArgs,
  ): Promise<Connection<OutcomeTarget>> {
    return declaredPage(ctx, [AIR_QUALITY_READS], 'outcomeTargets', { filter, orderBy: order, ...page });
  }

  /** The outcome target of a city for the campaign with `campaignCode`, or null; batched. */
  static async outcomeTargetOf(ctx: RequestContext, city: City, campaignCode: string): Promise<OutcomeTarget | null> {
    const campaign = await AirQualityService.campaignByCode(ctx, campaignCode);
    return ctx.loaders
      .custom<string, OutcomeTarget | null>('outcomeTargetByCampaignCity', async (keys) => {
        const pairs = keys.map((k) => k.split(':').map(Number) as [number, number]);
        const rows = await ctx.em.find(OutcomeTarget, {
          $and: [
            { campaignId: { $in: [...new Set(pairs.map((p) => p[0]))] }, cityId: { $in: [...new Set(pairs.map((p) => p[1]))] } },
            scopeWhere(ctx),
          ],
        } as FilterQuery<OutcomeTarget>);
        const map = new Map(rows.map((r) => [pairKey(r.campaignId, r.cityId), r]));
        return keys.map((k) => map.get(k) ?? null);
      })
      .load(pairKey(campaign.id, city.id));
  }

  /** Attainment of one city for the campaign with `campaignCode`; batched with every other of the request. */
  static async attainmentOfCity(ctx: RequestContext, city: City, campaignCode: string): Promise<CampaignAttainment> {
    const campaign = await AirQualityService.campaignByCode(ctx, campaignCode);
    return AirQualityService.attainment(ctx, campaign, city);
  }

  /** Attainment of the campaign in every city the filter selects, in the plan's order of cities. */
  static async attainmentsOfCampaign(ctx: RequestContext, campaign: Campaign, filter: AttainmentFilter | null | undefined): Promise<CampaignAttainment[]> {
    const ids = await resolvePlaceFilter(ctx.em, filter);
    const cities = await ctx.em.find(City, ids ? { id: { $in: ids } } : {}, { orderBy: { planOrder: 'asc' } });
    const byId = ctx.loaders.byId(City);
    for (const c of cities) byId.prime(c.id, c);
    return Promise.all(cities.map((city) => AirQualityService.attainment(ctx, campaign, city)));
  }

  /** Attainment of the target's city and campaign. */
  static async attainmentOfTarget(ctx: RequestContext, target: OutcomeTarget): Promise<CampaignAttainment> {
    const [campaign, city] = await Promise.all([
      ctx.loaders.byId(Campaign).load(target.campaignId),
      ctx.loaders.byId(City).load(target.cityId),
    ]);
    return AirQualityService.attainment(ctx, campaign as Campaign, city as City);
  }

  static cityOf(ctx: RequestContext, cityId: number): Promise<City> {
    return ctx.loaders.byId(City).load(cityId) as Promise<City>;
  }

  static campaignOf(ctx: RequestContext, campaignId: number): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(campaignId) as Promise<Campaign>;
  }

  private static async campaignByCode(ctx: RequestContext, code: string): Promise<Campaign> {
    const campaign = await ctx.loaders.byUnique<Campaign, string>(Campaign, 'code').load(code);
    if (!campaign) throw notFound('campaign', 'campaign', code);
    return campaign;
  }

  /**
   * The attainment of a (campaign, city) pair. Every pair asked for in a request is computed by
   * one grouped SQL statement: the city-wide observations of the campaign period joined to the
   * outcome target, grouped by pair.
   */
  private static async attainment(ctx: RequestContext, campaign: Campaign, city: City): Promise<CampaignAttainment> {
    const stats = await ctx.loaders
      .custom<string, AttainmentStats>('attainmentStats', (keys) => AirQualityService.attainmentStats(ctx.em, keys))
      .load(pairKey(campaign.id, city.id));
    return { campaign, city, ...stats };
  }

  private static async attainmentStats(em: EntityManager, keys: readonly string[]): Promise<AttainmentStats[]> {
    const pairs = keys.map((k) => {
      const [campaign_id, city_id] = k.split(':').map(Number);
      return { campaign_id, city_id };
    });
    const result = await knexOf(em).raw(attainmentSql('json_to_recordset(?::json) as k(campaign_id int, city_id int)'), [JSON.stringify(pairs)]);
    const rows = result.rows as Record<string, unknown>[];
    const map = new Map(rows.map((r) => [pairKey(Number(r.campaign_id), Number(r.city_id)), attainmentOfRow(r)]));
    return keys.map((k) => {
      const s = map.get(k);
      if (!s) throw new Error(`No campaign for attainment key ${k}.`);
      return s;
    });
  }

  // ----- mutations -----

  /** Records one observation, replacing the values of an existing one for the same city, day and station. */
  static async recordObservation(ctx: RequestContext, em: EntityManager, input: AirQualityObservationInput): Promise<AirQualityObservation> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    validateObservation(v, ['input'], input, todayInChina());
    v.throwIfAny();
    const { rows } = await AirQualityService.upsertObservations(ctx, em, [{ cityId: city!.id, input }]);
    return rows[0];
  }

  /**
   * Records many observations at once, all or nothing, in one statement. Each item replaces the
   * values of an existing observation of the same city, day and station.
   */
  static async recordObservations(
    ctx: RequestContext,
    em: EntityManager,
    items: AirQualityObservationInput[],
  ): Promise<{ rows: AirQualityObservation[]; inserted: number; replaced: number }> {
    const path = ['input', 'observations'];
    if (!items.length) throw LedgerError.of(path, UserErrorCode.REQUIRED, 'Give at least one observation.');
    if (items.length > MAX_OBSERVATIONS_PER_BATCH) {
      throw LedgerError.of(path, UserErrorCode.OUT_OF_RANGE, `At most ${MAX_OBSERVATIONS_PER_BATCH.toLocaleString('en-US')} observations per call.`);
    }
    const v = new Violations();
    const slugs = [...new Set(items.map((i) => i.city))];
    const cities = await em.find(City, { slug: { $in: slugs } }, { fields: ['id', 'slug', 'nameEn'] });
    for (const c of cities) requireWritableCity(ctx, c.id, c.nameEn);
    const cityId = new Map(cities.map((c) => [c.slug, c.id]));
    const today = todayInChina();
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const itemPath = [...path, String(i)];
      checkObservationItem(v, itemPath, item, cityId.has(item.city), today);
      const key = `${item.city}|${item.observedOn}|${item.stationCode ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined) v.add([...itemPath, 'observedOn'], UserErrorCode.INVALID, sameObservationMessage(`item ${first}`));
      else seen.set(key, i);
    });
    v.throwIfAny();
    return AirQualityService.upsertObservations(ctx, em, items.map((input) => ({ cityId: cityId.get(input.city)!, input })));
  }

  /**
   * Writes the observations of a bulk import's staging table (`staging`, with the columns of
   * OBSERVATION_RECORD_COLUMNS, each row checked by checkObservationItem and at most once per
   * city, day and station) with the upsert of recordObservations, in one statement, marked with
   * the import's id. Rows it creates are audited as the import (migration 20261202180100), rows it
   * replaces one by one. Returns how many rows were written and how many of them were created.
   */
  static async upsertStagedObservations(ctx: RequestContext, em: EntityManager, staging: string, importId: number): Promise<{ written: number; inserted: number }> {
    const actor = ctx.actor.id;
    const { rows } = await knexOf(em).raw(
      `with written as (${observationUpsertSql(`${staging} as x`, '(xmax = 0) as inserted')})
       select count(*)::integer as written, (count(*) filter (where inserted))::integer as inserted from written`,
      observationWrittenBy(actor, importId),
    );
    return rows[0] as { written: number; inserted: number };
  }

  /** One INSERT .. ON CONFLICT DO UPDATE for every item; returns the stored rows in input order. */
  private static async upsertObservations(
    ctx: RequestContext,
    em: EntityManager,
    items: { cityId: number; input: AirQualityObservationInput }[],
  ): Promise<{ rows: AirQualityObservation[]; inserted: number; replaced: number }> {
    const records = items.map(({ cityId, input }) => observationRecord(cityId, input));
    const actor = ctx.actor.id;
    const result = await knexOf(em).raw(
      observationUpsertSql(`json_to_recordset(?::json) as x(${OBSERVATION_RECORD_COLUMNS})`, '*, (xmax = 0) as inserted'),
      [...observationWrittenBy(actor, null), JSON.stringify(records)],
    );
    const byKey = new Map<string, AirQualityObservation>();
    let inserted = 0;
    for (const row of result.rows as Record<string, unknown>[]) {
      if (row.inserted) inserted++;
      delete row.inserted;
      const entity = em.map(AirQualityObservation, row as never);
      byKey.set(`${entity.cityId}|${entity.observedOn}|${entity.stationCode ?? ''}`, entity);
    }
    const rows = records.map((r) => byKey.get(`${r.city_id}|${r.observed_on}|${r.station_code ?? ''}`)!);
    return { rows, inserted, replaced: rows.length - inserted };
  }

  /** Creates or replaces the outcome target of a city for a campaign. */
  static async setOutcomeTarget(ctx: RequestContext, em: EntityManager, input: SetOutcomeTargetInput): Promise<OutcomeTarget> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(['input', 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    const campaign = await em.findOne(Campaign, { code: input.campaign });
    if (!campaign) v.add(['input', 'campaign'], UserErrorCode.NOT_FOUND, `No campaign with code "${input.campaign}".`);
    const positive = (field: string, value: number | null | undefined) => {
      if (value === null || value === undefined) return;
      if (!Number.isFinite(value) || value <= 0 || value > MAX_PM25_TARGET) {
        v.add(['input', field], UserErrorCode.OUT_OF_RANGE, `Must be above 0 and at most ${MAX_PM25_TARGET} ug/m3.`);
      }
    };
    positive('pm25Target', input.pm25Target);
    positive('annualPm25Target', input.annualPm25Target);
    if (!Number.isInteger(input.heavyDaysTarget) || input.heavyDaysTarget < 0) {
      v.add(['input', 'heavyDaysTarget'], UserErrorCode.OUT_OF_RANGE, 'Must be a whole number of days, 0 or more.');
    } else if (campaign) {
      const periodDays = Math.round((Date.parse(campaign.periodEnd) - Date.parse(campaign.periodStart)) / 86_400_000) + 1;
      if (input.heavyDaysTarget > periodDays) {
        v.add(['input', 'heavyDaysTarget'], UserErrorCode.OUT_OF_RANGE, `Must not exceed the ${periodDays} days of the campaign period.`);
      }
    }
    v.throwIfAny();
    if (input.version !== null && input.version !== undefined) {
      const current = await knexOf(em).raw(`select version from outcome_target where city_id = ? and campaign_id = ? for update`, [city!.id, campaign!.id]);
      const version = current.rows[0]?.version as number | undefined;
      if (version !== input.version) {
        throw LedgerError.of(
          ['input', 'version'],
          UserErrorCode.CONFLICT,
          version === undefined
            ? `${city!.nameEn} has no outcome target for this campaign yet; omit version to set one.`
            : `The outcome target is at version ${version}, not ${input.version}; reload it and retry.`,
        );
      }
    }
    const actor = ctx.actor.id;
    const result = await knexOf(em).raw(
      `insert into outcome_target
         (city_id, campaign_id, pm25_target, heavy_days_target, annual_pm25_target, origin, created_by, updated_by)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (city_id, campaign_id) do update set
         pm25_target = excluded.pm25_target, heavy_days_target = excluded.heavy_days_target,
         annual_pm25_target = excluded.annual_pm25_target, origin = excluded.origin,
         updated_by = excluded.updated_by, updated_at = now(), version = outcome_target.version + 1
       returning *`,
      [city!.id, campaign!.id, input.pm25Target, input.heavyDaysTarget, input.annualPm25Target ?? null, DataOrigin.RECORDED, actor, actor],
    );
    return em.map(OutcomeTarget, (result.rows as Record<string, unknown>[])[0] as never);
  }
}
