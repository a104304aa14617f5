// tools/bench: side-by-side benchmarks of crmledger against the systems SPEC §6 compares it with,
// printed as ratios because this machine is shared and absolute times drift.
//
// Each scenario adds Results: {name, value, unit, baseline, ratio, target, met}. `ratio` is
// value/baseline (for rates) and `met` compares ratio or value with `target` as the scenario says.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace crm::bench {

struct Result {
  std::string name;
  double value = 0;
  std::string unit;
  double baseline = 0;  // 0 when there is no compared system
  double ratio = 0;
  std::string target;   // human-readable, e.g. ">= 0.5x" or "< 1 ms"
  bool met = false;
};

struct Config {
  bool quick = false;
  std::string crmctl;   // path of the crmctl binary, for whole-process measurements
  std::string scratch;  // directory for data sets
};

using Scenario = std::function<void(const Config&, std::vector<Result>*)>;

void AppendScenario(const Config& c, std::vector<Result>* out);
void SingleCommandScenario(const Config& c, std::vector<Result>* out);
void RosterScenario(const Config& c, std::vector<Result>* out);
void KafkaScenario(const Config& c, std::vector<Result>* out);

// Seconds since `start`.
inline double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Median wall time in milliseconds of running `argv` (stdout discarded) `runs` times.
double MedianProcessMillis(const std::vector<std::string>& argv, const std::vector<std::string>& env, int runs);

}  // namespace crm::bench
