#include "util/heap.h"

#include <malloc.h>

namespace pnode {

void limit_retained_heap() {
  mallopt(M_ARENA_MAX, 2);
  // Blocks from 512 KiB go to mmap: below that, a response body (a /pnodes page of 100
  // nodes is ~110 KB) reuses freed heap. Each mmap'd body cost a munmap with a TLB
  // shootdown on every core and a page fault per 4 KiB when written: at 64 KiB, uncached
  // /pnodes pages at 10k pods ran at ~1,500 req/s instead of ~5,500.
  mallopt(M_MMAP_THRESHOLD, 512 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024);
}

void release_freed_heap() { malloc_trim(0); }

}  // namespace pnode
