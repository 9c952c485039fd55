import { LedgerError, UserErrorCode } from './errors.js';

/** A GraphQL `ID` value as the numeric key, or null when it is not one. */
export function idOrNull(value: string | number): number | null {
  const s = String(value).trim();
  return /^[1-9][0-9]{0,9}$/.test(s) && Number(s) <= 2147483647 ? Number(s) : null;
}

/** Parses a GraphQL `ID` argument into the numeric key, or throws INVALID naming the field. */
export function parseId(value: string | number, field = 'id'): number {
  const id = idOrNull(value);
  if (id === null) throw LedgerError.of(field, UserErrorCode.INVALID, `"${String(value)}" is not a valid id.`);
  return id;
}

/** Like parseId, for optional ids. */
export function parseOptionalId(value: string | number | null | undefined, field: string): number | undefined {
  return value === null || value === undefined ? undefined : parseId(value, field);
}
