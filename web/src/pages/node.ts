// One node: its scores with the breakdown explained, alerts with recommendations, its
// alert timeline (firing and resolved, from /alerts/history), gossip consistency, and
// history charts (uptime, storage, score), and what is measured from outside: reachability
// when asked directly, pod credits and location (node-measured.ts).
import { api, ApiError } from '../api';
import { timeChart } from '../chart';
import { h, replace } from '../dom';
import { explainNode } from '../explain';
import { availabilityBlock, creditsBlock, fmtMs, latencyBlock, locationBlock, reachabilityBlock } from './node-measured';
import { fmtAgo, fmtBytes, fmtDuration, fmtInt, fmtNum, fmtPct, fmtTime, isPreRelease, tierLabel } from '../format';
import { isAbort, type Page } from '../page';
import { scoreV2Block, scoreV2Tag } from '../score-v2';
import { href, replaceQuery } from '../router';
import type { AlertEvent, NodeHistoryResponse, PNode } from '../types';
import { bar, card, cards, empty, errorBox, kv, loading, scoreBadge, section, severityBadge, statusDot, tierBadge, versionTag } from '../ui';

const TRUST_FACTORS: { key: 'uptime' | 'gossip_presence' | 'version_compliance' | 'gossip_consistency'; label: string; max: number; explain: string }[] = [
  { key: 'uptime', label: 'Uptime', max: 40, explain: 'Grows with continuous uptime; full marks at 30 days.' },
  { key: 'gossip_presence', label: 'Gossip presence', max: 30, explain: 'How many seeds list the node this cycle; full marks at 3 or more.' },
  { key: 'version_compliance', label: 'Version compliance', max: 20, explain: '20 on the latest release, 10 one minor version behind, 0 otherwise; a pre-release (test build) gets at most 10.' },
  { key: 'gossip_consistency', label: 'Gossip consistency', max: 10, explain: 'Share of cycles in which the node stayed in gossip (drops lower it).' },
];
const CAPACITY_FACTORS: { key: 'storage_committed' | 'usage_balance' | 'growth_trend'; label: string; max: number; explain: string }[] = [
  { key: 'storage_committed', label: 'Storage committed', max: 30, explain: 'Grows with committed storage; full marks at 100 GB.' },
  { key: 'usage_balance', label: 'Usage balance', max: 40, explain: 'Full marks between 20 % and 80 % used; less when nearly empty or nearly full.' },
  { key: 'growth_trend', label: 'Growth trend', max: 30, explain: 'Storage use trend from history: 15 when flat, more when growing.' },
];
const DAYS: [number, string][] = [[1, '24 h'], [7, '7 d'], [30, '30 d'], [90, '90 d']];
/** The window of the probe latency chart. */
const LATENCY_HOURS = 24;

export const nodePage: Page = (root, ctx) => {
  const address = ctx.route.arg;
  ctx.title(address || 'Node');
  if (!address) {
    root.append(errorBox('No node address in the URL.'), h('p', null, h('a', { href: '#/nodes' }, 'Pick a node from the list')));
    return;
  }
  let days = Number(ctx.route.query.get('days')) || 7;
  if (!DAYS.some(([d]) => d === days)) days = 7;

  const headEl = h('div', { class: 'node-head' }, loading('Loading the node…'));
  const scoresEl = h('div', null, loading());
  const alertsEl = h('div', null, loading());
  const timelineEl = h('div', null, loading());
  const consistencyEl = h('div', null, loading());
  const reachEl = h('div', null, loading());
  const creditsEl = h('div', null, loading());
  const locationEl = h('div', null, loading());
  const availabilityEl = h('div', null, loading());
  const historyCards = h('div');
  const metricsEl = h('div', { id: 'node-metrics' });
  const historyNote = h('div', { class: 'muted small' });
  const uptimeChart = timeChart({ title: 'Uptime', series: [{ label: 'uptime', fill: true }], format: (v) => fmtDuration(v) });
  const storageChart = timeChart({ title: 'Storage', series: [{ label: 'committed' }, { label: 'used', color: 1, fill: true }], format: (v) => fmtBytes(v) });
  const scoreChart = timeChart({ title: 'Score', series: [{ label: 'composite' }, { label: 'trust', color: 1 }, { label: 'capacity', color: 2 }], format: (v) => fmtNum(v, 1) });
  const latencyChart = timeChart({
    title: `Probe latency (answered probes, ${LATENCY_HOURS} h)`,
    series: [{ label: 'mean', spanGaps: false, points: true }, { label: 'p95', color: 1, spanGaps: false, points: true }],
    format: fmtMs,
  });
  ctx.onDispose(() => [uptimeChart, storageChart, scoreChart, latencyChart].forEach((c) => c.destroy()));

  const dayButtons = h('div', { class: 'segmented', role: 'group', 'aria-label': 'History range' },
    ...DAYS.map(([d, label]) => h('button', {
      type: 'button',
      class: d === days ? 'active' : '',
      onclick: (e: Event) => {
        days = d;
        replaceQuery({ days: d === 7 ? undefined : d });
        for (const b of dayButtons.querySelectorAll('button')) b.classList.toggle('active', b === e.currentTarget);
        void loadHistory();
      },
    }, label)));

  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/nodes' }, 'Nodes'), ' / ', h('span', { class: 'mono' }, address)),
    headEl,
    h('div', { class: 'grid-main' }, section('Scores', scoresEl), section('Alerts', alertsEl)),
    section('Alert timeline', timelineEl),
    section('Measured from outside', h('p', { class: 'muted small' }, 'What the service sees by asking the pod itself and from its address, apart from what the seeds gossip.'),
      h('div', { class: 'measured' }, reachEl, creditsEl, locationEl), availabilityEl),
    section('Gossip consistency', consistencyEl),
    section('History', h('div', { class: 'toolbar' }, dayButtons, historyNote), historyCards, metricsEl, h('div', { class: 'charts' }, uptimeChart.el, storageChart.el, scoreChart.el)),
  );

  async function findNode(): Promise<PNode | null> {
    try {
      const r = await api.registry(address, ctx.signal);
      if (r.entry.scores && typeof r.entry.score === 'number') return r.entry as PNode;
    } catch (e) {
      if (isAbort(e)) throw e;
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    // The registry entry lacks the scored fields (or the node is unknown there): use the list.
    const map = await ctx.state.ensureNodes();
    return map.get(address) ?? null;
  }

  async function loadNode() {
    try {
      const n = await findNode();
      if (!n) {
        replace(headEl, errorBox(`No node with the address ${address} is known.`));
        replace(scoresEl, empty('—'));
        replace(reachEl, empty('—'));
        return;
      }
      renderHead(n);
      renderScores(n);
      replace(reachEl, reachabilityBlock(n, await probeOf(n)));
    } catch (e) {
      if (!isAbort(e)) {
        replace(headEl, errorBox(e, 'Node'));
        replace(reachEl, empty('—'));
      }
    }
  }

  /** The node's probe record: the registry entry's, else the node list's. */
  async function probeOf(n: PNode) {
    if (n.probe !== undefined) return n.probe;
    return (await ctx.state.ensureNodes()).get(address)?.probe;
  }

  /** Credits and location: each block shows its answer or what its error means. */
  async function loadMeasured() {
    const settle = <T>(p: Promise<T>) => p.then((v): T | unknown => v, (e: unknown) => e);
    const [credits, place, availability, probes] = await Promise.all([settle(api.nodeCredits(address, ctx.signal)),
      settle(api.nodeLocation(address, ctx.signal)), settle(api.nodeAvailability(address, 168, ctx.signal)),
      settle(api.nodeProbes(address, LATENCY_HOURS, ctx.signal))]);
    if (ctx.signal.aborted || [credits, place, availability, probes].some(isAbort)) return;
    replace(availabilityEl, availabilityBlock(availability, latencyBlock(probes, latencyChart)));
    replace(creditsEl, creditsBlock(credits));
    replace(locationEl, locationBlock(place));
  }

  function renderHead(n: PNode) {
    const now = Date.now() / 1000;
    replace(headEl,
      h('div', { class: 'node-title' },
        statusDot(n.is_online),
        h('h1', { class: 'mono', id: 'node-address' }, n.address),
        scoreBadge(n.score, n.tier, explainNode(n)),
        tierBadge(n.tier, explainNode(n)),
        h('span', { class: 'muted small' }, 'v2 '), scoreV2Tag(n.score_v2)),
      n.is_online ? null : offlineNotice(n, now),
      cards(
        card('Status', n.is_online ? 'online' : 'offline', n.is_online ? `last seen ${fmtAgo(now - n.last_seen)}` : `offline for ${fmtDuration(n.offline_duration ?? now - n.last_seen)}`),
        card('Uptime', fmtDuration(n.uptime), 'since the last restart'),
        card('Storage', `${fmtBytes(n.storage_used)} / ${fmtBytes(n.storage_committed)}`, `${fmtPct(n.storage_usage_percent, 2)} used`),
        card('Seen by', `${fmtInt(n.peer_count)} seed${n.peer_count === 1 ? '' : 's'}`, 'this cycle'),
        card('Version', versionTag(n.version), `${isPreRelease(n.version) ? 'pre-release (test build) · ' : ''}${n.is_public ? 'public RPC' : 'private'}`, { id: 'node-version' }),
      ),
      kv([
        ['Pubkey', n.pubkey ? h('a', { class: 'mono', href: href('operators', n.pubkey) }, n.pubkey) : '—'],
        ['RPC port', String(n.rpc_port ?? '—')],
        ['First seen', fmtTime(n.first_seen)],
        ['Last seen', fmtTime(n.last_seen)],
        ['Seeds listing it', n.peer_sources?.length ? n.peer_sources.join(', ') : '—'],
      ]));
  }

  function renderScores(n: PNode) {
    const s = n.scores;
    if (!s || !s.trust) return replace(scoresEl, empty('This node has no scores.'));
    const factorRows = <K extends string>(list: { key: K; label: string; max: number; explain: string }[], values: Partial<Record<K, number>>) =>
      list.map((f) => h('div', { class: 'factor' },
        h('div', { class: 'factor-head' }, h('strong', null, f.label), h('span', { class: 'muted small' }, f.explain)),
        bar(values[f.key] ?? 0, f.max)));
    replace(scoresEl,
      scoreV2Block(n.score_v2, n.score_v2_breakdown),
      h('h3', { id: 'score-v1' }, 'The reference’s score (v1, gossip only)'),
      h('div', { class: 'score-formula' },
        h('div', { class: 'big-score' }, scoreBadge(n.score, n.tier, explainNode(n))),
        h('div', null,
          h('div', null, h('strong', null, 'Stake confidence'), ` = trust ${fmtNum(s.trust.score, 1)} × 0.6 + capacity ${fmtNum(s.capacity.score, 1)} × 0.4 = ${fmtNum(s.stake_confidence.composite_score, 2)}`),
          h('div', { class: 'muted small' }, n.is_online
            ? `${tierLabel(n.tier)}: 80 and above is low risk, 60–79 medium, below 60 high risk.`
            : `${tierLabel(n.tier)}: a node out of gossip scores 0 until it is seen again.`))),
      h('h3', null, `Trust ${fmtNum(s.trust.score, 1)} / 100`),
      h('div', { class: 'factors' }, ...factorRows(TRUST_FACTORS, s.trust.breakdown)),
      h('h3', null, `Capacity ${fmtNum(s.capacity.score, 1)} / 100`),
      h('div', { class: 'factors' }, ...factorRows(CAPACITY_FACTORS, s.capacity.breakdown)));
  }

  async function loadAlerts() {
    try {
      const r = await api.nodeAlerts(address, ctx.signal);
      if (!r.alerts.length && !r.node_info.is_online) return replace(alertsEl, offlineNoAlerts());
      if (!r.alerts.length) return replace(alertsEl, h('p', { class: 'ok' }, '✓ No active alerts for this node.'));
      replace(alertsEl, h('ul', { class: 'alert-list', id: 'node-alerts' }, ...r.alerts.map((a) => h('li', { class: `alert sev-${a.severity}` },
        h('div', null, severityBadge(a.severity), ' ', h('strong', null, a.message)),
        h('div', { class: 'small' }, '→ ', a.recommendation),
        h('div', { class: 'muted small mono' }, `${a.type}${a.metric ? ` · ${a.metric}` : ''}`)))));
    } catch (e) {
      if (isAbort(e)) return;
      replace(alertsEl, e instanceof ApiError && e.status === 404 ? empty('The node is not in the current node list, so it has no alerts.') : errorBox(e, 'Alerts'));
    }
  }

  async function loadTimeline() {
    try {
      const events = await nodeAlertEvents(address, ctx.signal);
      if (!events.length) return replace(timelineEl, h('p', { class: 'muted', id: 'alert-timeline-empty' }, 'No alert has fired for this node yet.'));
      replace(timelineEl,
        h('ol', { class: 'alert-list', id: 'alert-timeline' }, ...events.slice(-TIMELINE_ITEMS).reverse().map(timelineItem)),
        events.length > TIMELINE_ITEMS ? h('p', { class: 'muted small' }, `The latest ${TIMELINE_ITEMS} of ${fmtInt(events.length)} alert events.`) : null);
    } catch (e) {
      if (isAbort(e)) return;
      replace(timelineEl, e instanceof ApiError && e.status === 503 ? empty('No alert history: the server keeps none without a store.') : errorBox(e, 'Alert timeline'));
    }
  }

  async function loadConsistency() {
    try {
      const r = await api.nodeConsistency(address, ctx.signal);
      const c = r.consistency;
      const ra = r.recent_activity;
      replace(consistencyEl,
        cards(
          card('Consistency', fmtPct(c.score * 100, 1), c.status, { id: 'consistency-score' }),
          card('Appearances', fmtInt(c.appearances), ra.last_appearance ? `last ${fmtTime(ra.last_appearance)}` : 'never re-appeared'),
          card('Drops', fmtInt(c.disappearances), ra.last_drop ? `last ${fmtTime(ra.last_drop)}` : 'never dropped'),
        ),
        h('ul', { class: 'recs' }, ...r.recommendations.map((x) => h('li', null, severityBadge(x.severity), ' ', h('strong', null, x.issue), h('div', { class: 'small' }, x.recommendation), h('div', { class: 'muted small' }, x.action)))));
    } catch (e) {
      if (isAbort(e)) return;
      replace(consistencyEl, e instanceof ApiError && e.status === 404 ? empty('No gossip record for this node.') : errorBox(e, 'Consistency'));
    }
  }

  async function loadHistory() {
    try {
      const [r, m] = await Promise.all([api.nodeHistory(address, days, ctx.signal), api.nodeMetrics(address, Math.min(168, days * 24), ctx.signal)]);
      renderHistory(r);
      const mm = m.metrics;
      replace(metricsEl, mm.available
        ? h('p', { class: 'muted small' }, `Last ${fmtInt(mm.time_range_hours ?? 0)} h: score ${fmtNum(mm.min_score ?? 0, 1)}–${fmtNum(mm.max_score ?? 0, 1)} (mean ${fmtNum(mm.avg_score ?? 0, 1)}), `
          + `mean storage use ${fmtPct(mm.avg_storage_usage ?? 0, 2)}, mean ${fmtNum(mm.avg_peer_count ?? 0, 1)} seeds, ${fmtInt(mm.snapshots_analyzed ?? 0)} samples.`)
        : null);
    } catch (e) {
      if (!isAbort(e)) replace(historyNote, errorBox(e, 'History'));
    }
  }

  function renderHistory(r: NodeHistoryResponse) {
    if (!r.available || !r.history?.length) {
      historyNote.textContent = r.message ?? 'No history for this node yet.';
      replace(historyCards);
      return;
    }
    const pts = r.history;
    historyNote.textContent = `${fmtInt(pts.length)} samples`;
    const xs = pts.map((p) => p.timestamp);
    uptimeChart.setData(xs, [pts.map((p) => p.uptime)]);
    storageChart.setData(xs, [pts.map((p) => p.storage_committed), pts.map((p) => p.storage_used)]);
    scoreChart.setData(xs, [pts.map((p) => p.score), pts.map((p) => p.trust_score), pts.map((p) => p.capacity_score)]);
    const t = r.trends;
    const a = r.availability;
    replace(historyCards, cards(
      card('Availability', a ? fmtPct(a.availability_percent, 2) : '—', a ? `${fmtInt(a.online_snapshots)} of ${fmtInt(a.total_snapshots)} samples online` : undefined, { id: 'availability' }),
      card('Score change', t ? `${t.score_change > 0 ? '+' : ''}${fmtNum(t.score_change, 2)}` : '—', t?.score_trend),
      card('Uptime change', t ? `${fmtNum(t.uptime_change_hours, 1)} h` : '—', 'first to last sample'),
      card('Storage used change', t ? `${fmtNum(t.storage_used_change_gb, 2)} GB` : '—', 'first to last sample'),
    ));
  }

  const loadAll = () => {
    void loadNode();
    void loadAlerts();
    void loadTimeline();
    void loadConsistency();
    void loadMeasured();
    void loadHistory();
  };
  loadAll();
  ctx.onSnapshot(loadAll, 4000);
};

// The reference's offline alert: a warning after 3 days offline, critical after 7
// (src/analysis/alerts.h). Until then an offline node has no alert, so the page says so.
const OFFLINE_WARNING_DAYS = 3;
const OFFLINE_CRITICAL_DAYS = 7;

/** The banner an offline node's page opens with, so it never reads as all is well. */
function offlineNotice(n: PNode, now: number): HTMLElement {
  const gone = n.offline_duration ?? now - n.last_seen;
  const alertLine = gone > OFFLINE_WARNING_DAYS * 86400
    ? 'See its offline alert below.'
    : `Its offline alert starts after ${OFFLINE_WARNING_DAYS} days offline (critical after ${OFFLINE_CRITICAL_DAYS}), as in the reference; until then it has no alert.`;
  return h('div', { class: 'banner offline', id: 'offline-notice', role: 'status' },
    h('strong', null, `⚠ Offline since ${fmtTime(n.last_seen)}`), ` — not in gossip for ${fmtDuration(gone)}. ${alertLine}`);
}

/** What the alert list says for an offline node that has no alert yet: not "all is well". */
function offlineNoAlerts(): HTMLElement {
  return h('p', { class: 'muted', id: 'offline-no-alerts' },
    `No alert yet, but the node is offline: the offline alert starts after ${OFFLINE_WARNING_DAYS} days offline (critical after ${OFFLINE_CRITICAL_DAYS}).`);
}

// The timeline shows this many of the node's latest alert events, newest first; reading
// stops after TIMELINE_PAGES pages of the history.
const TIMELINE_ITEMS = 50;
const TIMELINE_PAGES = 5;

/** The node's alert events, oldest first, following the history's cursor. */
async function nodeAlertEvents(address: string, signal: AbortSignal): Promise<AlertEvent[]> {
  const events: AlertEvent[] = [];
  let after = 0;
  for (let page = 0; page < TIMELINE_PAGES; page++) {
    const r = await api.alertHistory({ node: address, after, limit: 1000 }, signal);
    events.push(...r.events);
    if (!r.more) break;
    after = r.next;
  }
  return events;
}

/** One firing or resolved event: when, which rule, how long it fired, and its marks. */
function timelineItem(e: AlertEvent): HTMLElement {
  const d = e.data;
  const firing = e.type === 'alert_firing';
  const when = firing
    ? `fired ${fmtTime(e.time)}${d.active_since && d.active_since < e.time ? ` after holding ${fmtDuration(e.time - d.active_since)}` : ''}`
    : `resolved ${fmtTime(e.time)}${d.firing_since ? ` after firing ${fmtDuration(e.time - d.firing_since)}` : ''}${d.reason ? ` (${d.reason.replace(/_/g, ' ')})` : ''}`;
  const marks = [d.silenced ? `silenced${d.silence_id ? ` by ${d.silence_id}` : ''}` : '', d.acknowledged ? 'acknowledged' : '', d.unsilenced ? 'silence ended' : '']
    .filter(Boolean).join(' · ');
  return h('li', { class: `alert sev-${firing ? d.severity : 'info'}`, 'data-event': e.type },
    h('div', null, severityBadge(firing ? d.severity : 'resolved'), ' ', h('strong', null, d.rule), ' ', d.message),
    h('div', { class: 'muted small' }, when, marks ? ` · ${marks}` : ''));
}
