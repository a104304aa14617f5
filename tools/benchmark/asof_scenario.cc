// The as-of benchmark of issue 5: `crmctl --at SEQ roster CP0001 --count` on a 10-million-event
// ledger (1 million with --quick: 1M contacts, 1M members, status updates to 10M), as a whole
// process, with the snapshots the writer keeps (every kDefaultSnapshotInterval records), side
// by side with the design it replaced: the same command with the snapshots hidden, which
// replays from the first record. Points: the middle of the ledger and just before its end, by
// record number, and the middle by timestamp. Also: what the snapshots cost on disk beyond
// the live database (files not hard-linked to it).
#include <cstdio>
#include <filesystem>
#include <set>

#include "io/files.h"
#include "projections/as_of.h"
#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {


namespace fs = std::filesystem;

void AsOfScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const uint64_t total_events = c.quick ? 1000000 : 10000000;
  const std::string dir = Fresh(c, "asof");
  uint64_t head = 0;
  {
    auto h = OpenHandler(dir);
    Generator gen(h.get(), 10000);
    gen.set_snapshots(true);
    const auto start = std::chrono::steady_clock::now();
    Check(gen.Basics(), "basics");
    Check(gen.Contacts(n), "contacts");
    Check(gen.Members(n), "members");
    const uint64_t have = h->ledger()->Head()->first.value();
    const int rounds = have < total_events ? static_cast<int>((total_events - have + n - 1) / n) : 0;
    Check(gen.StatusUpdates(n, rounds), "status updates");
    Check(h->store()->Flush(true), "compact");
    head = h->ledger()->Head()->first.value();
    std::fprintf(stderr, "bench: as-of data set: %llu records in %.1f s (snapshots every %llu)\n",
                 static_cast<unsigned long long>(head), Since(start),
                 static_cast<unsigned long long>(kDefaultSnapshotInterval));
  }
  // Mid-ledger and near the end, away from a snapshot (the worst case is interval - 1 records
  // of replay; these sit at about half of that and near it).
  const uint64_t mid = head / 2 + kDefaultSnapshotInterval / 2;
  const uint64_t late = head - kDefaultSnapshotInterval / 10;
  // Batch k (of 10,000 events) is stamped kBaseTime + k s: the batch holding record `mid`.
  const std::string mid_time = FormatTimestamp(Timestamp(Generator::kBaseTime + static_cast<int64_t>(mid / 10000) * 1000000));
  const std::vector<std::string> env{"CRM_DATA=" + dir};
  auto at = [&](const std::string& point) {
    return std::vector<std::string>{c.crmctl, "--at", point, "roster", "CP0001", "--count", "--json"};
  };
  const double live_ms = MedianProcessMillis({c.crmctl, "roster", "CP0001", "--count", "--json"}, env, 5);
  const double mid_ms = MedianProcessMillis(at(std::to_string(mid)), env, 3);
  const double late_ms = MedianProcessMillis(at(std::to_string(late)), env, 3);
  const double time_ms = MedianProcessMillis(at(mid_time), env, 3);

  std::set<ino_t> seen;
  const uint64_t db_bytes = DiskBytes((fs::path(dir) / "db").string(), &seen);
  const uint64_t snapshot_bytes = DiskBytes((fs::path(dir) / "snapshots").string(), &seen);

  // The compared design: no snapshots, a replay from record 1 (one run: it is slow).
  fs::rename(fs::path(dir) / "snapshots", fs::path(dir) / "snapshots.hidden");
  const double replay_ms = MedianProcessMillis(at(std::to_string(mid)), env, 1);
  fs::rename(fs::path(dir) / "snapshots.hidden", fs::path(dir) / "snapshots");

  std::fprintf(stderr,
               "bench: --at over %llu records: mid (%llu) %.0f ms, late (%llu) %.0f ms, by time (%s) %.0f ms; "
               "live %.0f ms; replay from record 1 to mid %.0f ms; snapshots add %.1f MB to a %.1f MB database\n",
               static_cast<unsigned long long>(head), static_cast<unsigned long long>(mid), mid_ms,
               static_cast<unsigned long long>(late), late_ms, mid_time.c_str(), time_ms, live_ms, replay_ms,
               snapshot_bytes / 1e6, db_bytes / 1e6);
  const std::string size = std::to_string(total_events / 1000000) + "M_events";
  out->push_back({"cli_at_mid_" + size, mid_ms, "ms", replay_ms, mid_ms / replay_ms, "info (ratio = ours/replay from record 1)", true});
  out->push_back({"cli_at_late_" + size, late_ms, "ms", replay_ms, late_ms / replay_ms, "info (baseline: replay to mid)", true});
  out->push_back({"cli_at_time_mid_" + size, time_ms, "ms", replay_ms, time_ms / replay_ms, "info (baseline: replay to mid)", true});
  out->push_back({"cli_at_live_" + size, live_ms, "ms", mid_ms, live_ms / mid_ms, "info (the same read without --at)", true});
  out->push_back({"asof_snapshot_bytes_" + size, snapshot_bytes / 1e6, "MB", db_bytes / 1e6,
                  static_cast<double>(snapshot_bytes) / static_cast<double>(db_bytes), "info (ratio = extra/database)", true});
}

}  // namespace crm::bench
