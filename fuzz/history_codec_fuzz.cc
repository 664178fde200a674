// Fuzz target: the per-node history codec (store/history_codec.h), which reads what the
// database holds (a damaged file can hold anything). Each input is used three ways:
//   - as a stored chunk: decode_history_chunk() must fail cleanly or give samples that
//     encode and decode back to themselves;
//   - as the description of samples (strictly increasing timestamps, any field values):
//     encode then decode must give them back exactly;
//   - as a raw segment body: read_raw_slot() of any index stays inside it, and every
//     sample written to a slot reads back (all but the version's high bits and ts, which
//     a slot does not hold).
// Seeds: fuzz/corpus/history_codec.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "store/history_codec.h"

namespace {

using pnode::store::StoredSample;

void check_stored_chunk(std::string_view bytes) {
  std::vector<StoredSample> decoded;
  if (!pnode::store::decode_history_chunk(bytes, decoded).ok()) return;
  pnode::fuzz::require(!decoded.empty(), "a decoded chunk holds samples");
  std::vector<StoredSample> again;
  pnode::fuzz::require(pnode::store::decode_history_chunk(pnode::store::encode_history_chunk(decoded), again).ok(),
                       "a re-encoded chunk decodes");
  pnode::fuzz::require(again == decoded, "a re-encoded chunk decodes to the same samples");
}

std::vector<StoredSample> samples_from(FuzzedDataProvider& in) {
  std::vector<StoredSample> samples(in.ConsumeIntegralInRange<size_t>(1, 300));
  int64_t ts = in.ConsumeIntegral<int64_t>();
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i > 0) {
      auto step = in.ConsumeIntegralInRange<int64_t>(1, 1 << 20);
      if (ts > std::numeric_limits<int64_t>::max() - step) {
        samples.resize(i);  // timestamps must keep increasing
        break;
      }
      ts += step;
    }
    StoredSample& s = samples[i];
    s.ts = ts;
    s.is_online = in.ConsumeBool();
    s.is_public = in.ConsumeBool();
    s.version_id = in.ConsumeIntegral<int64_t>();
    s.uptime = in.ConsumeIntegral<uint64_t>();
    s.storage_committed = in.ConsumeIntegral<uint64_t>();
    s.storage_used = in.ConsumeIntegral<uint64_t>();
    s.usage_percent_bits = in.ConsumeIntegral<uint64_t>();
    s.peer_count = in.ConsumeIntegral<int64_t>();
    s.score_x100 = in.ConsumeIntegral<int64_t>();
    s.trust_score_x100 = in.ConsumeIntegral<int64_t>();
    s.capacity_score_x100 = in.ConsumeIntegral<int64_t>();
  }
  return samples;
}

void check_round_trip(const std::vector<StoredSample>& samples) {
  std::string chunk = pnode::store::encode_history_chunk(samples);
  std::vector<StoredSample> decoded;
  pnode::fuzz::require(pnode::store::decode_history_chunk(chunk, decoded).ok(), "an encoded chunk decodes");
  pnode::fuzz::require(decoded == samples, "an encoded chunk decodes to its samples");
}

void check_raw_slots(std::string_view body, const std::vector<StoredSample>& samples) {
  StoredSample read;
  for (size_t index = 0; index <= body.size() / pnode::store::kRawSlotBytes + 1; ++index)
    (void)pnode::store::read_raw_slot(body, index, 0, read);
  std::string slot(pnode::store::kRawSlotBytes, '\0');
  for (StoredSample s : samples) {
    s.version_id = static_cast<uint32_t>(s.version_id);  // a slot keeps 32 bits of it
    pnode::store::write_raw_slot(s, slot.data());
    pnode::fuzz::require(pnode::store::read_raw_slot(slot, 0, s.ts, read), "a written slot is present");
    pnode::fuzz::require(read == s, "a written slot reads back");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_stored_chunk(bytes);
  FuzzedDataProvider in(data, size);
  std::vector<StoredSample> samples = samples_from(in);
  check_round_trip(samples);
  check_raw_slots(bytes, samples);
  return 0;
}
