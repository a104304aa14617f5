// HeadWitness: a note of the embedded ledger's acknowledged head, kept outside RocksDB, that
// every open compares the ledger against. It turns a write-ahead log that lost acknowledged
// records (a cut or zeroed tail, a deleted file) into a loud Corruption instead of a silently
// lower head whose numbers the next command would reuse.
//
// File DIR/LEDGER_HEAD, one line:   "crmledger-head 1 " <seq decimal> " " <hash, 64 hex> "\n"
// It is replaced (write DIR/LEDGER_HEAD.tmp, rename over) after every synced append, and never
// synced itself, so an acknowledged command still costs one sync. That is sound because it is
// written only after the records it names are synced: it never names more than is durable. A
// crash that loses its write leaves an older head (rename gives the old or the new file whole),
// which checks less but never refuses wrongly; a power loss may also leave it empty (renamed,
// its bytes never written), which counts as no witness. A data directory without the file
// (made before it existed, or a Kafka replica, whose log is the truth) is not checked until its
// next append.
//
// Thread-compatible; the writer calls Record under the data directory's writer lock.
#pragma once

#include <optional>
#include <string>

#include "events/codec.h"
#include "events/ids.h"
#include "events/status.h"

namespace crm {

struct LedgerHead {
  LedgerSeq seq;
  Hash hash{};
};

class HeadWitness {
 public:
  explicit HeadWitness(std::string data_dir);

  // nullopt when there is no witness yet; Corruption when the file is not a witness.
  Result<std::optional<LedgerHead>> Read() const;
  Status Record(const LedgerHead& head) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class EmbeddedLedger;

// Compares the ledger with the head its last append acknowledged and, for a writer, checks that
// the records recovered from write-ahead logs (still in memtables) are consecutive and chained:
// Corruption, saying what to do, when acknowledged records are missing or were replaced. Every
// open of a data directory for a command (reader or writer) calls it before anything else reads
// or writes. A reader that finds the witness ahead first catches up with the writer that may
// have just appended.
Status CheckLedgerHead(EmbeddedLedger* ledger);

}  // namespace crm
