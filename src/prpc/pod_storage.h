// Storage for large pod lists, handed from one list to the next: a seed's list of 100k
// pods is ~25 MB, and allocating nine of them fresh every cycle cost page faults and heap
// churn (bench/README.md). The merge (collect/merge.h) gives a list's vector back as soon
// as it has taken its pods, and the next large parse fills it, recycling the pods the
// merge left there: their strings' buffers take the next list's addresses and pubkeys,
// where each pubkey was an allocation and a free. The server calls
// release_pod_storage() after each cycle, with its heap trim (util/heap.h), so nothing
// stays resident between its cycles.
// Lists of fewer than kPooledFromPods pods, and vectors more than twice the size a list
// needs, are left to the allocator.
// Thread-safety: every function may be called from any thread (one mutex).
#pragma once

#include <cstddef>
#include <vector>

#include "prpc/types.h"

namespace pnode::prpc {

inline constexpr size_t kPooledFromPods = 1024;

// A vector with room for `count` pods when one is held (it may hold an earlier list's
// pods, to be recycled), else an empty one.
std::vector<model::Pod> take_pod_storage(size_t count);
// Keeps `storage`, pods and all, for the next large list; at most two are held.
void give_back_pod_storage(std::vector<model::Pod>&& storage);
// Frees what is held.
void release_pod_storage();
// How many vectors are held (tests).
size_t held_pod_storage();

}  // namespace pnode::prpc
