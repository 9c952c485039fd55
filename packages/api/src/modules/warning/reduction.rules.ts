import { EmergencyMeasure, PerformanceGrade, ProtectedClassStatus, WarningLevel } from '@airledger/schema';
import { GRADES_BEST_FIRST } from '../enterprise/grade-rules.js';

/**
 * Rules of the emergency reduction list (应急减排清单), from the plan and the emergency cuts
 * guidance: A and LEADING decide their own cuts (自主减排); the cut never shrinks as the grade
 * worsens (LEADING/A <= B <= C <= D at each level, within an industry of a city's list) nor as
 * the level rises (YELLOW <= ORANGE <= RED); a protected-class exemption needs the enterprise's
 * ministry filing on record. Ungraded enterprises are treated as D.
 */

/** The guidance's planned reduction of a city's emissions at each level (fraction of the baseline). */
export const PLANNED_REDUCTION_TARGETS: Readonly<Record<WarningLevel, number>> = {
  [WarningLevel.YELLOW]: 0.1,
  [WarningLevel.ORANGE]: 0.2,
  [WarningLevel.RED]: 0.3,
};

/** Levels from the least severe to the most. */
export const LEVELS: readonly WarningLevel[] = [WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED];

/** Tier of a grade for the monotonic rule: LEADING and A share the self-determined tier; ungraded is D. */
export function gradeTier(grade: PerformanceGrade | null): number {
  switch (grade) {
    case PerformanceGrade.LEADING:
    case PerformanceGrade.A:
      return 0;
    case PerformanceGrade.B:
      return 1;
    case PerformanceGrade.C:
      return 2;
    default:
      return 3;
  }
}

/** Whether a grade decides its own cuts. */
export function selfDetermines(grade: PerformanceGrade | null): boolean {
  return gradeTier(grade) === 0;
}

/** The measure and cut of an entry at one level. */
export interface LevelMeasure {
  measure: EmergencyMeasure;
  cutPercent: number;
}

/** What the rules look at in an entry. */
export interface EntryShape {
  gradeAtListing: PerformanceGrade | null;
  protectedExempt: boolean;
  protectedClass: ProtectedClassStatus;
  /** Day of the enterprise's ministry filing, the last step of its protected-class chain (null: not filed). */
  ministryFiledOn: string | null;
  measures: Record<WarningLevel, LevelMeasure>;
}

/** A broken rule: the input field (relative to the entry) and why. */
export interface EntryViolation {
  field: string[];
  rule: 'SELF_DETERMINED_GRADE' | 'NOT_SELF_DETERMINED' | 'PROTECTED_NEEDS_FILING' | 'EXEMPT_NOT_CLAIMED' | 'LEVELS_NOT_MONOTONIC' | 'GRADES_NOT_MONOTONIC' | 'OUT_OF_RANGE';
  message: string;
}

const levelField = (l: WarningLevel) => l.toLowerCase();

/** The rules of one entry by itself. */
export function entryViolations(e: EntryShape): EntryViolation[] {
  const out: EntryViolation[] = [];
  if (e.protectedExempt && e.ministryFiledOn === null) {
    out.push({ field: ['protectedExempt'], rule: 'PROTECTED_NEEDS_FILING', message: `A protected-class exemption needs the ministry filing on record (the chain of the enterprise reached ${e.protectedClass}).` });
  }
  for (const level of LEVELS) {
    const m = e.measures[level];
    const field = [levelField(level)];
    if (!(m.cutPercent >= 0 && m.cutPercent <= 100)) out.push({ field: [...field, 'cutPercent'], rule: 'OUT_OF_RANGE', message: 'A cut is 0 to 100 percent of the baseline.' });
    if (m.measure === EmergencyMeasure.PROTECTED_EXEMPT) {
      if (!e.protectedExempt) out.push({ field: [...field, 'measure'], rule: 'EXEMPT_NOT_CLAIMED', message: 'PROTECTED_EXEMPT needs the entry to claim the protected-class exemption.' });
    } else if (selfDetermines(e.gradeAtListing) && m.measure !== EmergencyMeasure.SELF_DETERMINED) {
      out.push({ field: [...field, 'measure'], rule: 'SELF_DETERMINED_GRADE', message: `Grade ${e.gradeAtListing} decides its own cuts (自主减排): the measure is SELF_DETERMINED.` });
    } else if (!selfDetermines(e.gradeAtListing) && m.measure === EmergencyMeasure.SELF_DETERMINED) {
      out.push({ field: [...field, 'measure'], rule: 'NOT_SELF_DETERMINED', message: `Only grades A and LEADING decide their own cuts; ${e.gradeAtListing ?? 'an ungraded enterprise (treated as D)'} does not.` });
    }
  }
  if (e.measures.YELLOW.cutPercent > e.measures.ORANGE.cutPercent || e.measures.ORANGE.cutPercent > e.measures.RED.cutPercent) {
    out.push({ field: ['orange', 'cutPercent'], rule: 'LEVELS_NOT_MONOTONIC', message: 'The cut never shrinks as the level rises: YELLOW <= ORANGE <= RED.' });
  }
  return out;
}

/** An entry of a list as the cross-grade rule sees it. */
export interface ListedCut {
  key: string;
  industry: string;
  gradeAtListing: PerformanceGrade | null;
  protectedExempt: boolean;
  cuts: Record<WarningLevel, number>;
}

/**
 * The cross-grade rule over the entries of one list: within an industry, at each level, every
 * entry of a better tier cuts at most what any entry of a worse tier cuts. Exempt entries are
 * out of the comparison. Returns, for each offending entry of `changed`, the level and the entry
 * it conflicts with.
 */
export function gradeMonotonicViolations(changed: readonly ListedCut[], all: readonly ListedCut[]): { key: string; level: WarningLevel; other: ListedCut; message: string }[] {
  const out: { key: string; level: WarningLevel; other: ListedCut; message: string }[] = [];
  for (const e of changed) {
    if (e.protectedExempt) continue;
    const tier = gradeTier(e.gradeAtListing);
    for (const level of LEVELS) {
      const conflict = all.find(
        (o) =>
          o.key !== e.key &&
          !o.protectedExempt &&
          o.industry === e.industry &&
          ((gradeTier(o.gradeAtListing) > tier && o.cuts[level] < e.cuts[level]) || (gradeTier(o.gradeAtListing) < tier && o.cuts[level] > e.cuts[level])),
      );
      if (conflict) {
        out.push({
          key: e.key,
          level,
          other: conflict,
          message: `Under ${level} a ${e.gradeAtListing ?? 'ungraded'} entry cuts ${e.cuts[level]} %, and a ${conflict.gradeAtListing ?? 'ungraded'} entry of the same industry (${conflict.key}) cuts ${conflict.cuts[level]} %: the cut never shrinks as the grade worsens (LEADING/A <= B <= C <= D).`,
        });
        break;
      }
    }
  }
  return out;
}

/** The grade a failed check proposes: one step down; D for an ungraded enterprise; null below D. */
export function proposedDowngrade(grade: PerformanceGrade | null): PerformanceGrade | null {
  if (grade === null) return PerformanceGrade.D;
  const i = GRADES_BEST_FIRST.indexOf(grade);
  return GRADES_BEST_FIRST[i + 1] ?? null;
}
