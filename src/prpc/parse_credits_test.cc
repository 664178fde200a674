// parse_pod_credits: the pod-credits sources' answer, and the bounds on each row.
#include <gtest/gtest.h>

#include <string>

#include "prpc/parse.h"

namespace pnode::prpc {
namespace {

const std::string kA = "EcTqXgB6VJStAtBZAXcjLHf5ULj41H1PFZQ17zKosbhL";
const std::string kB = "74h474xGaHCeJdofjdGU12oNuBYf8oQRvBAkReQ2K8L6";

std::string row(const std::string& id, const std::string& credits) {
  return "{\"credits\":" + credits + ",\"pod_id\":\"" + id + "\"}";
}

TEST(ParseCredits, ReadsTheSourcesAnswer) {
  auto list = parse_pod_credits("{\"pods_credits\":[" + row(kA, "46053") + "," + row(kB, "-100") +
                                "],\"status\":\"success\"}");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->pods.size(), 2u);
  EXPECT_EQ(list->pods[0], (PodCredit{kA, 46053}));
  EXPECT_EQ(list->pods[1], (PodCredit{kB, -100}));
  EXPECT_EQ(list->skipped, 0u);
}

TEST(ParseCredits, ABareArrayAndFractionalCreditsAreAccepted) {
  auto list = parse_pod_credits("[" + row(kA, "12.5") + "]");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->pods.size(), 1u);
  EXPECT_DOUBLE_EQ(list->pods[0].credits, 12.5);
}

TEST(ParseCredits, APodListedTwiceKeepsItsLastRow) {
  auto list = parse_pod_credits("{\"pods_credits\":[" + row(kA, "1") + "," + row(kB, "2") + "," + row(kA, "3") + "]}");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->pods.size(), 2u);
  EXPECT_EQ(list->pods[0], (PodCredit{kA, 3}));
}

TEST(ParseCredits, RowsOutsideTheBoundsAreSkippedAndCounted) {
  const std::string rows[] = {
      row(kA.substr(0, 31), "1"),            // too short for a key
      row(kA + "abc", "1"),                  // 47 characters: too long
      row("0" + kA.substr(1), "1"),          // '0' is not base58
      row(std::string(1 << 20, 'a'), "1"),   // a mebibyte of id
      row(kA, "1e13"),                       // beyond a trillion credits
      row(kA, "-1e13"),
      row(kA, "\"46053\""),                  // a string, not a number
      row(kA, "null"),
      "{\"pod_id\":\"" + kA + "\"}",         // no credits
      "42",                                  // not an object
  };
  std::string body = "{\"pods_credits\":[";
  for (const auto& r : rows) body += r + ",";
  body += row(kB, "7") + "]}";
  auto list = parse_pod_credits(body);
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->pods.size(), 1u);
  EXPECT_EQ(list->pods[0], (PodCredit{kB, 7}));
  EXPECT_EQ(list->skipped, std::size(rows));
  EXPECT_EQ(list->rejected_fields, 3u) << "1e13, -1e13 and the string were sent and dropped";
}

TEST(ParseCredits, AnswersWithoutTheListAreWrongShapeAndBadJsonIsInvalid) {
  EXPECT_TRUE(parse_pod_credits("{\"status\":\"success\"}").error().is(ErrorCode::kWrongShape));
  EXPECT_TRUE(parse_pod_credits("{\"pods_credits\":{}}").error().is(ErrorCode::kWrongShape));
  EXPECT_TRUE(parse_pod_credits("{\"pods_credits\":[").error().is(ErrorCode::kInvalidJson));
  EXPECT_TRUE(parse_pod_credits("").error().is(ErrorCode::kInvalidJson));
  auto empty = parse_pod_credits("{\"pods_credits\":[]}");
  ASSERT_TRUE(empty.ok()) << "an empty month start is a real answer";
  EXPECT_TRUE(empty->pods.empty());
}

}  // namespace
}  // namespace pnode::prpc
