#include "analysis/scoring.h"

#include <algorithm>

#include "analysis/version.h"
#include "util/py_format.h"

namespace pnode::analysis {
namespace {

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// A pre-release ("0.8.0-trynet.…", "-rc1", any suffix) is a test build: it never earns
// the full marks of a release, so it ranks below the release it precedes (and below the
// latest release, whatever its core version).
constexpr int kPreReleaseMaxPoints = 10;

int version_compliance_points(std::string_view version, std::string_view latest) {
  auto gap = version_gap(version, latest);
  if (!gap) return 0;
  int points = *gap == 0 ? 20 : *gap == 1 ? 10 : 0;
  auto parsed = parse_version(version);
  if (parsed && !parsed->suffix.empty()) points = std::min(points, kPreReleaseMaxPoints);
  return points;
}

double usage_balance_points(double usage_percent) {
  double u = usage_percent;
  double points = kUsageBalanceMaxPoints;
  if (u < 20) points = u / 20 * kUsageBalanceMaxPoints;
  else if (u > 80) points = (100 - u) / 20 * kUsageBalanceMaxPoints;
  return std::clamp(points, 0.0, kUsageBalanceMaxPoints);
}

}  // namespace

TrustScore score_trust(const ScoringInput& in, std::string_view latest_version) {
  double uptime = clamp01(static_cast<double>(in.uptime_seconds) / 86400.0 / kFullUptimeDays) * kUptimeMaxPoints;
  double presence = clamp01(static_cast<double>(in.peer_count) / kFullPresenceSeeds) * kPresenceMaxPoints;
  int compliance = version_compliance_points(in.version, latest_version);
  double consistency = clamp01(in.consistency_score) * kConsistencyMaxPoints;
  TrustScore t;
  t.score = py_round(uptime + presence + compliance + consistency, 2);
  t.uptime = py_round(uptime, 2);
  t.gossip_presence = py_round(presence, 2);
  t.version_compliance = compliance;
  t.gossip_consistency = py_round(consistency, 2);
  return t;
}

CapacityScore score_capacity(const ScoringInput& in) {
  double committed_gib = static_cast<double>(in.storage_committed) / (1024.0 * 1024.0 * 1024.0);
  double committed = clamp01(committed_gib / kFullCommittedGiB) * kCommittedMaxPoints;
  double balance = usage_balance_points(in.storage_usage_percent);
  double growth = clamp01(in.growth_trend) * kGrowthMaxPoints;
  CapacityScore c;
  c.score = py_round(committed + balance + growth, 2);
  c.storage_committed = py_round(committed, 2);
  c.usage_balance = py_round(balance, 2);
  c.growth_trend = py_round(growth, 2);
  return c;
}

StakeConfidence stake_confidence(double trust_score, double capacity_score) {
  StakeConfidence s;
  s.composite_score = py_round(trust_score * kTrustWeight + capacity_score * kCapacityWeight, 2);
  if (s.composite_score >= 80) s.rating = "low_risk";
  else if (s.composite_score >= 60) s.rating = "medium_risk";
  else s.rating = "high_risk";
  return s;
}

NodeScores score_node(const ScoringInput& in, std::string_view latest_version) {
  NodeScores n;
  n.trust = score_trust(in, latest_version);
  n.capacity = score_capacity(in);
  n.stake = stake_confidence(n.trust.score, n.capacity.score);
  return n;
}

NodeScores offline_scores() {
  NodeScores n;
  n.stake.rating = "offline";
  return n;
}

const char* StakeConfidence::color() const {
  if (rating == "low_risk") return "#10b981";
  if (rating == "medium_risk") return "#f59e0b";
  if (rating == "high_risk") return "#ef4444";
  return "";
}

const char* StakeConfidence::emoji() const {
  if (rating == "low_risk") return "\xF0\x9F\x9F\xA2";     // 🟢
  if (rating == "medium_risk") return "\xF0\x9F\x9F\xA1";  // 🟡
  if (rating == "high_risk") return "\xF0\x9F\x94\xB4";    // 🔴
  return "";
}

}  // namespace pnode::analysis
