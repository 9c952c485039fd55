import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { DatasetService } from './dataset.service.js';
import { DemoDataset } from './dataset.types.js';

@Resolver()
export class DatasetResolver {
  @Query(() => DemoDataset, { nullable: true, description: 'The generated demo data of this ledger, or null when it holds none (public).' })
  demoDataset(@Ctx() ctx: RequestContext) {
    return DatasetService.demoDataset(ctx);
  }
}
