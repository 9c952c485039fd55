/** The columns of the disbursement lists' files (common/columns.ts): the export writes them, the import reads them back. */
import { CITY_COLUMNS, CITY_JOIN, col, into, personal, type LedgerColumns } from '../../common/columns.js';
import { ENTERPRISE_BY_CREDIT_CODE } from '../enterprise/enterprise.columns.js';
import { HOUSEHOLD_PERSONAL_DATA } from './subsidy.reads.js';

/**
 * Disbursements (recordDisbursement writes a row; the program by its code, an enterprise by its
 * credit code). The household's name and identity number are personal data, masked in exports.
 */
export const DISBURSEMENT_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'join subsidy_program sp on sp.id = x.program_id', 'left join enterprise e on e.id = x.enterprise_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    col.text('program', '补贴项目', 'sp.code', {
      reference: { field: 'programId', sql: 'select id, null::integer as city_id from subsidy_program where code = trim(?)', names: 'subsidy program with this code' },
    }),
    col.number('city_id', '城市编号', 'x.city_id'),
    ...CITY_COLUMNS,
    col.text('recipient_kind', '对象类型', 'x.recipient_kind', into('recipientKind')),
    personal(col.text('household_name', '户主姓名', 'x.household_name', into('householdName')), HOUSEHOLD_PERSONAL_DATA.householdName),
    personal(col.text('household_id_number', '身份证号', 'x.household_id_number', into('householdIdNumber')), HOUSEHOLD_PERSONAL_DATA.householdIdNumber),
    col.boolean('low_income', '低收入户', 'x.low_income', into('lowIncome')),
    col.number('enterprise_id', '企业编号', 'x.enterprise_id'),
    col.text('enterprise_name', '企业名称', 'e.name'),
    col.text('enterprise_credit_code', '企业统一社会信用代码', 'e.credit_code', { reference: ENTERPRISE_BY_CREDIT_CODE }),
    col.number('amount_yuan', '金额(元)', 'x.amount_yuan', into('amount')),
    col.day('approved_on', '批准日期', 'x.approved_on', into('approvedOn')),
    col.day('paid_on', '拨付日期', 'x.paid_on', into('paidOn')),
    col.number('days_to_payment', '拨付用时(天)', 'x.paid_on - x.approved_on'),
    col.text('note', '备注', 'x.note', into('note')),
    col.text('origin', '数据来源', 'x.origin'),
  ],
};
