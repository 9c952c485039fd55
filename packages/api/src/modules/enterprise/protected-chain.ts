import { ProtectedClassStatus } from '@airledger/schema';
import { UserErrorCode } from '../../common/errors.js';
import type { Actor } from '../../common/actor.js';
import { ProtectedClassStep } from './enterprise.types.js';

/**
 * The approval chain of the protected class (保障类): the city government's consent, then the
 * province's review, then the filing with the Ministry. Each step has the role that records it,
 * the columns it fills and the class the enterprise reaches with it.
 */
export const PROTECTED_CHAIN: readonly {
  step: ProtectedClassStep;
  role: 'CITY' | 'PROVINCE' | 'MINISTRY';
  on: 'protectedCityConsentedOn' | 'protectedProvinceReviewedOn' | 'protectedMinistryFiledOn';
  by: 'protectedCityConsentedBy' | 'protectedProvinceReviewedBy' | 'protectedMinistryFiledBy';
  reaches: ProtectedClassStatus;
}[] = [
  { step: ProtectedClassStep.CITY_CONSENT, role: 'CITY', on: 'protectedCityConsentedOn', by: 'protectedCityConsentedBy', reaches: ProtectedClassStatus.CITY_CONSENTED },
  { step: ProtectedClassStep.PROVINCE_REVIEW, role: 'PROVINCE', on: 'protectedProvinceReviewedOn', by: 'protectedProvinceReviewedBy', reaches: ProtectedClassStatus.PROVINCE_REVIEWED },
  { step: ProtectedClassStep.MINISTRY_FILING, role: 'MINISTRY', on: 'protectedMinistryFiledOn', by: 'protectedMinistryFiledBy', reaches: ProtectedClassStatus.MINISTRY_FILED },
];

type Chain = Record<(typeof PROTECTED_CHAIN)[number]['on'], string | null>;

/** What is wrong with recording `step` on `decidedOn` over `chain` by `actor` (empty: it may be recorded). */
export function protectedStepViolations(
  chain: Chain,
  step: ProtectedClassStep,
  decidedOn: string,
  actor: Pick<Actor, 'role'>,
  today: string,
): { field: string; code: UserErrorCode; message: string }[] {
  const out: { field: string; code: UserErrorCode; message: string }[] = [];
  const i = PROTECTED_CHAIN.findIndex((s) => s.step === step);
  const s = PROTECTED_CHAIN[i];
  if (actor.role !== s.role && actor.role !== 'SYSTEM') {
    out.push({ field: 'step', code: UserErrorCode.PROTECTED_STEP_ROLE, message: `${step} is recorded by a ${s.role} key, not ${actor.role}.` });
  }
  if (chain[s.on] !== null) {
    out.push({ field: 'step', code: UserErrorCode.PROTECTED_CHAIN_ORDER, message: `${step} is already recorded (on ${chain[s.on]}).` });
  } else if (i > 0 && chain[PROTECTED_CHAIN[i - 1].on] === null) {
    out.push({ field: 'step', code: UserErrorCode.PROTECTED_CHAIN_ORDER, message: `${step} needs ${PROTECTED_CHAIN[i - 1].step} on record first.` });
  } else if (i > 0 && decidedOn < chain[PROTECTED_CHAIN[i - 1].on]!) {
    out.push({ field: 'decidedOn', code: UserErrorCode.PROTECTED_CHAIN_ORDER, message: `${step} cannot precede ${PROTECTED_CHAIN[i - 1].step} (${chain[PROTECTED_CHAIN[i - 1].on]}).` });
  }
  if (decidedOn > today) out.push({ field: 'decidedOn', code: UserErrorCode.INVALID_DATE, message: `Must not be in the future (today is ${today} in China).` });
  return out;
}
