#include "util/error.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "util/result.h"

namespace pnode {
namespace {

bool is_snake_case(std::string_view s) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_' && s[i - 1] == '_') return false;
    if (!(c >= 'a' && c <= 'z') && c != '_') return false;
  }
  return true;
}

TEST(ErrorCode, EveryCodeHasADistinctSnakeCaseName) {
  std::set<std::string_view> seen;
  for (ErrorCode code : kAllErrorCodes) {
    const std::string_view name = error_code_name(code);
    EXPECT_FALSE(name.empty()) << static_cast<int>(code);
    EXPECT_TRUE(is_snake_case(name)) << name;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    EXPECT_EQ(error_code_from_name(name), code) << name;
  }
  // Nothing past the list has a name: kAllErrorCodes leaves no enumerator out.
  for (int i = static_cast<int>(kAllErrorCodes.size()); i <= 255; ++i) {
    EXPECT_TRUE(error_code_name(static_cast<ErrorCode>(i)).empty()) << i;
  }
}

TEST(ErrorCode, NamesAreTheTokensSeenOutsideTheProcess) {
  // API JSON, /metrics labels, logs, stored snapshots and seed outcomes carry these.
  EXPECT_EQ(error_code_name(ErrorCode::kWrongShape), "wrong_shape");
  EXPECT_EQ(error_code_name(ErrorCode::kTimeout), "timeout");
  EXPECT_EQ(error_code_name(ErrorCode::kConnectTimeout), "connect_timeout");
  EXPECT_EQ(error_code_name(ErrorCode::kRefused), "refused");
  EXPECT_EQ(error_code_name(ErrorCode::kHttpStatus), "http_status");
  EXPECT_EQ(error_code_name(ErrorCode::kRpcError), "rpc_error");
  EXPECT_EQ(error_code_name(ErrorCode::kInvalidJson), "invalid_json");
  EXPECT_EQ(error_code_name(ErrorCode::kInvalidOption), "invalid_option");
  EXPECT_EQ(error_code_name(ErrorCode::kInvalidDatabaseUrl), "invalid_database_url");
  EXPECT_EQ(error_code_name(ErrorCode::kDiskFull), "disk_full");
  EXPECT_EQ(error_code_name(ErrorCode::kIo), "io");
  EXPECT_EQ(error_code_name(ErrorCode::kIoError), "io_error");
}

TEST(ErrorCode, UnknownNamesHaveNoCode) {
  EXPECT_EQ(error_code_from_name(""), std::nullopt);
  EXPECT_EQ(error_code_from_name("Timeout"), std::nullopt);
  EXPECT_EQ(error_code_from_name("connection_refused"), std::nullopt);
}

TEST(ErrorCode, PrintsByName) {
  std::ostringstream out;
  PrintTo(ErrorCode::kTooLarge, &out);
  EXPECT_EQ(out.str(), "ErrorCode(too_large)");
}

TEST(Error, CarriesStructuredFields) {
  const Error plain = make_error(ErrorCode::kTimeout, "timed out");
  EXPECT_EQ(plain.kind(), "timeout");
  EXPECT_TRUE(plain.is(ErrorCode::kTimeout));
  EXPECT_FALSE(plain.is(ErrorCode::kConnectTimeout));
  EXPECT_FALSE(plain.rpc_code.has_value());
  EXPECT_FALSE(plain.http_status.has_value());
  EXPECT_EQ(plain.where, "");

  const Error rpc =
      make_error(ErrorCode::kRpcError, "-32601 Method not found").with_rpc_code(-32601).with_where("n:6000 get-pods");
  EXPECT_EQ(rpc.rpc_code, -32601);
  EXPECT_EQ(rpc.where, "n:6000 get-pods");
  EXPECT_EQ(rpc.message, "-32601 Method not found");

  const Error http = make_error(ErrorCode::kHttpStatus, "HTTP 503").with_http_status(503);
  EXPECT_EQ(http.http_status, 503);
  EXPECT_FALSE(http.rpc_code.has_value());

  Status failed = make_error(ErrorCode::kCorrupt, "bad");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind(), "corrupt");
}

}  // namespace
}  // namespace pnode
