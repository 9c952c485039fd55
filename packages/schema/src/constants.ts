/** A daily PM2.5 mean above this (ug/m3) is a heavy-or-worse pollution day (HJ 633-2012, IAQI 200). */
export const HEAVY_POLLUTION_PM25_THRESHOLD = 150;
/** A daily AQI above this is a heavy-or-worse pollution day. */
export const HEAVY_POLLUTION_AQI_THRESHOLD = 200;
