/**
 * The declaration of the subsidy ledger's reads (common/compiled): subsidy programs, budgets and
 * disbursements, their sorts and filters, read by the compiled lane, the resolvers
 * (subsidy.service.ts) and the exports. None is public (a key is needed); budgets and
 * disbursements are city-scoped (city_id). The household's name and identity number are personal
 * data (HOUSEHOLD_PERSONAL_DATA below, on the rules of common/privacy.ts): masked in SQL for whoever may not see them.
 */
import { SortDirection } from '../../common/pagination.js';
import {
  byId,
  campaignByCode,
  equals,
  filterRules,
  fixedOrder,
  idEqualsChecked,
  inList,
  isSet,
  orderFrom,
  personal,
  placeRules,
  type ConnectionModel,
  type FilterKeyRule,
  type ReadModels,
} from '../../common/compiled/model.js';
import { notFound } from '../../common/errors.js';
import { idOrNull, parseId } from '../../common/ids.js';
import type { LedgerError } from '../../common/errors.js';
import { ID_NUMBER_MASK, NAME_MASK, PERSONAL_DATA_VIEWERS, type PersonalField } from '../../common/privacy.js';
import { Disbursement, SubsidyBudget, SubsidyProgram } from './subsidy.entity.js';
import { DisbursementOrderField } from './subsidy.types.js';

/**
 * The personal fields of a disbursement: the name and resident identity number of the head of
 * the receiving household, in full for the ministry and the paying city's CITY keys, masked
 * (张**, 1101**********123X) for every other caller. The compiled lane and the exports mask in
 * SQL, the resolvers (privacy.resolver.ts) and the audit trail with the TypeScript twin.
 */
export const HOUSEHOLD_PERSONAL_DATA: Record<'householdName' | 'householdIdNumber', PersonalField> = {
  householdName: { column: 'household_name', cityColumn: 'city_id', viewers: PERSONAL_DATA_VIEWERS, mask: NAME_MASK },
  householdIdNumber: { column: 'household_id_number', cityColumn: 'city_id', viewers: PERSONAL_DATA_VIEWERS, mask: ID_NUMBER_MASK },
};

const dateBound = (column: string, op: '>=' | '<='): FilterKeyRule => (value, q, t) => [`${t}.${column} ${op} ${q.param(value, 'date')}`];

/**
 * A subsidy program by id: a value that is not an id is INVALID, an unknown program NOT_FOUND,
 * both naming the field, after the checks declared before it.
 */
const programId: FilterKeyRule = (value, q, t, field) => {
  const id = idOrNull(value as string);
  if (id === null) {
    q.check('true', () => {
      try {
        parseId(value as string, field);
      } catch (e) {
        return e as LedgerError;
      }
      throw new Error('unreachable');
    });
    return ['false'];
  }
  const p = q.param(id, 'integer');
  q.check(`not exists (select 1 from subsidy_program sp where sp.id = ${p})`, () => notFound('subsidy program', field, value));
  return [`${t}.program_id = ${p}`];
};

/** The filter of a program's disbursements (ProgramDisbursementFilter), in the order its errors come. */
const programDisbursementRules: Record<string, FilterKeyRule> = {
  ...placeRules(),
  recipientKind: equals('recipient_kind', 'text'),
  enterpriseId: idEqualsChecked('enterprise_id'),
  lowIncome: equals('low_income', 'boolean'),
  paid: isSet('paid_on'),
  approvedFrom: dateBound('approved_on', '>='),
  approvedTo: dateBound('approved_on', '<='),
  paidFrom: dateBound('paid_on', '>='),
  paidTo: dateBound('paid_on', '<='),
  origin: equals('origin', 'text'),
};

/** In the order they were recorded by default; an orderBy without direction is ascending. */
const disbursementOrder = orderFrom(
  {
    [DisbursementOrderField.ID]: { column: 'id', kind: 'number' },
    [DisbursementOrderField.APPROVED_ON]: { column: 'approved_on', kind: 'date' },
    [DisbursementOrderField.AMOUNT]: { column: 'amount_yuan', kind: 'decimal' },
  },
  { field: DisbursementOrderField.ID, direction: SortDirection.ASC },
);

const programDisbursements: ConnectionModel = { node: 'Disbursement', parentColumn: 'program_id', order: disbursementOrder, where: filterRules(programDisbursementRules) };

export const SUBSIDY_READS: ReadModels = {
  types: [
    {
      type: 'SubsidyProgram',
      entity: SubsidyProgram,
      public: false,
      references: { campaign: { node: 'Campaign', column: 'campaign_id' } },
      connections: { disbursements: programDisbursements },
    },
    {
      type: 'SubsidyBudget',
      entity: SubsidyBudget,
      public: false,
      references: { program: { node: 'SubsidyProgram', column: 'program_id' }, city: { node: 'City', column: 'city_id' } },
    },
    {
      type: 'Disbursement',
      entity: Disbursement,
      public: false,
      references: {
        program: { node: 'SubsidyProgram', column: 'program_id' },
        budget: { node: 'SubsidyBudget', column: 'budget_id' },
        city: { node: 'City', column: 'city_id' },
        enterprise: { node: 'Enterprise', column: 'enterprise_id' },
      },
      computed: {
        householdName: personal(HOUSEHOLD_PERSONAL_DATA.householdName),
        householdIdNumber: personal(HOUSEHOLD_PERSONAL_DATA.householdIdNumber),
        daysToPayment: (a) => `coalesce((${a}.paid_on - ${a}.approved_on)::text, 'null')`,
      },
    },
  ],
  extensions: [{ type: 'City', lists: { subsidyBudgets: { node: 'SubsidyBudget', column: 'city_id', orderBy: (t) => `${t}.program_id, ${t}.id` } } }],
  roots: {
    subsidyPrograms: {
      kind: 'connection',
      node: 'SubsidyProgram',
      order: fixedOrder({ column: 'id', kind: 'number' }, SortDirection.ASC),
      where: filterRules({ campaign: campaignByCode(), kinds: inList('kind') }),
    },
    subsidyProgram: { kind: 'one', node: 'SubsidyProgram', where: byId() },
    disbursements: { kind: 'connection', node: 'Disbursement', order: disbursementOrder, where: filterRules({ ...programDisbursementRules, programId }) },
  },
};
