#include "projections/interaction_rows.h"

#include "aggregates/catalog.h"
#include "aggregates/common.h"
#include "aggregates/delivery.h"
#include "aggregates/logging.h"
#include "aggregates/segment.h"
#include "projections/rows.h"
#include "projections/stats_rows.h"

namespace crm {

using nlohmann::json;

namespace keys {
std::string LoggedSegment(const RecordNo& logged) { return "g" + SortKey(logged); }
std::string Interaction(const RecordNo& entry) { return "i" + SortKey(entry); }
std::string ContactInteraction(const RecordNo& contact, const RecordNo& entry) {
  return "c" + SortKey(contact) + SortKey(entry);
}
std::string CampaignInteraction(const RecordNo& campaign, const RecordNo& entry) {
  return "p" + SortKey(campaign) + SortKey(entry);
}
std::string CampaignEntry(const RecordNo& entry) { return "e" + SortKey(entry); }
std::string CampaignEntryOf(const RecordNo& campaign, const RecordNo& entry) {
  return "f" + SortKey(campaign) + SortKey(entry);
}
}  // namespace keys

namespace {

Result<RecordNo> NoIn(const flatbuffers::String* s, const char* what) {
  if (s == nullptr) return Status::Corruption(std::string("event lacks its ") + what);
  return RecordNo::Parse(s->string_view());
}

json StepsJson(const flatbuffers::Vector<flatbuffers::Offset<fb::SavedSegmentStep>>* steps) {
  json out = json::array();
  if (steps == nullptr) return out;
  for (const auto* s : *steps) {
    json filter = json::array();
    if (s->filter() != nullptr) {
      for (const auto* f : *s->filter()) filter.push_back(Str(f));
    }
    out.push_back({{"kind", segment::StepKindName(s->kind())}, {"criteria", Str(s->criteria())},
                   {"options", Str(s->options())}, {"filter", filter}});
  }
  return out;
}

// Reads a JSON row, lets `change` edit it and writes it back; a missing row is left alone.
Status UpdateRow(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                 const std::function<void(json*)>& change) {
  auto row = txn->Get(cf, key);
  if (!row.ok()) return row.status().code() == StatusCode::kNotFound ? Status::Ok() : row.status();
  CRM_ASSIGN_OR_RETURN(json j, Parse(*row));
  change(&j);
  txn->Put(cf, key, Dump(j));
  return Status::Ok();
}

// An entry's delivery: "status" is the SPEC's (none, in progress, delivered, failed), "stage"
// tells a pending entry from one whose attempt has no outcome (delivery.h).
json DeliveryJson(const delivery::EntryState& d) {
  return {{"status", delivery::StageName(d.stage)},
          {"stage", delivery::StageKey(d.stage)},
          {"attempts", d.attempts},
          {"channel", d.attempts > 0 ? delivery::ChannelName(d.channel) : ""},
          {"message_id", d.message_id},
          {"reason", d.reason},
          {"document", d.document}};
}

json InteractionJson(const fb::InteractionLogged& e, const fb::Envelope& env) {
  return {{"entry", Str(e.entry())},
          {"contact", Str(e.contact())},
          {"company", Str(e.company())},
          {"at", FormatTimestamp(Timestamp(e.at()))},
          {"interaction_template", Str(e.interaction_template())},
          {"description", Str(e.description())},
          {"subject", Str(e.subject())},
          {"correspondence", catalog::CorrespondenceName(e.correspondence())},
          {"language", Str(e.language())},
          {"attachment", {{"file_name", Str(e.attachment_name())}, {"sha256", Str(e.attachment_sha256())}}},
          {"cost", FormatMoney(Money(e.cost()))},
          {"duration", e.duration()},
          {"information_flow", catalog::InformationFlowName(e.information_flow())},
          {"initiated_by", catalog::InitiatedByName(e.initiated_by())},
          {"campaign", Str(e.campaign())},
          {"campaign_target", e.campaign_target()},
          {"campaign_response", e.campaign_response()},
          {"logged_segment", Str(e.logged_segment())},
          {"salesperson", Str(e.salesperson())},
          {"evaluation", Str(e.evaluation())},
          {"delivery", DeliveryJson(delivery::Evolve({}, env))},
          {"canceled", false}};
}

}  // namespace

Result<delivery::EntryState> DeliveryOfRow(const json& row) {
  delivery::EntryState d;
  const json& j = row.at("delivery");
  CRM_ASSIGN_OR_RETURN(d.stage, delivery::ParseStage(j.value("stage", "none")));
  d.attempts = j.value("attempts", 0);
  if (const std::string channel = j.value("channel", ""); !channel.empty()) {
    CRM_ASSIGN_OR_RETURN(d.channel, delivery::ParseChannel(channel));
  }
  d.message_id = j.value("message_id", "");
  d.reason = j.value("reason", "");
  d.document = j.value("document", "");
  return d;
}

namespace {

// What each event's rows are written with.
struct Rows {
  Store* store;
  Store::Txn* txn;
  rocksdb::ColumnFamilyHandle* cf;
  const fb::Envelope* env;
};

// UpdateRow for an interaction or campaign entry: an interaction's campaign figures follow its
// row (projections/stats_rows.h).
Status UpdateEntry(const Rows& rows, const RecordNo& entry, const std::function<void(json*)>& change) {
  const bool interaction = entry.kind() == RecordKind::kInteraction;
  json before, after;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, interaction ? keys::Interaction(entry) : keys::CampaignEntry(entry),
                                [&](json* row) {
                                  before = *row;
                                  change(row);
                                  after = *row;
                                }));
  if (!interaction || before == after) return Status::Ok();
  return ChangeInteractionFigures(rows.store, rows.txn, before, after);
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCreated* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, NoIn(e->no(), "logged segment number"));
  json row{{"no", no.ToString()},
           {"segment", Str(e->segment())},
           {"description", Str(e->description())},
           {"campaign", Str(e->campaign())},
           {"interaction_template", Str(e->interaction_template())},
           {"date", Str(e->date())},
           {"steps", StepsJson(e->steps())},
           {"lines", e->lines()},
           {"first_entry", Str(e->first_entry())},
           {"last_entry", Str(e->last_entry())},
           {"logged_at", FormatTimestamp(Timestamp(rows.env->recorded_at()))},
           {"logged_by", Str(rows.env->actor())},
           {"send", e->send()},
           {"delivery_token", Str(e->delivery_token())},
           {"canceled", false}};
  rows.txn->Put(rows.cf, keys::LoggedSegment(no), Dump(row));
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::InteractionLogged* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry number"));
  CRM_ASSIGN_OR_RETURN(RecordNo contact, NoIn(e->contact(), "contact"));
  const json row = InteractionJson(*e, *rows.env);
  rows.txn->Put(rows.cf, keys::Interaction(entry), Dump(row));
  rows.txn->Put(rows.cf, keys::ContactInteraction(contact, entry), "");
  if (!Str(e->campaign()).empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo campaign, NoIn(e->campaign(), "campaign"));
    rows.txn->Put(rows.cf, keys::CampaignInteraction(campaign, entry), "");
  }
  return ChangeInteractionFigures(rows.store, rows.txn, json(), row);
}

Status Apply(const Rows& rows, const fb::CampaignEntryLogged* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "campaign entry number"));
  CRM_ASSIGN_OR_RETURN(RecordNo campaign, NoIn(e->campaign(), "campaign"));
  json row{{"entry", entry.ToString()},
           {"campaign", campaign.ToString()},
           {"logged_segment", Str(e->logged_segment())},
           {"description", Str(e->description())},
           {"date", Str(e->date())},
           {"interaction_template", Str(e->interaction_template())},
           {"cost", FormatMoney(Money(e->cost()))},
           {"duration", e->duration()},
           {"interactions", e->interactions()},
           {"canceled", false}};
  rows.txn->Put(rows.cf, keys::CampaignEntry(entry), Dump(row));
  rows.txn->Put(rows.cf, keys::CampaignEntryOf(campaign, entry), "");
  CRM_ASSIGN_OR_RETURN(RecordNo logged, NoIn(e->logged_segment(), "logged segment"));
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, keys::LoggedSegment(logged), [&](json* ls) {
    (*ls)["campaign_entry"] = entry.ToString();
  }));
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCanceled* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo logged, NoIn(e->no(), "logged segment"));
  const bool canceled = !e->undo();
  json ls;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, keys::LoggedSegment(logged), [&](json* row) {
    (*row)["canceled"] = canceled;
    ls = *row;
  }));
  if (ls.is_null()) return Status::Ok();
  CRM_ASSIGN_OR_RETURN(RecordNo first, RecordNo::Parse(ls.value("first_entry", "")));
  CRM_ASSIGN_OR_RETURN(RecordNo last, RecordNo::Parse(ls.value("last_entry", "")));
  auto cascade = [&](json* row) {
    (*row)["canceled_with_segment"] = canceled;
    (*row)["canceled"] = canceled || row->value("canceled_self", false);
  };
  for (uint64_t n = first.counter(); n <= last.counter(); ++n) {
    CRM_RETURN_IF_ERROR(UpdateEntry(rows, RecordNo(RecordKind::kInteraction, n), cascade));
  }
  if (auto ce = RecordNo::Parse(ls.value("campaign_entry", "")); ce.ok()) {
    CRM_RETURN_IF_ERROR(UpdateEntry(rows, *ce, cascade));
  }
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::EntryCanceled* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  return UpdateEntry(rows, entry, [&](json* row) {
    (*row)["canceled_self"] = !e->undo();
    (*row)["canceled"] = !e->undo() || row->value("canceled_with_segment", false);
  });
}

// An entry's delivery follows its attempts and outcomes.
template <typename DeliveryEvent>
Status ApplyDelivery(const Rows& rows, const DeliveryEvent* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  Status bad;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, keys::Interaction(entry), [&](json* row) {
    auto d = DeliveryOfRow(*row);
    if (!d.ok()) {
      bad = d.status();
      return;
    }
    (*row)["delivery"] = DeliveryJson(delivery::Evolve(std::move(*d), *rows.env));
  }));
  CRM_RETURN_IF_ERROR(bad);
  return Status::Ok();
}
Status Apply(const Rows& rows, const fb::DeliveryAttempted* e) { return ApplyDelivery(rows, e); }
Status Apply(const Rows& rows, const fb::DeliveryCompleted* e) { return ApplyDelivery(rows, e); }

Status Apply(const Rows& rows, const fb::EntryDeleted* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  if (entry.kind() == RecordKind::kLoggedSegment) {
    rows.txn->Delete(rows.cf, keys::LoggedSegment(entry));
    return Status::Ok();
  }
  const bool interaction = entry.kind() == RecordKind::kInteraction;
  const std::string key = interaction ? keys::Interaction(entry) : keys::CampaignEntry(entry);
  json row;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, key, [&](json* r) { row = *r; }));
  if (row.is_null()) return Status::Ok();
  rows.txn->Delete(rows.cf, key);
  if (auto cp = RecordNo::Parse(row.value("campaign", "")); cp.ok()) {
    rows.txn->Delete(rows.cf, interaction ? keys::CampaignInteraction(*cp, entry) : keys::CampaignEntryOf(*cp, entry));
  }
  if (interaction) {
    if (auto contact = RecordNo::Parse(row.value("contact", "")); contact.ok()) {
      rows.txn->Delete(rows.cf, keys::ContactInteraction(*contact, entry));
    }
    return ChangeInteractionFigures(rows.store, rows.txn, row, json());
  }
  return Status::Ok();
}

}  // namespace

Status ApplyInteractionEvent(Store* store, Store::Txn* txn, const fb::Envelope& env) {
  const Rows rows{store, txn, store->Cf(kCfInteractions), &env};
  Status s;
  Visit(JoinedEvents<logging::OwnEvents, delivery::OwnEvents>{}, env, [&](const auto* e) { s = Apply(rows, e); });
  return s;
}

}  // namespace crm
