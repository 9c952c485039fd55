import { describe, expect, it } from 'vitest';
import { TargetComparator } from '@airledger/schema';
import { evaluateProgress } from './target.progress.js';

describe('evaluateProgress', () => {
  it('AT_LEAST is met at the quantity', () => {
    expect(evaluateProgress(TargetComparator.AT_LEAST, 787000, 786999, 3)).toEqual({ achieved: 786999, percent: 100, met: false, countedProjects: 3 });
    expect(evaluateProgress(TargetComparator.AT_LEAST, 787000, 787000, 3).met).toBe(true);
  });

  it('MORE_THAN needs more than the quantity', () => {
    expect(evaluateProgress(TargetComparator.MORE_THAN, 50_000_000, 50_000_000, 2).met).toBe(false);
    expect(evaluateProgress(TargetComparator.MORE_THAN, 50_000_000, 50_000_001, 2).met).toBe(true);
  });

  it('AT_MOST holds up to the quantity', () => {
    expect(evaluateProgress(TargetComparator.AT_MOST, 10, 10, 2).met).toBe(true);
    expect(evaluateProgress(TargetComparator.AT_MOST, 10, 11, 3)).toEqual({ achieved: 11, percent: 110, met: false, countedProjects: 3 });
  });

  it('rounds percent to two decimals', () => {
    expect(evaluateProgress(TargetComparator.AT_LEAST, 787000, 61000, 3).percent).toBe(7.75);
    expect(evaluateProgress(TargetComparator.AT_LEAST, 238000, 40000, 1).percent).toBe(16.81);
  });

  it('DONE is met by one counting project and has no percent', () => {
    expect(evaluateProgress(TargetComparator.DONE, null, 0, 0)).toEqual({ achieved: 0, percent: null, met: false, countedProjects: 0 });
    expect(evaluateProgress(TargetComparator.DONE, null, 1, 1)).toEqual({ achieved: 1, percent: null, met: true, countedProjects: 1 });
  });

  it('a zero quantity has no percent', () => {
    expect(evaluateProgress(TargetComparator.AT_MOST, 0, 0, 0)).toEqual({ achieved: 0, percent: null, met: true, countedProjects: 0 });
  });
});
