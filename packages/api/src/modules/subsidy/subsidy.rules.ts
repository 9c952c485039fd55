/**
 * Pure rules of the subsidy ledger (no database): the resident identity number, amounts in yuan
 * and who may receive what. Unit-tested in subsidy.rules.spec.ts.
 */
import { RecipientKind, SubsidyProgramKind } from '@airledger/schema';
import { isIsoDate } from '../../common/scalars.js';

/** Largest single disbursement the ledger accepts, in yuan: anything above is a typing error. */
export const MAX_DISBURSEMENT_YUAN = 100_000_000;
/** Largest budget of one program in one city, in yuan (100 billion). */
export const MAX_BUDGET_YUAN = 100_000_000_000;

/** Who may receive disbursements of each kind of program. */
export const RECIPIENT_OF_PROGRAM: Readonly<Record<SubsidyProgramKind, RecipientKind>> = {
  [SubsidyProgramKind.CLEAN_HEATING_OPERATING]: RecipientKind.HOUSEHOLD,
  [SubsidyProgramKind.CLEAN_HEATING_EQUIPMENT]: RecipientKind.HOUSEHOLD,
  [SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND]: RecipientKind.ENTERPRISE,
  [SubsidyProgramKind.LOCAL_AIR_POLLUTION_FUND]: RecipientKind.ENTERPRISE,
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/**
 * The check character of a PRC resident identity number (GB 11643-1999, ISO 7064 MOD 11-2) from
 * its first 17 digits.
 */
export function residentIdCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new Error('Expected 17 digits.');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

/** Trims and upper-cases an identity number (a lowercase final x is common in typed input). */
export function normalizeResidentIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

/**
 * Why `value` (normalized) is not a valid 18-character resident identity number, or null when it
 * is: 6-digit region code, 8-digit birth date (a real date from 1900-01-01 to `today`), 3-digit
 * sequence, check character (digit or X) of ISO 7064 MOD 11-2.
 */
export function residentIdProblem(value: string, today: string): string | null {
  if (value.length !== 18) return 'Must be 18 characters.';
  if (!/^[0-9]{17}[0-9X]$/.test(value)) return 'Must be 17 digits followed by a digit or X.';
  if (value[0] === '0') return 'Must start with a region code (first digit 1-9).';
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isIsoDate(birth) || birth < '1900-01-01' || birth > today) return `Holds an impossible birth date (${birth}).`;
  const expected = residentIdCheckChar(value.slice(0, 17));
  if (value[17] !== expected) return `Check character is ${value[17]}, expected ${expected}.`;
  return null;
}

/** Whether a number of yuan has at most two decimals (fen). */
export function hasAtMostTwoDecimals(amount: number): boolean {
  const fen = amount * 100;
  return Math.abs(fen - Math.round(fen)) < 1e-6;
}

/** The SQL numeric literal of an amount in yuan (two decimals). */
export function yuanLiteral(amount: number): string {
  return amount.toFixed(2);
}
