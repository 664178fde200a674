#include "notify/signing.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "notify/encoding.h"
#include "notify/test_support.h"

namespace pnode::notify {
namespace {

// A vector worked out apart from this code (Python's hmac and base64 modules):
//   key  = "pnode-test-key-0123456789abcdef!"
//   HMAC-SHA256(key, "msg_2Lh9Kq.1764950400.{\"status\":\"firing\"}"), Base64.
using testing::kTestSecret;  // the key above
constexpr const char* kId = "msg_2Lh9Kq";
constexpr int64_t kTimestamp = 1764950400;
constexpr const char* kBody = R"({"status":"firing"})";
constexpr const char* kSignature = "v1,G43YJHeCUM5nBeywzE9yHqiD78gaRovs7+Fkp4qxBkU=";

TEST(WebhookTestSecret, IsTheBase64AfterWhsec) {
  auto key = parse_webhook_secret(kTestSecret);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "pnode-test-key-0123456789abcdef!");
  EXPECT_EQ(parse_webhook_secret("cG5vZGU=").value(), "pnode");  // the prefix is optional
}

TEST(WebhookTestSecret, RefusesWhatIsNotBase64) {
  EXPECT_EQ(parse_webhook_secret("whsec_not base64!").error().code, ErrorCode::kConfig);
  EXPECT_FALSE(parse_webhook_secret("whsec_"));
}

TEST(WebhookSignature, MatchesTheIndependentVector) {
  EXPECT_EQ(webhook_signature(parse_webhook_secret(kTestSecret).value(), kId, kTimestamp, kBody), kSignature);
}

TEST(WebhookSignature, MatchesOpenSslOverTheSignedContent) {
  const std::string key = "another key";
  const std::string body = "{\"x\":[1,2,3]}";
  const std::string content = "id-7.42." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &length);
  EXPECT_EQ(webhook_signature(key, "id-7", 42, body),
            "v1," + base64_encode(std::string(reinterpret_cast<const char*>(mac), length)));
}

TEST(WebhookSignature, VerifiesAmongSeveralAndRejectsTampering) {
  const std::string key = parse_webhook_secret(kTestSecret).value();
  EXPECT_TRUE(verify_webhook_signature(key, kId, kTimestamp, kBody, kSignature));
  EXPECT_TRUE(verify_webhook_signature(key, kId, kTimestamp, kBody, std::string("v1,AAAA ") + kSignature));
  EXPECT_FALSE(verify_webhook_signature(key, kId, kTimestamp + 1, kBody, kSignature));
  EXPECT_FALSE(verify_webhook_signature(key, "msg_other", kTimestamp, kBody, kSignature));
  EXPECT_FALSE(verify_webhook_signature(key, kId, kTimestamp, R"({"status":"resolved"})", kSignature));
  EXPECT_FALSE(verify_webhook_signature("wrong key", kId, kTimestamp, kBody, kSignature));
}

}  // namespace
}  // namespace pnode::notify
