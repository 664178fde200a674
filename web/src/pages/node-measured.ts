// The node page's "Measured from outside" blocks: what the service learns by asking the pod
// itself (the prober's `probe` record), its pod-credits standing, and where it is. Gossip
// status ("online in gossip") and direct reachability ("answers when asked") stay apart.
import { ApiError } from '../api';
import type { Chart } from '../chart';
import { h } from '../dom';
import { fmtBytes, fmtInt, fmtNum, fmtPct, fmtTime } from '../format';
import type { NodeAvailabilityResponse, NodeCreditsResponse, NodeLocationResponse, NodeProbesResponse, PNode, PodProbe } from '../types';
import { empty, errorBox, kv } from '../ui';

/** A latency in milliseconds: "0.06 ms", "16.6 ms", "1,204 ms". */
export function fmtMs(ms: number): string {
  return `${ms < 1 ? fmtNum(ms, 2) : ms < 100 ? fmtNum(ms, 1) : fmtInt(ms)} ms`;
}

const badge = (good: boolean, text: string) => h('span', { class: `badge ${good ? 'ok-badge' : 'sev-critical'}` }, text);

/** Gossip status beside the direct answer; `probe` undefined or null means not probed. */
export function reachabilityBlock(n: PNode, probe: PodProbe | null | undefined): HTMLElement {
  const gossip = h('p', { class: 'small', id: 'reach-gossip' },
    h('strong', null, 'Gossip: '), n.is_online ? `online in gossip (${fmtInt(n.peer_count)} seed${n.peer_count === 1 ? '' : 's'} list it)` : 'not in gossip now');
  if (!probe) {
    return h('div', { id: 'node-reach' }, h('h3', null, 'Reachability'), gossip,
      h('div', { class: 'muted', id: 'reach-status' }, 'Asked directly: not probed',
        h('div', { class: 'small' }, n.is_public
          ? 'The prober has no result for this pod yet (or probing is off on this server).'
          : 'It advertises no public pRPC endpoint, so it is never asked.')));
  }
  const failure = probe.failure ? probe.failure.replace(/_/g, ' ') : 'no answer';
  const s = probe.stats;
  const statsRows: [string, string][] = s ? [
    ['CPU', s.cpu_percent === null ? '—' : fmtPct(s.cpu_percent, 1)],
    ['RAM', s.ram_used === null ? '—' : `${fmtBytes(s.ram_used)}${s.ram_total ? ` / ${fmtBytes(s.ram_total)}` : ''}`],
    ['Active streams', fmtInt(s.active_streams)],
    ['Packets in / out', `${fmtInt(s.packets_received)} / ${fmtInt(s.packets_sent)}`],
    ['File size', fmtBytes(s.file_size)],
  ] : [['Stats', probe.stats_failure ? `get-stats failed: ${probe.stats_failure.replace(/_/g, ' ')}` : '—']];
  return h('div', { id: 'node-reach' }, h('h3', null, 'Reachability'), gossip,
    h('div', { id: 'reach-status' }, h('strong', null, 'Asked directly: '),
      probe.reachable ? badge(true, 'answers when asked') : badge(false, `does not answer: ${failure}`),
      probe.detail ? h('div', { class: 'muted small' }, probe.detail) : null),
    kv([
      ['Endpoint', h('span', { class: 'mono' }, probe.endpoint)],
      ['Latency', h('span', { id: 'reach-latency' }, `connect ${fmtMs(probe.connect_ms)} · total ${fmtMs(probe.total_ms)}`)],
      ['Probed', `${fmtTime(probe.probed_at)} (round ${fmtInt(probe.round)})`],
      ...(probe.reachable ? [['Version answered', probe.version ?? '—'] as [string, string], ...statsRows] : []),
      ...(probe.discovered ? [['Found via', 'another pod\'s list, not the seeds\' gossip'] as [string, string]] : []),
    ]));
}

/** The node's pod-credits standing; `r` is the answer or the error GET /pnodes/{address}/credits threw. */
export function creditsBlock(r: NodeCreditsResponse | unknown): HTMLElement {
  const body = (() => {
    if (r instanceof ApiError && r.status === 503) return empty('Pod credits are not configured on this server (no credits source).');
    if (r instanceof ApiError && r.status === 404) return empty('The node is not in the current node list, so it has no credits standing.');
    if (r instanceof Error) return errorBox(r, 'Credits');
    const c = r as NodeCreditsResponse;
    if (!c.listed) return h('p', { class: 'muted' }, 'not listed: its pubkey is on no credits list (which is not the same as zero credits).');
    return h('div', null,
      h('p', null, c.eligible ? badge(true, 'eligible') : badge(false, 'not eligible'), ` on ${c.network ?? '—'}`),
      kv([
        ['Network', c.network ?? '—'],
        ['Credits', fmtNum(c.credits, 0)],
        ['Threshold', c.threshold === null ? '—' : fmtNum(c.threshold, 0)],
        ['Read at', fmtTime(c.fetched_at)],
      ]));
  })();
  return h('div', { id: 'node-credits' }, h('h3', null, 'Pod credits'), body);
}

/** Where the node is; `r` is the answer or the error GET /pnodes/{address}/location threw. */
export function locationBlock(r: NodeLocationResponse | unknown): HTMLElement {
  const body = (() => {
    if (r instanceof ApiError && r.status === 503) return empty('Geography is off on this server (no location database).');
    if (r instanceof ApiError && r.status === 404) return empty('The node is not in the current node list.');
    if (r instanceof Error) return errorBox(r, 'Location');
    const l = r as NodeLocationResponse;
    const reach = l.reach === 'local'
      ? 'local: a loopback or private address, never looked up'
      : l.reach === 'public' ? 'public' : 'unknown: not in the location database';
    return kv([
      ['Reach', h('span', { id: 'location-reach' }, reach)],
      ['Country', l.country_code ? `${l.country_name || l.country_code} (${l.country_code})` : '—'],
      ['AS', l.asn ? `AS${l.asn}${l.as_name ? ` ${l.as_name}` : ''}` : '—'],
      ...(l.anycast ? [['Anycast', 'yes'] as [string, string]] : []),
      ['Database', `${l.database.vendor}, ${fmtTime(l.database.created_at)}`],
    ]);
  })();
  return h('div', { id: 'node-location' }, h('h3', null, 'Location'), body);
}

/** The share of time the pod answered probes, or "unknown" when it was never probed then. */
const share = (v: number | null) => (v === null ? 'unknown' : fmtPct(v * 100, v >= 0.999 ? 2 : 1));

/** Availability from probes over the window: shares, a strip of up/down sessions drawn to
 * scale (grey where nothing is known), and the newest sessions. */
export function availabilityBlock(r: NodeAvailabilityResponse | unknown, latency?: HTMLElement): HTMLElement {
  const body = (() => {
    if (r instanceof ApiError && r.status === 503) return empty('Availability needs the history store and probing (PROBE_ENABLED).');
    if (r instanceof Error) return errorBox(r, 'Availability');
    const a = r as NodeAvailabilityResponse;
    if (!a.sessions.length) return empty('Never probed in this window: its availability is unknown, not down.');
    const span = Math.max(a.window.to - a.window.from, 1);
    const strip = h('div', { class: 'avail-strip', id: 'availability-strip', role: 'img', 'aria-label': 'up and down sessions' },
      ...a.sessions.map((s) => {
        const from = Math.max(s.started_at, a.window.from);
        const to = Math.min(s.ended_at ?? s.last_probe_at, a.window.to);
        return h('span', {
          class: `avail-${s.state}`,
          style: `left:${((from - a.window.from) / span) * 100}%;width:${Math.max(((to - from) / span) * 100, 0.3)}%`,
          title: `${s.state} ${fmtTime(s.started_at)} – ${s.ended_at ? fmtTime(s.ended_at) : 'now'}`,
        });
      }));
    return h('div', null,
      h('p', { id: 'availability-shares' }, `answered ${share(a.uptime['24h'])} (24 h) · ${share(a.uptime['7d'])} (7 d) · ${share(a.uptime['30d'])} (30 d)`),
      strip,
      kv([
        ['Probes in window', `${fmtInt(a.window.probes)} (${fmtInt(a.window.answered)} answered)`],
        ['Latency mean / p95', a.window.latency_mean_ms === null ? '—' : `${fmtMs(a.window.latency_mean_ms)} / ${fmtMs(a.window.latency_p95_ms ?? 0)}`],
        ['Sessions', a.sessions.slice(-3).map((s) => `${s.state} since ${fmtTime(s.started_at)}${s.ended_at ? ` until ${fmtTime(s.ended_at)}` : ''}`).join('; ')],
      ]));
  })();
  return h('div', { id: 'node-availability' }, h('h3', null, 'Availability (probes, 7 days)'), body, latency ?? null);
}

/** Probe latency over time into `chart` (mean and p95 of answered probes per bucket); `r`
 * is the answer or the error GET /pnodes/{address}/probes threw. A bucket where nothing
 * answered has no latency: the chart leaves a gap there, never a zero. */
export function latencyBlock(r: NodeProbesResponse | unknown, chart: Chart): HTMLElement {
  const body = (() => {
    if (r instanceof ApiError && r.status === 503) return empty('Latency history needs the history store and probing (PROBE_ENABLED).');
    if (r instanceof Error) return errorBox(r, 'Latency');
    const p = r as NodeProbesResponse;
    if (!p.overall.answered) return empty(`No probe answered in the last ${fmtInt(p.hours)} h: no latency to draw.`);
    chart.setData(p.buckets.map((b) => b.start), [p.buckets.map((b) => b.latency_mean_ms), p.buckets.map((b) => b.latency_p95_ms)]);
    return h('div', null,
      h('p', { class: 'muted small', id: 'latency-summary' },
        `${fmtInt(p.overall.answered)} of ${fmtInt(p.overall.probes)} probes answered · mean ${fmtMs(p.overall.latency_mean_ms ?? 0)} · p95 ${fmtMs(p.overall.latency_p95_ms ?? 0)} · max ${fmtMs(p.overall.latency_max_ms ?? 0)} · ${fmtInt(p.bucket_minutes)}-minute buckets; gaps where nothing answered`),
      chart.el);
  })();
  return h('div', { id: 'node-latency' }, body);
}
