import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { UserErrorCode } from './errors.js';

/**
 * A value a scalar of the API refuses (a date PostgreSQL cannot store). It carries the
 * user-error reason; the hardening layer answers it as BAD_USER_INPUT naming the input field.
 */
export class InvalidScalarValue extends GraphQLError {
  constructor(message: string, reason: UserErrorCode, node?: ValueNode) {
    super(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT', reason } });
    this.name = 'InvalidScalarValue';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Whether a YYYY-MM-DD string is a real calendar day PostgreSQL can store as `date`: years 0001
 * to 9999 (there is no year 0000: PostgreSQL writes 1 BC as "0001-01-01 BC").
 */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  // Arithmetic rather than a Date: bulk imports check a million dates.
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]);
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A YYYY-MM month string as [year, month], or null when it is none: years 0002 to 9999 (a
 * month's previous year must be a year PostgreSQL dates have too).
 */
export function parseIsoMonth(value: string): [number, number] | null {
  const m = ISO_MONTH.exec(value);
  if (!m || Number(m[1]) < 2) return null;
  return [Number(m[1]), Number(m[2])];
}

/** A YYYY-MM month, four-digit year. */
export function isoMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

function localDate(value: unknown, node?: ValueNode): string {
  if (typeof value === 'string' && isIsoDate(value)) return value;
  if (typeof value === 'string' && ISO_DATE.test(value) && value.startsWith('0000')) {
    throw new InvalidScalarValue(`Value is not a valid LocalDate: ${value} (years start at 0001).`, UserErrorCode.INVALID_DATE, node);
  }
  // graphql-scalars' own message for everything else.
  return GraphQLLocalDate.parseValue(value) as string;
}

/**
 * Calendar dates (YYYY-MM-DD, no time zone) are carried as strings end to end: PostgreSQL `date`,
 * MikroORM `date` (a string in v6) and the GraphQL `LocalDate` scalar. The scalar is
 * graphql-scalars' LocalDate (same name, description and output) that also refuses the year
 * 0000, which PostgreSQL has no date for.
 */
export const LocalDate = new GraphQLScalarType({
  name: GraphQLLocalDate.name,
  description: GraphQLLocalDate.description,
  specifiedByURL: GraphQLLocalDate.specifiedByURL,
  extensions: GraphQLLocalDate.extensions,
  serialize: (value) => GraphQLLocalDate.serialize(value),
  parseValue: (value) => localDate(value),
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) return GraphQLLocalDate.parseLiteral(node);
    return localDate(node.value, node);
  },
});

function instant(value: Date, node?: ValueNode): Date {
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw new InvalidScalarValue(`Value is not a valid DateTime: ${value.toISOString()} is outside the years 0001-9999 (UTC).`, UserErrorCode.INVALID_DATE, node);
  }
  return value;
}

/**
 * Instants (`timestamptz`): graphql-scalars' DateTime (same name, description and output) that
 * also refuses instants outside the years 0001-9999 in UTC (PostgreSQL has no year 0000; an
 * offset can move "0001-01-01T00:00:00+08:00" into it).
 */
export const DateTime = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  parseValue: (value) => instant(GraphQLDateTime.parseValue(value) as Date),
  parseLiteral: (node, variables) => instant(GraphQLDateTime.parseLiteral(node, variables) as Date, node),
});

/** Today's date in China Standard Time (UTC+8), the campaign's calendar. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
