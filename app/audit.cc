#include "app/audit.h"

#include "events/codec.h"
#include "events/kafka_log.h"
#include "events/verify.h"

namespace crm {
namespace {

using nlohmann::json;

std::string LedgerFault(const VerifyReport& report) {
  return "ledger fault at record " + std::to_string(report.first_bad.value()) + ": " + report.problem;
}

std::string LogFault(const LogScan& scan) {
  return "log offset " + std::to_string(scan.corrupt.front().offset) + " is not a valid record: " +
         scan.corrupt.front().reason;
}

// The fault of a digest check, "" when the ledger up to `at` is the one the digest was taken of
// (which `out` then records).
std::string CheckDigest(const DigestCheck& d, const std::optional<Hash>& found, uint64_t records, json* out) {
  auto want = HashFromHex(d.hex);
  if (!want.ok()) return want.status().message();
  if (!found) {
    return "the ledger has " + std::to_string(records) + " records, so none at " + std::to_string(d.at) +
           " where the digest was taken (truncated?)";
  }
  if (*found != *want) {
    return "the ledger up to record " + std::to_string(d.at) + " is not the one the digest was taken of (it is " +
           HashToHex(*found) + ")";
  }
  (*out)["digest"] = {{"at", d.at}, {"matches", true}};
  return "";
}

}  // namespace

Result<Audit> VerifyKafkaLog(const KafkaOptions& kafka, ReadView* replica, const std::string& replica_dir,
                             const std::optional<DigestCheck>& digest) {
  std::optional<std::pair<LedgerSeq, Hash>> replica_head;
  if (replica != nullptr) {
    auto head = replica->ledger->Head();
    if (head.ok() && head->first.value() > 0) replica_head = *head;
  }
  bool replica_on_chain = !replica_head;
  std::optional<Hash> at_hash;
  CRM_ASSIGN_OR_RETURN(LogScan scan, ScanLog(kafka, [&](LedgerSeq seq, std::string_view record) {
    const Hash h = StoredHash(*fb::GetEnvelope(record.data()));
    if (replica_head && seq == replica_head->first) replica_on_chain = h == replica_head->second;
    if (digest && seq.value() == digest->at) at_hash = h;
    return true;
  }));
  Audit audit;
  json& out = audit.answer;
  out = {{"records", scan.counts.accepted},
         {"superseded", scan.counts.superseded},
         {"corrupt", scan.counts.corrupt},
         {"head", scan.head.value()},
         {"head_hash", HashToHex(scan.head_hash)},
         {"log", {{"topic", kafka.topic}, {"first_offset", scan.first_offset}, {"end_offset", scan.end_offset}}}};
  if (scan.first_offset > 0) {
    audit.fault = "the log starts at offset " + std::to_string(scan.first_offset) + ": earlier records were deleted";
  } else if (!scan.corrupt.empty()) {
    out["first_bad_offset"] = scan.corrupt.front().offset;
    audit.fault = LogFault(scan);
  } else if (!replica_on_chain) {
    audit.fault = replica_dir + " has record " + std::to_string(replica_head->first.value()) +
                  " with a hash the log does not have: the replica diverges from the log";
  } else if (digest) {
    audit.fault = CheckDigest(*digest, at_hash, scan.counts.accepted, &out);
  }
  return audit;
}

Result<Audit> VerifyDataDir(ReadView* r, const std::optional<DigestCheck>& digest) {
  VerifyOptions options;
  if (digest) options.at = digest->at;
  CRM_ASSIGN_OR_RETURN(VerifyReport report, VerifyLedger(r->ledger.get(), options));
  Audit audit;
  json& out = audit.answer;
  out = {{"records", report.records}};
  if (report.ok) {
    out["head"] = report.head.value();
    out["head_hash"] = HashToHex(report.head_hash);
  } else {
    out["first_bad"] = report.first_bad.value();
    out["problem"] = report.problem;
    audit.fault = LedgerFault(report);
  }
  if (audit.fault.empty() && digest) audit.fault = CheckDigest(*digest, report.digest, report.records, &out);
  return audit;
}

Result<std::pair<uint64_t, Hash>> LedgerDigest(const std::optional<KafkaOptions>& kafka, ReadView* r,
                                               std::optional<uint64_t> at) {
  std::optional<Hash> hash;
  uint64_t records = 0;
  std::string fault;
  if (kafka) {
    std::optional<Hash> last;
    CRM_ASSIGN_OR_RETURN(LogScan scan, ScanLog(*kafka, [&](LedgerSeq seq, std::string_view record) {
      const Hash h = StoredHash(*fb::GetEnvelope(record.data()));
      if (at && seq.value() == *at) hash = h;
      last = h;
      return true;
    }));
    records = scan.counts.accepted;
    if (!scan.corrupt.empty()) fault = LogFault(scan);
    if (!at) {
      at = records;
      hash = last;
    }
  } else {
    if (!at) {
      CRM_ASSIGN_OR_RETURN(auto head, r->ledger->Head());
      at = head.first.value();
    }
    CRM_ASSIGN_OR_RETURN(VerifyReport report, VerifyLedger(r->ledger.get(), VerifyOptions{at, true}));
    records = report.records;
    hash = report.digest;
    if (!report.ok) fault = LedgerFault(report);
  }
  if (fault.empty() && (!hash || *at == 0)) {
    fault = "the ledger has no record " + std::to_string(*at) + " (" + std::to_string(records) + " records)";
  }
  if (!fault.empty()) return Status::FailedPrecondition("cannot give a digest: " + fault);
  return std::make_pair(*at, *hash);
}

}  // namespace crm
