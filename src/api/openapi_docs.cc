#include "api/openapi_docs.h"

namespace pnode::api::openapi_docs {
namespace {

// Trimmed real responses, captured from `pnode-analytics serve` polling `pnode-analytics
// sim --seeds 9` on loopback (arrays cut to their first items, maps to a few keys).
// docs/API.md shows the same ones.
constexpr std::string_view kExHealth = R"J({
  "status": "healthy",
  "message": "All systems operational",
  "snapshot_age_seconds": 3,
  "last_updated": 1795511748,
  "cache_ttl": 5,
  "total_pnodes": 204,
  "total_ip_nodes": 9,
  "timestamp": 1795511751,
  "uptime": 73
})J";
constexpr std::string_view kExRoot = R"J({
  "api_name": "Xandeum PNode Analytics API",
  "version": "1.1.0",
  "description": "Real-time analytics for the Xandeum storage network: every pNode seen in gossip, scored for stakers, with alerts for operators and history for developers.",
  "tagline": "Know which pNodes to trust, before you stake.",
  "system_status": {
    "status": "operational",
    "nodes_tracked": 204,
    "snapshot_age_seconds": 3,
    "last_updated": 1795511748
  },
  "features": {
    "performance_scoring": "Trust, capacity and stake-confidence scores for every pNode",
    "real_time_monitoring": "The whole network re-polled every 5 seconds"
  },
  "core_endpoints": {
    "health": {
      "path": "/health",
      "description": "API health and snapshot freshness",
      "example": "/health"
    },
    "pnodes": {
      "path": "/pnodes",
      "description": "Unified, scored list of online and offline pNodes",
      "example": "/pnodes?status=online&sort_by=score&limit=10"
    }
  },
  "analytics_endpoints": {
    "network_analytics": {
      "path": "/network/analytics",
      "description": "Distributions and recommendations",
      "example": "/network/analytics"
    },
    "network_history": {
      "path": "/network/history",
      "description": "Network time series",
      "example": "/network/history?hours=24"
    }
  },
  "alert_endpoints": {
    "node_alerts": {
      "path": "/pnodes/{address}/alerts",
      "description": "Alerts for one pNode",
      "example": "/pnodes/127.1.0.2:9001/alerts"
    },
    "all_alerts": {
      "path": "/alerts",
      "description": "Network-wide alert summary",
      "example": "/alerts?severity=critical"
    }
  },
  "advanced_endpoints": {
    "compare_nodes": {
      "path": "/pnodes/compare",
      "description": "Compare 2 to 5 pNodes side by side",
      "example": "/pnodes/compare?addresses=addr1:9001,addr2:9001"
    },
    "operators": {
      "path": "/operators",
      "description": "pNodes grouped by operator",
      "example": "/operators?min_nodes=2"
    }
  },
  "registry_endpoints": {
    "registry_entry": {
      "path": "/registry/{address}",
      "description": "Everything remembered about one address",
      "example": "/registry/127.1.0.2:9001"
    },
    "graveyard": {
      "path": "/graveyard",
      "description": "pNodes not seen for N days",
      "example": "/graveyard?days=90"
    }
  },
  "use_cases": {
    "for_stakers": {
      "description": "Choose reliable pNodes to stake on",
      "workflow": [
        "GET /recommendations?limit=10",
        "GET /pnodes/compare?addresses=a,b",
        "GET /pnodes/{address}/alerts before staking"
      ]
    },
    "for_operators": {
      "description": "Keep your pNodes healthy and visible",
      "workflow": [
        "GET /operators to find your nodes",
        "GET /pnodes/{address}/alerts",
        "GET /node/{address}/consistency"
      ]
    }
  },
  "scoring_system": {
    "trust_score": {
      "range": "0-100",
      "factors": [
        "Uptime (40 points, full at 30 days)",
        "Gossip presence (30 points, seen by 3+ IP nodes)",
        "Version compliance (20 points)"
      ]
    },
    "capacity_score": {
      "range": "0-100",
      "factors": [
        "Storage committed (30 points, full at 100 GiB)",
        "Usage balance (40 points, best at 20-80%)",
        "Growth trend (30 points)"
      ]
    },
    "stake_confidence": {
      "formula": "(Trust × 0.6) + (Capacity × 0.4)",
      "tiers": {
        "low_risk": "80-100 (Best for staking)",
        "medium_risk": "60-79 (Acceptable)",
        "high_risk": "0-59 (Risky)"
      }
    }
  },
  "data_refresh": {
    "interval": "5 seconds",
    "method": "Background worker polls 9 IP nodes",
    "guarantee": "Data never older than 10 seconds"
  },
  "performance": {
    "response_times": {
      "health": "< 5ms",
      "pnodes": "< 20ms",
      "recommendations": "< 20ms",
      "network_health": "< 20ms"
    },
    "uptime": "99.9%",
    "rate_limits": "None (best practices: < 1 req/sec)"
  },
  "documentation": {"interactive_api_docs":"/docs","alternative_docs":"/redoc"},
  "resources": {
    "live_demo": "http://127.0.0.1:35717/",
    "discord": "Xandeum community Discord",
    "twitter": "Xandeum on X (Twitter)"
  },
  "quick_examples": {
    "get_top_5_nodes": {
      "bash": "curl 'http://127.0.0.1:35717/pnodes?limit=5&sort_by=score&sort_order=desc'",
      "python": "import requests\nprint(requests.get('http://127.0.0.1:35717/pnodes?limit=5&sort_by=score&sort_order=desc').json())",
      "javascript": "fetch('http://127.0.0.1:35717/pnodes?limit=5&sort_by=score&sort_order=desc').then(r => r.json()).then(console.log)"
    },
    "check_network_health": {
      "bash": "curl 'http://127.0.0.1:35717/network/health'",
      "python": "import requests\nprint(requests.get('http://127.0.0.1:35717/network/health').json())",
      "javascript": "fetch('http://127.0.0.1:35717/network/health').then(r => r.json()).then(console.log)"
    }
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExRegistryEntry = R"J({
  "entry": {
    "_id": "127.1.0.187:9015",
    "address": "127.1.0.187:9015",
    "pubkey": "TestPubkey14",
    "last_seen": 1795508276,
    "last_ip": "127.0.0.1:36055",
    "rpc_port": 6000,
    "is_public": true,
    "storage_committed": 10000000000,
    "storage_used": 5000000000,
    "storage_usage_percent": 50.0,
    "uptime": 3600,
    "version": "1.0.0",
    "last_checked": 1795511748,
    "first_seen": 1795508276,
    "source_ips": ["127.0.0.1:36055","127.0.0.1:37085","127.0.0.1:37943"],
    "created_at": 1795511678,
    "gossip_appearances": 1,
    "gossip_disappearances": 0,
    "last_gossip_appearance": 1795511678,
    "last_gossip_drop": null,
    "consistency_score": 1.0,
    "is_online": true,
    "scores": {
      "trust": {
        "score": 60.06,
        "breakdown": {
          "uptime": 0.06,
          "gossip_presence": 30.0,
          "version_compliance": 20,
          "gossip_consistency": 10.0
        }
      },
      "capacity": {
        "score": 57.79,
        "breakdown": {"storage_committed":2.79,"usage_balance":40,"growth_trend":15.0}
      },
      "stake_confidence": {
        "composite_score": 59.15,
        "rating": "high_risk",
        "color": "#ef4444",
        "emoji": "🔴"
      }
    },
    "score": 59.15,
    "tier": "high_risk",
    "peer_sources": ["127.0.0.1:36055","127.0.0.1:39497","127.0.0.1:42341"],
    "peer_count": 9
  },
  "status": {
    "_id": "127.1.0.187:9015",
    "address": "127.1.0.187:9015",
    "status": "public",
    "updated_at": 1795511748,
    "last_ip": "127.0.0.1:36055",
    "last_seen": 1795508276
  },
  "last_updated": 1795511748
})J";
constexpr std::string_view kExRegistry404 = R"J({
  "jsonrpc": "2.0",
  "error": {"code":-32603,"message":"Registry entry not found for address: 127.9.9.9:9001"},
  "id": 1
})J";
constexpr std::string_view kExPrune = R"J({"status":"ok","threshold_days":3650,"deleted_count":0})J";
constexpr std::string_view kExGraveyard = R"J({"count":0,"threshold_days":1,"items":[]})J";
constexpr std::string_view kExPnodes = R"J({
  "summary": {
    "total_pnodes": 204,
    "online_pnodes": 204,
    "offline_pnodes": 0,
    "snapshot_age_seconds": 3,
    "last_updated": 1795511748
  },
  "network_stats": {
    "total_storage_committed": 191343533861740,
    "total_storage_used": 5002278118,
    "avg_uptime_hours": 51.72,
    "version_distribution": {"0.8.0":144,"0.7.3":33,"0.8.0-trynet.20251212183600.9eea72e":5}
  },
  "pagination": {"total":204,"limit":5,"skip":0,"returned":5},
  "filters": {"status":"online","sort_by":"score","sort_order":"desc"},
  "pnodes": [
    {
      "address": "127.1.0.187:9015",
      "pubkey": "TestPubkey14",
      "is_online": true,
      "last_seen": 1795508276,
      "last_checked": 1795511748,
      "version": "1.0.0",
      "uptime": 3600,
      "is_public": true,
      "rpc_port": 6000,
      "storage_committed": 10000000000,
      "storage_used": 5000000000,
      "storage_usage_percent": 50.0,
      "peer_sources": ["127.0.0.1:36055","127.0.0.1:39497","127.0.0.1:42341"],
      "peer_count": 9,
      "first_seen": 1795508276,
      "source_ips": ["127.0.0.1:36055","127.0.0.1:37085","127.0.0.1:37943"],
      "scores": {
        "trust": {
          "score": 60.06,
          "breakdown": {
            "uptime": 0.06,
            "gossip_presence": 30.0,
            "version_compliance": 20,
            "gossip_consistency": 10.0
          }
        },
        "capacity": {
          "score": 57.79,
          "breakdown": {"storage_committed":2.79,"usage_balance":40,"growth_trend":15.0}
        },
        "stake_confidence": {
          "composite_score": 59.15,
          "rating": "high_risk",
          "color": "#ef4444",
          "emoji": "🔴"
        }
      },
      "score": 59.15,
      "tier": "high_risk"
    }
  ],
  "timestamp": 1795511751
})J";
constexpr std::string_view kExRecommendations = R"J({
  "recommendations": [
    {
      "address": "127.1.0.69:9001",
      "pubkey": "6eLbt3V5HNo7EJy9iRBDHy4cBL7LQTTyJhL74DqDnFDj",
      "score": 54.21,
      "tier": "high_risk",
      "scores": {
        "trust": 60.35,
        "capacity": 45.0,
        "breakdown": {
          "trust": {
            "uptime": 10.35,
            "gossip_presence": 30.0,
            "version_compliance": 10,
            "gossip_consistency": 10.0
          },
          "capacity": {"storage_committed":30.0,"usage_balance":0.0,"growth_trend":15.0}
        }
      },
      "uptime_days": 7.8,
      "version": "0.7.3",
      "storage_usage_percent": 0.0,
      "is_public": false,
      "peer_count": 9,
      "first_seen": 1795511675,
      "last_seen": 1795511745
    }
  ],
  "total_evaluated": 12,
  "filters": {"min_uptime_days":7,"require_public":false,"min_score":null},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExTopology = R"J({
  "nodes": [
    {
      "id": "127.0.0.1:36055",
      "type": "ip_node",
      "label": "127.0.0.1:36055",
      "group": "ip",
      "properties": {
        "active_streams": 2,
        "uptime": 208941,
        "cpu_percent": 2.315579652786255,
        "ram_used_percent": 16.47,
        "total_pods_reported": 199
      }
    },
    {
      "id": "127.1.0.112:9001",
      "type": "pnode",
      "label": "127.1.0.112",
      "group": "private",
      "properties": {
        "pubkey": "CxCtJpwQPQixQY8cP1gV6LpjhZBChCKv1KJe4JxYLMLc",
        "version": "0.8.0",
        "uptime": 242981,
        "storage_committed": 201000000000,
        "storage_used": 34,
        "storage_usage_percent": 1.6915422885572137e-08,
        "is_public": false,
        "peer_count": 8,
        "last_seen": 1795511742
      }
    }
  ],
  "edges": [{"source":"127.0.0.1:36055","target":"127.1.0.2:9001","type":"gossip_connection"}],
  "stats": {
    "total_nodes": 213,
    "ip_nodes": 9,
    "pnodes": 204,
    "total_connections": 1791,
    "avg_connections_per_pnode": 8.78,
    "timestamp": 1795511751
  }
})J";
constexpr std::string_view kExNetworkHealth = R"J({
  "health": {
    "health_score": 80.4,
    "status": "healthy",
    "factors": {
      "availability": 30.0,
      "version_consistency": 17.65,
      "node_quality": 12.75,
      "connectivity": 20.0
    }
  },
  "network_stats": {
    "total_storage_committed": 191343533861740,
    "total_storage_used": 5002278118,
    "avg_uptime_hours": 51.72,
    "version_distribution": {"0.8.0":144,"0.7.3":33,"0.8.0-trynet.20251212183600.9eea72e":5}
  },
  "summary": {
    "total_pnodes": 204,
    "online_pnodes": 204,
    "offline_pnodes": 0,
    "snapshot_age_seconds": 3,
    "last_updated": 1795511748,
    "total_storage": 191343533861740
  },
  "alerts": [
    {
      "severity": "medium",
      "type": "version_fragmentation",
      "message": "Network running 7 different versions",
      "recommendation": "Consider coordinating version upgrades"
    }
  ],
  "timestamp": 1795511751
})J";
constexpr std::string_view kExOperators = R"J({
  "summary": {
    "total_operators": 187,
    "total_nodes": 204,
    "avg_nodes_per_operator": 1.09,
    "largest_operator_share_percent": 5.39,
    "decentralization_score": 94.61
  },
  "operators": [
    {
      "pubkey": "4mdBqZATb3HxaXV3DjjxZfDKBj9cEXxJN99toPRZKBPx",
      "node_count": 11,
      "online_nodes": 11,
      "total_storage_committed": 118111600640,
      "total_storage_used": 0,
      "addresses": ["127.1.0.183:4548","127.1.0.184:23211","127.1.0.185:43914"],
      "versions": ["0.7.3"],
      "first_seen": 1795508275
    }
  ],
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNetworkHistory = R"J({
  "history": [
    {
      "_id": "1795511678",
      "timestamp": 1795511678,
      "total_pnodes": 204,
      "online_pnodes": 204,
      "total_ip_nodes": 9,
      "public_pnodes": 58,
      "private_pnodes": 146,
      "avg_cpu_percent": 1.31,
      "avg_ram_used_percent": 13.33,
      "total_active_streams": 18,
      "total_bytes_processed": 53174,
      "total_storage_committed": 191343533861740,
      "total_storage_used": 5002278118,
      "avg_storage_usage_percent": 0.49,
      "storage_utilization_ratio": 0.0,
      "avg_peer_count": 8.78,
      "version_distribution": {"0.7.1":2,"0.7.3":33,"0.8.0":144},
      "version_diversity_index": 7,
      "timestamp_readable": "2026-11-24 09:14:38 UTC"
    }
  ],
  "summary": {
    "data_points": 15,
    "time_range_hours": 24,
    "start_timestamp": 1795511678,
    "end_timestamp": 1795511748,
    "start_time_readable": "2026-11-24 09:14:38 UTC",
    "end_time_readable": "2026-11-24 09:15:48 UTC",
    "node_growth": {
      "start_count": 204,
      "end_count": 204,
      "growth": 0,
      "growth_percent": 0.0,
      "trend": "stable"
    },
    "storage_growth": {
      "start_committed": 191343533861740,
      "end_committed": 191343533861740,
      "growth": 0,
      "growth_percent": 0.0,
      "trend": "stable"
    },
    "network_health": {
      "start_avg_peers": 8.78,
      "end_avg_peers": 8.78,
      "peer_change": 0.0,
      "connectivity_trend": "stable"
    },
    "version_stability": {"start_version_count":7,"end_version_count":7,"stability":"stable"}
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNetworkGrowth = R"J({
  "growth_metrics": {
    "available": false,
    "message": "Insufficient historical data for growth calculation"
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExAnalytics = R"J({
  "current_state": {
    "total_pnodes": 204,
    "public_nodes": 58,
    "private_nodes": 146,
    "public_ratio_percent": 28.43
  },
  "growth": {
    "24_hours": {
      "available": false,
      "message": "Insufficient historical data for growth calculation"
    },
    "7_days": {"available":false,"message":"Insufficient historical data for growth calculation"}
  },
  "version_analysis": {
    "distribution": {"0.8.0":144,"0.7.3":33,"0.8.0-trynet.20251212183600.9eea72e":5},
    "latest_version": "0.8.0",
    "latest_version_count": 168,
    "outdated_count": 35,
    "compliance_percent": 82.35,
    "fragmentation_index": 7,
    "health": "good"
  },
  "storage_analysis": {
    "distribution": {"empty":203,"low":0,"optimal":1,"high":0,"critical":0},
    "optimal_nodes": 1,
    "optimal_percent": 0.49,
    "critical_nodes": 0,
    "health": "good"
  },
  "connectivity_analysis": {
    "distribution": {"isolated":0,"weak":0,"good":0,"excellent":204},
    "well_connected": 204,
    "well_connected_percent": 100.0,
    "isolated_nodes": 0,
    "health": "good"
  },
  "recommendations": [
    {
      "category": "storage",
      "severity": "low",
      "message": "203 nodes are underutilized (<10% usage)",
      "action": "Network may be over-provisioned or needs more usage"
    }
  ],
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNodeHistory = R"J({
  "address": "127.1.0.187:9015",
  "available": true,
  "data_points": 15,
  "time_range": {
    "start": 1795511678,
    "end": 1795511748,
    "start_readable": "2026-11-24 09:14:38 UTC",
    "end_readable": "2026-11-24 09:15:48 UTC",
    "days": 7
  },
  "history": [
    {
      "_id": "127.1.0.187:9015@1795511678",
      "address": "127.1.0.187:9015",
      "timestamp": 1795511678,
      "timestamp_readable": "2026-11-24 09:14:38 UTC",
      "is_online": true,
      "version": "1.0.0",
      "uptime": 3600,
      "storage_committed": 10000000000,
      "storage_used": 5000000000,
      "storage_usage_percent": 50.0,
      "peer_count": 9,
      "score": 59.15,
      "trust_score": 60.06,
      "capacity_score": 57.79,
      "is_public": true
    }
  ],
  "trends": {
    "uptime_change_seconds": 0,
    "uptime_change_hours": 0.0,
    "storage_used_change_bytes": 0,
    "storage_used_change_gb": 0.0,
    "score_change": 0.0,
    "score_trend": "stable"
  },
  "availability": {
    "online_snapshots": 15,
    "offline_snapshots": 0,
    "total_snapshots": 15,
    "availability_percent": 100.0
  },
  "current_status": {"is_online":true,"score":59.15,"uptime":3600,"storage_usage_percent":50.0}
})J";
constexpr std::string_view kExNodeMetrics = R"J({
  "address": "127.1.0.187:9015",
  "metrics": {
    "available": true,
    "time_range_hours": 24,
    "snapshots_analyzed": 15,
    "availability_percent": 100.0,
    "avg_score": 59.15,
    "avg_storage_usage": 50.0,
    "avg_peer_count": 9.0,
    "min_score": 59.15,
    "max_score": 59.15
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExHistoryStatus = R"J({
  "total_nodes_with_history": 204,
  "nodes": [
    {
      "address": "127.1.0.100:9001",
      "snapshots": 15,
      "first_seen": 1795511678,
      "last_seen": 1795511748,
      "days_tracked": 0.0008101851851851852
    }
  ],
  "global_stats": {
    "oldest_snapshot": 1795511678,
    "newest_snapshot": 1795511748,
    "total_snapshots": 3060
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNodeAlerts = R"J({
  "address": "127.1.0.187:9015",
  "alerts": [
    {
      "severity": "warning",
      "type": "low_uptime",
      "message": "Low uptime: 1 hours",
      "metric": "uptime",
      "value": 3600,
      "threshold": 86400,
      "recommendation": "Monitor for stability issues"
    }
  ],
  "summary": {"total":1,"critical":0,"warning":1,"info":0,"by_type":{"low_uptime":1}},
  "node_info": {
    "is_online": true,
    "uptime": 3600,
    "version": "1.0.0",
    "storage_usage_percent": 50.0,
    "peer_count": 9,
    "last_seen": 1795508276
  },
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNodeAlerts404 = R"J({"error":"Node not found: 127.9.9.9:9001","suggestion":"Check /registry for valid addresses"})J";
constexpr std::string_view kExAlerts = R"J({
  "summary": {
    "total": 122,
    "critical": 0,
    "warning": 22,
    "info": 100,
    "by_type": {"underutilized":100,"version_behind":11,"low_uptime":11}
  },
  "critical_nodes": [],
  "nodes_checked": 100,
  "nodes_with_alerts": 100,
  "filters": {"severity":null,"alert_type":null},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExAlertsCritical = R"J({
  "summary": {"total":3,"critical":3,"warning":0,"info":0,"by_type":{"low_uptime":3}},
  "critical_nodes": [
    {
      "address": "127.1.0.182:14464",
      "alert_count": 3,
      "critical_alerts": [
        {
          "severity": "critical",
          "type": "low_uptime",
          "message": "Very low uptime: 0 minutes",
          "metric": "uptime",
          "value": 0,
          "threshold": 3600,
          "recommendation": "Node may be restarting frequently"
        }
      ]
    }
  ],
  "nodes_checked": 204,
  "nodes_with_alerts": 204,
  "filters": {"severity":"critical","alert_type":null},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExCompare = R"J({
  "comparison": [
    {
      "address": "127.1.0.187:9015",
      "pubkey": "TestPubkey14",
      "is_online": true,
      "last_seen": 1795508276,
      "last_checked": 1795511748,
      "version": "1.0.0",
      "uptime": 3600,
      "is_public": true,
      "rpc_port": 6000,
      "storage_committed": 10000000000,
      "storage_used": 5000000000,
      "storage_usage_percent": 50.0,
      "peer_sources": ["127.0.0.1:36055","127.0.0.1:39497","127.0.0.1:42341"],
      "peer_count": 9,
      "first_seen": 1795508276,
      "source_ips": ["127.0.0.1:36055","127.0.0.1:37085","127.0.0.1:37943"],
      "scores": {
        "trust": {
          "score": 60.06,
          "breakdown": {
            "uptime": 0.06,
            "gossip_presence": 30.0,
            "version_compliance": 20,
            "gossip_consistency": 10.0
          }
        },
        "capacity": {
          "score": 57.79,
          "breakdown": {"storage_committed":2.79,"usage_balance":40,"growth_trend":15.0}
        },
        "stake_confidence": {
          "composite_score": 59.15,
          "rating": "high_risk",
          "color": "#ef4444",
          "emoji": "🔴"
        }
      },
      "score": 59.15,
      "tier": "high_risk"
    }
  ],
  "winners": {
    "overall_score": {
      "address": "127.1.0.187:9015",
      "score": 59.15,
      "category": "Best overall performance"
    },
    "trust_score": {
      "address": "127.1.0.118:9001",
      "score": 66.37,
      "category": "Most reliable/trustworthy"
    },
    "capacity_score": {
      "address": "127.1.0.187:9015",
      "score": 57.79,
      "category": "Best storage capacity management"
    },
    "best_uptime": {
      "address": "127.1.0.118:9001",
      "uptime": 412954,
      "uptime_days": 4.8,
      "category": "Longest uptime"
    },
    "most_storage": {
      "address": "127.1.0.118:9001",
      "storage": 100000000000,
      "storage_gb": 93.13,
      "category": "Most storage committed"
    },
    "best_connectivity": {
      "address": "127.1.0.187:9015",
      "peers": 9,
      "category": "Best network connectivity"
    }
  },
  "recommendation": {
    "recommended_node": "127.1.0.187:9015",
    "reason": "Highest overall score (59.1/100)",
    "considerations": ["127.1.0.118:9001 has better reliability (trust score: 66.4)"]
  },
  "summary": {"nodes_compared":2,"all_online":true,"avg_score":58.08},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExCompare400 = R"J({
  "error": "Must provide at least 2 addresses to compare",
  "example": "?addresses=addr1:9001,addr2:9001"
})J";
constexpr std::string_view kExCompare404 = R"J({
  "error": "Some addresses not found",
  "missing": ["127.9.9.9:9001"],
  "suggestion": "Check /pnodes for valid addresses"
})J";
constexpr std::string_view kExConsistency = R"J({
  "nodes": [
    {
      "address": "127.1.0.100:9001",
      "consistency_score": 1.0,
      "gossip_appearances": 1,
      "gossip_disappearances": 0,
      "last_drop": null,
      "last_appearance": 1795511678,
      "time_since_last_drop_seconds": null,
      "time_since_last_appearance_seconds": 73,
      "status": "stable",
      "is_online": true
    }
  ],
  "summary": {
    "total_nodes": 204,
    "avg_consistency_score": 1.0,
    "flapping_nodes": 0,
    "stable_nodes": 204,
    "total_network_appearances": 204,
    "total_network_disappearances": 0,
    "network_health": "excellent"
  },
  "flapping_nodes": [],
  "filters": {"min_consistency":0.0,"sort_by":"consistency_score"},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNodeConsistency = R"J({
  "address": "127.1.0.187:9015",
  "consistency": {
    "score": 1.0,
    "status": "stable",
    "status_emoji": "🟢",
    "appearances": 1,
    "disappearances": 0,
    "ratio": "1:0",
    "total_events": 1
  },
  "recent_activity": {
    "last_drop": null,
    "last_drop_readable": null,
    "time_since_drop_seconds": null,
    "time_since_drop_hours": null,
    "last_appearance": 1795511678,
    "last_appearance_readable": "2026-11-24 09:14:38 UTC",
    "time_since_appearance_seconds": 73,
    "time_since_appearance_hours": 0.02
  },
  "recommendations": [
    {
      "severity": "info",
      "issue": "No issues detected",
      "recommendation": "Node has stable gossip presence",
      "action": "Continue normal operations"
    }
  ],
  "node_info": {"is_online":true,"version":"1.0.0","first_seen":1795508276,"last_seen":1795508276},
  "timestamp": 1795511751
})J";
constexpr std::string_view kExNodeConsistency404 = R"J({
  "error": "Node not found: 127.9.9.9:9001",
  "suggestion": "Check /registry or /pnodes for valid addresses"
})J";
constexpr std::string_view kExRegistryList = R"J({
  "count": 2,
  "items": [
    {
      "_id": "127.1.0.102:9001",
      "address": "127.1.0.102:9001",
      "pubkey": "EjyBTxCBBXdtBa8DmyUWoD6f1JGJ5J3sdcDQh7tCDHwt",
      "last_seen": 1795511748,
      "last_ip": "127.0.0.1:36055",
      "rpc_port": 6000,
      "is_public": false,
      "storage_committed": 527000000000,
      "storage_used": 0,
      "storage_usage_percent": 0.0,
      "uptime": 243754,
      "version": "0.8.0",
      "last_checked": 1795511748,
      "first_seen": 1795511678,
      "source_ips": ["127.0.0.1:36055","127.0.0.1:37085","127.0.0.1:37943"],
      "created_at": 1795511678,
      "gossip_appearances": 1,
      "gossip_disappearances": 0,
      "last_gossip_appearance": 1795511678,
      "last_gossip_drop": null,
      "consistency_score": 1.0,
      "is_online": true
    }
  ]
})J";
constexpr std::string_view kExAllNodes = R"J({
  "summary": {
    "total_nodes": 9,
    "total_pnodes": 204,
    "total_pnodes_raw": 1791,
    "total_bytes_processed": 53174,
    "avg_cpu_percent": 1.51,
    "avg_ram_used_percent": 12.41,
    "total_active_streams": 18,
    "last_updated": 1795511748,
    "seeds_responding": 9
  },
  "nodes": {
    "127.0.0.1:36055": {
      "metadata": {
        "total_bytes": 1590,
        "total_pages": 0,
        "last_updated": 1795295795,
        "file_size": 340000000000
      },
      "stats": {
        "cpu_percent": 2.315579652786255,
        "ram_used": 677267382,
        "ram_total": 4111622144,
        "uptime": 208941,
        "packets_received": 6268498,
        "packets_sent": 7108487,
        "active_streams": 2
      },
      "pods_total_count": 199,
      "pods": [
        {
          "address": "127.1.0.2:9001",
          "pubkey": "74h474xGaHCeJdofjdGU12oNuBYf8oQRvBAkReQ2K8L6",
          "is_public": false,
          "rpc_port": 6000,
          "storage_committed": 368000000000,
          "storage_used": 901,
          "storage_usage_percent": 2.4483695652173914e-07,
          "uptime": 243421,
          "version": "0.8.0",
          "last_seen": null,
          "last_seen_timestamp": 1795511742,
          "source_ip": "127.0.0.1:36055"
        }
      ]
    }
  },
  "merged_pnodes_raw": [
    {
      "address": "127.1.0.2:9001",
      "pubkey": "74h474xGaHCeJdofjdGU12oNuBYf8oQRvBAkReQ2K8L6",
      "is_public": false,
      "rpc_port": 6000,
      "storage_committed": 368000000000,
      "storage_used": 901,
      "storage_usage_percent": 2.4483695652173914e-07,
      "uptime": 243421,
      "version": "0.8.0",
      "last_seen": null,
      "last_seen_timestamp": 1795511742,
      "source_ip": "127.0.0.1:36055"
    }
  ],
  "merged_pnodes_unique": [
    {
      "address": "127.1.0.2:9001",
      "pubkey": "74h474xGaHCeJdofjdGU12oNuBYf8oQRvBAkReQ2K8L6",
      "is_public": false,
      "rpc_port": 6000,
      "storage_committed": 368000000000,
      "storage_used": 901,
      "storage_usage_percent": 2.4483695652173914e-07,
      "uptime": 243421,
      "version": "0.8.0",
      "last_seen": null,
      "last_seen_timestamp": 1795511742,
      "source_ip": "127.0.0.1:36055",
      "peer_sources": ["127.0.0.1:36055","127.0.0.1:39497","127.0.0.1:42341"]
    }
  ]
})J";
constexpr std::string_view kExMetrics = R"J(# HELP http_requests_total HTTP requests answered, by route pattern, method and status.
# TYPE http_requests_total counter
http_requests_total{route="/",method="GET",status="200"} 2
http_requests_total{route="/alerts",method="GET",status="200"} 1
http_requests_total{route="/alerts/critical",method="GET",status="200"} 1
# HELP pnode_cycles_total Collector cycles, by outcome.
# TYPE pnode_cycles_total counter
pnode_cycles_total{outcome="ok"} 15
# HELP pnode_snapshot_age_seconds Seconds since the snapshot being served was published (absent before the first one).
# TYPE pnode_snapshot_age_seconds gauge
pnode_snapshot_age_seconds 3
# HELP pnode_pods Known pods in the last cycle, by state (online: in the gossip view).
# TYPE pnode_pods gauge
pnode_pods{state="online"} 204
)J";

// Snapshot routes answer this before the collector's first cycle.
constexpr std::string_view kExUnavailable = R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Snapshot not available"},"id":1})";
constexpr std::string_view kExHealth503 =
    R"({"status":"unhealthy","reason":"No snapshot available","message":"Background worker may not have run yet","timestamp":1795510700})";
constexpr std::string_view kExPrune401 = R"({"detail":"Invalid or missing admin token"})";
constexpr std::string_view kExPrune403 =
    R"J({"detail":"DELETE /prune is disabled: no admin token is configured (ADMIN_TOKEN)"})J";
constexpr std::string_view kExNodeAlerts500 =
    R"({"error":"Alert check failed","details":"alerts are not available for this node"})";
constexpr std::string_view kExHistoryStatus500 =
    R"({"error":"Failed to retrieve history status","details":"History store unavailable"})";
constexpr std::string_view kExHistory500 =
    R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Failed to read network history"},"id":1})";
constexpr std::string_view kExCompareTooMany = R"({"error":"Maximum 5 nodes can be compared at once","provided":6})";
constexpr std::string_view kExAllNodes503 =
    R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Snapshot not yet available"},"id":1})";

const ResponseDoc kUnavailable{503, "No snapshot yet: the collector has not finished its first cycle.", "\"$JsonRpcError\"",
                               kExUnavailable};

}  // namespace

std::string_view api_description() {
  return "Real-time analytics for the Xandeum storage network: every pNode seen in gossip, scored for stakers "
         "(trust, capacity, stake confidence), with alerts, history, operators, topology and gossip consistency.\n\n"
         "Compatible with the reference service's API: same paths, query parameters, defaults, validation (422 "
         "bodies in the pydantic v2 shape), status codes, error bodies and JSON field names and types. Fields are "
         "only ever added, never renamed. is_online has one meaning everywhere: the node is in the latest merged "
         "gossip view. Snapshot routes read the in-memory snapshot of the last collection cycle "
         "(503 before the first one); history routes read the store.\n\n"
         "Deliberate differences from the reference: HEAD is answered on every GET route; /pnodes counts are "
         "status-independent; skip < 0 is a 422; CORS \"https://*.suffix\" origins are real wildcards; /health adds "
         "\"uptime\"; /network/health works (the reference always answered 500) and adds summary.total_storage; "
         "internal callers answer 503 rather than 500 without a snapshot; DELETE /prune needs an admin token and "
         "days >= 1; /graveyard validates its parameters; /registry/{address} adds the unified-node fields "
         "(scores, score, tier, peer_sources, peer_count) and last_updated; history items add online_pnodes; "
         "/alerts/critical is exactly /alerts?severity=critical&limit=1000; registry _id is the address (a stable "
         "string, not a MongoDB ObjectId); errors never leak exception text.";
}

const std::vector<TagDoc>& tags() {
  static const std::vector<TagDoc> kTags{
      {"status", "Service health and the API overview."},
      {"nodes", "The unified, scored node list and what is derived from it: recommendations, operators, comparison."},
      {"network", "Network-wide views of the current snapshot: health, topology, analytics."},
      {"history", "Time series kept in the store: network history and growth, per-node history."},
      {"alerts", "Alerts for one node or across the network."},
      {"consistency", "Gossip consistency: how steadily nodes stay in the gossip views of the seeds."},
      {"registry", "Every node ever seen (the registry), the graveyard of long-gone nodes, and pruning."},
      {"legacy", "Routes the reference removed but its tests and docs still call."},
      {"operations", "Not in the reference: Prometheus metrics and this documentation."},
  };
  return kTags;
}

const std::vector<SchemaDoc>& schemas() {
  static const std::vector<SchemaDoc> kSchemas{
      {"JsonRpcError", R"({"//":"The reference's JSON-RPC style error body (code -32603).",
          "jsonrpc":"enum:2.0","error":{"code":"integer","message":"string"},"id":"integer"})"},
      {"HTTPValidationError", R"({"//":"422 body: every invalid query parameter, in declaration order (pydantic v2).",
          "detail":[{"type":"string // int_parsing, float_parsing, bool_parsing, greater_than_equal, less_than_equal, string_pattern_mismatch or missing",
                     "loc":["string"],"msg":"string","input":"string? // the raw value; null when missing",
                     "?ctx":"object // {\"ge\":n}, {\"le\":n} or {\"pattern\":\"...\"}"}]})"},
      {"HTTPError", R"({"detail":"string"})"},
      {"NodeNotFound", R"({"error":"string","suggestion":"string"})"},
      {"ErrorDetails", R"({"error":"string","details":"string"})"},
      {"TrustBreakdown", R"({"//":"Empty for offline and unscored nodes.",
          "?uptime":"number","?gossip_presence":"number","?version_compliance":"integer","?gossip_consistency":"number"})"},
      {"CapacityBreakdown", R"({"//":"Empty for offline and unscored nodes.",
          "?storage_committed":"number","?usage_balance":"number","?growth_trend":"number"})"},
      {"Scores", R"({"trust":{"score":"number // 0-100","breakdown":"$TrustBreakdown"},
          "capacity":{"score":"number // 0-100","breakdown":"$CapacityBreakdown"},
          "stake_confidence":{"composite_score":"number // trust x 0.6 + capacity x 0.4",
                              "rating":"enum:low_risk|medium_risk|high_risk|offline|unknown",
                              "?color":"string // online nodes only","?emoji":"string // online nodes only"}})"},
      {"UnifiedNode", R"({"//":"One node of the unified list: online nodes from the snapshot, offline ones from the registry.",
          "address":"string // IP:gossip port","pubkey":"string","is_online":"boolean","last_seen":"integer // unix s",
          "last_checked":"integer // unix s","?offline_duration":"integer // offline nodes only: last_checked - last_seen",
          "version":"string","uptime":"integer // seconds","is_public":"boolean","rpc_port":"integer",
          "storage_committed":"integer // bytes","storage_used":"integer // bytes","storage_usage_percent":"number",
          "peer_sources":["string"],"peer_count":"integer // seeds that reported the node","first_seen":"integer // unix s",
          "source_ips":["string"],"scores":"$Scores","score":"number // stake_confidence.composite_score",
          "tier":"string // stake_confidence.rating"})"},
      {"PnodesSummary", R"({"total_pnodes":"integer","online_pnodes":"integer","offline_pnodes":"integer",
          "snapshot_age_seconds":"integer","last_updated":"integer // unix s"})"},
      {"NetworkStats", R"({"total_storage_committed":"integer","total_storage_used":"integer",
          "avg_uptime_hours":"number // over online nodes",
          "version_distribution":{"*":"integer // online nodes per version"}})"},
      {"Alert", R"({"severity":"enum:critical|warning|info","type":"string","message":"string","metric":"string",
          "value":"number|string","threshold":"number|string","?last_seen":"integer // offline alerts only",
          "recommendation":"string"})"},
      {"AlertSummary", R"({"total":"integer","critical":"integer","warning":"integer","info":"integer",
          "by_type":{"*":"integer"}})"},
      {"AlertsReport", R"({"summary":"$AlertSummary",
          "critical_nodes":[{"address":"string","alert_count":"integer","critical_alerts":["$Alert"]}],
          "nodes_checked":"integer","nodes_with_alerts":"integer",
          "filters":{"severity":"string?","alert_type":"string?"},"timestamp":"integer"})"},
      {"RegistryDoc", R"({"//":"A registry entry as stored: every node ever seen.",
          "_id":"string","address":"string","pubkey":"string","last_seen":"integer","last_ip":"string",
          "rpc_port":"integer","is_public":"boolean","storage_committed":"integer","storage_used":"integer",
          "storage_usage_percent":"number","uptime":"integer","version":"string","last_checked":"integer",
          "first_seen":"integer","source_ips":["string"],"created_at":"integer",
          "?gossip_appearances":"integer","?gossip_disappearances":"integer","?last_gossip_appearance":"integer?",
          "?last_gossip_drop":"integer?","?consistency_score":"number"})"},
      {"RegistryEntry", R"({"//":"A registry entry with is_online (in the latest merged gossip view).",
          "_id":"string","address":"string","pubkey":"string","last_seen":"integer","last_ip":"string",
          "rpc_port":"integer","is_public":"boolean","storage_committed":"integer","storage_used":"integer",
          "storage_usage_percent":"number","uptime":"integer","version":"string","last_checked":"integer",
          "first_seen":"integer","source_ips":["string"],"created_at":"integer",
          "?gossip_appearances":"integer","?gossip_disappearances":"integer","?last_gossip_appearance":"integer?",
          "?last_gossip_drop":"integer?","?consistency_score":"number","is_online":"boolean"})"},
      {"Pod", R"({"//":"A pod as a seed reported it (get-pods-with-stats), with the seed that reported it.",
          "address":"string","pubkey":"string","?is_public":"boolean?","?rpc_port":"integer?",
          "?storage_committed":"integer?","?storage_used":"integer?","?storage_usage_percent":"number?",
          "?uptime":"integer?","version":"string","last_seen":"any","last_seen_timestamp":"integer",
          "source_ip":"string","?peer_sources":["string"]})"},
      {"NetworkHistoryItem", R"({"_id":"string","timestamp":"integer","total_pnodes":"integer",
          "online_pnodes":"integer // added: the frontend reads it","total_ip_nodes":"integer","public_pnodes":"integer",
          "private_pnodes":"integer","avg_cpu_percent":"number","avg_ram_used_percent":"number",
          "total_active_streams":"integer","total_bytes_processed":"integer","total_storage_committed":"integer",
          "total_storage_used":"integer","avg_storage_usage_percent":"number","storage_utilization_ratio":"number",
          "avg_peer_count":"number","version_distribution":{"*":"integer"},"version_diversity_index":"integer",
          "timestamp_readable":"string"})"},
      {"NodeHistoryItem", R"({"_id":"string","address":"string","timestamp":"integer","timestamp_readable":"string",
          "is_online":"boolean","version":"string","uptime":"integer","storage_committed":"integer",
          "storage_used":"integer","storage_usage_percent":"number","peer_count":"integer","score":"number",
          "trust_score":"number","capacity_score":"number","is_public":"boolean"})"},
      {"GrowthMetrics", R"({"//":"Growth between the newest sample and the newest one at least period_hours older; only available and message when there is not enough history.",
          "available":"boolean","?message":"string","?period_hours":"integer",
          "?comparison":{"start_time":"integer","end_time":"integer","start_time_readable":"string","end_time_readable":"string"},
          "?nodes":{"start_count":"integer","end_count":"integer","growth":"integer","growth_percent":"number"},
          "?storage":{"start_committed":"integer","end_committed":"integer","growth":"integer","growth_percent":"number"},
          "?network_health":{"start_peer_count":"number","end_peer_count":"number","peer_count_change":"number"}})"},
  };
  return kSchemas;
}

const std::vector<RouteDoc>& routes() {
  const ParamDoc address{"address", "The node's address, IP:gossip port, as listed by /pnodes.", "127.1.0.2:9001"};
  static const std::vector<RouteDoc> kRoutes{
      {"GET", "/health", "status", "Service health and snapshot freshness",
       "\"healthy\" while the last snapshot is younger than 2 x CACHE_TTL, else \"degraded\" (still 200); 503 "
       "\"unhealthy\" before the first collection cycle. Adds \"uptime\" (process uptime in seconds), which the "
       "reference's dashboard reads but the reference never sent.",
       {},
       {{200, "Snapshot age, counts and process uptime.",
         R"({"status":"enum:healthy|degraded","message":"string","snapshot_age_seconds":"integer",
             "last_updated":"integer // unix s","cache_ttl":"integer","total_pnodes":"integer",
             "total_ip_nodes":"integer // configured seeds, failing ones included","timestamp":"integer",
             "uptime":"integer // added: process uptime in seconds"})",
         kExHealth},
        {503, "No snapshot yet.", R"({"status":"enum:unhealthy","reason":"string","message":"string","timestamp":"integer"})",
         kExHealth503}}},
      {"GET", "/", "status", "API overview",
       "A mostly static description of the API (endpoints, scoring, examples) plus the system status. "
       "api_name and version are exact; the descriptive texts are paraphrased from the reference.",
       {},
       {{200, "The overview.",
         R"({"api_name":"string","version":"string","description":"string","tagline":"string",
             "system_status":{"status":"enum:operational|initializing","nodes_tracked":"integer",
                              "?snapshot_age_seconds":"integer","?last_updated":"integer","?message":"string"},
             "features":{"*":"string"},
             "core_endpoints":{"*":{"path":"string","description":"string","example":"string"}},
             "analytics_endpoints":{"*":{"path":"string","description":"string","example":"string"}},
             "alert_endpoints":{"*":{"path":"string","description":"string","example":"string"}},
             "advanced_endpoints":{"*":{"path":"string","description":"string","example":"string"}},
             "registry_endpoints":{"*":{"path":"string","description":"string","example":"string"}},
             "use_cases":{"*":{"description":"string","workflow":["string"]}},
             "scoring_system":{"trust_score":{"range":"string","factors":["string"]},
                               "capacity_score":{"range":"string","factors":["string"]},
                               "stake_confidence":{"formula":"string","tiers":{"*":"string"}}},
             "data_refresh":{"interval":"string","method":"string","guarantee":"string"},
             "performance":{"response_times":{"*":"string"},"uptime":"string","rate_limits":"string"},
             "documentation":{"interactive_api_docs":"string","alternative_docs":"string"},
             "resources":{"*":"string"},
             "quick_examples":{"*":{"bash":"string","python":"string","javascript":"string"}},
             "timestamp":"integer"})",
         kExRoot}}},
      {"GET", "/registry/{address:path}", "registry", "One registry entry and its status",
       "The registry entry (every node ever seen) with is_online, plus the unified-node fields the reference's NodeDetails page reads (scores, score, tier, peer_sources, "
       "peer_count; the offline form when the node is not in the snapshot) and the snapshot's last_updated.",
       {address},
       {{200, "The entry and its public/private status document.",
         R"({"entry":{"_id":"string","address":"string","pubkey":"string","last_seen":"integer","last_ip":"string",
                      "rpc_port":"integer","is_public":"boolean","storage_committed":"integer","storage_used":"integer",
                      "storage_usage_percent":"number","uptime":"integer","version":"string","last_checked":"integer",
                      "first_seen":"integer","source_ips":["string"],"created_at":"integer",
                      "?gossip_appearances":"integer","?gossip_disappearances":"integer",
                      "?last_gossip_appearance":"integer?","?last_gossip_drop":"integer?","?consistency_score":"number",
                      "is_online":"boolean","scores":"$Scores // added","score":"number // added","tier":"string // added",
                      "peer_sources":["string"],"peer_count":"integer // added"},
             "status":"object? // {_id, address, status: public|private, updated_at, last_ip, last_seen}",
             "?last_updated":"integer // added: the snapshot's time"})",
         kExRegistryEntry},
        {404, "No registry entry has this address (an empty address included).", "\"$JsonRpcError\"", kExRegistry404},
        kUnavailable}},
      {"DELETE", "/prune", "registry", "Delete registry entries not seen for N days",
       "Deletes the registry entries whose last_seen is older than now - days. Unlike the reference it needs "
       "\"Authorization: Bearer <ADMIN_TOKEN>\" (403 when the server has no token, 401 when it does not match) "
       "and days >= 1.",
       {{"days", "Entries last seen more than this many days ago are deleted."}},
       {{200, "How many entries were deleted.",
         R"({"status":"enum:ok","threshold_days":"integer","deleted_count":"integer"})", kExPrune},
        {401, "Missing or wrong bearer token (with WWW-Authenticate: Bearer).", "\"$HTTPError\"", kExPrune401},
        {403, "The server has no admin token: pruning is disabled.", "\"$HTTPError\"", kExPrune403},
        {500, "The store could not be updated.", "\"$JsonRpcError\""}},
       true},
      {"GET", "/graveyard", "registry", "Registry entries not seen for N days",
       "Registry entries whose last_seen is older than now - days, most recently seen first. Items have no "
       "is_online. The reference accepted any integer; here days >= 1, skip >= 0 and 1 <= limit <= 1000.",
       {{"days", "Entries last seen more than this many days ago."},
        {"skip", "Entries to skip (paging)."},
        {"limit", "Entries to return at most."}},
       {{200, "The entries.", R"({"count":"integer // items returned","threshold_days":"integer","items":["$RegistryDoc"]})",
         kExGraveyard},
        kUnavailable}},
      {"GET", "/pnodes", "nodes", "The unified, scored node list (primary endpoint)",
       "Online nodes are those in the latest merged gossip view; every other registry node is offline (the "
       "reference also dropped nodes that had left the view less than 2 x CACHE_TTL ago). "
       "Filtered by status, sorted, then paged. Counts and network_stats cover every node whatever the status "
       "filter (the reference built them from the filtered list; the dashboard expects the documented, "
       "status-independent ones). Ties keep the build order (snapshot order, then registry order).",
       {{"status", "Which nodes to list (counts are unaffected)."},
        {"limit", "Nodes per page."},
        {"skip", "Nodes to skip (paging). The reference used Python slicing for negative values; here they are a 422."},
        {"sort_by", "Sort key."},
        {"sort_order", "Sort direction."}},
       {{200, "One page of nodes with counts, network aggregates and the paging and filters used.",
         R"({"summary":"$PnodesSummary","network_stats":"$NetworkStats",
             "pagination":{"total":"integer // nodes after the status filter","limit":"integer","skip":"integer",
                           "returned":"integer"},
             "filters":{"status":"string","sort_by":"string","sort_order":"string"},
             "pnodes":["$UnifiedNode"],"timestamp":"integer"})",
         kExPnodes},
        kUnavailable}},
      {"GET", "/recommendations", "nodes", "Top nodes for staking",
       "Online nodes with uptime >= min_uptime_days (and public ones only with require_public), by score "
       "descending. Here scores.trust and scores.capacity are numbers (objects in /pnodes). min_score is "
       "documented by the reference but was never implemented there; here it excludes nodes scoring below it.",
       {{"limit", "Recommendations to return."},
        {"min_uptime_days", "Minimum uptime in days. A young network may have no node old enough."},
        {"require_public", "Only nodes with a public pRPC endpoint."},
        {"min_score", "Only nodes scoring at least this (not in the reference).", "50"}},
       {{200, "The recommendations.",
         R"({"recommendations":[{"address":"string","pubkey":"string","score":"number","tier":"string",
               "scores":{"trust":"number","capacity":"number",
                         "breakdown":{"trust":"$TrustBreakdown","capacity":"$CapacityBreakdown"}},
               "uptime_days":"number","version":"string","storage_usage_percent":"number","is_public":"boolean",
               "peer_count":"integer","first_seen":"integer","last_seen":"integer"}],
             "total_evaluated":"integer // nodes that passed the filters, before limit",
             "filters":{"min_uptime_days":"integer","require_public":"boolean","?min_score":"number?"},
             "timestamp":"integer"})",
         kExRecommendations},
        kUnavailable}},
      {"GET", "/network/topology", "network", "Graph of seeds and the pNodes they report",
       "One vertex per configured seed (ip_node) and per pNode in the snapshot, one edge per (seed, pNode) gossip "
       "report. The timestamp is in stats (there is no top-level one, as in the reference).",
       {},
       {{200, "The graph.",
         R"({"nodes":[{"id":"string","type":"enum:ip_node|pnode","label":"string","group":"enum:ip|public|private",
                       "properties":{"//":"ip_node: active_streams, uptime, cpu_percent, ram_used_percent, total_pods_reported; pnode: pubkey, version, uptime, storage_committed, storage_used, storage_usage_percent, is_public, peer_count, last_seen",
                                     "*":"any"}}],
             "edges":[{"source":"string // seed","target":"string // pNode address","type":"enum:gossip_connection"}],
             "stats":{"total_nodes":"integer","ip_nodes":"integer","pnodes":"integer","total_connections":"integer",
                      "avg_connections_per_pnode":"number","timestamp":"integer"}})",
         kExTopology},
        kUnavailable}},
      {"GET", "/network/health", "network", "Network health score and network alerts",
       "Always answered 500 in the reference (a missing import); implemented here as documented. Adds "
       "summary.total_storage (= network_stats.total_storage_committed), which the dashboard reads.",
       {},
       {{200, "The health score with its factors, the /pnodes aggregates and network alerts.",
         R"({"health":{"health_score":"number // 0-100","status":"enum:healthy|fair|degraded|critical|unknown",
                       "factors":{"availability":"number","version_consistency":"number","node_quality":"number",
                                  "connectivity":"number"}},
             "network_stats":"$NetworkStats",
             "summary":{"total_pnodes":"integer","online_pnodes":"integer","offline_pnodes":"integer",
                        "snapshot_age_seconds":"integer","last_updated":"integer",
                        "total_storage":"integer // added: total committed bytes"},
             "alerts":[{"severity":"enum:high|medium","type":"string","message":"string","recommendation":"string"}],
             "timestamp":"integer"})",
         kExNetworkHealth},
        kUnavailable}},
      {"GET", "/operators", "nodes", "Nodes grouped by operator (pubkey)",
       "Groups every node by pubkey (by address when the pubkey is empty), largest operators first. The summary "
       "covers every operator with at least min_nodes nodes, before limit.",
       {{"limit", "Operators to return."}, {"min_nodes", "Only operators running at least this many nodes."}},
       {{200, "Operators and decentralisation figures.",
         R"({"summary":{"total_operators":"integer","total_nodes":"integer","avg_nodes_per_operator":"number",
                        "largest_operator_share_percent":"number","decentralization_score":"number"},
             "operators":[{"pubkey":"string","node_count":"integer","online_nodes":"integer",
                           "total_storage_committed":"integer","total_storage_used":"integer",
                           "addresses":["string"],"versions":["string"],"first_seen":"integer"}],
             "timestamp":"integer"})",
         kExOperators},
        kUnavailable}},
      {"GET", "/network/history", "history", "Network time series",
       "One sample per collection cycle (older ones are thinned by retention), oldest first, with a summary of "
       "the change over the window. Without samples the summary has only data_points, time_range_hours and a "
       "message. Items add online_pnodes, which the dashboard chart reads.",
       {{"hours", "Window, in hours back from now."}},
       {{200, "The samples and their summary.",
         R"({"history":["$NetworkHistoryItem"],
             "summary":{"data_points":"integer","time_range_hours":"integer","?message":"string",
                        "?start_timestamp":"integer","?end_timestamp":"integer","?start_time_readable":"string",
                        "?end_time_readable":"string",
                        "?node_growth":{"start_count":"integer","end_count":"integer","growth":"integer",
                                        "growth_percent":"number","trend":"enum:growing|declining|stable"},
                        "?storage_growth":{"start_committed":"integer","end_committed":"integer","growth":"integer",
                                           "growth_percent":"number","trend":"enum:growing|declining|stable"},
                        "?network_health":{"start_avg_peers":"number","end_avg_peers":"number","peer_change":"number",
                                           "connectivity_trend":"enum:improving|declining|stable"},
                        "?version_stability":{"start_version_count":"integer","end_version_count":"integer",
                                              "stability":"enum:improving|fragmenting|stable"}},
             "timestamp":"integer"})",
         kExNetworkHistory},
        {500, "The store could not be read.", "\"$JsonRpcError\"", kExHistory500}}},
      {"GET", "/network/growth", "history", "Growth against N hours ago",
       "Compares the newest sample with the newest one at least `hours` old. available is false until the "
       "history reaches back that far.",
       {{"hours", "How far back to compare, in hours."}},
       {{200, "The growth metrics.", R"({"growth_metrics":"$GrowthMetrics","timestamp":"integer"})", kExNetworkGrowth},
        {500, "The store could not be read.", "\"$JsonRpcError\"", kExHistory500}}},
      {"GET", "/network/analytics", "network", "Distributions and recommendations",
       "Over the nodes of the current snapshot: public share, version compliance against the latest version, "
       "storage and connectivity buckets, 24 h and 7 d growth, and recommendations.",
       {},
       {{200, "The analytics.",
         R"({"current_state":{"total_pnodes":"integer","public_nodes":"integer","private_nodes":"integer",
                              "public_ratio_percent":"number"},
             "growth":{"24_hours":"$GrowthMetrics","7_days":"$GrowthMetrics"},
             "version_analysis":{"distribution":{"*":"integer"},"latest_version":"string",
                                 "latest_version_count":"integer","outdated_count":"integer",
                                 "compliance_percent":"number","fragmentation_index":"integer",
                                 "health":"enum:good|fair|poor"},
             "storage_analysis":{"distribution":{"empty":"integer","low":"integer","optimal":"integer",
                                                 "high":"integer","critical":"integer"},
                                 "optimal_nodes":"integer","optimal_percent":"number","critical_nodes":"integer",
                                 "health":"enum:good|fair"},
             "connectivity_analysis":{"distribution":{"isolated":"integer","weak":"integer","good":"integer",
                                                      "excellent":"integer"},
                                      "well_connected":"integer","well_connected_percent":"number",
                                      "isolated_nodes":"integer","health":"enum:good|fair"},
             "recommendations":[{"category":"string","severity":"enum:high|medium|low|info","message":"string",
                                 "action":"string"}],
             "timestamp":"integer"})",
         kExAnalytics},
        kUnavailable}},
      {"GET", "/node/{address:path}/history", "history", "One node's time series",
       "The node's samples over the last `days`, oldest first, with trends, availability and its latest state. "
       "A node without samples answers 200 with available false (and the reference's planned_for and "
       "alternative fields, which its tests read).",
       {address, {"days", "Window, in days back from now."}},
       {{200, "The samples, or available: false.",
         R"({"address":"string","available":"boolean",
             "?data_points":"integer",
             "?time_range":{"start":"integer","end":"integer","start_readable":"string","end_readable":"string",
                            "days":"integer"},
             "?history":["$NodeHistoryItem"],
             "?trends":{"uptime_change_seconds":"integer","uptime_change_hours":"number",
                        "storage_used_change_bytes":"integer","storage_used_change_gb":"number",
                        "score_change":"number","score_trend":"enum:improving|declining|stable"},
             "?availability":{"online_snapshots":"integer","offline_snapshots":"integer","total_snapshots":"integer",
                              "availability_percent":"number"},
             "?current_status":{"is_online":"boolean","score":"number","uptime":"integer",
                                "storage_usage_percent":"number"},
             "?message":"string","?note":"string","?error":"string?","?planned_for":"string","?alternative":"string"})",
         kExNodeHistory}}},
      {"GET", "/node/{address:path}/metrics-summary", "history", "One node's aggregates over N hours",
       "Availability and average score, storage use and peer count of the node's samples in the window. Only "
       "positive scores are averaged.",
       {address, {"hours", "Window, in hours back from now."}},
       {{200, "The aggregates, or available: false.",
         R"({"address":"string",
             "metrics":{"available":"boolean","?message":"string","?error":"string","?time_range_hours":"integer",
                        "?snapshots_analyzed":"integer","?availability_percent":"number","?avg_score":"number",
                        "?avg_storage_usage":"number","?avg_peer_count":"number","?min_score":"number",
                        "?max_score":"number"},
             "timestamp":"integer"})",
         kExNodeMetrics}}},
      {"GET", "/nodes/history-status", "history", "Which nodes have per-node history",
       "The 100 nodes with the most samples, and global sample statistics.",
       {},
       {{200, "Coverage of the per-node history.",
         R"({"total_nodes_with_history":"integer",
             "nodes":[{"address":"string","snapshots":"integer","first_seen":"integer","last_seen":"integer",
                       "days_tracked":"number"}],
             "global_stats":{"oldest_snapshot":"integer?","newest_snapshot":"integer?","total_snapshots":"integer"},
             "timestamp":"integer"})",
         kExHistoryStatus},
        {500, "The store could not be read.", "\"$ErrorDetails\"", kExHistoryStatus500}}},
      {"GET", "/pnodes/{address:path}/alerts", "alerts", "Alerts for one node",
       "The node's alerts (offline, uptime, storage, version, connectivity, under-use), optionally filtered by "
       "severity; the summary counts the filtered list.",
       {address, {"severity", "Only alerts of this severity."}},
       {{200, "The alerts and the node's key figures.",
         R"({"address":"string","alerts":["$Alert"],"summary":"$AlertSummary",
             "node_info":{"is_online":"boolean","uptime":"integer","version":"string","storage_usage_percent":"number",
                          "peer_count":"integer","last_seen":"integer"},
             "timestamp":"integer"})",
         kExNodeAlerts},
        {404, "No node, online or in the registry, has this address.", "\"$NodeNotFound\"",
         kExNodeAlerts404},
        {500, "The node's alerts could not be computed.", "\"$ErrorDetails\"", kExNodeAlerts500},
        kUnavailable}},
      {"GET", "/alerts", "alerts", "Network-wide alert summary",
       "Checks the first `limit` nodes of the unified list (build order). critical_nodes is computed before any "
       "filter; the summary counts the alerts matching severity and alert_type. The alert list itself is not "
       "returned (as in the reference).",
       {{"severity", "Count only alerts of this severity."},
        {"alert_type", "Count only alerts of this type (offline, low_uptime, storage_critical, ...).", "low_uptime"},
        {"limit", "Number of nodes checked (not alerts returned)."}},
       {{200, "The summary.", "\"$AlertsReport\"", kExAlerts}, kUnavailable}},
      {"GET", "/alerts/critical", "alerts", "Critical alerts",
       "Exactly /alerts?severity=critical&limit=1000 (the reference's version returned an all-zero summary).",
       {},
       {{200, "The summary of critical alerts.", "\"$AlertsReport\"", kExAlertsCritical}, kUnavailable}},
      {"GET", "/pnodes/compare", "nodes", "Compare 2 to 5 nodes",
       "The nodes in the order given, the winner of each category, a recommendation and a summary. Duplicates "
       "are allowed.",
       {{"addresses", "Comma-separated node addresses (2 to 5).", "127.1.0.2:9001,127.1.0.3:9001"}},
       {{200, "The comparison.",
         R"({"comparison":["$UnifiedNode"],
             "winners":{"overall_score":{"address":"string?","score":"number","category":"string"},
                        "trust_score":{"address":"string?","score":"number","category":"string"},
                        "capacity_score":{"address":"string?","score":"number","category":"string"},
                        "best_uptime":{"address":"string?","uptime":"integer","uptime_days":"number","category":"string"},
                        "most_storage":{"address":"string?","storage":"integer","storage_gb":"number","category":"string"},
                        "best_connectivity":{"address":"string?","peers":"integer","category":"string"}},
             "recommendation":{"recommended_node":"string?","reason":"string","considerations":["string"]},
             "summary":{"nodes_compared":"integer","all_online":"boolean","avg_score":"number"},
             "timestamp":"integer"})",
         kExCompare},
        {400, "Fewer than 2 addresses (with an example), or more than 5 (with the number provided).",
         R"({"error":"string","?example":"string","?provided":"integer"})", kExCompare400},
        {404, "Some addresses are not known nodes.", R"({"error":"string","missing":["string"],"suggestion":"string"})",
         kExCompare404},
        kUnavailable}},
      {"GET", "/network/consistency", "consistency", "Gossip consistency of every node",
       "Registry entries with their gossip appearance and disappearance counts, sorted by consistency_score "
       "(descending) or by disappearances or address (ascending). The summary covers the whole registry.",
       {{"min_consistency", "Only nodes with a consistency score of at least this."},
        {"sort_by", "Sort key."},
        {"limit", "Nodes to return."}},
       {{200, "The nodes, a summary and the flapping ones.",
         R"({"nodes":[{"address":"string","consistency_score":"number","gossip_appearances":"integer",
                       "gossip_disappearances":"integer","last_drop":"integer?","last_appearance":"integer?",
                       "time_since_last_drop_seconds":"integer?","time_since_last_appearance_seconds":"integer?",
                       "status":"enum:flapping|stable","is_online":"boolean"}],
             "summary":{"total_nodes":"integer","avg_consistency_score":"number","flapping_nodes":"integer",
                        "stable_nodes":"integer","total_network_appearances":"integer",
                        "total_network_disappearances":"integer","network_health":"enum:excellent|good|fair|poor"},
             "flapping_nodes":[{"address":"string","consistency_score":"number","gossip_appearances":"integer",
                                "gossip_disappearances":"integer","last_drop":"integer?","last_appearance":"integer?",
                                "time_since_last_drop_seconds":"integer?",
                                "time_since_last_appearance_seconds":"integer?","status":"enum:flapping|stable",
                                "is_online":"boolean"}],
             "filters":{"min_consistency":"number","sort_by":"string"},"timestamp":"integer"})",
         kExConsistency},
        kUnavailable}},
      {"GET", "/node/{address:path}/consistency", "consistency", "One node's gossip consistency",
       "The node's consistency score with a 3-level status (flapping < 0.8 <= unstable < 0.9 <= stable), recent "
       "drops and appearances, and recommendations (never empty).",
       {address},
       {{200, "The node's consistency.",
         R"({"address":"string",
             "consistency":{"score":"number","status":"enum:flapping|unstable|stable","status_emoji":"string",
                            "appearances":"integer","disappearances":"integer","ratio":"string // A:D",
                            "total_events":"integer"},
             "recent_activity":{"last_drop":"integer?","last_drop_readable":"string?","time_since_drop_seconds":"integer?",
                                "time_since_drop_hours":"number?","last_appearance":"integer?",
                                "last_appearance_readable":"string?","time_since_appearance_seconds":"integer?",
                                "time_since_appearance_hours":"number?"},
             "recommendations":[{"severity":"enum:high|medium|warning|info","issue":"string","recommendation":"string",
                                 "action":"string"}],
             "node_info":{"is_online":"boolean","version":"string","first_seen":"integer?","last_seen":"integer?"},
             "timestamp":"integer"})",
         kExNodeConsistency},
        {404, "No registry entry has this address.", "\"$NodeNotFound\"", kExNodeConsistency404},
        kUnavailable}},
      {"GET", "/registry", "legacy", "The registry, most recently seen first",
       "Removed from the reference but still called by its tests (tests/test_api.py, test_comprehensive.py). "
       "Each entry adds is_online.",
       {{"limit", "Entries to return."}, {"skip", "Entries to skip (paging)."}},
       {{200, "The entries.",
         R"({"count":"integer // items returned","items":["$RegistryEntry"]})",
         kExRegistryList},
        kUnavailable}},
      {"GET", "/all-nodes", "legacy", "The raw snapshot",
       "Removed from the reference but still called by its tests. version=raw gives every pod as each seed "
       "reported it, version=unique the merged pods; anything else the whole snapshot data (summary, per-seed "
       "results, raw and unique lists). 503 without a snapshot (the reference answered 200).",
       {{"version", "raw, unique, or absent for everything.", "unique"}},
       {{200, "The snapshot data (the example is the default form, trimmed).",
         R"({"?version":"enum:raw|unique","?summary":{"total_nodes":"integer","total_pnodes":"integer",
                                                       "total_pnodes_raw":"integer","total_bytes_processed":"integer",
                                                       "avg_cpu_percent":"number","avg_ram_used_percent":"number",
                                                       "total_active_streams":"integer","last_updated":"integer",
                                                       "seeds_responding":"integer"},
             "nodes":"array|object // the pods (raw or unique), or per seed its metadata, stats and pods",
             "?merged_pnodes_raw":["$Pod"],"?merged_pnodes_unique":["$Pod"]})",
         kExAllNodes},
        {503, "No snapshot yet.", "\"$JsonRpcError\"", kExAllNodes503}}},
      {"GET", "/metrics", "operations", "Prometheus metrics",
       "Not in the reference. Prometheus text exposition format: request counts and latency histograms per route "
       "pattern, method and status; collector cycles; store writes; pRPC errors per seed; pods, registry size and "
       "snapshot age; process metrics.",
       {},
       {{200, "The metrics (text/plain; version=0.0.4).", "\"string\"", kExMetrics, "text/plain"}}},
      {"GET", "/openapi.json", "operations", "This OpenAPI document",
       "Generated from the server's own route table, so every route and query parameter served is listed with "
       "the exact type, default and bounds it is validated with.",
       {},
       {{200, "The OpenAPI 3.0 document.", R"({"openapi":"string","info":{"title":"string","version":"string","*":"any"},
                                             "paths":{"*":"object"},"*":"any"})"}}},
      {"GET", "/docs", "operations", "Interactive API reference",
       "A self-contained page (no external resource) that reads /openapi.json and lets you try every route.",
       {},
       {{200, "The HTML page.", "\"string\"", {}, "text/html"}}},
      {"GET", "/redoc", "operations", "Interactive API reference (alias of /docs)",
       "The same page as /docs, where the reference served ReDoc.",
       {},
       {{200, "The HTML page.", "\"string\"", {}, "text/html"}}},
  };
  return kRoutes;
}

}  // namespace pnode::api::openapi_docs
