import { LedgerError, UserErrorCode } from './errors.js';

/** Parses a GraphQL `ID` argument into the numeric key, or throws INVALID naming the field. */
export function parseId(value: string | number, field = 'id'): number {
  const s = String(value).trim();
  if (!/^[1-9][0-9]{0,9}$/.test(s) || Number(s) > 2147483647) {
    throw LedgerError.of(field, UserErrorCode.INVALID, `"${String(value)}" is not a valid id.`);
  }
  return Number(s);
}

/** Like parseId, for optional ids. */
export function parseOptionalId(value: string | number | null | undefined, field: string): number | undefined {
  return value === null || value === undefined ? undefined : parseId(value, field);
}
