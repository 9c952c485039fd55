import { HeatingSystem, ProjectType } from '@airledger/schema';
import { UserErrorCode } from '../../common/errors.js';

/** The clean-heating project types that may carry a conversion to each new system. */
export const CONVERTING_PROJECT_TYPES: Readonly<Record<HeatingSystem, readonly ProjectType[]>> = {
  [HeatingSystem.GAS]: [ProjectType.CLEAN_HEATING_COAL_TO_GAS],
  [HeatingSystem.ELECTRICITY]: [ProjectType.CLEAN_HEATING_COAL_TO_ELECTRICITY],
  [HeatingSystem.OTHER]: [ProjectType.CLEAN_HEATING_COAL_TO_GAS, ProjectType.CLEAN_HEATING_COAL_TO_ELECTRICITY],
};

/** A conversion's state as the rules see it (after a create or an update). */
export interface ConversionState {
  households: number;
  newSystem: HeatingSystem;
  convertedOn: string;
  supplyStable: boolean;
  firstSeasonCompletedOn: string | null;
  oldHeatingRemovedOn: string | null;
  project: { type: ProjectType; cityId: number } | null;
  cityId: number;
  /** End of the city's first heating season starting on or after convertedOn, when known. */
  firstSeasonEndsOn: string | null;
}

export interface ConversionViolation {
  field: string;
  code: UserErrorCode;
  message: string;
}

/**
 * Every rule on one conversion (fields are input field names). Build before break (先立后破、不立不破):
 * the old heating may be removed only when the new supply is stable and the new system has run
 * through a heating season, and not before that season was completed.
 */
export function conversionViolations(s: ConversionState, today: string): ConversionViolation[] {
  const out: ConversionViolation[] = [];
  const add = (field: string, code: UserErrorCode, message: string) => out.push({ field, code, message });
  if (!Number.isInteger(s.households) || s.households < 1 || s.households > 100_000) add('households', UserErrorCode.OUT_OF_RANGE, 'Between 1 and 100,000 households.');
  if (s.convertedOn > today) add('convertedOn', UserErrorCode.INVALID_DATE, 'A conversion cannot be put into use in the future.');
  if (s.firstSeasonCompletedOn !== null) {
    if (s.firstSeasonCompletedOn > today) add('firstSeasonCompletedOn', UserErrorCode.INVALID_DATE, 'A heating season cannot be completed in the future.');
    else if (s.firstSeasonCompletedOn <= s.convertedOn) add('firstSeasonCompletedOn', UserErrorCode.INVALID_DATE, 'The first heating season is completed after the conversion.');
    else if (s.firstSeasonEndsOn !== null && s.firstSeasonCompletedOn < s.firstSeasonEndsOn) {
      add('firstSeasonCompletedOn', UserErrorCode.INVALID_DATE, `The city's first heating season after the conversion ends on ${s.firstSeasonEndsOn}.`);
    }
  }
  if (s.oldHeatingRemovedOn !== null) {
    if (s.oldHeatingRemovedOn > today) add('oldHeatingRemovedOn', UserErrorCode.INVALID_DATE, 'The old heating cannot be removed in the future.');
    if (!s.supplyStable) {
      add('oldHeatingRemovedOn', UserErrorCode.BUILD_BEFORE_BREAK, 'The old heating stays until the supply of the new system is safe and stable (先立后破、不立不破).');
    } else if (s.firstSeasonCompletedOn === null) {
      add('oldHeatingRemovedOn', UserErrorCode.BUILD_BEFORE_BREAK, 'The old heating stays until the new system has run stably through a heating season (先立后破、不立不破).');
    } else if (s.oldHeatingRemovedOn < s.firstSeasonCompletedOn) {
      add('oldHeatingRemovedOn', UserErrorCode.BUILD_BEFORE_BREAK, `The old heating can go only after the first heating season of stable operation (completed ${s.firstSeasonCompletedOn}).`);
    }
  }
  if (s.project) {
    const types = CONVERTING_PROJECT_TYPES[s.newSystem];
    if (!types.includes(s.project.type)) add('projectId', UserErrorCode.NOT_ALLOWED, `A conversion to ${s.newSystem} is carried by a ${types.join(' or ')} project, not ${s.project.type}.`);
    if (s.project.cityId !== s.cityId) add('projectId', UserErrorCode.NOT_ALLOWED, 'The project is in another city than the village.');
  }
  return out;
}
