import { LedgerError, UserErrorCode, type Violations } from './errors.js';

/** A GraphQL `ID` value as the numeric key, or null when it is not one. */
export function idOrNull(value: string | number): number | null {
  const s = String(value).trim();
  return /^[1-9][0-9]{0,9}$/.test(s) && Number(s) <= 2147483647 ? Number(s) : null;
}

const notAnId = (value: string | number): string => `"${String(value)}" is not a valid id.`;

/** Parses a GraphQL `ID` argument into the numeric key, or throws INVALID naming the field. */
export function parseId(value: string | number, field = 'id'): number {
  const id = idOrNull(value);
  if (id === null) throw LedgerError.of(field, UserErrorCode.INVALID, notAnId(value));
  return id;
}

/**
 * Parses an id of a mutation's input among its other checks: the numeric key, or null with the
 * INVALID of parseId added to `v`, so the input's other problems are still reported with it.
 */
export function idInto(v: Violations, value: string | number, field: string): number | null {
  const id = idOrNull(value);
  if (id === null) v.add(field, UserErrorCode.INVALID, notAnId(value));
  return id;
}

/** Like parseId, for optional ids. */
export function parseOptionalId(value: string | number | null | undefined, field: string): number | undefined {
  return value === null || value === undefined ? undefined : parseId(value, field);
}
