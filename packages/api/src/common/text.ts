/**
 * Names of people and organisations (household heads, enterprises, API key holders, deciders)
 * must be text a person can read: shown in lists, exports and the audit trail, a name made only
 * of invisible characters, or one that reorders the text around it, misleads whoever reads it.
 */
import { UserErrorCode, type Violations } from './errors.js';

/**
 * Bidirectional embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
 * PDI): they make text display in another order than it is stored ("Trojan Source").
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** Control characters (Cc), line and paragraph separators, lone surrogates and non-characters U+FFFE/U+FFFF. */
const NOT_TEXT = /[\p{Cc}\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
/** What is invisible in a name: format characters (Cf: zero-width spaces and joiners, bidi marks), controls, separators and white space. */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{White_Space}]/gu;
const LETTER = /\p{L}/u;

/** Why `name` is not a readable name, or null when it is. */
export function nameProblem(name: string): string | null {
  if (BIDI_CONTROLS.test(name)) return 'Must not contain bidirectional override, embedding or isolate characters (U+202A-U+202E, U+2066-U+2069).';
  if (NOT_TEXT.test(name)) return 'Must not contain control characters or line separators.';
  if (!LETTER.test(name.replace(INVISIBLE, ''))) return 'Must contain at least one visible letter (invisible and formatting characters do not count).';
  return null;
}

/** Adds INVALID on `field` to `v` when `name` is not a readable name (see nameProblem). */
export function checkName(v: Violations, field: string[], name: string): void {
  const problem = nameProblem(name);
  if (problem) v.add(field, UserErrorCode.INVALID, problem);
}
