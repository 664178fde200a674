// Every pod in one table: search by address or pubkey, filter by status, tier, version and
// visibility, sort by any column, paginate, export CSV. Filters live in the URL hash.
import { h, replace } from '../dom';
import { explainNode } from '../explain';
import { fmtAgo, fmtBytes, fmtDuration, fmtInt, fmtNum, fmtPct, isPreRelease, shortKey, tierLabel } from '../format';
import { isAbort, type Page } from '../page';
import { scoreV2Sort, scoreV2Tag } from '../score-v2';
import { href, replaceQuery } from '../router';
import type { PNode } from '../types';
import { DataTable, download, errorBox, loading, scoreBadge, select, statusDot, tierBadge, versionTag, type Column } from '../ui';

export const nodesPage: Page = async (root, ctx) => {
  ctx.title('Nodes');
  const q = ctx.route.query;
  const filters = {
    q: q.get('q') ?? '',
    status: q.get('status') ?? 'all',
    tier: q.get('tier') ?? '',
    version: q.get('version') ?? '',
    vis: q.get('vis') ?? '',
  };
  const now = () => Date.now() / 1000;

  const columns: Column<PNode>[] = [
    { key: 'status', label: '', sort: (n) => (n.is_online ? 1 : 0), render: (n) => statusDot(n.is_online), csv: (n) => (n.is_online ? 'online' : 'offline'), title: 'online / offline' },
    { key: 'address', label: 'Address', sort: (n) => n.address, render: (n) => h('a', { href: href('node', n.address), class: 'mono addr' }, n.address) },
    { key: 'pubkey', label: 'Pubkey', sort: (n) => n.pubkey, render: (n) => (n.pubkey ? h('a', { href: href('operators', n.pubkey), class: 'mono', title: n.pubkey }, shortKey(n.pubkey)) : '—'), wideOnly: true },
    { key: 'score_v2', label: 'Score v2', sort: (n) => scoreV2Sort(n.score_v2), render: (n) => scoreV2Tag(n.score_v2), csv: (n) => (typeof n.score_v2 === 'number' ? String(n.score_v2) : ''), align: 'right', title: 'scoring v2: gossip plus measured reachability, latency, availability and credits' },
    { key: 'score', label: 'Score', sort: (n) => n.score, render: (n) => scoreBadge(n.score, n.tier, explainNode(n)), align: 'right', title: 'the reference’s score (v1, gossip only)', wideOnly: true },
    { key: 'tier', label: 'Tier', sort: (n) => n.tier, render: (n) => tierBadge(n.tier, explainNode(n)), csv: (n) => n.tier, wideOnly: true },
    { key: 'trust', label: 'Trust', sort: (n) => n.scores?.trust?.score ?? 0, render: (n) => fmtNum(n.scores?.trust?.score ?? 0, 1), align: 'right', wideOnly: true },
    { key: 'capacity', label: 'Capacity', sort: (n) => n.scores?.capacity?.score ?? 0, render: (n) => fmtNum(n.scores?.capacity?.score ?? 0, 1), align: 'right', wideOnly: true },
    { key: 'version', label: 'Version', sort: (n) => n.version, render: (n) => versionTag(n.version, 18), wideOnly: true },
    { key: 'uptime', label: 'Uptime', sort: (n) => n.uptime, render: (n) => fmtDuration(n.uptime), align: 'right' },
    { key: 'storage_committed', label: 'Committed', sort: (n) => n.storage_committed, render: (n) => fmtBytes(n.storage_committed), align: 'right', wideOnly: true },
    { key: 'storage_used', label: 'Used', sort: (n) => n.storage_used, render: (n) => fmtBytes(n.storage_used), align: 'right', wideOnly: true },
    { key: 'storage_usage_percent', label: 'Usage', sort: (n) => n.storage_usage_percent, render: (n) => fmtPct(n.storage_usage_percent, 2), align: 'right', wideOnly: true },
    { key: 'peer_count', label: 'Seen by', sort: (n) => n.peer_count, render: (n) => fmtInt(n.peer_count), align: 'right', title: 'number of seeds that list the pod', wideOnly: true },
    { key: 'is_public', label: 'Public', sort: (n) => (n.is_public ? 1 : 0), render: (n) => (n.is_public ? 'public' : 'private'), wideOnly: true },
    { key: 'last_seen', label: 'Last seen', sort: (n) => n.last_seen, render: (n) => fmtAgo(now() - n.last_seen), align: 'right', wideOnly: true },
  ];

  const table = new DataTable<PNode>(columns, {
    sort: q.get('sort') ?? 'score_v2',
    dir: q.get('dir') === 'asc' ? 'asc' : 'desc',
    page: Math.max(1, Number(q.get('page')) || 1),
    size: [25, 50, 100, 250].includes(Number(q.get('size'))) ? Number(q.get('size')) : 25,
  }, {
    rowKey: (n) => n.address,
    emptyText: 'No node matches these filters.',
    caption: 'pNodes',
    onState: (s) => replaceQuery({ sort: s.sort, dir: s.dir, page: s.page > 1 ? s.page : undefined, size: s.size !== 25 ? s.size : undefined }),
  });

  const count = h('span', { class: 'muted', id: 'nodes-count' });
  const versionSlot = h('span');
  const tierSlot = h('span');
  const body = h('div', null, loading('Loading every pod…'));
  const search = h('input', {
    type: 'search',
    id: 'node-search',
    placeholder: 'Search address or pubkey',
    'aria-label': 'Search address or pubkey',
    value: filters.q,
    oninput: (e: Event) => {
      filters.q = (e.target as HTMLInputElement).value;
      table.state.page = 1;
      sync();
    },
  });
  const set = (k: keyof typeof filters) => (v: string) => {
    filters[k] = v;
    table.state.page = 1;
    sync();
  };

  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Nodes'), count),
    h('div', { class: 'toolbar filters' },
      search,
      select('status', filters.status, [['all', 'All statuses'], ['online', 'Online'], ['offline', 'Offline']], set('status'), 'Status'),
      tierSlot,
      versionSlot,
      select('vis', filters.vis, [['', 'Public and private'], ['public', 'Public'], ['private', 'Private']], set('vis'), 'Visibility'),
      h('button', {
        type: 'button',
        id: 'export-csv',
        class: 'button',
        onclick: () => download(`pnodes-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`, table.csv()),
      }, '⇩ Export CSV')),
    body,
  );

  let nodes: PNode[] = [];

  function matches(n: PNode): boolean {
    if (filters.status === 'online' && !n.is_online) return false;
    if (filters.status === 'offline' && n.is_online) return false;
    if (filters.tier && n.tier !== filters.tier) return false;
    if (filters.version && n.version !== filters.version) return false;
    if (filters.vis === 'public' && !n.is_public) return false;
    if (filters.vis === 'private' && n.is_public) return false;
    const needle = filters.q.trim().toLowerCase();
    if (needle && !n.address.toLowerCase().includes(needle) && !n.pubkey.toLowerCase().includes(needle)) return false;
    return true;
  }

  function sync() {
    replaceQuery({ q: filters.q || undefined, status: filters.status !== 'all' ? filters.status : undefined, tier: filters.tier || undefined, version: filters.version || undefined, vis: filters.vis || undefined, page: table.state.page > 1 ? table.state.page : undefined });
    const rows = nodes.filter(matches);
    table.setRows(rows);
    const online = nodes.filter((n) => n.is_online).length;
    count.textContent = `${fmtInt(rows.length)} shown · ${fmtInt(online)} online · ${fmtInt(nodes.length - online)} offline`;
  }

  let filterKey = '';
  function renderFilters() {
    const versions = [...new Set(nodes.map((n) => n.version))].sort();
    const tierSet = [...new Set(nodes.map((n) => n.tier))].sort();
    // Rebuild the selects only when their options change (an open select would close).
    const key = `${versions.join('|')}#${tierSet.join('|')}`;
    if (key === filterKey) return;
    filterKey = key;
    replace(versionSlot, select('version', filters.version, [['', 'All versions'], ...versions.map((v): [string, string] => [v, isPreRelease(v) ? `${v} (pre-release)` : v])], set('version'), 'Version'));
    const tiers = ['low_risk', 'medium_risk', 'high_risk', 'offline', ...tierSet].filter((t, i, a) => a.indexOf(t) === i);
    replace(tierSlot, select('tier', filters.tier, [['', 'All tiers'], ...tiers.map((t): [string, string] => [t, tierLabel(t)])], set('tier'), 'Tier'));
  }

  async function load() {
    try {
      const map = await ctx.state.ensureNodes();
      if (ctx.signal.aborted) return;
      nodes = [...map.values()];
      if (body.firstChild !== table.el) replace(body, table.el);
      renderFilters();
      sync();
    } catch (e) {
      if (!isAbort(e)) replace(body, errorBox(e, 'Node list'));
    }
  }
  ctx.onSnapshot(() => void load(), 1000);
  await load();
};
