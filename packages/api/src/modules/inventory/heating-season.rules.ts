import { UserErrorCode, Violations, type Issue } from '../../common/errors.js';

/** Characters of a heating season's source. */
export const HEATING_SEASON_SOURCE_LENGTH = 200;

/** A campaign's period as the season rule reads it. */
export interface CampaignPeriod {
  code: string;
  periodStart: string;
  periodEnd: string;
}

/** The first and the last day of the months a campaign covers (YYYY-MM-DD). */
export function campaignMonthDays(c: CampaignPeriod): [string, string] {
  const [y, m] = c.periodEnd.slice(0, 7).split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return [`${c.periodStart.slice(0, 7)}-01`, last];
}

/**
 * The rules of a heating season (fields are input field names under `input`): it ends after it
 * starts (INVALID_DATE on endsOn), both days lie in the campaign's months (OUT_OF_RANGE: the
 * season of a campaign is the one its COAL_HOUSEHOLDS target counts by), and it names its source.
 */
export function heatingSeasonIssues(s: { startsOn: string; endsOn: string; source: string }, campaign: CampaignPeriod): Issue[] {
  const v = new Violations();
  const [from, to] = campaignMonthDays(campaign);
  const outside = (day: string) => day < from || day > to;
  const range = `${from} to ${to}, the months of ${campaign.code}`;
  if (outside(s.startsOn)) v.add(['input', 'startsOn'], UserErrorCode.OUT_OF_RANGE, `${s.startsOn} is outside ${range}.`);
  if (outside(s.endsOn)) v.add(['input', 'endsOn'], UserErrorCode.OUT_OF_RANGE, `${s.endsOn} is outside ${range}.`);
  if (s.endsOn <= s.startsOn) v.add(['input', 'endsOn'], UserErrorCode.INVALID_DATE, `A season ends after it starts (${s.endsOn} is not after ${s.startsOn}).`);
  const source = s.source.trim();
  if (source.length === 0) v.add(['input', 'source'], UserErrorCode.REQUIRED, "Say where the dates come from (e.g. the city's heating notice).");
  else if (source.length > HEATING_SEASON_SOURCE_LENGTH) v.add(['input', 'source'], UserErrorCode.OUT_OF_RANGE, `At most ${HEATING_SEASON_SOURCE_LENGTH} characters.`);
  return v.issues;
}
