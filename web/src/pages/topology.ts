// Topology: which seeds see which pods. Per-seed totals, how many seeds see each pod, and
// a pod × seed matrix (filterable, paginated) built from /network/topology's edges.
import { api } from '../api';
import { h, replace } from '../dom';
import { fmtDuration, fmtInt, fmtNum, fmtPct } from '../format';
import { isAbort, type Page } from '../page';
import { href } from '../router';
import type { TopologyResponse } from '../types';
import { bar, card, cards, DataTable, errorBox, loading, section, select } from '../ui';

interface PodRow {
  address: string;
  group: string;
  version: string;
  seen: Set<string>;
}

export const topologyPage: Page = (root, ctx) => {
  ctx.title('Topology');
  const statsEl = h('div', null, loading('Loading the gossip graph…'));
  const seedsEl = h('div');
  const histEl = h('div');
  const matrixEl = h('div');
  let maxSeen = '';
  let search = '';
  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Topology'), h('p', { class: 'muted' }, 'Which seeds list which pods in their gossip view this cycle.')),
    statsEl,
    h('div', { class: 'grid-2' }, section('Seeds', seedsEl), section('Seeds seeing each pod', histEl)),
    section('Pod × seed matrix',
      h('div', { class: 'toolbar filters' },
        h('input', { type: 'search', placeholder: 'Filter pods by address', 'aria-label': 'Filter pods by address', oninput: (e: Event) => { search = (e.target as HTMLInputElement).value.trim(); renderMatrix(); } }),
        select('max_seen', '', [['', 'All pods'], ['1', 'Seen by ≤ 1 seed'], ['2', 'Seen by ≤ 2 seeds'], ['3', 'Seen by ≤ 3 seeds']], (v) => { maxSeen = v; renderMatrix(); }, 'Show')),
      matrixEl),
  );

  let data: TopologyResponse | null = null;
  let seeds: string[] = [];
  let pods: PodRow[] = [];
  let table: DataTable<PodRow> | null = null;
  let tableSeeds = '';

  async function load() {
    try {
      data = await api.topology(ctx.signal);
      seeds = data.nodes.filter((n) => n.type === 'ip_node').map((n) => n.id);
      const byPod = new Map<string, PodRow>();
      for (const n of data.nodes) if (n.type === 'pnode') byPod.set(n.id, { address: n.id, group: n.group, version: String(n.properties.version ?? ''), seen: new Set() });
      for (const e of data.edges) byPod.get(e.target)?.seen.add(e.source);
      pods = [...byPod.values()];
      render();
    } catch (e) {
      if (!isAbort(e)) replace(statsEl, errorBox(e, 'Topology'));
    }
  }

  function render() {
    if (!data) return;
    const s = data.stats;
    replace(statsEl, cards(
      card('Seeds', fmtInt(s.ip_nodes), 'polled every cycle', { id: 'topo-seeds' }),
      card('Pods', fmtInt(s.pnodes), 'in the merged view'),
      card('Gossip links', fmtInt(s.total_connections), 'seed → pod listings'),
      card('Seeds per pod', fmtNum(s.avg_connections_per_pnode, 2), 'average'),
    ));
    const seedRows = data.nodes.filter((n) => n.type === 'ip_node');
    const seenBySeed = new Map<string, number>();
    for (const e of data.edges) seenBySeed.set(e.source, (seenBySeed.get(e.source) ?? 0) + 1);
    replace(seedsEl, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'seed-table' },
      h('thead', null, h('tr', null, h('th', null, 'Seed'), h('th', null, 'Pods it sees'), h('th', { class: 'right' }, 'CPU'), h('th', { class: 'right' }, 'RAM'), h('th', { class: 'right' }, 'Uptime'))),
      h('tbody', null, ...seedRows.map((n, i) => h('tr', null,
        h('td', { class: 'mono' }, h('span', { class: 'seed-tag' }, `S${i + 1}`), ' ', n.id),
        h('td', null, bar(seenBySeed.get(n.id) ?? 0, s.pnodes || 1, `${fmtInt(seenBySeed.get(n.id) ?? 0)} (${fmtPct(((seenBySeed.get(n.id) ?? 0) / (s.pnodes || 1)) * 100, 0)})`)),
        h('td', { class: 'right' }, fmtPct(Number(n.properties.cpu_percent ?? 0), 1)),
        h('td', { class: 'right' }, fmtPct(Number(n.properties.ram_used_percent ?? 0), 1)),
        h('td', { class: 'right' }, fmtDuration(Number(n.properties.uptime ?? 0)))))))));
    const hist = new Map<number, number>();
    for (const p of pods) hist.set(p.seen.size, (hist.get(p.seen.size) ?? 0) + 1);
    const counts = Array.from({ length: seeds.length + 1 }, (_, k) => k);
    replace(histEl, h('div', { class: 'dist' }, ...counts.map((k) => h('div', { class: 'dist-row' },
      h('span', { class: 'dist-key' }, `${k} seed${k === 1 ? '' : 's'}`), bar(hist.get(k) ?? 0, pods.length || 1, fmtInt(hist.get(k) ?? 0), k <= 1 ? 'warn' : '')))),
    h('p', { class: 'muted small' }, 'Pods listed by one seed or none are at risk of being missed; three or more is healthy.'));
    renderMatrix();
  }

  function renderMatrix() {
    if (!data) return;
    if (!table || tableSeeds !== seeds.join(',')) {
      tableSeeds = seeds.join(',');
      table = new DataTable<PodRow>([
        { key: 'address', label: 'Pod', sort: (p) => p.address, render: (p) => h('a', { href: href('node', p.address), class: 'mono' }, p.address) },
        { key: 'seen', label: 'Seen by', sort: (p) => p.seen.size, render: (p) => `${p.seen.size}/${seeds.length}`, align: 'right' },
        ...seeds.map((seed, i) => ({
          key: `s${i}`,
          label: `S${i + 1}`,
          title: seed,
          render: (p: PodRow) => h('span', { class: p.seen.has(seed) ? 'cell on' : 'cell off', title: `${seed} ${p.seen.has(seed) ? 'lists' : 'does not list'} ${p.address}` }, p.seen.has(seed) ? '●' : '·'),
          align: 'center' as const,
        })),
        { key: 'group', label: 'RPC', sort: (p) => p.group, render: (p) => p.group },
      ], { sort: 'seen', dir: 'asc', page: 1, size: 50 }, { rowKey: (p) => p.address, caption: 'Pods and the seeds that list them' });
      replace(matrixEl, table.el);
    }
    const max = maxSeen ? Number(maxSeen) : Infinity;
    table.setRows(pods.filter((p) => p.seen.size <= max && (!search || p.address.includes(search))));
  }

  void load();
  ctx.onSnapshot(() => void load(), 5000);
};
