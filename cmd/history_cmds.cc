// crmctl history ID (SPEC §4.10): every change of one record, oldest first, read from the ledger
// of the data directory (in Kafka mode, its replica of the log): the record's own stream; for a
// contact or lead also the changes of its current memberships (on the campaigns' streams); for
// an interaction or campaign entry of a logged segment, the events of that segment's stream that
// name the entry, and the segment's own cancels (for a deleted entry, whose row is gone, the
// events anywhere in the ledger that name it). Each change: sequence number, time, actor,
// command id, event, and with --json its fields as the schema names them.
#include <algorithm>
#include <iostream>
#include <map>

#include "cmd/app.h"
#include "cmd/ledger_records.h"
#include "cmd/table.h"
#include "events/keyring.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// The ledger positions of the record's changes, with their rendered records.
class HistoryCollector {
 public:
  HistoryCollector(Reader* r, RecordNo no) : r_(r), no_(std::move(no)), keys_(r->store.get()), rows_(&keys_) {}

  Status Collect() {
    StreamId stream = no_.Stream();
    bool entry_of_segment = false;
    if (no_.kind() == RecordKind::kInteraction || no_.kind() == RecordKind::kCampaignEntry) {
      CRM_ASSIGN_OR_RETURN(auto row, r_->rm->EntryRow(no_));
      if (row && !row->value("logged_segment", "").empty()) {
        CRM_ASSIGN_OR_RETURN(RecordNo ls, RecordNo::Parse(row->value("logged_segment", ""), RecordKind::kLoggedSegment));
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
    if (changes_.empty() && (no_.kind() == RecordKind::kInteraction || no_.kind() == RecordKind::kCampaignEntry)) {
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

  Reader* r_;
  RecordNo no_;
  std::string segment_;  // an entry's logged segment, once known
  Keyring keys_;         // the data directory's: personal data shows, or shows as erased
  EventRows rows_;
  std::map<uint64_t, json> changes_;  // by ledger position
};

int History(App* app, const std::string& id) {
  auto no = RecordNo::Parse(id);
  if (!no.ok()) return app->Fail(no.status());
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  HistoryCollector history(&*r, *no);
  if (Status s = history.Collect(); !s.ok()) return app->Fail(s);
  json out = json::array();
  Table t({"SEQ", "AT", "ACTOR", "EVENT", "COMMAND"});
  for (const auto& [seq, change] : history.changes()) {
    if (r->as_of && seq > *r->as_of) break;  // --at: the changes up to then
    t.Add({std::to_string(seq), change["at"], change["actor"], change["event"], change["command_id"]});
    out.push_back(change);
  }
  if (out.empty()) {
    const std::string until = r->as_of ? " up to record " + std::to_string(*r->as_of) : "";
    return app->Reject(Status::NotFound(no->ToString() + " has no history in the ledger" + until));
  }
  return app->PrintList(out, t);
}

}  // namespace

void AddHistoryCommand(App* app) {
  auto* history = app->cli().add_subcommand("history", "every change of one record (CT, LD, CP, SM, LS, IE, CE ...)");
  auto id = std::make_shared<std::string>();
  history->add_option("ID", *id)->required();
  history->callback([app, id] { app->SetAction([app, id] { return History(app, *id); }); });
}

}  // namespace crm::cli
