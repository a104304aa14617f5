// crmctl compact: deletes the as-of snapshots and rewrites every column family (RocksDB flush
// and forced bottommost compaction), so that no table file or write-ahead log keeps data that
// later writes replaced. The step that makes an erasure physical; also reclaims the disk that
// snapshots pin (docs/design.md). Needs a role that may erase (admin or manager).
#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "cmd/app.h"

namespace crm::cli {
namespace {

// Bytes of the regular files below `dir`, each inode once (snapshots are hard links).
uint64_t DiskBytes(const std::string& dir) {
  std::set<ino_t> seen;
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && seen.insert(st.st_ino).second) {
      bytes += static_cast<uint64_t>(st.st_size);
    }
  }
  return bytes;
}

int Compact(App* app) {
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  if (Status s = (*h)->Authorize(Actor(app->globals().actor), access::Need::kErase); !s.ok()) return app->Fail(s);
  const uint64_t before = DiskBytes(app->globals().data_dir);
  auto dropped = DropSnapshots((*h)->store());
  if (!dropped.ok()) return app->Fail(dropped.status());
  if (Status s = (*h)->store()->Flush(/*compact=*/true); !s.ok()) return app->Fail(s);
  const uint64_t after = DiskBytes(app->globals().data_dir);
  nlohmann::json out{{"snapshots_dropped", *dropped}, {"bytes_before", before}, {"bytes_after", after}};
  if (app->globals().json) {
    app->PrintJson(out);
  } else if (!app->globals().quiet) {
    std::cout << "compacted " << app->globals().data_dir << ": " << before / 1000000.0 << " MB -> " << after / 1000000.0
              << " MB, " << *dropped << " snapshot(s) dropped\n";
  }
  return 0;
}

}  // namespace

void AddCompactCommand(App* app) {
  app->cli()
      .add_subcommand("compact", "drop as-of snapshots and rewrite the storage, leaving no replaced data on disk")
      ->callback([app] { app->SetAction([app] { return Compact(app); }); });
}

}  // namespace crm::cli
