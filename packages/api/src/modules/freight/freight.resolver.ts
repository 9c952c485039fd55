import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { City } from '../geography/geography.entity.js';
import { FreightRecord } from './freight.entity.js';
import { FreightService } from './freight.service.js';
import { FreightRecordConnection, FreightRecordFilter, FreightRecordOrder, RecordFreightMonthInput, RecordFreightMonthPayload } from './freight.types.js';

@Resolver(() => FreightRecord)
export class FreightRecordResolver {
  @Query(() => FreightRecordConnection, { description: 'Monthly rail freight records (铁路货运量), filtered and sorted (needs an API key; a CITY key sees its city\'s).' })
  freightRecords(
    @Arg('filter', () => FreightRecordFilter, { nullable: true, description: 'Which records to return.' }) filter: FreightRecordFilter | null,
    @Arg('orderBy', () => FreightRecordOrder, { nullable: true, description: 'Sort; default: MONTH ascending.' }) orderBy: FreightRecordOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return FreightService.records(ctx, filter, orderBy, page);
  }

  @Query(() => FreightRecord, { nullable: true, description: 'A monthly rail freight record by id (needs an API key).' })
  freightRecord(@Arg('id', () => ID, { description: 'Id of the record.' }) id: string, @Ctx() ctx: RequestContext) {
    return FreightService.record(ctx, id);
  }

  @Mutation(() => RecordFreightMonthPayload, {
    description:
      'Records the tonnes a railway of a city carried in a month (origin RECORDED), or with `version` changes the month\'s figure (incrementing the version). One record per city, railway and month; tonnes 0 or more; a campaign month that has begun.',
  })
  async recordFreightMonth(@Arg('input', () => RecordFreightMonthInput, { description: 'The month\'s freight.' }) input: RecordFreightMonthInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => FreightService.recordMonth(ctx, em, input), { uniqueField: ['input', 'month'] });
    return { freightRecord: result, userErrors };
  }

  @FieldResolver(() => City, { description: 'City of the railway.' })
  city(@Root() x: FreightRecord, @Ctx() ctx: RequestContext) {
    return FreightService.cityOf(ctx, x);
  }
}
