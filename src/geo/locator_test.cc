// Locator against Debian's offline location database: real public addresses are looked
// up in the local file (no packet is sent); local ones are never looked up.
#include "geo/locator.h"

#include <gtest/gtest.h>

#include <string>

namespace pnode::geo {
namespace {

class LocatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto locator = Locator::open();
    if (!locator.ok() && locator.error().is(ErrorCode::kNotFound)) GTEST_SKIP() << locator.error().message;
    ASSERT_TRUE(locator.ok()) << locator.error().message;
    locator_ = std::move(*locator);
  }
  std::unique_ptr<Locator> locator_;
};

TEST_F(LocatorTest, APublicAddressHasItsCountryAndAutonomousSystem) {
  const Location google = locator_->locate("8.8.8.8");
  EXPECT_EQ(google.reach, Reach::kPublic);
  EXPECT_EQ(google.asn, 15169u);
  EXPECT_EQ(google.as_name, "GOOGLE");
  EXPECT_EQ(google.country_code, "US");
  EXPECT_EQ(google.country_name, "United States of America");

  const Location hetzner = locator_->locate("88.198.0.1");  // Hetzner Online, Germany
  EXPECT_EQ(hetzner.asn, 24940u);
  EXPECT_EQ(hetzner.country_code, "DE");
}

TEST_F(LocatorTest, IPv6IsLookedUpToo) {
  const Location google = locator_->locate("2001:4860:4860::8888");
  EXPECT_EQ(google.reach, Reach::kPublic);
  EXPECT_EQ(google.asn, 15169u);
}

TEST_F(LocatorTest, LocalAddressesAreLocalAndNeverLookedUp) {
  for (const char* ip : {"127.0.0.1", "127.3.4.5", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                         "169.254.0.1", "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"}) {
    const Location l = locator_->locate(ip);
    EXPECT_EQ(l.reach, Reach::kLocal) << ip;
    EXPECT_EQ(l.asn, 0u) << ip;
    EXPECT_TRUE(l.country_code.empty()) << ip;
  }
  EXPECT_FALSE(is_local_address("172.32.0.1")) << "just outside 172.16/12";
  EXPECT_FALSE(is_local_address("100.128.0.1")) << "just outside 100.64/10";
  EXPECT_FALSE(is_local_address("8.8.8.8"));
}

TEST_F(LocatorTest, TextThatIsNotAnAddressIsUnknown) {
  for (std::string text : {std::string(), std::string("pnode.example"), std::string("1.2.3"),
                           std::string("8.8.8.8:6000"), std::string(4096, '1'), std::string("8.8.8.8\0x", 9)}) {
    const Location l = locator_->locate(text);
    EXPECT_EQ(l.reach, Reach::kUnknown) << text.substr(0, 40);
    EXPECT_EQ(l.asn, 0u);
  }
}

TEST_F(LocatorTest, SaysWhatDatabaseItReads) {
  EXPECT_FALSE(locator_->vendor().empty());
  EXPECT_GT(locator_->created_at(), 1600000000) << "made after 2020";
}

TEST(LocatorOpen, AMissingOrDamagedDatabaseIsAnError) {
  auto missing = Locator::open("/nonexistent/location.db");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(ErrorCode::kNotFound));
  auto damaged = Locator::open("/etc/hostname");
  ASSERT_FALSE(damaged.ok());
  EXPECT_TRUE(damaged.error().is(ErrorCode::kCorrupt));
}

}  // namespace
}  // namespace pnode::geo
