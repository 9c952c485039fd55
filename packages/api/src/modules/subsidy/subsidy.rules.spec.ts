import { describe, expect, it } from 'vitest';
import { RecipientKind, SubsidyProgramKind } from '@airledger/schema';
import { hasAtMostTwoDecimals, normalizeResidentIdNumber, RECIPIENT_OF_PROGRAM, residentIdCheckChar, residentIdProblem, yuanLiteral } from './subsidy.rules.js';

const TODAY = '2024-06-30';

describe('resident identity number (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('computes the check character of the standard\'s example and of hand-worked numbers', () => {
    // GB 11643-1999 example: 11010519491231002X.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    // 1*7+3*9+0*10+1*5+0*8+2*4+1*2+9*1+8*6+0*3+0*7+1*9+0*10+1*5+0*8+3*4+2*2 = 136; 136 % 11 = 4 -> '8'.
    expect(residentIdCheckChar('13010219800101032')).toBe('8');
    // 4*7+1*9+0*10+3*5+0*8+2*4+1*2+9*1+7*6+5*3+0*7+6*9+1*10+5*5+0*8+1*4+7*2 = 235; 235 % 11 = 4 -> '8'.
    expect(residentIdCheckChar('41030219750615017')).toBe('8');
    // All zeros but the region: 1*7 = 7 -> index 7 -> '5'.
    expect(residentIdCheckChar('10000000000000000')).toBe('5');
  });

  it('accepts valid numbers, including a final X', () => {
    expect(residentIdProblem('11010519491231002X', TODAY)).toBeNull();
    expect(residentIdProblem('130102198001010328', TODAY)).toBeNull();
    expect(residentIdProblem('410302197506150178', TODAY)).toBeNull();
  });

  it('reads a lowercase x and surrounding spaces as X', () => {
    expect(normalizeResidentIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('rejects wrong length, letters, a wrong check character and impossible birth dates', () => {
    expect(residentIdProblem('11010519491231002', TODAY)).toMatch(/18 characters/);
    expect(residentIdProblem('1101051949123100200', TODAY)).toMatch(/18 characters/);
    expect(residentIdProblem('1101051949123100AX', TODAY)).toMatch(/17 digits/);
    expect(residentIdProblem('110105194912310021', TODAY)).toMatch(/expected X/);
    expect(residentIdProblem('410302197506150179', TODAY)).toMatch(/expected 8/);
    const feb30 = '41030219750230017';
    expect(residentIdProblem(feb30 + residentIdCheckChar(feb30), TODAY)).toMatch(/impossible birth date/);
    const future = '41030220250101017';
    expect(residentIdProblem(future + residentIdCheckChar(future), TODAY)).toMatch(/impossible birth date/);
    const zeroRegion = '01030219750615017';
    expect(residentIdProblem(zeroRegion + residentIdCheckChar(zeroRegion), TODAY)).toMatch(/region code/);
  });
});

describe('amounts and recipients', () => {
  it('accepts amounts in fen and rejects finer ones', () => {
    expect(hasAtMostTwoDecimals(1234.56)).toBe(true);
    expect(hasAtMostTwoDecimals(0.1 + 0.2)).toBe(true);
    expect(hasAtMostTwoDecimals(1000)).toBe(true);
    expect(hasAtMostTwoDecimals(1.005)).toBe(false);
    expect(yuanLiteral(0.1 + 0.2)).toBe('0.30');
    expect(yuanLiteral(1500)).toBe('1500.00');
  });

  it('pays households from clean-heating programs and enterprises from air-pollution funds', () => {
    expect(RECIPIENT_OF_PROGRAM[SubsidyProgramKind.CLEAN_HEATING_OPERATING]).toBe(RecipientKind.HOUSEHOLD);
    expect(RECIPIENT_OF_PROGRAM[SubsidyProgramKind.CLEAN_HEATING_EQUIPMENT]).toBe(RecipientKind.HOUSEHOLD);
    expect(RECIPIENT_OF_PROGRAM[SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND]).toBe(RecipientKind.ENTERPRISE);
    expect(RECIPIENT_OF_PROGRAM[SubsidyProgramKind.LOCAL_AIR_POLLUTION_FUND]).toBe(RecipientKind.ENTERPRISE);
  });
});
