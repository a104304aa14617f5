// crmctl compact: deletes the as-of snapshots and rewrites every column family (RocksDB flush
// and forced bottommost compaction), so that no table file or write-ahead log keeps data that
// later writes replaced. The step that makes an erasure physical; also reclaims the disk that
// snapshots pin (docs/design.md). Handler::Compact checks the role (one that may erase).
#include <set>
#include <sstream>

#include "cmd/app.h"
#include "io/files.h"

namespace crm::cli {
namespace {

Result<Output> Compact(App* app) {
  CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
  std::set<ino_t> before_seen, after_seen;
  const uint64_t before = DiskBytes(app->globals().data_dir, &before_seen);
  CRM_ASSIGN_OR_RETURN(auto dropped, h->Compact(Actor(app->globals().actor)));
  const uint64_t after = DiskBytes(app->globals().data_dir, &after_seen);
  std::ostringstream text;
  if (!app->globals().quiet) {
    text << "compacted " << app->globals().data_dir << ": " << before / 1000000.0 << " MB -> " << after / 1000000.0
         << " MB, " << dropped << " snapshot(s) dropped\n";
  }
  return JsonOrText({{"snapshots_dropped", dropped}, {"bytes_before", before}, {"bytes_after", after}}, text.str());
}

}  // namespace

void AddCompactCommand(App* app) {
  auto* compact = app->cli().add_subcommand(
      "compact", "drop as-of snapshots and rewrite the storage, leaving no replaced data on disk");
  app->On(compact, [app] { return Compact(app); });
}

}  // namespace crm::cli
