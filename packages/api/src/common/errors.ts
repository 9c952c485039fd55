import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** Machine-readable reason of a user error. Stable: clients branch on it. */
export enum UserErrorCode {
  /** A required value is missing or empty. */
  REQUIRED = 'REQUIRED',
  /** The value is malformed (wrong format, unknown value). */
  INVALID = 'INVALID',
  /** The value is out of its allowed range (negative, absurdly large). */
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  /** A date is impossible: in the future, or before a date it must follow. */
  INVALID_DATE = 'INVALID_DATE',
  /** The referenced record does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** The value must be unique and is already used. */
  TAKEN = 'TAKEN',
  /** A business rule of the plan forbids it (e.g. grade A without ultra-low emission). */
  NOT_ALLOWED = 'NOT_ALLOWED',
  /** The status transition is not allowed from the current status. */
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** The change would take paid amounts over the allocated budget. */
  BUDGET_EXCEEDED = 'BUDGET_EXCEEDED',
  /** The record changed concurrently; reload and retry. */
  CONFLICT = 'CONFLICT',
  /** A clue selected for a spot check closes only with the spot check's result. */
  SPOT_CHECK_RESULT_REQUIRED = 'SPOT_CHECK_RESULT_REQUIRED',
  /** New subsidy disbursements to the enterprise are blocked (confirmed falsification of monitoring data). */
  SUBSIDY_BLOCKED = 'SUBSIDY_BLOCKED',
  /** 无事不扰: a positive-list enterprise is inspected without a clue only with a reason. */
  REASON_REQUIRED_WITHOUT_CLUE = 'REASON_REQUIRED_WITHOUT_CLUE',
  /** 依法依规淘汰35蒸吨/小时及以下的燃煤锅炉: a coal boiler of 35 t/h or less cannot stay OPERATING. */
  SMALL_COAL_BOILER_MUST_BE_ELIMINATED = 'SMALL_COAL_BOILER_MUST_BE_ELIMINATED',
  /** 除集中供暖外原则上不再新建: a new coal boiler outside central heating needs an approved exception. */
  NEW_COAL_BOILER_NOT_ALLOWED = 'NEW_COAL_BOILER_NOT_ALLOWED',
  /** 先立后破、不立不破: the old heating goes only after the new system has stable supply and has run through a heating season. */
  BUILD_BEFORE_BREAK = 'BUILD_BEFORE_BREAK',
  /** 保障类 approval chain: city consent, then provincial review, then ministry filing; no step before the one it follows (nor dated before it), none twice. */
  PROTECTED_CHAIN_ORDER = 'PROTECTED_CHAIN_ORDER',
  /** 保障类 approval chain: only a CITY key records the city's consent, a PROVINCE key the province's review, a MINISTRY key the filing. */
  PROTECTED_STEP_ROLE = 'PROTECTED_STEP_ROLE',
  /** The protected class is the stage its approval chain reached: it is not set directly (recordProtectedClassStep). */
  PROTECTED_CLASS_BY_CHAIN = 'PROTECTED_CLASS_BY_CHAIN',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode', description: 'Machine-readable reason of a user error.' });

/** One problem with the input of a request. */
export interface Issue {
  /** Path of the input field, e.g. ['input', 'creditCode']. */
  field: string[];
  code: UserErrorCode;
  message: string;
}

/**
 * A problem the caller can fix. Services throw it; mutations turn it into `userErrors`,
 * queries into a GraphQL error with `extensions.code`.
 */
export class LedgerError extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => `${i.field.join('.')}: ${i.message}`).join('; '));
    this.name = 'LedgerError';
  }

  static of(field: string | string[], code: UserErrorCode, message: string): LedgerError {
    return new LedgerError([{ field: Array.isArray(field) ? field : field.split('.'), code, message }]);
  }
}

/** Collects every problem of an input, then throws them together. */
export class Violations {
  readonly issues: Issue[] = [];

  add(field: string | string[], code: UserErrorCode, message: string): this {
    this.issues.push({ field: Array.isArray(field) ? field : field.split('.'), code, message });
    return this;
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /** Runs a look-up that may throw a LedgerError, collecting its issues (and returning null) instead, so every problem of an input is reported at once. */
  async collect<T>(lookup: () => Promise<T> | T): Promise<T | null> {
    try {
      return await lookup();
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      this.issues.push(...error.issues);
      return null;
    }
  }

  throwIfAny(): void {
    if (this.issues.length) throw new LedgerError(this.issues);
  }
}

/** A user error in a mutation payload: which input field, why, and a message for people. */
@ObjectType({ description: 'A problem with the input of a mutation. Nothing was written when a payload carries user errors.' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field, e.g. ["input", "creditCode"].' })
  field!: string[];

  @Field(() => UserErrorCode, { description: 'Machine-readable reason.' })
  code!: UserErrorCode;

  @Field(() => String, { description: 'Human-readable explanation.' })
  message!: string;
}

/** GraphQL error codes in `extensions.code` for query errors. */
export const GraphQLErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
} as const;

/** Turns a LedgerError into the GraphQL error a query returns. */
export function toGraphQLError(error: LedgerError): GraphQLError {
  const first = error.issues[0];
  const code = first.code === UserErrorCode.NOT_FOUND ? GraphQLErrorCode.NOT_FOUND : GraphQLErrorCode.BAD_USER_INPUT;
  return new GraphQLError(error.message, {
    extensions: {
      code,
      field: first.field.join('.'),
      reason: first.code,
      issues: error.issues.map((i) => ({ field: i.field.join('.'), code: i.code, message: i.message })),
    },
  });
}

export function notFound(entity: string, field: string, value: unknown): LedgerError {
  return LedgerError.of(field, UserErrorCode.NOT_FOUND, `No ${entity} with ${field.split('.').pop()} "${String(value)}".`);
}
