// Fuzz target: the pRPC answer parser (prpc/parse.h). A seed may answer anything to any
// call, so every input goes through the three parse functions (get-version, get-stats,
// get-pods / get-pods-with-stats). Beyond "no crash, no sanitizer report": a parsed pod
// list never holds an address or pubkey over the parser's identity bound.
// Seeds: the recorded captures of testdata/prpc, plus fuzz/corpus/prpc_parse.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "prpc/parse.h"

namespace {

constexpr size_t kMaxIdentityBytes = 128;  // prpc/parse.cc: longer rows are skipped

void check_pods(const pnode::prpc::PodList& list) {
  for (const auto& pod : list.pods) {
    pnode::fuzz::require(pod.address.size() <= kMaxIdentityBytes, "pod address within its bound");
    pnode::fuzz::require(!pod.pubkey || pod.pubkey->size() <= kMaxIdentityBytes, "pod pubkey within its bound");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)pnode::prpc::parse_get_version(body);
  (void)pnode::prpc::parse_get_stats(body);
  auto pods = pnode::prpc::parse_pods(body);
  if (pods.ok()) check_pods(*pods);
  return 0;
}
