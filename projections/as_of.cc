#include "projections/as_of.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "projections/projector.h"
#include "projections/queries.h"

namespace crm {
namespace fs = std::filesystem;

namespace {

constexpr char kSnapshotDir[] = "snapshots";
constexpr char kWorkPrefix[] = ".work-";  // a reader's scratch copy
constexpr char kTempPrefix[] = ".tmp-";   // a snapshot being taken, or being deleted
constexpr auto kStaleWork = std::chrono::hours(1);

struct Snapshot {
  uint64_t seq = 0;
  int64_t time = 0;
  int format = 0;
  fs::path path;
};

std::string SnapshotName(uint64_t seq, int64_t time) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%020llu-%lld-f%d", static_cast<unsigned long long>(seq), static_cast<long long>(time),
                kProjectionFormat);
  return buf;
}

std::optional<Snapshot> ParseName(const fs::path& path) {
  const std::string name = path.filename().string();
  Snapshot s;
  s.path = path;
  const char* p = name.data();
  const char* end = name.data() + name.size();
  auto r = std::from_chars(p, end, s.seq);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != '-') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, s.time);
  if (r.ec != std::errc() || end - r.ptr < 3 || r.ptr[0] != '-' || r.ptr[1] != 'f') return std::nullopt;
  r = std::from_chars(r.ptr + 2, end, s.format);
  if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
  return s;
}

// Marks a snapshot's directory complete: written last, before it is renamed into place.
constexpr char kCompleteMark[] = "complete";

// Whether a snapshot is complete. Snapshots are renamed into place whole, with their mark, and
// renamed away before deletion; one without the mark is damage (a deletion by an older version,
// interrupted) that readers pass over and writers tidy.
bool Whole(const Snapshot& s) {
  std::error_code ec;
  return fs::exists(s.path / kCompleteMark, ec) && fs::exists(s.path / "db" / "CURRENT", ec);
}

// Whole snapshots of the current projection format, oldest first.
std::vector<Snapshot> ListSnapshots(const fs::path& dir) {
  std::vector<Snapshot> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto s = ParseName(entry.path());
    if (s && s->format == kProjectionFormat && Whole(*s)) out.push_back(*s);
  }
  std::sort(out.begin(), out.end(), [](const Snapshot& a, const Snapshot& b) { return a.seq < b.seq; });
  return out;
}

// The time of record `seq`.
Result<int64_t> RecordTime(Ledger* ledger, uint64_t seq) {
  CRM_ASSIGN_OR_RETURN(std::string record, ledger->ReadOne(LedgerSeq(seq)));
  CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
  return env->recorded_at();
}

// Deletes a snapshot so that no one sees half of it: renamed out of the listing first (atomic),
// then removed; a kill -9 in between leaves a temporary name that Tidy removes later.
std::error_code Discard(const fs::path& snapshot) {
  std::error_code ec;
  const fs::path gone = snapshot.parent_path() / (kTempPrefix + ("gone-" + snapshot.filename().string()));
  fs::rename(snapshot, gone, ec);
  if (ec) return ec;
  fs::remove_all(gone, ec);
  return ec;
}

// Removes what an earlier writer or reader left: snapshots of another projection format, a
// snapshot that was being taken, scratch copies of readers gone for an hour.
void Tidy(const fs::path& dir) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    auto s = ParseName(entry.path());
    std::error_code ignored;
    const bool stale_work = name.rfind(kWorkPrefix, 0) == 0 && now - fs::last_write_time(entry.path(), ignored) > kStaleWork;
    if ((s && (s->format != kProjectionFormat || !Whole(*s))) || name.rfind(kTempPrefix, 0) == 0 || stale_work) {
      fs::remove_all(entry.path(), ignored);
    }
  }
}

// Copies a snapshot's database into `to`: table files are immutable, so hard links do; the rest
// (MANIFEST, OPTIONS, CURRENT, WAL) is copied, since opening the copy for writing changes them.
Status CopyDb(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return Status::Unavailable("cannot create " + to.string() + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    const fs::path target = to / entry.path().filename();
    std::error_code link_ec;
    if (entry.path().extension() == ".sst") fs::create_hard_link(entry.path(), target, link_ec);
    if (entry.path().extension() != ".sst" || link_ec) {
      fs::copy_file(entry.path(), target, ec);
      if (ec) return Status::Unavailable("cannot copy " + entry.path().string() + ": " + ec.message());
    }
  }
  if (ec) return Status::Unavailable("cannot read " + from.string() + ": " + ec.message());
  return Status::Ok();
}

// Deletes snapshots beyond kMaxSnapshots, each time the one whose neighbours lie closest
// together; the first and the newest four stay.
void Thin(std::vector<Snapshot> snapshots) {
  constexpr size_t kKeepNewest = 4;
  while (snapshots.size() > kMaxSnapshots) {
    size_t victim = 1;
    uint64_t best = UINT64_MAX;
    for (size_t i = 1; i + kKeepNewest < snapshots.size(); ++i) {
      const uint64_t gap = snapshots[i + 1].seq - snapshots[i - 1].seq;
      if (gap < best) best = gap, victim = i;
    }
    Discard(snapshots[victim].path);
    snapshots.erase(snapshots.begin() + static_cast<std::ptrdiff_t>(victim));
  }
}

}  // namespace

Result<ReplayBound> ParseAsOf(std::string_view text) {
  ReplayBound bound;
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    auto r = std::from_chars(text.data(), text.data() + text.size(), bound.upto);
    if (r.ec != std::errc() || bound.upto == 0) {
      return Status::InvalidArgument("--at " + std::string(text) + ": record numbers start at 1");
    }
    return bound;
  }
  auto t = ParseTimestamp(text);
  if (!t.ok()) {
    return Status::InvalidArgument("--at '" + std::string(text) +
                                   "' is neither a record number nor a timestamp (like 2027-01-10T09:00:00Z)");
  }
  bound.upto = UINT64_MAX;
  bound.until = *t;
  return bound;
}

Status MaybeSnapshot(Store* store, Ledger* ledger, uint64_t interval) {
  if (interval == 0) return Status::Ok();
  const fs::path dir = fs::path(store->dir()) / kSnapshotDir;
  Store::Txn txn(store);
  CRM_ASSIGN_OR_RETURN(uint64_t checkpoint, ReadModel(store, &txn).Checkpoint());
  const auto existing = ListSnapshots(dir);
  const uint64_t newest = existing.empty() ? 0 : existing.back().seq;
  if (checkpoint < newest + interval) return Status::Ok();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create " + dir.string() + ": " + ec.message());
  Tidy(dir);
  CRM_ASSIGN_OR_RETURN(int64_t time, RecordTime(ledger, checkpoint));
  const fs::path temp = dir / (kTempPrefix + std::to_string(checkpoint));
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec) return Status::Unavailable("cannot create " + temp.string() + ": " + ec.message());
  CRM_RETURN_IF_ERROR(store->CheckpointTo((temp / "db").string()));
  if (std::FILE* mark = std::fopen((temp / kCompleteMark).c_str(), "wb"); mark != nullptr) {
    std::fclose(mark);
  } else {
    return Status::Unavailable("cannot mark snapshot " + temp.string() + " complete");
  }
  fs::rename(temp, dir / SnapshotName(checkpoint, time), ec);
  if (ec) return Status::Unavailable("cannot name snapshot " + temp.string() + ": " + ec.message());
  Thin(ListSnapshots(dir));
  return Status::Ok();
}

Result<size_t> DropSnapshots(Store* store) {
  if (!store->writable()) return Status::Internal("dropping snapshots from a read-only store");
  const fs::path dir = fs::path(store->dir()) / kSnapshotDir;
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
  size_t dropped = 0;
  for (const fs::path& entry : entries) {
    const bool snapshot = ParseName(entry).has_value();
    if (snapshot) {
      ec = Discard(entry);
    } else {
      fs::remove_all(entry, ec);
    }
    if (ec) return Status::Unavailable("cannot delete " + entry.string() + ": " + ec.message());
    dropped += snapshot;
  }
  return dropped;
}

Result<std::unique_ptr<AsOfView>> AsOfView::Open(Store* live, Ledger* ledger, const ReplayBound& bound) {
  CRM_ASSIGN_OR_RETURN(auto head, ledger->Head());
  const uint64_t last = head.first.value();
  if (last == 0) return Status::InvalidArgument("--at: the ledger is empty");
  if (!bound.until && bound.upto > last) {
    return Status::InvalidArgument("--at " + std::to_string(bound.upto) + ": the ledger ends at record " +
                                   std::to_string(last));
  }
  if (bound.until) {
    CRM_ASSIGN_OR_RETURN(int64_t first_time, RecordTime(ledger, 1));
    if (bound.until->value() < first_time) {
      return Status::InvalidArgument("--at " + FormatTimestamp(*bound.until) + ": the ledger starts later, at " +
                                     FormatTimestamp(Timestamp(first_time)));
    }
  }
  Store::Txn live_txn(live);
  CRM_ASSIGN_OR_RETURN(uint64_t live_at, ReadModel(live, &live_txn).Checkpoint());
  CRM_ASSIGN_OR_RETURN(uint64_t last_erasure, ReadModel(live, &live_txn).LastErasure());
  if (live_at == last) {
    bool all = bound.upto >= last;
    if (bound.until) {
      CRM_ASSIGN_OR_RETURN(int64_t last_time, RecordTime(ledger, last));
      all = last_time <= bound.until->value();
    }
    if (all) return std::unique_ptr<AsOfView>();
  }

  std::unique_ptr<AsOfView> view(new AsOfView());
  const fs::path snapshots = fs::path(live->dir()) / kSnapshotDir;
  // Scratch space beside the snapshots, so that hard links work; /tmp when that is not writable.
  std::error_code ec;
  fs::create_directories(snapshots, ec);
  std::string tmpl = (snapshots / (std::string(kWorkPrefix) + "XXXXXX")).string();
  if (ec || ::mkdtemp(tmpl.data()) == nullptr) {
    tmpl = "/tmp/crmctl-asof-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return Status::Unavailable("cannot create a scratch directory for --at");
  }
  view->dir_ = tmpl;
  // The writer may thin away the chosen snapshot while it is being copied: choose again.
  for (int attempt = 1;; ++attempt) {
    std::optional<Snapshot> from;
    for (const auto& s : ListSnapshots(snapshots)) {
      if (s.seq <= bound.upto && s.seq <= last && (!bound.until || s.time <= bound.until->value())) from = s;
    }
    if (!from) break;
    const fs::path db = fs::path(view->dir_) / "db";
    Status copied = CopyDb(from->path / "db", db);
    if (copied.ok()) {
      view->snapshot_ = from->seq;
      break;
    }
    fs::remove_all(db, ec);
    if (attempt == 3) return copied;
  }
  Store::Options options;
  options.mode = Store::Mode::kWrite;
  options.create_if_missing = true;
  options.scratch = true;
  CRM_ASSIGN_OR_RETURN(view->store_, Store::Open(view->dir_, options, AllColumnFamilies()));
  // Keys come from the live data directory: a snapshot's own copy may lack newer ones, and
  // still hold erased ones.
  Keyring keys(live);
  if (view->snapshot_ != 0 && view->snapshot_ < last_erasure) {
    // People erased since the snapshot: their rows as a replay from record 1 would have them.
    CRM_ASSIGN_OR_RETURN(std::vector<std::string> erased, keys.AllErased());
    Projector scrubber(view->store_.get(), &keys);
    Store::Txn txn(view->store_.get());
    for (const std::string& subject : erased) {
      CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(subject));
      CRM_RETURN_IF_ERROR(scrubber.Scrub(no, &txn));
    }
    CRM_RETURN_IF_ERROR(txn.Commit(/*sync=*/false));
  }
  CRM_ASSIGN_OR_RETURN(RebuildStats stats, ReplayAsOf(view->store_.get(), ledger, bound, &keys));
  view->seq_ = stats.last_seq;
  return view;
}

AsOfView::~AsOfView() {
  store_.reset();
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

}  // namespace crm
