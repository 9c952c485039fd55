/** The columns of the village conversion list's files (common/columns.ts): the export writes them, the import reads them back. */
import { CITY_JOIN, CITY_NAME_COLUMNS, col, into, type LedgerColumns, type Reference } from '../../common/columns.js';

/** A village named by its id (the export's village_id); its city is the scope an import is checked on. */
export const VILLAGE_BY_ID: Reference = {
  field: 'villageId',
  sql: `select l.id, l.city_id from locality l, (select trim(?) as given) g where g.given ~ '^[0-9]{1,9}$' and l.id = g.given::integer`,
  names: 'locality with this id',
};

/**
 * Household (village) heating conversions (createHouseholdConversion writes a row, with its rules:
 * build before break, the first heating season). The city is the village's, read only.
 */
export const HOUSEHOLD_CONVERSION_COLUMNS: LedgerColumns = {
  alias: 'x',
  joins: [CITY_JOIN('x'), 'join locality v on v.id = x.village_id', 'join locality tw on tw.id = v.parent_id', 'join locality co on co.id = tw.parent_id'],
  columns: [
    col.number('id', '编号', 'x.id'),
    ...CITY_NAME_COLUMNS,
    col.text('county', '县(区)', 'co.name_zh'),
    col.text('township', '乡(镇)', 'tw.name_zh'),
    col.number('village_id', '村编号', 'x.village_id', { reference: VILLAGE_BY_ID }),
    col.text('village', '村', 'v.name_zh'),
    col.number('project_id', '项目编号', 'x.project_id', into('projectId')),
    col.number('households', '户数', 'x.households', into('households')),
    col.text('new_system', '改造方式', 'x.new_system', into('newSystem')),
    col.day('converted_on', '改造完成日期', 'x.converted_on', into('convertedOn')),
    col.boolean('supply_stable', '供应稳定', 'x.supply_stable', into('supplyStable')),
    col.day('first_season_completed_on', '首个采暖季完成日期', 'x.first_season_completed_on', into('firstSeasonCompletedOn')),
    col.day('old_heating_removed_on', '原取暖设施拆除日期', 'x.old_heating_removed_on', into('oldHeatingRemovedOn')),
    col.text('origin', '数据来源', 'x.origin'),
    col.number('version', '版本', 'x.version'),
    col.instant('created_at', '创建时间', 'x.created_at'),
    col.instant('updated_at', '更新时间', 'x.updated_at'),
  ],
};
