// Typed client of the pnode-analytics REST API (same origin). Every function takes an
// optional AbortSignal so a page can cancel what it started when the user navigates away.
import type {
  ActiveAlertsResponse, AlertAck, AlertHistoryResponse, AlertState, AlertsResponse, CompareResponse, HealthResponse,
  MetricsSummaryResponse, NetworkAnalyticsResponse,
  NetworkHealthResponse, NetworkHistoryResponse, NodeAlertsResponse, NodeConsistencyResponse,
  NetworkConcentrationResponse, NetworkAvailabilityResponse, NodeAvailabilityResponse, NodeProbesResponse,
  NetworkProbeResponse, NodeCreditsResponse, NodeHistoryResponse, NodeLocationResponse, OpenApiDocument, OperatorsResponse, PNodesResponse, RecommendationsResponse,
  NewSilence, RegistryResponse, Silence, SilencesResponse, TopologyResponse,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
    /** The Retry-After header of the answer (a 429 has one), else null. */
    readonly retryAfter: string | null = null,
  ) {
    super(describeError(status, path, body));
  }
}

function describeError(status: number, path: string, body: unknown): string {
  const b = body as Record<string, unknown> | null;
  let detail = '';
  if (b && typeof b === 'object') {
    if (typeof b.error === 'string') detail = b.error;
    else if (b.error && typeof b.error === 'object') detail = String((b.error as Record<string, unknown>).message ?? '');
    else if (typeof b.detail === 'string') detail = b.detail;
    else if (Array.isArray(b.detail)) detail = b.detail.map((d: { msg?: string }) => d.msg).join('; ');
  } else if (typeof body === 'string') detail = body.slice(0, 120);
  return `${path.split('?')[0]} answered ${status}${detail ? `: ${detail}` : ''}`;
}

type Params = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, params?: Params): string {
  if (!params) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** GET a JSON route; non-2xx answers throw ApiError with the parsed body. */
export async function getJSON<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const url = withQuery(path, params);
  return readJSON<T>(url, await fetch(url, { signal, headers: { Accept: 'application/json' } }));
}

/** An admin mutation (POST/DELETE) with "Authorization: Bearer <token>" and an optional JSON body. */
export async function sendJSON<T>(method: 'POST' | 'DELETE', path: string, token: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return readJSON<T>(path, res);
}

async function readJSON<T>(url: string, res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text for the error message */
  }
  if (!res.ok) throw new ApiError(res.status, url, body, res.headers.get('Retry-After'));
  return body as T;
}

/** An address inside a path: addresses contain ':' (and may be a pubkey), so encode. */
const enc = (address: string) => encodeURIComponent(address);

export const api = {
  health: (s?: AbortSignal) => getJSON<HealthResponse>('/health', undefined, s),
  pnodes: (p: { status?: string; limit?: number; skip?: number; sort_by?: string; sort_order?: string }, s?: AbortSignal) =>
    getJSON<PNodesResponse>('/pnodes', p, s),
  networkHealth: (s?: AbortSignal) => getJSON<NetworkHealthResponse>('/network/health', undefined, s),
  networkHistory: (hours: number, s?: AbortSignal) => getJSON<NetworkHistoryResponse>('/network/history', { hours }, s),
  networkAnalytics: (s?: AbortSignal) => getJSON<NetworkAnalyticsResponse>('/network/analytics', undefined, s),
  topology: (s?: AbortSignal) => getJSON<TopologyResponse>('/network/topology', undefined, s),
  operators: (p: { limit?: number; min_nodes?: number }, s?: AbortSignal) => getJSON<OperatorsResponse>('/operators', p, s),
  recommendations: (p: { limit?: number; min_uptime_days?: number; require_public?: boolean; min_score?: number }, s?: AbortSignal) =>
    getJSON<RecommendationsResponse>('/recommendations', p, s),
  compare: (addresses: string[], s?: AbortSignal) =>
    getJSON<CompareResponse>('/pnodes/compare', { addresses: addresses.join(',') }, s),
  alerts: (p: { severity?: string; alert_type?: string; limit?: number; include_alerts?: boolean }, s?: AbortSignal) =>
    getJSON<AlertsResponse>('/alerts', p, s),
  criticalAlerts: (s?: AbortSignal) => getJSON<AlertsResponse>('/alerts/critical', undefined, s),
  nodeAlerts: (address: string, s?: AbortSignal) => getJSON<NodeAlertsResponse>(`/pnodes/${enc(address)}/alerts`, undefined, s),
  alertHistory: (p: { node?: string; rule?: string; after?: number; limit?: number }, s?: AbortSignal) =>
    getJSON<AlertHistoryResponse>('/alerts/history', p, s),
  registry: (address: string, s?: AbortSignal) => getJSON<RegistryResponse>(`/registry/${enc(address)}`, undefined, s),
  nodeHistory: (address: string, days: number, s?: AbortSignal) =>
    getJSON<NodeHistoryResponse>(`/node/${enc(address)}/history`, { days }, s),
  nodeMetrics: (address: string, hours: number, s?: AbortSignal) =>
    getJSON<MetricsSummaryResponse>(`/node/${enc(address)}/metrics-summary`, { hours }, s),
  nodeConsistency: (address: string, s?: AbortSignal) =>
    getJSON<NodeConsistencyResponse>(`/node/${enc(address)}/consistency`, undefined, s),
  nodeCredits: (address: string, s?: AbortSignal) => getJSON<NodeCreditsResponse>(`/pnodes/${enc(address)}/credits`, undefined, s),
  nodeLocation: (address: string, s?: AbortSignal) => getJSON<NodeLocationResponse>(`/pnodes/${enc(address)}/location`, undefined, s),
  networkConcentration: (limit: number, s?: AbortSignal) =>
    getJSON<NetworkConcentrationResponse>('/network/concentration', { limit }, s),
  networkProbe: (s?: AbortSignal) => getJSON<NetworkProbeResponse>('/network/probe', undefined, s),
  nodeAvailability: (address: string, hours: number, s?: AbortSignal) =>
    getJSON<NodeAvailabilityResponse>(`/pnodes/${enc(address)}/availability`, { hours }, s),
  nodeProbes: (address: string, hours: number, s?: AbortSignal) =>
    getJSON<NodeProbesResponse>(`/pnodes/${enc(address)}/probes`, { hours }, s),
  networkAvailability: (s?: AbortSignal) => getJSON<NetworkAvailabilityResponse>('/network/availability', undefined, s),
  openapi: (s?: AbortSignal) => getJSON<OpenApiDocument>('/openapi.json', undefined, s),
  activeAlerts: (p: { state?: string }, s?: AbortSignal) => getJSON<ActiveAlertsResponse>('/alerts/active', p, s),
  silences: (s?: AbortSignal) => getJSON<SilencesResponse>('/silences', undefined, s),
  addSilence: (token: string, silence: NewSilence) => sendJSON<Silence>('POST', '/silences', token, silence),
  removeSilence: (token: string, id: string) => sendJSON<{ status: string; id: string }>('DELETE', `/silences/${enc(id)}`, token),
  ackAlert: (token: string, ack: AlertAck) => sendJSON<AlertState>('POST', '/alerts/ack', token, ack),
};

/** Runs `task` over `items` with at most `width` in flight; results keep the item order. */
export async function mapLimited<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
