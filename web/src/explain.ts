// Why a node wears its tier badge, in words: the tier's rule, then the scoring factors that
// cost it the most composite points, each with the fact behind it ("up 2.1 days; full
// marks at 30"). Recommendations carry those factors from the API (risk_factors); for
// other node objects they are read from the score breakdown the same way.
import { fmtBytes, fmtDuration, fmtNum, fmtPct, fmtTime, isPreRelease, tierLabel } from './format';
import type { CapacityBreakdown, PNode, Recommendation, RiskFactor, TrustBreakdown } from './types';

export interface Explanation {
  /** One sentence: the tier and the rule that put the node there. */
  summary: string;
  /** The factors behind it, largest cost first. */
  lines: string[];
}

/** The facts a factor's explanation quotes (what /pnodes and /recommendations both carry). */
interface NodeFacts {
  uptimeDays: number;
  peerCount: number;
  version: string;
  storageCommitted?: number;
  usagePercent: number;
}

const WEIGHT = { trust: 0.6, capacity: 0.4 } as const;
const FACTOR_MAX: [keyof TrustBreakdown | keyof CapacityBreakdown, 'trust' | 'capacity', number][] = [
  ['uptime', 'trust', 40],
  ['gossip_presence', 'trust', 30],
  ['version_compliance', 'trust', 20],
  ['gossip_consistency', 'trust', 10],
  ['storage_committed', 'capacity', 30],
  ['usage_balance', 'capacity', 40],
  ['growth_trend', 'capacity', 30],
];
const SHOWN_FACTORS = 3;

/** The API's risk_factors rule (src/analysis/risk_factors.cc) over a node's breakdown. */
export function factorsFromBreakdown(trust: TrustBreakdown, capacity: CapacityBreakdown): RiskFactor[] {
  const values: Record<string, number | undefined> = { ...trust, ...capacity };
  return FACTOR_MAX.map(([factor, score, max]) => {
    const points = values[factor] ?? 0;
    return { factor, score, points, max, composite_lost: Math.round((max - points) * WEIGHT[score] * 100) / 100 };
  })
    .filter((f) => f.composite_lost > 0)
    .sort((a, b) => b.composite_lost - a.composite_lost);
}

function factorText(f: RiskFactor, n: NodeFacts): string {
  switch (f.factor) {
    case 'uptime':
      return `up ${fmtNum(n.uptimeDays, 1)} days; full marks at 30 days`;
    case 'gossip_presence':
      return `listed by ${n.peerCount} seed${n.peerCount === 1 ? '' : 's'}; full marks at 3`;
    case 'version_compliance':
      if (isPreRelease(n.version)) return `${n.version} is a pre-release (test build): at most 10 of 20`;
      return f.points > 0 ? `${n.version} is one minor version behind the latest release` : `${n.version} is not a current release`;
    case 'gossip_consistency':
      return `gossip consistency ${fmtNum(f.points / 10, 2)}: it has dropped out of gossip at times`;
    case 'storage_committed':
      return n.storageCommitted !== undefined ? `commits ${fmtBytes(n.storageCommitted)}; full marks at 100 GB` : 'commits less than 100 GB';
    case 'usage_balance':
      return `${fmtPct(n.usagePercent, 2)} of its storage used; full marks between 20 % and 80 %`;
    case 'growth_trend':
      return f.points >= 15 ? 'storage use is flat (15 of 30; more when growing)' : 'storage use is shrinking';
    default:
      return f.factor;
  }
}

function factorLabel(factor: string): string {
  return factor.replace(/_/g, ' ');
}

function ruleFor(tier: string, score: number): string {
  const s = fmtNum(score, 1);
  if (tier === 'low_risk') return `score ${s} is 80 or more`;
  if (tier === 'medium_risk') return `score ${s} is between 60 and 80`;
  if (tier === 'high_risk') return `score ${s} is below 60`;
  return `score ${s}`;
}

function explainScored(tier: string, score: number, factors: RiskFactor[], facts: NodeFacts): Explanation {
  const shown = factors.slice(0, SHOWN_FACTORS);
  const lines = shown.map((f) => `${factorLabel(f.factor)} ${fmtNum(f.points, 1)}/${f.max} (−${fmtNum(f.composite_lost, 1)}): ${factorText(f, facts)}`);
  if (factors.length > shown.length) lines.push(`and ${factors.length - shown.length} smaller factor${factors.length - shown.length === 1 ? '' : 's'}`);
  if (!factors.length) lines.push('full marks on every factor');
  return { summary: `${tierLabel(tier)}: ${ruleFor(tier, score)} (trust × 0.6 + capacity × 0.4).`, lines };
}

/** A node of /pnodes, /registry or /pnodes/compare. */
export function explainNode(n: PNode): Explanation {
  if (!n.is_online || n.tier === 'offline') {
    const gone = n.offline_duration ?? Date.now() / 1000 - n.last_seen;
    return {
      summary: `${tierLabel('offline')}: not in gossip for ${fmtDuration(gone)} (last seen ${fmtTime(n.last_seen)}).`,
      lines: ['An offline node scores 0 until it is seen again.'],
    };
  }
  if (!n.scores?.trust) return { summary: `${tierLabel(n.tier)}: no score yet.`, lines: [] };
  const factors = factorsFromBreakdown(n.scores.trust.breakdown, n.scores.capacity.breakdown);
  return explainScored(n.tier, n.score, factors, {
    uptimeDays: n.uptime / 86400,
    peerCount: n.peer_count,
    version: n.version,
    storageCommitted: n.storage_committed,
    usagePercent: n.storage_usage_percent,
  });
}

/** An item of /recommendations: the API says which factors cost points (risk_factors). */
export function explainRecommendation(r: Recommendation): Explanation {
  const factors = r.risk_factors ?? factorsFromBreakdown(r.scores.breakdown.trust, r.scores.breakdown.capacity);
  return explainScored(r.tier, r.score, factors, {
    uptimeDays: r.uptime_days,
    peerCount: r.peer_count,
    version: r.version,
    usagePercent: r.storage_usage_percent,
  });
}

/** The explanation as one plain text (the badge's hover title). */
export function explanationText(e: Explanation): string {
  return [e.summary, ...e.lines.map((l) => `• ${l}`)].join('\n');
}
