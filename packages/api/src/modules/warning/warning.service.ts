import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, WarningChangeKind, type WarningLevel } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { idInto, parseId } from '../../common/ids.js';
import { forbidden, inScope, READS, requireRead, requireWritableCity, requireWriter, scopeCityIds, scopeCondition } from '../../common/auth.js';
import { SortDirection } from '../../common/pagination.js';
import { daysBetween, todayInChina } from '../../common/scalars.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange } from './warning.entity.js';
import { compareLevels, flagReasons, type ForecastPoint } from './warning.rules.js';
import {
  LinkageFollowing,
  MAX_FORECAST_DAYS,
  MAX_FORECASTS_PER_BATCH,
  type ChangeWarningInput,
  type ForecastInput,
  type IssueRegionalLinkageInput,
  type IssueWarningInput,
  type LiftRegionalLinkageInput,
  type LiftWarningInput,
  type LinkedCity,
} from './warning.types.js';

const f = (name: string) => ['input', name];
export const WARNING_LIMITS = { authorityLength: 200, noteLength: 4000 } as const;

/** The forecast days a warning is judged against: those of its forecast from the day its response starts. */
async function forecastPoints(em: EntityManager, forecastId: number | null, from: Date): Promise<ForecastPoint[] | null> {
  if (forecastId === null) return null;
  const days = await em.find(ForecastDay, { forecastId, day: { $gte: todayInChina(from) } }, { orderBy: { day: 'asc' } });
  return days.map((d) => ({ day: d.day, aqi: d.aqi }));
}

/** Recomputes a warning's flags from its forecast and linkage. */
export async function computeFlags(em: EntityManager, w: Pick<Warning, 'level' | 'plannedEnd' | 'effectiveFrom' | 'forecastId' | 'linkageId'>) {
  const linkage = w.linkageId !== null ? await em.findOne(RegionalLinkage, { id: w.linkageId }) : null;
  return flagReasons(w, await forecastPoints(em, w.forecastId, w.effectiveFrom), linkage?.level ?? null);
}

async function findForecast(em: EntityManager, v: Violations, id: string, city: City | null, notAfter: Date): Promise<Forecast | null> {
  const key = idInto(v, id, 'input.forecastId');
  if (key === null) return null;
  const forecast = await em.findOne(Forecast, { id: key });
  if (!forecast) v.add(f('forecastId'), UserErrorCode.NOT_FOUND, `No forecast with id "${id}".`);
  else if (city && forecast.cityId !== city.id) v.add(f('forecastId'), UserErrorCode.NOT_ALLOWED, `The forecast is of another city than ${city.slug}.`);
  else if (forecast.issuedAt > notAfter) v.add(f('forecastId'), UserErrorCode.INVALID_DATE, 'The forecast was issued after the warning: a warning rests on a forecast issued before it.');
  else return forecast;
  return null;
}

function checkText(v: Violations, name: string, value: string | null | undefined, max: number, required: boolean): void {
  if (value === null || value === undefined) {
    if (required) v.add(f(name), UserErrorCode.REQUIRED, 'Required.');
    return;
  }
  if (required && !value.trim()) v.add(f(name), UserErrorCode.REQUIRED, 'Cannot be empty.');
  else if (value.length > max) v.add(f(name), UserErrorCode.OUT_OF_RANGE, `At most ${max} characters.`);
}

/** The latest change of a warning (its history is append-only and dated). */
async function latestChange(em: EntityManager, warningId: number): Promise<WarningChange | null> {
  return em.findOne(WarningChange, { warningId }, { orderBy: { effectiveAt: 'desc', id: 'desc' } });
}

/** Loads an open warning for a change, locked, checking scope and version. */
async function lockWarning(ctx: RequestContext, em: EntityManager, id: string, version: number | null | undefined): Promise<Warning> {
  const key = parseId(id, 'input.id');
  const warning = await em.findOne(Warning, { id: key, ...scopeCondition(ctx) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!warning) throw notFound('warning', 'input.id', id);
  const city = await em.findOneOrFail(City, { id: warning.cityId });
  requireWritableCity(ctx, city.id, city.nameEn);
  if (version != null && version !== warning.version) {
    throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The warning is at version ${warning.version}, not ${version}: reload it and retry.`);
  }
  if (warning.liftedAt) throw LedgerError.of(f('id'), UserErrorCode.INVALID_TRANSITION, `The warning was lifted at ${warning.liftedAt.toISOString()}: issue a new one.`);
  return warning;
}

function checkEffectiveAt(v: Violations, name: string, at: Date, after: Date): void {
  if (at.getTime() > Date.now()) v.add(f(name), UserErrorCode.INVALID_DATE, `${at.toISOString()} is in the future.`);
  else if (at < after) v.add(f(name), UserErrorCode.INVALID_DATE, `Before the latest change of the warning (${after.toISOString()}).`);
}

export class WarningService {
  /** A warning by id, within the caller's cities (NOT_FOUND otherwise). */
  static async warning(ctx: RequestContext, id: string | number): Promise<Warning> {
    requireRead(ctx, READS.warnings);
    const key = typeof id === 'number' ? id : parseId(id, 'id');
    const warning = await ctx.loaders.byId(Warning).load(key);
    if (!warning || !inScope(ctx, warning.cityId)) throw notFound('warning', 'id', id);
    return warning;
  }

  static changesOf(ctx: RequestContext, warning: Warning): Promise<WarningChange[]> {
    return ctx.loaders.manyBy(WarningChange, 'warningId').load(warning.id);
  }

  static cityOf(ctx: RequestContext, row: { cityId: number }): Promise<City> {
    return ctx.loaders.byId(City).load(row.cityId) as Promise<City>;
  }

  static forecastOf(ctx: RequestContext, row: { forecastId: number | null }): Promise<Forecast | null> {
    return row.forecastId === null ? Promise.resolve(null) : ctx.loaders.byId(Forecast).load(row.forecastId);
  }

  static linkageOf(ctx: RequestContext, row: { linkageId: number | null }): Promise<RegionalLinkage | null> {
    return row.linkageId === null ? Promise.resolve(null) : ctx.loaders.byId(RegionalLinkage).load(row.linkageId);
  }

  static async issue(ctx: RequestContext, em: EntityManager, input: IssueWarningInput): Promise<Warning> {
    const v = new Violations();
    const city = await em.findOne(City, { slug: input.city });
    if (!city) v.add(f('city'), UserErrorCode.NOT_FOUND, `No city with slug "${input.city}".`);
    else requireWritableCity(ctx, city.id, city.nameEn);
    const issuedAt = input.issuedAt ?? new Date();
    if (issuedAt.getTime() > Date.now()) v.add(f('issuedAt'), UserErrorCode.INVALID_DATE, `${issuedAt.toISOString()} is in the future.`);
    if (input.effectiveFrom < issuedAt) v.add(f('effectiveFrom'), UserErrorCode.INVALID_DATE, 'The response cannot start before the warning is issued.');
    if (input.plannedEnd <= input.effectiveFrom) v.add(f('plannedEnd'), UserErrorCode.INVALID_DATE, 'The planned end must be after the start of the response.');
    checkText(v, 'authority', input.authority, WARNING_LIMITS.authorityLength, true);
    checkText(v, 'note', input.note, WARNING_LIMITS.noteLength, false);
    const forecast = input.forecastId != null ? await findForecast(em, v, input.forecastId, city, issuedAt) : null;
    let linkage: RegionalLinkage | null = null;
    if (input.linkageId != null) {
      const key = parseId(input.linkageId, 'input.linkageId');
      linkage = await em.findOne(RegionalLinkage, { id: key });
      if (!linkage) v.add(f('linkageId'), UserErrorCode.NOT_FOUND, `No regional linkage with id "${input.linkageId}".`);
      else if (city && !(await em.count(RegionalLinkageCity, { linkageId: linkage.id, cityId: city.id }))) {
        v.add(f('linkageId'), UserErrorCode.NOT_ALLOWED, `${city.slug} is not one of the cities of the linkage.`);
      } else if (linkage.liftedAt) v.add(f('linkageId'), UserErrorCode.NOT_ALLOWED, 'The linkage was lifted.');
    }
    if (city) {
      const open = await em.findOne(Warning, { cityId: city.id, liftedAt: null });
      if (open) v.add(f('city'), UserErrorCode.NOT_ALLOWED, `${city.slug} has an open ${open.level} warning (id ${open.id}): change or lift it; one warning per city at a time.`);
    }
    v.throwIfAny();

    const state = {
      cityId: city!.id,
      level: input.level,
      issuedAt,
      effectiveFrom: input.effectiveFrom,
      plannedEnd: input.plannedEnd,
      forecastId: forecast?.id ?? null,
      linkageId: linkage?.id ?? null,
    };
    const warning = em.create(Warning, {
      ...state,
      liftedAt: null,
      authority: input.authority.trim(),
      note: input.note ?? null,
      flagReasons: await computeFlags(em, state),
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    em.create(WarningChange, {
      warningId: warning.id,
      cityId: warning.cityId,
      kind: WarningChangeKind.ISSUED,
      effectiveAt: warning.effectiveFrom,
      level: warning.level,
      previousLevel: null,
      plannedEnd: warning.plannedEnd,
      previousPlannedEnd: null,
      forecastId: warning.forecastId,
      note: warning.note,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    return warning;
  }

  static async change(ctx: RequestContext, em: EntityManager, input: ChangeWarningInput): Promise<Warning> {
    const warning = await lockWarning(ctx, em, input.id, input.version);
    const city = await em.findOneOrFail(City, { id: warning.cityId });
    const v = new Violations();
    const latest = await latestChange(em, warning.id);
    const effectiveAt = input.effectiveAt ?? new Date();
    checkEffectiveAt(v, 'effectiveAt', effectiveAt, latest?.effectiveAt ?? warning.effectiveFrom);
    checkText(v, 'note', input.note, WARNING_LIMITS.noteLength, false);
    const level: WarningLevel = input.level ?? warning.level;
    const plannedEnd = input.plannedEnd ?? warning.plannedEnd;
    const levelMoves = level !== warning.level;
    const extends_ = plannedEnd.getTime() !== warning.plannedEnd.getTime();
    if (!levelMoves && !extends_) v.add(f('level'), UserErrorCode.REQUIRED, 'Nothing changes: give another level or a later planned end.');
    if (plannedEnd < warning.plannedEnd) v.add(f('plannedEnd'), UserErrorCode.NOT_ALLOWED, 'A planned end cannot move earlier: lift the warning when the episode ends.');
    if (extends_ && plannedEnd <= effectiveAt) v.add(f('plannedEnd'), UserErrorCode.INVALID_DATE, 'The new planned end is not after the change.');
    const forecast = input.forecastId != null ? await findForecast(em, v, input.forecastId, city, effectiveAt) : null;
    v.throwIfAny();

    const before = { level: warning.level, plannedEnd: warning.plannedEnd };
    const forecastId = forecast?.id ?? warning.forecastId;
    const record = (kind: WarningChangeKind, after: { level: WarningLevel; plannedEnd: Date }, prev: { level: WarningLevel; plannedEnd: Date }) =>
      em.create(WarningChange, {
        warningId: warning.id,
        cityId: warning.cityId,
        kind,
        effectiveAt,
        level: after.level,
        previousLevel: prev.level,
        plannedEnd: after.plannedEnd,
        previousPlannedEnd: prev.plannedEnd,
        forecastId,
        note: input.note ?? null,
        origin: DataOrigin.RECORDED,
        createdBy: ctx.actor.id,
        updatedBy: ctx.actor.id,
      });
    if (levelMoves) record(compareLevels(level, before.level) > 0 ? WarningChangeKind.RAISED : WarningChangeKind.LOWERED, { level, plannedEnd: before.plannedEnd }, before);
    if (extends_) record(WarningChangeKind.EXTENDED, { level, plannedEnd }, { level, plannedEnd: before.plannedEnd });
    const state = { level, plannedEnd, forecastId, effectiveFrom: warning.effectiveFrom, linkageId: warning.linkageId };
    em.assign(warning, { level, plannedEnd, forecastId, flagReasons: await computeFlags(em, state), updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return warning;
  }

  static async lift(ctx: RequestContext, em: EntityManager, input: LiftWarningInput): Promise<Warning> {
    const warning = await lockWarning(ctx, em, input.id, input.version);
    const v = new Violations();
    const latest = await latestChange(em, warning.id);
    const liftedAt = input.liftedAt ?? new Date();
    checkEffectiveAt(v, 'liftedAt', liftedAt, latest?.effectiveAt ?? warning.effectiveFrom);
    checkText(v, 'note', input.note, WARNING_LIMITS.noteLength, false);
    v.throwIfAny();
    em.create(WarningChange, {
      warningId: warning.id,
      cityId: warning.cityId,
      kind: WarningChangeKind.LIFTED,
      effectiveAt: liftedAt,
      level: warning.level,
      previousLevel: warning.level,
      plannedEnd: warning.plannedEnd,
      previousPlannedEnd: warning.plannedEnd,
      forecastId: warning.forecastId,
      note: input.note ?? null,
      origin: DataOrigin.RECORDED,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    em.assign(warning, { liftedAt, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return warning;
  }
}

// ------------------------------------------------------------------------------------- forecasts

export class ForecastService {
  static daysOf(ctx: RequestContext, forecast: Forecast): Promise<ForecastDay[]> {
    return ctx.loaders.manyBy(ForecastDay, 'forecastId', { property: 'day', direction: SortDirection.ASC }).load(forecast.id);
  }

  /** Records forecasts all or nothing; a forecast of the same city, source and instant is replaced (its days with it). */
  static async record(ctx: RequestContext, em: EntityManager, items: ForecastInput[]): Promise<Forecast[]> {
    const path = ['input', 'forecasts'];
    if (!items.length) throw LedgerError.of(path, UserErrorCode.REQUIRED, 'Give at least one forecast.');
    if (items.length > MAX_FORECASTS_PER_BATCH) throw LedgerError.of(path, UserErrorCode.OUT_OF_RANGE, `At most ${MAX_FORECASTS_PER_BATCH} forecasts per call.`);
    const v = new Violations();
    const cities = await em.find(City, { slug: { $in: [...new Set(items.map((i) => i.city))] } });
    for (const c of cities) requireWritableCity(ctx, c.id, c.nameEn);
    const bySlug = new Map(cities.map((c) => [c.slug, c]));
    const seen = new Map<string, number>();
    const now = Date.now();
    items.forEach((item, i) => {
      const at = [...path, String(i)];
      if (!bySlug.has(item.city)) v.add([...at, 'city'], UserErrorCode.NOT_FOUND, `No city with slug "${item.city}".`);
      if (item.issuedAt.getTime() > now) v.add([...at, 'issuedAt'], UserErrorCode.INVALID_DATE, `${item.issuedAt.toISOString()} is in the future.`);
      if (item.systemName && item.systemName.length > 200) v.add([...at, 'systemName'], UserErrorCode.OUT_OF_RANGE, 'At most 200 characters.');
      const key = `${item.city}|${item.source}|${item.issuedAt.toISOString()}`;
      const first = seen.get(key);
      if (first !== undefined) v.add([...at, 'issuedAt'], UserErrorCode.INVALID, `Same city, source and instant as item ${first}: give each forecast once.`);
      else seen.set(key, i);
      if (!item.days.length || item.days.length > MAX_FORECAST_DAYS) v.add([...at, 'days'], UserErrorCode.OUT_OF_RANGE, `A forecast has 1 to ${MAX_FORECAST_DAYS} days.`);
      const issueDay = todayInChina(item.issuedAt);
      const days = new Set<string>();
      item.days.forEach((d, j) => {
        const dp = [...at, 'days', String(j)];
        if (!Number.isInteger(d.aqi) || d.aqi < 0 || d.aqi > 500) v.add([...dp, 'aqi'], UserErrorCode.OUT_OF_RANGE, 'A daily AQI is an integer from 0 to 500.');
        if (d.day < issueDay || daysBetween(issueDay, d.day) > MAX_FORECAST_DAYS - 1) {
          v.add([...dp, 'day'], UserErrorCode.INVALID_DATE, `A forecast day is from the day of issue (${issueDay}) to ${MAX_FORECAST_DAYS - 1} days after it.`);
        }
        if (days.has(d.day)) v.add([...dp, 'day'], UserErrorCode.INVALID, `${d.day} is given twice.`);
        days.add(d.day);
      });
    });
    v.throwIfAny();

    const knex = knexOf(em);
    const rows = items.map((item) => ({ city_id: bySlug.get(item.city)!.id, issued_at: item.issuedAt.toISOString(), source: item.source, system_name: item.systemName ?? null }));
    const { rows: stored } = await knex.raw(
      `insert into forecast (city_id, issued_at, source, system_name, origin, created_by, updated_by)
       select x.city_id, x.issued_at, x.source, x.system_name, 'RECORDED', ?, ?
       from json_to_recordset(?::json) as x(city_id int, issued_at timestamptz, source text, system_name text)
       on conflict (city_id, source, issued_at) do update set system_name = excluded.system_name, origin = excluded.origin, updated_by = excluded.updated_by, updated_at = now()
       returning id, city_id, source, issued_at`,
      [ctx.actor.id, ctx.actor.id, JSON.stringify(rows)],
    );
    const idOf = new Map((stored as { id: number; city_id: number; source: string; issued_at: Date }[]).map((r) => [`${r.city_id}|${r.source}|${new Date(r.issued_at).toISOString()}`, r.id]));
    const ids = rows.map((r) => idOf.get(`${r.city_id}|${r.source}|${new Date(r.issued_at).toISOString()}`)!);
    await knex.raw(`delete from forecast_day where forecast_id = any(?::int[])`, [ids]);
    const days = items.flatMap((item, i) => item.days.map((d) => ({ forecast_id: ids[i], city_id: rows[i]!.city_id, day: d.day, aqi: d.aqi, primary_pollutant: d.primaryPollutant ?? null })));
    await knex.raw(
      `insert into forecast_day (forecast_id, city_id, day, aqi, primary_pollutant)
       select x.forecast_id, x.city_id, x.day, x.aqi, x.primary_pollutant from json_to_recordset(?::json) as x(forecast_id int, city_id int, day date, aqi int, primary_pollutant text)`,
      [JSON.stringify(days)],
    );
    const loaded = await em.find(Forecast, { id: { $in: ids } }, { refresh: true });
    const byId = new Map(loaded.map((f) => [f.id, f]));
    return ids.map((id) => byId.get(id)!);
  }
}

// ------------------------------------------------------------------------------------- regional linkages

export class RegionalLinkageService {
  static async linkage(ctx: RequestContext, id: string): Promise<RegionalLinkage> {
    requireRead(ctx, READS.regionalLinkages);
    const linkage = await ctx.loaders.byId(RegionalLinkage).load(parseId(id, 'id'));
    if (!linkage) throw notFound('regional linkage', 'id', id);
    return linkage;
  }

  /**
   * The linked cities (within the caller's cities) and whether each follows: its warning
   * answering the linkage at the linkage's level (FOLLOWING), at another level (OTHER_LEVEL), or
   * none (NO_WARNING). One statement per request for every linkage of the page.
   */
  static async citiesOf(ctx: RequestContext, linkage: RegionalLinkage): Promise<LinkedCity[]> {
    const rows = await ctx.loaders
      .custom<number, { linkage_id: number; city_id: number; warning_id: number | null }[]>('linkageCities', async (ids) => {
        const scope = scopeCityIds(ctx);
        const { rows } = await knexOf(ctx.em).raw(
          `select lc.linkage_id, lc.city_id, w.id as warning_id
           from regional_linkage_city lc
           left join lateral (select id from warning w where w.linkage_id = lc.linkage_id and w.city_id = lc.city_id order by w.issued_at desc, w.id desc limit 1) w on true
           where lc.linkage_id = any(?::int[]) ${scope ? 'and lc.city_id = any(?::int[])' : ''}
           order by lc.linkage_id, lc.city_id`,
          scope ? [[...ids], scope] : [[...ids]],
        );
        return ids.map((id) => (rows as { linkage_id: number; city_id: number; warning_id: number | null }[]).filter((r) => r.linkage_id === id));
      })
      .load(linkage.id);
    return Promise.all(
      rows.map(async (r) => {
        const [city, warning] = await Promise.all([ctx.loaders.byId(City).load(r.city_id), r.warning_id === null ? null : ctx.loaders.byId(Warning).load(r.warning_id)]);
        const following = !warning ? LinkageFollowing.NO_WARNING : warning.level === linkage.level ? LinkageFollowing.FOLLOWING : LinkageFollowing.OTHER_LEVEL;
        return { city: city!, warning, following };
      }),
    );
  }

  static async issue(ctx: RequestContext, em: EntityManager, input: IssueRegionalLinkageInput): Promise<RegionalLinkage> {
    requireWriter(ctx);
    if (ctx.actor.role !== 'MINISTRY' && ctx.actor.role !== 'PROVINCE' && ctx.actor.role !== 'SYSTEM') {
      throw forbidden('Only the ministry, or a province for its cities, issues a regional linkage.');
    }
    const v = new Violations();
    const slugs = input.cities;
    if (!slugs.length || slugs.length > 60) v.add(f('cities'), UserErrorCode.OUT_OF_RANGE, 'A linkage has 1 to 60 cities.');
    const cities = await em.find(City, { slug: { $in: slugs } });
    const bySlug = new Map(cities.map((c) => [c.slug, c]));
    const seen = new Set<string>();
    slugs.forEach((slug, i) => {
      if (!bySlug.has(slug)) v.add(['input', 'cities', String(i)], UserErrorCode.NOT_FOUND, `No city with slug "${slug}".`);
      else if (ctx.actor.role === 'PROVINCE' && bySlug.get(slug)!.provinceId !== ctx.actor.provinceId) {
        v.add(['input', 'cities', String(i)], UserErrorCode.NOT_ALLOWED, `${slug} is not a city of your province: a province links its own cities; the ministry links across provinces.`);
      }
      if (seen.has(slug)) v.add(['input', 'cities', String(i)], UserErrorCode.INVALID, `${slug} is given twice.`);
      seen.add(slug);
    });
    const issuedAt = input.issuedAt ?? new Date();
    if (issuedAt.getTime() > Date.now()) v.add(f('issuedAt'), UserErrorCode.INVALID_DATE, `${issuedAt.toISOString()} is in the future.`);
    if (input.effectiveFrom < issuedAt) v.add(f('effectiveFrom'), UserErrorCode.INVALID_DATE, 'The response cannot start before the linkage is issued.');
    if (input.plannedEnd <= input.effectiveFrom) v.add(f('plannedEnd'), UserErrorCode.INVALID_DATE, 'The planned end must be after the start of the response.');
    checkText(v, 'authority', input.authority, WARNING_LIMITS.authorityLength, true);
    checkText(v, 'note', input.note, WARNING_LIMITS.noteLength, false);
    v.throwIfAny();
    const linkage = em.create(RegionalLinkage, {
      provinceId: ctx.actor.role === 'PROVINCE' ? ctx.actor.provinceId! : null,
      level: input.level,
      authority: input.authority.trim(),
      issuedAt,
      effectiveFrom: input.effectiveFrom,
      plannedEnd: input.plannedEnd,
      liftedAt: null,
      note: input.note ?? null,
      origin: DataOrigin.RECORDED,
      version: 1,
      createdBy: ctx.actor.id,
      updatedBy: ctx.actor.id,
    });
    await em.flush();
    for (const slug of slugs) em.create(RegionalLinkageCity, { linkageId: linkage.id, cityId: bySlug.get(slug)!.id });
    await em.flush();
    return linkage;
  }

  static async lift(ctx: RequestContext, em: EntityManager, input: LiftRegionalLinkageInput): Promise<RegionalLinkage> {
    requireWriter(ctx);
    const linkage = await em.findOne(RegionalLinkage, { id: parseId(input.id, 'input.id') }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!linkage) throw notFound('regional linkage', 'input.id', input.id);
    const mayLift = ctx.actor.role === 'MINISTRY' || ctx.actor.role === 'SYSTEM' || (ctx.actor.role === 'PROVINCE' && linkage.provinceId === ctx.actor.provinceId);
    if (!mayLift) throw forbidden('Only the authority that issued a regional linkage (the ministry, or its province) lifts it.');
    if (input.version != null && input.version !== linkage.version) {
      throw LedgerError.of(f('version'), UserErrorCode.CONFLICT, `The linkage is at version ${linkage.version}, not ${input.version}: reload it and retry.`);
    }
    if (linkage.liftedAt) throw LedgerError.of(f('id'), UserErrorCode.INVALID_TRANSITION, 'The linkage is lifted already.');
    const liftedAt = input.liftedAt ?? new Date();
    const v = new Violations();
    checkEffectiveAt(v, 'liftedAt', liftedAt, linkage.issuedAt);
    v.throwIfAny();
    em.assign(linkage, { liftedAt, updatedBy: ctx.actor.id, updatedAt: new Date() });
    await em.flush();
    return linkage;
  }
}
