// The segment benchmarks of issue 4: a segment step over every contact (1M; 100k with
// --quick), going back from it, and logging a 100,000-line segment (10,000 with --quick)
// without sending. Each is one crmctl command through the handler (decide, append, project in
// one synced batch); the compared system is a plain RocksDB writing the same number of bytes
// (the bytes our command wrote, counted by RocksDB's BYTES_WRITTEN) in one synced batch of
// 200-byte values. Ratio = plain time / our time (1 = as fast as the raw write).
#include <cstdio>

#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {
namespace {

using Clock = std::chrono::steady_clock;

Request SegmentRequest(const std::string& id) { return BenchRequest("segment-bench-" + id); }

// Seconds a plain RocksDB takes to write `bytes` in one synced batch.
double PlainWrite(const Config& c, const std::string& name, uint64_t bytes) {
  auto db = PlainDb(Fresh(c, name));
  rocksdb::WriteBatch batch;
  const std::string value(200, 'v');
  std::string key;
  for (uint64_t written = 0, i = 0; written < bytes; ++i) {
    key.clear();
    PutBigEndian64(&key, i);
    (void)batch.Put(key, value);
    written += key.size() + value.size();
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const auto start = Clock::now();
  Check(FromRocks(db->Write(wo, &batch), "plain write"), "plain write");
  return Since(start);
}

// Runs one command; reports its time against the plain write of the same bytes.
void Measure(const Config& c, std::vector<Result>* out, const std::string& name, rocksdb::Statistics* stats,
             const std::function<Status()>& command) {
  const uint64_t before = stats->getTickerCount(rocksdb::BYTES_WRITTEN);
  const auto start = Clock::now();
  Check(command(), name.c_str());
  const double ours = Since(start);
  const uint64_t bytes = stats->getTickerCount(rocksdb::BYTES_WRITTEN) - before;
  const double plain = PlainWrite(c, "plain-" + name, bytes);
  std::fprintf(stderr, "bench: %s wrote %.1f MB in %.2f s (plain RocksDB: %.2f s)\n", name.c_str(), bytes / 1e6, ours,
               plain);
  out->push_back({name, ours, "s", plain, ours > 0 ? plain / ours : 0, "info (ratio = plain/ours)", true});
}

}  // namespace

void SegmentScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const uint64_t logged = c.quick ? 10000 : 100000;
  const std::string dir = Fresh(c, "segment");
  auto stats = rocksdb::CreateDBStatistics();
  auto h = OpenHandler(dir, stats);
  Generator gen(h.get(), 10000);
  Check(gen.Basics(), "basics");
  Check(gen.Contacts(n), "contacts");
  catalog::AddTemplate bus;
  bus.code = "BUS";
  bus.fields.description = "Business letter";
  bus.fields.unit_cost = Money(150);
  Check(h->Catalog(SegmentRequest("template"), bus).status(), "template");
  Check(h->CreateSegment(SegmentRequest("create-1"), "Everyone").status(), "segment");
  const RecordNo all(RecordKind::kSegment, 1);
  const std::string size = std::to_string(n / 1000) + "k";
  Measure(c, out, "segment_step_" + size + "_contacts", stats.get(), [&] {
    return h->Segment(SegmentRequest("step"), SegmentAddContacts{all, {"city=Oslo|Bergen|Trondheim|Stavanger"}}).status();
  });
  Measure(c, out, "segment_go_back_" + size + "_lines", stats.get(),
          [&] { return h->Segment(SegmentRequest("back"), segment::GoBack{{}, all}).status(); });

  const RecordNo to_log = SegmentOfContacts(h.get(), "segment-bench-to-log-", logged, "BUS", "");
  Measure(c, out, "segment_log_" + std::to_string(logged / 1000) + "k_lines", stats.get(),
          [&] { return h->LogSegment(SegmentRequest("log"), to_log, SegmentLogOptions{}).status(); });
}

}  // namespace crm::bench
