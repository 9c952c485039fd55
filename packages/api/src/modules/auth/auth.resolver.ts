import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation, Unstored } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City, Province } from '../geography/geography.entity.js';
import { ApiKey, ApiKeyStatus } from './auth.entity.js';
import { ApiKeyService } from './auth.service.js';
import { keyStatus } from './auth.reads.js';
import {
  ApiKeyConnection,
  ApiKeyFilter,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
  Viewer,
} from './auth.types.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, {
    description: 'API keys the caller manages, newest first: every key for MINISTRY, the keys of its province and its cities for PROVINCE, of its city for CITY. Secrets are never listed.',
  })
  apiKeys(
    @Arg('filter', () => ApiKeyFilter, { nullable: true, description: 'Which keys to return.' }) filter: ApiKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return ApiKeyService.apiKeys(ctx, filter, page);
  }

  @Query(() => ApiKey, { nullable: true, description: 'An API key by id: the caller\'s own key, or one it manages.' })
  apiKey(@Arg('id', () => ID, { description: 'Id of the key.' }) id: string, @Ctx() ctx: RequestContext) {
    return ApiKeyService.apiKey(ctx, id);
  }

  @FieldResolver(() => ApiKeyStatus, { description: 'Whether the key can be used now.' })
  status(@Root() key: ApiKey) {
    return keyStatus(key);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Province of a PROVINCE key (or of a READ_ONLY key scoped to a province).' })
  province(@Root() key: ApiKey, @Ctx() ctx: RequestContext) {
    return key.provinceId === null ? null : ctx.loaders.byId(Province).load(key.provinceId);
  }

  @FieldResolver(() => City, { nullable: true, description: 'City of a CITY key (or of a READ_ONLY key scoped to a city).' })
  city(@Root() key: ApiKey, @Ctx() ctx: RequestContext) {
    return key.cityId === null ? null : ctx.loaders.byId(City).load(key.cityId);
  }

  @Mutation(() => CreateApiKeyPayload, {
    description:
      'Issues an API key below the caller: MINISTRY issues any key; PROVINCE issues PROVINCE, CITY and READ_ONLY keys of its province; CITY issues CITY and READ_ONLY keys of its city. The new key never outlives its issuer (expiresAt at most the issuer\'s effective expiry, which is also the default) and stops working when its issuer (or any key above it) is revoked or expires. The secret is in the payload, once: a replay with the same Idempotency-Key returns the same key with secret null.',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'The key to issue.' }) input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiKeyPayload> {
    // The secret is Unstored: an idempotency record never holds it, and a replay gets null.
    const { result, userErrors } = await runMutation(ctx, async (em) => {
      const { apiKey, secret } = await ApiKeyService.create(ctx, em, input);
      return { apiKey, secret: new Unstored(secret) };
    });
    return { apiKey: result?.apiKey ?? null, secret: result?.secret.value ?? null, userErrors };
  }

  @Mutation(() => RevokeApiKeyPayload, { description: 'Revokes an API key the caller manages; it never works again.' })
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput, { description: 'The key to revoke.' }) input: RevokeApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RevokeApiKeyPayload> {
    const { result, userErrors } = await runMutation(ctx, (em) => ApiKeyService.revoke(ctx, em, input));
    return { apiKey: result, userErrors };
  }
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who is making the request (the API key, its role and scope), or ANONYMOUS.' })
  viewer(@Ctx() ctx: RequestContext) {
    return ApiKeyService.viewer(ctx);
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The API key of the request; null when anonymous.' })
  apiKey(@Root() viewer: Viewer, @Ctx() ctx: RequestContext) {
    return viewer.apiKeyId === null ? null : ctx.loaders.byId(ApiKey).load(viewer.apiKeyId);
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Province of a PROVINCE key (or of a READ_ONLY key scoped to a province).' })
  province(@Root() viewer: Viewer, @Ctx() ctx: RequestContext) {
    return viewer.provinceId === null ? null : ctx.loaders.byId(Province).load(viewer.provinceId);
  }

  @FieldResolver(() => City, { nullable: true, description: 'City of a CITY key (or of a READ_ONLY key scoped to a city).' })
  city(@Root() viewer: Viewer, @Ctx() ctx: RequestContext) {
    return viewer.cityId === null ? null : ctx.loaders.byId(City).load(viewer.cityId);
  }

  @FieldResolver(() => [City], {
    nullable: true,
    description: 'The cities whose records the request may read (and, for writing roles, change); null: every city.',
  })
  cities(@Root() viewer: Viewer, @Ctx() ctx: RequestContext) {
    return viewer.cityIds === null ? null : ctx.loaders.byId(City).loadMany(viewer.cityIds);
  }
}
