/** A few DOM helpers (no framework: the page is small). */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** An element with attributes (`on*` functions become listeners; false/null/undefined are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces the children of `el`. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** "中文 English": the page's labels carry both languages, Chinese first. */
export function bi(zh: string, en: string): HTMLSpanElement {
  if (zh === en) return h('span', { class: 'bi' }, h('span', { lang: 'en' }, en));
  return h('span', { class: 'bi' }, h('span', { lang: 'zh-CN' }, zh), ' ', h('span', { lang: 'en', class: 'en' }, en));
}

/** The same as plain text (for options, which hold no markup). */
export function biText(zh: string | null | undefined, en: string): string {
  return zh && zh !== en ? `${zh} ${en}` : en;
}

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
const INTEGER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** A number as shown (one decimal), or a dash for none. */
export function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '–';
  return digits === 0 ? INTEGER.format(value) : digits === 1 ? NUMBER.format(value) : new Intl.NumberFormat('zh-CN', { maximumFractionDigits: digits }).format(value);
}

/** A share (0..1) as a percentage. */
export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${NUMBER.format(value * 100)} %`;
}

/** A figure of the page with its raw value in data attributes, so that it can be checked against the API. */
export function figure(field: string, value: unknown, shown: string): HTMLElement {
  return h('span', { class: 'figure', 'data-field': field, 'data-value': JSON.stringify(value ?? null) }, shown);
}
