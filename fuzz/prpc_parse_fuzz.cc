// Fuzz target: the pRPC answer parser (prpc/parse.h). A seed may answer anything to any
// call, so every input goes through the three parse functions (get-version, get-stats,
// get-pods / get-pods-with-stats). Beyond "no crash, no sanitizer report": a parsed pod
// list never holds an address or pubkey over the parser's identity bound, and every
// string the parser hands on (pod fields, the version, an error's message, which the API
// and the logs echo) is valid UTF-8.
// Seeds: the recorded captures of testdata/prpc, plus fuzz/corpus/prpc_parse.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "prpc/parse.h"

namespace {

constexpr size_t kMaxIdentityBytes = 128;  // prpc/parse.cc: longer rows are skipped

bool is_utf8(const std::optional<std::string>& s) { return !s || simdjson::validate_utf8(*s); }

template <class T>
void check_error_text(const pnode::Result<T>& result) {
  if (!result.ok()) pnode::fuzz::require(simdjson::validate_utf8(result.error().message), "an error message is UTF-8");
}

void check_pods(const pnode::prpc::PodList& list) {
  for (const auto& pod : list.pods) {
    pnode::fuzz::require(pod.address.size() <= kMaxIdentityBytes, "pod address within its bound");
    pnode::fuzz::require(!pod.pubkey || pod.pubkey->size() <= kMaxIdentityBytes, "pod pubkey within its bound");
    pnode::fuzz::require(is_utf8(pod.address) && is_utf8(pod.pubkey) && is_utf8(pod.last_seen) && is_utf8(pod.version),
                         "pod strings are UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto version = pnode::prpc::parse_get_version(body);
  check_error_text(version);
  if (version.ok()) pnode::fuzz::require(simdjson::validate_utf8(version->version), "the version is UTF-8");
  check_error_text(pnode::prpc::parse_get_stats(body));
  auto pods = pnode::prpc::parse_pods(body);
  check_error_text(pods);
  if (pods.ok()) check_pods(*pods);
  return 0;
}
