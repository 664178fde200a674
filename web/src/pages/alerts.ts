// Every active alert, filterable by severity and type. The list comes from
// /alerts?include_alerts=true when the server provides it; otherwise from each node's
// /pnodes/{address}/alerts (bounded, refreshed at most every 20 s). Below them, the alert
// lifecycle: states with acknowledge/silence actions and the silences (alert-lifecycle.ts).
import { api, ApiError, mapLimited } from '../api';
import { h, replace } from '../dom';
import { fmtInt } from '../format';
import { isAbort, type Page } from '../page';
import { href, replaceQuery } from '../router';
import type { Alert, AlertsResponse } from '../types';
import { card, cards, DataTable, errorBox, loading, section, select, severityBadge } from '../ui';
import { lifecycleSections } from './alert-lifecycle';

type Row = Alert & { address: string };
const SEV_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const NODES_CHECKED = 500; // /alerts limit: nodes checked, 1..500
const FALLBACK_MAX_NODES = 300;

export const alertsPage: Page = (root, ctx) => {
  ctx.title('Alerts');
  const f = { severity: ctx.route.query.get('severity') ?? '', type: ctx.route.query.get('type') ?? '' };
  const summaryEl = h('div', null, loading('Checking every node…'));
  const typeSlot = h('span');
  const listEl = h('div', null, loading());
  const criticalEl = h('div');
  const note = h('span', { class: 'muted small', id: 'alerts-count' });

  const table = new DataTable<Row>([
    { key: 'severity', label: 'Severity', sort: (a) => 2 - (SEV_ORDER[a.severity] ?? 3), render: (a) => severityBadge(a.severity), csv: (a) => a.severity },
    { key: 'address', label: 'Node', sort: (a) => a.address, render: (a) => h('a', { href: href('node', a.address), class: 'mono' }, a.address) },
    { key: 'type', label: 'Type', sort: (a) => a.type, render: (a) => h('span', { class: 'mono small' }, a.type), wideOnly: true },
    { key: 'message', label: 'Alert', sort: (a) => a.message, render: (a) => h('span', { class: 'cell-wrap' }, a.message), csv: (a) => a.message },
    { key: 'recommendation', label: 'Recommendation', render: (a) => h('span', { class: 'small' }, a.recommendation), csv: (a) => a.recommendation, wideOnly: true },
  ], { sort: 'severity', dir: 'desc', page: 1, size: 50 }, { rowKey: (a) => `${a.address}/${a.type}`, emptyText: 'No alert matches these filters.', caption: 'Active alerts' });

  const set = (k: 'severity' | 'type') => (v: string) => {
    f[k] = v;
    replaceQuery({ severity: f.severity || undefined, type: f.type || undefined });
    table.state.page = 1;
    render();
  };

  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Alerts'), h('p', { class: 'muted' }, 'Every active alert on every node, with what to do about it.')),
    summaryEl,
    section('Active alerts',
      h('div', { class: 'toolbar filters' },
        select('severity', f.severity, [['', 'All severities'], ['critical', 'Critical'], ['warning', 'Warning'], ['info', 'Info']], set('severity'), 'Severity'),
        typeSlot, note),
      listEl),
    section('Nodes with critical alerts', criticalEl),
    ...lifecycleSections(ctx),
  );

  let rows: Row[] = [];
  let overview: AlertsResponse | null = null;
  let lastFallback = 0;

  async function alertRows(r: AlertsResponse): Promise<Row[] | null> {
    if (Array.isArray(r.alerts)) return r.alerts;
    // No alert list in /alerts: ask each node (bounded), at most every 20 s.
    if (Date.now() - lastFallback < 20_000 && rows.length) return null;
    lastFallback = Date.now();
    const nodes = [...(await ctx.state.ensureNodes()).values()].slice(0, FALLBACK_MAX_NODES);
    const lists = await mapLimited(nodes, 6, async (n) => {
      try {
        return (await api.nodeAlerts(n.address, ctx.signal)).alerts.map((a) => ({ ...a, address: n.address }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    });
    return lists.flat();
  }

  async function load() {
    try {
      const r = await api.alerts({ limit: NODES_CHECKED, include_alerts: true }, ctx.signal);
      overview = r;
      const list = await alertRows(r);
      if (list) rows = list;
      render();
    } catch (e) {
      if (!isAbort(e)) replace(summaryEl, errorBox(e, 'Alerts'));
    }
  }

  let typeKey = '';
  function render() {
    if (!overview) return;
    const s = overview.summary;
    replace(summaryEl, cards(
      card('Active alerts', fmtInt(s.total), `${fmtInt(overview.nodes_with_alerts)} of ${fmtInt(overview.nodes_checked)} nodes`, { id: 'alerts-total' }),
      card('Critical', fmtInt(s.critical), 'act now', { class: 'card sev-critical' }),
      card('Warning', fmtInt(s.warning), 'plan a fix', { class: 'card sev-warning' }),
      card('Info', fmtInt(s.info), 'for awareness', { class: 'card sev-info' }),
    ));
    const types = [...new Set(rows.map((a) => a.type))].sort();
    if (types.join('|') !== typeKey) {
      typeKey = types.join('|');
      replace(typeSlot, select('type', f.type, [['', 'All types'], ...types.map((t): [string, string] => [t, `${t} (${rows.filter((a) => a.type === t).length})`])], set('type'), 'Type'));
    }
    const shown = rows.filter((a) => (!f.severity || a.severity === f.severity) && (!f.type || a.type === f.type));
    note.textContent = `${fmtInt(shown.length)} of ${fmtInt(rows.length)} alerts`;
    if (listEl.firstChild !== table.el) replace(listEl, table.el);
    table.setRows(shown);
    const crit = overview.critical_nodes;
    replace(criticalEl, crit.length
      ? h('ul', { class: 'alert-list' }, ...crit.slice(0, 50).map((c) => h('li', { class: 'alert sev-critical' },
        h('a', { href: href('node', c.address), class: 'mono' }, c.address), ` — ${c.alert_count} alert${c.alert_count === 1 ? '' : 's'}: `,
        c.critical_alerts.map((a) => a.message).join('; '))))
      : h('p', { class: 'ok' }, '✓ No node has a critical alert.'));
  }

  void load();
  ctx.onSnapshot(() => void load(), 5000);
};
