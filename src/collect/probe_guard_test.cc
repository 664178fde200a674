#include "collect/probe_guard.h"

#include <gtest/gtest.h>

namespace pnode::collect {
namespace {

TEST(ProbeGuard, ParsesNetworksAndBareAddresses) {
  auto c = parse_cidr("10.1.2.3/8");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to_string(), "10.0.0.0/8");
  EXPECT_EQ(parse_cidr("127.1.0.5")->to_string(), "127.1.0.5/32");
  EXPECT_EQ(parse_cidr("0.0.0.0/0")->to_string(), "0.0.0.0/0");
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "host/8", "10.0.0.0/8x", "::1/128"})
    EXPECT_FALSE(parse_cidr(bad)) << bad;
  auto list = parse_cidr_list(" 10.0.0.0/8, 192.168.0.0/16 ,");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(parse_cidr_list("10.0.0.0/8,nope"));
  EXPECT_TRUE(parse_cidr_list("")->empty());
}

TEST(ProbeGuard, LoopbackOnlyUnlessRealNetworksAreAllowed) {
  DialPolicy policy;
  EXPECT_FALSE(dial_refusal(policy, "127.1.0.9"));
  EXPECT_TRUE(dial_refusal(policy, "8.8.8.8"));
  EXPECT_TRUE(dial_refusal(policy, "128.0.0.1"));
  EXPECT_TRUE(dial_refusal(policy, "localhost"));  // only IPv4 literals are dialled
  policy.allow_real_network = true;
  EXPECT_FALSE(dial_refusal(policy, "8.8.8.8"));
}

TEST(ProbeGuard, DenyWinsOverAllowAndAllowNarrows) {
  DialPolicy policy;
  policy.allow = parse_cidr_list("127.1.0.0/16").value();
  policy.deny = parse_cidr_list("127.1.2.0/24").value();
  EXPECT_FALSE(dial_refusal(policy, "127.1.0.9"));
  EXPECT_TRUE(dial_refusal(policy, "127.1.2.9"));
  EXPECT_TRUE(dial_refusal(policy, "127.2.0.1"));
  policy.allow_real_network = true;
  policy.allow.clear();
  policy.deny = parse_cidr_list("10.0.0.0/8").value();
  EXPECT_TRUE(dial_refusal(policy, "10.9.9.9"));
  EXPECT_FALSE(dial_refusal(policy, "11.0.0.1"));
}

}  // namespace
}  // namespace pnode::collect
