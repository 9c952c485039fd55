import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { PageArgs } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Province } from '../geography/geography.entity.js';
import { Submission } from './submission.entity.js';
import { SubmissionService } from './submission.service.js';
import { FileSubmissionInput, FileSubmissionPayload, ProvinceSubmissionStatus, SubmissionConnection, SubmissionFilter, SubmissionOrder } from './submission.types.js';

@Resolver(() => Submission)
export class SubmissionResolver {
  @Query(() => SubmissionConnection, { description: 'What the provinces filed (报送), newest first by default (needs an API key).' })
  submissions(
    @Arg('filter', () => SubmissionFilter, { nullable: true, description: 'Which submissions to return.' }) filter: SubmissionFilter | null,
    @Arg('orderBy', () => SubmissionOrder, { nullable: true, description: 'Sort; default: FILED_AT descending.' }) orderBy: SubmissionOrder | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return SubmissionService.submissions(ctx, filter, orderBy, page);
  }

  @Query(() => Submission, { nullable: true, description: 'A submission by id, with the snapshot frozen when it was filed (needs an API key).' })
  submission(@Arg('id', () => ID, { description: 'Id of the submission.' }) id: string, @Ctx() ctx: RequestContext) {
    return SubmissionService.submission(ctx, id);
  }

  @Query(() => [ProvinceSubmissionStatus], { description: 'For every province and every kind of submission of a campaign: its deadline and whether it was filed ON_TIME, LATE or is MISSING (needs an API key).' })
  submissionStatuses(@Arg('campaign', () => String, { nullable: true, description: 'Code of the campaign; default: the latest campaign.' }) campaign: string | null, @Ctx() ctx: RequestContext) {
    return SubmissionService.statuses(ctx, campaign);
  }

  @Mutation(() => FileSubmissionPayload, { description: 'Files a submission of a province (only a PROVINCE key of that province): the figures it reports are frozen in its snapshot; filing again adds a new submission.' })
  async fileSubmission(@Arg('input', () => FileSubmissionInput, { description: 'What is filed.' }) input: FileSubmissionInput, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await runMutation(ctx, (em) => SubmissionService.file(ctx, em, input));
    return { submission: result, userErrors };
  }

  @FieldResolver(() => Province, { description: 'The filing province.' })
  province(@Root() s: Submission, @Ctx() ctx: RequestContext) {
    return SubmissionService.provinceOf(ctx, s);
  }

  @FieldResolver(() => Campaign, { description: 'The campaign it reports on.' })
  campaign(@Root() s: Submission, @Ctx() ctx: RequestContext) {
    return SubmissionService.campaignOf(ctx, s);
  }
}
