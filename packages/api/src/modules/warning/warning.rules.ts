import { WarningFlagReason, WarningLevel } from '@airledger/schema';
import { todayInChina } from '../../common/scalars.js';

/**
 * The level rule of the MEE guidance on revising heavy-pollution emergency plans (2018), kept
 * as data: a level is implied by a forecast series when the series has at least `daysOver200`
 * days with AQI > 200 and at least `daysOver300` of them with AQI > 300, or (`anyDayAtLeast`)
 * any day with AQI >= that value. The most severe level whose condition holds wins.
 */
export interface LevelThreshold {
  level: WarningLevel;
  /** Days with AQI strictly above 200 the series needs. */
  daysOver200: number;
  /** Days with AQI strictly above 300 the series needs. */
  daysOver300: number;
  /** Any single day at or above this AQI implies the level by itself (null: no such clause). */
  anyDayAtLeast: number | null;
}

/** The thresholds, from the most severe level to the least. */
export const LEVEL_THRESHOLDS: readonly LevelThreshold[] = [
  { level: WarningLevel.RED, daysOver200: 4, daysOver300: 2, anyDayAtLeast: 500 },
  { level: WarningLevel.ORANGE, daysOver200: 3, daysOver300: 1, anyDayAtLeast: null },
  { level: WarningLevel.YELLOW, daysOver200: 2, daysOver300: 0, anyDayAtLeast: null },
];

/** AQI above which a forecast day counts as heavily polluted (重度污染) for the rule. */
export const HEAVY_AQI = 200;
/** AQI above which a forecast day counts as severely polluted (严重污染) for the rule. */
export const SEVERE_AQI = 300;
/** Days a warning may run beyond the last forecast day with AQI > 200 before it is flagged LONGER_THAN_FORECAST. */
export const EXTENSION_TOLERANCE_DAYS = 1;

const SEVERITY: Record<WarningLevel, number> = { [WarningLevel.YELLOW]: 1, [WarningLevel.ORANGE]: 2, [WarningLevel.RED]: 3 };

/** Orders levels: negative when a is less severe than b. */
export function compareLevels(a: WarningLevel, b: WarningLevel): number {
  return SEVERITY[a] - SEVERITY[b];
}

/** The level a forecast series (daily AQIs) implies; null when it implies no warning. */
export function impliedLevel(aqis: readonly number[], thresholds: readonly LevelThreshold[] = LEVEL_THRESHOLDS): WarningLevel | null {
  const over200 = aqis.filter((a) => a > HEAVY_AQI).length;
  const over300 = aqis.filter((a) => a > SEVERE_AQI).length;
  const max = aqis.length ? Math.max(...aqis) : -Infinity;
  for (const t of thresholds) {
    if ((t.anyDayAtLeast !== null && max >= t.anyDayAtLeast) || (over200 >= t.daysOver200 && over300 >= t.daysOver300)) return t.level;
  }
  return null;
}

/** A forecast day as the flagging rule sees it. */
export interface ForecastPoint {
  day: string;
  aqi: number;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Why a warning goes further than its forecast implies (empty: it does not). A warning that
 * departs from its linkage's level is flagged too. `plannedEnd` is compared by its day in China:
 * the response may run until the end of the day after the last forecast day with AQI > 200
 * (EXTENSION_TOLERANCE_DAYS), not beyond.
 */
export function flagReasons(
  warning: { level: WarningLevel; plannedEnd: Date },
  forecast: readonly ForecastPoint[] | null,
  linkageLevel: WarningLevel | null = null,
): WarningFlagReason[] {
  const reasons: WarningFlagReason[] = [];
  if (!forecast) reasons.push(WarningFlagReason.NO_FORECAST);
  else {
    const implied = impliedLevel(forecast.map((p) => p.aqi));
    if (implied === null) reasons.push(WarningFlagReason.FORECAST_BELOW_WARNING);
    else if (compareLevels(warning.level, implied) > 0) reasons.push(WarningFlagReason.LEVEL_ABOVE_FORECAST);
    const heavyDays = forecast.filter((p) => p.aqi > HEAVY_AQI).map((p) => p.day).sort();
    if (heavyDays.length) {
      // The planned end is an instant; the response covers the day up to it, so an end at
      // 00:00 of a day covers nothing of that day.
      const lastCovered = todayInChina(new Date(warning.plannedEnd.getTime() - 1));
      if (lastCovered > addDays(heavyDays[heavyDays.length - 1]!, EXTENSION_TOLERANCE_DAYS)) reasons.push(WarningFlagReason.LONGER_THAN_FORECAST);
    }
  }
  if (linkageLevel !== null && linkageLevel !== warning.level) reasons.push(WarningFlagReason.LINKAGE_LEVEL_NOT_FOLLOWED);
  return reasons;
}
