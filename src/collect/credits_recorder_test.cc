// The credits history: a row per pubkey when its credits or network changed or its last
// row is an hour old, written only by the instance that may write.
#include "collect/credits_recorder.h"

#include <gtest/gtest.h>

#include "store/store_test_support.h"

namespace pnode::collect {
namespace {

using store::testing_support::open_ok;
using store::testing_support::TempDir;

analysis::CreditsView view_of(double pk1_credits) {
  std::vector<model::PodCredit> mainnet = {{"PK1", pk1_credits}}, devnet = {{"PK2", 7}};
  return analysis::assess_credits(mainnet, devnet);
}

TEST(CreditsRecorder, RowsOnlyWhenChangedOrHourly) {
  std::unordered_map<std::string, store::CreditRecord> last;
  auto first = credit_rows_due(view_of(10), last, 1000);
  ASSERT_EQ(first.size(), 2u);
  for (auto& r : first) last[r.pubkey] = r;
  EXPECT_TRUE(credit_rows_due(view_of(10), last, 1060).empty());
  auto changed = credit_rows_due(view_of(11), last, 1120);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0], (store::CreditRecord{"PK1", 1120, 11, "mainnet"}));
  EXPECT_EQ(credit_rows_due(view_of(10), last, 1000 + kCreditsRowEvery).size(), 2u);  // an hour on
}

TEST(CreditsRecorder, WritesTheHistoryWhenItMayAndNotOtherwise) {
  TempDir dir;
  auto store = open_ok(dir.file("c.db"));
  bool leader = false;
  CreditsRecorder recorder(store.get(), 30, [&leader]() -> Result<std::optional<store::LeaseToken>> {
    if (!leader) return make_error(ErrorCode::kNotLeader, "a follower");
    return std::optional<store::LeaseToken>();  // the only instance: unfenced
  });
  recorder.record(view_of(10), 1000);
  EXPECT_TRUE(store->credits_history("PK1", 0, 10000, 10)->empty());  // a follower writes nothing
  leader = true;
  recorder.record(view_of(10), 1060);
  recorder.record(view_of(10), 1120);  // unchanged: no row
  recorder.record(view_of(12), 1180);
  auto pk1 = store->credits_history("PK1", 0, 10000, 10);
  ASSERT_TRUE(pk1.ok());
  ASSERT_EQ(pk1->size(), 2u);
  EXPECT_EQ((*pk1)[0].at, 1060);
  EXPECT_EQ((*pk1)[1], (store::CreditRecord{"PK1", 1180, 12, "mainnet"}));
  EXPECT_EQ(store->credits_history("PK2", 0, 10000, 10)->at(0).network, "devnet");
}

}  // namespace
}  // namespace pnode::collect
