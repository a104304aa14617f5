// tools/bench: side-by-side benchmarks of crmledger against the systems SPEC §6 compares it with,
// printed as ratios because this machine is shared and absolute times drift.
//
// Each scenario adds Results: {name, value, unit, baseline, ratio, target, met}. `ratio` is
// value/baseline (for rates) and `met` compares ratio or value with `target` as the scenario says.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include "app/handler.h"

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

void SegmentScenario(const Config& c, std::vector<Result>* out);
// Needs CRM_BENCH_SMTP: the URL of an SMTP server to send to (tools/bench starts one).
void DeliveryScenario(const Config& c, std::vector<Result>* out);
void VerifyScenario(const Config& c, std::vector<Result>* out);
void AsOfScenario(const Config& c, std::vector<Result>* out);
void ErasureScenario(const Config& c, std::vector<Result>* out);
void ImportScenario(const Config& c, std::vector<Result>* out);
void StatsScenario(const Config& c, std::vector<Result>* out);
// Needs CRM_BENCH_PG_SOCKET and CRM_BENCH_PSQL: a PostgreSQL 15 server's socket directory and the
// real psql (tools/bench starts the server).
void PostgresScenario(const Config& c, std::vector<Result>* out);

// Shared by the scenarios: a fresh directory under the scratch one; a handler on `dir`
// (creating it); exit 4 with the message on a failed status; a plain RocksDB with default
// options, the compared system for raw writes.
std::string Fresh(const Config& c, const std::string& name);
std::unique_ptr<Handler> OpenHandler(const std::string& dir, std::shared_ptr<rocksdb::Statistics> stats = nullptr);
void Check(const Status& s, const char* what);
std::unique_ptr<rocksdb::DB> PlainDb(const std::string& dir);
// The plain loader (import_scenario.cc), rows/s: `file` (CSV, or XLSX when `xlsx`) read by the
// same reader as an import, each row put into a plain RocksDB in `dir` as a row (a JSON object
// of the columns, or the cells as they are, separated by 0x1f) plus an email index key (from
// column `email_column`), a synced write per 5,000 rows. The floor any importer of the file pays
// through RocksDB's write path, without ledger, sealing, rules or projections.
enum class PlainRows { kJson, kRaw };
double PlainLoad(const std::string& file, const std::string& dir, bool xlsx, size_t email_column, PlainRows rows);
// Creates the next segment with contacts CT0001..CTn as lines, the interaction template `code`
// and `subject`, and returns its number; its commands' ids start with `id_prefix`.
RecordNo SegmentOfContacts(Handler* h, const std::string& id_prefix, uint64_t n, const std::string& code,
                           const std::string& subject);

// `path` opened for writing (a generated data file); exits 4 when it cannot be.
std::FILE* CreateFile(const std::string& path);
// Seconds since `start`.
// The median of `v` (not empty): what a figure quotes, never the best run.
inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// "MIN-MAX" of `v` (not empty) times `scale`, with `decimals` decimals: the spread beside a median.
inline std::string Range(const std::vector<double>& v, double scale, int decimals) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  char text[64];
  std::snprintf(text, sizeof text, "%.*f-%.*f", decimals, *lo * scale, decimals, *hi * scale);
  return text;
}

inline double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One run of `argv` (stdout discarded; exit 4 unless it succeeds): wall time and peak resident
// memory of the process.
struct ProcessRun {
  double seconds = 0;
  double peak_rss_mb = 0;
};
ProcessRun RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env);
// Median wall time in milliseconds of running `argv` (stdout discarded) `runs` times.
double MedianProcessMillis(const std::vector<std::string>& argv, const std::vector<std::string>& env, int runs);

}  // namespace crm::bench
