/**
 * Compiled reads of retrofit projects (common/compiled), with the sorts and filters of
 * project.service.ts (orderSpec, projectCondition). Projects are not public: anonymous callers
 * go to the resolvers (UNAUTHENTICATED). The taskTarget and campaign filters are left to the
 * resolvers.
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  equals,
  filterRules,
  idEquals,
  inList,
  orderFrom,
  placeRules,
  type ConnectionModel,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { RetrofitProject } from './project.entity.js';
import { RetrofitProjectOrderField } from './project.types.js';

const dateBound = (column: string, op: '>=' | '<='): FilterKeyRule => (value, q, t) => [`${t}.${column} ${op} ${q.param(value, 'date')}`];

const where = filterRules({
  ...placeRules(),
  types: inList('type'),
  statuses: inList('status'),
  origin: equals('origin', 'text'),
  enterpriseId: idEquals('enterprise_id'),
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
