// For operators: enter a pubkey, see its nodes, their alerts and totals. Without a pubkey,
// the largest operators and how decentralised the network is.
import { api, ApiError, mapLimited } from '../api';
import { h, replace } from '../dom';
import { explainNode } from '../explain';
import { fmtBytes, fmtDuration, fmtInt, fmtNum, fmtPct, fmtTime, shortKey } from '../format';
import { isAbort, type Page } from '../page';
import { href } from '../router';
import type { Alert, Operator, PNode } from '../types';
import { card, cards, DataTable, empty, errorBox, loading, scoreBadge, section, severityBadge, statusDot, versionTag } from '../ui';

const MAX_ALERT_LOOKUPS = 60;

export const operatorsPage: Page = (root, ctx) => {
  const pubkey = ctx.route.arg.trim();
  ctx.title(pubkey ? `Operator ${shortKey(pubkey)}` : 'Operators');

  const input = h('input', { type: 'search', id: 'pubkey-input', placeholder: 'Operator pubkey', 'aria-label': 'Operator pubkey', value: pubkey, list: 'operator-keys', class: 'wide' });
  const datalist = h('datalist', { id: 'operator-keys' });
  const form = h('form', {
    class: 'toolbar',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const v = input.value.trim();
      location.hash = v ? href('operators', v) : '#/operators';
    },
  }, input, datalist, h('button', { type: 'submit', class: 'button' }, 'Show'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Operators'), h('p', { class: 'muted' }, 'Nodes grouped by the operator pubkey they announce.')),
    form,
  );

  if (!pubkey) return overview(root, ctx, datalist);

  const totalsEl = h('div', null, loading('Loading the operator’s nodes…'));
  const nodesEl = h('div');
  const alertsEl = h('div', null, loading());
  root.append(h('div', { id: 'operator' }, totalsEl), section('Nodes', nodesEl), section('Alerts on these nodes', alertsEl));

  const table = new DataTable<PNode>([
    { key: 'status', label: '', sort: (n) => (n.is_online ? 1 : 0), render: (n) => statusDot(n.is_online) },
    { key: 'address', label: 'Address', sort: (n) => n.address, render: (n) => h('a', { href: href('node', n.address), class: 'mono' }, n.address) },
    { key: 'score', label: 'Score', sort: (n) => n.score, render: (n) => scoreBadge(n.score, n.tier, explainNode(n)), align: 'right' },
    { key: 'version', label: 'Version', sort: (n) => n.version, render: (n) => versionTag(n.version, 18), wideOnly: true },
    { key: 'uptime', label: 'Uptime', sort: (n) => n.uptime, render: (n) => fmtDuration(n.uptime), align: 'right' },
    { key: 'storage_committed', label: 'Committed', sort: (n) => n.storage_committed, render: (n) => fmtBytes(n.storage_committed), align: 'right', wideOnly: true },
    { key: 'storage_usage_percent', label: 'Usage', sort: (n) => n.storage_usage_percent, render: (n) => fmtPct(n.storage_usage_percent, 2), align: 'right', wideOnly: true },
    { key: 'peer_count', label: 'Seen by', sort: (n) => n.peer_count, render: (n) => fmtInt(n.peer_count), align: 'right', wideOnly: true },
  ], { sort: 'score', dir: 'desc', page: 1, size: 25 }, { rowKey: (n) => n.address, emptyText: 'No nodes.' });

  let lastAlertsAt = 0;
  async function load() {
    try {
      const map = await ctx.state.ensureNodes();
      if (ctx.signal.aborted) return;
      const mine = [...map.values()].filter((n) => n.pubkey === pubkey || (!n.pubkey && n.address === pubkey));
      if (!mine.length) {
        replace(totalsEl, errorBox(`No node announces the pubkey ${pubkey}.`));
        replace(nodesEl);
        replace(alertsEl);
        return;
      }
      const online = mine.filter((n) => n.is_online);
      const committed = mine.reduce((s, n) => s + n.storage_committed, 0);
      const used = mine.reduce((s, n) => s + n.storage_used, 0);
      const versions = [...new Set(mine.map((n) => n.version))].sort();
      const avgScore = online.length ? online.reduce((s, n) => s + n.score, 0) / online.length : 0;
      replace(totalsEl,
        h('h2', { class: 'mono break' }, pubkey),
        cards(
          card('Nodes', fmtInt(mine.length), `${fmtInt(online.length)} online · ${fmtInt(mine.length - online.length)} offline`, { id: 'operator-nodes' }),
          card('Storage committed', fmtBytes(committed), `${fmtBytes(used)} used`),
          card('Average score', fmtNum(avgScore, 1), 'online nodes'),
          card('Versions', versions.length ? versions.map((v) => versionTag(v, 18)) : '—'),
          card('First seen', fmtTime(Math.min(...mine.map((n) => n.first_seen || Infinity)))),
        ));
      if (nodesEl.firstChild !== table.el) replace(nodesEl, table.el);
      table.setRows(mine);
      // Alerts take one request per node: refresh them at most every 15 s.
      if (Date.now() - lastAlertsAt > 15_000) {
        lastAlertsAt = Date.now();
        void loadAlerts(mine);
      }
    } catch (e) {
      if (!isAbort(e)) replace(totalsEl, errorBox(e, 'Operator'));
    }
  }

  async function loadAlerts(mine: PNode[]) {
    const subset = mine.slice(0, MAX_ALERT_LOOKUPS);
    try {
      const lists = await mapLimited(subset, 4, async (n) => {
        try {
          return (await api.nodeAlerts(n.address, ctx.signal)).alerts.map((a) => ({ ...a, address: n.address }));
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return [] as (Alert & { address: string })[];
          throw e;
        }
      });
      const all = lists.flat();
      const order = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
      all.sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3) || a.address.localeCompare(b.address));
      replace(alertsEl,
        mine.length > subset.length ? h('p', { class: 'muted small' }, `Alerts of the first ${subset.length} of ${mine.length} nodes.`) : null,
        all.length
          ? h('ul', { class: 'alert-list' }, ...all.map((a) => h('li', { class: `alert sev-${a.severity}` },
            h('div', null, severityBadge(a.severity), ' ', h('a', { href: href('node', a.address), class: 'mono' }, a.address), ' ', h('strong', null, a.message)),
            h('div', { class: 'small' }, '→ ', a.recommendation))))
          : h('p', { class: 'ok' }, '✓ None of these nodes has an active alert.'));
    } catch (e) {
      if (!isAbort(e)) replace(alertsEl, errorBox(e, 'Alerts'));
    }
  }

  void load();
  ctx.onSnapshot(() => void load(), 3000);
};

function overview(root: HTMLElement, ctx: Parameters<Page>[1], datalist: HTMLElement) {
  const summaryEl = h('div', null, loading('Loading operators…'));
  const listEl = h('div');
  // One table for the page's life, so its sort and page survive live refreshes.
  let table: DataTable<Operator> | null = null;
  const operatorTable = () => new DataTable<Operator>([
    { key: 'pubkey', label: 'Pubkey', sort: (o) => o.pubkey, render: (o) => h('a', { href: href('operators', o.pubkey), class: 'mono', title: o.pubkey }, shortKey(o.pubkey, 8)) },
    { key: 'node_count', label: 'Nodes', sort: (o) => o.node_count, render: (o) => fmtInt(o.node_count), align: 'right' },
    { key: 'online_nodes', label: 'Online', sort: (o) => o.online_nodes, render: (o) => fmtInt(o.online_nodes), align: 'right' },
    { key: 'committed', label: 'Committed', sort: (o) => o.total_storage_committed, render: (o) => fmtBytes(o.total_storage_committed), align: 'right' },
    { key: 'used', label: 'Used', sort: (o) => o.total_storage_used, render: (o) => fmtBytes(o.total_storage_used), align: 'right', wideOnly: true },
    { key: 'versions', label: 'Versions', sort: (o) => o.versions.join(' '), render: (o) => o.versions.map((v) => versionTag(v, 18)), wideOnly: true },
    { key: 'first_seen', label: 'First seen', sort: (o) => o.first_seen, render: (o) => fmtTime(o.first_seen), wideOnly: true },
  ], { sort: 'node_count', dir: 'desc', page: 1, size: 25 }, { rowKey: (o) => o.pubkey, caption: 'Operators' });
  root.append(summaryEl, section('Largest operators', listEl));
  async function load() {
    try {
      const r = await api.operators({ limit: 100 }, ctx.signal);
      const s = r.summary;
      replace(summaryEl, cards(
        card('Operators', fmtInt(s.total_operators), `${fmtInt(s.total_nodes)} nodes`),
        card('Nodes per operator', fmtNum(s.avg_nodes_per_operator, 2), 'average'),
        card('Largest share', fmtPct(s.largest_operator_share_percent, 2), 'of all nodes'),
        card('Decentralisation', fmtNum(s.decentralization_score, 1), '100 − largest share'),
      ));
      replace(datalist, ...r.operators.map((o) => h('option', { value: o.pubkey })));
      if (!r.operators.length) return replace(listEl, empty('No operators yet.'));
      table ??= operatorTable();
      table.setRows(r.operators);
      if (listEl.firstChild !== table.el) replace(listEl, table.el);
    } catch (e) {
      if (!isAbort(e)) replace(summaryEl, errorBox(e, 'Operators'));
    }
  }
  void load();
  ctx.onSnapshot(() => void load(), 10_000);
}
