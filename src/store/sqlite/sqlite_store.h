// The SQLite backend of Store: one file in WAL mode (synchronous=NORMAL), one writer
// connection behind a mutex (write_cycle and prune_registry take it), and a small pool
// of query-only reader connections so history queries and load() never wait for a
// cycle's write. Schema choices are explained in schema.cc; per-node history (raw
// recent samples, hourly compressed chunks, compaction and retention) in
// docs/storage.md.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"
#include "util/result.h"

namespace pnode::store::sqlite {

struct SqliteOptions {
  // How long a connection waits for a lock held by someone else before failing "busy".
  int busy_timeout_ms = 5000;
  // Caps the database size in pages on the writer connection (PRAGMA max_page_count);
  // 0 keeps SQLite's default. A write past the cap fails like a full disk.
  int64_t max_page_count = 0;
  // The check run before anything else touches the file, and what a failed one does
  // (store.h).
  IntegrityCheck integrity_check = IntegrityCheck::kQuick;
  OnCorrupt on_corrupt = OnCorrupt::kRefuse;
};

// Opens (creating the file and its parent directories) the database at `path`, relative
// paths being taken from the working directory, checks it (`options.integrity_check`)
// and migrates it to the current schema. A file or directory it may not write is refused
// with kind "read_only"; a damaged file with kind "corrupt", or, with OnCorrupt::kReadOnly,
// opened without a writer: reads answer what they can, writes fail with "read_only".
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const SqliteOptions& options = {});

}  // namespace pnode::store::sqlite
