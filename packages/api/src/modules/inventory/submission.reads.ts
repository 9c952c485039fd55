/**
 * The declaration of submissions: filters and sort read by the compiled lane and the resolvers.
 * Submissions are province-keyed (no city key): every API key reads them; anonymous callers go to
 * the resolvers (UNAUTHENTICATED).
 */
import { SortDirection } from '../../common/pagination.js';
import { byId, filterRules, inList, orderFrom, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
import { Submission } from './submission.entity.js';
import { SubmissionOrderField } from './submission.types.js';

const province: FilterKeyRule = (value, q, t, field) => {
  const slug = q.param(value, 'text');
  q.check(`not exists (select 1 from province p where p.slug = ${slug})`, () => notFound('province', field, value));
  return [`${t}.province_id = (select p.id from province p where p.slug = ${slug})`];
};
/** A campaign filter by code (NOT_FOUND for an unknown one), on the row's campaign_id. */
export const campaignCode: FilterKeyRule = (value, q, t, field) => {
  const code = q.param(value, 'text');
  q.check(`not exists (select 1 from campaign c where c.code = ${code})`, () => notFound('campaign', field, value));
  return [`${t}.campaign_id = (select c.id from campaign c where c.code = ${code})`];
};

export const SUBMISSION_READS: ReadModels = {
  types: [{ type: 'Submission', entity: Submission, public: false, references: { province: { node: 'Province', column: 'province_id' }, campaign: { node: 'Campaign', column: 'campaign_id' } } }],
  roots: {
    submissions: {
      kind: 'connection',
      node: 'Submission',
      order: orderFrom({ [SubmissionOrderField.FILED_AT]: { column: 'filed_at', kind: 'timestamp' } }, { field: SubmissionOrderField.FILED_AT, direction: SortDirection.DESC }),
      where: filterRules({ province, campaign: campaignCode, kinds: inList('kind') }),
    },
    submission: { kind: 'one', node: 'Submission', where: byId() },
  },
};
