// The network page's "Concentration" block: where the online nodes are, per country and per
// autonomous system, from GET /network/concentration (an offline location database). The
// top holders with their shares, the Herfindahl index of each dimension, and every warning
// the server raised. Loopback and private addresses are never located, so a network of only
// those (the simulator) gets one sentence instead of empty tables.
import { h } from '../dom';
import { fmtInt, fmtNum, fmtPct, fmtTime } from '../format';
import type { ConcentrationDimension, NetworkConcentrationResponse } from '../types';
import { empty } from '../ui';

/** A 0–1 share as a percentage. */
const share = (f: number) => fmtPct(f * 100, 1);

function dimensionBlock(title: string, id: string, d: ConcentrationDimension): HTMLElement {
  const shown = d.holders.length < d.holder_count ? `top ${fmtInt(d.holders.length)} of ${fmtInt(d.holder_count)}` : `${fmtInt(d.holder_count)} in all`;
  return h('div', { class: 'dist', id },
    h('h3', null, title),
    h('p', { class: 'muted small' }, `Herfindahl index ${fmtNum(d.pod_hhi, 3)} by pods, ${fmtNum(d.storage_hhi, 3)} by storage (1/n when spread evenly, 1 when one holds all) · ${shown}`),
    d.holders.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', null, h('tr', null, h('th', null, title === 'Countries' ? 'Country' : 'AS'), h('th', { class: 'right' }, 'Pods'), h('th', { class: 'right' }, 'Pod share'), h('th', { class: 'right' }, 'Storage share'))),
      h('tbody', null, ...d.holders.map((x) => h('tr', { class: x.dominant ? 'dominant' : '' },
        h('td', null, h('span', { class: 'mono' }, x.key), x.name ? ` ${x.name}` : null, x.dominant ? ' ' : null, x.dominant ? h('span', { class: 'badge sev-warning' }, 'dominant') : null),
        h('td', { class: 'right' }, fmtInt(x.pods)),
        h('td', { class: 'right' }, share(x.pod_share)),
        h('td', { class: 'right' }, share(x.storage_share))))))) : empty('No located nodes.'));
}

/** The section's content for an answer of GET /network/concentration. */
export function concentrationBlock(c: NetworkConcentrationResponse): HTMLElement {
  if (c.online_nodes > 0 && c.located === 0 && c.unlocated === c.online_nodes) {
    return h('p', { class: 'muted', id: 'concentration-local' }, `All ${fmtInt(c.online_nodes)} online nodes are on local addresses: nothing to locate.`);
  }
  return h('div', null,
    c.warnings.length ? h('ul', { class: 'recs', id: 'concentration-warnings' },
      ...c.warnings.map((w) => h('li', null, h('span', { class: 'badge sev-warning' }, 'warning'), ' ', h('strong', null, w.message)))) : null,
    h('p', { class: 'muted small' },
      `${fmtInt(c.located)} of ${fmtInt(c.online_nodes)} online nodes located`,
      c.unlocated ? `, ${fmtInt(c.unlocated)} not (local addresses or not in the database)` : '',
      ` · a holder above ${share(c.max_share)} is flagged · ${c.database.vendor} database of ${fmtTime(c.database.created_at)}`),
    h('div', { class: 'grid-2' }, dimensionBlock('Countries', 'concentration-countries', c.countries), dimensionBlock('Autonomous systems', 'concentration-asns', c.asns)));
}
