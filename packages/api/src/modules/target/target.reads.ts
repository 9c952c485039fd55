/**
 * Compiled reads of task targets (common/compiled): their fields and places, their breakdown,
 * and progress computed in the statement by the rule of target.progress.ts (the same counting
 * projects and figures as target.service.ts progressOf / breakdownProgressOf).
 */
import { SortDirection } from '../../common/pagination.js';
import { CANNOT, byText, filterRules, inList, orderFrom, type ConditionRule, type DerivedModel, type FilterKeyRule, type ReadModels } from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
import { TaskTarget, TaskTargetBreakdown } from './target.entity.js';
import { TaskTargetOrderField } from './target.types.js';
import { ACHIEVED_SQL, COUNTING_SQL, progressFieldsSql } from './target.progress.js';

const COUNTING = COUNTING_SQL;

/** TaskTarget.progress: the target's counting projects (ACHIEVED_SQL is written on aliases t and p). */
const targetProgress: DerivedModel = {
  from: (a) => `(select count(p.id)::int as counted, (${ACHIEVED_SQL})::float8 as achieved, t.comparator, t.quantity::float8 as quantity
    from task_target t left join retrofit_project p on p.task_target_id = t.id and ${COUNTING}
    where t.id = ${a}.id group by t.id)`,
  fields: progressFieldsSql(),
};

/** TaskTargetBreakdown.progress: the counting projects located in the share's city or province, against the share's quantity. */
const shareProgress: DerivedModel = {
  from: (b) => `(select a.counted, a.achieved, t.comparator, ${b}.quantity::float8 as quantity
    from task_target t cross join lateral (
      select count(p.id)::int as counted, (${ACHIEVED_SQL})::float8 as achieved from retrofit_project p
       where p.task_target_id = t.id and ${COUNTING}
         and p.city_id in (select c.id from city c where case when ${b}.city_id is not null then c.id = ${b}.city_id else c.province_id = ${b}.province_id end)
    ) a
    where t.id = ${b}.task_target_id)`,
  fields: progressFieldsSql(),
};

/** taskTarget(code, campaign): within the campaign of that code, or the latest campaign (target.service.ts campaignOrLatest). */
const targetByCode: ConditionRule = (args, q, t) => {
  const [code] = byText('code', 'code')(args, q, t) as string[];
  if (args.campaign === null || args.campaign === undefined) {
    return [code, `${t}.campaign_id = (select c.id from campaign c where c.id > 0 order by c.period_start desc, c.id desc limit 1)`];
  }
  if (typeof args.campaign !== 'string') return CANNOT;
  return [code, `${t}.campaign_id = ${campaignId(args.campaign, q, 'campaign')}`];
};

/** A campaign by code; an unknown code is NOT_FOUND naming `field`. */
const campaignId = (code: unknown, q: Parameters<FilterKeyRule>[1], field: string): string => {
  const campaign = q.param(code, 'text');
  q.check(`not exists (select 1 from campaign c where c.code = ${campaign})`, () => notFound('campaign', field, code));
  return `(select c.id from campaign c where c.code = ${campaign})`;
};

/** The task targets collection: targets of a campaign, of scopes, or of a province (its own, its cities', or with a share there). */
const targetFilter = filterRules({
  campaign: (value, q, t, field) => [`${t}.campaign_id = ${campaignId(value, q, field)}`],
  scopes: inList('scope'),
  province: (value, q, t, field) => {
    const slug = q.param(value, 'text');
    q.check(`not exists (select 1 from province p where p.slug = ${slug})`, () => notFound('province', field, value));
    const province = `(select p.id from province p where p.slug = ${slug})`;
    const cities = `(select c.id from city c where c.province_id = ${province})`;
    return [
      `(${t}.province_id = ${province} or ${t}.city_id in ${cities}
        or ${t}.id in (select b.task_target_id from task_target_breakdown b where b.province_id = ${province} or b.city_id in ${cities}))`,
    ];
  },
});

const targetOrder = orderFrom(
  {
    [TaskTargetOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [TaskTargetOrderField.CODE]: { column: 'code', kind: 'text' },
    [TaskTargetOrderField.DEADLINE]: { column: 'deadline', kind: 'date' },
  },
  { field: TaskTargetOrderField.CREATED_AT, direction: SortDirection.ASC },
);

export const TARGET_READS: ReadModels = {
  types: [
    {
      type: 'TaskTarget',
      entity: TaskTarget,
      public: true,
      references: {
        campaign: { node: 'Campaign', column: 'campaign_id' },
        province: { node: 'Province', column: 'province_id' },
        city: { node: 'City', column: 'city_id' },
      },
      lists: { breakdown: { node: 'TaskTargetBreakdownItem', column: 'task_target_id', orderBy: (t) => `${t}.id asc` } },
      derived: { progress: targetProgress },
    },
    {
      type: 'TaskTargetBreakdownItem',
      entity: TaskTargetBreakdown,
      public: true,
      references: {
        province: { node: 'Province', column: 'province_id' },
        city: { node: 'City', column: 'city_id' },
      },
      derived: { progress: shareProgress },
    },
  ],
  // Campaign.taskTargets: in the plan's order (the order they were loaded in).
  extensions: [{ type: 'Campaign', lists: { taskTargets: { node: 'TaskTarget', column: 'campaign_id', orderBy: (t) => `${t}.id asc` } } }],
  roots: {
    taskTargets: { kind: 'connection', node: 'TaskTarget', order: targetOrder, where: targetFilter },
    taskTarget: { kind: 'one', node: 'TaskTarget', where: targetByCode },
  },
};
