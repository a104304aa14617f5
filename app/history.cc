#include "app/history.h"

#include "events/event_rows.h"
#include "events/keyring.h"

namespace crm {
namespace {

using nlohmann::json;

// The ledger positions of the record's changes, with their rendered records.
class HistoryCollector {
 public:
  HistoryCollector(ReadView* r, RecordNo no) : r_(r), no_(std::move(no)), keys_(r->store.get()), rows_(&keys_) {}

  Status Collect() {
    StreamId stream = no_.Stream();
    const bool entry = no_.kind() == RecordKind::kInteraction || no_.kind() == RecordKind::kCampaignEntry;
    bool entry_of_segment = false;
    if (entry) {
      CRM_ASSIGN_OR_RETURN(auto row, r_->rm->EntryRow(no_));
      const std::string segment = row ? row->value("logged_segment", "") : "";
      if (!segment.empty()) {
        CRM_ASSIGN_OR_RETURN(RecordNo ls, RecordNo::Parse(segment, RecordKind::kLoggedSegment));
        stream = ls.Stream();
        entry_of_segment = true;
      }
    }
    Status bad;
    auto add = [&](bool only_naming_entry) {
      return [&, only_naming_entry](LedgerSeq seq, std::string_view record) {
        Status s = Add(seq, record, only_naming_entry);
        if (!s.ok()) bad = s;
        return s.ok();
      };
    };
    CRM_RETURN_IF_ERROR(r_->ledger->ReadStream(stream, add(entry_of_segment)));
    CRM_RETURN_IF_ERROR(bad);
    if (changes_.empty() && entry) {
      // A deleted entry has no row naming its logged segment: the whole ledger is read for the
      // events that name it (slow, and only then).
      CRM_RETURN_IF_ERROR(r_->ledger->Read(LedgerSeq(1), add(true)));
      CRM_RETURN_IF_ERROR(bad);
    }
    if (no_.kind() == RecordKind::kContact || no_.kind() == RecordKind::kLead) {
      CRM_ASSIGN_OR_RETURN(auto campaigns, r_->rm->CampaignsOf(no_));
      for (const auto& [campaign, membership] : campaigns) {
        CRM_ASSIGN_OR_RETURN(auto seqs, r_->rm->MemberHistory(campaign, no_));
        for (uint64_t seq : seqs) {
          CRM_ASSIGN_OR_RETURN(std::string record, r_->ledger->ReadOne(LedgerSeq(seq)));
          CRM_RETURN_IF_ERROR(Add(LedgerSeq(seq), record, false));
        }
      }
    }
    return Status::Ok();
  }

  const std::map<uint64_t, json>& changes() const { return changes_; }

 private:
  Status Add(LedgerSeq seq, std::string_view record, bool only_naming_entry) {
    CRM_ASSIGN_OR_RETURN(nlohmann::ordered_json object, rows_.Object(record));
    const std::string event = object.value("payload_type", "");
    const nlohmann::ordered_json& payload = object["payload"];
    if (only_naming_entry) {
      // The entry's own events, and the cancels of its logged segment (named by its first event).
      if (payload.value("entry", "") == no_.ToString()) {
        if (segment_.empty()) segment_ = payload.value("logged_segment", "");
      } else if (event != "LoggedSegmentCanceled" || segment_.empty() || payload.value("no", "") != segment_) {
        return Status::Ok();
      }
    }
    json change{{"seq", seq.value()},
                {"at", object.value("recorded_at", "")},
                {"actor", object.value("actor", "")},
                {"command_id", object.value("command_id", "")},
                {"event", event},
                {"payload", json::parse(payload.dump())}};
    changes_[seq.value()] = std::move(change);
    return Status::Ok();
  }

  ReadView* r_;
  RecordNo no_;
  std::string segment_;  // an entry's logged segment, once known
  Keyring keys_;         // the data directory's: personal data shows, or shows as erased
  EventRows rows_;
  std::map<uint64_t, json> changes_;  // by ledger position
};

}  // namespace

Result<std::map<uint64_t, json>> RecordHistory(ReadView* r, const RecordNo& no) {
  HistoryCollector history(r, no);
  CRM_RETURN_IF_ERROR(history.Collect());
  return history.changes();
}

}  // namespace crm
