/** The columns of the daily observations' files (common/columns.ts): the export writes them, the import reads them back. */
import { CITY_COLUMNS, CITY_JOIN, col, into, type LedgerColumns } from '../../common/columns.js';
import { HEAVY_DAY_SQL } from './air-quality.service.js';

/** Daily observations (recordAirQualityObservations writes a row). HEAVY_DAY_SQL is written on the alias o. */
export const OBSERVATION_COLUMNS: LedgerColumns = {
  alias: 'o',
  joins: [CITY_JOIN('o')],
  columns: [
    col.number('id', '编号', 'o.id'),
    ...CITY_COLUMNS,
    col.day('observed_on', '日期', 'o.observed_on', into('observedOn')),
    col.text('station_code', '站点编码', 'o.station_code', into('stationCode')),
    col.number('pm25', 'PM2.5', 'o.pm25', into('pm25')),
    col.number('pm10', 'PM10', 'o.pm10', into('pm10')),
    col.number('o3', 'O3', 'o.o3', into('o3')),
    col.number('no2', 'NO2', 'o.no2', into('no2')),
    col.number('so2', 'SO2', 'o.so2', into('so2')),
    col.number('co', 'CO', 'o.co', into('co')),
    col.number('aqi', 'AQI', 'o.aqi', into('aqi')),
    col.boolean('heavy_pollution', '重污染日', `coalesce(${HEAVY_DAY_SQL}, false)`),
    col.text('origin', '数据来源', 'o.origin'),
  ],
};
