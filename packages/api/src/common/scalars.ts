import { GraphQLLocalDate } from 'graphql-scalars';

/**
 * Calendar dates (YYYY-MM-DD, no time zone) are carried as strings end to end: PostgreSQL `date`,
 * MikroORM `date` (a string in v6) and the GraphQL `LocalDate` scalar.
 */
export const LocalDate = GraphQLLocalDate;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in China Standard Time (UTC+8), the campaign's calendar. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
