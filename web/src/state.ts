// The dashboard's live view of the network: the current summary and network_stats, the
// full node list (loaded on demand), and how fresh they are. Kept current by the
// /ws/pnodes WebSocket; when that fails, by polling /health every 15 s and reloading
// what changed. Pages listen for 'snapshot' (new data) and 'status' (connection mode).
import { api } from './api';
import type { LiveMessage, NetworkStats, PNode, PNodesSummary } from './types';

export type LiveMode = 'connecting' | 'live' | 'polling';

const POLL_MS = 15_000;
const WS_RETRY_MS = 30_000;
const PAGE = 1000; // /pnodes allows limit 1..1000

export class NetworkState extends EventTarget {
  summary: PNodesSummary | null = null;
  networkStats: NetworkStats | null = null;
  lastUpdated = 0; // unix s of the current snapshot
  cycle: number | null = null; // collector cycle (known from the WebSocket only)
  cacheTtl = 60;
  mode: LiveMode = 'connecting';
  /** Snapshots applied since the page loaded (the first load counts as 1). */
  snapshotsApplied = 0;
  /** Server clock minus client clock, seconds: ages are computed on the server's clock. */
  private skew = 0;
  private nodes: Map<string, PNode> | null = null;
  private nodesLoading: Promise<Map<string, PNode>> | null = null;
  private pollTimer: number | undefined;
  private retryTimer: number | undefined;

  start(): void {
    void this.refreshSummary();
    api.health().then((h) => {
      this.cacheTtl = h.cache_ttl || this.cacheTtl;
      this.setSkew(h.timestamp);
    }, () => undefined);
    this.connect();
  }

  /** Seconds since the current snapshot was taken, on the server's clock. */
  age(): number {
    if (!this.lastUpdated) return NaN;
    return Math.max(0, Date.now() / 1000 + this.skew - this.lastUpdated);
  }

  isStale(): boolean {
    return this.age() >= 2 * this.cacheTtl;
  }

  /** Every known node (online and offline), loading the list on first use. */
  ensureNodes(): Promise<Map<string, PNode>> {
    if (this.nodes) return Promise.resolve(this.nodes);
    if (!this.nodesLoading) {
      this.nodesLoading = this.loadAllNodes().then(
        ({ map, stamp }) => {
          this.nodes = map;
          this.nodesLoading = null;
          // A WebSocket snapshot newer than the list landed while it loaded: its deltas
          // were not applied, so load once more (in the background) and announce it.
          if (stamp < this.lastUpdated) {
            this.nodes = null;
            void this.ensureNodes().then(() => this.announce(), () => undefined);
          }
          return map;
        },
        (e) => {
          this.nodesLoading = null;
          throw e;
        },
      );
    }
    return this.nodesLoading;
  }

  /** The loaded node list, or null when no page asked for it yet. */
  nodeList(): PNode[] | null {
    return this.nodes ? [...this.nodes.values()] : null;
  }

  private setSkew(serverNow: number | undefined) {
    if (serverNow) this.skew = serverNow - Date.now() / 1000;
  }

  private async loadAllNodes(): Promise<{ map: Map<string, PNode>; stamp: number }> {
    // Pages of 1000 in a stable order; if a new snapshot lands mid-way, start over once.
    for (let attempt = 0; ; attempt++) {
      const map = new Map<string, PNode>();
      let skip = 0;
      let stamp = 0;
      let restarted = false;
      for (;;) {
        const r = await api.pnodes({ status: 'all', limit: PAGE, skip, sort_by: 'first_seen', sort_order: 'asc' });
        if (skip === 0) {
          stamp = r.summary.last_updated;
          this.adoptSummary(r.summary, r.network_stats, r.timestamp);
        } else if (r.summary.last_updated !== stamp && attempt === 0) {
          restarted = true;
          break;
        }
        for (const n of r.pnodes) map.set(n.address, n);
        skip += r.pnodes.length;
        if (r.pnodes.length < PAGE || skip >= r.pagination.total) break;
      }
      if (!restarted) return { map, stamp };
    }
  }

  /** Takes a summary from a /pnodes answer; emits 'snapshot' when it is a new snapshot. */
  private adoptSummary(summary: PNodesSummary, stats: NetworkStats, serverNow?: number): boolean {
    this.setSkew(serverNow);
    if (summary.last_updated < this.lastUpdated) return false; // older than what we show
    const isNew = summary.last_updated !== this.lastUpdated;
    this.summary = summary;
    this.networkStats = stats;
    this.lastUpdated = summary.last_updated;
    if (isNew) this.announce();
    return isNew;
  }

  private announce() {
    this.snapshotsApplied++;
    this.dispatchEvent(new Event('snapshot'));
  }

  private async refreshSummary(): Promise<void> {
    try {
      const r = await api.pnodes({ status: 'all', limit: 1 });
      this.adoptSummary(r.summary, r.network_stats, r.timestamp);
    } catch {
      /* the header shows the data as stale; polling tries again */
    }
  }

  private setMode(mode: LiveMode) {
    if (this.mode === mode) return;
    this.mode = mode;
    this.dispatchEvent(new Event('status'));
  }

  private connect() {
    if (typeof WebSocket === 'undefined') return this.startPolling();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/pnodes`;
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      return this.startPolling();
    }
    ws.onopen = () => {
      opened = true;
      this.stopPolling();
      this.setMode('live');
    };
    ws.onmessage = (ev) => {
      try {
        this.applyLive(JSON.parse(String(ev.data)) as LiveMessage);
      } catch {
        /* a malformed message: ignore it, the next one carries the full summary */
      }
    };
    ws.onclose = () => {
      this.startPolling();
      // Reconnect soon after a working connection dropped; rarely when it never opened.
      window.clearTimeout(this.retryTimer);
      this.retryTimer = window.setTimeout(() => this.connect(), opened ? 3000 : WS_RETRY_MS);
    };
  }

  private applyLive(msg: LiveMessage) {
    if (msg.type !== 'snapshot' || !msg.summary) return;
    const previousCycle = this.cycle;
    const sameSnapshot = msg.last_updated === this.lastUpdated;
    this.cycle = msg.cycle;
    this.summary = msg.summary;
    this.networkStats = msg.network_stats;
    this.lastUpdated = msg.last_updated;
    if (sameSnapshot) {
      this.dispatchEvent(new Event('status')); // the cycle number may be new
      return;
    }
    const contiguous = previousCycle !== null && msg.cycle === previousCycle + 1;
    if (this.nodes && contiguous) {
      for (const n of msg.changed ?? []) this.nodes.set(n.address, n);
      for (const a of msg.removed ?? []) this.nodes.delete(a);
    } else if (this.nodes) {
      // Missed cycles (or the first message after connecting): deltas are not enough.
      this.nodes = null;
      void this.ensureNodes().then(() => this.announce(), () => undefined);
      return;
    }
    this.announce();
  }

  private startPolling() {
    this.setMode('polling');
    if (this.pollTimer !== undefined) return;
    this.pollTimer = window.setInterval(() => void this.poll(), POLL_MS);
  }

  private stopPolling() {
    window.clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private async poll() {
    try {
      const h = await api.health();
      this.cacheTtl = h.cache_ttl || this.cacheTtl;
      this.setSkew(h.timestamp);
      if (h.last_updated === this.lastUpdated) return;
      if (this.nodes) {
        this.nodes = null;
        await this.ensureNodes(); // adopts the new summary and announces it
      } else {
        await this.refreshSummary();
      }
    } catch {
      /* server unreachable: the header shows the data getting stale */
    }
  }
}
