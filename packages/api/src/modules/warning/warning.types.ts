import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { WarningLevel } from '@airledger/schema';
import { UserError } from '../../common/errors.js';
import { Warning, WarningChange } from './warning.entity.js';

export { Warning, WarningChange };

@InputType({ description: 'Input of issueWarning.' })
export class IssueWarningInput {
  @Field(() => String, { description: 'Slug of the city, e.g. "shijiazhuang".' })
  city!: string;

  @Field(() => WarningLevel, { description: 'Level of the warning.' })
  level!: WarningLevel;

  @Field(() => Date, { nullable: true, description: 'When it was issued; default: now. Not in the future.' })
  issuedAt?: Date | null;

  @Field(() => Date, { description: 'When the emergency response starts (not before the issue).' })
  effectiveFrom!: Date;

  @Field(() => Date, { description: 'Planned end of the response (after its start).' })
  plannedEnd!: Date;

  @Field(() => ID, { nullable: true, description: 'Id of the forecast of the city the warning rests on; without one the warning is flagged NO_FORECAST.' })
  forecastId?: string | null;

  @Field(() => String, { description: 'Issuing authority (e.g. 石家庄市重污染天气应急指挥部), 1-200 characters.' })
  authority!: string;

  @Field(() => ID, { nullable: true, description: 'Id of the regional linkage the warning answers; the city must be one of its cities.' })
  linkageId?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text, at most 4,000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Input of changeWarning: a raise, a lowering or an extension of an open warning, dated by when it takes effect.' })
export class ChangeWarningInput {
  @Field(() => ID, { description: 'Id of the warning.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the change is based on (optimistic locking): when given and the warning changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => WarningLevel, { nullable: true, description: 'New level (a raise or a lowering); null or absent keeps the level.' })
  level?: WarningLevel | null;

  @Field(() => Date, { nullable: true, description: 'New planned end; later than the current one is an extension, earlier is refused (lift the warning instead).' })
  plannedEnd?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the change takes effect; default: now. Not before the latest change of the warning, not in the future.' })
  effectiveAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Id of a newer forecast of the city the change rests on; absent keeps the warning\'s forecast.' })
  forecastId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the change, at most 4,000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Input of liftWarning.' })
export class LiftWarningInput {
  @Field(() => ID, { description: 'Id of the warning.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'The version the lifting is based on (optimistic locking): when given and the warning changed since, CONFLICT.' })
  version?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the warning is lifted; default: now. Not before its latest change, not in the future.' })
  liftedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it is lifted, at most 4,000 characters.' })
  note?: string | null;
}

@ObjectType({ description: 'Result of issueWarning, changeWarning and liftWarning.' })
export class WarningPayload {
  @Field(() => Warning, { nullable: true, description: 'The warning as stored; null when there are user errors.' })
  warning!: Warning | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
