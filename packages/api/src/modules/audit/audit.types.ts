import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination.js';
import { AuditAction, AuditEvent } from './audit.entity.js';

@ObjectType({ description: 'A page of audit events.' })
export class AuditEventConnection extends ConnectionType(AuditEvent) {}

@InputType({ description: 'Filter of the audit trail. Combined with AND.' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'Only changes by this actor, e.g. "key:12".' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes of records of this type, e.g. "Enterprise".' })
  entity?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only changes of the record with this id (give entity too).' })
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes made by this mutation, e.g. "updateEnterprise".' })
  operation?: string | null;

  @Field(() => AuditAction, { nullable: true, description: 'Only creations, changes or deletions.' })
  action?: AuditAction | null;

  @Field(() => String, { nullable: true, description: 'Only changes of records of the city with this slug.' })
  city?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only changes at or after this instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only changes before this instant.' })
  to?: Date | null;
}
