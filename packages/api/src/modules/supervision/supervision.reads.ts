/**
 * The declaration of supervision's collections (common/compiled): the sorts, filters and access
 * of rounds, clues (root, of a round, of an enterprise), enforcement actions, the fraud list and
 * inspections, read by the compiled lane and, through common/compiled/declared.ts, by the
 * resolvers, the exports and the watch list (supervision.service.ts). Every filter is written
 * here once. Everything but the fraud list needs a key.
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  equals,
  filterRules,
  fixedOrder,
  idEqualsChecked,
  inList,
  orderFrom,
  placeRules,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
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

/** A campaign by code (NOT_FOUND naming the field when none has it), on the row's campaign_id. */
const campaign: FilterKeyRule = (value, q, t, field) => {
  const code = q.param(value, 'text');
  q.check(`not exists (select 1 from campaign cp where cp.code = ${code})`, () => notFound('campaign', field, value));
  return [`${t}.campaign_id = (select cp.id from campaign cp where cp.code = ${code})`];
};

/** true: overdue today (the watch list, supervision.figures.ts daysOverdueSql); false: the others. */
const overdue: FilterKeyRule = (value, _q, t) => [`(${daysOverdueSql(t)}) ${value ? '>' : '='} 0`];

/** The province that pushed a round, by slug (NOT_FOUND naming the field). */
const pushedBy: FilterKeyRule = (value, q, t, field) => {
  const slug = q.param(value, 'text');
  q.check(`not exists (select 1 from province p where p.slug = ${slug})`, () => notFound('province', field, value));
  return [`${t}.province_id = (select p.id from province p where p.slug = ${slug})`];
};

const search: FilterKeyRule = (value, q, t) => {
  const text = String(value).trim();
  return text ? [`${t}.name ilike ${q.param(`%${likeLiteral(text)}%`, 'text')}`] : [];
};

const clueWhere = filterRules({
  ...placeRules(),
  stages: inList('stage'),
  sources: inList('source'),
  topics: inList('topic'),
  roundId: idEqualsChecked('round_id'),
  enterpriseId: idEqualsChecked('enterprise_id'),
  campaign,
  overdue,
  spotCheckFailed: equals('spot_check_failed', 'boolean'),
  origin: equals('origin', 'text'),
});

const childClueWhere = filterRules({ stages: inList('stage') });

const roundWhere = filterRules({
  campaign,
  province: pushedBy,
  ministry: (value, _q, t) => [value ? `${t}.province_id is null` : `${t}.province_id is not null`],
});

const actionWhere = filterRules({
  ...placeRules(),
  kinds: inList('kind'),
  clueId: idEqualsChecked('clue_id'),
  publicised: equals('publicised', 'boolean'),
  origin: equals('origin', 'text'),
});

const fraudListWhere = filterRules({ ...placeRules(), kinds: inList('kind'), campaign, search, origin: equals('origin', 'text') });

const inspectionWhere = filterRules({
  ...placeRules(),
  withoutClue: (value, _q, t) => [value ? `${t}.clue_id is null` : `${t}.clue_id is not null`],
  positiveList: equals('positive_list', 'boolean'),
});

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
    supervisionRounds: { kind: 'connection', node: 'SupervisionRound', order: fixedOrder({ column: 'pushed_on', kind: 'date' }, SortDirection.DESC), where: roundWhere },
    supervisionRound: { kind: 'one', node: 'SupervisionRound', where: byId() },
    clues: { kind: 'connection', node: 'Clue', order: clueOrder, where: clueWhere },
    clue: { kind: 'one', node: 'Clue', where: byId() },
    fraudList: { kind: 'connection', node: 'FraudListEntry', order: fixedOrder({ column: 'listed_on', kind: 'date' }, SortDirection.DESC), where: fraudListWhere },
    enforcementActions: { kind: 'connection', node: 'EnforcementAction', order: fixedOrder({ column: 'decided_on', kind: 'date' }, SortDirection.DESC), where: actionWhere },
    inspections: { kind: 'connection', node: 'Inspection', order: fixedOrder({ column: 'inspected_on', kind: 'date' }, SortDirection.DESC), where: inspectionWhere },
  },
};
