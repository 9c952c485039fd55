import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, WarningChangeKind, type WarningLevel } from '@airledger/schema';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { inScope, READS, requireRead, requireWritableCity, scopeCondition } from '../../common/auth.js';
import { todayInChina } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { Forecast, ForecastDay, RegionalLinkage, RegionalLinkageCity, Warning, WarningChange } from './warning.entity.js';
import { compareLevels, flagReasons, type ForecastPoint } from './warning.rules.js';
import type { ChangeWarningInput, IssueWarningInput, LiftWarningInput } from './warning.types.js';

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
  let key: number;
  try {
    key = parseId(id, 'input.forecastId');
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    v.issues.push(...error.issues);
    return null;
  }
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
