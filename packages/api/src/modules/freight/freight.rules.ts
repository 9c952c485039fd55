import { UserErrorCode, Violations, type Issue } from '../../common/errors.js';
import { parseIsoMonth } from '../../common/scalars.js';
import { hasAtMostTwoDecimals } from '../project/project.rules.js';

/**
 * Caps of a month's freight record. The busiest heavy-haul line of China (Daqin) carries some
 * 35-40 Mt a month; anything above 100 Mt in a month is a typing error (OUT_OF_RANGE). The
 * migration's check constraints hold the same numbers.
 */
export const FREIGHT_LIMITS = {
  /** Tonnes carried in one month on one railway. */
  tonnes: 100_000_000,
  /** Characters of a railway, station or route name. */
  railwayLength: 100,
  /** Characters of a source. */
  sourceLength: 200,
} as const;

/** A campaign's period as the month rule reads it. */
export interface CampaignMonths {
  code: string;
  periodStart: string;
  periodEnd: string;
}

/** The months (YYYY-MM) a campaign covers, from the month of its first day to the month of its last. */
export function campaignMonthRange(c: CampaignMonths): [string, string] {
  return [c.periodStart.slice(0, 7), c.periodEnd.slice(0, 7)];
}

/**
 * The month rule of a freight record: a YYYY-MM month (INVALID) that has begun in China (today is
 * `today`, YYYY-MM-DD; a later month is INVALID_DATE: nothing has been carried yet) and that lies
 * in the period of a campaign of the ledger (OUT_OF_RANGE: the ledger keeps the freight that
 * campaign targets count).
 */
export function monthIssues(field: string[], month: string, campaigns: CampaignMonths[], today: string): Issue[] {
  const v = new Violations();
  if (!parseIsoMonth(month)) return v.add(field, UserErrorCode.INVALID, `"${month}" is not a month (YYYY-MM).`).issues;
  if (month > today.slice(0, 7)) return v.add(field, UserErrorCode.INVALID_DATE, `${month} has not begun (today is ${today} in China): record a month once its freight is counted.`).issues;
  if (!campaigns.some((c) => { const [from, to] = campaignMonthRange(c); return month >= from && month <= to; })) {
    const periods = campaigns.map((c) => { const [from, to] = campaignMonthRange(c); return `${from} to ${to} (${c.code})`; }).join(', ');
    v.add(field, UserErrorCode.OUT_OF_RANGE, `${month} is outside every campaign of the ledger: freight is recorded for campaign months${periods ? `, ${periods}` : ''}.`);
  }
  return v.issues;
}

/** The rules of a record's figures (fields are input field names under `input`). */
export function freightIssues(s: { railway: string; tonnes: number; source: string }): Issue[] {
  const v = new Violations();
  const railway = s.railway.trim();
  if (railway.length === 0) v.add(['input', 'railway'], UserErrorCode.REQUIRED, 'Name the railway, station or route (e.g. "水曹铁路").');
  else if (railway.length > FREIGHT_LIMITS.railwayLength) v.add(['input', 'railway'], UserErrorCode.OUT_OF_RANGE, `At most ${FREIGHT_LIMITS.railwayLength} characters.`);
  if (!Number.isFinite(s.tonnes) || s.tonnes < 0) v.add(['input', 'tonnes'], UserErrorCode.OUT_OF_RANGE, 'Tonnes carried cannot be negative.');
  else if (s.tonnes > FREIGHT_LIMITS.tonnes) v.add(['input', 'tonnes'], UserErrorCode.OUT_OF_RANGE, `At most ${FREIGHT_LIMITS.tonnes.toLocaleString('en-US')} tonnes in a month.`);
  else if (!hasAtMostTwoDecimals(s.tonnes)) v.add(['input', 'tonnes'], UserErrorCode.INVALID, 'At most 2 decimals.');
  const source = s.source.trim();
  if (source.length === 0) v.add(['input', 'source'], UserErrorCode.REQUIRED, 'Say where the figure comes from.');
  else if (source.length > FREIGHT_LIMITS.sourceLength) v.add(['input', 'source'], UserErrorCode.OUT_OF_RANGE, `At most ${FREIGHT_LIMITS.sourceLength} characters.`);
  return v.issues;
}
