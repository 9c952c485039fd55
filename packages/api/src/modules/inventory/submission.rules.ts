import { SubmissionKind } from '@airledger/schema';

/**
 * The plan's deadlines of what each province files, by campaign code: the combustion-unit
 * inventory, the village conversion list and the ban-zone designation by 2023-12-31, the
 * campaign summary by 2024-04-15.
 */
export const SUBMISSION_DEADLINES: Readonly<Record<string, Readonly<Record<SubmissionKind, string>>>> = {
  '2023-2024-autumn-winter': {
    [SubmissionKind.COMBUSTION_UNITS]: '2023-12-31',
    [SubmissionKind.VILLAGE_CONVERSIONS]: '2023-12-31',
    [SubmissionKind.BAN_ZONES]: '2023-12-31',
    [SubmissionKind.CAMPAIGN_SUMMARY]: '2024-04-15',
  },
};

/** The status of a (province, kind) in SQL, from the first filing `first` (timestamptz, null when none) and the `deadline` (date). */
export const submissionStatusSql = (first: string, deadline: string) =>
  `case when ${first} is null then 'MISSING' when (${first} at time zone 'Asia/Shanghai')::date <= ${deadline} then 'ON_TIME' else 'LATE' end`;

const cities = `(select c.id from city c where c.province_id = $1)`;
const units = `(select jsonb_build_object('units', count(*), 'operating', count(*) filter (where u.status = 'OPERATING'),
    'scheduledForElimination', count(*) filter (where u.status = 'SCHEDULED_FOR_ELIMINATION'), 'eliminated', count(*) filter (where u.status = 'ELIMINATED'),
    'coalBoilersEliminated', count(*) filter (where u.status = 'ELIMINATED' and u.kind = 'BOILER' and u.fuel = 'COAL'),
    'gasProducersEliminated', count(*) filter (where u.status = 'ELIMINATED' and u.kind = 'GAS_PRODUCER'),
    'cokeOvensOperating', count(*) filter (where u.kind = 'COKE_OVEN' and u.status <> 'ELIMINATED'))
  from combustion_unit u where u.city_id in ${cities})`;
const conversions = (achieved: string) => `(select jsonb_build_object('conversions', count(*), 'households', coalesce(sum(h.households), 0),
    'villages', count(distinct h.village_id), 'householdsOldHeatingRemoved', coalesce(sum(h.households) filter (where h.old_heating_removed_on is not null), 0),
    'householdsCountingTowardTarget', ${achieved})
  from household_conversion h where h.city_id in ${cities})`;
const zones = `(select jsonb_build_object('zones', count(*), 'areaKm2', coalesce(sum(z.area_km2), 0)::float8, 'lastDesignatedOn', max(z.designated_on))
  from ban_zone z where z.city_id in ${cities})`;
const facilities = `(select jsonb_build_object('facilities', count(*), 'replaced', count(*) filter (where a.status = 'REPLACED'))
  from agricultural_coal_facility a where a.city_id in ${cities})`;

/**
 * The snapshot of a kind of submission in SQL, on $1 = province id and $2 = campaign id (`achieved`:
 * the province's COAL_HOUSEHOLDS share achieved, an expression on the same parameters).
 */
export function snapshotSql(kind: SubmissionKind, achieved: string): string {
  switch (kind) {
    case SubmissionKind.COMBUSTION_UNITS:
      return units;
    case SubmissionKind.VILLAGE_CONVERSIONS:
      return conversions(achieved);
    case SubmissionKind.BAN_ZONES:
      return zones;
    case SubmissionKind.CAMPAIGN_SUMMARY:
      return `jsonb_build_object('combustionUnits', ${units}, 'villageConversions', ${conversions(achieved)}, 'banZones', ${zones}, 'agriculturalCoalFacilities', ${facilities})`;
  }
}
