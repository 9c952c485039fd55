import { describe, expect, it } from 'vitest';
import { GradeChangeReason as R, Industry, PerformanceGrade as G, UltraLowEmissionStatus as U } from '@airledger/schema';
import { allowedTargets, compareGrades, GRADES_BEST_FIRST, gradeChangeViolations, mayHoldGrade, type GradeChangeProposal } from './grade-rules.js';

const steel = (currentGrade: G | null, status: U = U.ASSESSED_AND_PUBLICISED) => ({
  industry: Industry.STEEL,
  ultraLowEmissionStatus: status,
  currentGrade,
});
const glass = (currentGrade: G | null) => ({ industry: Industry.GLASS, ultraLowEmissionStatus: U.NOT_STARTED, currentGrade });
const rules = (p: GradeChangeProposal) => gradeChangeViolations(p).map((v) => `${v.field}:${v.rule}`);

describe('performance grade rules', () => {
  it('orders grades LEADING > A > B > C > D', () => {
    expect(GRADES_BEST_FIRST).toEqual([G.LEADING, G.A, G.B, G.C, G.D]);
    expect(compareGrades(G.LEADING, G.A)).toBeGreaterThan(0);
    expect(compareGrades(G.B, G.A)).toBeLessThan(0);
    expect(compareGrades(G.C, G.C)).toBe(0);
    expect([G.D, G.A, G.LEADING, G.C, G.B].sort((a, b) => compareGrades(b, a))).toEqual([G.LEADING, G.A, G.B, G.C, G.D]);
  });

  it('lets only assessed-and-publicised ultra-low emission hold LEADING, A or B in steel, cement and coking', () => {
    for (const industry of [Industry.STEEL, Industry.CEMENT, Industry.COKING]) {
      for (const status of [U.NOT_STARTED, U.RETROFITTING, U.COMPLETED]) {
        for (const g of [G.LEADING, G.A, G.B]) expect(mayHoldGrade(industry, status, g), `${industry} ${status} ${g}`).toBe(false);
        for (const g of [G.C, G.D, null]) expect(mayHoldGrade(industry, status, g)).toBe(true);
      }
      for (const g of [...GRADES_BEST_FIRST, null]) expect(mayHoldGrade(industry, U.ASSESSED_AND_PUBLICISED, g)).toBe(true);
    }
    // Other industries are not bound by the ultra-low-emission rule.
    for (const g of GRADES_BEST_FIRST) expect(mayHoldGrade(Industry.GLASS, U.NOT_STARTED, g)).toBe(true);
    expect(rules({ ...steel(G.C, U.COMPLETED), toGrade: G.B, reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual(['toGrade:ULTRA_LOW_EMISSION_REQUIRED']);
    expect(rules({ ...steel(null, U.RETROFITTING), toGrade: G.A, reason: R.ASSESSMENT })).toEqual(['toGrade:ULTRA_LOW_EMISSION_REQUIRED']);
    expect(rules({ ...steel(G.C), toGrade: G.B, reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual([]);
  });

  it('treats the same grade as no change', () => {
    expect(rules({ ...glass(G.B), toGrade: G.B, reason: R.ASSESSMENT })).toEqual(['toGrade:NOT_A_CHANGE']);
    expect(rules({ ...glass(G.D), toGrade: G.D, reason: R.FALSIFIED_MONITORING })).toEqual([]);
    expect(rules({ ...glass(G.D), toGrade: G.D, reason: R.DOWNGRADE_FOR_VIOLATION })).toContain('toGrade:NOT_A_CHANGE');
  });

  it('sends falsified monitoring to D, from any grade or none', () => {
    expect(rules({ ...glass(G.A), toGrade: G.C, reason: R.FALSIFIED_MONITORING })).toEqual(['toGrade:FALSIFIED_MONITORING_MEANS_D']);
    expect(rules({ ...glass(G.A), toGrade: G.D, reason: R.FALSIFIED_MONITORING })).toEqual([]);
    expect(rules({ ...glass(null), toGrade: G.D, reason: R.FALSIFIED_MONITORING })).toEqual([]);
    expect(allowedTargets({ ...glass(G.LEADING), reason: R.FALSIFIED_MONITORING })).toEqual([G.D]);
  });

  it('requires an upgrade to raise and a downgrade to lower the grade', () => {
    expect(allowedTargets({ ...glass(G.C), reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual([G.LEADING, G.A, G.B]);
    expect(allowedTargets({ ...glass(G.LEADING), reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual([]);
    expect(allowedTargets({ ...glass(G.B), reason: R.DOWNGRADE_FOR_VIOLATION })).toEqual([G.C, G.D]);
    expect(allowedTargets({ ...glass(G.A), reason: R.FAILED_EMERGENCY_CUTS })).toEqual([G.B, G.C, G.D]);
    expect(allowedTargets({ ...glass(G.D), reason: R.DOWNGRADE_FOR_VIOLATION })).toEqual([]);
    expect(rules({ ...glass(G.C), toGrade: G.D, reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual(['reason:UPGRADE_MUST_RAISE']);
    expect(rules({ ...glass(G.C), toGrade: G.B, reason: R.DOWNGRADE_FOR_VIOLATION })).toEqual(['reason:DOWNGRADE_MUST_LOWER']);
    expect(rules({ ...glass(G.C), toGrade: G.B, reason: R.FAILED_EMERGENCY_CUTS })).toEqual(['reason:DOWNGRADE_MUST_LOWER']);
    // An ungraded enterprise can be assessed (or found falsifying), not upgraded or downgraded.
    expect(rules({ ...glass(null), toGrade: G.B, reason: R.UPGRADE_ON_IMPROVEMENT })).toEqual(['reason:UPGRADE_MUST_RAISE']);
    expect(rules({ ...glass(null), toGrade: G.D, reason: R.DOWNGRADE_FOR_VIOLATION })).toEqual(['reason:DOWNGRADE_MUST_LOWER']);
  });

  it('lets an assessment move either way, within the ultra-low-emission rule', () => {
    expect(allowedTargets({ ...glass(G.C), reason: R.ASSESSMENT })).toEqual([G.LEADING, G.A, G.B, G.D]);
    expect(allowedTargets({ ...glass(null), reason: R.ASSESSMENT })).toEqual(GRADES_BEST_FIRST);
    expect(allowedTargets({ ...steel(G.C, U.COMPLETED), reason: R.ASSESSMENT })).toEqual([G.D]);
    expect(allowedTargets({ ...steel(null, U.NOT_STARTED), reason: R.ASSESSMENT })).toEqual([G.C, G.D]);
  });

  it('reports every broken rule at once', () => {
    expect(rules({ ...steel(G.B, U.RETROFITTING), toGrade: G.B, reason: R.FALSIFIED_MONITORING })).toEqual([
      'toGrade:NOT_A_CHANGE',
      'toGrade:ULTRA_LOW_EMISSION_REQUIRED',
      'toGrade:FALSIFIED_MONITORING_MEANS_D',
    ]);
  });
});
