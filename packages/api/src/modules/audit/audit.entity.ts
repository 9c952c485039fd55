import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ActorRole } from '../auth/auth.types.js';

/** What a change did to a record. */
export enum AuditAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}
registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What a change did to a record.',
  valuesConfig: {
    CREATE: { description: 'The record was created (before is null).' },
    UPDATE: { description: 'The record was changed.' },
    DELETE: { description: 'The record was deleted (after is null).' },
  },
});

/**
 * One row of the audit trail: written by a database trigger for every row a mutation creates,
 * changes or deletes, in the mutation's own transaction. Never changed or deleted.
 */
@ObjectType({
  description:
    'A change of one record made through the API: who (actor, key and role), when, what (operation, entity and id) and the values before and after. Audit events are written in the same transaction as the change and can never be changed or deleted.',
})
@Entity({ tableName: 'audit_event' })
export class AuditEvent {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => Date, { description: 'When the change was made (start of its transaction).' })
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  occurredAt!: Date;

  @Field(() => String, { description: 'Who made the change: "key:<id>" for API keys, "system:..." for the server itself.' })
  @Property({ type: 'text', fieldName: 'actor_id' })
  actor!: string;

  @Field(() => ID, { nullable: true, description: 'Id of the API key the change was made with; null for the system.' })
  @Index()
  @Property({ type: 'integer', nullable: true })
  keyId!: number | null;

  @Field(() => ActorRole, { description: 'Role of the actor at the time of the change.' })
  @Enum({ items: () => ActorRole })
  role!: ActorRole;

  @Field(() => String, { description: 'The mutation that made the change, e.g. "updateEnterprise".' })
  @Property({ type: 'text' })
  operation!: string;

  @Field(() => AuditAction, { description: 'Whether the record was created, changed or deleted.' })
  @Enum({ items: () => AuditAction })
  action!: AuditAction;

  @Field(() => String, {
    description:
      'Type of the record: Enterprise, GradeChange, RetrofitProject, ProjectFunding, SubsidyProgram, SubsidyBudget, Disbursement, AirQualityObservation, OutcomeTarget, ApiKey, SupervisionRound, Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, SubsidyBlock, CityAssessmentVerdict, Inspection, or ImportJob (a bulk import: one event per import and city for the rows it created, whose `importId` names it).',
  })
  @Property({ type: 'text' })
  entity!: string;

  @Field(() => ID, { description: 'Id of the record.' })
  @Property({ type: 'integer' })
  entityId!: number;

  /** City of a city-scoped record (the audit trail is scoped like the records). */
  @Property({ type: 'integer', nullable: true })
  cityId!: number | null;

  /** The row before the change (column names), null for CREATE. */
  @Property({ type: 'json', nullable: true })
  before!: Record<string, unknown> | null;

  /** The row after the change (column names), null for DELETE. */
  @Property({ type: 'json', nullable: true })
  after!: Record<string, unknown> | null;
}
