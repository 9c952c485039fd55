/**
 * The columns of the emergency reduction list's files (common/columns.ts): the export writes them,
 * the import reads them back. A row is one entry of setReductionListEntries' `entries` (fields
 * `entries.*`) with the list it belongs to (`city`, `campaign`): the import writes each city's
 * list of a campaign with one call of the mutation, so its rules over the whole list hold.
 */
import { CITY_COLUMNS, CITY_JOIN, col, into, type LedgerColumns, type Reference } from '../../common/columns.js';
import { ENTERPRISE_BY_CREDIT_CODE } from '../enterprise/enterprise.columns.js';

/** The listed enterprise, named by its credit code, into the entry's enterpriseId. */
const LISTED_ENTERPRISE: Reference = { ...ENTERPRISE_BY_CREDIT_CODE, field: 'entries.enterpriseId' };

/** Entries of the emergency reduction lists (setReductionListEntries writes them, a city's list of a campaign at a time). */
export const REDUCTION_LIST_ENTRY_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'join campaign cp on cp.id = x.campaign_id', 'join enterprise e on e.id = x.enterprise_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    col.text('campaign', '攻坚行动', 'cp.code', into('campaign')),
    ...CITY_COLUMNS,
    col.number('enterprise_id', '企业编号', 'x.enterprise_id'),
    col.text('enterprise_name', '企业名称', 'e.name'),
    col.text('credit_code', '统一社会信用代码', 'e.credit_code', { reference: LISTED_ENTERPRISE }),
    col.text('industry', '行业', 'e.industry'),
    col.text('grade_at_listing', '列入时绩效等级', 'x.grade_at_listing'),
    col.boolean('protected_exempt', '保障类豁免', 'x.protected_exempt', into('entries.protectedExempt')),
    col.number('so2_baseline', '二氧化硫基准排放量(吨/日)', 'x.so2_baseline::float8', into('entries.so2Baseline')),
    col.number('nox_baseline', '氮氧化物基准排放量(吨/日)', 'x.nox_baseline::float8', into('entries.noxBaseline')),
    col.number('pm_baseline', '颗粒物基准排放量(吨/日)', 'x.pm_baseline::float8', into('entries.pmBaseline')),
    col.number('vocs_baseline', '挥发性有机物基准排放量(吨/日)', 'x.vocs_baseline::float8', into('entries.vocsBaseline')),
    col.text('yellow_measure', '黄色预警措施', 'x.yellow_measure', into('entries.yellow.measure')),
    col.number('yellow_cut_percent', '黄色预警减排比例(%)', 'x.yellow_cut_percent::float8', into('entries.yellow.cutPercent')),
    col.text('orange_measure', '橙色预警措施', 'x.orange_measure', into('entries.orange.measure')),
    col.number('orange_cut_percent', '橙色预警减排比例(%)', 'x.orange_cut_percent::float8', into('entries.orange.cutPercent')),
    col.text('red_measure', '红色预警措施', 'x.red_measure', into('entries.red.measure')),
    col.number('red_cut_percent', '红色预警减排比例(%)', 'x.red_cut_percent::float8', into('entries.red.cutPercent')),
    col.text('measure_note', '措施说明', 'x.measure_note', into('entries.measureNote')),
    col.text('origin', '数据来源', 'x.origin'),
    col.number('version', '版本', 'x.version'),
  ],
};
