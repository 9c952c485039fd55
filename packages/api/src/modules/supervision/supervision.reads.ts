/**
 * Compiled reads of supervision (common/compiled), with the sorts and filters of
 * supervision.service.ts (clueOrder, clueCondition, fraudListQuery, actionListQuery, ROUND_ORDER,
 * FRAUD_LIST_ORDER, ACTION_ORDER). Everything but the fraud list needs a key. Filters by campaign
 * code, the overdue flag and rounds by province are left to the resolvers (CANNOT).
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  equals,
  filterRules,
  fixedOrder,
  idEquals,
  inList,
  orderFrom,
  placeRules,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { likeLiteral } from '../../common/sql.js';
import { Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, Inspection, SupervisionRound } from './supervision.entity.js';
import { daysOverdueSql } from './supervision.figures.js';
import { ClueOrderField } from './supervision.types.js';

/** Newest identified first by default; an orderBy without direction is ascending. */
const clueOrder = orderFrom(
  {
    [ClueOrderField.IDENTIFIED_AT]: { column: 'identified_at', kind: 'timestamp' },
    [ClueOrderField.UPDATED_AT]: { column: 'updated_at', kind: 'timestamp' },
  },
  { field: ClueOrderField.IDENTIFIED_AT, direction: SortDirection.DESC },
);

const clueWhere = filterRules({
  ...placeRules(),
  stages: inList('stage'),
  sources: inList('source'),
  topics: inList('topic'),
  roundId: idEquals('round_id'),
  enterpriseId: idEquals('enterprise_id'),
  spotCheckFailed: equals('spot_check_failed', 'boolean'),
  origin: equals('origin', 'text'),
});

const childClueWhere = filterRules({ stages: inList('stage') });

const search: FilterKeyRule = (value, q, t) => {
  const text = String(value).trim();
  return text ? [`${t}.name ilike ${q.param(`%${likeLiteral(text)}%`, 'text')}`] : [];
};

export const SUPERVISION_READS: ReadModels = {
  types: [
    {
      type: 'SupervisionRound',
      entity: SupervisionRound,
      public: false,
      references: { campaign: { node: 'Campaign', column: 'campaign_id' }, province: { node: 'Province', column: 'province_id' } },
      connections: { clues: { node: 'Clue', parentColumn: 'round_id', order: clueOrder, where: childClueWhere } },
    },
    {
      type: 'Clue',
      entity: Clue,
      public: false,
      references: {
        city: { node: 'City', column: 'city_id' },
        campaign: { node: 'Campaign', column: 'campaign_id' },
        round: { node: 'SupervisionRound', column: 'round_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
      },
      lists: {
        steps: { node: 'ClueStep', column: 'clue_id', orderBy: (t) => `${t}.seq, ${t}.id` },
        actions: { node: 'EnforcementAction', column: 'clue_id', orderBy: (t) => `${t}.id` },
      },
      computed: { daysOverdue: (a) => `(${daysOverdueSql(a)})::int::text` },
    },
    { type: 'ClueStep', entity: ClueStep, public: false },
    {
      type: 'EnforcementAction',
      entity: EnforcementAction,
      public: false,
      references: {
        clue: { node: 'Clue', column: 'clue_id' },
        city: { node: 'City', column: 'city_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
      },
    },
    {
      type: 'FalsificationFinding',
      entity: FalsificationFinding,
      public: false,
      references: {
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
        gradeChange: { node: 'GradeChange', column: 'grade_change_id' },
        city: { node: 'City', column: 'city_id' },
      },
      lists: { fraudListEntries: { node: 'FraudListEntry', column: 'finding_id', orderBy: (t) => `${t}.id` } },
    },
    {
      type: 'FraudListEntry',
      entity: FraudListEntry,
      public: true,
      references: {
        city: { node: 'City', column: 'city_id' },
        campaign: { node: 'Campaign', column: 'campaign_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
      },
    },
    {
      type: 'Inspection',
      entity: Inspection,
      public: false,
      references: {
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
        clue: { node: 'Clue', column: 'clue_id' },
        city: { node: 'City', column: 'city_id' },
      },
    },
  ],
  extensions: [{ type: 'Enterprise', connections: { clues: { node: 'Clue', parentColumn: 'enterprise_id', order: clueOrder, where: childClueWhere } } }],
  roots: {
    clues: { kind: 'connection', node: 'Clue', order: clueOrder, where: clueWhere },
    clue: { kind: 'one', node: 'Clue', where: byId() },
    supervisionRound: { kind: 'one', node: 'SupervisionRound', where: byId() },
    fraudList: {
      kind: 'connection',
      node: 'FraudListEntry',
      order: fixedOrder({ column: 'listed_on', kind: 'date' }, SortDirection.DESC),
      where: filterRules({ ...placeRules(), kinds: inList('kind'), search, origin: equals('origin', 'text') }),
    },
    enforcementActions: {
      kind: 'connection',
      node: 'EnforcementAction',
      order: fixedOrder({ column: 'decided_on', kind: 'date' }, SortDirection.DESC),
      where: filterRules({ ...placeRules(), kinds: inList('kind'), clueId: idEquals('clue_id'), publicised: equals('publicised', 'boolean'), origin: equals('origin', 'text') }),
    },
  },
};
