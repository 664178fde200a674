#include "store/postgres/pg_rows.h"

#include "store/list_codec.h"
#include "store/snapshot_codec.h"

namespace pnode::store::postgres {

using model::NetworkHistoryRow;
using model::RegistryEntry;

Result<Params> registry_params(const RegistryEntry& e) {
  auto source_ips = join_source_ips(e.source_ips);
  if (!source_ips)
    return make_error(ErrorCode::kInvalidData, "registry entry " + e.address + " has a source IP that is empty or contains ','");
  return Params{e.address,
                e.pubkey,
                int_param(e.first_seen),
                int_param(e.last_seen),
                int_param(e.last_checked),
                int_param(e.created_at),
                e.last_ip,
                int_param(e.rpc_port),
                bool_param(e.is_public),
                opt_int_param(e.storage_committed),
                opt_int_param(e.storage_used),
                opt_int_param(e.uptime),
                e.storage_usage_percent ? double_param(*e.storage_usage_percent) : std::nullopt,
                e.version,
                *source_ips,
                int_param(e.gossip_appearances),
                int_param(e.gossip_disappearances),
                opt_int_param(e.last_gossip_appearance),
                opt_int_param(e.last_gossip_drop),
                double_param(e.consistency_score),
                bool_param(e.in_gossip),
                join_addresses(e.previous_addresses)};
}

RegistryEntry read_registry_entry(const PgResult& r, int row) {
  RegistryEntry e;
  e.address = r.string(row, 0);
  e.pubkey = r.string(row, 1);
  e.first_seen = r.int64(row, 2);
  e.last_seen = r.int64(row, 3);
  e.last_checked = r.int64(row, 4);
  e.created_at = r.int64(row, 5);
  e.last_ip = r.opt_string(row, 6);
  e.rpc_port = r.int64(row, 7);
  e.is_public = r.boolean(row, 8);
  e.storage_committed = r.opt_uint64(row, 9);
  e.storage_used = r.opt_uint64(row, 10);
  e.uptime = r.opt_uint64(row, 11);
  e.storage_usage_percent = r.opt_double(row, 12);
  e.version = r.opt_string(row, 13);
  e.source_ips = split_list(r.text(row, 14));
  e.gossip_appearances = r.int64(row, 15);
  e.gossip_disappearances = r.int64(row, 16);
  e.last_gossip_appearance = r.opt_int64(row, 17);
  e.last_gossip_drop = r.opt_int64(row, 18);
  e.consistency_score = r.real(row, 19);
  e.in_gossip = r.boolean(row, 20);
  e.previous_addresses = split_list(r.text(row, 21));
  return e;
}

Params network_params(const NetworkHistoryRow& r) {
  return Params{int_param(r.timestamp),
                int_param(r.total_pnodes),
                int_param(r.online_pnodes),
                int_param(r.total_ip_nodes),
                int_param(r.public_pnodes),
                int_param(r.private_pnodes),
                double_param(r.avg_cpu_percent),
                double_param(r.avg_ram_used_percent),
                uint_param(r.total_active_streams),
                uint_param(r.total_bytes_processed),
                uint_param(r.total_storage_committed),
                uint_param(r.total_storage_used),
                double_param(r.avg_storage_usage_percent),
                double_param(r.storage_utilization_ratio),
                double_param(r.avg_peer_count),
                encode_count_map(r.version_distribution)};
}

Result<NetworkHistoryRow> read_network_row(const PgResult& s, int row) {
  NetworkHistoryRow r;
  r.timestamp = s.int64(row, 0);
  r.total_pnodes = s.int64(row, 1);
  r.online_pnodes = s.int64(row, 2);
  r.total_ip_nodes = s.int64(row, 3);
  r.public_pnodes = s.int64(row, 4);
  r.private_pnodes = s.int64(row, 5);
  r.avg_cpu_percent = s.real(row, 6);
  r.avg_ram_used_percent = s.real(row, 7);
  r.total_active_streams = s.uint64(row, 8);
  r.total_bytes_processed = s.uint64(row, 9);
  r.total_storage_committed = s.uint64(row, 10);
  r.total_storage_used = s.uint64(row, 11);
  r.avg_storage_usage_percent = s.real(row, 12);
  r.storage_utilization_ratio = s.real(row, 13);
  r.avg_peer_count = s.real(row, 14);
  auto versions = decode_count_map(s.text(row, 15));
  if (!versions) return with_context("network sample " + std::to_string(r.timestamp), versions.error());
  r.version_distribution = std::move(*versions);
  return r;
}

}  // namespace pnode::store::postgres
