#include "notify/encoding.h"

#include <gtest/gtest.h>

namespace pnode::notify {
namespace {

using std::chrono::system_clock;

TEST(Base64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, DecodesWhatItEncodes) {
  for (const std::string bytes : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  }
  EXPECT_EQ(base64_decode("//4A"), std::string("\xff\xfe\x00", 3));
}

TEST(Base64, RefusesWhatIsNotPaddedBase64) {
  EXPECT_FALSE(base64_decode("Zm9"));        // not a multiple of four
  EXPECT_FALSE(base64_decode("Zm=v"));       // padding inside
  EXPECT_FALSE(base64_decode("Zg==Zm9v"));   // padding before the end
  EXPECT_FALSE(base64_decode("Zm9v!A=="));   // not the alphabet
  EXPECT_FALSE(base64_decode("Zm9v-_=="));   // the URL-safe alphabet is not this one
}

TEST(Digest, Sha256OfAbcIsTheFips180Vector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, HmacSha256MatchesRfc4231TestCase2) {
  const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  std::string hex;
  for (unsigned char byte : mac) hex += "0123456789abcdef"[byte >> 4], hex += "0123456789abcdef"[byte & 15];
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Dates, Rfc3339IsUtcWithWholeSeconds) {
  const auto time = system_clock::from_time_t(1764950400) + std::chrono::milliseconds(750);
  EXPECT_EQ(rfc3339(time), "2025-12-05T16:00:00Z");
  EXPECT_EQ(rfc3339(system_clock::time_point{}), "0001-01-01T00:00:00Z");
}

TEST(Dates, Rfc5322DateHasEnglishNamesAndAZone) {
  EXPECT_EQ(rfc5322_date(system_clock::from_time_t(1764950400)), "Fri, 05 Dec 2025 16:00:00 +0000");
  EXPECT_EQ(rfc5322_date(system_clock::from_time_t(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
}

}  // namespace
}  // namespace pnode::notify
