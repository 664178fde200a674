// For stakers: the recommended nodes with the reasons behind each, and a side-by-side
// comparison of up to five nodes (picked from the list or typed in).
import { api, ApiError } from '../api';
import { h, replace } from '../dom';
import { explainNode, explainRecommendation } from '../explain';
import { fmtBytes, fmtDuration, fmtInt, fmtNum, fmtPct, isPreRelease, shortKey } from '../format';
import { isAbort, type Page } from '../page';
import { scoreV2Tag } from '../score-v2';
import { href, replaceQuery } from '../router';
import type { AvailabilityNode, CompareResponse, PNode, Recommendation } from '../types';
import { empty, errorBox, loading, scoreBadge, section, select, statusDot, tierBadge, versionTag } from '../ui';

const MAX_COMPARE = 5;
// /recommendations' largest page: the measured filters pick from it client-side.
const MEASURED_POOL = 50;

/** Whether a node passes the measured filters (a pod never probed or never listed fails:
 * unknown is not good). */
export function passesMeasured(a: AvailabilityNode | undefined, minUptime7d: number, eligibleOnly: boolean): boolean {
  if (minUptime7d > 0 && (a?.uptime_7d == null || a.uptime_7d < minUptime7d)) return false;
  if (eligibleOnly && a?.eligible !== true) return false;
  return true;
}

/** Why a node ranks where it does: strengths and cautions read from its score breakdown. */
export function reasons(r: Recommendation): { pros: string[]; cons: string[] } {
  const pros: string[] = [];
  const cons: string[] = [];
  const t = r.scores.breakdown?.trust ?? {};
  const c = r.scores.breakdown?.capacity ?? {};
  if (r.uptime_days >= 30) pros.push(`Up ${fmtNum(r.uptime_days, 1)} days without a restart (full marks for uptime)`);
  else pros.push(`Up ${fmtNum(r.uptime_days, 1)} days (full marks at 30 days)`);
  if (r.peer_count >= 3) pros.push(`Listed by ${r.peer_count} seeds: well known in gossip`);
  else cons.push(`Listed by only ${r.peer_count} seed${r.peer_count === 1 ? '' : 's'}`);
  if (isPreRelease(r.version)) cons.push(`Runs a pre-release (test build ${r.version}), never the latest version`);
  else if (t.version_compliance === 20) pros.push(`Runs the latest version (${r.version})`);
  else if (t.version_compliance === 10) cons.push(`One version behind (${r.version})`);
  else cons.push(`Version ${r.version} is not current`);
  if (t.gossip_consistency !== undefined && t.gossip_consistency < 10) cons.push('Has dropped out of gossip at times');
  const u = r.storage_usage_percent;
  if (u >= 20 && u <= 80) pros.push(`Balanced storage use (${fmtPct(u)})`);
  else if (u > 80) cons.push(`Storage nearly full (${fmtPct(u)})`);
  else cons.push(`Storage lightly used (${fmtPct(u, 2)})`);
  if ((c.storage_committed ?? 0) >= 30) pros.push('Commits 100 GB or more');
  if (r.is_public) pros.push('Public RPC endpoint');
  return { pros, cons };
}

export const stakersPage: Page = (root, ctx) => {
  ctx.title('Stakers');
  const q = ctx.route.query;
  const f = {
    min_uptime_days: Number(q.get('min_uptime_days')) || 1,
    require_public: q.get('require_public') === 'true',
    min_score: q.get('min_score') ?? '',
    limit: Number(q.get('limit')) || 20,
    min_uptime_7d: Number(q.get('min_uptime_7d')) || 0,
    eligible: q.get('eligible') === 'true',
  };
  const picked: string[] = (q.get('compare') ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, MAX_COMPARE);

  const listEl = h('div', null, loading('Ranking nodes…'));
  const compareEl = h('div', { id: 'compare' });
  const pickedEl = h('div', { class: 'chips' });
  const note = h('span', { class: 'muted small', id: 'stakers-note' });
  const datalist = h('datalist', { id: 'node-addresses' });
  const addInput = h('input', { type: 'text', list: 'node-addresses', placeholder: 'Add a node address to compare', 'aria-label': 'Node address to compare', id: 'compare-input' });
  const addForm = h('form', {
    class: 'toolbar',
    onsubmit: (e: Event) => {
      e.preventDefault();
      toggle(addInput.value.trim(), true);
      addInput.value = '';
    },
  }, addInput, h('button', { type: 'submit', class: 'button' }, 'Add'), datalist);

  const setF = (k: keyof typeof f) => (v: string) => {
    (f as Record<string, unknown>)[k] = k === 'require_public' || k === 'eligible' ? v === 'true' : k === 'min_score' ? v : Number(v);
    replaceQuery({ min_uptime_days: f.min_uptime_days, require_public: f.require_public ? 'true' : undefined, min_score: f.min_score || undefined, limit: f.limit,
      min_uptime_7d: f.min_uptime_7d || undefined, eligible: f.eligible ? 'true' : undefined });
    void loadList();
  };

  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Staking recommendations'),
      h('p', { class: 'muted' }, 'Online nodes ranked by stake confidence (60 % trust, 40 % capacity), with the reasons behind each rank.')),
    h('div', { class: 'toolbar filters' },
      select('min_uptime_days', String(f.min_uptime_days), [['1', '≥ 1 day up'], ['7', '≥ 7 days'], ['14', '≥ 14 days'], ['30', '≥ 30 days']], setF('min_uptime_days'), 'Uptime'),
      select('min_score', f.min_score, [['', 'Any score'], ['60', '≥ 60'], ['70', '≥ 70'], ['80', '≥ 80']], setF('min_score'), 'Score'),
      select('require_public', f.require_public ? 'true' : 'false', [['false', 'Public or private'], ['true', 'Public only']], setF('require_public'), 'RPC'),
      select('min_uptime_7d', String(f.min_uptime_7d), [['0', 'Any availability'], ['0.9', '≥ 90 % answered (7 d)'], ['0.99', '≥ 99 %'], ['0.999', '≥ 99.9 %']], setF('min_uptime_7d'), 'Measured'),
      select('eligible', f.eligible ? 'true' : 'false', [['false', 'Any credits'], ['true', 'Reward-eligible only']], setF('eligible'), 'Credits'),
      select('limit', String(f.limit), [['10', 'Top 10'], ['20', 'Top 20'], ['50', 'Top 50']], setF('limit'), 'Show'),
      note),
    section(`Compare (up to ${MAX_COMPARE})`, addForm, pickedEl, compareEl),
    section('Recommended nodes', listEl),
  );

  let items: Recommendation[] = [];

  function toggle(address: string, on: boolean) {
    if (!address) return;
    const i = picked.indexOf(address);
    if (on && i < 0) {
      if (picked.length >= MAX_COMPARE) return void (note.textContent = `At most ${MAX_COMPARE} nodes can be compared.`);
      picked.push(address);
    } else if (!on && i >= 0) picked.splice(i, 1);
    replaceQuery({ compare: picked.join(',') || undefined });
    renderList();
    void loadCompare();
  }

  async function loadList() {
    try {
      const measured = f.min_uptime_7d > 0 || f.eligible;
      const [r, avail] = await Promise.all([
        api.recommendations({ limit: measured ? MEASURED_POOL : f.limit, min_uptime_days: f.min_uptime_days, require_public: f.require_public, min_score: f.min_score ? Number(f.min_score) : undefined }, ctx.signal),
        measured ? api.networkAvailability(ctx.signal) : Promise.resolve(null),
      ]);
      if (avail) {
        const by = new Map(avail.nodes.map((n) => [n.address, n]));
        const kept = r.recommendations.filter((i) => passesMeasured(by.get(i.address), f.min_uptime_7d, f.eligible));
        items = kept.slice(0, f.limit);
        note.textContent = `${fmtInt(kept.length)} of the top ${fmtInt(r.recommendations.length)} also pass the measured filters (a pod never probed or not listed for credits does not)`;
      } else {
        items = r.recommendations;
        note.textContent = `${fmtInt(r.total_evaluated)} nodes pass these filters`;
      }
      replace(datalist, ...items.map((i) => h('option', { value: i.address })));
      renderList();
    } catch (e) {
      if (!isAbort(e)) replace(listEl, errorBox(e, 'Recommendations'));
    }
  }

  function renderList() {
    if (!items.length) return replace(listEl, empty('No online node passes these filters yet. Try a shorter uptime.'));
    replace(listEl, h('ol', { class: 'rec-list', id: 'recommendations' }, ...items.map((r, i) => {
      const { pros, cons } = reasons(r);
      const why = explainRecommendation(r);
      const checked = picked.includes(r.address);
      return h('li', { class: 'rec', dataset: { address: r.address } },
        h('div', { class: 'rec-head' },
          h('span', { class: 'rank' }, `#${i + 1}`),
          h('a', { href: href('node', r.address), class: 'mono' }, r.address),
          scoreBadge(r.score, r.tier, why),
          tierBadge(r.tier, why),
          h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: checked || undefined, onchange: (e: Event) => toggle(r.address, (e.target as HTMLInputElement).checked) }), 'compare')),
        h('div', { class: 'muted small' }, 'score v2 ', scoreV2Tag(r.score_v2), ` · trust ${fmtNum(r.scores.trust, 1)} · capacity ${fmtNum(r.scores.capacity, 1)} · operator `, h('a', { href: href('operators', r.pubkey), class: 'mono' }, shortKey(r.pubkey))),
        h('ul', { class: 'reasons' }, ...pros.map((p) => h('li', { class: 'pro' }, p)), ...cons.map((c) => h('li', { class: 'con' }, c))));
    })));
  }

  async function loadCompare() {
    replace(pickedEl, ...picked.map((a) => h('span', { class: 'chip' }, h('span', { class: 'mono' }, a), h('button', { type: 'button', 'aria-label': `remove ${a}`, onclick: () => toggle(a, false) }, '×'))));
    if (picked.length < 2) return replace(compareEl, empty(picked.length ? 'Pick at least one more node.' : 'Tick “compare” on two to five nodes, or type their addresses.'));
    try {
      const r = await api.compare(picked, ctx.signal);
      renderCompare(r);
    } catch (e) {
      if (isAbort(e)) return;
      const body = e instanceof ApiError ? (e.body as { missing?: string[] }) : null;
      replace(compareEl, body?.missing ? errorBox(`Unknown address${body.missing.length > 1 ? 'es' : ''}: ${body.missing.join(', ')}`) : errorBox(e, 'Compare'));
    }
  }

  function renderCompare(r: CompareResponse) {
    const nodes = r.comparison;
    const winner = (key: string) => r.winners[key]?.address ?? null;
    const rows: [string, string | null, (n: PNode) => Node | string][] = [
      ['Status', null, (n) => h('span', null, statusDot(n.is_online), n.is_online ? ' online' : ' offline')],
      ['Score v2', null, (n) => scoreV2Tag(n.score_v2)],
      ['Score', 'overall_score', (n) => scoreBadge(n.score, n.tier, explainNode(n))],
      ['Trust', 'trust_score', (n) => fmtNum(n.scores?.trust?.score ?? 0, 1)],
      ['Capacity', 'capacity_score', (n) => fmtNum(n.scores?.capacity?.score ?? 0, 1)],
      ['Uptime', 'best_uptime', (n) => fmtDuration(n.uptime)],
      ['Committed', 'most_storage', (n) => fmtBytes(n.storage_committed)],
      ['Used', null, (n) => `${fmtBytes(n.storage_used)} (${fmtPct(n.storage_usage_percent, 2)})`],
      ['Seen by', 'best_connectivity', (n) => `${n.peer_count} seeds`],
      ['Version', null, (n) => versionTag(n.version)],
      ['RPC', null, (n) => (n.is_public ? 'public' : 'private')],
    ];
    replace(compareEl,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data compare-table' },
        h('thead', null, h('tr', null, h('th', null, ''), ...nodes.map((n) => h('th', null, h('a', { href: href('node', n.address), class: 'mono' }, n.address))))),
        h('tbody', null, ...rows.map(([label, key, cell]) => h('tr', null, h('th', { scope: 'row' }, label),
          ...nodes.map((n) => h('td', { class: key && winner(key) === n.address ? 'winner' : '' }, cell(n)))))))),
      h('div', { class: 'verdict' },
        h('strong', null, r.recommendation.recommended_node ? `Recommended: ${r.recommendation.recommended_node}` : 'No clear winner'),
        h('div', null, r.recommendation.reason),
        r.recommendation.considerations.length ? h('ul', null, ...r.recommendation.considerations.map((c) => h('li', null, c))) : null,
        h('div', { class: 'muted small' }, `Average score ${fmtNum(r.summary.avg_score, 2)} · ${r.summary.all_online ? 'all online' : 'some offline'} · highlighted cells are the best in their row`)));
  }

  void loadList();
  void loadCompare();
  ctx.onSnapshot(() => {
    void loadList();
    if (picked.length >= 2) void loadCompare();
  }, 5000);
};
