// The Store's maintenance calls used by the dedupe command: registry_rows() and
// delete_registry_rows(), on every backend.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store.h"
#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::RegistryEntry;

class RegistryMaintenanceBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(RegistryMaintenanceBackends);

// Writes one cycle whose registry upserts are `entries` (in that order) and whose
// history names `with_history`.
void write_registry(Store& store, int64_t ts, const std::vector<RegistryEntry>& entries,
                    const std::vector<std::string>& with_history = {}) {
  CycleWrite w;
  w.network = make_network_row(ts, static_cast<int64_t>(entries.size()));
  w.registry_upserts = entries;
  for (const auto& a : with_history) w.nodes.push_back(make_node_row(a, ts));
  auto st = store.write_cycle(w);
  ASSERT_TRUE(st.ok()) << st.error().message;
}

RegistryRowMatch match_of(const RegistryEntry& e) { return {e.address, e.pubkey, e.last_seen, e.last_checked}; }

TEST_P(RegistryMaintenanceBackends, ListsEveryRowSortedByAddressWithIdsInOrderOfFirstSighting) {
  auto store = open();
  // Interned in this order: .3 first, then .1, then .2.
  write_registry(*store, 1000, {make_registry_entry("10.0.0.3:9001", 1000), make_bare_registry_entry("10.0.0.1:9001", 1000)});
  write_registry(*store, 1060, {make_registry_entry("10.0.0.2:9001", 1060)});

  auto rows = store->registry_rows();
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].entry, make_bare_registry_entry("10.0.0.1:9001", 1000));
  EXPECT_EQ((*rows)[1].entry, make_registry_entry("10.0.0.2:9001", 1060));
  EXPECT_EQ((*rows)[2].entry, make_registry_entry("10.0.0.3:9001", 1000));
  EXPECT_LT((*rows)[2].node_id, (*rows)[0].node_id);  // .3 was seen first
  EXPECT_LT((*rows)[0].node_id, (*rows)[1].node_id);
  // The same entries load() gives.
  auto state = store->load();
  ASSERT_TRUE(state.ok());
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].entry, state->registry.entries[i]);
}

TEST_P(RegistryMaintenanceBackends, EmptyRegistryListsNothing) {
  auto store = open();
  auto rows = store->registry_rows();
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_TRUE(rows->empty());
}

TEST_P(RegistryMaintenanceBackends, DeletesOnlyRowsThatStillMatchAndKeepsHistory) {
  auto store = open();
  RegistryEntry a = make_registry_entry("10.0.0.1:9001", 1000);
  RegistryEntry b = make_registry_entry("10.0.0.1:40001", 1000);
  RegistryEntry c = make_registry_entry("10.0.0.1:40002", 1000);
  RegistryEntry d = make_registry_entry("10.0.0.2:9001", 1000);
  write_registry(*store, 1000, {a, b, c, d}, {b.address});

  RegistryRowMatch stale_pubkey = match_of(c);
  stale_pubkey.pubkey = "SomeoneElse";
  RegistryRowMatch stale_seen = match_of(d);
  stale_seen.last_seen -= 1;
  RegistryRowMatch stale_checked = match_of(a);
  stale_checked.last_checked += 1;
  RegistryRowMatch unknown{"10.9.9.9:9001", "Pk", 1000, 1001};

  auto deleted = store->delete_registry_rows({match_of(b), stale_pubkey, stale_seen, stale_checked, unknown});
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(*deleted, 1);

  auto rows = store->registry_rows();
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> left;
  for (const auto& r : *rows) left.push_back(r.entry.address);
  EXPECT_EQ(left, (std::vector<std::string>{c.address, a.address, d.address}));  // sorted as text
  // The deleted row's history stays (like prune_registry).
  EXPECT_EQ(store->node_history(b.address, 0, 9999)->samples.size(), 1u);
  EXPECT_EQ(*store->delete_registry_rows({match_of(b)}), 0);  // already gone
}

TEST_P(RegistryMaintenanceBackends, DeletedAddressesCanComeBack) {
  auto store = open();
  RegistryEntry with_history = make_registry_entry("10.0.0.1:40001", 1000);
  RegistryEntry without_history = make_registry_entry("10.0.0.1:40002", 1000);
  write_registry(*store, 1000, {with_history, without_history}, {with_history.address});
  auto deleted = store->delete_registry_rows({match_of(with_history), match_of(without_history)});
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(*deleted, 2);
  EXPECT_TRUE(store->registry_rows()->empty());

  // Both addresses are seen again, through this store and through a fresh one.
  write_registry(*store, 2000, {make_bare_registry_entry(without_history.address, 2000)}, {without_history.address});
  store.reset();
  store = open();
  write_registry(*store, 3000, {make_bare_registry_entry(with_history.address, 3000)}, {with_history.address});
  auto rows = store->registry_rows();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].entry, make_bare_registry_entry(with_history.address, 3000));
  EXPECT_EQ((*rows)[1].entry, make_bare_registry_entry(without_history.address, 2000));
  EXPECT_EQ(store->node_history(with_history.address, 0, 9999)->samples.size(), 2u);
  EXPECT_EQ(store->node_history(without_history.address, 0, 9999)->samples.size(), 1u);
}

TEST_P(RegistryMaintenanceBackends, NothingToDeleteIsNotAnError) {
  auto store = open();
  auto deleted = store->delete_registry_rows({});
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(*deleted, 0);
}

}  // namespace
}  // namespace pnode::store
