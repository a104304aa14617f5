// The statistics benchmark of issue 17: `crmctl campaign stats CP0001 --rollup` over a campaign
// hierarchy holding a million members (100,000 with --quick): CP0001 with four child campaigns,
// each contact a member of one child, every tenth responded. The statistics are kept by their
// read model (projections/stats_rows.h), so the query reads a row and a few counters per
// campaign. The compared design is the one it replaced, which scanned what each campaign holds:
// measured in-process as the scan of the hierarchy's roster rows alone (a lower bound of that
// design: it also read every interaction, opportunity and task row), side by side with the
// same query in-process, and the query as a whole crmctl process beside `crmctl --help`.
#include <cstdio>

#include "projections/projector.h"
#include "projections/stats.h"
#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {

void StatsScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const int children = 4;
  const std::string dir = Fresh(c, "stats");
  {
    auto h = OpenHandler(dir);
    Generator gen(h.get(), 10000);
    Check(gen.Basics(), "basics");
    Check(gen.Contacts(n), "contacts");
    Check(gen.Hierarchy(n, children), "hierarchy");
    Check(h->store()->Flush(true), "compact");
  }
  double query_us = 0, scan_us = 0;
  {
    Store::Options o;
    auto store = std::move(Store::Open(dir, o, AllColumnFamilies()).value());
    Store::Txn txn(store.get());
    ReadModel rm(store.get(), &txn);
    const RecordNo top(RecordKind::kCampaign, 1);
    const int reps = 200;
    const auto start = Clock::now();
    uint64_t members = 0;
    for (int i = 0; i < reps; ++i) {
      auto s = ComputeCampaignStats(rm, top, /*rollup=*/true);
      Check(s.status(), "stats");
      members = s->members;
    }
    query_us = Since(start) * 1e6 / reps;
    if (members != n) std::fprintf(stderr, "bench: the rollup counts %llu members, not %llu\n",
                                   static_cast<unsigned long long>(members), static_cast<unsigned long long>(n));
    const auto scan_start = Clock::now();
    uint64_t responded = 0;
    for (uint64_t k = 1; k <= static_cast<uint64_t>(children) + 1; ++k) {
      Check(rm.ForEachMember(RecordNo(RecordKind::kCampaign, k), RecordNo(), [&](const RosterRow& row) {
        responded += row.m.responded;
        return true;
      }), "scan");
    }
    scan_us = Since(scan_start) * 1e6;
    if (responded != n / 10) std::fprintf(stderr, "bench: the scan found %llu responded\n",
                                          static_cast<unsigned long long>(responded));
  }
  const std::vector<std::string> env{"CRM_DATA=" + dir};
  const double cli_ms = MedianProcessMillis({c.crmctl, "campaign", "stats", "CP0001", "--rollup", "--json"}, env, 11);
  const double help_ms = MedianProcessMillis({c.crmctl, "--help"}, env, 11);
  const std::string size = n % 1000000 == 0 ? std::to_string(n / 1000000) + "M" : std::to_string(n / 1000) + "k";
  std::fprintf(stderr, "bench: stats --rollup over %s members in %d+1 campaigns: %.0f us in-process, roster scan %.0f us; "
               "process %.1f ms, --help %.1f ms\n", size.c_str(), children, query_us, scan_us, cli_ms, help_ms);
  out->push_back({"stats_rollup_" + size + "_members", query_us, "us", scan_us, scan_us / query_us,
                  "info (ratio = roster scan of the replaced design / ours)", true});
  out->push_back({"cli_stats_rollup_" + size + "_members", cli_ms, "ms", help_ms, cli_ms / help_ms, "< 50 ms", cli_ms < 50});
}

}  // namespace crm::bench
