/** The columns of the combustion-unit inventory's files (common/columns.ts): the export writes them, the import reads them back. */
import { CITY_COLUMNS, CITY_JOIN, col, into, type LedgerColumns } from '../../common/columns.js';
import { ENTERPRISE_BY_CREDIT_CODE } from '../enterprise/enterprise.columns.js';

/** Combustion units (createCombustionUnit writes a row; the enterprise by its credit code, the eliminating project by its id). */
export const COMBUSTION_UNIT_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'left join enterprise e on e.id = x.enterprise_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    ...CITY_COLUMNS,
    col.text('kind', '类型', 'x.kind', into('kind')),
    col.text('name', '名称', 'x.name', into('name')),
    col.text('fuel', '燃料', 'x.fuel', into('fuel')),
    col.number('capacity_tph', '容量(蒸吨/小时)', 'x.capacity_tph', into('capacityTph')),
    col.number('chamber_height_m', '炭化室高度(米)', 'x.chamber_height_m', into('chamberHeightM')),
    col.text('industry', '行业', 'x.industry', into('industry')),
    col.boolean('central_heating', '集中供热', 'x.central_heating', into('centralHeating')),
    col.boolean('new_build', '新建', 'x.new_build', into('newBuild')),
    col.boolean('approved_exception', '例外批准', 'x.approved_exception', into('approvedException')),
    col.text('status', '状态', 'x.status', into('status')),
    col.day('scheduled_elimination_by', '计划淘汰日期', 'x.scheduled_elimination_by', into('scheduledEliminationBy')),
    col.day('eliminated_on', '淘汰日期', 'x.eliminated_on', into('eliminatedOn')),
    col.number('elimination_project_id', '淘汰项目编号', 'x.elimination_project_id', into('eliminationProjectId')),
    col.number('locality_id', '所在地编号', 'x.locality_id', into('localityId')),
    col.number('enterprise_id', '企业编号', 'x.enterprise_id'),
    col.text('enterprise_name', '企业名称', 'e.name'),
    col.text('enterprise_credit_code', '企业统一社会信用代码', 'e.credit_code', { reference: ENTERPRISE_BY_CREDIT_CODE }),
    col.text('origin', '数据来源', 'x.origin'),
    col.instant('created_at', '创建时间', 'x.created_at'),
  ],
};
