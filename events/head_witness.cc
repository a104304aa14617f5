#include "events/head_witness.h"

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

Status CheckLedgerHead(EmbeddedLedger* ledger) {
  Store* store = ledger->store();
  const HeadWitness witness(store->dir());
  CRM_ASSIGN_OR_RETURN(std::optional<LedgerHead> noted, witness.Read());
  if (!noted) return Status::Ok();
  CRM_ASSIGN_OR_RETURN(auto head, ledger->Head());
  if (head.first < noted->seq && !store->writable()) {
    // A reader may have opened just before a writer's append that the witness already names.
    CRM_RETURN_IF_ERROR(FromRocks(store->db()->TryCatchUpWithPrimary(), "catching up with the writer"));
    CRM_ASSIGN_OR_RETURN(head, ledger->Head());
  }
  const std::string dir = store->dir();
  const std::string what_to_do = ". Nothing was changed; keep a copy of " + dir +
                                 " and restore it from a backup (crmctl does not repair a damaged ledger)";
  if (head.first < noted->seq) {
    return Status::Corruption("the ledger in " + dir + " has lost acknowledged records: it ends at record " +
                              std::to_string(head.first.value()) + " but record " + std::to_string(noted->seq.value()) +
                              " was acknowledged (" + witness.path() + "); its write-ahead log in " + dir +
                              "/db is damaged" + what_to_do);
  }
  Hash at_witness = head.second;
  if (head.first != noted->seq) {
    CRM_ASSIGN_OR_RETURN(std::string record, ledger->ReadOne(noted->seq));
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
    at_witness = StoredHash(*env);
  }
  if (at_witness != noted->hash) {
    return Status::Corruption("record " + std::to_string(noted->seq.value()) + " of the ledger in " + dir +
                              " is not the one that was acknowledged (" + witness.path() + ")" + what_to_do);
  }
  return Status::Ok();
}

}  // namespace crm
