/**
 * The columns of the enterprise register's and the grade decisions' files (common/columns.ts):
 * the export writes them, the import reads them back.
 */
import { CITY_COLUMNS, CITY_JOIN, col, into, type LedgerColumns, type Reference } from '../../common/columns.js';

/** An enterprise named by its unified social credit code. */
export const ENTERPRISE_BY_CREDIT_CODE: Reference = {
  field: 'enterpriseId',
  sql: 'select id, city_id from enterprise where credit_code = upper(trim(?))',
  names: 'enterprise with this credit code',
};

/** Enterprises (createEnterprise writes a row; the grade is set by grade decisions). */
export const ENTERPRISE_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x')],
  columns: [
    col.number('id', '编号', 'x.id'),
    col.text('name', '企业名称', 'x.name', into('name')),
    col.text('credit_code', '统一社会信用代码', 'x.credit_code', into('creditCode')),
    ...CITY_COLUMNS,
    col.text('industry', '行业', 'x.industry', into('industry')),
    col.text('size', '规模', 'x.size', into('size')),
    col.text('current_grade', '当前绩效等级', 'x.current_grade'),
    col.boolean('key_discharger', '重点排污单位', 'x.key_discharger', into('keyDischarger')),
    col.boolean('online_monitoring', '在线监测联网', 'x.online_monitoring', into('onlineMonitoring')),
    col.text('ultra_low_emission_status', '超低排放改造状态', 'x.ultra_low_emission_status', into('ultraLowEmissionStatus')),
    col.text('protected_class', '保障类', 'x.protected_class', into('protectedClass')),
    col.boolean('benchmark', '标杆企业', 'x.benchmark', into('benchmark')),
    col.boolean('positive_list', '正面清单', 'x.positive_list', into('positiveList')),
    col.text('origin', '数据来源', 'x.origin'),
    col.instant('created_at', '创建时间', 'x.created_at'),
    col.instant('updated_at', '更新时间', 'x.updated_at'),
  ],
};

/** Performance-grade decisions (recordGradeChange writes a row; the enterprise by its credit code). */
export const GRADE_CHANGE_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'join enterprise e on e.id = x.enterprise_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    col.number('enterprise_id', '企业编号', 'x.enterprise_id'),
    col.text('enterprise_name', '企业名称', 'e.name'),
    col.text('credit_code', '统一社会信用代码', 'e.credit_code', { reference: ENTERPRISE_BY_CREDIT_CODE }),
    ...CITY_COLUMNS,
    col.text('from_grade', '原绩效等级', 'x.from_grade'),
    col.text('to_grade', '绩效等级', 'x.to_grade', into('toGrade')),
    col.text('reason', '调整原因', 'x.reason', into('reason')),
    col.text('note', '备注', 'x.note', into('note')),
    col.text('decided_by', '决定机关', 'x.decided_by', into('decidedBy')),
    col.instant('decided_at', '决定时间', 'x.decided_at', into('decidedAt')),
    col.text('origin', '数据来源', 'x.origin'),
  ],
};
