// The benchmark scenarios of issue 2 (see bench.h for the report format).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

extern char** environ;

namespace crm::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string SeqKey(uint64_t seq) {
  std::string k;
  PutBigEndian64(&k, seq);
  return k;
}

Result Rate(std::string name, double value, double baseline, double target_ratio) {
  Result r{std::move(name), value, "events/s", baseline, baseline > 0 ? value / baseline : 0, "", false};
  char t[32];
  std::snprintf(t, sizeof t, ">= %.2gx", target_ratio);
  r.target = t;
  r.met = r.ratio >= target_ratio;
  return r;
}

}  // namespace

std::string Fresh(const Config& c, const std::string& name) {
  const std::string dir = c.scratch + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<Handler> OpenHandler(const std::string& dir, std::shared_ptr<rocksdb::Statistics> stats) {
  Handler::Options o;
  o.data_dir = dir;
  o.create = true;
  o.statistics = std::move(stats);
  auto h = Handler::Open(o);
  if (!h.ok()) {
    std::fprintf(stderr, "bench: %s\n", h.status().ToString().c_str());
    std::exit(4);
  }
  return std::move(h).value();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(4);
  }
}

std::unique_ptr<rocksdb::DB> PlainDb(const std::string& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  Check(FromRocks(rocksdb::DB::Open(o, dir, &db), "plain rocksdb"), "open");
  return std::unique_ptr<rocksdb::DB>(db);
}

RecordNo SegmentOfContacts(Handler* h, const std::string& id_prefix, uint64_t n, const std::string& code,
                           const std::string& subject) {
  auto req = [&](const char* what) {
    return Request{CommandId(id_prefix + what), Actor("bench"), Timestamp(1799571600000000LL), {}, "", {}, ""};
  };
  auto created = h->CreateSegment(req("segment"), "Bench segment");
  Check(created.status(), "segment");
  const RecordNo no = RecordNo::Parse(created->value("no", "")).value();
  std::vector<RecordNo> ids;
  for (uint64_t i = 1; i <= n; ++i) ids.emplace_back(RecordKind::kContact, i);
  Check(h->Segment(req("lines"), segment::AddLines{{}, no, ids, false}).status(), "lines");
  segment::SetHeader set;
  set.no = no;
  set.interaction_template = code;
  if (!subject.empty()) set.subject = subject;
  Check(h->Segment(req("header"), set).status(), "header");
  return no;
}

std::FILE* CreateFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "bench: cannot write %s\n", path.c_str());
    std::exit(4);
  }
  return f;
}

ProcessRun RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<std::string> envs = env;
  for (char** e = environ; *e != nullptr; ++e) envs.emplace_back(*e);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : envs) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, cargv[0], &fa, nullptr, cargv.data(), cenv.data()) != 0) {
    std::fprintf(stderr, "bench: cannot run %s\n", cargv[0]);
    std::exit(4);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  ProcessRun run{Since(start), static_cast<double>(usage.ru_maxrss) / 1024.0};
  posix_spawn_file_actions_destroy(&fa);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "bench: %s exited with %d\n", argv[1].c_str(), WEXITSTATUS(status));
    std::exit(4);
  }
  return run;
}

double MedianProcessMillis(const std::vector<std::string>& argv, const std::vector<std::string>& env, int runs) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) ms.push_back(RunProcess(argv, env).seconds * 1000);
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// Batched appends of MemberAdded events in synced batches of 10,000, against plain RocksDB puts
// of the same record bytes in the same batches, also synced: through the ledger alone (encode,
// hash chain, stream index), and with the projections written in the same batches (an import).
void AppendScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const size_t batch = 10000;
  double ledger_only = 0;
  {
    auto h = OpenHandler(Fresh(c, "append-ledger"));
    EmbeddedLedger bare(h->store(), nullptr);
    Generator gen(h.get(), batch, &bare);
    const auto start = Clock::now();
    Check(gen.Members(n), "members");
    ledger_only = static_cast<double>(n) / Since(start);
  }
  const std::string dir = Fresh(c, "append");
  auto h = OpenHandler(dir);
  Generator gen(h.get(), batch);
  Check(gen.Basics(), "basics");
  const uint64_t first = h->ledger()->Head()->first.value() + 1;
  const auto start = Clock::now();
  Check(gen.Members(n), "members");
  const double ours = static_cast<double>(n) / Since(start);

  std::vector<std::string> records;
  records.reserve(n);
  Check(h->ledger()->Read(LedgerSeq(first), [&](LedgerSeq, std::string_view r) {
    records.emplace_back(r);
    return true;
  }), "read back");
  h.reset();

  auto db = PlainDb(Fresh(c, "append-plain"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const auto plain_start = Clock::now();
  for (size_t i = 0; i < records.size(); i += batch) {
    rocksdb::WriteBatch wb;
    for (size_t j = i; j < std::min(records.size(), i + batch); ++j) wb.Put(SeqKey(first + j), records[j]);
    Check(FromRocks(db->Write(wo, &wb), "plain write"), "plain write");
  }
  const double plain = static_cast<double>(records.size()) / Since(plain_start);
  out->push_back(Rate("append_batched_ledger", ledger_only, plain, 0.5));
  Result with_projections = Rate("append_batched_with_projections", ours, plain, 0.5);
  with_projections.target = "info (writes 4 keys/event)";
  with_projections.met = true;
  out->push_back(with_projections);
}

// Durable single commands: one member status change per command, in-process through the
// handler and as whole crmctl processes; WAL syncs counted by RocksDB's statistics.
void SingleCommandScenario(const Config& c, std::vector<Result>* out) {
  const int n = c.quick ? 100 : 300;
  const std::string dir = Fresh(c, "single");
  auto stats = rocksdb::CreateDBStatistics();
  auto h = OpenHandler(dir, stats);
  Generator gen(h.get(), 1000);
  Check(gen.Basics(), "basics");
  Check(gen.Contacts(1), "contacts");
  Check(gen.Members(1), "members");
  const RecordNo cp(RecordKind::kCampaign, 1), ct(RecordKind::kContact, 1);
  const uint64_t syncs_before = stats->getTickerCount(rocksdb::WAL_FILE_SYNCED);
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    Request r{CommandId("single-" + std::to_string(i)), Actor("bench"), Timestamp(1799571600000000LL), {}, "", {}, ""};
    Check(h->SetMemberStatus(r, MemberSelection{cp, {ct}, {}, false}, i % 2 ? "Invited" : "Attended",
                             fb::MemberHow::Manual).status(), "set status");
  }
  const double ours = n / Since(start);
  const double syncs = static_cast<double>(stats->getTickerCount(rocksdb::WAL_FILE_SYNCED) - syncs_before) / n;
  h.reset();

  auto db = PlainDb(Fresh(c, "single-plain"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const std::string value(300, 'x');
  const auto plain_start = Clock::now();
  for (int i = 0; i < n; ++i) Check(FromRocks(db->Put(wo, SeqKey(i), value), "put"), "put");
  const double plain = n / Since(plain_start);

  Result in_process{"durable_command_in_process", ours, "commands/s", plain, ours / plain, "info (vs 1 synced put)", true};
  out->push_back(in_process);
  out->push_back({"wal_syncs_per_command", syncs, "syncs", 0, 0, "== 1", syncs > 0.99 && syncs < 1.01});

  const int procs = c.quick ? 20 : 60;
  const auto cli_start = Clock::now();
  for (int i = 0; i < procs; ++i) {
    MedianProcessMillis({c.crmctl, "member", "set-status", "CP0001", "CT0001", i % 2 ? "Invited" : "Attended"},
                        {"CRM_DATA=" + dir, "CRM_USER=bench"}, 1);
  }
  const double cli = procs / Since(cli_start);
  out->push_back({"durable_command_cli_process", cli, "commands/s", ours, cli / ours, "info (vs in-process)", true});
}

// A 1-million-member campaign (100,000 with --quick): roster page of 50 and counts by status,
// in-process and as whole crmctl processes, the projection rebuild rate, and a CLI query on a
// 10-million-event data set (1 million with --quick).
void RosterScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const uint64_t total_events = c.quick ? 1000000 : 10000000;
  const std::string dir = Fresh(c, "roster");
  {
    auto h = OpenHandler(dir);
    Generator gen(h.get(), 10000);
    Check(gen.Basics(), "basics");
    Check(gen.Contacts(n), "contacts");
    Check(gen.Members(n), "members");

    const auto start = Clock::now();
    auto rebuilt = Rebuild(h->store(), h->ledger(), nullptr);
    Check(rebuilt.status(), "rebuild");
    const double rate = static_cast<double>(rebuilt->records) / Since(start);
    out->push_back({"projection_rebuild", rate, "events/s", 0, rate / 1e6, ">= 1000000 events/s", rate >= 1e6});
    Check(h->store()->Flush(true), "compact");
  }
  {
    Store::Options o;
    auto store = std::move(Store::Open(dir, o, AllColumnFamilies()).value());
    Store::Txn txn(store.get());
    ReadModel rm(store.get(), &txn);
    const RecordNo cp(RecordKind::kCampaign, 1);
    std::mt19937_64 rng(42);
    const int pages = 500;
    const auto start = Clock::now();
    size_t rows = 0;
    for (int p = 0; p < pages; ++p) {
      const RecordNo after(RecordKind::kContact, rng() % (n - 60) + 1);
      int taken = 0;
      Check(rm.ForEachMember(cp, after, [&](const RosterRow& row) {
        auto party = rm.PartyJson(row.member);  // the name column
        rows += party.ok() && party->has_value();
        return ++taken < 50;
      }), "page");
    }
    const double page_us = Since(start) * 1e6 / pages;
    if (rows != static_cast<size_t>(pages) * 50) std::fprintf(stderr, "bench: short roster pages\n");
    out->push_back({"roster_page_50_of_" + std::to_string(n), page_us, "us", 0, page_us / 1000, "< 1000 us", page_us < 1000});
    const int reps = 2000;
    const auto cstart = Clock::now();
    for (int i = 0; i < reps; ++i) Check(rm.CountsByStatus(cp).status(), "counts");
    const double count_us = Since(cstart) * 1e6 / reps;
    out->push_back({"roster_counts_of_" + std::to_string(n), count_us, "us", 0, count_us / 1000, "< 1000 us", count_us < 1000});
  }
  {
    auto h = OpenHandler(dir);
    Generator gen(h.get(), 10000);
    const uint64_t have = h->ledger()->Head()->first.value();
    const int rounds = have < total_events ? static_cast<int>((total_events - have + n - 1) / n) : 0;
    Check(gen.StatusUpdates(n, rounds), "status updates");
    Check(h->store()->Flush(true), "compact");
  }
  const std::vector<std::string> env{"CRM_DATA=" + dir};
  const double count_ms = MedianProcessMillis({c.crmctl, "roster", "CP0001", "--count", "--json"}, env, 11);
  const double page_ms = MedianProcessMillis({c.crmctl, "roster", "CP0001", "--limit", "50", "--json"}, env, 11);
  const double show_ms = MedianProcessMillis({c.crmctl, "campaign", "show", "CP0001", "--json"}, env, 11);
  const std::string size = std::to_string(total_events / 1000000) + "M_events";
  out->push_back({"cli_roster_count_" + size, count_ms, "ms", 0, count_ms / 50, "< 50 ms", count_ms < 50});
  out->push_back({"cli_roster_page_" + size, page_ms, "ms", 0, page_ms / 50, "< 50 ms", page_ms < 50});
  out->push_back({"cli_campaign_show_" + size, show_ms, "ms", 0, show_ms / 50, "< 50 ms", show_ms < 50});
}

}  // namespace crm::bench
