#include "events/verify.h"

namespace crm {

Result<VerifyReport> VerifyLedger(Ledger* ledger, const VerifyOptions& options) {
  VerifyReport r;
  uint64_t expect = 1;
  Hash prev{};
  auto fail = [&](uint64_t seq, std::string why) {
    r.ok = false;
    r.first_bad = LedgerSeq(seq);
    r.problem = std::move(why);
    return false;
  };
  CRM_RETURN_IF_ERROR(ledger->Read(LedgerSeq(1), [&](LedgerSeq seq, std::string_view record) {
    if (seq.value() != expect) {
      return fail(expect, "record " + std::to_string(expect) + " is missing (next is " +
                              std::to_string(seq.value()) + ")");
    }
    auto env = DecodeEnvelope(record);
    if (!env.ok()) return fail(expect, env.status().message());
    if ((*env)->seq() != expect) {
      return fail(expect, "record claims position " + std::to_string((*env)->seq()));
    }
    if (StoredPrevHash(**env) != prev) return fail(expect, "previous-hash link is broken");
    const Hash h = ComputeRecordHash(record, **env);
    if (h != StoredHash(**env)) return fail(expect, "record content does not match its hash");
    prev = h;
    ++r.records;
    if (options.at && expect == *options.at) {
      r.digest = h;
      if (options.stop_at) return false;
    }
    ++expect;
    return true;
  }));
  if (!r.ok) return r;
  if (options.stop_at && r.digest) {
    r.head = LedgerSeq(expect);
    r.head_hash = prev;
    return r;
  }
  CRM_ASSIGN_OR_RETURN(auto head, ledger->Head());
  r.head = LedgerSeq(expect - 1);
  r.head_hash = prev;
  if (head.first.value() != expect - 1) {
    const uint64_t bad = std::min(head.first.value(), expect - 1) + 1;
    r.ok = false;
    r.first_bad = LedgerSeq(bad);
    r.problem = "ledger head says " + std::to_string(head.first.value()) + " records, found " +
                std::to_string(expect - 1) + " (truncated tail?)";
  } else if (head.second != prev) {
    r.ok = false;
    r.first_bad = LedgerSeq(expect - 1);
    r.problem = "ledger head hash does not match the last record";
  }
  return r;
}

}  // namespace crm
