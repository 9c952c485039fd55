/**
 * Compiled reads of daily air quality observations (common/compiled), with the filters and sorts
 * of air-quality.service.ts (observationListQuery, cityObservations) and the heavy-pollution
 * rule of air-quality.entity.ts (isHeavyPollutionDay); and the declaration of the outcome targets
 * collection, which the compiled lane, the resolvers (declaredPage) and the export read.
 */
import { HEAVY_POLLUTION_AQI_THRESHOLD, HEAVY_POLLUTION_PM25_THRESHOLD } from '@airledger/schema';
import { SortDirection } from '../../common/pagination.js';
import {
  CANNOT,
  equals,
  filterRules,
  fixedOrder,
  orderFrom,
  placeRules,
  type ConditionRule,
  type DerivedField,
  type DerivedModel,
  type FilterKeyRule,
  type ReadModels,
  type SqlScope,
} from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
import { attainmentSql } from './air-quality.attainment.js';
import { AirQualityObservation, OutcomeTarget } from './air-quality.entity.js';
import { AirQualityObservationOrderField, OutcomeTargetOrderField } from './air-quality.types.js';

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

/** outcomeTargets(filter): the place keys, then the campaign by code (an unknown code is NOT_FOUND naming the field). */
const outcomeTargetWhere = filterRules({
  ...placeRules(),
  campaign: (value, q, t, field) => {
    const code = q.param(value, 'text');
    q.check(`not exists (select 1 from campaign c where c.code = ${code})`, () => notFound('campaign', field, value));
    return [`${t}.campaign_id = (select c.id from campaign c where c.code = ${code})`];
  },
});

const targetOrderBy = orderFrom(
  {
    [OutcomeTargetOrderField.PM25_TARGET]: { column: 'pm25_target', kind: 'decimal' },
    [OutcomeTargetOrderField.HEAVY_DAYS_TARGET]: { column: 'heavy_days_target', kind: 'number' },
  },
  { field: OutcomeTargetOrderField.PM25_TARGET, direction: SortDirection.ASC },
);
const creationOrder = fixedOrder({ column: 'id', kind: 'number' }, SortDirection.ASC);

/** outcomeTargets(orderBy): creation order (the id) without orderBy. */
const outcomeTargetOrder = (args: Record<string, unknown>) => (args.orderBy ? targetOrderBy(args) : creationOrder());

// ------------------------------------------------------------------------------- attainment

/** ObservationCoverage on the attainment statement's columns with `prefix` (air-quality.service.ts coverageOf). */
const coverage = (from: string, to: string, prefix: string): DerivedField => ({
  object: {
    from: (v) => `${v}.${from}`,
    to: (v) => `${v}.${to}`,
    expectedCount: (v) => `${v}.${prefix}expected_days`,
    observedCount: (v) => `${v}.${prefix}observed_days`,
    requiredCount: (v) => `${v}.${prefix}required_days`,
    percentComplete: (v) => `${v}.${prefix}percent_complete`,
    complete: (v) => `${v}.${prefix}complete is true`,
    months: {
      elements: (v) => `coalesce(${v}.${prefix}months, '[]'::json)`,
      fields: Object.fromEntries(['month', 'expectedCount', 'observedCount', 'requiredCount', 'complete'].map((k) => [k, (e: string) => `${e}->'${k}'`])),
    },
  },
});

/** CampaignAttainment on a row of the attainment statement (air-quality.service.ts attainmentOfRow). */
const attainmentFields: Record<string, DerivedField> = {
  campaign: { reference: 'Campaign', id: (v) => `${v}.campaign_id` },
  city: { reference: 'City', id: (v) => `${v}.city_id` },
  periodDays: (v) => `${v}.period_days`,
  observedDays: (v) => `${v}.observed_days`,
  pm25Mean: (v) => `${v}.pm25_mean::float8`,
  pm25Target: (v) => `${v}.pm25_target::float8`,
  pm25Met: (v) => `${v}.pm25_met`,
  pm25Status: (v) => `${v}.pm25_status`,
  heavyPollutionDays: (v) => `${v}.heavy_days`,
  heavyDaysTarget: (v) => `${v}.heavy_days_target`,
  heavyDaysMet: (v) => `${v}.heavy_met`,
  heavyDaysStatus: (v) => `${v}.heavy_status`,
  coverage: coverage('period_start', 'period_end', ''),
  annual: {
    object: {
      year: (v) => `${v}.annual_year`,
      pm25Mean: (v) => `${v}.annual_pm25_mean::float8`,
      pm25Target: (v) => `${v}.annual_pm25_target::float8`,
      status: (v) => `${v}.annual_status`,
      met: (v) => `${v}.annual_met`,
      coverage: coverage('annual_from', 'annual_to', 'annual_'),
    },
  },
};

/** The campaign of a `campaign` code argument; an unknown code is NOT_FOUND naming the argument (the resolvers raise it). */
function campaignOfArgument(args: Record<string, unknown>, q: SqlScope): string {
  const code = q.param(args.campaign, 'text');
  q.check(`not exists (select 1 from campaign c where c.code = ${code})`, () => notFound('campaign', 'campaign', args.campaign));
  return `(select c.id from campaign c where c.code = ${code})`;
}

/** City.attainment(campaign): the attainment statement for the city and the campaign of that code. */
const cityAttainment: DerivedModel = {
  from: (a, args, q) => `(${attainmentSql(`(select ${campaignOfArgument(args, q)} as campaign_id, ${a}.id as city_id) k`)})`,
  fields: attainmentFields,
};

/** OutcomeTarget.attainment: the attainment statement for the target's city and campaign. */
const targetAttainment: DerivedModel = {
  from: (a) => `(${attainmentSql(`(select ${a}.campaign_id as campaign_id, ${a}.city_id as city_id) k`)})`,
  fields: attainmentFields,
};

/** Campaign.attainments(filter): every city the place filter selects (every city without one), in the plan's order of cities. */
const campaignAttainmentCities = filterRules(placeRules('id'));
const campaignAttainments: DerivedModel = {
  from: (a, args, q) => {
    const conditions = campaignAttainmentCities(args, q, 'ci');
    if (conditions === CANNOT) return CANNOT;
    const cities = `(select ${a}.id as campaign_id, ci.id as city_id from city ci${conditions.length ? ` where ${conditions.join(' and ')}` : ''}) k`;
    return `(select x.*, ci.plan_order from (${attainmentSql(cities)}) x join city ci on ci.id = x.city_id)`;
  },
  fields: attainmentFields,
  orderBy: (v) => `${v}.plan_order, ${v}.city_id`,
};

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
    {
      type: 'OutcomeTarget',
      entity: OutcomeTarget,
      public: true,
      references: { city: { node: 'City', column: 'city_id' }, campaign: { node: 'Campaign', column: 'campaign_id' } },
      derived: { attainment: targetAttainment },
    },
  ],
  extensions: [
    {
      type: 'City',
      connections: { airQualityObservations: { node: 'AirQualityObservation', parentColumn: 'city_id', order: fixedOrder(byDay, SortDirection.ASC), where: cityObservationWhere } },
      derived: { attainment: cityAttainment },
    },
    { type: 'Campaign', derived: { attainments: campaignAttainments } },
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
    outcomeTargets: { kind: 'connection', node: 'OutcomeTarget', order: outcomeTargetOrder, where: outcomeTargetWhere },
  },
};
