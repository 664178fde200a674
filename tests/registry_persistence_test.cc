// The registry a store loads is the one the collector held, cycle after cycle, although
// the collector writes only the rows a sighting alone cannot rebuild
// (model/registry_sighting.h): pods that leave and come back, pods that leave a field
// null, a node that moves to another port, new admissions, and hours of cycles in which
// last_seen crosses the rows' hourly marks. Runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collect/cycle.h"
#include "collect/test_pods.h"
#include "store/store.h"
#include "store/store_backend_test_support.h"

namespace pnode {
namespace {

using collect::testing::make_seed_answer;
using testing::make_gossip_pod;

class RegistryPersistence : public store::testing_support::StoreBackendTest {};

// The pods seed `seed` lists in cycle `c` at `now`: 30 addresses, some absent in some
// cycles, some telling fewer fields, one node moving from port 9001 to 9002 at cycle 7.
std::vector<model::Pod> listed(int seed, int c, int64_t now) {
  std::vector<model::Pod> pods;
  for (int n = 0; n < 30; ++n) {
    if ((n + c) % 11 == 0 || (seed == 1 && n % 2 == 0)) continue;  // gone this cycle, or unseen by s1
    const std::string port = (n == 3 && c >= 7) ? "9002" : "9001";
    model::Pod p = make_gossip_pod("10.2.0." + std::to_string(n) + ":" + port, now - n);
    if (n % 5 == 0 && c % 3 == 0) p.version.reset();   // the get-pods fallback's nulls
    if (n % 7 == 0 && c % 4 == 1) p.uptime.reset();
    if (n % 6 == 0) p.uptime = static_cast<uint64_t>(c) * 600;  // moves every cycle
    if (n == 9 && c >= 10) p.storage_committed = 200;
    pods.push_back(std::move(p));
  }
  return pods;
}

TEST_P(RegistryPersistence, TheLoadedRegistryIsTheCollectorsAfterEveryCycle) {
  auto store = open();
  ASSERT_TRUE(store);
  model::Registry registry;
  size_t rows_written = 0, rows_listed = 0;
  const int64_t start = 1765000000;
  for (int c = 1; c <= 24; ++c) {
    const int64_t now = start + int64_t{c} * 600;  // 10 minutes a cycle: 4 hours in all
    std::vector<collect::SeedAnswer> answers = {make_seed_answer("127.0.0.1:6000", listed(0, c, now)),
                                                make_seed_answer("127.0.0.1:6001", listed(1, c, now))};
    collect::CycleResult result = collect::assemble_cycle(std::move(answers), registry, static_cast<uint64_t>(c), now,
                                                          now, {}, {});
    ASSERT_TRUE(store->write_cycle(result.write).ok()) << "cycle " << c;
    registry = *result.snapshot->registry;
    rows_written += result.write.registry_upserts.size();
    rows_listed += result.snapshot->nodes.size();

    auto loaded = store->load();
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_EQ(loaded->registry.entries.size(), registry.entries.size()) << "cycle " << c;
    for (size_t i = 0; i < registry.entries.size(); ++i)
      EXPECT_EQ(loaded->registry.entries[i], registry.entries[i]) << "cycle " << c << ", " << registry.entries[i].address;
    ASSERT_TRUE(loaded->snapshot);
    EXPECT_EQ(loaded->snapshot->registry->entries, loaded->registry.entries) << "the snapshot's registry is the same";
    if (HasFailure()) return;
  }
  EXPECT_LT(rows_written, rows_listed / 2) << "rows only a sighting changed are not rewritten";
}

PNODE_STORE_BACKENDS(RegistryPersistence);

}  // namespace
}  // namespace pnode
