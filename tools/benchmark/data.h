// Synthetic data sets for benchmarks, appended through a ledger's real append path (encoding,
// hash chain, stream versions, projections in the same batch), one command of `batch` events
// at a time, each acknowledged (synced, or acknowledged by Kafka), as an import would. The events are valid: they are what the aggregates emit
// for the same commands, built directly so that generating millions stays fast.
#pragma once

#include <cstdint>

#include "app/handler.h"

namespace crm::bench {

class Generator {
 public:
  // Appends through `ledger` (default: the handler's, which projects in the same batch; in
  // Kafka mode, its Kafka ledger). Basics() needs the handler; the rest only the ledger.
  Generator(Handler* h, size_t batch, Ledger* ledger = nullptr)
      : h_(h), batch_(batch), ledger_(ledger != nullptr ? ledger : h->kafka() != nullptr ? static_cast<Ledger*>(h->kafka()) : h->ledger()) {}

  // init, member statuses Invited and Attended (responded), one campaign CP0001.
  Status Basics();
  // Contacts CT0001..CTn (names, emails, cities).
  Status Contacts(uint64_t n);
  // CT0001..CTn become members of CP0001 with status Invited.
  Status Members(uint64_t n);
  // `children` campaigns CP0002.. under CP0001; CT0001..CTn each become a member of one of them
  // (in turn), every tenth with the responded status Attended, the others Invited.
  Status Hierarchy(uint64_t n, int children);
  // `rounds` passes over CT0001..CTn toggling Invited/Attended.
  Status StatusUpdates(uint64_t n, int rounds);

  uint64_t events() const { return events_; }
  // Takes as-of snapshots as the handler's commands would (Handler::MaybeSnapshot after each
  // batch). Off by default: the append figures measure appends alone.
  void set_snapshots(bool on) { snapshots_ = on; }
  // Seals contacts' personal data as the handler does (on by default); off: in the clear, as
  // before schema 7 (the erasure benchmark's compared design).
  void set_sealing(bool on) { sealing_ = on; }
  // Batch k is stamped kBaseTime + k seconds, so that --at TIMESTAMP can name points.
  static constexpr int64_t kBaseTime = 1799571600000000LL;  // 2027-01-10T09:00:00Z

 private:
  Status Flush(std::vector<NewEvent>* pending, uint64_t contacts_high_water);
  Handler* h_;
  size_t batch_;
  Ledger* ledger_;
  uint64_t events_ = 0;
  uint64_t batches_ = 0;
  bool snapshots_ = false;
  bool sealing_ = true;
  std::string id_prefix_ = "bench-" + NewUuid() + "-";  // unique across generators
};

// A request of the benchmark's actor, stamped Generator::kBaseTime, with command id `id`.
Request BenchRequest(const std::string& id);

}  // namespace crm::bench
