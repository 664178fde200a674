#include "util/loopback.h"

#include <gtest/gtest.h>

namespace pnode {
namespace {

TEST(ParseHostPort, DefaultsThePort) {
  auto r = parse_host_port("127.0.0.1", 6000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->host, "127.0.0.1");
  EXPECT_EQ(r->port, 6000);
}

TEST(ParseHostPort, ReadsExplicitPortAndBracketedV6) {
  auto a = parse_host_port("localhost:16001", 6000);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->port, 16001);
  auto b = parse_host_port("[::1]:7000", 6000);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->to_string(), "[::1]:7000");
}

TEST(ParseHostPort, RejectsGarbage) {
  EXPECT_FALSE(parse_host_port("", 6000).ok());
  EXPECT_FALSE(parse_host_port("1.2.3.4:", 6000).ok());
  EXPECT_FALSE(parse_host_port("1.2.3.4:70000", 6000).ok());
  EXPECT_FALSE(parse_host_port("1.2.3.4:abc", 6000).ok());
  EXPECT_FALSE(parse_host_port("::1", 6000).ok());
}

TEST(Loopback, OnlyAccepts127Slash8AndLocalhost) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("192.168.1.8"));
  EXPECT_FALSE(is_loopback_host("example.com"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.evil"));
}

TEST(Ipv4, FormatsAndParsesBack) {
  EXPECT_EQ(format_ipv4(*parse_ipv4("127.1.0.255")), "127.1.0.255");
  EXPECT_FALSE(parse_ipv4("1.2.3").has_value());
  EXPECT_FALSE(parse_ipv4("1.2.3.256").has_value());
}

}  // namespace
}  // namespace pnode
