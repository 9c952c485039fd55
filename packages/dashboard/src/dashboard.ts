/**
 * The campaign dashboard: a campaign and a place, then the place's scorecard, its PM2.5 daily
 * trend (target line, warnings as bands), the monthly ranking and a map of the cities coloured
 * by attainment. Every figure carries its raw value in data attributes (data-field, data-value)
 * and every chart has a table of its points, for screen readers and for the tests.
 */
import * as Plot from '@observablehq/plot';
import { isAirledgerError, ScorecardLevel, type CampaignScorecardsQuery, type MonthlyPm25RankingQuery } from '@airledger/sdk';
import { bi, biText, figure, fill, h, num, pct } from './dom.js';
import { LEVEL_NAMES, placeFilter, placeValue, scopeFilter, type Place, type Session } from './session.js';
import geo from './cities.approx.geo.json';

type Scorecard = CampaignScorecardsQuery['campaignScorecards'][number];
type Ranking = MonthlyPm25RankingQuery['monthlyPm25Ranking'];

const GRADE_NAMES: Record<string, [string, string]> = {
  LEADING: ['引领性', 'Leading'],
  A: ['A级', 'A'],
  B: ['B级', 'B'],
  C: ['C级', 'C'],
  D: ['D级', 'D'],
  null: ['未分级', 'Ungraded'],
};
const WARNING_COLOURS: Record<string, string> = { YELLOW: '#e9c81d', ORANGE: '#f08c00', RED: '#d62728' };
const WARNING_NAMES: Record<string, [string, string]> = { YELLOW: ['黄色预警', 'Yellow'], ORANGE: ['橙色预警', 'Orange'], RED: ['红色预警', 'Red'] };

/** The dashboard in `root`; returns nothing, re-renders itself when the campaign or place changes. */
export function renderDashboard(root: HTMLElement, s: Session): void {
  const campaignSelect = h('select', { id: 'campaign' }, s.campaigns.map((c) => h('option', { value: c.code }, biText(c.nameZh, c.nameEn))));
  const placeSelect = h(
    'select',
    { id: 'place' },
    (['REGION', 'PROVINCE', 'CITY'] as const).map((level) => {
      const of = s.places.filter((p) => p.level === level);
      if (!of.length) return null;
      return h('optgroup', { label: biText(...LEVEL_NAMES[level]) }, of.map((p) => h('option', { value: placeValue(p) }, biText(p.nameZh, p.nameEn))));
    }),
  );
  placeSelect.value = placeValue(s.home);
  const status = h('p', { id: 'dashboard-status', role: 'status', 'aria-live': 'polite' });
  const scorecard = h('section', { id: 'scorecard', 'aria-labelledby': 'scorecard-title' });
  const trend = h('section', { id: 'trend', 'aria-labelledby': 'trend-title' });
  const ranking = h('section', { id: 'ranking', 'aria-labelledby': 'ranking-title' });
  const map = h('section', { id: 'map', 'aria-labelledby': 'map-title' });
  fill(
    root,
    h(
      'form',
      { class: 'controls', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'campaign' }, bi('攻坚行动', 'Campaign')),
      campaignSelect,
      h('label', { for: 'place' }, bi('地区', 'Place')),
      placeSelect,
    ),
    status,
    h('div', { class: 'grid' }, scorecard, trend, ranking, map),
  );

  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const campaign = s.campaigns.find((c) => c.code === campaignSelect.value) ?? s.campaigns[0];
    const place = s.places.find((p) => placeValue(p) === placeSelect.value) ?? s.home;
    if (!campaign || !place) return;
    status.textContent = '加载中… Loading…';
    root.setAttribute('aria-busy', 'true');
    try {
      const card = await loadScorecard(s, campaign.code, place);
      if (mine !== generation) return;
      renderScorecard(scorecard, card, place, await taskTargetNames(s, campaign.code));
      await Promise.all([
        renderTrend(trend, s, campaign, place, card),
        renderRanking(ranking, s, campaign, place),
        renderMap(map, s, campaign.code, place),
      ]);
      // A newer choice, or a new key (the view rendered anew), took over meanwhile.
      if (mine !== generation || !root.contains(scorecard)) return;
      status.textContent = `${biText(place.nameZh, place.nameEn)} · ${biText(campaign.nameZh, campaign.nameEn)}`;
      root.dataset.ready = placeValue(place);
    } catch (error) {
      if (mine === generation) status.textContent = `出错 Error: ${(error as Error).message}`;
    } finally {
      if (mine === generation && root.contains(scorecard)) root.removeAttribute('aria-busy');
    }
  };
  campaignSelect.addEventListener('change', () => void refresh());
  placeSelect.addEventListener('change', () => void refresh());
  void refresh();
}

/**
 * Scorecards as the key may see them. Subsidies are not public: without a key the API answers
 * the rest of the scorecard with an UNAUTHENTICATED error on `subsidies`, which the SDK throws
 * with the partial data; the page shows that data, the subsidies left blank.
 */
async function scorecards(s: Session, variables: Parameters<Session['client']['campaignScorecards']>[0]): Promise<Scorecard[]> {
  try {
    return (await s.client.campaignScorecards(variables)).campaignScorecards;
  } catch (error) {
    const data = isAirledgerError(error) ? (error.data as CampaignScorecardsQuery | null | undefined) : null;
    const onlySubsidies = isAirledgerError(error) && error.errors.length > 0 && error.errors.every((e) => (e.path ?? []).includes('subsidies'));
    if (data?.campaignScorecards && onlySubsidies) return data.campaignScorecards;
    throw error;
  }
}

async function loadScorecard(s: Session, campaign: string, place: Place): Promise<Scorecard> {
  const campaignScorecards = await scorecards(s, { level: place.level as ScorecardLevel, campaign, filter: placeFilter(place) });
  const card = campaignScorecards.find((c) => c.key === place.key);
  if (!card) throw new Error(`no scorecard for ${place.nameEn}`);
  return card;
}

const TASK_TARGET_NAMES = `query dashboardTaskTargetNames($campaign: String) {
  taskTargets(filter: { campaign: $campaign }, first: 200) { nodes { code nameZh } }
}`;

/** Chinese names of the campaign's task targets (a document of the page's own, sent with client.request). */
async function taskTargetNames(s: Session, campaign: string): Promise<Map<string, string>> {
  const data = await s.client.request<{ taskTargets: { nodes: { code: string; nameZh: string }[] } }>(TASK_TARGET_NAMES, { campaign });
  return new Map(data.taskTargets.nodes.map((t) => [t.code, t.nameZh]));
}

function met(value: boolean | null | undefined): HTMLElement {
  if (value === null || value === undefined) return h('span', { class: 'badge none' }, bi('无法评估', 'not assessed'));
  return value ? h('span', { class: 'badge met' }, bi('达标', 'met')) : h('span', { class: 'badge missed' }, bi('未达标', 'not met'));
}

function renderScorecard(section: HTMLElement, card: Scorecard, place: Place, names: Map<string, string>): void {
  const a = card.attainment;
  const sub = card.subsidies ?? { budgetAmount: null, committedAmount: null, paidAmount: null, paymentRate: null, disbursementCount: null, paidCount: null, medianDaysToPayment: null, lowIncomePaidShare: null, lowIncomeShare: null };
  const total = card.grades.reduce((n, g) => n + g.count, 0);
  const gradePlot = Plot.plot({
    height: 40 + card.grades.length * 22,
    marginLeft: 90,
    width: 380,
    x: { label: '企业数 enterprises', grid: true },
    y: { label: null, domain: card.grades.map((g) => biText(...GRADE_NAMES[String(g.grade)])) },
    marks: [Plot.barX(card.grades, { y: (g) => biText(...GRADE_NAMES[String(g.grade)]), x: 'count', fill: '#4e79a7' }), Plot.ruleX([0])],
  });
  gradePlot.setAttribute('aria-hidden', 'true');
  fill(
    section,
    h('h2', { id: 'scorecard-title' }, bi('记分卡', 'Scorecard'), ' · ', bi(card.nameZh, card.name)),
    h('p', { class: 'meta' }, bi(`${a.cityCount} 个城市`, `${a.cityCount} cities`), ' · ', bi('观测城市日', 'observed city-days'), ' ', figure('attainment.observedDays', a.observedDays, num(a.observedDays, 0)), ' / ', bi('期间天数', 'period days'), ' ', figure('attainment.periodDays', a.periodDays, num(a.periodDays, 0)), ' ', figure('attainment.cityCount', a.cityCount, '')),
    h(
      'div',
      { class: 'kpis' },
      h(
        'div',
        { class: 'kpi' },
        h('h3', {}, bi('PM2.5 平均浓度', 'PM2.5 mean')),
        h('p', { class: 'big' }, figure('attainment.pm25Mean', a.pm25Mean, num(a.pm25Mean)), ' µg/m³'),
        h('p', {}, bi('目标', 'target'), ' ', figure('attainment.pm25Target', a.pm25Target, num(a.pm25Target)), ' µg/m³ ', met(a.pm25Met), figure('attainment.pm25Met', a.pm25Met, '')),
        place.level !== 'CITY' ? h('p', {}, bi('达标城市', 'cities meeting it'), ' ', figure('attainment.citiesMeetingPm25', a.citiesMeetingPm25, String(a.citiesMeetingPm25)), ' / ', figure('attainment.citiesAssessedPm25', a.citiesAssessedPm25, String(a.citiesAssessedPm25))) : h('span', {}, figure('attainment.citiesMeetingPm25', a.citiesMeetingPm25, ''), figure('attainment.citiesAssessedPm25', a.citiesAssessedPm25, '')),
      ),
      h(
        'div',
        { class: 'kpi' },
        h('h3', {}, bi('重污染天数', 'Heavy pollution days')),
        h('p', { class: 'big' }, figure('attainment.heavyPollutionDays', a.heavyPollutionDays, num(a.heavyPollutionDays, 0))),
        h('p', {}, bi('目标', 'target'), ' ', figure('attainment.heavyDaysTarget', a.heavyDaysTarget, num(a.heavyDaysTarget, 0)), ' ', met(a.heavyDaysMet), figure('attainment.heavyDaysMet', a.heavyDaysMet, '')),
        place.level !== 'CITY' ? h('p', {}, bi('达标城市', 'cities meeting it'), ' ', figure('attainment.citiesMeetingHeavyDays', a.citiesMeetingHeavyDays, String(a.citiesMeetingHeavyDays))) : figure('attainment.citiesMeetingHeavyDays', a.citiesMeetingHeavyDays, ''),
      ),
      h(
        'div',
        { class: 'kpi' },
        h('h3', {}, bi('补贴', 'Subsidies')),
        card.subsidies ? null : h('p', { class: 'small', id: 'subsidies-hidden' }, bi('补贴数据不公开：请输入 API 密钥', 'Subsidies are not public: enter an API key')),
        h('p', { class: 'big' }, figure('subsidies.paymentRate', sub.paymentRate, pct(sub.paymentRate))),
        h('p', {}, bi('资金拨付率', 'payment rate (paid / budget)')),
        h('p', {}, bi('已拨付', 'paid'), ' ', figure('subsidies.paidAmount', sub.paidAmount, num(sub.paidAmount, 0)), ' / ', bi('预算', 'budget'), ' ', figure('subsidies.budgetAmount', sub.budgetAmount, num(sub.budgetAmount, 0)), ' 元 yuan'),
        h('p', {}, bi('低收入户占比', 'low-income share'), ' ', figure('subsidies.lowIncomeShare', sub.lowIncomeShare, pct(sub.lowIncomeShare)), ' · ', bi('已拨付中', 'of paid'), ' ', figure('subsidies.lowIncomePaidShare', sub.lowIncomePaidShare, pct(sub.lowIncomePaidShare))),
        h('p', { class: 'small' }, bi('发放笔数', 'disbursements'), ' ', figure('subsidies.disbursementCount', sub.disbursementCount, num(sub.disbursementCount, 0)), ' · ', bi('已拨付', 'paid'), ' ', figure('subsidies.paidCount', sub.paidCount, num(sub.paidCount, 0)), ' · ', bi('承诺', 'committed'), ' ', figure('subsidies.committedAmount', sub.committedAmount, num(sub.committedAmount, 0)), ' · ', bi('拨付天数中位数', 'median days to payment'), ' ', figure('subsidies.medianDaysToPayment', sub.medianDaysToPayment, num(sub.medianDaysToPayment))),
      ),
    ),
    h('h3', {}, bi('任务目标', 'Task targets')),
    card.taskTargets.length
      ? h(
          'ul',
          { class: 'targets' },
          card.taskTargets.map((t) => {
            const tt = t.taskTarget;
            const f = (name: string) => `taskTargets.${tt.code}.${name}`;
            const percent = t.share ? t.sharePercent : tt.progress.percent;
            const id = `target-${tt.code}`;
            return h(
              'li',
              { 'data-code': tt.code },
              h('label', { for: id }, bi(names.get(tt.code) ?? tt.nameEn, tt.nameEn)),
              h('progress', { id, max: 100, value: Math.min(100, Math.max(0, percent ?? 0)) }, `${num(percent)} %`),
              h(
                'p',
                { class: 'small' },
                bi('本地完成', 'achieved here'), ' ', figure(f('achieved'), t.achieved, num(t.achieved)), ` ${tt.unit ?? ''}`,
                ' · ', bi('计划目标', "plan's figure"), ' ', figure(f('taskTarget.quantity'), tt.quantity, num(tt.quantity)), ` ${tt.unit ?? ''}`,
                ' (', bi('全域进度', 'overall'), ' ', figure(f('taskTarget.progress.percent'), tt.progress.percent, `${num(tt.progress.percent)} %`), ')',
                ' · ',
                t.share
                  ? h('span', {}, bi('分解任务', 'breakdown share'), ' ', figure(f('share.quantity'), t.share.quantity, num(t.share.quantity)), ` ${tt.unit ?? ''}, `, bi('完成', 'done'), ' ', figure(f('sharePercent'), t.sharePercent, `${num(t.sharePercent)} %`))
                  : h('span', {}, bi('计划未分解到此地', 'the plan gives this place no share'), figure(f('share.quantity'), null, ''), figure(f('sharePercent'), null, '')),
                ' · ', bi('计入项目', 'projects counted'), ' ', figure(f('countedProjects'), t.countedProjects, String(t.countedProjects)),
              ),
            );
          }),
        )
      : h('p', {}, bi('无任务目标', 'No task targets')),
    h('h3', {}, bi('企业绩效分级', 'Grade distribution')),
    h(
      'div',
      { class: 'grades' },
      gradePlot,
      h(
        'table',
        { class: 'compact' },
        h('caption', {}, bi('企业绩效分级分布', 'Enterprises by performance grade')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, bi('等级', 'Grade')), h('th', { scope: 'col' }, bi('企业数', 'Enterprises')), h('th', { scope: 'col' }, bi('占比', 'Share')))),
        h('tbody', {}, card.grades.map((g) => h('tr', {}, h('th', { scope: 'row' }, bi(...GRADE_NAMES[String(g.grade)])), h('td', {}, figure(`grades.${g.grade}`, g.count, num(g.count, 0))), h('td', {}, pct(total ? g.count / total : null))))),
      ),
    ),
  );
}

interface TrendPoint {
  day: string;
  date: Date;
  pm25: number;
  cities: number;
}

async function renderTrend(section: HTMLElement, s: Session, campaign: Session['campaigns'][number], place: Place, card: Scorecard): Promise<void> {
  const from = String(campaign.periodStart);
  const to = String(campaign.periodEnd);
  // Every city-wide daily observation of the place in the period (the SDK's paginator walks the pages).
  const observations = await s.client.paginate.airQualityObservations({ filter: { ...placeFilter(place), from, to, cityWideOnly: true }, first: 500 }).all({ max: 50_000 });
  const byDay = new Map<string, { sum: number; n: number }>();
  for (const o of observations) {
    if (o.pm25 === null || o.pm25 === undefined) continue;
    const day = String(o.observedOn);
    const d = byDay.get(day) ?? { sum: 0, n: 0 };
    d.sum += o.pm25;
    d.n += 1;
    byDay.set(day, d);
  }
  const points: TrendPoint[] = [...byDay.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([day, d]) => ({ day, date: new Date(`${day}T00:00:00Z`), pm25: d.sum / d.n, cities: d.n }));
  let warnings: { level: string; from: Date; to: Date; city: string }[] = [];
  let warningNote = '';
  try {
    const list = await s.client.paginate.warnings({ filter: { ...placeFilter(place), effectiveTo: to }, first: 500 }).all({ max: 5_000 });
    const end = new Date(`${to}T23:59:59Z`);
    warnings = list
      .map((w) => ({ level: String(w.level), from: new Date(String(w.effectiveFrom)), to: new Date(String(w.liftedAt ?? w.plannedEnd ?? to)), city: w.city.slug }))
      .filter((w) => w.to >= new Date(`${from}T00:00:00Z`) && w.from <= end);
  } catch (error) {
    warningNote = `预警不可用 Warnings unavailable: ${(error as Error).message}`;
  }
  const target = card.attainment.pm25Target;
  const chart = points.length
    ? Plot.plot({
        width: 760,
        height: 300,
        marginLeft: 50,
        x: { type: 'utc', label: null },
        y: { label: 'PM2.5 µg/m³', grid: true, zero: true },
        marks: [
          Plot.rectX(warnings, { x1: 'from', x2: 'to', fill: (w: { level: string }) => WARNING_COLOURS[w.level] ?? '#999', fillOpacity: 0.18 }),
          Plot.lineY(points, { x: 'date', y: 'pm25', stroke: '#1f4e79', strokeWidth: 1.5 }),
          Plot.dot(points, { x: 'date', y: 'pm25', r: 1.8, fill: '#1f4e79', title: (p: TrendPoint) => `${p.day}: ${num(p.pm25)} µg/m³` }),
          ...(target !== null && target !== undefined ? [Plot.ruleY([target], { stroke: '#c0392b', strokeDasharray: '5 4', strokeWidth: 1.5 }), Plot.text([target], { y: (d: number) => d, frameAnchor: 'right', dy: -7, text: () => `目标 target ${num(target)}`, fill: '#c0392b' })] : []),
        ],
      })
    : h('p', {}, bi('期间内无观测', 'No observations in the period'));
  chart.setAttribute('aria-hidden', 'true');
  chart.classList.add('chart');
  const levels = [...new Set(warnings.map((w) => w.level))];
  fill(
    section,
    h('h2', { id: 'trend-title' }, bi('PM2.5 日均浓度趋势', 'PM2.5 daily trend')),
    h('p', { class: 'small' }, place.level === 'CITY' ? bi('城市日均值', 'city-wide daily means') : bi('各城市日均值的平均', 'mean of the cities’ daily means'), ' · ', h('span', { class: 'legend-target' }, bi('虚线：目标', 'dashed line: target')), ' · ', bi('色带：重污染天气预警', 'bands: heavy-pollution warnings'), ' ', levels.map((l) => h('span', { class: 'swatch', style: `background:${WARNING_COLOURS[l]}` }, biText(...WARNING_NAMES[l]))), ' ', bi(`${warnings.length} 次预警`, `${warnings.length} warnings`), warningNote ? ` · ${warningNote}` : ''),
    chart,
    h(
      'details',
      {},
      h('summary', {}, bi(`图表数据（${points.length} 天）`, `Chart data (${points.length} days)`)),
      h(
        'table',
        { id: 'trend-points', class: 'compact', 'data-points': points.length },
        h('caption', {}, bi('每个观测日一行', 'One row per observed day')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, bi('日期', 'Day')), h('th', { scope: 'col' }, 'PM2.5 µg/m³'), h('th', { scope: 'col' }, bi('城市数', 'Cities')))),
        h('tbody', {}, points.map((p) => h('tr', { 'data-day': p.day, 'data-pm25': p.pm25 }, h('td', {}, p.day), h('td', {}, num(p.pm25)), h('td', {}, p.cities)))),
      ),
    ),
  );
}

/** The months of a campaign's period, YYYY-MM. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

async function renderRanking(section: HTMLElement, s: Session, campaign: Session['campaigns'][number], place: Place): Promise<void> {
  const months = monthsOf(String(campaign.periodStart), String(campaign.periodEnd));
  const previous = section.querySelector<HTMLSelectElement>('#ranking-month')?.value;
  const select = h('select', { id: 'ranking-month' }, months.map((m) => h('option', { value: m }, m)));
  select.value = previous && months.includes(previous) ? previous : months[0];
  const body = h('div', {});
  const show = async () => {
    const { monthlyPm25Ranking } = await s.client.monthlyPm25Ranking({ month: select.value, filter: placeFilter(place) });
    fill(body, rankingTable(monthlyPm25Ranking));
  };
  select.addEventListener('change', () => void show());
  fill(
    section,
    h('h2', { id: 'ranking-title' }, bi('月度 PM2.5 排名', 'Monthly PM2.5 ranking')),
    h('p', {}, h('label', { for: 'ranking-month' }, bi('月份', 'Month')), ' ', select),
    body,
  );
  await show();
}

function rankingTable(r: Ranking): HTMLElement {
  return h(
    'table',
    { id: 'ranking-table', class: 'compact' },
    h('caption', {}, bi(`${r.month} 城市排名（1 = 最低）`, `${r.month}, rank 1 = lowest PM2.5`)),
    h('thead', {}, h('tr', {}, ['排名 Rank', '城市 City', 'PM2.5 µg/m³', `${r.previousYearMonth}`, '变化 Change'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      r.entries.map((e) =>
        h(
          'tr',
          { 'data-city': e.city.slug },
          h('td', {}, e.rank),
          h('th', { scope: 'row' }, bi(e.city.nameZh, e.city.nameEn)),
          h('td', {}, num(e.pm25Mean)),
          h('td', {}, num(e.previousYearPm25Mean)),
          h('td', { class: e.change === null || e.change === undefined ? '' : e.change <= 0 ? 'better' : 'worse' }, e.changePercent === null || e.changePercent === undefined ? '–' : `${e.changePercent > 0 ? '+' : ''}${num(e.changePercent)} %`),
        ),
      ),
    ),
  );
}

const ATTAINMENT_COLOURS = { both: '#2e8b57', one: '#e69500', neither: '#c0392b', unassessed: '#9aa0a6' } as const;
const ATTAINMENT_NAMES: Record<keyof typeof ATTAINMENT_COLOURS, [string, string]> = {
  both: ['两项目标均达标', 'both targets met'],
  one: ['一项达标', 'one target met'],
  neither: ['均未达标', 'neither met'],
  unassessed: ['无法评估', 'not assessed'],
};

/** A city's attainment of its two outcome targets (PM2.5 mean, heavy-pollution days). */
export function attainmentOf(card: { attainment: { pm25Met?: boolean | null; heavyDaysMet?: boolean | null } }): keyof typeof ATTAINMENT_COLOURS {
  const assessed = [card.attainment.pm25Met, card.attainment.heavyDaysMet].filter((m): m is boolean => m === true || m === false);
  if (!assessed.length) return 'unassessed';
  const met = assessed.filter(Boolean).length;
  return met === assessed.length ? (assessed.length === 2 ? 'both' : 'one') : met > 0 ? 'one' : 'neither';
}

async function renderMap(section: HTMLElement, s: Session, campaign: string, place: Place): Promise<void> {
  const campaignScorecards = await scorecards(s, { level: ScorecardLevel.CITY, campaign, filter: scopeFilter(s) });
  const bySlug = new Map(campaignScorecards.map((c) => [c.key, c]));
  const cityOf = new Map(s.cities.map((c) => [c.slug, c]));
  const inPlace = (slug: string) => {
    const c = cityOf.get(slug);
    if (!c) return false;
    return place.level === 'CITY' ? slug === place.key : place.level === 'PROVINCE' ? c.province.slug === place.key : c.regionCode === place.key;
  };
  const points = (geo.features as { properties: { slug: string; nameZh: string; nameEn: string }; geometry: { coordinates: number[] } }[])
    .filter((f) => bySlug.has(f.properties.slug))
    .map((f) => {
      const card = bySlug.get(f.properties.slug)!;
      const state = attainmentOf(card);
      return { ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], state, card, selected: inPlace(f.properties.slug) };
    });
  const chart = Plot.plot({
    width: 520,
    height: 460,
    projection: { type: 'mercator', domain: { type: 'MultiPoint', coordinates: (geo.features as { geometry: { coordinates: number[] } }[]).map((f) => f.geometry.coordinates) }, inset: 24 },
    marks: [
      Plot.graticule({ stroke: '#ccd' }),
      Plot.dot(points, { x: 'lon', y: 'lat', r: (p: (typeof points)[number]) => (p.selected ? 8 : 5.5), fill: (p: (typeof points)[number]) => ATTAINMENT_COLOURS[p.state], stroke: (p: (typeof points)[number]) => (p.selected ? '#111' : '#fff'), strokeWidth: 1.5, title: (p: (typeof points)[number]) => `${p.nameZh} ${p.nameEn}: PM2.5 ${num(p.card.attainment.pm25Mean)} / ${num(p.card.attainment.pm25Target)}, ${num(p.card.attainment.heavyPollutionDays, 0)} / ${num(p.card.attainment.heavyDaysTarget, 0)} heavy days` }),
      Plot.text(points.filter((p) => p.selected || points.length <= 12), { x: 'lon', y: 'lat', text: 'nameZh', dy: -11, fontSize: 10 }),
    ],
  });
  chart.setAttribute('aria-hidden', 'true');
  chart.classList.add('chart');
  fill(
    section,
    h('h2', { id: 'map-title' }, bi('城市达标地图', 'Cities by attainment of their targets')),
    h('p', { class: 'small' }, (Object.keys(ATTAINMENT_COLOURS) as (keyof typeof ATTAINMENT_COLOURS)[]).map((k) => h('span', { class: 'swatch', style: `background:${ATTAINMENT_COLOURS[k]}` }, biText(...ATTAINMENT_NAMES[k]))), ' ', bi('城市位置为近似的政府驻地坐标（随页面打包，无在线地图）', 'City positions are approximate seat coordinates bundled with the page (no tile server)')),
    chart,
    h(
      'details',
      {},
      h('summary', {}, bi(`地图数据（${points.length} 个城市）`, `Map data (${points.length} cities)`)),
      h(
        'table',
        { id: 'map-cities', class: 'compact' },
        h('thead', {}, h('tr', {}, ['城市 City', 'PM2.5', '目标 Target', '重污染天数 Heavy days', '目标 Target', '达标 Attainment', '经度 Lon ≈', '纬度 Lat ≈'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, points.map((p) => h('tr', { 'data-city': p.slug, 'data-attainment': p.state }, h('th', { scope: 'row' }, bi(p.nameZh, p.nameEn)), h('td', {}, num(p.card.attainment.pm25Mean)), h('td', {}, num(p.card.attainment.pm25Target)), h('td', {}, num(p.card.attainment.heavyPollutionDays, 0)), h('td', {}, num(p.card.attainment.heavyDaysTarget, 0)), h('td', {}, biText(...ATTAINMENT_NAMES[p.state])), h('td', {}, p.lon), h('td', {}, p.lat)))),
      ),
    ),
  );
}
