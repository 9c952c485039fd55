import { inScope, requireRead, scopeCityIds } from '../../common/auth.js';
import { LedgerError, notFound, UserErrorCode, Violations } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { requireCampaign } from '../campaign/campaign.service.js';
import { resolvePlaceFilter } from '../geography/geography.service.js';
import { Locality } from '../inventory/household.entity.js';
import { aggregateSql, defaultAggregation, SUBJECTS, type SubjectDef } from './report.registry.js';
import {
  ReportDimension,
  ReportRowKind,
  ReportTotals,
  type Report,
  type ReportColumn,
  type ReportFilter,
  type ReportInput,
  type ReportRow,
} from './report.types.js';

/** Most dimensions of one report. */
export const MAX_REPORT_DIMENSIONS = 4;
/** Most measures of one report. */
export const MAX_REPORT_MEASURES = 12;
/** Most rows (details, subtotals and grand total) of one report. */
export const MAX_REPORT_ROWS = 10_000;

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A piece of SQL with its bindings (user values only ever travel as bindings). */
interface SqlPart {
  sql: string;
  bindings: unknown[];
}

/** Which filter field filters on which dimension. */
const FILTER_DIMENSIONS: Partial<Record<keyof ReportFilter, ReportDimension>> = {
  industries: ReportDimension.INDUSTRY,
  grades: ReportDimension.GRADE,
  graded: ReportDimension.GRADE,
  sizes: ReportDimension.ENTERPRISE_SIZE,
  projectTypes: ReportDimension.PROJECT_TYPE,
  projectStatuses: ReportDimension.PROJECT_STATUS,
  taskTargets: ReportDimension.TASK_TARGET,
  subsidyPrograms: ReportDimension.SUBSIDY_PROGRAM,
  lowIncome: ReportDimension.LOW_INCOME,
  campaign: ReportDimension.CAMPAIGN,
  locality: ReportDimension.COUNTY,
};

const LIST_FIELDS = ['industries', 'grades', 'sizes', 'projectTypes', 'projectStatuses', 'taskTargets', 'subsidyPrograms'] as const;

function supported(def: SubjectDef): string {
  return Object.keys(def.dimensions).join(', ');
}

/**
 * Checks a report filter against the subject (every condition must filter on a dimension the
 * subject has) and turns it into one SQL condition with bindings. Unknown places, campaigns,
 * targets and programs are NOT_FOUND naming the field under `path`.
 */
async function filterSql(ctx: RequestContext, subject: string, def: SubjectDef, filter: ReportFilter | null | undefined, path: string[], needs: Set<string>): Promise<SqlPart | null> {
  if (!filter) return null;
  const v = new Violations();
  const and: SqlPart[] = [];
  const at = (field: string) => [...path, field].join('.');
  for (const [field, dimension] of Object.entries(FILTER_DIMENSIONS) as [keyof ReportFilter, ReportDimension][]) {
    const value = filter[field];
    if (value === null || value === undefined) continue;
    const dim = def.dimensions[dimension];
    if (!dim) {
      v.add([...path, field], UserErrorCode.INVALID, `Subject ${subject} has no ${dimension} dimension, so it cannot be filtered by ${field}; its dimensions are ${supported(def)}.`);
      continue;
    }
    dim.needs?.forEach((n) => needs.add(n));
  }
  if ((filter.from || filter.to) && !def.date) {
    v.add([...path, filter.from ? 'from' : 'to'], UserErrorCode.INVALID, `Subject ${subject} has no date to filter on.`);
  }
  if (filter.from && filter.to && filter.from > filter.to) v.add([...path, 'to'], UserErrorCode.INVALID_DATE, 'Must not be before `from`.');
  v.throwIfAny();

  const cityIds = await resolvePlaceFilter(ctx.em, filter, path.join('.'));
  if (cityIds) and.push({ sql: 'c.id = any(?::int[])', bindings: [cityIds] });
  for (const field of LIST_FIELDS) {
    const values = filter[field];
    if (values) and.push({ sql: `${def.dimensions[FILTER_DIMENSIONS[field]!]!.key} = any(?::text[])`, bindings: [values] });
  }
  if (filter.graded === true) and.push({ sql: `${def.dimensions.GRADE!.key} is not null`, bindings: [] });
  if (filter.graded === false) and.push({ sql: `${def.dimensions.GRADE!.key} is null`, bindings: [] });
  if (filter.lowIncome !== null && filter.lowIncome !== undefined) {
    and.push({ sql: `${def.dimensions.LOW_INCOME!.key} = ?`, bindings: [String(filter.lowIncome)] });
  }
  if (filter.locality !== null && filter.locality !== undefined) {
    // The locality or any place under it: the record's village, township or county is it.
    const id = parseId(filter.locality, at('locality'));
    const locality = await ctx.loaders.byId(Locality).load(id);
    if (!locality || !inScope(ctx, locality.cityId)) throw notFound('locality', at('locality'), filter.locality);
    and.push({ sql: '? in (lv.id, lt.id, lc.id)', bindings: [id] });
  }
  if (filter.campaign !== null && filter.campaign !== undefined) {
    const campaign = await requireCampaign(ctx.em, filter.campaign, at('campaign'));
    and.push({ sql: 'cp.id = ?', bindings: [campaign.id] });
  }
  const knex = knexOf(ctx.em);
  for (const [field, table] of [['taskTargets', 'task_target'], ['subsidyPrograms', 'subsidy_program']] as const) {
    const codes = filter[field];
    if (!codes?.length) continue;
    const found = new Set((await knex(table).distinct('code').whereIn('code', codes)).map((r: { code: string }) => r.code));
    codes.forEach((code, i) => {
      if (!found.has(code)) v.add([...path, field, String(i)], UserErrorCode.NOT_FOUND, `No ${table.replace('_', ' ')} with code "${code}".`);
    });
  }
  v.throwIfAny();
  if (filter.from) and.push({ sql: `${def.date} >= ?::date`, bindings: [filter.from] });
  if (filter.to) and.push({ sql: `${def.date} <= ?::date`, bindings: [filter.to] });
  if (filter.origin) and.push({ sql: `${def.origin} = ?`, bindings: [filter.origin] });
  if (!and.length) return null;
  return { sql: and.map((p) => `(${p.sql})`).join(' and '), bindings: and.flatMap((p) => p.bindings) };
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export class ReportService {
  /**
   * Runs a custom report as one SQL statement: GROUP BY ROLLUP / CUBE / GROUPING SETS over the
   * dimensions, one aggregate (with its own FILTER) per measure.
   */
  static async report(ctx: RequestContext, input: ReportInput): Promise<Report> {
    const def = SUBJECTS[input.subject];
    // The subject's read rule (the rule of the list it aggregates), before anything is checked or read.
    requireRead(ctx, def.read);
    const v = new Violations();
    const dims = input.dimensions;
    if (dims.length > MAX_REPORT_DIMENSIONS) v.add(['input', 'dimensions'], UserErrorCode.OUT_OF_RANGE, `At most ${MAX_REPORT_DIMENSIONS} dimensions.`);
    const needs = new Set<string>();
    dims.forEach((d, i) => {
      const dim = def.dimensions[d];
      if (!dim) v.add(['input', 'dimensions', String(i)], UserErrorCode.INVALID, `Subject ${input.subject} cannot be grouped by ${d}; its dimensions are ${supported(def)}.`);
      else dim.needs?.forEach((n) => needs.add(n));
      if (dims.indexOf(d) !== i) v.add(['input', 'dimensions', String(i)], UserErrorCode.INVALID, `${d} is given twice.`);
    });
    if (!input.measures.length || input.measures.length > MAX_REPORT_MEASURES) {
      v.add(['input', 'measures'], UserErrorCode.OUT_OF_RANGE, `Give 1 to ${MAX_REPORT_MEASURES} measures.`);
    }
    const columns: ReportColumn[] = [];
    input.measures.forEach((m, i) => {
      const path = ['input', 'measures', String(i)];
      const measure = def.measures[m.measure];
      const aggregation = m.aggregation ?? defaultAggregation(m.measure);
      if (!measure) {
        v.add([...path, 'measure'], UserErrorCode.INVALID, `Subject ${input.subject} has no measure ${m.measure}; its measures are ${Object.keys(def.measures).join(', ')}.`);
      } else if (!measure.aggregations.includes(aggregation)) {
        v.add([...path, 'aggregation'], UserErrorCode.INVALID, `${m.measure} cannot be aggregated by ${aggregation}; use ${measure.aggregations.join(', ')}.`);
      }
      const name = m.name ?? ((aggregation as string) === m.measure ? aggregation.toLowerCase() : `${aggregation}_${m.measure}`.toLowerCase());
      if (!COLUMN_NAME.test(name)) v.add([...path, 'name'], UserErrorCode.INVALID, 'Must be letters, digits and underscores (not starting with a digit), at most 63.');
      else if (columns.some((c) => c.name === name)) v.add([...path, 'name'], UserErrorCode.INVALID, `Column name "${name}" is used twice; give the measures distinct names.`);
      columns.push({ name, measure: m.measure, aggregation, filtered: Boolean(m.filter) });
    });
    v.throwIfAny();
    for (const m of input.measures) def.measures[m.measure]?.needs?.forEach((n) => needs.add(n));

    const where = await filterSql(ctx, input.subject, def, input.filter, ['input', 'filter'], needs);
    const measureFilters: (SqlPart | null)[] = [];
    for (const [i, m] of input.measures.entries()) {
      measureFilters.push(await filterSql(ctx, input.subject, def, m.filter, ['input', 'measures', String(i), 'filter'], needs));
    }

    const bindings: unknown[] = [];
    const select: string[] = [];
    const groups: string[] = [];
    const orderBy: string[] = [];
    dims.forEach((d, i) => {
      const dim = def.dimensions[d]!;
      const sort = dim.sort ?? dim.key;
      select.push(`${dim.key} as k${i}`, `${dim.label} as l${i}`, `${dim.labelZh ?? 'null::text'} as z${i}`, `grouping(${dim.key})::int as g${i}`);
      groups.push(`(${[dim.key, dim.label, ...(dim.labelZh ? [dim.labelZh] : []), sort].join(', ')})`);
      orderBy.push(`g${i}`, `${sort}`, `k${i}`);
    });
    input.measures.forEach((m, j) => {
      const f = measureFilters[j];
      select.push(`(${aggregateSql(columns[j].aggregation, def.measures[m.measure]!.sql, f?.sql ?? null)})::float8 as m${j}`);
      if (f) bindings.push(...f.bindings);
    });
    // The caller's cities (city- and province-scoped API keys), besides row-level security.
    const scope = scopeCityIds(ctx);
    const conditions = [def.where, where?.sql, scope ? 'c.id = any(?::int[])' : null].filter(Boolean);
    if (where) bindings.push(...where.bindings);
    if (scope) bindings.push(scope);
    const joins = Object.entries(def.joins)
      .filter(([name]) => needs.has(name))
      .map(([, sql]) => sql);
    const totals = input.totals ?? ReportTotals.ROLLUP;
    let groupBy = '()';
    if (groups.length) {
      if (totals === ReportTotals.ROLLUP) groupBy = `rollup(${groups.join(', ')})`;
      else if (totals === ReportTotals.CUBE) groupBy = `cube(${groups.join(', ')})`;
      else groupBy = `grouping sets ((${groups.map((g) => g.slice(1, -1)).join(', ')}), ())`;
    }
    const sql = `select ${select.join(', ')}
      from ${def.from} ${joins.join(' ')}
      ${conditions.length ? `where ${conditions.map((c) => `(${c})`).join(' and ')}` : ''}
      group by ${groupBy}
      ${orderBy.length ? `order by ${orderBy.join(', ')}` : ''}
      limit ?`;
    bindings.push(MAX_REPORT_ROWS + 1);
    const result = await knexOf(ctx.em).raw(sql, bindings as never[]);
    const raw = result.rows as Record<string, unknown>[];
    if (raw.length > MAX_REPORT_ROWS) {
      throw LedgerError.of(['input', 'dimensions'], UserErrorCode.OUT_OF_RANGE, `The report has more than ${MAX_REPORT_ROWS.toLocaleString('en-US')} rows; use fewer dimensions or a narrower filter.`);
    }
    const rows: ReportRow[] = raw.map((r) => {
      const keys = dims.map((d, i) => {
        const isTotal = Number(r[`g${i}`]) === 1;
        const value = isTotal ? null : ((r[`k${i}`] as string | null) ?? null);
        const label = isTotal ? 'Total' : value === null ? def.dimensions[d]!.nullLabel : String(r[`l${i}`] ?? value);
        return { dimension: d, isTotal, value, label, labelZh: isTotal ? '合计' : ((r[`z${i}`] as string | null) ?? null) };
      });
      const level = keys.filter((k) => !k.isTotal).length;
      const kind = level === 0 ? ReportRowKind.GRAND_TOTAL : level === dims.length ? ReportRowKind.DETAIL : ReportRowKind.SUBTOTAL;
      return { kind, level, keys, values: columns.map((_, j) => num(r[`m${j}`])) };
    });
    const grandTotal = rows.find((r) => r.kind === ReportRowKind.GRAND_TOTAL);
    if (!grandTotal) throw new Error('A report without a grand total row.');
    return { subject: input.subject, dimensions: dims, columns, rows, grandTotal };
  }
}
