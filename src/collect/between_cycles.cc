#include "collect/between_cycles.h"

#include "prpc/parse.h"
#include "prpc/pod_storage.h"
#include "util/heap.h"

namespace pnode::collect {

void release_between_cycles(store::Store* store) {
  prpc::release_pod_storage();
  prpc::release_shared_parse_buffers();
  if (store) store->release_memory();
  release_freed_heap();  // last: what the calls above freed goes too
}

}  // namespace pnode::collect
