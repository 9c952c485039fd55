/**
 * The daily air quality index of HJ 633-2012 (环境空气质量指数（AQI）技术规定（试行）): the
 * individual index (IAQI) of each pollutant by linear interpolation between the breakpoints of
 * its table 1, and the AQI as the largest IAQI. Pure functions, no I/O.
 */

/** IAQI values at the breakpoints (same for every pollutant). */
const IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/**
 * Concentration breakpoints of the daily values (24-hour means; O3 the daily maximum 8-hour
 * mean), ug/m3 except CO (mg/m3). O3_8H stops at 800 (IAQI 300): above it the standard switches
 * to the 1-hour value.
 */
export const DAILY_BREAKPOINTS = {
  so2: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  no2: [0, 40, 80, 180, 280, 565, 750, 940],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  co: [0, 2, 4, 14, 24, 36, 48, 60],
  o3: [0, 100, 160, 215, 265, 800],
  pm25: [0, 35, 75, 115, 150, 250, 350, 500],
} as const;

export type AqiPollutant = keyof typeof DAILY_BREAKPOINTS;

/** Daily concentrations; any may be missing. */
export type DailyConcentrations = Partial<Record<AqiPollutant, number | null>>;

/**
 * The individual air quality index of one pollutant, rounded up to a whole number as the standard
 * requires. Concentrations beyond the last breakpoint give the last level (500; 300 for O3 8-hour).
 */
export function iaqi(pollutant: AqiPollutant, concentration: number): number {
  if (!Number.isFinite(concentration) || concentration < 0) throw new RangeError(`Invalid ${pollutant} concentration: ${concentration}`);
  const bp = DAILY_BREAKPOINTS[pollutant];
  const last = bp.length - 1;
  if (concentration >= bp[last]) return IAQI_LEVELS[last];
  let i = 1;
  while (concentration > bp[i]) i++;
  const [cLo, cHi, iLo, iHi] = [bp[i - 1], bp[i], IAQI_LEVELS[i - 1], IAQI_LEVELS[i]];
  const value = ((iHi - iLo) / (cHi - cLo)) * (concentration - cLo) + iLo;
  // Guard against binary noise (e.g. 49.99999999 for an exact 50) before rounding up.
  return Math.ceil(Math.round(value * 1e9) / 1e9);
}

/** The daily AQI: the largest IAQI of the pollutants given; null when none is given. */
export function dailyAqi(c: DailyConcentrations): number | null {
  let aqi: number | null = null;
  for (const p of Object.keys(DAILY_BREAKPOINTS) as AqiPollutant[]) {
    const value = c[p];
    if (value === null || value === undefined) continue;
    const i = iaqi(p, value);
    if (aqi === null || i > aqi) aqi = i;
  }
  return aqi;
}

/**
 * The primary pollutants of a day (首要污染物): those whose IAQI equals the AQI, when the AQI is
 * above 50 (a "good" day has none).
 */
export function primaryPollutants(c: DailyConcentrations): AqiPollutant[] {
  const aqi = dailyAqi(c);
  if (aqi === null || aqi <= 50) return [];
  return (Object.keys(DAILY_BREAKPOINTS) as AqiPollutant[]).filter((p) => c[p] !== null && c[p] !== undefined && iaqi(p, c[p]!) === aqi);
}
