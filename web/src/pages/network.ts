// Network overview: summary cards, the health score with its factors, critical alerts,
// charts over time from /network/history, the current distributions, and the probe
// coverage of the latest round (/network/probe) when the server probes, and where the nodes
// are (/network/concentration) when it has a location database.
import { api, ApiError } from '../api';
import { timeChart } from '../chart';
import { h, replace } from '../dom';
import { explainNode } from '../explain';
import { fmtBytes, fmtDuration, fmtInt, fmtNum, fmtPct, fmtSigned, isPreRelease } from '../format';
import { isAbort, type Page } from '../page';
import { concentrationBlock } from './network-concentration';
import { href, replaceQuery } from '../router';
import type { HistoryPoint, NetworkAnalyticsResponse, NetworkHealthResponse, NetworkHistoryResponse, PNodesResponse } from '../types';
import { bar, card, cards, empty, errorBox, loading, scoreBadge, section, severityBadge, statusDot, versionTag } from '../ui';

const RANGES: [number, string][] = [[1, '1 h'], [6, '6 h'], [24, '24 h'], [168, '7 d'], [720, '30 d']];

const FACTORS: { key: 'availability' | 'version_consistency' | 'node_quality' | 'connectivity'; label: string; max: number; explain: string }[] = [
  { key: 'availability', label: 'Availability', max: 30, explain: 'share of known pods online now' },
  { key: 'version_consistency', label: 'Version consistency', max: 25, explain: 'share of online pods on the most common version' },
  { key: 'node_quality', label: 'Node quality', max: 25, explain: 'mean stake-confidence score of online pods' },
  { key: 'connectivity', label: 'Connectivity', max: 20, explain: 'mean number of seeds that see each pod (full at 3)' },
];

export const networkPage: Page = (root, ctx) => {
  ctx.title('Network');
  let hours = Number(ctx.route.query.get('hours')) || 24;
  if (!RANGES.some(([h]) => h === hours)) hours = 24;

  const summaryEl = h('div', { id: 'summary-cards' }, loading('Loading the network summary…'));
  const coverageEl = h('p', { class: 'muted small', id: 'probe-coverage' });
  const bannerEl = h('div', { id: 'critical-banner' });
  const healthEl = h('div', { class: 'health' }, loading());
  const topEl = h('div', null, loading());
  const distEl = h('div', { class: 'grid-2' }, loading());
  const growthEl = h('div', { class: 'growth' });
  const concentrationEl = h('div');
  const concentrationSection = section('Concentration', concentrationEl);
  concentrationSection.id = 'concentration';
  concentrationSection.hidden = true;

  // Every history row describes the online pods of its cycle: the charts' titles say so,
  // and the summary cards above use the same definition.
  const podsChart = timeChart({ title: 'Pods online', series: [{ label: 'online', color: 1 }, { label: 'public', color: 2 }, { label: 'private', color: 3 }], format: (v) => fmtInt(v) });
  const storageChart = timeChart({ title: 'Storage of online pods', series: [{ label: 'committed', fill: true }, { label: 'used', color: 1, fill: true }], format: (v) => fmtBytes(v, 1) });
  const versionsChart = timeChart({ title: 'Pods by version', series: [], format: (v) => fmtInt(v) });
  let versionsChartRef = versionsChart;
  const versionsSlot = h('div', null, versionsChart.el);
  const historyNote = h('div', { class: 'muted small' });
  ctx.onDispose(() => {
    podsChart.destroy();
    storageChart.destroy();
    versionsChartRef.destroy();
  });

  const rangeButtons = h('div', { class: 'segmented', role: 'group', 'aria-label': 'History range' },
    ...RANGES.map(([hv, label]) => h('button', {
      type: 'button',
      class: hv === hours ? 'active' : '',
      dataset: { hours: String(hv) },
      onclick: (e: Event) => {
        hours = hv;
        replaceQuery({ hours: hv === 24 ? undefined : hv });
        for (const b of rangeButtons.querySelectorAll('button')) b.classList.toggle('active', b === e.currentTarget);
        void loadHistory();
      },
    }, label)));

  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Network overview'), h('p', { class: 'muted' }, 'The Xandeum storage network as the seeds report it, merged every cycle.')),
    bannerEl,
    summaryEl,
    coverageEl,
    h('div', { class: 'grid-main' },
      section('Network health', healthEl),
      section('Top nodes by score', topEl)),
    section('Over time', h('div', { class: 'toolbar' }, rangeButtons, historyNote), growthEl, h('div', { class: 'charts' }, podsChart.el, storageChart.el, versionsSlot)),
    section('Distributions', distEl),
    concentrationSection,
  );

  async function loadSummary() {
    try {
      const [pn, analytics] = await Promise.all([
        api.pnodes({ status: 'all', limit: 5, sort_by: 'score', sort_order: 'desc' }, ctx.signal),
        api.networkAnalytics(ctx.signal),
      ]);
      renderSummary(pn, analytics);
      renderTop(pn);
      renderDistributions(analytics, pn);
    } catch (e) {
      if (!isAbort(e)) replace(summaryEl, errorBox(e, 'Network summary'));
    }
  }

  function renderSummary(pn: PNodesResponse, an: NetworkAnalyticsResponse) {
    const s = pn.summary;
    const st = pn.network_stats;
    const versions = Object.entries(st.version_distribution).sort((a, b) => b[1] - a[1]);
    // The online pods' storage: the definition of the history charts below (the totals
    // also count offline pods' last reports, so they are given only as a side note).
    const committed = st.online_storage_committed ?? 0;
    const used = st.online_storage_used ?? 0;
    const usedPct = committed > 0 ? (used / committed) * 100 : 0;
    const mostCommon = versions.length ? `${versions[0][0]}${isPreRelease(versions[0][0]) ? ' (pre-release)' : ''}` : '';
    replace(summaryEl, cards(
      card('Pods online', fmtInt(s.online_pnodes), `${fmtInt(s.offline_pnodes)} offline · ${fmtInt(s.total_pnodes)} known`, { id: 'card-online' }),
      card('Public / private', `${fmtInt(an.current_state.public_nodes)} / ${fmtInt(an.current_state.private_nodes)}`, `${fmtPct(an.current_state.public_ratio_percent)} public`, { id: 'card-public' }),
      card('Storage committed', fmtBytes(committed), `online pods, as charted below · ${fmtBytes(st.total_storage_committed)} with offline pods' last reports`, { id: 'card-committed' }),
      card('Storage used', fmtBytes(used), `online pods · ${fmtPct(usedPct, 2)} of their committed`, { id: 'card-used' }),
      card('Versions', fmtInt(versions.length), versions.length ? `most common ${mostCommon} (${fmtInt(versions[0][1])})` : '—', { id: 'card-versions' }),
      card('Latest release', versionTag(an.version_analysis.latest_version), `${fmtPct(an.version_analysis.compliance_percent)} of pods run it · pre-releases never count as latest`, { id: 'card-latest' }),
      card('Average uptime', fmtDuration(st.avg_uptime_hours * 3600), 'online pods', { id: 'card-uptime' }),
    ));
  }

  function renderTop(pn: PNodesResponse) {
    if (!pn.pnodes.length) return replace(topEl, empty('No pods yet.'));
    replace(topEl, h('ol', { class: 'top-list' }, ...pn.pnodes.map((n) => h('li', null,
      statusDot(n.is_online),
      h('a', { href: href('node', n.address), class: 'mono' }, n.address),
      versionTag(n.version, 16),
      scoreBadge(n.score, n.tier, explainNode(n))))),
    h('p', null, h('a', { href: href('nodes', undefined, { sort: 'score', dir: 'desc' }) }, 'All nodes →')));
  }

  function distBlock(title: string, dist: Record<string, number>, total: number, order?: string[], keyLabel: (k: string) => Node | string = (k) => k) {
    const keys = order ?? Object.keys(dist).sort((a, b) => dist[b] - dist[a]);
    return h('div', { class: 'dist' }, h('h3', null, title),
      ...keys.map((k) => h('div', { class: 'dist-row' }, h('span', { class: 'dist-key mono', title: k }, keyLabel(k)), bar(dist[k] ?? 0, total, `${fmtInt(dist[k] ?? 0)}`))));
  }

  function renderDistributions(an: NetworkAnalyticsResponse, pn: PNodesResponse) {
    const online = pn.summary.online_pnodes;
    replace(distEl,
      distBlock('Versions (online pods)', pn.network_stats.version_distribution, online, undefined, (v) => versionTag(v, 16)),
      distBlock('Storage usage', an.storage_analysis.distribution, an.current_state.total_pnodes, ['empty', 'low', 'optimal', 'high', 'critical']),
      distBlock('Seeds seeing each pod', an.connectivity_analysis.distribution, an.current_state.total_pnodes, ['isolated', 'weak', 'good', 'excellent']),
      h('div', { class: 'dist' }, h('h3', null, 'Recommendations'),
        h('ul', { class: 'recs' }, ...an.recommendations.map((r) => h('li', null, severityBadge(r.severity), ' ', h('strong', null, r.message), h('div', { class: 'muted small' }, r.action))))));
  }

  async function loadHealth() {
    try {
      const [nh, crit] = await Promise.all([api.networkHealth(ctx.signal), api.criticalAlerts(ctx.signal)]);
      renderHealth(nh);
      const n = crit.critical_nodes.length;
      replace(bannerEl, n > 0
        ? h('a', { class: 'banner critical', href: href('alerts', undefined, { severity: 'critical' }) }, `⚠ ${fmtInt(n)} node${n === 1 ? ' has' : 's have'} critical alerts`, h('span', { class: 'muted' }, ' — review them →'))
        : null);
    } catch (e) {
      if (!isAbort(e)) replace(healthEl, errorBox(e, 'Network health'));
    }
  }

  function renderHealth(nh: NetworkHealthResponse) {
    const score = nh.health.health_score;
    const cls = nh.health.status;
    replace(healthEl,
      h('div', { class: 'health-head' },
        gauge(score, cls),
        h('div', null,
          h('div', { class: `health-status st-${/^[a-z]+$/.test(cls) ? cls : 'unknown'}`, id: 'health-status' }, cls),
          h('div', { class: 'muted small' }, 'Sum of four factors, out of 100.'))),
      h('div', { class: 'factors' }, ...FACTORS.map((f) => h('div', { class: 'factor' },
        h('div', { class: 'factor-head' }, h('strong', null, f.label), h('span', { class: 'muted small' }, f.explain)),
        bar(nh.health.factors[f.key] ?? 0, f.max)))),
      nh.alerts.length
        ? h('ul', { class: 'recs' }, ...nh.alerts.map((a) => h('li', null, severityBadge(a.severity), ' ', h('strong', null, a.message), h('div', { class: 'muted small' }, a.recommendation))))
        : h('p', { class: 'muted small' }, 'No network-level alerts.'));
  }

  async function loadHistory() {
    try {
      const r = await api.networkHistory(hours, ctx.signal);
      renderHistory(r);
    } catch (e) {
      if (!isAbort(e)) replace(historyNote, errorBox(e, 'History'));
    }
  }

  function renderHistory(r: NetworkHistoryResponse) {
    const pts = r.history;
    historyNote.textContent = pts.length ? `${fmtInt(pts.length)} samples` : (r.summary.message ?? 'No history yet.');
    const xs = pts.map((p) => p.timestamp);
    podsChart.setData(xs, [
      pts.map((p) => p.online_pnodes ?? p.total_pnodes),
      pts.map((p) => p.public_pnodes),
      pts.map((p) => p.private_pnodes),
    ]);
    storageChart.setData(xs, [pts.map((p) => p.total_storage_committed), pts.map((p) => p.total_storage_used)]);
    renderVersions(pts, xs);
    const g = r.summary;
    replace(growthEl, g.node_growth ? cards(
      card('Pod growth', fmtSigned(g.node_growth.growth), `${fmtInt(g.node_growth.start_count)} → ${fmtInt(g.node_growth.end_count)} (${g.node_growth.trend})`),
      card('Storage growth', `${g.storage_growth!.growth >= 0 ? '+' : ''}${fmtBytes(g.storage_growth!.growth)}`, `${fmtNum(g.storage_growth!.growth_percent, 2)}% (${g.storage_growth!.trend})`),
      card('Seeds per pod', fmtNum(g.network_health?.end_avg_peers ?? 0, 2), `${fmtSigned(g.network_health?.peer_change ?? 0, 2)} (${g.network_health?.connectivity_trend ?? '—'})`),
      card('Versions in use', fmtInt(g.version_stability?.end_version_count ?? 0), `${g.version_stability?.stability ?? '—'}, was ${fmtInt(g.version_stability?.start_version_count ?? 0)}`),
    ) : null);
  }

  // The version chart's series depend on the data: the six largest versions, then "other".
  let versionKeys = '';
  function renderVersions(pts: HistoryPoint[], xs: number[]) {
    const totals = new Map<string, number>();
    for (const p of pts) for (const [v, c] of Object.entries(p.version_distribution ?? {})) totals.set(v, (totals.get(v) ?? 0) + c);
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([v]) => v);
    const hasOther = totals.size > top.length;
    const labels = hasOther ? [...top, 'other'] : top;
    if (labels.join('|') !== versionKeys) {
      versionKeys = labels.join('|');
      versionsChartRef.destroy();
      versionsChartRef = timeChart({ title: 'Pods by version', series: labels.map((l) => ({ label: isPreRelease(l) ? `${shortVersion(l)} (pre-release)` : shortVersion(l) })), format: (v) => fmtInt(v) });
      replace(versionsSlot, versionsChartRef.el);
    }
    const ys = top.map((v) => pts.map((p) => p.version_distribution?.[v] ?? 0));
    if (hasOther) ys.push(pts.map((p) => Object.entries(p.version_distribution ?? {}).reduce((s, [v, c]) => (top.includes(v) ? s : s + c), 0)));
    versionsChartRef.setData(xs, ys);
  }

  /** One line of probe coverage; hidden when the route does not answer 200. */
  async function loadCoverage() {
    try {
      const r = await api.networkProbe(ctx.signal);
      replace(coverageEl, h('strong', null, 'Measured from outside: '), r.coverage,
        r.round === null ? ' (no round finished yet)' : ` in round ${fmtInt(r.round)}${r.denied ? `, ${fmtInt(r.denied)} refused by the dial guard` : ''}.`);
    } catch (e) {
      if (!isAbort(e)) replace(coverageEl);
    }
  }

  /** Where the online nodes are; hidden when geography is off (503). */
  async function loadConcentration() {
    try {
      const r = await api.networkConcentration(5, ctx.signal);
      replace(concentrationEl, concentrationBlock(r));
      concentrationSection.hidden = false;
    } catch (e) {
      if (isAbort(e)) return;
      const off = e instanceof ApiError && e.status === 503;
      concentrationSection.hidden = off;
      if (!off) replace(concentrationEl, errorBox(e, 'Concentration'));
    }
  }

  const loadAll = () => {
    void loadSummary();
    void loadCoverage();
    void loadConcentration();
    void loadHealth();
    void loadHistory();
  };
  loadAll();
  ctx.onSnapshot(loadAll, 4000);
};

/** Long pre-release versions (0.8.0-trynet.2025…) shortened for legends and lists. */
function shortVersion(v: string): string {
  return v.length > 16 ? `${v.slice(0, 14)}…` : v;
}

/** A half-ring gauge of a 0–100 score. */
function gauge(score: number, status: string): HTMLElement {
  const pct = Math.max(0, Math.min(100, score)) / 100;
  const r = 52;
  const len = Math.PI * r;
  const el = h('div', { class: `gauge st-${/^[a-z]+$/.test(status) ? status : 'unknown'}`, id: 'health-score', role: 'img', 'aria-label': `health score ${fmtNum(score, 1)} of 100` });
  el.innerHTML = `<svg viewBox="0 0 120 70" width="140" height="82" aria-hidden="true">
    <path d="M8 62 A52 52 0 0 1 112 62" class="gauge-track" fill="none" stroke-width="10" stroke-linecap="round"/>
    <path d="M8 62 A52 52 0 0 1 112 62" class="gauge-fill" fill="none" stroke-width="10" stroke-linecap="round"
      stroke-dasharray="${(len * pct).toFixed(1)} ${len.toFixed(1)}"/></svg>`;
  el.append(h('div', { class: 'gauge-value' }, fmtNum(score, 1)));
  return el;
}
