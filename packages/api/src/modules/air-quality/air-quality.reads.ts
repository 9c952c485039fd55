/**
 * Compiled reads of daily air quality observations (common/compiled), with the filters and sorts
 * of air-quality.service.ts (observationListQuery, cityObservations) and the heavy-pollution
 * rule of air-quality.entity.ts (isHeavyPollutionDay).
 */
import { HEAVY_POLLUTION_AQI_THRESHOLD, HEAVY_POLLUTION_PM25_THRESHOLD } from '@airledger/schema';
import { SortDirection } from '../../common/pagination.js';
import { CANNOT, equals, filterRules, fixedOrder, orderFrom, placeRules, type ConditionRule, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { AirQualityObservation } from './air-quality.entity.js';
import { AirQualityObservationOrderField } from './air-quality.types.js';

const onOrAfter: FilterKeyRule = (value, q, t) => [`${t}.observed_on >= ${q.param(value, 'date')}`];
const onOrBefore: FilterKeyRule = (value, q, t) => [`${t}.observed_on <= ${q.param(value, 'date')}`];

/** The filter keys; stationCode and cityWideOnly together decide the station condition below. */
const keys = filterRules({
  ...placeRules(),
  from: onOrAfter,
  to: onOrBefore,
  stationCode: (value, q, t) => (value ? [`${t}.station_code = ${q.param(value, 'text')}`] : []),
  cityWideOnly: () => [],
  heavyPollutionOnly: (value, _q, t) =>
    value ? [`(${t}.pm25 > ${HEAVY_POLLUTION_PM25_THRESHOLD} or ${t}.aqi > ${HEAVY_POLLUTION_AQI_THRESHOLD})`] : [],
  origin: equals('origin', 'text'),
});

interface ObservationFilter {
  from?: string | null;
  to?: string | null;
  stationCode?: string | null;
  cityWideOnly?: boolean | null;
}

/** observationListQuery: city-wide means unless a station (or every station) is asked for; date range errors go to the resolvers. */
const observationWhere: ConditionRule = Object.assign((args: Record<string, unknown>, q: Parameters<ConditionRule>[1], t: string): ReturnType<ConditionRule> => {
  const filter = (args.filter ?? {}) as ObservationFilter;
  if (filter.from && filter.to && filter.from > filter.to) return CANNOT;
  if (filter.stationCode && filter.cityWideOnly === true) return CANNOT;
  const conditions = keys(args, q, t);
  if (conditions === CANNOT) return CANNOT;
  if (!filter.stationCode) conditions.push(filter.cityWideOnly === false ? `${t}.station_code is not null` : `${t}.station_code is null`);
  return conditions;
}, { keys: keys.keys, argument: keys.argument });

/** City.airQualityObservations(from, to): the city-wide means, oldest day first. */
const cityObservationWhere: ConditionRule = Object.assign((args: Record<string, unknown>, q: Parameters<ConditionRule>[1], t: string): ReturnType<ConditionRule> => {
  const { from, to } = args as ObservationFilter;
  if (from && to && from > to) return CANNOT;
  const conditions = [`${t}.station_code is null`];
  if (from) conditions.push(...(onOrAfter(from, q, t, 'from') as string[]));
  if (to) conditions.push(...(onOrBefore(to, q, t, 'to') as string[]));
  return conditions;
}, { parameters: ['from', 'to'] });

const byDay = { column: 'observed_on', kind: 'date' } as const;

export const AIR_QUALITY_READS: ReadModels = {
  types: [
    {
      type: 'AirQualityObservation',
      entity: AirQualityObservation,
      public: true,
      references: { city: { node: 'City', column: 'city_id' } },
      // isHeavyPollutionDay, on the same JavaScript numbers (float8).
      computed: {
        heavyPollution: (a) =>
          `(${a}.pm25::float8 > ${HEAVY_POLLUTION_PM25_THRESHOLD} or coalesce(${a}.aqi > ${HEAVY_POLLUTION_AQI_THRESHOLD}, false))::text`,
      },
    },
  ],
  extensions: [
    {
      type: 'City',
      connections: { airQualityObservations: { node: 'AirQualityObservation', parentColumn: 'city_id', order: fixedOrder(byDay, SortDirection.ASC), where: cityObservationWhere } },
    },
  ],
  roots: {
    airQualityObservations: {
      kind: 'connection',
      node: 'AirQualityObservation',
      order: orderFrom(
        {
          [AirQualityObservationOrderField.OBSERVED_ON]: byDay,
          [AirQualityObservationOrderField.PM25]: { column: 'pm25', kind: 'decimal' },
        },
        { field: AirQualityObservationOrderField.OBSERVED_ON, direction: SortDirection.ASC },
      ),
      where: observationWhere,
    },
  },
};
