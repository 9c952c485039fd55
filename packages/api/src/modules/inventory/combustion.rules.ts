import { CombustionFuel, CombustionUnitKind, CombustionUnitStatus, ProjectType } from '@airledger/schema';
import { UserErrorCode } from '../../common/errors.js';

/** 依法依规淘汰35蒸吨/小时及以下的燃煤锅炉: coal boilers of this capacity or less must be eliminated or scheduled. */
export const SMALL_COAL_BOILER_TPH = 35;

/** The project type that eliminates each kind of unit. */
export const ELIMINATING_PROJECT_TYPE: Readonly<Record<CombustionUnitKind, ProjectType>> = {
  [CombustionUnitKind.BOILER]: ProjectType.BOILER_ELIMINATION,
  [CombustionUnitKind.KILN]: ProjectType.KILN_ELIMINATION,
  [CombustionUnitKind.GAS_PRODUCER]: ProjectType.GAS_GENERATOR_ELIMINATION,
  [CombustionUnitKind.COKE_OVEN]: ProjectType.COKE_OVEN_CLOSURE,
};

/** A unit's state as the rules see it (after a create or an update). */
export interface CombustionState {
  kind: CombustionUnitKind;
  fuel: CombustionFuel;
  capacityTph: number | null;
  chamberHeightM: number | null;
  centralHeating: boolean;
  newBuild: boolean;
  approvedException: boolean;
  status: CombustionUnitStatus;
  scheduledEliminationBy: string | null;
  eliminatedOn: string | null;
  eliminationProject: { type: ProjectType; cityId: number } | null;
  cityId: number;
}

export interface CombustionViolation {
  field: string;
  code: UserErrorCode;
  message: string;
}

/** Every rule of the plan on one unit (fields are input field names). */
export function combustionViolations(s: CombustionState, today: string): CombustionViolation[] {
  const out: CombustionViolation[] = [];
  const add = (field: string, code: UserErrorCode, message: string) => out.push({ field, code, message });
  if (s.kind === CombustionUnitKind.BOILER && s.capacityTph === null) add('capacityTph', UserErrorCode.REQUIRED, 'A boiler needs its capacity in t/h.');
  if (s.capacityTph !== null && !(s.capacityTph > 0 && s.capacityTph <= 5000)) add('capacityTph', UserErrorCode.OUT_OF_RANGE, 'Must be more than 0 and at most 5000 t/h.');
  if (s.kind === CombustionUnitKind.COKE_OVEN && s.chamberHeightM === null) add('chamberHeightM', UserErrorCode.REQUIRED, 'A coke oven needs its coking-chamber height.');
  if (s.chamberHeightM !== null && !(s.chamberHeightM > 0 && s.chamberHeightM <= 10)) add('chamberHeightM', UserErrorCode.OUT_OF_RANGE, 'Must be more than 0 and at most 10 m.');

  const coalBoiler = s.kind === CombustionUnitKind.BOILER && s.fuel === CombustionFuel.COAL;
  if (coalBoiler && s.capacityTph !== null && s.capacityTph <= SMALL_COAL_BOILER_TPH && s.status === CombustionUnitStatus.OPERATING) {
    add('status', UserErrorCode.SMALL_COAL_BOILER_MUST_BE_ELIMINATED, `A coal boiler of ${SMALL_COAL_BOILER_TPH} t/h or less must be eliminated or scheduled for elimination (依法依规淘汰35蒸吨/小时及以下的燃煤锅炉).`);
  }
  if (coalBoiler && s.newBuild && !s.centralHeating && !s.approvedException) {
    add('newBuild', UserErrorCode.NEW_COAL_BOILER_NOT_ALLOWED, 'No new coal boiler outside central heating unless approved as an exception (除集中供暖外原则上不再新建).');
  }

  if (s.status === CombustionUnitStatus.SCHEDULED_FOR_ELIMINATION && s.scheduledEliminationBy === null) add('scheduledEliminationBy', UserErrorCode.REQUIRED, 'A scheduled unit needs the day it is to be eliminated by.');
  if (s.status === CombustionUnitStatus.ELIMINATED) {
    if (s.eliminatedOn === null) add('eliminatedOn', UserErrorCode.REQUIRED, 'An eliminated unit needs the day it was eliminated.');
    else if (s.eliminatedOn > today) add('eliminatedOn', UserErrorCode.INVALID_DATE, 'A unit cannot be eliminated in the future.');
    if (s.eliminationProject === null) add('eliminationProjectId', UserErrorCode.REQUIRED, 'An eliminated unit names the project that eliminated it.');
  } else if (s.eliminatedOn !== null) {
    add('eliminatedOn', UserErrorCode.NOT_ALLOWED, `A ${s.status} unit has no elimination day.`);
  }
  if (s.eliminationProject) {
    const type = ELIMINATING_PROJECT_TYPE[s.kind];
    if (s.eliminationProject.type !== type) add('eliminationProjectId', UserErrorCode.NOT_ALLOWED, `A ${s.kind} is eliminated by a ${type} project, not ${s.eliminationProject.type}.`);
    if (s.eliminationProject.cityId !== s.cityId) add('eliminationProjectId', UserErrorCode.NOT_ALLOWED, 'The elimination project is in another city than the unit.');
  }
  return out;
}
