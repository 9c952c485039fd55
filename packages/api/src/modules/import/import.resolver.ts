import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { ImportJobService } from './import.jobs.js';
import { ImportJob } from './import.types.js';

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, { description: 'An import of a ledger file, seen by the key that started it and by unrestricted keys (NOT_FOUND for others).' })
  importJob(@Arg('id', () => ID, { description: 'Id returned by POST /imports/<kind>.' }) id: string, @Ctx() ctx: RequestContext) {
    return ImportJobService.record(ctx.em.getKnex(), ctx.actor, id);
  }
}
