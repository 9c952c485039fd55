import { describe, expect, it } from 'vitest';
import { dailyAqi, iaqi, primaryPollutants } from './aqi.js';

describe('IAQI of HJ 633-2012 (daily values)', () => {
  it('gives the IAQI level at each PM2.5 breakpoint', () => {
    expect([0, 35, 75, 115, 150, 250, 350, 500].map((c) => iaqi('pm25', c))).toEqual([0, 50, 100, 150, 200, 300, 400, 500]);
  });

  it('interpolates linearly between breakpoints and rounds up', () => {
    // (50 - 0) / (35 - 0) * 10 = 14.28... -> 15
    expect(iaqi('pm25', 10)).toBe(15);
    // (100 - 50) / (75 - 35) * (36 - 35) + 50 = 51.25 -> 52
    expect(iaqi('pm25', 36)).toBe(52);
    // (300 - 200) / (250 - 150) * (151 - 150) + 200 = 201: the first heavy-pollution value
    expect(iaqi('pm25', 151)).toBe(201);
    // PM10: (150 - 100) / (250 - 150) * (160 - 150) + 100 = 105
    expect(iaqi('pm10', 160)).toBe(105);
    // CO (mg/m3): (100 - 50) / (4 - 2) * (2.5 - 2) + 50 = 62.5 -> 63
    expect(iaqi('co', 2.5)).toBe(63);
    // NO2: (50 - 0) / (40 - 0) * 30 = 37.5 -> 38
    expect(iaqi('no2', 30)).toBe(38);
    // SO2: (100 - 50) / (150 - 50) * (100 - 50) + 50 = 75
    expect(iaqi('so2', 100)).toBe(75);
    // O3 8-hour: (150 - 100) / (215 - 160) * (180 - 160) + 100 = 118.18... -> 119
    expect(iaqi('o3', 180)).toBe(119);
  });

  it('does not round an exact value up because of binary noise', () => {
    // 0.1 * 3 is 0.30000000000000004 in binary; CO at 0.3 mg/m3 is exactly IAQI 7.5 -> 8, not 9.
    expect(iaqi('co', 0.1 * 3)).toBe(8);
    // 35.000000000000004 would give 50.000000000000006 without the guard.
    expect(iaqi('pm25', 0.35 * 100)).toBe(50);
  });

  it('caps at the last level: 500, and 300 for the O3 8-hour mean above 800', () => {
    expect(iaqi('pm25', 650)).toBe(500);
    expect(iaqi('pm10', 600)).toBe(500);
    expect(iaqi('o3', 900)).toBe(300);
  });

  it('rejects negative or non-finite concentrations', () => {
    expect(() => iaqi('pm25', -1)).toThrow(RangeError);
    expect(() => iaqi('no2', Number.NaN)).toThrow(RangeError);
  });
});

describe('daily AQI and primary pollutants', () => {
  it('is the largest IAQI of the pollutants given', () => {
    // PM2.5 80 -> 106.25 -> 107; PM10 160 -> 105; NO2 40 -> 50; CO 1 -> 25
    const day = { pm25: 80, pm10: 160, no2: 40, co: 1 };
    expect(dailyAqi(day)).toBe(107);
    expect(primaryPollutants(day)).toEqual(['pm25']);
  });

  it('ignores missing pollutants and is null without any', () => {
    expect(dailyAqi({ pm25: 151, pm10: null, o3: undefined })).toBe(201);
    expect(dailyAqi({})).toBeNull();
    expect(dailyAqi({ pm25: null })).toBeNull();
  });

  it('names every pollutant whose IAQI equals the AQI, and none on a good day', () => {
    // PM2.5 75 and PM10 150 are both exactly IAQI 100.
    expect(primaryPollutants({ pm25: 75, pm10: 150, no2: 20 })).toEqual(['pm10', 'pm25']);
    expect(primaryPollutants({ pm25: 20, pm10: 40 })).toEqual([]);
  });

  it('can be driven by PM10 on a dust day with moderate PM2.5', () => {
    // PM10 420 -> 300 (heavy by AQI) while PM2.5 120 -> (200 - 150) / (150 - 115) * 5 + 150 = 157.14 -> 158
    expect(dailyAqi({ pm25: 120, pm10: 420 })).toBe(300);
    expect(primaryPollutants({ pm25: 120, pm10: 420 })).toEqual(['pm10']);
  });
});
