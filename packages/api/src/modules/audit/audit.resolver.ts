import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, type ClassType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { AirQualityObservation, OutcomeTarget } from '../air-quality/air-quality.entity.js';
import { ApiKey } from '../auth/auth.entity.js';
import { Enterprise, GradeChange } from '../enterprise/enterprise.entity.js';
import { City } from '../geography/geography.entity.js';
import { RetrofitProject } from '../project/project.entity.js';
import { Disbursement, SubsidyBudget, SubsidyProgram } from '../subsidy/subsidy.entity.js';
import { Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, Inspection, SupervisionRound } from '../supervision/supervision.entity.js';
import { AuditEvent } from './audit.entity.js';
import { AuditService, auditValues, changedFields } from './audit.service.js';
import { AuditEventConnection, AuditEventFilter } from './audit.types.js';

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, {
    description:
      'The audit trail: every change made through the API, newest first, within the caller\'s scope (needs an API key). Personal data in the values is masked as on Disbursement.',
  })
  auditEvents(
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Which changes to return.' }) filter: AuditEventFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return AuditService.auditEvents(ctx, filter, page);
  }

  @FieldResolver(() => City, { nullable: true, description: 'City of the changed record; null for records without a city (programs, national keys).' })
  city(@Root() event: AuditEvent, @Ctx() ctx: RequestContext) {
    return event.cityId === null ? null : ctx.loaders.byId(City).load(event.cityId);
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The record\'s stored values before the change (camelCase column names); null for CREATE.' })
  before(@Root() event: AuditEvent, @Ctx() ctx: RequestContext) {
    return auditValues(ctx.actor, event, event.before);
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The record\'s stored values after the change (camelCase column names); null for DELETE.' })
  after(@Root() event: AuditEvent, @Ctx() ctx: RequestContext) {
    return auditValues(ctx.actor, event, event.after);
  }

  @FieldResolver(() => [String], { description: 'Names of the values the change set or altered (updatedAt and version left out).' })
  changedFields(@Root() event: AuditEvent) {
    return changedFields(event);
  }
}

/** Adds `history` to a record type: its audit trail, batched over every record of the request. */
function historyResolver<T extends { id: number }>(type: ClassType<T>, entity: string): Function {
  @Resolver(() => type)
  class HistoryResolver {
    @FieldResolver(() => AuditEventConnection, {
      description: `Audit trail of this record: every change made to it through the API, newest first (needs an API key).`,
    })
    history(@Root() record: T, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
      return AuditService.history(ctx, entity, record.id, page);
    }
  }
  Object.defineProperty(HistoryResolver, 'name', { value: `${entity}HistoryResolver` });
  return HistoryResolver;
}

export const HISTORY_RESOLVERS: Function[] = [
  historyResolver(Enterprise, 'Enterprise'),
  historyResolver(GradeChange, 'GradeChange'),
  historyResolver(RetrofitProject, 'RetrofitProject'),
  historyResolver(SubsidyProgram, 'SubsidyProgram'),
  historyResolver(SubsidyBudget, 'SubsidyBudget'),
  historyResolver(Disbursement, 'Disbursement'),
  historyResolver(OutcomeTarget, 'OutcomeTarget'),
  historyResolver(AirQualityObservation, 'AirQualityObservation'),
  historyResolver(ApiKey, 'ApiKey'),
  historyResolver(SupervisionRound, 'SupervisionRound'),
  historyResolver(Clue, 'Clue'),
  historyResolver(ClueStep, 'ClueStep'),
  historyResolver(EnforcementAction, 'EnforcementAction'),
  historyResolver(FalsificationFinding, 'FalsificationFinding'),
  historyResolver(FraudListEntry, 'FraudListEntry'),
  historyResolver(Inspection, 'Inspection'),
];
