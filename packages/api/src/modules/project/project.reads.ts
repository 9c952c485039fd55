/**
 * The declaration of retrofit projects: sorts and filters read by the compiled lane and by the
 * resolvers and exports (common/compiled/declared.ts, project.service.ts). Projects are not
 * public: anonymous callers go to the resolvers (UNAUTHENTICATED).
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  equals,
  filterRules,
  idEqualsChecked,
  inList,
  orderFrom,
  placeRules,
  type ConnectionModel,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
import { RetrofitProject } from './project.entity.js';
import { RetrofitProjectOrderField } from './project.types.js';

const dateBound = (column: string, op: '>=' | '<='): FilterKeyRule => (value, q, t) => [`${t}.${column} ${op} ${q.param(value, 'date')}`];

/**
 * A task target by code within `campaign` (or the latest campaign), as target.service.ts
 * requireTaskTarget: an unknown campaign, then an unknown code, is NOT_FOUND.
 */
const taskTarget: FilterKeyRule = (value, q, t, field, filter) => {
  const prefix = field.slice(0, field.lastIndexOf('.'));
  const code = q.param(value, 'text');
  const campaignCode = filter?.campaign;
  let campaign: string;
  if (campaignCode === null || campaignCode === undefined) {
    campaign = `(select c.id from campaign c where c.id > 0 order by c.period_start desc, c.id desc limit 1)`;
    q.check(`not exists (select 1 from campaign c where c.id > 0)`, () => notFound('campaign', `${prefix}.campaign`, '(latest)'));
  } else {
    const given = q.param(campaignCode, 'text');
    campaign = `(select c.id from campaign c where c.code = ${given})`;
    q.check(`not exists (select 1 from campaign c where c.code = ${given})`, () => notFound('campaign', `${prefix}.campaign`, campaignCode));
  }
  const target = `(select tt.id from task_target tt where tt.campaign_id = ${campaign} and tt.code = ${code})`;
  q.check(`${target} is null`, () => notFound('task target', field, value));
  return [`${t}.task_target_id = ${target}`];
};

const where = filterRules({
  ...placeRules(),
  types: inList('type'),
  statuses: inList('status'),
  origin: equals('origin', 'text'),
  taskTarget,
  // Only with taskTarget (the campaign of its code).
  campaign: () => [],
  enterpriseId: idEqualsChecked('enterprise_id'),
  plannedEndFrom: dateBound('planned_end_date', '>='),
  plannedEndTo: dateBound('planned_end_date', '<='),
  actualEndFrom: dateBound('actual_end_date', '>='),
  actualEndTo: dateBound('actual_end_date', '<='),
});

/** Newest first by default; an orderBy without direction is ascending. */
const order = orderFrom(
  {
    [RetrofitProjectOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp' },
    [RetrofitProjectOrderField.UPDATED_AT]: { column: 'updated_at', kind: 'timestamp' },
    [RetrofitProjectOrderField.NAME]: { column: 'name', kind: 'text' },
    [RetrofitProjectOrderField.PLANNED_START_DATE]: { column: 'planned_start_date', kind: 'date' },
    [RetrofitProjectOrderField.PLANNED_END_DATE]: { column: 'planned_end_date', kind: 'date' },
    [RetrofitProjectOrderField.INVESTMENT_YUAN]: { column: 'investment_yuan', kind: 'decimal' },
  },
  { field: RetrofitProjectOrderField.CREATED_AT, direction: SortDirection.DESC },
);

const childProjects = (parentColumn: string): ConnectionModel => ({ node: 'RetrofitProject', parentColumn, order, where });

export const PROJECT_READS: ReadModels = {
  types: [
    {
      type: 'RetrofitProject',
      entity: RetrofitProject,
      public: false,
      references: {
        city: { node: 'City', column: 'city_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
        taskTarget: { node: 'TaskTarget', column: 'task_target_id' },
      },
    },
  ],
  extensions: [
    { type: 'Enterprise', connections: { retrofitProjects: childProjects('enterprise_id') } },
    { type: 'City', connections: { retrofitProjects: childProjects('city_id') } },
    { type: 'TaskTarget', connections: { projects: childProjects('task_target_id') } },
  ],
  roots: {
    retrofitProjects: { kind: 'connection', node: 'RetrofitProject', order, where },
    retrofitProject: { kind: 'one', node: 'RetrofitProject', where: byId() },
  },
};
