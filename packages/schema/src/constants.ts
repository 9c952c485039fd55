/** A daily PM2.5 mean above this (ug/m3) is a heavy-or-worse pollution day (HJ 633-2012, IAQI 200). */
export const HEAVY_POLLUTION_PM25_THRESHOLD = 150;
/** A daily AQI above this is a heavy-or-worse pollution day. */
export const HEAVY_POLLUTION_AQI_THRESHOLD = 200;

/**
 * Data validity of PM2.5 statistics (GB 3095-2012 section 8.3, table 4; the same rule in HJ 663-2013):
 * an annual mean needs at least 324 daily means in the year and at least 27 in each month
 * (25 in February). A campaign period is judged month by month with the same monthly rule: a
 * month may miss at most as many days as the standard allows it (4 of 31, 3 of 30, 3 or 4 of
 * February's 28 or 29), a month only partly in the period the same number of its days.
 */
export const VALID_DAILY_VALUES_PER_YEAR = 324;
/** Daily means a calendar month needs (February: VALID_DAILY_VALUES_FEBRUARY). */
export const VALID_DAILY_VALUES_PER_MONTH = 27;
/** Daily means February needs. */
export const VALID_DAILY_VALUES_FEBRUARY = 25;
