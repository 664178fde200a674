// What the server gives back after each cycle, so that its resident memory between cycles
// is its live data: the pod lists' storage kept for the next list, the buffers the lists
// were parsed in, the store's page caches, and then the heap the cycle freed. The server
// calls it after each cycle (app/serve.cc) and bench_cycle --server-heap does the same.
// Thread-safety: any thread; the next cycle refills what it frees.
#pragma once

#include "store/store.h"

namespace pnode::collect {

// `store` may be null (nothing of a store to release).
void release_between_cycles(store::Store* store);

}  // namespace pnode::collect
