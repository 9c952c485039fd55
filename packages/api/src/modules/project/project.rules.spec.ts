import { describe, expect, it } from 'vitest';
import { Industry, ProjectStatus, ProjectType, PROJECT_STATUS_TRANSITIONS } from '@airledger/schema';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';
import { FREIGHT_COUNTED_TARGETS } from '../target/target.progress.js';
import { canTransition, hasAtMostTwoDecimals, PROJECT_TYPE_INDUSTRIES, TARGET_PROJECT_TYPES, typeFitsTarget } from './project.rules.js';

describe('project rules', () => {
  it('maps every task target of the plan to the project types that count toward it', () => {
    // Every target is listed; only those counted from freight records accept no project.
    for (const t of PLAN_2023_2024.taskTargets) expect(TARGET_PROJECT_TYPES[t.code]?.length === 0, t.code).toBe(t.code in FREIGHT_COUNTED_TARGETS);
    expect(typeFitsTarget(ProjectType.CLEAN_HEATING_COAL_TO_GAS, 'COAL_HOUSEHOLDS')).toBe(true);
    expect(typeFitsTarget(ProjectType.BOILER_ELIMINATION, 'COAL_HOUSEHOLDS')).toBe(false);
    expect(typeFitsTarget(ProjectType.COKE_OVEN_CLOSURE, 'SHANXI_COKE_OVEN_4_3M_CLOSURE')).toBe(true);
    expect(typeFitsTarget(ProjectType.RAILWAY_SPUR_LINE, 'TANGSHAN_SHUICAO_RAIL_VOLUME')).toBe(false);
    expect(typeFitsTarget(ProjectType.BOILER_ELIMINATION, 'SOME_LATER_TARGET')).toBe(true);
  });

  it('lets a status move one step forward only', () => {
    const all = Object.values(ProjectStatus);
    const allowed = all.flatMap((from) => all.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual(['PLANNED->IN_PROGRESS', 'IN_PROGRESS->COMPLETED', 'COMPLETED->VERIFIED']);
    expect(PROJECT_STATUS_TRANSITIONS.VERIFIED).toEqual([]);
  });

  it('matches steel ULE to steel enterprises', () => {
    expect(PROJECT_TYPE_INDUSTRIES.ULTRA_LOW_EMISSION_STEEL).toEqual([Industry.STEEL]);
    expect(PROJECT_TYPE_INDUSTRIES.CLEAN_HEATING_COAL_TO_GAS).toBeUndefined();
  });

  it('accepts at most two decimals', () => {
    expect(hasAtMostTwoDecimals(1234.56)).toBe(true);
    expect(hasAtMostTwoDecimals(99_999_999_999.99)).toBe(true);
    expect(hasAtMostTwoDecimals(0.001)).toBe(false);
    expect(hasAtMostTwoDecimals(1.005)).toBe(false);
  });
});
