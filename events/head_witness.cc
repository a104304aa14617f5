#include "events/head_witness.h"

#include <spdlog/spdlog.h>

#include "events/chain_check.h"
#include "events/embedded_ledger.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace crm {
namespace {

constexpr char kMagic[] = "crmledger-head";
constexpr int kFormat = 1;

}  // namespace

HeadWitness::HeadWitness(std::string data_dir) : path_(std::move(data_dir) + "/LEDGER_HEAD") {}

Result<std::optional<LedgerHead>> HeadWitness::Read() const {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return std::optional<LedgerHead>();
    return Status::Unavailable("cannot read " + path_ + ": " + std::strerror(errno));
  }
  std::string magic, hex;
  int format = 0;
  uint64_t seq = 0;
  in >> magic >> format >> seq >> hex;
  if (magic.empty() && in.eof()) {
    // Renamed into place but its bytes never reached the disk (power lost before the file
    // system wrote them): as good as no witness, which it becomes again at the next append.
    spdlog::warn("{} is empty (a power loss?); the ledger head is checked again from the next write", path_);
    return std::optional<LedgerHead>();
  }
  if (!in || magic != kMagic || format != kFormat) {
    return Status::Corruption(path_ + " is not a ledger head witness; if 'crmctl ledger verify' passes without "
                              "it, remove it");
  }
  auto hash = HashFromHex(hex);
  if (!hash.ok()) return Status::Corruption(path_ + " holds a malformed hash");
  return std::optional<LedgerHead>(LedgerHead{LedgerSeq(seq), *hash});
}

Status HeadWitness::Record(const LedgerHead& head) const {
  const std::string tmp = path_ + ".tmp";
  std::ostringstream line;
  line << kMagic << ' ' << kFormat << ' ' << head.seq.value() << ' ' << HashToHex(head.hash) << '\n';
  const std::string text = line.str();
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return Status::Unavailable("cannot write " + tmp + ": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    return Status::Unavailable("cannot write " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

namespace {

std::string WhatToDo(const std::string& dir) {
  return ". Nothing was changed; keep a copy of " + dir +
         " and restore it from a backup (crmctl does not repair a damaged ledger)";
}

// The records recovered from write-ahead logs are consecutive and chain to the record before
// them. Recovery drops an incomplete last record of *every* log (a crash's torn write, never
// acknowledged, is only ever the last), so a log cut in the middle of the set would otherwise
// leave a hole that nothing notices: the head and its witness are intact after it.
Status CheckUnflushed(EmbeddedLedger* ledger) {
  std::optional<ChainCheck> chain;
  Status bad;
  CRM_RETURN_IF_ERROR(ledger->ReadUnflushed([&](LedgerSeq seq, std::string_view record) {
    if (!chain) {
      auto first = ChainCheck::After(ledger, LedgerSeq(seq.value() - 1));
      if (!first.ok()) {
        bad = first.status();
        return false;
      }
      chain.emplace(std::move(first).value());
    }
    auto env = DecodeEnvelope(record);
    bad = env.ok() ? chain->Next(seq, **env) : env.status().WithContext("record " + std::to_string(seq.value()));
    return bad.ok();
  }));
  if (bad.ok()) return bad;
  const std::string dir = ledger->store()->dir();
  return Status::Corruption("the ledger in " + dir + " has lost acknowledged records: " + bad.message() +
                            "; a write-ahead log in " + dir + "/db is damaged" + WhatToDo(dir));
}

}  // namespace

Status CheckLedgerHead(EmbeddedLedger* ledger) {
  Store* store = ledger->store();
  const HeadWitness witness(store->dir());
  CRM_ASSIGN_OR_RETURN(std::optional<LedgerHead> noted, witness.Read());
  // Writers only: a writer would build on the hole (number series, stream indexes). Readers
  // leave holes to `ledger verify`, which names the first bad record (exit 2), and to the
  // replays, which refuse them.
  if (store->writable()) CRM_RETURN_IF_ERROR(CheckUnflushed(ledger));
  if (!noted) return Status::Ok();
  CRM_ASSIGN_OR_RETURN(auto head, ledger->Head());
  if (head.first < noted->seq && !store->writable()) {
    // A reader may have opened just before a writer's append that the witness already names.
    CRM_RETURN_IF_ERROR(FromRocks(store->db()->TryCatchUpWithPrimary(), "catching up with the writer"));
    CRM_ASSIGN_OR_RETURN(head, ledger->Head());
  }
  const std::string dir = store->dir();
  const std::string what_to_do = WhatToDo(dir);
  if (head.first < noted->seq) {
    return Status::Corruption("the ledger in " + dir + " has lost acknowledged records: it ends at record " +
                              std::to_string(head.first.value()) + " but record " + std::to_string(noted->seq.value()) +
                              " was acknowledged (" + witness.path() + "); its write-ahead log in " + dir +
                              "/db is damaged" + what_to_do);
  }
  Hash at_witness = head.second;
  if (head.first != noted->seq) {
    auto record = ledger->ReadOne(noted->seq);
    if (!record.ok()) {
      return Status::Corruption(record.status().message() + ", the acknowledged head that " + witness.path() +
                                " names" + what_to_do);
    }
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(*record));
    at_witness = StoredHash(*env);
  }
  if (at_witness != noted->hash) {
    return Status::Corruption("record " + std::to_string(noted->seq.value()) + " of the ledger in " + dir +
                              " is not the one that was acknowledged (" + witness.path() + ")" + what_to_do);
  }
  return Status::Ok();
}

}  // namespace crm
