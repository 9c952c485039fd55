import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../common/errors.js';
import { ConnectionType } from '../../common/pagination.js';
import { ApiKey, ApiKeyRole, ApiKeyStatus } from './auth.entity.js';

/** Role of whoever makes a request. */
export enum ActorRole {
  ANONYMOUS = 'ANONYMOUS',
  SYSTEM = 'SYSTEM',
  MINISTRY = 'MINISTRY',
  PROVINCE = 'PROVINCE',
  CITY = 'CITY',
  READ_ONLY = 'READ_ONLY',
}
registerEnumType(ActorRole, {
  name: 'ActorRole',
  description: 'Role of whoever makes a request: an API key\'s role, ANONYMOUS without a key, SYSTEM for the server itself.',
  valuesConfig: {
    ANONYMOUS: { description: 'No API key: public campaign data only, no changes.' },
    SYSTEM: { description: 'The server itself (seeding, command line).' },
    MINISTRY: { description: 'A MINISTRY key.' },
    PROVINCE: { description: 'A PROVINCE key.' },
    CITY: { description: 'A CITY key.' },
    READ_ONLY: { description: 'A READ_ONLY key.' },
  },
});

@ObjectType({ description: 'A page of API keys.' })
export class ApiKeyConnection extends ConnectionType(ApiKey) {}

@ObjectType({ description: 'Who is making the request, and what they may see.' })
export class Viewer {
  @Field(() => String, { description: 'Actor id written to createdBy/updatedBy and the audit trail ("key:<id>", or "anonymous").' })
  actorId!: string;

  @Field(() => ActorRole, { description: 'Role of the request.' })
  role!: ActorRole;

  /** Set for keyed requests. */
  apiKeyId!: number | null;

  /** Province of a PROVINCE (or province-scoped READ_ONLY) key. */
  provinceId!: number | null;

  /** City of a CITY (or city-scoped READ_ONLY) key. */
  cityId!: number | null;

  /** Cities the request may read; null: every city. */
  cityIds!: number[] | null;
}

@InputType({ description: 'Filter of the API keys collection. Combined with AND.' })
export class ApiKeyFilter {
  @Field(() => [ApiKeyRole], { nullable: true, description: 'Only keys of these roles.' })
  roles?: ApiKeyRole[] | null;

  @Field(() => ApiKeyStatus, { nullable: true, description: 'Only keys in this status.' })
  status?: ApiKeyStatus | null;

  @Field(() => String, { nullable: true, description: 'Only keys of the province with this slug, or of its cities.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only keys of the city with this slug.' })
  city?: string | null;
}

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: 'Who will hold the key (a person, an office or a system), 1 to 200 characters.' })
  name!: string;

  @Field(() => ApiKeyRole, {
    description:
      'Role of the key. MINISTRY keys issue any role; PROVINCE keys issue PROVINCE, CITY and READ_ONLY keys of their province; CITY keys issue CITY and READ_ONLY keys of their city.',
  })
  role!: ApiKeyRole;

  @Field(() => String, {
    nullable: true,
    description: 'Slug of the province: required for PROVINCE keys; for READ_ONLY keys, restricts them to the province. Default for keys issued by a PROVINCE key: its province.',
  })
  province?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Slug of the city: required for CITY keys; for READ_ONLY keys, restricts them to the city. Default for keys issued by a CITY key: its city.',
  })
  city?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the key stops working (in the future, and not after the effective expiry of the issuing key, which is the earliest expiry of the issuer and of the keys above it); default: that effective expiry, or never when the issuer never expires.',
  })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'Result of createApiKey.' })
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The new key; null on failure.' })
  apiKey!: ApiKey | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The secret key, to send as "Authorization: Bearer <secret>". Shown this once: the API keeps only its SHA-256. Null on failure, and when the request replays an earlier createApiKey with the same Idempotency-Key: apiKey is then the key created the first time, whose secret is never stored and cannot be shown again (use the first response, or revoke that key and create another).',
  })
  secret!: string | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'Id of the key.' })
  id!: string;
}

@ObjectType({ description: 'Result of revokeApiKey.' })
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The revoked key; null on failure.' })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' })
  userErrors!: UserError[];
}
