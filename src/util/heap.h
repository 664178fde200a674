// Keeping the server's resident memory close to its live data. Each collector cycle
// allocates and frees tens of MB; glibc's defaults (an arena per thread, high trim
// thresholds) would keep all of it resident.
// Thread-safety: limit_retained_heap() once at start, before threads exist;
// release_freed_heap() from any thread.
#pragma once

namespace pnode {

// Two arenas, an mmap threshold of 512 KiB and a trim threshold of 64 KiB, so large
// blocks and freed heap tops go back to the OS.
void limit_retained_heap();

// Returns the heap memory freed since the last call to the OS (after each cycle).
void release_freed_heap();

}  // namespace pnode
