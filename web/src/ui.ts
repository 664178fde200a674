// Small presentational components shared by the pages: cards, badges, bars, sections,
// loading and error states, key/value lists, and a sortable, paginated table.
import { h, replace } from './dom';
import { explanationText, type Explanation } from './explain';
import { fmtNum, isPreRelease, tierLabel } from './format';

type Content = Node | string | number | null | undefined | false | Content[];

export function section(title: string, ...children: Content[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

export function card(label: string, value: Content, sub?: Content, attrs: Record<string, string> = {}): HTMLElement {
  return h('div', { class: 'card', ...attrs }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value), sub ? h('div', { class: 'card-sub' }, sub) : null);
}

export function cards(...items: HTMLElement[]): HTMLElement {
  return h('div', { class: 'cards' }, ...items);
}

export function loading(what = 'Loading…'): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner' }), what);
}

export function errorBox(err: unknown, what?: string): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, what ? `${what}: ` : '', msg);
}

export function empty(text: string): HTMLElement {
  return h('div', { class: 'empty' }, text);
}

/** A tier's CSS class: tier-low_risk etc. */
export function tierClass(tier: string): string {
  return `tier-${/^[a-z_]+$/.test(tier) ? tier : 'unknown'}`;
}

/** A node's score, coloured by its tier; with `why`, it explains itself on hover and tap. */
export function scoreBadge(score: number, tier: string, why?: Explanation): HTMLElement {
  if (why) return explainedBadge(`badge score ${tierClass(tier)}`, fmtNum(score, 1), why);
  return h('span', { class: `badge score ${tierClass(tier)}`, title: `${tierLabel(tier)} (composite score ${fmtNum(score, 2)})` }, fmtNum(score, 1));
}

export function tierBadge(tier: string, why: Explanation): HTMLElement {
  return explainedBadge(`badge ${tierClass(tier)}`, tierLabel(tier), why);
}

// ---------------------------------------------------------------- explained badges

/**
 * A badge that says why it is there: its title (hover) holds the explanation, and a tap or
 * click (or Enter/Space, it is a button) opens it in a popover shared by the whole page.
 */
export function explainedBadge(cls: string, label: string, why: Explanation): HTMLElement {
  const button = h('button', {
    type: 'button',
    class: `${cls} explain`,
    title: explanationText(why),
    'aria-expanded': 'false',
    'aria-controls': 'explain-pop',
    'aria-haspopup': 'dialog',
  }, label);
  button.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    togglePopover(button, why);
  });
  return button;
}

let popover: HTMLElement | null = null;
let popoverOwner: HTMLElement | null = null;
// Live updates re-render lists: a popover whose badge left the page closes with it.
const ownerWatch = new MutationObserver(() => {
  if (popoverOwner && !popoverOwner.isConnected) closePopover();
});

function closePopover(): void {
  if (!popover || !popoverOwner) return;
  popover.hidden = true;
  popoverOwner.setAttribute('aria-expanded', 'false');
  popoverOwner = null;
  ownerWatch.disconnect();
}

function ensurePopover(): HTMLElement {
  if (popover) return popover;
  const el = h('div', { id: 'explain-pop', class: 'explain-pop', role: 'dialog', 'aria-label': 'Why this badge', hidden: true });
  document.body.append(el);
  document.addEventListener('click', (e) => {
    if (popoverOwner && !el.contains(e.target as Node)) closePopover();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !popoverOwner) return;
    const owner = popoverOwner;
    closePopover();
    owner.focus();
  });
  window.addEventListener('hashchange', closePopover);
  popover = el;
  return el;
}

function togglePopover(owner: HTMLElement, why: Explanation): void {
  if (popoverOwner === owner) return closePopover();
  closePopover();
  const el = ensurePopover();
  replace(el, h('strong', null, why.summary), why.lines.length ? h('ul', null, ...why.lines.map((l) => h('li', null, l))) : null);
  el.hidden = false;
  popoverOwner = owner;
  owner.setAttribute('aria-expanded', 'true');
  ownerWatch.observe(document.body, { childList: true, subtree: true });
  // Below the badge (above it when there is no room), kept inside the viewport.
  const r = owner.getBoundingClientRect();
  const margin = 8;
  const left = Math.max(margin, Math.min(r.left, window.innerWidth - el.offsetWidth - margin));
  const below = r.bottom + 6;
  const top = below + el.offsetHeight > window.innerHeight - margin && r.top - el.offsetHeight - 6 >= margin ? r.top - el.offsetHeight - 6 : below;
  el.style.left = `${left + window.scrollX}px`;
  el.style.top = `${top + window.scrollY}px`;
}

/** A version string, marked when it is a pre-release (a test build, never "the latest"). */
export function versionTag(version: string, maxLength = 0): HTMLElement {
  const shown = maxLength && version.length > maxLength ? `${version.slice(0, maxLength - 2)}…` : version;
  const pre = isPreRelease(version);
  return h('span', { class: 'version', title: pre ? `${version} — a pre-release (test build), never counted as the latest version` : version },
    h('span', { class: 'mono small' }, shown),
    pre ? h('span', { class: 'badge prerelease' }, 'pre-release') : null);
}

export function statusDot(online: boolean): HTMLElement {
  return h('span', { class: `dot ${online ? 'on' : 'off'}`, title: online ? 'online' : 'offline' }, h('span', { class: 'sr' }, online ? 'online' : 'offline'));
}

export function severityBadge(sev: string): HTMLElement {
  const cls = /^[a-z]+$/.test(sev) ? sev : 'info';
  return h('span', { class: `badge sev-${cls}` }, sev);
}

/** A horizontal bar: value out of max, with the numbers beside it. */
export function bar(value: number, max: number, label?: string, cls = ''): HTMLElement {
  const pct = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return h('div', { class: `bar ${cls}`, title: `${fmtNum(value, 2)} / ${max}` },
    h('div', { class: 'bar-track' }, h('div', { class: 'bar-fill', style: `width:${pct.toFixed(1)}%` })),
    h('div', { class: 'bar-text' }, label ?? `${fmtNum(value, 1)} / ${max}`));
}

export function kv(rows: [string, Content][]): HTMLElement {
  return h('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function select(name: string, value: string, options: [string, string][], onChange: (v: string) => void, label?: string): HTMLElement {
  const sel = h('select', { name, 'aria-label': label ?? name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    ...options.map(([v, text]) => h('option', { value: v, selected: v === value ? true : undefined }, text)));
  return label ? h('label', { class: 'field' }, h('span', null, label), sel) : sel;
}

// ---------------------------------------------------------------- table

export interface Column<T> {
  key: string;
  label: string;
  /** Sort key; columns without one are not sortable. */
  sort?: (row: T) => number | string;
  render: (row: T) => Content;
  /** CSV cell; defaults to the sort key. */
  csv?: (row: T) => string | number;
  align?: 'right' | 'center';
  title?: string;
  /** Hidden on phone-sized screens, so the essential columns fit without sideways scrolling. */
  wideOnly?: boolean;
}

export interface TableState {
  sort: string;
  dir: 'asc' | 'desc';
  page: number;
  size: number;
}

/**
 * A sortable, paginated table over rows the caller filters. setRows() re-renders only
 * the body and the pager, so inputs around it keep their focus during live updates.
 */
export class DataTable<T> {
  readonly el: HTMLElement;
  private rows: T[] = [];
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private readonly pager: HTMLElement;

  constructor(
    private readonly columns: Column<T>[],
    public state: TableState,
    private readonly opts: { rowKey: (r: T) => string; onState?: (s: TableState) => void; emptyText?: string; caption?: string; pageSizes?: number[] },
  ) {
    this.head = h('thead');
    this.body = h('tbody');
    this.pager = h('div', { class: 'pager' });
    this.el = h('div', { class: 'table-block' },
      h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, opts.caption ? h('caption', { class: 'sr' }, opts.caption) : null, this.head, this.body)),
      this.pager);
    this.renderHead();
  }

  setRows(rows: T[]): void {
    this.rows = rows;
    this.renderBody();
  }

  /** Every row in the current sort order (for CSV export). */
  sorted(): T[] {
    const col = this.columns.find((c) => c.key === this.state.sort && c.sort);
    if (!col?.sort) return [...this.rows];
    const key = col.sort;
    const sign = this.state.dir === 'asc' ? 1 : -1;
    return [...this.rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? c * sign : this.opts.rowKey(a).localeCompare(this.opts.rowKey(b));
    });
  }

  csv(): string {
    const cell = (v: unknown) => {
      const s = String(v ?? '');
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const cols = this.columns.filter((c) => c.csv || c.sort);
    const lines = [cols.map((c) => cell(c.label)).join(',')];
    for (const r of this.sorted()) lines.push(cols.map((c) => cell((c.csv ?? c.sort)!(r))).join(','));
    return `${lines.join('\n')}\n`;
  }

  private changed() {
    this.opts.onState?.(this.state);
    this.renderHead();
    this.renderBody();
  }

  private renderHead() {
    const cells = this.columns.map((c) => {
      if (!c.sort) return h('th', { class: cellClass(c), title: c.title }, c.label);
      const active = this.state.sort === c.key;
      const arrow = active ? (this.state.dir === 'asc' ? ' ▲' : ' ▼') : '';
      return h('th', { class: `${cellClass(c)} sortable${active ? ' active' : ''}`, 'aria-sort': active ? (this.state.dir === 'asc' ? 'ascending' : 'descending') : 'none', title: c.title },
        h('button', {
          type: 'button',
          dataset: { sort: c.key },
          onclick: () => {
            if (this.state.sort === c.key) this.state.dir = this.state.dir === 'asc' ? 'desc' : 'asc';
            else {
              this.state.sort = c.key;
              this.state.dir = 'desc';
            }
            this.state.page = 1;
            this.changed();
          },
        }, c.label, arrow));
    });
    replace(this.head, h('tr', null, ...cells));
  }

  private renderBody() {
    const rows = this.sorted();
    const pages = Math.max(1, Math.ceil(rows.length / this.state.size));
    if (this.state.page > pages) this.state.page = pages;
    const start = (this.state.page - 1) * this.state.size;
    const slice = rows.slice(start, start + this.state.size);
    if (slice.length === 0) {
      replace(this.body, h('tr', null, h('td', { colspan: this.columns.length, class: 'empty' }, this.opts.emptyText ?? 'Nothing to show')));
    } else {
      replace(this.body, ...slice.map((r) => h('tr', { dataset: { key: this.opts.rowKey(r) } }, ...this.columns.map((c) => h('td', { class: cellClass(c) }, c.render(r))))));
    }
    const go = (p: number) => () => {
      this.state.page = p;
      this.changed();
    };
    const sizes = this.opts.pageSizes ?? [25, 50, 100, 250];
    replace(this.pager,
      h('span', { class: 'muted' }, rows.length ? `${start + 1}–${start + slice.length} of ${rows.length}` : '0 rows'),
      h('span', { class: 'pager-buttons' },
        h('button', { type: 'button', disabled: this.state.page <= 1 ? true : undefined, onclick: go(1), 'aria-label': 'first page' }, '«'),
        h('button', { type: 'button', disabled: this.state.page <= 1 ? true : undefined, onclick: go(this.state.page - 1), 'aria-label': 'previous page' }, '‹'),
        h('span', { class: 'page-no' }, `page ${this.state.page} / ${pages}`),
        h('button', { type: 'button', disabled: this.state.page >= pages ? true : undefined, onclick: go(this.state.page + 1), 'aria-label': 'next page' }, '›'),
        h('button', { type: 'button', disabled: this.state.page >= pages ? true : undefined, onclick: go(pages), 'aria-label': 'last page' }, '»')),
      select('size', String(this.state.size), sizes.map((s) => [String(s), `${s} / page`]), (v) => {
        this.state.size = Number(v);
        this.state.page = 1;
        this.changed();
      }, undefined));
  }
}

function cellClass<T>(c: Column<T>): string {
  return `${c.align ?? ''}${c.wideOnly ? ' wide-only' : ''}`.trim();
}

/** Offers `text` as a file download. */
export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, style: 'display:none' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
