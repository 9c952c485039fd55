/**
 * The rules of performance grades (绩效分级) as pure functions: the order of grades, which grades
 * an enterprise may hold, and which grade changes a reason allows. No I/O; the service applies them.
 */
import {
  GradeChangeReason,
  Industry,
  PerformanceGrade,
  ULTRA_LOW_EMISSION_INDUSTRIES,
  UltraLowEmissionStatus,
} from '@airledger/schema';

/** Rank of each grade: higher is better (LEADING > A > B > C > D). */
export const GRADE_RANK: Readonly<Record<PerformanceGrade, number>> = {
  [PerformanceGrade.LEADING]: 5,
  [PerformanceGrade.A]: 4,
  [PerformanceGrade.B]: 3,
  [PerformanceGrade.C]: 2,
  [PerformanceGrade.D]: 1,
};

/** Grades from best to worst. */
export const GRADES_BEST_FIRST: readonly PerformanceGrade[] = [
  PerformanceGrade.LEADING,
  PerformanceGrade.A,
  PerformanceGrade.B,
  PerformanceGrade.C,
  PerformanceGrade.D,
];

/** Positive when `a` is better than `b`, negative when worse, 0 when equal. */
export function compareGrades(a: PerformanceGrade, b: PerformanceGrade): number {
  return GRADE_RANK[a] - GRADE_RANK[b];
}

/** Grades that need assessed-and-publicised ultra-low emission in the industries that require it. */
export const ULTRA_LOW_EMISSION_GRADES: readonly PerformanceGrade[] = [PerformanceGrade.LEADING, PerformanceGrade.A, PerformanceGrade.B];

/** Reasons that must lower the grade. */
export const DOWNGRADE_REASONS: readonly GradeChangeReason[] = [GradeChangeReason.DOWNGRADE_FOR_VIOLATION, GradeChangeReason.FAILED_EMERGENCY_CUTS];

export function requiresUltraLowEmission(industry: Industry): boolean {
  return ULTRA_LOW_EMISSION_INDUSTRIES.includes(industry);
}

/**
 * Whether an enterprise of `industry` with `status` may hold `grade`: in steel, cement and coking
 * only assessed-and-publicised ultra-low emission may hold LEADING, A or B. Null (ungraded) is
 * always allowed.
 */
export function mayHoldGrade(industry: Industry, status: UltraLowEmissionStatus, grade: PerformanceGrade | null): boolean {
  if (grade === null) return true;
  if (!requiresUltraLowEmission(industry) || !ULTRA_LOW_EMISSION_GRADES.includes(grade)) return true;
  return status === UltraLowEmissionStatus.ASSESSED_AND_PUBLICISED;
}

/** A proposed grade change and the enterprise it applies to. */
export interface GradeChangeProposal {
  industry: Industry;
  ultraLowEmissionStatus: UltraLowEmissionStatus;
  /** The enterprise's current grade (null: never graded). */
  currentGrade: PerformanceGrade | null;
  toGrade: PerformanceGrade;
  reason: GradeChangeReason;
}

/** A rule a proposed change breaks, naming the input field at fault. */
export interface GradeRuleViolation {
  field: 'toGrade' | 'reason';
  rule: 'NOT_A_CHANGE' | 'ULTRA_LOW_EMISSION_REQUIRED' | 'FALSIFIED_MONITORING_MEANS_D' | 'UPGRADE_MUST_RAISE' | 'DOWNGRADE_MUST_LOWER';
  message: string;
}

/** Every rule a proposed grade change breaks (empty when it is allowed). */
export function gradeChangeViolations(p: GradeChangeProposal): GradeRuleViolation[] {
  const out: GradeRuleViolation[] = [];
  // A falsification is sanctioned by a recorded change to D even when the enterprise already holds D.
  if (p.currentGrade === p.toGrade && !(p.reason === GradeChangeReason.FALSIFIED_MONITORING && p.toGrade === PerformanceGrade.D)) {
    out.push({ field: 'toGrade', rule: 'NOT_A_CHANGE', message: `The enterprise already holds grade ${p.toGrade}; a change must change the grade.` });
  }
  if (!mayHoldGrade(p.industry, p.ultraLowEmissionStatus, p.toGrade)) {
    out.push({
      field: 'toGrade',
      rule: 'ULTRA_LOW_EMISSION_REQUIRED',
      message: `In ${p.industry} only enterprises whose ultra-low emission is assessed and publicised may hold grade ${p.toGrade} (status is ${p.ultraLowEmissionStatus}).`,
    });
  }
  if (p.reason === GradeChangeReason.FALSIFIED_MONITORING && p.toGrade !== PerformanceGrade.D) {
    out.push({ field: 'toGrade', rule: 'FALSIFIED_MONITORING_MEANS_D', message: 'Falsified monitoring data lowers the grade to D.' });
  }
  if (p.reason === GradeChangeReason.UPGRADE_ON_IMPROVEMENT && (p.currentGrade === null || compareGrades(p.toGrade, p.currentGrade) <= 0)) {
    out.push({
      field: 'reason',
      rule: 'UPGRADE_MUST_RAISE',
      message: p.currentGrade === null
        ? 'An ungraded enterprise is first graded by an ASSESSMENT, not upgraded.'
        : `An upgrade on improvement must raise the grade above ${p.currentGrade}.`,
    });
  }
  if (DOWNGRADE_REASONS.includes(p.reason) && (p.currentGrade === null || compareGrades(p.toGrade, p.currentGrade) >= 0)) {
    out.push({
      field: 'reason',
      rule: 'DOWNGRADE_MUST_LOWER',
      message: p.currentGrade === null
        ? `${p.reason} lowers a grade; the enterprise has none yet.`
        : `${p.reason} must lower the grade below ${p.currentGrade}.`,
    });
  }
  return out;
}

/** Grades `reason` may move an enterprise to from `current`, respecting every rule. */
export function allowedTargets(p: Omit<GradeChangeProposal, 'toGrade'>): PerformanceGrade[] {
  return GRADES_BEST_FIRST.filter((toGrade) => gradeChangeViolations({ ...p, toGrade }).length === 0);
}
