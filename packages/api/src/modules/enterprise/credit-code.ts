/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a 31-character
 * set (digits and capital letters without I, O, Z, S, V).
 *
 *   position 1      registration authority (登记管理部门代码), e.g. 9 market regulation
 *   position 2      organisation category (机构类别代码), e.g. 1 enterprise under authority 9
 *   positions 3-8   administrative division code (GB/T 2260) of the registering authority
 *   positions 9-17  organisation code (GB 11714): 8 characters and its own check character
 *   position 18     check character over positions 1-17, weights 3^(i-1) mod 31
 *
 * Pure functions, no I/O.
 */

/** The 31 characters of GB 32100-2015, in value order (0..30). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const VALUE = new Map([...CREDIT_CODE_CHARSET].map((c, i) => [c, i]));

/** Weights of positions 1-17 for the final check character: 3^(i-1) mod 31. */
export const CREDIT_CODE_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** Weights of the 8 body characters of a GB 11714 organisation code. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Registration authorities (position 1) and the organisation categories (position 2) each may
 * use, per GB 32100-2015 Appendix A and the code tables of the authorities.
 */
export const REGISTRATION_CATEGORIES: Readonly<Record<string, string>> = {
  '1': '1239', // 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
  '2': '19', // 外交: 外国常驻新闻机构, 其他
  '3': '123459', // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': '19', // 文化: 外国在华文化中心, 其他
  '5': '1239', // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': '129', // 旅游: 外国及港澳台旅游部门常驻代表机构, 其他
  '7': '129', // 宗教: 宗教活动场所, 宗教院校, 其他
  '8': '19', // 工会: 基层工会, 其他
  '9': '123', // 工商 / 市场监管: 企业, 个体工商户, 农民专业合作社
  A: '19', // 中央军委改革和编制办公室: 军队事业单位, 其他
  N: '1239', // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
  Y: '1', // 其他
};

/** Province-level prefixes of GB/T 2260 division codes ("10" is the national level, 100000). */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Why a string is not a valid credit code. */
export type CreditCodeProblem =
  | 'LENGTH'
  | 'CHARSET'
  | 'REGISTRATION_AUTHORITY'
  | 'ORGANISATION_CATEGORY'
  | 'DIVISION_CODE'
  | 'ORGANISATION_CODE'
  | 'ORGANISATION_CODE_CHECK'
  | 'CHECK_CHARACTER';

const MESSAGES: Record<CreditCodeProblem, string> = {
  LENGTH: 'A unified social credit code has exactly 18 characters.',
  CHARSET: 'A unified social credit code uses only digits and the capital letters A-H, J-N, P-R, T, U, W-Y.',
  REGISTRATION_AUTHORITY: 'The first character is not a registration authority code of GB 32100-2015.',
  ORGANISATION_CATEGORY: 'The second character is not an organisation category of its registration authority.',
  DIVISION_CODE: 'Characters 3-8 are not an administrative division code (six digits of a province, or 100000).',
  ORGANISATION_CODE: 'Characters 9-17 are not an organisation code (GB 11714).',
  ORGANISATION_CODE_CHECK: 'The check character of the organisation code (character 17) is wrong.',
  CHECK_CHARACTER: 'The check character (character 18) is wrong.',
};

/** The result of checking a credit code: the first problem found, with a message. */
export type CreditCodeCheck = { valid: true } | { valid: false; problem: CreditCodeProblem; message: string };

/** Trims and upper-cases a code as typed by people ("9113 0200 ..." is not accepted: no inner spaces). */
export function normalizeCreditCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Value of a character in GB 11714 (0-9, then A=10 ... Z=35, all 26 letters). */
function orgCodeValue(c: string): number {
  return /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
}

/** The GB 11714 check character of an 8-character organisation code body ('0'-'9' or 'X'). */
export function organisationCodeCheck(body: string): string {
  if (body.length !== 8) throw new Error('An organisation code body has 8 characters.');
  const sum = [...body].reduce((s, c, i) => s + orgCodeValue(c) * ORG_CODE_WEIGHTS[i], 0);
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}

/** The GB 32100 check character (position 18) of the first 17 characters. */
export function creditCodeCheck(first17: string): string {
  if (first17.length !== 17) throw new Error('The check character is computed over 17 characters.');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = VALUE.get(first17[i]);
    if (v === undefined) throw new Error(`"${first17[i]}" is not a credit code character.`);
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[c === 31 ? 0 : c];
}

/** Checks a (normalized) code against GB 32100-2015; reports the first problem. */
export function checkCreditCode(code: string): CreditCodeCheck {
  const fail = (problem: CreditCodeProblem): CreditCodeCheck => ({ valid: false, problem, message: MESSAGES[problem] });
  if (code.length !== 18) return fail('LENGTH');
  for (const c of code) if (!VALUE.has(c)) return fail('CHARSET');
  const categories = REGISTRATION_CATEGORIES[code[0]];
  if (!categories) return fail('REGISTRATION_AUTHORITY');
  if (!categories.includes(code[1])) return fail('ORGANISATION_CATEGORY');
  const division = code.slice(2, 8);
  if (!/^[0-9]{6}$/.test(division) || !(PROVINCE_PREFIXES.has(division.slice(0, 2)) || division === '100000')) return fail('DIVISION_CODE');
  const org = code.slice(8, 17);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(org)) return fail('ORGANISATION_CODE');
  if (organisationCodeCheck(org.slice(0, 8)) !== org[8]) return fail('ORGANISATION_CODE_CHECK');
  if (creditCodeCheck(code.slice(0, 17)) !== code[17]) return fail('CHECK_CHARACTER');
  return { valid: true };
}

export function isValidCreditCode(code: string): boolean {
  return checkCreditCode(code).valid;
}

/** A source of random integers in [0, n), e.g. `(n) => faker.number.int(n - 1)`. */
export type RandomInt = (n: number) => number;

/**
 * Generates a valid credit code registered in `divisionCode` (six digits). The organisation code
 * is either an older all-digit one or a post-2015 one starting with "MA", as issued in practice.
 */
export function generateCreditCode(
  divisionCode: string,
  random: RandomInt,
  options: { authority?: string; category?: string; modern?: boolean } = {},
): string {
  if (!/^[0-9]{6}$/.test(divisionCode)) throw new Error(`"${divisionCode}" is not a six-digit division code.`);
  const authority = options.authority ?? '9';
  const category = options.category ?? '1';
  const modern = options.modern ?? random(2) === 0;
  let body: string;
  if (modern) {
    body = 'MA';
    for (let i = 0; i < 6; i++) body += CREDIT_CODE_CHARSET[random(CREDIT_CODE_CHARSET.length)];
  } else {
    body = String(1 + random(8)); // older organisation codes of enterprises start with 1-8
    for (let i = 0; i < 7; i++) body += String(random(10));
  }
  const first17 = `${authority}${category}${divisionCode}${body}${organisationCodeCheck(body)}`;
  return first17 + creditCodeCheck(first17);
}
