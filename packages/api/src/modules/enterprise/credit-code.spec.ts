import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  CREDIT_CODE_WEIGHTS,
  creditCodeCheck,
  generateCreditCode,
  isValidCreditCode,
  normalizeCreditCode,
  organisationCodeCheck,
} from './credit-code.js';

/** Published codes of well-known registrants (business licences are public records). */
const REAL_CODES = [
  '91350100M000100Y43', // the worked example of GB 32100-2015
  '914403001922038216', // 华为技术有限公司 (Shenzhen)
  '91330100716105852F', // 阿里巴巴（中国）有限公司 (Hangzhou)
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '91110000100010433L', // 中国石油天然气集团有限公司 (Beijing)
  '91110108551385082Q', // 小米科技有限责任公司 (Beijing, Haidian)
];

/** Deterministic "random" source for the generator. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('GB 32100-2015 unified social credit code', () => {
  it('uses the weights 3^(i-1) mod 31', () => {
    expect(CREDIT_CODE_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });

  it('accepts published real codes', () => {
    for (const code of REAL_CODES) expect(checkCreditCode(code), code).toEqual({ valid: true });
  });

  it('computes the two check characters by hand for the standard\'s example', () => {
    // Organisation code M000100Y: M=22, Y=34 in GB 11714; 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11-7 = 4.
    expect(organisationCodeCheck('M000100Y')).toBe('4');
    // Huawei's organisation code 19220382: 3+63+18+20+0+24+32+4 = 164; 164 mod 11 = 10; 11-10 = 1.
    expect(organisationCodeCheck('19220382')).toBe('1');
    // 11 - 0 = 11 gives '0'; 11 - 1 = 10 gives 'X'.
    expect(organisationCodeCheck('00000000')).toBe('0');
    expect(organisationCodeCheck('00000006')).toBe('X'); // 6*2 = 12; 12 mod 11 = 1; 11-1 = 10
    expect(organisationCodeCheck('00000003')).toBe('5'); // 3*2 = 6; 11-6 = 5
    // GB 32100 values (M=21, Y=30): 9*1 + 1*3 + 3*9 + 5*27 + 1*26 + 21*20 + 1*8 + 30*30 + 4*28 = 1640;
    // 1640 mod 31 = 28; 31 - 28 = 3.
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
  });

  it('rejects every kind of malformed code with the first problem', () => {
    const cases: [string, string][] = [
      ['91350100M000100Y4', 'LENGTH'],
      ['91350100M000100Y433', 'LENGTH'],
      ['91350100M0001O0Y43', 'CHARSET'], // letter O
      ['91350100M000100I43', 'CHARSET'], // letter I
      ['91350100M000100y43'.toLowerCase(), 'CHARSET'], // not normalized
      ['B1350100M000100Y43', 'REGISTRATION_AUTHORITY'],
      ['94350100M000100Y43', 'ORGANISATION_CATEGORY'], // market regulation has categories 1-3 only
      ['Y2350100M000100Y43', 'ORGANISATION_CATEGORY'],
      ['91990100M000100Y43', 'DIVISION_CODE'], // no province 99
      ['9135A100M000100Y43', 'DIVISION_CODE'],
      ['91350100M000100YA3', 'ORGANISATION_CODE'], // org check char must be 0-9 or X
      ['91350100M000100Y53', 'ORGANISATION_CODE_CHECK'],
      ['91350100M000100Y44', 'CHECK_CHARACTER'],
      ['914403001922038217', 'CHECK_CHARACTER'],
    ];
    for (const [code, problem] of cases) {
      const r = checkCreditCode(code);
      expect(r.valid, code).toBe(false);
      if (!r.valid) expect(r.problem, code).toBe(problem);
    }
  });

  it('rejects single-character typos of a valid code', () => {
    const code = '914403001922038216';
    let caught = 0;
    for (let i = 0; i < 18; i++) {
      const typo = code.slice(0, i) + (code[i] === '7' ? '8' : '7') + code.slice(i + 1);
      if (!isValidCreditCode(typo)) caught++;
    }
    expect(caught).toBe(18);
  });

  it('normalizes case and surrounding spaces', () => {
    expect(normalizeCreditCode('  91330100716105852f ')).toBe('91330100716105852F');
    expect(isValidCreditCode(normalizeCreditCode('  91330100716105852f '))).toBe(true);
  });

  it('generates valid, varied codes in a division', () => {
    const random = lcg(42);
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateCreditCode('130200', random);
      expect(isValidCreditCode(code), code).toBe(true);
      expect(code.slice(0, 8)).toBe('91130200');
      codes.add(code);
    }
    expect(codes.size).toBeGreaterThan(1990);
    const modern = [...codes].filter((c) => c.slice(8, 10) === 'MA').length;
    expect(modern).toBeGreaterThan(800);
    expect(modern).toBeLessThan(1200);
    expect(generateCreditCode('133100', random, { modern: true })).toMatch(/^91133100MA/);
    expect(() => generateCreditCode('13020', random)).toThrow();
  });
});
