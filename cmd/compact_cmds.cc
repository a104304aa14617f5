// crmctl compact: deletes the as-of snapshots and rewrites every column family (RocksDB flush
// and forced bottommost compaction), so that no table file or write-ahead log keeps data that
// later writes replaced. The step that makes an erasure physical; also reclaims the disk that
// snapshots pin (docs/design.md). Handler::Compact checks the role (one that may erase).
#include <iostream>
#include <set>

#include "cmd/app.h"
#include "io/files.h"

namespace crm::cli {
namespace {

int Compact(App* app) {
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  std::set<ino_t> before_seen, after_seen;
  const uint64_t before = DiskBytes(app->globals().data_dir, &before_seen);
  auto dropped = (*h)->Compact(Actor(app->globals().actor));
  if (!dropped.ok()) return app->Fail(dropped.status());
  const uint64_t after = DiskBytes(app->globals().data_dir, &after_seen);
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
