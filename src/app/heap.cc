#include "app/heap.h"

#include <malloc.h>

namespace pnode::app {

void limit_retained_heap() {
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024);
}

void release_freed_heap() { malloc_trim(0); }

}  // namespace pnode::app
