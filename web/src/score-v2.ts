// Scoring v2 in the dashboard (docs/scoring.md): the v1 factors plus what the service measured
// itself (reachability, latency, availability, credits). A compact number for tables and
// cards, and the node page's breakdown, where unknown inputs say so instead of counting 0.
import { h } from './dom';
import { fmtNum } from './format';
import type { ScoreV2Breakdown } from './types';
import { bar } from './ui';

const V2_TITLE = 'Score v2: gossip plus measured reachability, latency, availability and credits; unknown inputs are left out';

/** The v2 score as a small tag; "—" when the node has none (offline, or an older server). */
export function scoreV2Tag(score: number | null | undefined): HTMLElement {
  const known = typeof score === 'number';
  return h('span', { class: 'score-v2 mono', title: known ? `${V2_TITLE} (${fmtNum(score, 2)})` : 'No v2 score: the node is offline' }, known ? fmtNum(score, 1) : '—');
}

/** Sort value: nodes without a v2 score rank below every scored one. */
export const scoreV2Sort = (score: number | null | undefined): number => (typeof score === 'number' ? score : -1);

const LABELS: Record<string, [string, string]> = {
  reachability: ['Reachability', 'answered the latest probe'],
  availability: ['Availability', 'uptime share over 24 h / 7 d / 30 d'],
  latency: ['Latency', 'full marks at 100 ms or less, none at 1 s'],
  credits_eligibility: ['Reward eligibility', 'credits at 80 % of the network’s 95th percentile'],
  credits_standing: ['Credits', 'relative to the network’s 95th percentile'],
  uptime: ['Uptime (gossip)', 'full marks at 30 days'],
  gossip_presence: ['Gossip presence', 'full marks at 3 seeds'],
  version_compliance: ['Version', 'latest release line'],
  gossip_consistency: ['Gossip consistency', 'never dropped from gossip'],
  storage_committed: ['Committed storage', 'full marks at 100 GiB'],
  usage_balance: ['Usage balance', 'full marks at 20–80 % used'],
  growth_trend: ['Growth', 'storage growing'],
};

/** The node page's v2 breakdown: each factor's contribution out of its renormalised weight. */
export function scoreV2Block(score: number | null | undefined, b: ScoreV2Breakdown | null | undefined): HTMLElement {
  if (typeof score !== 'number') return h('div', { id: 'score-v2', class: 'muted' }, 'Score v2: none (the node is offline).');
  const head = h('div', { class: 'score-formula' },
    h('div', { class: 'big-score' }, scoreV2Tag(score)),
    h('div', null,
      h('div', null, h('strong', null, 'Score v2'), ` ${fmtNum(score, 2)} / 100`),
      h('div', { class: 'muted small', id: 'score-v2-known' }, b
        ? `over ${fmtNum(b.known_weight, 0)} of 100 points known${b.unknown.length ? `; unknown, left out: ${b.unknown.map((k) => (LABELS[k]?.[0] ?? k).toLowerCase()).join(', ')}` : ''}`
        : 'the breakdown is on the registry entry of this node')));
  if (!b) return h('div', { id: 'score-v2' }, head);
  const scale = b.known_weight > 0 ? 100 / b.known_weight : 0;
  const rows = Object.entries(b.factors).map(([key, f]) => {
    const [label, explain] = LABELS[key] ?? [key, ''];
    return h('div', { class: 'factor', dataset: { factor: key } },
      h('div', { class: 'factor-head' }, h('strong', null, label), h('span', { class: 'muted small' }, explain)),
      f.value === null
        ? h('div', { class: 'muted small' }, 'unknown — not counted')
        : bar(f.contribution, Number((f.weight * scale).toFixed(2))));
  });
  return h('div', { id: 'score-v2' }, head, h('div', { class: 'factors' }, ...rows));
}
