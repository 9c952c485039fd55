/**
 * The report builder: a subject, up to four dimensions, measures with their aggregations and
 * filters, totals; the report as a table with subtotals and a chart, downloaded as CSV or XLSX
 * through the export endpoint, and the GraphQL document and SDK code that reproduce it.
 */
import * as Plot from '@observablehq/plot';
import { print } from 'graphql';
import { downloadExport, ReportDocument, type ReportInput, type ReportQuery } from '@airledger/sdk';
import { API_URL, storedKey } from './api.js';
import { bi, biText, fill, h, num } from './dom.js';
import { AGGREGATIONS, DIMENSIONS, GRADES, MAX_DIMENSIONS, MEASURES, SUBJECTS, TOTALS, type Subject } from './report-spec.js';
import { LEVEL_NAMES, placeFilter, placeValue, type Session } from './session.js';

type Report = ReportQuery['report'];

interface MeasureRow {
  el: HTMLElement;
  measure: HTMLSelectElement;
  aggregation: HTMLSelectElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  grade: HTMLSelectElement;
  lowIncome: HTMLSelectElement;
}

let counter = 0;

export function renderReportBuilder(root: HTMLElement, s: Session): void {
  const subject = h('select', { id: 'subject' }, (Object.keys(SUBJECTS) as Subject[]).map((k) => h('option', { value: k }, biText(SUBJECTS[k].zh, SUBJECTS[k].en))));
  subject.value = 'OBSERVATIONS';
  const dims = Array.from({ length: MAX_DIMENSIONS }, (_, i) => h('select', { id: `dim-${i + 1}` }));
  const totals = h('select', { id: 'totals' }, Object.entries(TOTALS).map(([k, [zh, en]]) => h('option', { value: k }, biText(zh, en))));
  const campaign = h('select', { id: 'report-campaign' }, h('option', { value: '' }, '全部 all'), s.campaigns.map((c) => h('option', { value: c.code }, biText(c.nameZh, c.nameEn))));
  const place = h(
    'select',
    { id: 'report-place' },
    s.viewer.cities ? null : h('option', { value: '' }, '全部 all'),
    (['REGION', 'PROVINCE', 'CITY'] as const).map((level) => {
      const of = s.places.filter((p) => p.level === level);
      return of.length ? h('optgroup', { label: biText(...LEVEL_NAMES[level]) }, of.map((p) => h('option', { value: placeValue(p) }, biText(p.nameZh, p.nameEn)))) : null;
    }),
  );
  if (s.viewer.cities) place.value = placeValue(s.home);
  const measureList = h('ol', { class: 'measures' });
  const measures: MeasureRow[] = [];
  const status = h('p', { id: 'report-status', role: 'status', 'aria-live': 'polite' });
  const output = h('div', { id: 'report-output' });

  const fillDimensions = () => {
    const spec = SUBJECTS[subject.value as Subject];
    dims.forEach((d, i) => {
      const previous = d.value;
      fill(d, h('option', { value: '' }, '— 无 none'), spec.dimensions.map((k) => h('option', { value: k }, biText(...DIMENSIONS[k]))));
      d.value = spec.dimensions.includes(previous) ? previous : i === 0 ? spec.dimensions[1] ?? spec.dimensions[0] : '';
    });
    for (const m of measures) fillMeasure(m.measure);
  };
  const fillMeasure = (select: HTMLSelectElement) => {
    const spec = SUBJECTS[subject.value as Subject];
    const previous = select.value;
    fill(select, spec.measures.map((k) => h('option', { value: k }, biText(...MEASURES[k]))));
    select.value = spec.measures.includes(previous) ? previous : spec.measures[0];
  };
  const addMeasure = (measure?: string, aggregation?: string) => {
    const n = ++counter;
    const id = (name: string) => `m${n}-${name}`;
    const row: MeasureRow = {
      el: h('li', { class: 'measure' }),
      measure: h('select', { id: id('measure') }),
      aggregation: h('select', { id: id('aggregation') }, h('option', { value: '' }, '默认 default'), Object.entries(AGGREGATIONS).map(([k, [zh, en]]) => h('option', { value: k }, biText(zh, en)))),
      from: h('input', { id: id('from'), type: 'date' }),
      to: h('input', { id: id('to'), type: 'date' }),
      grade: h('select', { id: id('grade') }, h('option', { value: '' }, '任意 any'), GRADES.map((g) => h('option', { value: g }, g))),
      lowIncome: h('select', { id: id('low-income') }, h('option', { value: '' }, '任意 any'), h('option', { value: 'true' }, '是 yes'), h('option', { value: 'false' }, '否 no')),
    };
    fillMeasure(row.measure);
    if (measure) row.measure.value = measure;
    // Another measure: its default aggregation until one is chosen.
    row.measure.addEventListener('change', () => (row.aggregation.value = ''));
    if (aggregation) row.aggregation.value = aggregation;
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `删除度量 ${n} Remove measure ${n}` }, '删除 Remove');
    remove.addEventListener('click', () => {
      if (measures.length === 1) return;
      measures.splice(measures.indexOf(row), 1);
      row.el.remove();
    });
    fill(
      row.el,
      h('label', { for: id('measure') }, bi('度量', 'Measure')), row.measure,
      h('label', { for: id('aggregation') }, bi('汇总', 'Aggregation')), row.aggregation,
      h('fieldset', { class: 'inline' }, h('legend', {}, bi('此度量的筛选', 'Filter of this measure')),
        h('label', { for: id('from') }, bi('起', 'from')), row.from,
        h('label', { for: id('to') }, bi('止', 'to')), row.to,
        h('label', { for: id('grade') }, bi('等级', 'grade')), row.grade,
        h('label', { for: id('low-income') }, bi('低收入户', 'low-income')), row.lowIncome),
      remove,
    );
    measures.push(row);
    measureList.append(row.el);
  };

  const input = (): ReportInput => {
    const m = measures.map((row) => {
      const filter: Record<string, unknown> = {};
      if (row.from.value) filter.from = row.from.value;
      if (row.to.value) filter.to = row.to.value;
      if (row.grade.value) filter.grades = [row.grade.value];
      if (row.lowIncome.value) filter.lowIncome = row.lowIncome.value === 'true';
      return { measure: row.measure.value, ...(row.aggregation.value ? { aggregation: row.aggregation.value } : {}), ...(Object.keys(filter).length ? { filter } : {}) };
    });
    const filter: Record<string, unknown> = {};
    if (campaign.value) filter.campaign = campaign.value;
    const p = s.places.find((x) => placeValue(x) === place.value);
    if (p) Object.assign(filter, placeFilter(p));
    return {
      subject: subject.value,
      dimensions: dims.map((d) => d.value).filter(Boolean),
      measures: m,
      totals: totals.value,
      ...(Object.keys(filter).length ? { filter } : {}),
    } as unknown as ReportInput;
  };

  const run = async () => {
    const i = input();
    status.textContent = '计算中… Running…';
    output.removeAttribute('data-ready');
    try {
      const { report } = await s.client.report({ input: i });
      if (!root.contains(output)) return;
      renderOutput(output, report, i);
      status.textContent = bi(`${report.rows.length} 行`, `${report.rows.length} rows`).textContent;
      output.dataset.ready = 'true';
    } catch (error) {
      fill(output);
      status.textContent = `出错 Error: ${(error as Error).message}`;
    }
  };

  subject.addEventListener('change', () => {
    // A new subject starts with one measure, its first, aggregated by default.
    for (const m of measures.splice(0)) m.el.remove();
    fillDimensions();
    addMeasure();
  });
  fillDimensions();
  addMeasure('PM25', 'AVG');
  addMeasure('HEAVY_DAYS', 'SUM');
  const form = h(
    'form',
    { id: 'report-form', class: 'builder' },
    h('div', { class: 'row' }, h('label', { for: 'subject' }, bi('主题', 'Subject')), subject),
    h('fieldset', {}, h('legend', {}, bi(`维度（最多 ${MAX_DIMENSIONS} 个，由外到内）`, `Dimensions (up to ${MAX_DIMENSIONS}, outermost first)`)), dims.map((d, i) => h('span', { class: 'dim' }, h('label', { for: d.id }, bi(`维度 ${i + 1}`, `Dimension ${i + 1}`)), d))),
    h('fieldset', {}, h('legend', {}, bi('度量', 'Measures')), measureList, h('button', { type: 'button', class: 'secondary', id: 'add-measure', onclick: () => addMeasure() }, '添加度量 Add measure')),
    h('fieldset', {}, h('legend', {}, bi('报表筛选', 'Report filter')), h('label', { for: 'report-campaign' }, bi('攻坚行动', 'Campaign')), campaign, h('label', { for: 'report-place' }, bi('地区', 'Place')), place),
    h('div', { class: 'row' }, h('label', { for: 'totals' }, bi('合计', 'Totals')), totals),
    h('button', { type: 'submit', id: 'run-report' }, '生成报表 Run report'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  fill(root, h('h2', {}, bi('自定义报表', 'Report builder')), form, status, output);
}

function keyLabel(k: Report['rows'][number]['keys'][number]): string {
  if (k.isTotal) return '合计 Total';
  return biText(k.labelZh, k.label);
}

function renderOutput(out: HTMLElement, report: Report, input: ReportInput): void {
  const dims = report.dimensions;
  const table = h(
    'table',
    { id: 'report-table' },
    h('caption', {}, bi(SUBJECTS[report.subject as Subject]?.zh ?? report.subject, SUBJECTS[report.subject as Subject]?.en ?? report.subject)),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        dims.map((d) => h('th', { scope: 'col' }, bi(...(DIMENSIONS[d] ?? [d, d])))),
        report.columns.map((c) => h('th', { scope: 'col', class: 'num', 'data-column': c.name }, bi(`${MEASURES[c.measure]?.[0] ?? c.measure}（${AGGREGATIONS[c.aggregation]?.[0] ?? c.aggregation}${c.filtered ? '，已筛选' : ''}）`, c.name))),
      ),
    ),
    h(
      'tbody',
      {},
      report.rows.map((r) =>
        h(
          'tr',
          { class: r.kind.toLowerCase(), 'data-kind': r.kind, 'data-keys': JSON.stringify(r.keys.map((k) => (k.isTotal ? '*' : k.value))) },
          r.keys.map((k) => h(r.kind === 'DETAIL' ? 'td' : 'th', r.kind === 'DETAIL' ? {} : { scope: 'row' }, keyLabel(k))),
          dims.length === 0 ? h('th', { scope: 'row' }, '总计 Grand total') : null,
          r.values.map((v) => h('td', { class: 'num', 'data-value': JSON.stringify(v ?? null) }, num(v, 2))),
        ),
      ),
    ),
  );
  if (dims.length === 0) table.querySelector('thead tr')!.prepend(h('th', { scope: 'col' }, ''));
  // The chart: the first measure over the groups of the first dimension.
  const first = report.columns[0];
  const bars = (dims.length ? report.rows.filter((r) => r.level === 1 && !r.keys[0].isTotal && r.keys.slice(1).every((k) => k.isTotal || dims.length === 1)) : [report.grandTotal]).map((r) => ({
    label: dims.length ? keyLabel(r.keys[0]) : '总计 Total',
    value: r.values[0] ?? 0,
  }));
  const chart = Plot.plot({
    width: 760,
    height: 300,
    marginBottom: 80,
    x: { label: null, tickRotate: -35, domain: bars.map((b) => b.label) },
    y: { label: first ? `${first.name}` : null, grid: true },
    marks: [Plot.barY(bars, { x: 'label', y: 'value', fill: '#4e79a7' }), Plot.ruleY([0])],
  });
  chart.setAttribute('aria-hidden', 'true');
  chart.classList.add('chart');

  const documentText = print(ReportDocument);
  const variables = JSON.stringify({ input }, null, 2);
  const snippet = `import { createClient, downloadExport } from '@airledger/sdk';

const url = ${JSON.stringify(API_URL)};
const token = process.env.AIRLEDGER_TOKEN;
const client = createClient({ url, token });

const input = ${JSON.stringify(input, null, 2)};
// The table
const { report } = await client.report({ input });
// The same report as a file (CSV or XLSX)
const csv = await (await downloadExport({ url, token }, 'report', 'csv', { input })).text();
`;
  const download = (format: 'csv' | 'xlsx') => async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    try {
      const res = await downloadExport({ url: API_URL, token: storedKey() }, 'report', format, { input });
      const blob = await res.blob();
      const a = h('a', { href: URL.createObjectURL(blob), download: `report.${format}` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (error) {
      out.querySelector('#download-status')!.textContent = `出错 Error: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  };
  const copy = (id: string, text: string) => async () => {
    const note = out.querySelector('#copy-status')!;
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = '已复制 Copied';
    } catch {
      // Without clipboard permission: select the text so that Ctrl+C copies it.
      const pre = out.querySelector(`#${id}`)!;
      getSelection()?.selectAllChildren(pre);
      note.textContent = '已选中，按 Ctrl+C 复制 Selected: press Ctrl+C';
    }
  };
  fill(
    out,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'download-csv', onclick: download('csv') }, '下载 CSV Download CSV'),
      h('button', { type: 'button', id: 'download-xlsx', onclick: download('xlsx') }, '下载 XLSX Download XLSX'),
      h('span', { id: 'download-status', role: 'status' })),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': '报表 Report table' }, table),
    chart,
    h('h3', {}, bi('复现此报表', 'Reproduce this report')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'copy-graphql', onclick: copy('graphql-document', `${documentText}\n\n# variables\n${variables}`) }, '复制 GraphQL Copy GraphQL'),
      h('button', { type: 'button', id: 'copy-sdk', onclick: copy('sdk-snippet', snippet) }, '复制 SDK 代码 Copy SDK snippet'),
      h('span', { id: 'copy-status', role: 'status' })),
    h('details', {}, h('summary', {}, 'GraphQL'), h('pre', { id: 'graphql-document', tabindex: 0 }, documentText), h('pre', { id: 'graphql-variables', tabindex: 0 }, variables)),
    h('details', {}, h('summary', {}, 'SDK (TypeScript)'), h('pre', { id: 'sdk-snippet', tabindex: 0 }, snippet)),
  );
}
