/** The columns of the retrofit projects' files (common/columns.ts): the export writes them, the import reads them back. */
import { CITY_COLUMNS, CITY_JOIN, col, into, type LedgerColumns } from '../../common/columns.js';
import { ENTERPRISE_BY_CREDIT_CODE } from '../enterprise/enterprise.columns.js';

/** Retrofit projects (createRetrofitProject writes a row; the enterprise by its credit code, the task target by its code). */
export const RETROFIT_PROJECT_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'left join enterprise e on e.id = x.enterprise_id', 'left join task_target t on t.id = x.task_target_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    col.text('name', '项目名称', 'x.name', into('name')),
    ...CITY_COLUMNS,
    col.text('type', '项目类型', 'x.type', into('type')),
    col.text('status', '状态', 'x.status', into('status')),
    col.number('enterprise_id', '企业编号', 'x.enterprise_id'),
    col.text('enterprise_name', '企业名称', 'e.name'),
    col.text('enterprise_credit_code', '企业统一社会信用代码', 'e.credit_code', { reference: ENTERPRISE_BY_CREDIT_CODE }),
    col.text('task_target', '任务目标', 't.code', into('taskTarget')),
    col.day('planned_start_date', '计划开工日期', 'x.planned_start_date', into('plannedStartDate')),
    col.day('planned_end_date', '计划完工日期', 'x.planned_end_date', into('plannedEndDate')),
    col.day('actual_start_date', '实际开工日期', 'x.actual_start_date', into('actualStartDate')),
    col.day('actual_end_date', '实际完工日期', 'x.actual_end_date', into('actualEndDate')),
    col.number('households', '户数', 'x.households', into('households')),
    col.number('units', '台(套)数', 'x.units', into('units')),
    col.number('capacity_tonnes', '产能(万吨)', 'x.capacity_tonnes', into('capacityTonnes')),
    col.number('investment_yuan', '投资(元)', 'x.investment_yuan', into('investmentYuan')),
    col.text('origin', '数据来源', 'x.origin'),
    col.instant('created_at', '创建时间', 'x.created_at'),
  ],
};
