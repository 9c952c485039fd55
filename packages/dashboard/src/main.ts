/**
 * The page: the API key (entered once, kept in sessionStorage), the demo-data notice, and two
 * views, the dashboard and the report builder, both on the SDK's client.
 */
import './style.css';
import { client, storedKey, storeKey } from './api.js';
import { renderDashboard } from './dashboard.js';
import { bi, fill, h } from './dom.js';
import { renderReportBuilder } from './report-builder.js';
import { loadSession } from './session.js';

const app = document.getElementById('app')!;

const keyInput = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'airl_…' });
const keyStatus = h('span', { id: 'key-status', role: 'status', 'aria-live': 'polite' });
const keyForm = h(
  'form',
  { id: 'key-form', class: 'key' },
  h('label', { for: 'api-key' }, bi('API 密钥', 'API key')),
  keyInput,
  h('button', { type: 'submit', id: 'use-key' }, '使用 Use'),
  h('button', { type: 'button', id: 'forget-key', class: 'secondary' }, '清除 Forget'),
  keyStatus,
);
const demoBanner = h('p', { id: 'demo-banner', class: 'demo', hidden: true });
const tabs = [
  { id: 'dashboard', zh: '看板', en: 'Dashboard' },
  { id: 'report', zh: '自定义报表', en: 'Report builder' },
];
const nav = h('nav', { 'aria-label': '视图 Views' }, tabs.map((t) => h('button', { type: 'button', id: `tab-${t.id}`, 'aria-controls': `view-${t.id}`, 'data-view': t.id }, bi(t.zh, t.en))));
const views = {
  dashboard: h('section', { id: 'view-dashboard', 'aria-label': '看板 Dashboard' }),
  report: h('section', { id: 'view-report', 'aria-label': '自定义报表 Report builder' }),
};

function show(view: string): void {
  const current = view === 'report' ? 'report' : 'dashboard';
  for (const t of tabs) {
    (views as Record<string, HTMLElement>)[t.id].hidden = t.id !== current;
    nav.querySelector(`#tab-${t.id}`)!.setAttribute('aria-pressed', String(t.id === current));
  }
}
nav.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest('button');
  if (!button) return;
  history.replaceState(null, '', `#${button.dataset.view}`);
  show(button.dataset.view!);
});

fill(
  app,
  h('header', {}, h('h1', {}, bi('秋冬季大气污染综合治理攻坚看板', 'Autumn-winter air pollution campaign dashboard')), keyForm, demoBanner, nav),
  h('main', {}, views.dashboard, views.report),
  h('footer', {}, bi('数据来自本服务器的 airledger API（通过 SDK）', 'Data from this server’s airledger API, through the SDK'), ' · ', h('a', { href: '/graphql' }, bi('查询控制台', 'query console'))),
);

async function start(): Promise<void> {
  const token = storedKey();
  keyStatus.textContent = token ? '' : '未输入密钥：仅公开数据 No key: public data only';
  try {
    const session = await loadSession(client());
    const v = session.viewer;
    if (token) keyStatus.textContent = `${v.role}${v.city ? ` · ${v.city.nameEn}` : v.province ? ` · ${v.province.nameEn}` : ''}`;
    app.dataset.role = v.role;
    if (session.demo) {
      demoBanner.hidden = false;
      fill(demoBanner, h('strong', {}, '演示数据 Demo data'), ` — 本账本含生成的演示数据（origin DEMO，种子 seed ${session.demo.seed}），并非实测 · the ledger holds generated demo data (origin DEMO), not real measurements.`);
    } else demoBanner.hidden = true;
    renderDashboard(views.dashboard, session);
    renderReportBuilder(views.report, session);
  } catch (error) {
    keyStatus.textContent = `出错 Error: ${(error as Error).message}`;
    fill(views.dashboard);
    fill(views.report);
  }
}

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const value = keyInput.value.trim();
  if (!value) return;
  storeKey(value);
  keyInput.value = '';
  void start();
});
keyForm.querySelector('#forget-key')!.addEventListener('click', () => {
  storeKey(undefined);
  void start();
});

show(location.hash.slice(1));
void start();
