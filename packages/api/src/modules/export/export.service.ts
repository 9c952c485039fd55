import type { Writable } from 'node:stream';
import { coerceInputValue, GraphQLError, GraphQLInputObjectType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { LedgerError, UserErrorCode, type Issue } from '../../common/errors.js';
import { inputValueIssues } from '../../common/hardening/inputs.js';
import { isScoped, mayRead, READS, scopeStatement } from '../../common/auth.js';
import { orderByOf, type OrderSpec } from '../../common/pagination.js';
import { declaredOrderSql, nativeSql, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../context.js';
import { ReportService } from '../report/report.service.js';
import { mayReadSection, ScorecardService } from '../report/scorecard.service.js';
import type { ReportInput } from '../report/report.types.js';
import type { EmergencyFigures } from '../warning/figures.types.js';
import { POLLUTANTS } from '../warning/warning.figures.js';
import { LEVELS } from '../warning/reduction.rules.js';
import { WarningFlagReason } from '@airledger/schema';
import { personalSql } from '../../common/privacy.js';
import { LIST_EXPORTS, type ColumnType, type ExportColumn, type ListExport } from './export.lists.js';
import { csvWriter, xlsxWriter, type ExportFormat, type RowWriter } from './export.writer.js';

/** Rows fetched from the cursor per round trip. */
const CURSOR_BATCH = 1000;


/** The report exports and the JSON `input` they take. */
export const REPORT_EXPORTS = ['report', 'campaign-scorecards', 'monthly-pm25-ranking'] as const;
export type ReportExportName = (typeof REPORT_EXPORTS)[number];

/**
 * The columns of the scorecards' emergency figures: warning days by level, heavy days with and
 * without a warning, flagged warnings (and by reason); for callers who may read the lists, their
 * coverage (overall and per industry found in any card) and planned reduction share per level and
 * pollutant against the guidance; for callers who may read checks, the check figures.
 */
function emergencyColumns(ctx: Pick<RequestContext, 'actor'>, all: EmergencyFigures[]) {
  const reasons = Object.values(WarningFlagReason);
  const withLists = mayRead(ctx, READS.reductionLists);
  const withChecks = mayRead(ctx, READS.measureChecks);
  const industries = [...new Set(all.flatMap((f) => f.reductionLists?.coverageByIndustry.map((i) => i.industry) ?? []))].sort();
  const planned = LEVELS.flatMap((l) => POLLUTANTS.map((p) => `${l.toLowerCase()}_${p.column}`));
  const headers = [
    ...LEVELS.map((l) => `warning_days_${l.toLowerCase()}`),
    'heavy_days_with_warning', 'heavy_days_without_warning', 'warnings', 'flagged_warnings',
    ...reasons.map((r) => `flagged_${r.toLowerCase()}`),
    ...(withLists
      ? [
          'listed_enterprises', 'registered_enterprises', 'coverage_rate',
          ...industries.flatMap((i) => [`listed_${i.toLowerCase()}`, `registered_${i.toLowerCase()}`]),
          ...planned.flatMap((p) => [`planned_reduction_${p}_share`, `planned_reduction_${p}_meets_target`]),
        ]
      : []),
    ...(withChecks ? ['checks', 'failed_checks', 'check_failure_rate', 'downgrades'] : []),
  ];
  const values = (f: EmergencyFigures): unknown[] => {
    const l = f.reductionLists;
    const m = f.measureChecks;
    const byIndustry = new Map(l?.coverageByIndustry.map((i) => [i.industry, i]) ?? []);
    return [
      ...LEVELS.map((level) => f.warningDays.find((d) => d.level === level)?.days ?? 0),
      f.heavyDaysWithWarning, f.heavyDaysWithoutWarning, f.warnings, f.flaggedWarnings,
      ...reasons.map((reason) => f.flaggedByReason.find((r) => r.reason === reason)?.count ?? 0),
      ...(withLists && l
        ? [
            l.listedEnterprises, l.registeredEnterprises, l.coverageRate,
            ...industries.flatMap((i) => [byIndustry.get(i)?.listed ?? 0, byIndustry.get(i)?.registered ?? 0]),
            ...LEVELS.flatMap((level) => POLLUTANTS.map(({ pollutant }) => l.plannedReduction.find((p) => p.level === level && p.pollutant === pollutant)!).flatMap((p) => [p.share, p.meetsTarget])),
          ]
        : []),
      ...(withChecks && m ? [m.checks, m.failedChecks, m.failureRate, m.downgrades] : []),
    ];
  };
  return { headers, values };
}

/**
 * Parses a JSON query parameter and coerces it with a GraphQL input type of the schema, exactly as
 * a GraphQL variable of that type is coerced (enums, scalars, required fields, defaults). Problems
 * are BAD_USER_INPUT naming the path, e.g. filter.industries.0.
 */
export function coerceParam(schema: GraphQLSchema, param: string, raw: unknown, typeName: string | GraphQLInputType, required = false): any {
  if (raw === undefined || raw === '') {
    if (required) throw LedgerError.of(param, UserErrorCode.REQUIRED, `The ${param} parameter (JSON) is required.`);
    return null;
  }
  if (typeof raw !== 'string') throw LedgerError.of(param, UserErrorCode.INVALID, `Give ${param} once, as JSON.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw LedgerError.of(param, UserErrorCode.INVALID, `${param} is not valid JSON.`);
  }
  const type = typeof typeName === 'string' ? (schema.getType(typeName) as GraphQLInputType | undefined) : typeName;
  if (!type) throw new Error(`No input type ${String(typeName)} in the schema`);
  const issues: Issue[] = [];
  const coerced = coerceInputValue(value, type, (path, _invalid, error: GraphQLError) => {
    issues.push({ field: [param, ...path.map(String)], code: UserErrorCode.INVALID, message: error.message });
  });
  if (!issues.length) issues.push(...inputValueIssues(type, coerced, [param]));
  if (issues.length) throw new LedgerError(issues);
  return coerced;
}

/**
 * Rows of a list export (`q`: the condition and sort `def.query` gave for the caller), streamed
 * from a server-side cursor on a connection of the exports' own pool (export.capacity.ts: the
 * cursor's one-hour statement_timeout is that pool's; GraphQL's pool is not used). A caller
 * restricted to some cities reads in a transaction of its own under row-level security (the
 * scope statement of auth.ts, as a request transaction). A connection whose export failed or was
 * aborted is closed rather than returned to the pool.
 */
/** SQL of an export column on the list's declared query: personal data through its masking for the caller. */
function columnSql(c: ExportColumn, alias: string, q: DeclaredQuery): string {
  if (c.personal) return personalSql(c.personal, alias, q.viewer());
  return c.sql;
}

/** The statement of a list whose collection is declared (common/compiled/declared.ts), on alias def.alias. */
function declaredSql(def: ListExport, q: DeclaredQuery): { sql: string; bindings: unknown[] } {
  const where = q.conditions.length ? ` where ${q.conditions.join(' and ')}` : '';
  const text = `select ${def.columns.map((c, i) => `${columnSql(c, def.alias, q)} as c${i}`).join(', ')} from ${q.table} ${def.alias} ${def.joins.join(' ')}${where} order by ${declaredOrderSql(q.order, def.alias)}`;
  const native = nativeSql(text, q.values);
  return { sql: native.sql, bindings: native.values };
}

/** The statement of a list whose condition is a MikroORM filter. */
function mikroSql(em: EntityManager, def: ListExport, q: { where: unknown; order: OrderSpec }): { sql: string; bindings: unknown[] } {
  const knex = em.getKnex();
  const props = em.getMetadata().get(def.entity.name).properties as Record<string, { fieldNames: string[] }>;
  const query = em.createQueryBuilder(def.entity, def.alias).where(q.where as never).getKnexQuery();
  query.clearSelect().clearOrder();
  query.select(
    knex.raw(
      def.columns
        .map((c, i) => {
          if (c.personal) throw new Error(`${def.entity.name}: column ${c.header} is personal data, masked on a declared query only`);
          return `${c.sql} as c${i}`;
        })
        .join(', '),
    ),
  );
  for (const join of def.joins) query.joinRaw(join);
  for (const [property, direction] of Object.entries(orderByOf(q.order))) {
    query.orderByRaw(`${def.alias}.${props[property].fieldNames[0]} ${direction}`);
  }
  const native = query.toSQL().toNative();
  return { sql: native.sql, bindings: native.bindings as unknown[] };
}

export async function streamList(
  ctx: RequestContext,
  def: ListExport,
  q: { where: unknown; order: OrderSpec } | DeclaredQuery,
  writer: RowWriter,
  signal: { aborted: boolean; onAbort(fn: () => void): void },
  connections: pg.Pool,
): Promise<number> {
  const em = ctx.em;
  const { sql, bindings } = 'conditions' in q ? declaredSql(def, q) : mikroSql(em, def, q);

  const connection = await connections.connect();
  let rows = 0;
  let clean = false;
  const scoped = isScoped(ctx.actor);
  try {
    if (scoped) {
      await connection.query('begin');
      const scope = scopeStatement(ctx.actor, null);
      let n = 0;
      await connection.query(scope.sql.replace(/\?/g, () => `$${++n}`), scope.bindings);
    }
    const stream: QueryStream = connection.query(new QueryStream(sql, bindings as unknown[], { batchSize: CURSOR_BATCH, highWaterMark: CURSOR_BATCH, rowMode: 'array' }));
    signal.onAbort(() => stream.destroy());
    for await (const row of stream as AsyncIterable<unknown[]>) {
      await writer.row(row);
      rows++;
      if (signal.aborted) break;
    }
    if (!signal.aborted) {
      if (scoped) await connection.query('commit');
      clean = true;
      await writer.end();
    }
  } finally {
    connection.release(clean ? undefined : true);
  }
  return rows;
}

const argumentTypes = new WeakMap<GraphQLSchema, Map<string, GraphQLInputObjectType>>();

/** An input object type with the arguments of a root query field: the JSON `input` of its export is coerced like them. */
function argumentsType(schema: GraphQLSchema, fieldName: string): GraphQLInputObjectType {
  let cache = argumentTypes.get(schema);
  if (!cache) argumentTypes.set(schema, (cache = new Map()));
  let type = cache.get(fieldName);
  if (!type) {
    const field = schema.getQueryType()!.getFields()[fieldName];
    type = new GraphQLInputObjectType({
      name: `${fieldName}ExportInput`,
      fields: Object.fromEntries(field.args.map((a) => [a.name, { type: a.type, defaultValue: a.defaultValue }])),
    });
    cache.set(fieldName, type);
  }
  return type;
}

export interface Table {
  headers: string[];
  types: ColumnType[];
  rows: unknown[][];
}

/** The rows of a report export (a few thousand at most: reports are aggregates). */
export async function reportTable(ctx: RequestContext, schema: GraphQLSchema, name: ReportExportName, rawInput: unknown): Promise<Table> {
  if (name === 'report') {
    const input = coerceParam(schema, 'input', rawInput, 'ReportInput', true) as ReportInput;
    const report = await ReportService.report(ctx, input);
    const headers = ['row_kind', 'level', ...report.dimensions.flatMap((d) => [`${d.toLowerCase()}`, `${d.toLowerCase()}_label`, `${d.toLowerCase()}_label_zh`]), ...report.columns.map((c) => c.name)];
    const types: ColumnType[] = ['string', 'number', ...report.dimensions.flatMap(() => ['string', 'string', 'string'] as ColumnType[]), ...report.columns.map(() => 'number' as ColumnType)];
    const rows = report.rows.map((r) => [r.kind, r.level, ...r.keys.flatMap((k) => [k.value, k.label, k.labelZh]), ...r.values]);
    return { headers, types, rows };
  }
  if (name === 'campaign-scorecards') {
    const input = coerceParam(schema, 'input', rawInput, argumentsType(schema, 'campaignScorecards'), true) as { level: any; campaign?: string | null; filter?: any };
    const cards = await ScorecardService.scorecards(ctx, input.campaign, input.level, input.filter);
    const targetCodes = [...new Set(cards.flatMap((c) => c.taskTargets.map((t) => t.taskTarget.code)))];
    const gradeHeaders = ['LEADING', 'A', 'B', 'C', 'D', 'UNGRADED'].map((g) => `grade_${g.toLowerCase()}`);
    // The subsidy columns only for callers who may read subsidies (the scorecards' section rule).
    const withSubsidies = mayReadSection(ctx, 'subsidies');
    const subsidyHeaders = withSubsidies
      ? ['budget_amount', 'committed_amount', 'paid_amount', 'payment_rate', 'disbursement_count', 'paid_count', 'median_days_to_payment', 'low_income_paid_share', 'low_income_share']
      : [];
    const withClues = mayReadSection(ctx, 'clues');
    const clueHeaders = withClues
      ? ['clues_pushed', 'open_clues', 'confirmation_rate', 'on_time_rectification_rate', 'overdue_clues', 'max_days_overdue', 'spot_checked', 'spot_check_failure_rate', 'fines_yuan', 'positive_list_inspections_without_clue', 'falsifications', 'assessment_unqualified']
      : [];
    const emergency = emergencyColumns(ctx, cards.map((c) => c.emergency));
    const headers = [
      'level', 'campaign', 'key', 'name', 'name_zh', 'region', 'province', 'city_count', 'period_days', 'observed_days',
      'pm25_mean', 'pm25_target', 'pm25_met', 'cities_meeting_pm25', 'cities_assessed_pm25',
      'heavy_pollution_days', 'heavy_days_target', 'heavy_days_met', 'cities_meeting_heavy_days',
      ...subsidyHeaders,
      ...clueHeaders,
      ...emergency.headers,
      ...gradeHeaders,
      ...targetCodes.flatMap((code) => [`${code}_achieved`, `${code}_share`, `${code}_share_percent`]),
    ];
    const types = headers.map((h, i) => (i < 7 ? 'string' : h.endsWith('_met') || h.endsWith('_meets_target') || h === 'assessment_unqualified' ? 'boolean' : 'number')) as ColumnType[];
    const rows = cards.map((c) => {
      const a = c.attainment;
      const s = c.subsidies;
      const byCode = new Map(c.taskTargets.map((t) => [t.taskTarget.code, t]));
      return [
        c.level, c.campaign.code, c.key, c.name, c.nameZh, c.region.code, c.province?.slug ?? null, a.cityCount, a.periodDays, a.observedDays,
        a.pm25Mean, a.pm25Target, a.pm25Met, a.citiesMeetingPm25, a.citiesAssessedPm25,
        a.heavyPollutionDays, a.heavyDaysTarget, a.heavyDaysMet, a.citiesMeetingHeavyDays,
        ...(s ? [s.budgetAmount, s.committedAmount, s.paidAmount, s.paymentRate, s.disbursementCount, s.paidCount, s.medianDaysToPayment, s.lowIncomePaidShare, s.lowIncomeShare] : []),
        ...(withClues && c.clues
          ? [c.clues.cluesPushed, c.clues.openClues, c.clues.confirmationRate, c.clues.onTimeRectificationRate, c.clues.overdueClues, c.clues.maxDaysOverdue, c.clues.spotChecked, c.clues.spotCheckFailureRate, c.clues.finesYuan, c.clues.positiveListInspectionsWithoutClue, c.clues.falsifications, c.clues.assessmentUnqualified]
          : []),
        ...emergency.values(c.emergency),
        ...c.grades.map((g) => g.count),
        ...targetCodes.flatMap((code) => {
          const t = byCode.get(code);
          return t ? [t.achieved, t.share?.quantity ?? null, t.sharePercent] : [null, null, null];
        }),
      ];
    });
    return { headers, types, rows };
  }
  const input = coerceParam(schema, 'input', rawInput, argumentsType(schema, 'monthlyPm25Ranking'), true) as { month: string; filter?: any; order?: any };
  const ranking = await ScorecardService.monthlyRanking(ctx, input.month, input.filter, input.order);
  const headers = ['rank', 'city', 'city_name_zh', 'city_name_en', 'month', 'pm25_mean', 'observed_days', 'previous_year_month', 'previous_year_pm25_mean', 'change', 'change_percent'];
  const types: ColumnType[] = ['number', 'string', 'string', 'string', 'string', 'number', 'number', 'string', 'number', 'number', 'number'];
  const rows = ranking.entries.map((e) => [
    e.rank, e.city.slug, e.city.nameZh, e.city.nameEn, ranking.month, e.pm25Mean, e.observedDays, ranking.previousYearMonth, e.previousYearPm25Mean, e.change, e.changePercent,
  ]);
  return { headers, types, rows };
}

export function openWriter(format: ExportFormat, out: Writable, sheetName: string, headers: string[], types: ColumnType[]): Promise<RowWriter> {
  return format === 'csv' ? csvWriter(out, headers, types) : xlsxWriter(out, sheetName, headers, types);
}

export { LIST_EXPORTS };
