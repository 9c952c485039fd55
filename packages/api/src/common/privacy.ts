/**
 * Personal data, declared once: who sees a personal value in full and how it is masked for
 * everyone else, with two interpreters of the same declaration, as for the read models
 * (common/compiled/model.ts):
 * - SQL (`maskSql`, `seesSql`, `PersonalField.sql`): the compiled lane writes the masked value in
 *   its statement, the exports in theirs;
 * - TypeScript (`maskValue`, `sees`, `PersonalField.value`): the resolvers (objects that come
 *   from mutations and loaders) and the audit trail's before / after values.
 * The generated differential cases (test/differential) compare both on every caller class.
 */
import type { Actor } from './actor.js';

/** How a personal value is masked for callers who may not see it. */
export interface MaskRule {
  /** Characters kept at the start (after leading white space, when `trimStart`). */
  keepStart: number;
  /** Characters kept at the end. */
  keepEnd: number;
  /**
   * The stars between them: a fixed number (the length of the value is not revealed), or
   * `hidden`, one star per hidden character (a value no longer than keepStart + keepEnd is all stars).
   */
  stars: number | 'hidden';
  /** Drop leading white space (WHITE_SPACE) first. */
  trimStart?: boolean;
}

/** 张三丰 -> 张**: the first character, then always two stars. */
export const NAME_MASK: MaskRule = { keepStart: 1, keepEnd: 0, stars: 2, trimStart: true };
/**
 * 110101199003071234 -> 1101**********1234: the first four characters (province and city of
 * registration) and the last four (sequence and check digit); the birth date is hidden.
 */
export const ID_NUMBER_MASK: MaskRule = { keepStart: 4, keepEnd: 4, stars: 'hidden' };

/** The white space `trimStart` drops: what String.prototype.trim drops (ECMAScript WhiteSpace and LineTerminator). */
export const WHITE_SPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Roles of callers (actor.ts Actor.role). */
type Role = Actor['role'];

/** Who sees personal values in full: these roles everywhere, those only on the records of their own city. */
export interface ViewerRule {
  everywhere: readonly Role[];
  ownCity: readonly Role[];
}

/**
 * Personal data of household subsidy recipients: shown in full to the ministry (and the system)
 * and to the CITY keys of the paying city; masked for every other caller.
 */
export const PERSONAL_DATA_VIEWERS: ViewerRule = { everywhere: ['MINISTRY', 'SYSTEM'], ownCity: ['CITY'] };

// ------------------------------------------------------------------------------------- TypeScript

/** The masked value (null stays null). */
export function maskValue(rule: MaskRule, value: string | null): string | null {
  if (value === null) return null;
  let chars = [...value];
  if (rule.trimStart) {
    let i = 0;
    while (i < chars.length && WHITE_SPACE.includes(chars[i])) i++;
    chars = chars.slice(i);
  }
  const end = (n: number) => (n > 0 ? chars.slice(-n).join('') : '');
  if (rule.stars === 'hidden') {
    if (chars.length <= rule.keepStart + rule.keepEnd) return '*'.repeat(chars.length);
    return chars.slice(0, rule.keepStart).join('') + '*'.repeat(chars.length - rule.keepStart - rule.keepEnd) + end(rule.keepEnd);
  }
  return chars.slice(0, rule.keepStart).join('') + '*'.repeat(rule.stars) + end(rule.keepEnd);
}

/** Whether `actor` sees in full the personal values of a record of city `cityId` (null: of no city). */
export function sees(rule: ViewerRule, actor: Pick<Actor, 'role' | 'cityId'>, cityId: number | null): boolean {
  if (rule.everywhere.includes(actor.role)) return true;
  return rule.ownCity.includes(actor.role) && cityId !== null && actor.cityId === cityId;
}

// ------------------------------------------------------------------------------------- SQL

/** A string as an SQL literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The characters of `text` as an SQL escape-string literal (E'\u3000...'), ASCII only. */
function escapeLiteral(text: string): string {
  return `E'${[...text].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')}'`;
}

/** The SQL of the masked value of the text expression `expr` (NULL stays NULL). */
export function maskSql(rule: MaskRule, expr: string): string {
  const v = rule.trimStart ? `ltrim(${expr}, ${escapeLiteral(WHITE_SPACE)})` : expr;
  const end = rule.keepEnd > 0 ? ` || right(${v}, ${rule.keepEnd})` : '';
  if (rule.stars === 'hidden') {
    const kept = rule.keepStart + rule.keepEnd;
    return `(case when char_length(${v}) <= ${kept} then repeat('*', char_length(${v})) else left(${v}, ${rule.keepStart}) || repeat('*', char_length(${v}) - ${kept})${end} end)`;
  }
  return `(left(${v}, ${rule.keepStart}) || ${literal('*'.repeat(rule.stars))}${end})`;
}

/**
 * The caller as SQL: its role, and whether a city column is the caller's own city. The compiled
 * lane reads them from the key of its statement or from the transaction's settings; the
 * resolvers' statements bind them as parameters (declared.ts viewerOf).
 */
export interface ViewerSql {
  role: string;
  ownCity(cityColumn: string): string;
}

/** SQL: whether the caller sees in full the personal values of the row whose city is `cityColumn`. */
export function seesSql(rule: ViewerRule, viewer: ViewerSql, cityColumn: string): string {
  const list = (roles: readonly Role[]) => roles.map(literal).join(', ');
  const parts: string[] = [];
  if (rule.everywhere.length) parts.push(`${viewer.role} in (${list(rule.everywhere)})`);
  if (rule.ownCity.length) parts.push(`(${viewer.role} in (${list(rule.ownCity)}) and ${viewer.ownCity(cityColumn)})`);
  return parts.length ? `(${parts.join(' or ')})` : 'false';
}

/** One personal field of a table: its column, the column of the record's city, who sees it, how it is masked. */
export interface PersonalField {
  column: string;
  cityColumn: string;
  viewers: ViewerRule;
  mask: MaskRule;
}

/** SQL of a personal field on row alias `a`: the value for who sees it, masked for the others. */
export function personalSql(field: PersonalField, a: string, viewer: ViewerSql): string {
  const value = `${a}.${field.column}`;
  return `(case when ${seesSql(field.viewers, viewer, `${a}.${field.cityColumn}`)} then ${value} else ${maskSql(field.mask, value)} end)`;
}

/** The value of a personal field as `actor` may see it (TypeScript twin of personalSql). */
export function personalValue(field: PersonalField, actor: Pick<Actor, 'role' | 'cityId'>, cityId: number | null, value: string | null): string | null {
  return sees(field.viewers, actor, cityId) ? value : maskValue(field.mask, value);
}

/** The caller as bound parameters (`param` binds a value, returning its placeholder): for statements the resolvers and exports run. */
export function viewerParams(actor: Pick<Actor, 'role' | 'cityId'>, param: (value: unknown, cast: string) => string): ViewerSql {
  const role = param(actor.role, 'text');
  let city: string | null = null;
  return { role, ownCity: (column) => `coalesce(${column} = ${(city ??= param(actor.cityId ?? null, 'integer'))}, false)` };
}
