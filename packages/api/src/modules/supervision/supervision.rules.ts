/**
 * The rules of supervision as data and pure functions: the clue stage machine (which step leads
 * from which stage to which, and which roles may take it), and the enforcement action rules.
 * No I/O; the service applies them.
 */
import { ClueStage, EnforcementActionKind, SpotCheckResult } from '@airledger/schema';

/** Roles that act on clues (SYSTEM: the server itself, e.g. the command line). */
export type SupervisionRole = 'MINISTRY' | 'PROVINCE' | 'CITY' | 'SYSTEM';

/** A step of the stage machine: one mutation each. */
export enum ClueStepKind {
  START_INVESTIGATION = 'START_INVESTIGATION',
  CONFIRM = 'CONFIRM',
  CLOSE_UNFOUNDED = 'CLOSE_UNFOUNDED',
  REPORT_RECTIFIED = 'REPORT_RECTIFIED',
  SELECT_FOR_SPOT_CHECK = 'SELECT_FOR_SPOT_CHECK',
  RECORD_SPOT_CHECK_RESULT = 'RECORD_SPOT_CHECK_RESULT',
  CLOSE = 'CLOSE',
}

export interface StepRule {
  /** The stage the step starts from. */
  from: ClueStage;
  /** The stage it leads to (RECORD_SPOT_CHECK_RESULT: by result, see spotCheckOutcome). */
  to: ClueStage;
  /** Who may take it: cities act on their own clues; provinces and the ministry supervise and spot-check. */
  roles: readonly SupervisionRole[];
  /** The mutation that takes the step (named in messages). */
  mutation: string;
}

const CITY_WORK: readonly SupervisionRole[] = ['CITY', 'MINISTRY', 'SYSTEM'];
const SUPERVISION: readonly SupervisionRole[] = ['PROVINCE', 'MINISTRY', 'SYSTEM'];

/**
 * The stage machine: IDENTIFIED -> INVESTIGATING -> RECTIFYING (due date) -> SUPERVISED ->
 * [SPOT_CHECK ->] CLOSED, or INVESTIGATING -> CLOSED_UNFOUNDED. A spot check's result PASSED closes
 * the clue; NOT_REAL reopens it to INVESTIGATING, RECTIFICATION_FAILED to RECTIFYING.
 */
export const CLUE_STEPS: Readonly<Record<ClueStepKind, StepRule>> = {
  [ClueStepKind.START_INVESTIGATION]: { from: ClueStage.IDENTIFIED, to: ClueStage.INVESTIGATING, roles: CITY_WORK, mutation: 'startClueInvestigation' },
  [ClueStepKind.CONFIRM]: { from: ClueStage.INVESTIGATING, to: ClueStage.RECTIFYING, roles: CITY_WORK, mutation: 'confirmClue' },
  [ClueStepKind.CLOSE_UNFOUNDED]: { from: ClueStage.INVESTIGATING, to: ClueStage.CLOSED_UNFOUNDED, roles: CITY_WORK, mutation: 'closeClueUnfounded' },
  [ClueStepKind.REPORT_RECTIFIED]: { from: ClueStage.RECTIFYING, to: ClueStage.SUPERVISED, roles: CITY_WORK, mutation: 'reportClueRectified' },
  [ClueStepKind.SELECT_FOR_SPOT_CHECK]: { from: ClueStage.SUPERVISED, to: ClueStage.SPOT_CHECK, roles: SUPERVISION, mutation: 'selectClueForSpotCheck' },
  [ClueStepKind.RECORD_SPOT_CHECK_RESULT]: { from: ClueStage.SPOT_CHECK, to: ClueStage.CLOSED, roles: SUPERVISION, mutation: 'recordClueSpotCheckResult' },
  [ClueStepKind.CLOSE]: { from: ClueStage.SUPERVISED, to: ClueStage.CLOSED, roles: SUPERVISION, mutation: 'closeClue' },
};

/** The stage a spot-check result leads to. */
export function spotCheckOutcome(result: SpotCheckResult): ClueStage {
  if (result === SpotCheckResult.NOT_REAL) return ClueStage.INVESTIGATING;
  if (result === SpotCheckResult.RECTIFICATION_FAILED) return ClueStage.RECTIFYING;
  return ClueStage.CLOSED;
}

/** Steps that may be taken from a stage (for messages). */
export function stepsFrom(stage: ClueStage): ClueStepKind[] {
  return (Object.keys(CLUE_STEPS) as ClueStepKind[]).filter((k) => CLUE_STEPS[k].from === stage);
}

/** Why a step cannot be taken from `stage` by `role`: null when it can. */
export function stepRefusal(step: ClueStepKind, stage: ClueStage, role: string): { kind: 'ROLE' | 'STAGE' | 'SPOT_CHECK_RESULT_REQUIRED'; message: string } | null {
  const rule = CLUE_STEPS[step];
  if (!rule.roles.includes(role as SupervisionRole)) {
    const who = rule.roles.filter((r) => r !== 'SYSTEM').join(' or ');
    return { kind: 'ROLE', message: `Only a ${who} key may ${rule.mutation} (cities act on their own clues; provinces and the ministry supervise and spot-check).` };
  }
  if (stage === rule.from) return null;
  if (step === ClueStepKind.CLOSE && stage === ClueStage.SPOT_CHECK) {
    return { kind: 'SPOT_CHECK_RESULT_REQUIRED', message: 'The clue was selected for a spot check: it closes only with the result (recordClueSpotCheckResult with PASSED).' };
  }
  const next = stepsFrom(stage).map((k) => CLUE_STEPS[k].mutation);
  return {
    kind: 'STAGE',
    message: `${rule.mutation} moves a clue from ${rule.from} to ${rule.to}; this clue is ${stage}${next.length ? ` (next: ${next.join(', ')})` : ' (closed)'}. Clues move one step at a time.`,
  };
}

/** Whether a clue at `stage` has been confirmed (actions and a falsification finding need that). */
export function isConfirmedStage(stage: ClueStage): boolean {
  return stage === ClueStage.RECTIFYING || stage === ClueStage.SUPERVISED || stage === ClueStage.SPOT_CHECK || stage === ClueStage.CLOSED;
}

/** Largest fine recorded (yuan); the migration's check holds the same number. */
export const MAX_FINE_YUAN = 100_000_000;

/** Every rule an enforcement action breaks (field and message), on its kind and amount. */
export function actionViolations(a: { kind: EnforcementActionKind; fineYuan: number | null | undefined; falsified: boolean }): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (a.kind === EnforcementActionKind.FINE) {
    if (a.fineYuan === null || a.fineYuan === undefined) out.push({ field: 'fineYuan', message: 'A FINE needs its amount in yuan.' });
    else if (!(a.fineYuan > 0) || a.fineYuan > MAX_FINE_YUAN) out.push({ field: 'fineYuan', message: `Must be more than 0 and at most ${MAX_FINE_YUAN} yuan.` });
    else if (Math.abs(Math.round(a.fineYuan * 100) - a.fineYuan * 100) > 1e-6) out.push({ field: 'fineYuan', message: 'At most 2 decimals.' });
  } else if (a.fineYuan !== null && a.fineYuan !== undefined) {
    out.push({ field: 'fineYuan', message: `Only a FINE has an amount; a ${a.kind} has none.` });
  }
  if (a.kind === EnforcementActionKind.TOLERANT_CORRECTION && a.falsified) {
    out.push({ field: 'kind', message: 'Falsified monitoring data is punished strictly (依法严厉查处): no tolerant correction (审慎包容 is for minor violations corrected at once).' });
  }
  return out;
}
