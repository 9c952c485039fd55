import { describe, expect, it } from 'vitest';
import { WarningFlagReason, WarningLevel } from '@airledger/schema';
import { compareLevels, flagReasons, impliedLevel, LEVEL_THRESHOLDS } from './warning.rules.js';

const { YELLOW, ORANGE, RED } = WarningLevel;

/** The level rule over forecast series: each threshold, the edges 200/300/500 and the day counts. */
const CASES: [string, number[], WarningLevel | null][] = [
  ['no day over 200', [150, 180, 199, 200], null],
  ['one day over 200 is not enough', [201, 150, 150], null],
  ['200 itself does not count (strictly above)', [200, 200, 200, 200, 200], null],
  ['2 days at 201: YELLOW', [201, 201], YELLOW],
  ['2 days over 200, not consecutive: YELLOW', [250, 150, 260], YELLOW],
  ['3 days over 200, none over 300: YELLOW', [250, 260, 270], YELLOW],
  ['3 days over 200 with 300 itself: still YELLOW (strictly above 300)', [250, 300, 270], YELLOW],
  ['3 days over 200 with 301 once: ORANGE', [250, 301, 270], ORANGE],
  ['2 days over 200 with one over 300: YELLOW (ORANGE needs 3 days)', [220, 350, 150], YELLOW],
  ['4 days over 200 with one over 300: ORANGE', [220, 350, 230, 240], ORANGE],
  ['4 days over 200 with two over 300: RED', [220, 350, 310, 240], RED],
  ['4 days over 200 with 300 and 301: ORANGE', [220, 300, 301, 240], ORANGE],
  ['3 days over 200 with three over 300: ORANGE (RED needs 4 days)', [320, 350, 310], ORANGE],
  ['one day reaching 500: RED', [120, 500], RED],
  ['499 alone: nothing', [499], null],
  ['500 alone: RED', [500], RED],
  ['empty series: nothing', [], null],
];

describe('the level rule (MEE 2018 guidance)', () => {
  it.each(CASES)('%s', (_name, series, level) => {
    expect(impliedLevel(series)).toBe(level);
  });

  it('keeps the thresholds as data, most severe first', () => {
    expect(LEVEL_THRESHOLDS.map((t) => [t.level, t.daysOver200, t.daysOver300, t.anyDayAtLeast])).toEqual([
      [RED, 4, 2, 500],
      [ORANGE, 3, 1, null],
      [YELLOW, 2, 0, null],
    ]);
    // Other thresholds change the answer: the rule reads them, it does not hard-code them.
    expect(impliedLevel([210, 220], [{ level: ORANGE, daysOver200: 2, daysOver300: 0, anyDayAtLeast: null }])).toBe(ORANGE);
  });

  it('orders levels', () => {
    expect(compareLevels(YELLOW, ORANGE)).toBeLessThan(0);
    expect(compareLevels(RED, ORANGE)).toBeGreaterThan(0);
    expect(compareLevels(RED, RED)).toBe(0);
  });
});

describe('flags of a warning against its forecast', () => {
  const days = (first: string, aqis: number[]) =>
    aqis.map((aqi, i) => ({ day: new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10), aqi }));
  const end = (isoDay: string) => new Date(`${isoDay}T00:00:00+08:00`);
  const forecast = days('2023-12-10', [230, 260, 310, 240, 150]); // ORANGE implied; last heavy day the 13th

  it('flags nothing for a warning its forecast implies', () => {
    expect(flagReasons({ level: ORANGE, plannedEnd: end('2023-12-14') }, forecast)).toEqual([]);
    expect(flagReasons({ level: YELLOW, plannedEnd: end('2023-12-14') }, forecast)).toEqual([]);
  });
  it('flags a level above the forecast', () => {
    expect(flagReasons({ level: RED, plannedEnd: end('2023-12-14') }, forecast)).toEqual([WarningFlagReason.LEVEL_ABOVE_FORECAST]);
  });
  it('allows one day beyond the last heavy day, flags more', () => {
    expect(flagReasons({ level: ORANGE, plannedEnd: end('2023-12-15') }, forecast)).toEqual([]); // covers the 14th
    expect(flagReasons({ level: ORANGE, plannedEnd: new Date(end('2023-12-15').getTime() + 1) }, forecast)).toEqual([WarningFlagReason.LONGER_THAN_FORECAST]);
  });
  it('flags a warning without forecast, or whose forecast implies none', () => {
    expect(flagReasons({ level: YELLOW, plannedEnd: end('2023-12-14') }, null)).toEqual([WarningFlagReason.NO_FORECAST]);
    expect(flagReasons({ level: YELLOW, plannedEnd: end('2023-12-11') }, days('2023-12-10', [210, 150]))).toEqual([WarningFlagReason.FORECAST_BELOW_WARNING]);
  });
  it('flags a warning that departs from its linkage level, with the other reasons', () => {
    expect(flagReasons({ level: YELLOW, plannedEnd: end('2023-12-14') }, forecast, ORANGE)).toEqual([WarningFlagReason.LINKAGE_LEVEL_NOT_FOLLOWED]);
    expect(flagReasons({ level: RED, plannedEnd: end('2023-12-14') }, forecast, ORANGE)).toEqual([WarningFlagReason.LEVEL_ABOVE_FORECAST, WarningFlagReason.LINKAGE_LEVEL_NOT_FOLLOWED]);
  });
});
