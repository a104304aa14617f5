// tools/bench: runs the benchmark scenarios and prints a table, or JSON with --json:
//   {"results": [{"name","value","unit","baseline","ratio","target","met"}]}
// --quick runs a small version of everything; --only NAME runs one scenario (append, single, roster, kafka, segment, delivery, verify, asof, erasure, import, postgres, stats);
// --keep leaves the generated data sets in place (for profiling).
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tools/benchmark/bench.h"

int main(int argc, char** argv) {
  using namespace crm::bench;
  Config config;
  bool json = false;
  bool keep = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      config.quick = true;
    } else if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (std::strcmp(argv[i], "--crmctl") == 0 && i + 1 < argc) {
      config.crmctl = argv[++i];
    } else {
      std::fprintf(stderr, "error: unknown argument '%s'\nusage: bench [--quick] [--json] [--keep] [--only append|single|roster|kafka|segment|delivery|verify|asof|erasure|import|postgres|stats] --crmctl PATH\n", argv[i]);
      return 1;
    }
  }
  if (config.crmctl.empty()) {
    std::fprintf(stderr, "error: --crmctl PATH is required\n");
    return 1;
  }
  char tmpl[] = "/tmp/crm-bench-XXXXXX";
  config.scratch = ::mkdtemp(tmpl);
  const std::pair<const char*, Scenario> scenarios[] = {
      {"append", AppendScenario}, {"single", SingleCommandScenario}, {"roster", RosterScenario}, {"kafka", KafkaScenario},
      {"segment", SegmentScenario}, {"delivery", DeliveryScenario}, {"verify", VerifyScenario}, {"asof", AsOfScenario}, {"erasure", ErasureScenario}, {"import", ImportScenario},
      {"postgres", PostgresScenario}, {"stats", StatsScenario}};
  std::vector<Result> results;
  for (const auto& [name, run] : scenarios) {
    if (!only.empty() && only != name) continue;
    std::fprintf(stderr, "bench: %s%s...\n", name, config.quick ? " (quick)" : "");
    run(config, &results);
  }
  if (keep) {
    std::fprintf(stderr, "bench: data sets kept in %s\n", config.scratch.c_str());
  } else {
    std::filesystem::remove_all(config.scratch);
  }

  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) {
      out.push_back({{"name", r.name}, {"value", r.value}, {"unit", r.unit}, {"baseline", r.baseline},
                     {"ratio", r.ratio}, {"target", r.target}, {"met", r.met}});
    }
    std::cout << nlohmann::json{{"results", out}}.dump(2) << '\n';
    return 0;
  }
  std::printf("%-34s %14s %-11s %14s %8s  %-24s %s\n", "NAME", "VALUE", "UNIT", "BASELINE", "RATIO", "TARGET", "MET");
  for (const auto& r : results) {
    std::printf("%-34s %14.1f %-11s %14.1f %8.3f  %-24s %s\n", r.name.c_str(), r.value, r.unit.c_str(), r.baseline,
                r.ratio, r.target.c_str(), r.met ? "yes" : "NO");
  }
  return 0;
}
