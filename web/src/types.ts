// JSON shapes of the pnode-analytics API (docs/reference-compat.md §1.3–§1.4), as the
// dashboard reads them. Fields the dashboard does not read are left out; optional ones are
// those the server may omit (offline nodes, unavailable history, additive extensions).

export type Tier = 'low_risk' | 'medium_risk' | 'high_risk' | 'offline' | 'unknown';
export type Severity = 'critical' | 'warning' | 'info';

export interface TrustBreakdown {
  uptime?: number;
  gossip_presence?: number;
  version_compliance?: number;
  gossip_consistency?: number;
}
export interface CapacityBreakdown {
  storage_committed?: number;
  usage_balance?: number;
  growth_trend?: number;
}
export interface NodeScores {
  trust: { score: number; breakdown: TrustBreakdown };
  capacity: { score: number; breakdown: CapacityBreakdown };
  stake_confidence: { composite_score: number; rating: string; color?: string; emoji?: string };
}

/** One factor of scoring v2 (docs/scoring.md); value is null when its input was unknown. */
export interface ScoreV2Factor { value: number | null; weight: number; contribution: number }
/** Scoring v2's breakdown (GET /registry/{address}): factors in the server's order. */
export interface ScoreV2Breakdown {
  score: number;
  known_weight: number;
  factors: Record<string, ScoreV2Factor>;
  unknown: string[];
}

/** One node of /pnodes (the unified node object, §1.3). */
export interface PNode {
  address: string;
  pubkey: string;
  is_online: boolean;
  last_seen: number;
  last_checked: number;
  offline_duration?: number;
  version: string;
  uptime: number;
  is_public: boolean;
  rpc_port: number;
  storage_committed: number;
  storage_used: number;
  storage_usage_percent: number;
  peer_sources: string[];
  peer_count: number;
  first_seen: number;
  source_ips: string[];
  scores: NodeScores;
  score: number;
  tier: string;
  /** Additive extension: scoring v2 (0–100), null for offline nodes; absent from older servers. */
  score_v2?: number | null;
  /** Additive extension on /registry/{address} only: why the node has its v2 score. */
  score_v2_breakdown?: ScoreV2Breakdown | null;
  /** What the pod answered when asked directly; null when not probed (absent when probing is off). */
  probe?: PodProbe | null;
}

/** The prober's record of one pod (GET /pnodes, /registry/{address}): apart from gossip status. */
export interface PodProbe {
  reachable: boolean;
  /** null when reachable; else denied, refused, connect_timeout, timeout, protocol, … */
  failure: string | null;
  detail: string | null;
  endpoint: string;
  connect_ms: number;
  total_ms: number;
  version: string | null;
  stats: {
    cpu_percent: number | null;
    ram_used: number | null;
    ram_total: number | null;
    active_streams: number | null;
    packets_received: number | null;
    packets_sent: number | null;
    file_size: number | null;
    uptime: number | null;
  } | null;
  stats_failure: string | null;
  pods_listed: number;
  discovered: boolean;
  probed_at: number;
  round: number;
}

/** GET /pnodes/{address}/credits. */
export interface NodeCreditsResponse {
  address: string;
  pubkey: string;
  /** On a credits list; false is not zero credits. */
  listed: boolean;
  network: 'mainnet' | 'devnet' | 'both' | null;
  credits: number | null;
  threshold: number | null;
  eligible: boolean;
  fetched_at: number | null;
  timestamp: number;
}

/** GET /pnodes/{address}/location. */
export interface NodeLocationResponse {
  address: string;
  reach: 'public' | 'local' | 'unknown';
  country_code: string;
  country_name: string;
  asn: number;
  as_name: string;
  anycast: boolean;
  database: { vendor: string; created_at: number };
}

/** GET /network/probe: the latest finished probe round. */
/** GET /pnodes/{address}/availability: sessions from probes (never gossip). */
export interface AvailabilitySessionItem {
  state: 'up' | 'down';
  started_at: number;
  ended_at: number | null;
  last_probe_at: number;
  duration_seconds: number;
}
export interface NodeAvailabilityResponse {
  address: string;
  hours: number;
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null };
  coverage: { '24h': number; '7d': number; '30d': number };
  window: { from: number; to: number; probes: number; answered: number; latency_mean_ms: number | null; latency_p95_ms: number | null };
  sessions: AvailabilitySessionItem[];
}

/** GET /pnodes/{address}/probes: probe latency over time. Latency is of answered probes
 * only; null where nothing answered (a gap, never 0). */
export interface ProbeLatencyFigures {
  probes: number;
  answered: number;
  latency_mean_ms: number | null;
  latency_p95_ms: number | null;
  latency_max_ms: number | null;
  connect_mean_ms: number | null;
}
export interface ProbeLatencyBucket extends ProbeLatencyFigures {
  start: number;
}
export interface NodeProbesResponse {
  address: string;
  hours: number;
  bucket_minutes: number;
  from: number;
  to: number;
  overall: ProbeLatencyFigures;
  buckets: ProbeLatencyBucket[];
}

/** GET /network/availability: every probed pod's measured availability and credits. */
export interface AvailabilityNode {
  address: string;
  pubkey: string | null;
  in_gossip: boolean;
  reachable: boolean | null;
  uptime_24h: number | null;
  uptime_7d: number | null;
  uptime_30d: number | null;
  credits: number | null;
  eligible: boolean | null;
}
export interface NetworkAvailabilityResponse {
  computed_at: number | null;
  pods: number;
  credits_configured: boolean;
  nodes: AvailabilityNode[];
}

export interface NetworkProbeResponse {
  coverage: string;
  round: number | null;
  public_pods: number;
  probed: number;
  answered: number;
  unreachable: number;
  denied: number;
  discovered_next: number;
  failures: Record<string, number>;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  concurrency: number;
  timestamp: number;
}

/** One country or AS holding online nodes; shares are fractions 0–1. */
export interface ConcentrationHolder {
  key: string;
  name: string;
  pods: number;
  storage: number;
  pod_share: number;
  storage_share: number;
  dominant: boolean;
}

export interface ConcentrationDimension {
  pod_hhi: number;
  storage_hhi: number;
  holder_count: number;
  holders: ConcentrationHolder[];
}

/** GET /network/concentration: where the online nodes are (503 when geography is off). */
export interface NetworkConcentrationResponse {
  online_nodes: number;
  located: number;
  unlocated: number;
  max_share: number;
  countries: ConcentrationDimension;
  asns: ConcentrationDimension;
  warnings: { dimension: 'country' | 'asn'; key: string; name: string; pod_share: number; storage_share: number; message: string }[];
  database: { vendor: string; created_at: number };
  timestamp: number;
}

export interface PNodesSummary {
  total_pnodes: number;
  online_pnodes: number;
  offline_pnodes: number;
  snapshot_age_seconds: number;
  last_updated: number;
}
export interface NetworkStats {
  total_storage_committed: number;
  total_storage_used: number;
  avg_uptime_hours: number;
  version_distribution: Record<string, number>;
  /** Additive extension: online nodes only, the definition of the /network/history rows. */
  online_storage_committed?: number;
  online_storage_used?: number;
}
export interface PNodesResponse {
  summary: PNodesSummary;
  network_stats: NetworkStats;
  pagination: { total: number; limit: number; skip: number; returned: number };
  filters: { status: string; sort_by: string; sort_order: string };
  pnodes: PNode[];
  timestamp: number;
}

export interface HealthResponse {
  status: string;
  message: string;
  snapshot_age_seconds: number;
  last_updated: number;
  cache_ttl: number;
  total_pnodes: number;
  total_ip_nodes: number;
  timestamp: number;
  uptime?: number;
}

export interface NetworkAlert { severity: string; type: string; message: string; recommendation: string }
export interface NetworkHealthResponse {
  health: { health_score: number; status: string; factors: Partial<Record<'availability' | 'version_consistency' | 'node_quality' | 'connectivity', number>> };
  network_stats: NetworkStats;
  summary: PNodesSummary & { total_storage?: number };
  alerts: NetworkAlert[];
  timestamp: number;
}

export interface HistoryPoint {
  timestamp: number;
  total_pnodes: number;
  online_pnodes?: number;
  public_pnodes: number;
  private_pnodes: number;
  total_storage_committed: number;
  total_storage_used: number;
  avg_peer_count: number;
  version_distribution: Record<string, number>;
}
interface Growth { growth: number; growth_percent: number; trend: string }
export interface NetworkHistoryResponse {
  history: HistoryPoint[];
  summary: {
    data_points: number;
    time_range_hours: number;
    message?: string;
    node_growth?: Growth & { start_count: number; end_count: number };
    storage_growth?: Growth & { start_committed: number; end_committed: number };
    network_health?: { start_avg_peers: number; end_avg_peers: number; peer_change: number; connectivity_trend: string };
    version_stability?: { start_version_count: number; end_version_count: number; stability: string };
  };
  timestamp: number;
}

export interface NetworkAnalyticsResponse {
  current_state: { total_pnodes: number; public_nodes: number; private_nodes: number; public_ratio_percent: number };
  version_analysis: {
    distribution: Record<string, number>;
    latest_version: string;
    latest_version_count: number;
    outdated_count: number;
    compliance_percent: number;
    fragmentation_index: number;
    health: string;
  };
  storage_analysis: { distribution: Record<string, number>; optimal_percent: number; critical_nodes: number; health: string };
  connectivity_analysis: { distribution: Record<string, number>; well_connected_percent: number; isolated_nodes: number; health: string };
  recommendations: { category: string; severity: string; message: string; action: string }[];
  timestamp: number;
}

export interface Alert {
  severity: Severity;
  type: string;
  message: string;
  metric?: string;
  value?: unknown;
  threshold?: unknown;
  recommendation: string;
  last_seen?: number;
}
export interface AlertSummary { total: number; critical: number; warning: number; info: number; by_type: Record<string, number> }
export interface NodeAlertsResponse {
  address: string;
  alerts: Alert[];
  summary: AlertSummary;
  node_info: { is_online: boolean; uptime: number; version: string; storage_usage_percent: number; peer_count: number; last_seen: number };
  timestamp: number;
}
export interface AlertsResponse {
  summary: AlertSummary;
  critical_nodes: { address: string; alert_count: number; critical_alerts: Alert[] }[];
  nodes_checked: number;
  nodes_with_alerts: number;
  filters: { severity: string | null; alert_type: string | null };
  /** Additive extension (include_alerts=true): every checked alert with its node. */
  alerts?: (Alert & { address: string })[];
  timestamp: number;
}

/** One alert_firing / alert_resolved event of GET /alerts/history (docs/events.md). */
export interface AlertEvent {
  seq: number;
  id: string;
  type: 'alert_firing' | 'alert_resolved';
  time: number;
  cycle: number;
  address: string | null;
  pubkey: string | null;
  data: {
    rule: string;
    severity: string;
    message: string;
    active_since: number;
    firing_since: number;
    reason?: string;
    silenced: boolean;
    silence_id?: string;
    acknowledged: boolean;
    unsilenced?: boolean;
  };
}
export interface AlertHistoryResponse { events: AlertEvent[]; count: number; next: number; more: boolean; timestamp: number }

/** A silence of GET/POST /silences: alerts matching every matcher are silenced until ends_at. */
export interface Silence {
  id: string;
  matchers: { address?: string; pubkey?: string; rule?: string };
  starts_at: number;
  ends_at: number;
  comment: string;
  author: string;
  created_at: number;
}
export interface SilencesResponse { silences: Silence[]; count: number; timestamp: number }
/** The body of POST /silences: at least one matcher; duration in seconds or "90m", "2h", "1d". */
export interface NewSilence { address?: string; pubkey?: string; rule?: string; duration: string; comment: string; author: string }

/** One (rule, node) lifecycle state of GET /alerts/active (docs/events.md). */
export interface AlertState {
  rule: string;
  address: string;
  pubkey: string | null;
  state: 'pending' | 'firing' | 'resolved';
  severity: Severity;
  message: string;
  active_since: number;
  firing_since: number;
  silenced: boolean;
  silence_id: string | null;
  acknowledgement: { author: string; comment: string; at: number } | null;
}
export interface ActiveAlertsResponse { alerts: AlertState[]; count: number; timestamp: number }
export interface AlertAck { rule: string; address: string; author: string; comment: string }

export interface Recommendation {
  address: string;
  pubkey: string;
  score: number;
  tier: string;
  scores: { trust: number; capacity: number; breakdown: { trust: TrustBreakdown; capacity: CapacityBreakdown } };
  uptime_days: number;
  version: string;
  storage_usage_percent: number;
  is_public: boolean;
  peer_count: number;
  first_seen: number;
  last_seen: number;
  /** Additive extension: the scoring factors below their maximum, largest composite cost first. */
  risk_factors?: RiskFactor[];
  /** Additive extension: scoring v2 (0–100). */
  score_v2?: number | null;
}
export interface RiskFactor {
  factor: string;
  score: 'trust' | 'capacity';
  points: number;
  max: number;
  composite_lost: number;
}
export interface RecommendationsResponse {
  recommendations: Recommendation[];
  total_evaluated: number;
  filters: { min_uptime_days: number; require_public: boolean; min_score?: number | null };
  timestamp: number;
}

export interface CompareResponse {
  comparison: PNode[];
  winners: Record<string, { address: string | null; category: string; [k: string]: unknown }>;
  recommendation: { recommended_node: string | null; reason: string; considerations: string[] };
  summary: { nodes_compared: number; all_online: boolean; avg_score: number };
  timestamp: number;
}

export interface Operator {
  pubkey: string;
  node_count: number;
  online_nodes: number;
  total_storage_committed: number;
  total_storage_used: number;
  addresses: string[];
  versions: string[];
  first_seen: number;
}
export interface OperatorsResponse {
  summary: {
    total_operators: number;
    total_nodes: number;
    avg_nodes_per_operator: number;
    largest_operator_share_percent: number;
    decentralization_score: number;
  };
  operators: Operator[];
  timestamp: number;
}

export interface TopologyVertex {
  id: string;
  type: 'ip_node' | 'pnode';
  label: string;
  group: string;
  properties: Record<string, number | string | boolean>;
}
export interface TopologyResponse {
  nodes: TopologyVertex[];
  edges: { source: string; target: string; type: string }[];
  stats: { total_nodes: number; ip_nodes: number; pnodes: number; total_connections: number; avg_connections_per_pnode: number; timestamp: number };
}

export interface NodeHistoryPoint {
  timestamp: number;
  is_online: boolean;
  version: string;
  uptime: number;
  storage_committed: number;
  storage_used: number;
  storage_usage_percent: number;
  peer_count: number;
  score: number;
  trust_score: number;
  capacity_score: number;
}
export interface NodeHistoryResponse {
  address: string;
  available: boolean;
  message?: string;
  note?: string;
  data_points?: number;
  history?: NodeHistoryPoint[];
  trends?: { uptime_change_hours: number; storage_used_change_gb: number; score_change: number; score_trend: string };
  availability?: { online_snapshots: number; offline_snapshots: number; total_snapshots: number; availability_percent: number };
}

export interface MetricsSummaryResponse {
  address: string;
  metrics: {
    available: boolean;
    message?: string;
    time_range_hours?: number;
    snapshots_analyzed?: number;
    availability_percent?: number;
    avg_score?: number;
    avg_storage_usage?: number;
    avg_peer_count?: number;
    min_score?: number;
    max_score?: number;
  };
}

export interface NodeConsistencyResponse {
  address: string;
  consistency: { score: number; status: string; status_emoji: string; appearances: number; disappearances: number; ratio: string; total_events: number };
  recent_activity: {
    last_drop: number | null;
    last_drop_readable: string | null;
    time_since_drop_hours: number | null;
    last_appearance: number | null;
    last_appearance_readable: string | null;
    time_since_appearance_hours: number | null;
  };
  recommendations: { severity: string; issue: string; recommendation: string; action: string }[];
  node_info: { is_online: boolean; version: string; first_seen: number; last_seen: number };
}

export interface RegistryResponse {
  entry: Partial<PNode> & { address: string; is_online: boolean; last_seen: number };
  status: { status: string } | null;
}

/** A message of GET /ws/pnodes. */
export interface LiveMessage {
  type: 'snapshot';
  cycle: number;
  last_updated: number;
  summary: PNodesSummary;
  network_stats: NetworkStats;
  changed: PNode[];
  removed: string[];
}

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: { type?: string; default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number; pattern?: string };
}
export interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
}
