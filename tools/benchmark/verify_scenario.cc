// The verification benchmark of issue 5: `ledger verify` over a 1,000,000-event ledger (100,000
// with --quick), in-process through VerifyLedger (read every record, run the FlatBuffers
// verifier, check position and link, recompute the SHA-256), side by side with the floor it
// cannot beat: a plain scan of the same column family that only hashes each record's bytes
// (SHA-256, the same OpenSSL code). Ratio = ours / plain in records per second.
#include <cstdio>

#include "events/verify.h"
#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {

void VerifyScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  const std::string dir = Fresh(c, "verify");
  auto h = OpenHandler(dir);
  Generator gen(h.get(), 10000);
  Check(gen.Basics(), "basics");
  Check(gen.Contacts(n), "contacts");
  const auto start = std::chrono::steady_clock::now();
  auto report = VerifyLedger(h->ledger());
  Check(report.status(), "verify");
  const double ours_s = Since(start);
  if (!report->ok) Check(Status::Corruption(report->problem), "verify");
  const uint64_t records = report->records;

  uint64_t hashed = 0;
  uint8_t sink = 0;
  const auto plain_start = std::chrono::steady_clock::now();
  Check(h->ledger()->Read(LedgerSeq(1), [&](LedgerSeq, std::string_view record) {
    sink ^= Sha256(record)[0];
    ++hashed;
    return true;
  }), "plain scan");
  const double plain_s = Since(plain_start);
  std::fprintf(stderr, "bench: verified %llu records in %.2f s (read and hash only: %.2f s; %u)\n",
               static_cast<unsigned long long>(records), ours_s, plain_s, sink);
  const double ours = records / ours_s, plain = hashed / plain_s;
  out->push_back({"ledger_verify_" + std::to_string(n / 1000) + "k_events", ours, "records/s", plain, ours / plain,
                  "info (ratio = ours/read+hash)", true});
}

}  // namespace crm::bench
